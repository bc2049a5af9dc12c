"""Invite links: an admin makes one, a newcomer follows it to join the organisation with a role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from skillbite.domain.roles import parse_role
from skillbite.services.clock import Clock
from skillbite.services.errors import InvalidInput, NotFound
from skillbite.services.principal import Principal
from skillbite.services.tokens import hash_token, new_token
from skillbite.settings import Settings
from skillbite.store.database import Database
from skillbite.store.repositories.accounts import (
    InviteRepository,
    OrganisationRepository,
    invite_by_token_hash,
)
from skillbite.store.tables.accounts import Invite


@dataclass(frozen=True)
class InviteView:
    id: int
    role: str
    email: str | None
    created_at: datetime
    expires_at: datetime
    used: bool
    revoked: bool
    url: str | None = None
    """Only when just created: the link is shown once and stored hashed."""


@dataclass(frozen=True)
class InviteTarget:
    org_slug: str
    org_name: str
    role: str
    email: str | None


def _view(invite: Invite, url: str | None = None) -> InviteView:
    return InviteView(
        id=invite.id,
        role=invite.role,
        email=invite.email,
        created_at=invite.created_at,
        expires_at=invite.expires_at,
        used=invite.used_at is not None,
        revoked=invite.revoked_at is not None,
        url=url,
    )


class InviteService:
    def __init__(self, db: Database, clock: Clock, settings: Settings) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings

    def create(self, principal: Principal, role: str, email: str | None = None) -> InviteView:
        principal.require_admin()
        try:
            parsed = parse_role(role)
        except ValueError as error:
            raise InvalidInput(str(error), field="role") from None
        now = self.clock()
        token = new_token()
        with self.db.transaction() as session:
            invite = InviteRepository(session, principal.org_id).add(
                Invite(
                    token_hash=hash_token(token),
                    role=parsed.value,
                    email=email.strip().lower() if email else None,
                    created_by=principal.user_id,
                    created_at=now,
                    expires_at=now + timedelta(hours=self.settings.one_time_link_hours),
                )
            )
            return _view(invite, url=f"{self.settings.base_url.rstrip('/')}/invite/{token}")

    def list(self, principal: Principal) -> list[InviteView]:
        principal.require_admin()
        with self.db.transaction() as session:
            return [_view(i) for i in InviteRepository(session, principal.org_id).all()]

    def get(self, principal: Principal, invite_id: int) -> InviteView:
        principal.require_admin()
        with self.db.transaction() as session:
            invite = InviteRepository(session, principal.org_id).get(invite_id)
            if invite is None:
                raise NotFound(f"no invite {invite_id} in this organisation")
            return _view(invite)

    def revoke(self, principal: Principal, invite_id: int) -> InviteView:
        principal.require_admin()
        with self.db.transaction() as session:
            invite = InviteRepository(session, principal.org_id).get(invite_id)
            if invite is None:
                raise NotFound(f"no invite {invite_id} in this organisation")
            invite.revoked_at = invite.revoked_at or self.clock()
            return _view(invite)

    def target(self, token: str) -> InviteTarget:
        """What an invite link offers, for the accept page; NotFound when used, revoked or expired."""
        with self.db.transaction() as session:
            invite = invite_by_token_hash(session, hash_token(token))
            if invite is None or invite.used_at or invite.revoked_at or invite.expires_at <= self.clock():
                raise NotFound("this invite link is not valid any more; ask an admin for a new one")
            org = OrganisationRepository(session).by_id(invite.org_id)
            assert org is not None
            return InviteTarget(org_slug=org.slug, org_name=org.name, role=invite.role, email=invite.email)
