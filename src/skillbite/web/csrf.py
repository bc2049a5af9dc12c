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
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class CsrfCookieMiddleware:
    """Makes sure every visitor has a CSRF cookie, so that any page can render a valid form token.

    A plain ASGI middleware rather than a `BaseHTTPMiddleware`: that one runs each request through an extra
    task and memory streams, which every request paid for and which added to every response's latency."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        value = request.cookies.get(CSRF_COOKIE)
        fresh = value is None or len(value) < 20
        request.state.csrf_cookie = secrets.token_urlsafe(32) if fresh else value
        request.state.csrf_cookie_from_client = None if fresh else value
        if not fresh:
            await self.app(scope, receive, send)
            return
        cookie = Response()
        cookie.set_cookie(
            CSRF_COOKIE,
            request.state.csrf_cookie,
            httponly=True,
            samesite="lax",
            secure=is_secure(request),
            path="/",
        )

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", cookie.headers["set-cookie"])
            await send(message)

        await self.app(scope, receive, send_with_cookie)


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
