"""/api/me and personal API tokens."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from skillbite.services.api_tokens import ApiTokenView
from skillbite.web.auth import PrincipalDep, SystemDep

router = APIRouter(prefix="/api", tags=["account"])


class Me(BaseModel):
    user_id: int
    email: str
    org: str
    role: str


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, examples=["laptop script"])


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool
    token: str | None = Field(
        None, description="Only in the answer to POST: store it now, it is not shown again."
    )


def _out(view: ApiTokenView) -> TokenOut:
    return TokenOut(**view.__dict__)


@router.get("/me")
def me(principal: PrincipalDep) -> Me:
    return Me(user_id=principal.user_id, email=principal.email, org=principal.org_slug, role=principal.role)


@router.get("/tokens")
def list_tokens(principal: PrincipalDep, system: SystemDep) -> list[TokenOut]:
    return [_out(t) for t in system.api_tokens.list(principal)]


@router.post("/tokens", status_code=status.HTTP_201_CREATED)
def create_token(body: TokenIn, principal: PrincipalDep, system: SystemDep) -> TokenOut:
    return _out(system.api_tokens.create(principal, body.name))


@router.get("/tokens/{token_id}")
def get_token(token_id: int, principal: PrincipalDep, system: SystemDep) -> TokenOut:
    return _out(system.api_tokens.get(principal, token_id))


@router.delete("/tokens/{token_id}")
def revoke_token(token_id: int, principal: PrincipalDep, system: SystemDep) -> TokenOut:
    return _out(system.api_tokens.revoke(principal, token_id))
