"""Settings pages: personal API tokens, and invite links for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from skillbite.services.errors import ServiceError
from skillbite.web.auth import PrincipalDep, SystemDep
from skillbite.web.errors import status_for
from skillbite.web.pages import render

router = APIRouter(prefix="/settings", include_in_schema=False)


@router.get("/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, principal: PrincipalDep, system: SystemDep) -> HTMLResponse:
    return render(request, "tokens.html", principal=principal, tokens=system.api_tokens.list(principal))


@router.post("/tokens")
def create_token(
    request: Request, principal: PrincipalDep, system: SystemDep, name: Annotated[str, Form()]
) -> Response:
    try:
        created = system.api_tokens.create(principal, name)
    except ServiceError as error:
        return render(
            request,
            "tokens.html",
            status_code=status_for(error),
            principal=principal,
            tokens=system.api_tokens.list(principal),
            error=error.message,
        )
    return render(
        request, "tokens.html", principal=principal, tokens=system.api_tokens.list(principal), created=created
    )


@router.post("/tokens/{token_id}/revoke")
def revoke_token(token_id: int, principal: PrincipalDep, system: SystemDep) -> Response:
    system.api_tokens.revoke(principal, token_id)
    return RedirectResponse("/settings/tokens", status_code=303)


@router.get("/invites", response_class=HTMLResponse)
def invites_page(request: Request, principal: PrincipalDep, system: SystemDep) -> HTMLResponse:
    return render(request, "invites.html", principal=principal, invites=system.invites.list(principal))


@router.post("/invites")
def create_invite(
    request: Request,
    principal: PrincipalDep,
    system: SystemDep,
    role: Annotated[str, Form()] = "learner",
    email: Annotated[str, Form()] = "",
) -> Response:
    try:
        created = system.invites.create(principal, role, email or None)
    except ServiceError as error:
        return render(
            request,
            "invites.html",
            status_code=status_for(error),
            principal=principal,
            invites=system.invites.list(principal),
            error=error.message,
        )
    return render(
        request, "invites.html", principal=principal, invites=system.invites.list(principal), created=created
    )


@router.post("/invites/{invite_id}/revoke")
def revoke_invite(invite_id: int, principal: PrincipalDep, system: SystemDep) -> Response:
    system.invites.revoke(principal, invite_id)
    return RedirectResponse("/settings/invites", status_code=303)
