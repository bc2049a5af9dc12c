"""Stored password hashes are argon2id, and they verify."""

from __future__ import annotations

from sqlalchemy import select

from skillbite.store.tables.accounts import User
from skillbite.wiring import System


def test_stored_hash_is_argon2id(system: System) -> None:
    system.accounts.sign_up("gail@example.com", "a long passphrase", org_slug="org-g")
    with system.db.transaction() as session:
        stored = session.scalars(select(User.password_hash).where(User.email == "gail@example.com")).one()
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert "a long passphrase" not in stored
    assert system.accounts.passwords.verify(stored, "a long passphrase")
    assert not system.accounts.passwords.verify(stored, "a long passphrasE")
