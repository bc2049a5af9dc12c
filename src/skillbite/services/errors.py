"""Errors a service raises for the caller to show: each says what is wrong and how to fix it.

The web layer maps them to HTTP statuses (web/errors.py); the CLI prints their message on one line.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A problem the user can act on. `field` names the input at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ServiceError):
    """The input is malformed or breaks a rule (HTTP 422)."""


class NotFound(ServiceError):
    """No such object in the caller's organisation, which includes another organisation's object (404)."""


class Conflict(ServiceError):
    """The object exists already, or the request contradicts stored state (409)."""


class Unauthenticated(ServiceError):
    """Wrong credentials, or an expired or revoked session or token (401)."""


class PermissionDenied(ServiceError):
    """The caller's role does not allow this (403)."""


class RateLimited(ServiceError):
    """Too many attempts; try again later (429)."""

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
