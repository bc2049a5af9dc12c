"""Helpers for server-rendered pages: rendering a template, redirects, the session cookie."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from skillbite.services.accounts import LoginResult
from skillbite.web.auth import SESSION_COOKIE
from skillbite.web.csrf import is_secure


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status_code
    )
    return response


def safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would let a phishing link borrow our login page."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def logged_in_redirect(request: Request, login: LoginResult, target: str = "/") -> RedirectResponse:
    response = RedirectResponse(safe_next(target), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        login.session_token,
        max_age=request.app.state.system.settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=is_secure(request),
        path="/",
    )
    return response
