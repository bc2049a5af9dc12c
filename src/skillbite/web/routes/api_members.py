"""Members of the caller's organisation and invite links (admins)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from skillbite.services.invites import InviteView
from skillbite.services.members import MemberView
from skillbite.web.auth import PrincipalDep, SystemDep

router = APIRouter(prefix="/api", tags=["organisation"])


class MemberOut(BaseModel):
    user_id: int
    email: str
    display_name: str
    role: str


class RoleIn(BaseModel):
    role: str = Field(examples=["author"])


class InviteIn(BaseModel):
    role: str = Field("learner", examples=["learner"])
    email: str | None = None


class InviteOut(BaseModel):
    id: int
    role: str
    email: str | None
    created_at: datetime
    expires_at: datetime
    used: bool
    revoked: bool
    url: str | None = Field(None, description="Only in the answer to POST: the link to share.")


def _member(view: MemberView) -> MemberOut:
    return MemberOut(**view.__dict__)


def _invite(view: InviteView) -> InviteOut:
    return InviteOut(**view.__dict__)


@router.get("/members")
def list_members(principal: PrincipalDep, system: SystemDep) -> list[MemberOut]:
    return [_member(m) for m in system.members.list(principal)]


@router.get("/members/{user_id}")
def get_member(user_id: int, principal: PrincipalDep, system: SystemDep) -> MemberOut:
    return _member(system.members.get(principal, user_id))


@router.patch("/members/{user_id}")
def change_role(user_id: int, body: RoleIn, principal: PrincipalDep, system: SystemDep) -> MemberOut:
    return _member(system.members.change_role(principal, user_id, body.role))


@router.get("/invites")
def list_invites(principal: PrincipalDep, system: SystemDep) -> list[InviteOut]:
    return [_invite(i) for i in system.invites.list(principal)]


@router.post("/invites", status_code=status.HTTP_201_CREATED)
def create_invite(body: InviteIn, principal: PrincipalDep, system: SystemDep) -> InviteOut:
    return _invite(system.invites.create(principal, body.role, body.email))


@router.get("/invites/{invite_id}")
def get_invite(invite_id: int, principal: PrincipalDep, system: SystemDep) -> InviteOut:
    return _invite(system.invites.get(principal, invite_id))


@router.delete("/invites/{invite_id}")
def revoke_invite(invite_id: int, principal: PrincipalDep, system: SystemDep) -> InviteOut:
    return _invite(system.invites.revoke(principal, invite_id))
