"""Who is asking: a bearer API token, or the session cookie. Typed dependencies for the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from skillbite.services.errors import Unauthenticated
from skillbite.services.principal import Principal
from skillbite.wiring import System

SESSION_COOKIE = "sb_session"


# Dependencies that do no I/O are `async def`: FastAPI runs each plain `def` dependency through the thread
# pool, and every request paid those hand-offs (and the GIL contention they cause) before doing any work.
async def get_system(request: Request) -> System:
    system: System = request.app.state.system
    return system


SystemDep = Annotated[System, Depends(get_system)]


def optional_principal(request: Request, system: SystemDep) -> Principal | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return system.api_tokens.authenticate(header[7:].strip())
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        return system.accounts.principal_for_session(token)
    except Unauthenticated:
        return None


async def require_principal(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    if principal is None:
        raise Unauthenticated("log in first, or send `Authorization: Bearer <API token>`")
    return principal


PrincipalDep = Annotated[Principal, Depends(require_principal)]
OptionalPrincipalDep = Annotated[Principal | None, Depends(optional_principal)]
