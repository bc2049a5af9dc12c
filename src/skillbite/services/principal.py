"""Who is asking: a user acting inside one organisation with one role. Every service call takes one."""

from __future__ import annotations

from dataclasses import dataclass

from skillbite.domain.ids import OrgId, UserId
from skillbite.domain.roles import Role, can_administer, can_author, can_manage_people
from skillbite.services.errors import PermissionDenied


@dataclass(frozen=True)
class Principal:
    user_id: UserId
    org_id: OrgId
    org_slug: str
    role: Role
    email: str

    def require_admin(self) -> None:
        if not can_administer(self.role):
            raise PermissionDenied("only an admin of this organisation can do this")

    def require_author(self) -> None:
        if not can_author(self.role):
            raise PermissionDenied("only authors, managers and admins can change content")

    def require_manager(self) -> None:
        if not can_manage_people(self.role):
            raise PermissionDenied("only managers and admins can see other members")
