"""Password hashing with argon2id (argon2-cffi), and the rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from skillbite.services.errors import InvalidInput

MIN_PASSWORD_LENGTH = 10

# RFC 9106's second recommendation (64 MiB, 3 passes, 4 lanes), argon2-cffi's default.
# The OWASP minimum (19 MiB, 2 passes, 1 lane) is offered for small servers and for the test suite.
PROFILES = {
    "rfc9106": {"memory_cost": 65536, "time_cost": 3, "parallelism": 4},
    "owasp-minimum": {"memory_cost": 19456, "time_cost": 2, "parallelism": 1},
}


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    if len(password) > 1024:
        raise InvalidInput("the password is too long: use at most 1024 characters", field="password")


class Passwords:
    """Hashes and verifies passwords with argon2id at the configured cost."""

    def __init__(self, profile: str = "rfc9106") -> None:
        self._hasher = PasswordHasher(type=Type.ID, **PROFILES[profile])
        # Verifying against this keeps a login for an unknown email as slow as one for a known email.
        self._dummy_hash = self._hasher.hash("not-a-real-password-only-for-timing")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return (
                self._hasher.verify(password_hash or self._dummy_hash, password) and password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)
