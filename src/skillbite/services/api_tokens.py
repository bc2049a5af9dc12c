"""Personal API tokens for the REST API (`Authorization: Bearer sb_...`), revocable at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from skillbite.domain.ids import OrgId, UserId
from skillbite.domain.roles import Role
from skillbite.services.clock import Clock
from skillbite.services.errors import InvalidInput, NotFound, Unauthenticated
from skillbite.services.principal import Principal
from skillbite.services.tokens import hash_token, new_token
from skillbite.store.database import Database
from skillbite.store.repositories.accounts import (
    ApiTokenRepository,
    MembershipRepository,
    OrganisationRepository,
    UserRepository,
    api_token_by_hash,
)
from skillbite.store.tables.accounts import ApiToken

LAST_USED_PRECISION = timedelta(minutes=1)
TOKEN_PREFIX = "sb_"  # noqa: S105 - a public prefix that makes leaked tokens easy to scan for, not a secret


@dataclass(frozen=True)
class ApiTokenView:
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool
    token: str | None = None
    """Only when just created: the token is shown once and stored hashed."""


def _view(row: ApiToken, token: str | None = None) -> ApiTokenView:
    return ApiTokenView(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked=row.revoked_at is not None,
        token=token,
    )


class ApiTokenService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def create(self, principal: Principal, name: str) -> ApiTokenView:
        name = name.strip()
        if not name or len(name) > 100:
            raise InvalidInput(
                "give the token a name of 1-100 characters (e.g. `laptop script`)", field="name"
            )
        token = new_token(TOKEN_PREFIX)
        with self.db.transaction() as session:
            row = ApiTokenRepository(session, principal.org_id).add(
                ApiToken(
                    user_id=principal.user_id,
                    name=name,
                    prefix=token[:10],
                    token_hash=hash_token(token),
                    created_at=self.clock(),
                )
            )
            return _view(row, token=token)

    def list(self, principal: Principal) -> list[ApiTokenView]:
        with self.db.transaction() as session:
            return [
                _view(t) for t in ApiTokenRepository(session, principal.org_id).of_user(principal.user_id)
            ]

    def _own(self, session: Session, principal: Principal, token_id: int) -> ApiToken:
        row = ApiTokenRepository(session, principal.org_id).get(token_id)
        if row is None or row.user_id != principal.user_id:
            raise NotFound(f"no API token {token_id} of yours in this organisation")
        return row

    def get(self, principal: Principal, token_id: int) -> ApiTokenView:
        with self.db.transaction() as session:
            return _view(self._own(session, principal, token_id))

    def revoke(self, principal: Principal, token_id: int) -> ApiTokenView:
        with self.db.transaction() as session:
            row = self._own(session, principal, token_id)
            row.revoked_at = row.revoked_at or self.clock()
            return _view(row)

    def authenticate(self, token: str) -> Principal:
        """Who holds this bearer token; Unauthenticated when unknown or revoked (checked on every request)."""
        with self.db.transaction() as session:
            row = api_token_by_hash(session, hash_token(token))
            if row is None or row.revoked_at is not None:
                raise Unauthenticated("this API token is unknown or revoked; create a new one in Settings")
            user = UserRepository(session).by_id(row.user_id)
            membership = MembershipRepository(session, row.org_id).of_user(row.user_id)
            org = OrganisationRepository(session).by_id(row.org_id)
            if user is None or membership is None or org is None:
                raise Unauthenticated("the owner of this API token is no longer a member of its organisation")
            now = self.clock()
            # Written at most once a minute: a durable write (fsync) on every API call would dominate latency.
            if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
                row.last_used_at = now
            return Principal(
                user_id=UserId(user.id),
                org_id=OrgId(org.id),
                org_slug=org.slug,
                role=Role(membership.role),
                email=user.email,
            )
