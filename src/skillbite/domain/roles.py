"""Roles within an organisation and what each may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    LEARNER = "learner"
    AUTHOR = "author"
    MANAGER = "manager"
    ADMIN = "admin"


_RANK = {Role.LEARNER: 0, Role.AUTHOR: 1, Role.MANAGER: 2, Role.ADMIN: 3}


def parse_role(value: str) -> Role:
    """The role named by `value`, or ValueError listing the valid roles."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        valid = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {value!r}; use one of: {valid}") from None


def can_author(role: Role) -> bool:
    """Authors, managers and admins may import and edit content."""
    return _RANK[role] >= _RANK[Role.AUTHOR]


def can_manage_people(role: Role) -> bool:
    """Managers and admins see members and their progress."""
    return _RANK[role] >= _RANK[Role.MANAGER]


def can_administer(role: Role) -> bool:
    """Only admins invite people and change roles."""
    return role is Role.ADMIN
