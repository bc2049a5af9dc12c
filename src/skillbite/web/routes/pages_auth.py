"""Pages to sign up, log in, log out, accept an invite, and set a password from a one-time link."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from skillbite.services.errors import InvalidInput, NotFound, RateLimited, ServiceError
from skillbite.web.auth import SESSION_COOKIE, SystemDep
from skillbite.web.errors import status_for
from skillbite.web.pages import logged_in_redirect, render, safe_next

router = APIRouter(include_in_schema=False)
FormStr = Annotated[str, Form()]


def _form_error(request: Request, template: str, error: ServiceError, **context: object) -> HTMLResponse:
    response = render(
        request,
        template,
        status_code=status_for(error),
        error=error.message,
        error_field=error.field,
        **context,
    )
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after_seconds)
    return response


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request) -> HTMLResponse:
    return render(request, "signup.html")


@router.post("/signup")
def signup(request: Request, system: SystemDep, email: FormStr, password: FormStr, org: FormStr) -> Response:
    try:
        login = system.accounts.sign_up(email, password, org_slug=org.strip().lower())
    except ServiceError as error:
        return _form_error(request, "signup.html", error, email=email, org=org)
    return logged_in_redirect(request, login)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=safe_next(next))


@router.post("/login")
def login(
    request: Request, system: SystemDep, email: FormStr, password: FormStr, next: Annotated[str, Form()] = "/"
) -> Response:
    try:
        result = system.accounts.log_in(email, password)
    except ServiceError as error:
        return _form_error(request, "login.html", error, email=email, next=safe_next(next))
    return logged_in_redirect(request, result, next)


@router.post("/logout")
def logout(request: Request, system: SystemDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        system.accounts.log_out(token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/invite/{token}", response_class=HTMLResponse)
def invite_page(request: Request, token: str, system: SystemDep) -> HTMLResponse:
    try:
        target = system.invites.target(token)
    except NotFound as error:
        return render(request, "error.html", status_code=404, message=error.message, status=404)
    return render(request, "invite.html", target=target, token=token, email=target.email or "")


@router.post("/invite/{token}")
def accept_invite(
    request: Request, token: str, system: SystemDep, email: FormStr, password: FormStr
) -> Response:
    try:
        target = system.invites.target(token)
    except NotFound as error:
        return render(request, "error.html", status_code=404, message=error.message, status=404)
    try:
        login = system.accounts.sign_up(email, password, invite_token=token)
    except ServiceError as error:
        return _form_error(request, "invite.html", error, target=target, token=token, email=email)
    return logged_in_redirect(request, login)


@router.get("/set-password/{token}", response_class=HTMLResponse)
def set_password_page(request: Request, token: str, system: SystemDep) -> HTMLResponse:
    try:
        email = system.accounts.password_link_email(token)
    except NotFound as error:
        return render(request, "error.html", status_code=404, message=error.message, status=404)
    return render(request, "set_password.html", email=email, token=token)


@router.post("/set-password/{token}")
def set_password(
    request: Request, token: str, system: SystemDep, password: FormStr, confirm: FormStr
) -> Response:
    try:
        email = system.accounts.password_link_email(token)
    except NotFound as error:
        return render(request, "error.html", status_code=404, message=error.message, status=404)
    try:
        if password != confirm:
            raise InvalidInput("the two passwords differ; type the same password twice", field="confirm")
        login = system.accounts.set_password(token, password)
    except ServiceError as error:
        return _form_error(request, "set_password.html", error, email=email, token=token)
    return logged_in_redirect(request, login)
