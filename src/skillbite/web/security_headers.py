"""Security headers on every response: a strict Content-Security-Policy, no MIME sniffing, same-origin
referrers.

The app's pages load only their own scripts, styles, images and media (htmx is vendored, nothing inline), so
the policy allows `'self'` and nothing else. Two exceptions:

- Swagger UI at /api/docs starts itself with an inline script and inline styles, so it gets a policy that
  allows those on that one page (it still loads nothing from another origin);
- a route that sets its own Content-Security-Policy (media files are sandboxed by routes/media.py) keeps it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

APP_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)
API_DOCS_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)
API_DOCS_PATH = "/api/docs"


def policy_for(path: str) -> str:
    return API_DOCS_POLICY if path == API_DOCS_PATH else APP_POLICY


class SecurityHeadersMiddleware:
    """Adds the headers to every HTTP response unless the route set them already."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = policy_for(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
            await send(message)

        await self.app(scope, receive, send_with_headers)
