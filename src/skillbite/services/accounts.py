"""Accounts: sign-up, log-in with a per-minute failure limit, server-side sessions, set-password links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from skillbite.domain.ids import OrgId, UserId
from skillbite.domain.roles import Role, parse_role
from skillbite.services.clock import Clock
from skillbite.services.errors import Conflict, InvalidInput, NotFound, RateLimited, Unauthenticated
from skillbite.services.organisations import check_slug
from skillbite.services.passwords import Passwords, check_new_password
from skillbite.services.principal import Principal
from skillbite.services.tokens import hash_token, new_token
from skillbite.settings import Settings
from skillbite.store.database import Database
from skillbite.store.repositories.accounts import (
    LoginAttemptRepository,
    MembershipRepository,
    OrganisationRepository,
    PasswordSetupRepository,
    UserRepository,
    WebSessionRepository,
    invite_by_token_hash,
    password_setup_by_token_hash,
)
from skillbite.store.tables.accounts import Membership, Organisation, PasswordSetup, User, WebSession

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LOGIN_WINDOW = timedelta(minutes=1)


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL_PATTERN.match(email) or len(email) > 320:
        raise InvalidInput(f"{email!r} is not an email address (expected name@example.com)", field="email")
    return email


@dataclass(frozen=True)
class LoginResult:
    """The cookie token (shown once, stored hashed) and who logged in."""

    session_token: str
    principal: Principal
    expires_at: datetime


@dataclass(frozen=True)
class PasswordLink:
    user_id: int
    email: str
    url: str
    expires_at: datetime


def _principal(user: User, membership: Membership, org: Organisation) -> Principal:
    return Principal(
        user_id=UserId(user.id),
        org_id=OrgId(org.id),
        org_slug=org.slug,
        role=Role(membership.role),
        email=user.email,
    )


class AccountService:
    def __init__(self, db: Database, clock: Clock, settings: Settings) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.passwords = Passwords(settings.password_hash_profile)

    # -- sign-up ---------------------------------------------------------------------------------------
    def sign_up(
        self, email: str, password: str, *, org_slug: str | None = None, invite_token: str | None = None
    ) -> LoginResult:
        """Create an account and log in: a new organisation (its admin), or the invite's organisation."""
        email = normalise_email(email)
        check_new_password(password)
        if invite_token is None and org_slug is None:
            raise InvalidInput("give an organisation name or an invite link", field="org")
        now = self.clock()
        with self.db.transaction() as session:
            users = UserRepository(session)
            if users.by_email(email) is not None:
                raise Conflict(f"an account for {email} exists already; log in instead", field="email")
            if invite_token is not None:
                invite = invite_by_token_hash(session, hash_token(invite_token))
                if invite is None or invite.revoked_at or invite.used_at or invite.expires_at <= now:
                    raise NotFound("this invite link is not valid any more; ask an admin for a new one")
                if invite.email and invite.email != email:
                    raise InvalidInput(f"this invite is for {invite.email}", field="email")
                org = OrganisationRepository(session).by_id(invite.org_id)
                assert org is not None
                role = invite.role
                invite.used_at = now
            else:
                assert org_slug is not None
                orgs = OrganisationRepository(session)
                if orgs.by_slug(check_slug(org_slug)) is not None:
                    raise Conflict(
                        f"the organisation {org_slug!r} exists already: ask one of its admins for an invite",
                        field="org",
                    )
                org = orgs.add(Organisation(slug=org_slug, name=org_slug, created_at=now))
                role = Role.ADMIN.value
            user = users.add(User(email=email, password_hash=self.passwords.hash(password), created_at=now))
            membership = MembershipRepository(session, org.id).add(
                Membership(user_id=user.id, role=role, created_at=now)
            )
            return self._open_session(session, _principal(user, membership, org), now)

    # -- log-in and sessions ----------------------------------------------------------------------------
    def log_in(self, email: str, password: str, *, org_slug: str | None = None) -> LoginResult:
        email = email.strip().lower()
        now = self.clock()
        with self.db.transaction() as session:
            attempts = LoginAttemptRepository(session)
            failures = attempts.failures_since(email, now - LOGIN_WINDOW)
            if failures >= self.settings.login_failures_per_minute:
                raise RateLimited(
                    "too many failed logins for this account; wait a minute and try again",
                    retry_after_seconds=int(LOGIN_WINDOW.total_seconds()),
                )
        with self.db.transaction() as session:
            user = UserRepository(session).by_email(email)
            ok = self.passwords.verify(user.password_hash if user else None, password) and user is not None
            # Recorded in its own transaction: a refused login must still count against the limit.
            LoginAttemptRepository(session).record(email, now, succeeded=ok)
        if not ok:
            raise Unauthenticated("wrong email or password")
        with self.db.transaction() as session:
            users = UserRepository(session)
            user = users.by_email(email)
            if user is None:
                raise Unauthenticated("wrong email or password")
            if user.password_hash and self.passwords.needs_rehash(user.password_hash):
                user.password_hash = self.passwords.hash(password)
            memberships = users.memberships(user.id)
            if not memberships:
                raise Unauthenticated("this account belongs to no organisation any more")
            chosen = [(m, o) for m, o in memberships if org_slug is None or o.slug == org_slug]
            if not chosen:
                raise NotFound(f"you are not a member of {org_slug!r}", field="org")
            membership, org = chosen[0]
            return self._open_session(session, _principal(user, membership, org), now)

    def _open_session(self, session: Session, principal: Principal, now: datetime) -> LoginResult:
        token = new_token()
        expires = now + timedelta(days=self.settings.session_days)
        repo = WebSessionRepository(session)
        repo.delete_expired(now)
        repo.add(
            WebSession(
                org_id=principal.org_id,
                user_id=principal.user_id,
                token_hash=hash_token(token),
                created_at=now,
                expires_at=expires,
            )
        )
        return LoginResult(session_token=token, principal=principal, expires_at=expires)

    def principal_for_session(self, session_token: str) -> Principal:
        """Who holds this session cookie; Unauthenticated when it is unknown or expired."""
        now = self.clock()
        with self.db.transaction() as session:
            web_session = WebSessionRepository(session).by_token_hash(hash_token(session_token))
            if web_session is None or web_session.expires_at <= now:
                raise Unauthenticated("your session has ended; log in again")
            return self._principal_in(session, web_session.user_id, web_session.org_id)

    def _principal_in(self, session: Session, user_id: int, org_id: int) -> Principal:
        user = UserRepository(session).by_id(user_id)
        membership = MembershipRepository(session, org_id).of_user(user_id)
        org = OrganisationRepository(session).by_id(org_id)
        if user is None or membership is None or org is None:
            raise Unauthenticated("you are no longer a member of this organisation; log in again")
        return _principal(user, membership, org)

    def member(self, org_slug: str, email: str) -> Principal:
        """The member with this email in the organisation, for commands run on their behalf (`--as`)."""
        address = normalise_email(email)
        with self.db.transaction() as session:
            org = OrganisationRepository(session).by_slug(org_slug)
            if org is None:
                raise NotFound(f"no organisation with slug {org_slug!r}", field="org")
            user = UserRepository(session).by_email(address)
            if user is None or MembershipRepository(session, org.id).of_user(user.id) is None:
                raise NotFound(
                    f"{address} is not a member of this organisation ({org_slug}); add them first with "
                    f"`skillbite user create {address} --org {org_slug}`",
                    field="as",
                )
            return self._principal_in(session, user.id, org.id)

    def log_out(self, session_token: str) -> None:
        with self.db.transaction() as session:
            WebSessionRepository(session).delete_by_token_hash(hash_token(session_token))

    # -- accounts made by an admin, with a set-password link ------------------------------------------------
    def create_user(self, email: str, org_slug: str, role: str) -> PasswordLink:
        """Add a user to an organisation and return the one-time link where they set their password."""
        email = normalise_email(email)
        try:
            parsed_role = parse_role(role)
        except ValueError as error:
            raise InvalidInput(str(error), field="role") from None
        now = self.clock()
        with self.db.transaction() as session:
            org = OrganisationRepository(session).by_slug(org_slug)
            if org is None:
                raise NotFound(
                    f"no organisation with slug {org_slug!r}; "
                    f"create it with `skillbite org create {org_slug}`",
                    field="org",
                )
            users = UserRepository(session)
            user = users.by_email(email) or users.add(User(email=email, created_at=now))
            members = MembershipRepository(session, org.id)
            if members.of_user(user.id) is not None:
                raise Conflict(f"{email} is a member of {org_slug!r} already", field="email")
            members.add(Membership(user_id=user.id, role=parsed_role.value, created_at=now))
            token = new_token()
            expires = now + timedelta(hours=self.settings.one_time_link_hours)
            PasswordSetupRepository(session, org.id).add(
                PasswordSetup(
                    user_id=user.id, token_hash=hash_token(token), created_at=now, expires_at=expires
                )
            )
            url = f"{self.settings.base_url.rstrip('/')}/set-password/{token}"
            return PasswordLink(user_id=user.id, email=email, url=url, expires_at=expires)

    def password_link_email(self, token: str) -> str:
        """The email a set-password link is for; NotFound when the link is used or expired."""
        with self.db.transaction() as session:
            setup = self._valid_setup(session, token)
            user = UserRepository(session).by_id(setup.user_id)
            assert user is not None
            return user.email

    def _valid_setup(self, session: Session, token: str) -> PasswordSetup:
        setup = password_setup_by_token_hash(session, hash_token(token))
        if setup is None or setup.used_at is not None or setup.expires_at <= self.clock():
            raise NotFound("this link is not valid any more; ask an admin for a new one")
        return setup

    def set_password(self, token: str, password: str) -> LoginResult:
        check_new_password(password)
        now = self.clock()
        with self.db.transaction() as session:
            setup = self._valid_setup(session, token)
            setup.used_at = now
            user = UserRepository(session).by_id(setup.user_id)
            assert user is not None
            user.password_hash = self.passwords.hash(password)
            principal = self._principal_in(session, user.id, setup.org_id)
            return self._open_session(session, principal, now)
