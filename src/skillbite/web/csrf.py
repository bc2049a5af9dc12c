"""CSRF protection for every state-changing request authenticated by cookie.

Double-submit with a signed token: a random value lives in an HttpOnly cookie, and each form (hidden field
`csrf_token`) or htmx/fetch request (header `X-CSRF-Token`) carries HMAC(secret, value). A cross-site page
can make the browser send the cookie but cannot read it, so it cannot produce the matching token.
Requests authenticated by a bearer token carry no ambient credentials and are exempt.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

from skillbite.services.errors import PermissionDenied

CSRF_COOKIE = "sb_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CsrfError(PermissionDenied):
    """Refused with 403: the form or request lacks a valid CSRF token."""


def sign(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


def is_secure(request: Request) -> bool:
    return request.url.scheme == "https"


class CsrfCookieMiddleware(BaseHTTPMiddleware):
    """Makes sure every visitor has a CSRF cookie, so that any page can render a valid form token."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        value = request.cookies.get(CSRF_COOKIE)
        fresh = value is None or len(value) < 20
        request.state.csrf_cookie = secrets.token_urlsafe(32) if fresh else value
        request.state.csrf_cookie_from_client = None if fresh else value
        response = await call_next(request)
        if fresh:
            response.set_cookie(
                CSRF_COOKIE,
                request.state.csrf_cookie,
                httponly=True,
                samesite="lax",
                secure=is_secure(request),
                path="/",
            )
        return response


def csrf_token(request: Request) -> str:
    """The token to put in this visitor's forms and htmx headers."""
    secret: str = request.app.state.system.settings.secret_key
    return sign(secret, request.state.csrf_cookie)


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: refuse a state-changing request without a valid token (403)."""
    if request.method in SAFE_METHODS:
        return
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return
    cookie = getattr(request.state, "csrf_cookie_from_client", None)
    if not cookie:
        raise CsrfError("this form has expired (no CSRF cookie); reload the page and submit again")
    sent = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if sent is None and content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    secret: str = request.app.state.system.settings.secret_key
    if not sent or not hmac.compare_digest(sent, sign(secret, cookie)):
        raise CsrfError(
            "this form has expired or was not sent by skillbite (bad CSRF token); reload and retry"
        )
