"""Members of an organisation: who they are and their role."""

from __future__ import annotations

from dataclasses import dataclass

from skillbite.domain.roles import Role, parse_role
from skillbite.services.clock import Clock
from skillbite.services.errors import Conflict, InvalidInput, NotFound
from skillbite.services.principal import Principal
from skillbite.store.database import Database
from skillbite.store.repositories.accounts import MembershipRepository, UserRepository


@dataclass(frozen=True)
class MemberView:
    user_id: int
    email: str
    display_name: str
    role: str


class MemberService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def list(self, principal: Principal) -> list[MemberView]:
        principal.require_manager()
        with self.db.transaction() as session:
            return [
                MemberView(user_id=u.id, email=u.email, display_name=u.display_name, role=m.role)
                for m, u in MembershipRepository(session, principal.org_id).members()
            ]

    def get(self, principal: Principal, user_id: int) -> MemberView:
        if user_id != principal.user_id:
            principal.require_manager()
        with self.db.transaction() as session:
            membership = MembershipRepository(session, principal.org_id).of_user(user_id)
            user = UserRepository(session).by_id(user_id) if membership else None
            if membership is None or user is None:
                raise NotFound(f"no member {user_id} in this organisation")
            return MemberView(
                user_id=user.id, email=user.email, display_name=user.display_name, role=membership.role
            )

    def change_role(self, principal: Principal, user_id: int, role: str) -> MemberView:
        principal.require_admin()
        try:
            new_role = parse_role(role)
        except ValueError as error:
            raise InvalidInput(str(error), field="role") from None
        with self.db.transaction() as session:
            members = MembershipRepository(session, principal.org_id)
            membership = members.of_user(user_id)
            if membership is None:
                raise NotFound(f"no member {user_id} in this organisation")
            if (
                membership.role == Role.ADMIN
                and new_role != Role.ADMIN
                and members.count_role(Role.ADMIN) == 1
            ):
                raise Conflict("this is the organisation's last admin; make someone else admin first")
            membership.role = new_role.value
            user = UserRepository(session).by_id(user_id)
            assert user is not None
            return MemberView(
                user_id=user.id, email=user.email, display_name=user.display_name, role=membership.role
            )
