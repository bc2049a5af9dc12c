"""Repositories for organisations, users, memberships, invites, password links, sessions, tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from skillbite.store.repositories.tenant import TenantRepository
from skillbite.store.tables.accounts import (
    ApiToken,
    Invite,
    LoginAttempt,
    Membership,
    Organisation,
    PasswordSetup,
    User,
    WebSession,
)


class OrganisationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_slug(self, slug: str) -> Organisation | None:
        return self.session.scalars(select(Organisation).where(Organisation.slug == slug)).one_or_none()

    def by_id(self, org_id: int) -> Organisation | None:
        return self.session.get(Organisation, org_id)

    def add(self, org: Organisation) -> Organisation:
        self.session.add(org)
        self.session.flush()
        return org

    def all(self) -> list[Organisation]:
        return list(self.session.scalars(select(Organisation).order_by(Organisation.slug)))


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_email(self, email: str) -> User | None:
        return self.session.scalars(select(User).where(User.email == email)).one_or_none()

    def by_id(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def add(self, user: User) -> User:
        self.session.add(user)
        self.session.flush()
        return user

    def memberships(self, user_id: int) -> list[tuple[Membership, Organisation]]:
        rows = self.session.execute(
            select(Membership, Organisation)
            .join(Organisation, Organisation.id == Membership.org_id)
            .where(Membership.user_id == user_id)
            .order_by(Membership.created_at, Membership.id)
        )
        return [(m, o) for m, o in rows]


class MembershipRepository(TenantRepository[Membership]):
    model = Membership

    def of_user(self, user_id: int) -> Membership | None:
        return self.session.scalars(self._select().where(Membership.user_id == user_id)).one_or_none()

    def members(self) -> list[tuple[Membership, User]]:
        rows = self.session.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.org_id == self.org_id)
            .order_by(User.email)
        )
        return [(m, u) for m, u in rows]

    def count_role(self, role: str) -> int:
        query = (
            select(func.count())
            .select_from(Membership)
            .where(Membership.org_id == self.org_id, Membership.role == role)
        )
        return int(self.session.scalar(query) or 0)


class InviteRepository(TenantRepository[Invite]):
    model = Invite

    def all(self) -> list[Invite]:
        return list(self.session.scalars(self._select().order_by(Invite.created_at.desc(), Invite.id)))


def invite_by_token_hash(session: Session, token_hash: str) -> Invite | None:
    """Invites are found by their secret before the visitor has an organisation: the token is the proof."""
    return session.scalars(select(Invite).where(Invite.token_hash == token_hash)).one_or_none()


class PasswordSetupRepository(TenantRepository[PasswordSetup]):
    model = PasswordSetup


def password_setup_by_token_hash(session: Session, token_hash: str) -> PasswordSetup | None:
    return session.scalars(select(PasswordSetup).where(PasswordSetup.token_hash == token_hash)).one_or_none()


class WebSessionRepository:
    """Sessions are looked up by the hash of the cookie's token, which proves who is asking."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, web_session: WebSession) -> WebSession:
        self.session.add(web_session)
        self.session.flush()
        return web_session

    def by_token_hash(self, token_hash: str) -> WebSession | None:
        query = select(WebSession).where(WebSession.token_hash == token_hash)
        return self.session.scalars(query).one_or_none()

    def delete_by_token_hash(self, token_hash: str) -> None:
        self.session.execute(delete(WebSession).where(WebSession.token_hash == token_hash))

    def delete_expired(self, now: datetime) -> None:
        self.session.execute(delete(WebSession).where(WebSession.expires_at <= now))


class ApiTokenRepository(TenantRepository[ApiToken]):
    model = ApiToken

    def of_user(self, user_id: int) -> list[ApiToken]:
        query = self._select().where(ApiToken.user_id == user_id).order_by(ApiToken.created_at, ApiToken.id)
        return list(self.session.scalars(query))


def api_token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    return session.scalars(select(ApiToken).where(ApiToken.token_hash == token_hash)).one_or_none()


class LoginAttemptRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, email: str, at: datetime, succeeded: bool) -> None:
        self.session.add(LoginAttempt(email=email, attempted_at=at, succeeded=succeeded))
        self.session.flush()

    def failures_since(self, email: str, since: datetime) -> int:
        query = (
            select(func.count())
            .select_from(LoginAttempt)
            .where(
                LoginAttempt.email == email,
                LoginAttempt.attempted_at > since,
                LoginAttempt.succeeded.is_(False),
            )
        )
        return int(self.session.scalar(query) or 0)

    def forget_before(self, before: datetime) -> None:
        self.session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < before))
