"""Today's session for the minutes the learner has."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel

from skillbite.services.sessions import SessionView
from skillbite.web.auth import PrincipalDep, SystemDep

router = APIRouter(prefix="/api", tags=["learning"])


class SessionReviewOut(BaseModel):
    item_id: int
    kind: str
    lesson_id: int
    expected_seconds: float
    recall_now: float


class SessionBiteOut(BaseModel):
    lesson_id: int
    pack: str
    key: str
    title: str
    minutes: float
    item_ids: list[int]
    expected_seconds: float


class SessionOut(BaseModel):
    minutes: float
    expected_minutes: float
    due_count: int
    reviews: list[SessionReviewOut]
    bites: list[SessionBiteOut]


def session_out(view: SessionView) -> SessionOut:
    return SessionOut(
        minutes=view.minutes,
        expected_minutes=view.expected_minutes,
        due_count=view.due_count,
        reviews=[SessionReviewOut(**r.__dict__) for r in view.reviews],
        bites=[SessionBiteOut(**{**b.__dict__, "item_ids": list(b.item_ids)}) for b in view.bites],
    )


@router.get("/session")
def today_session(
    principal: PrincipalDep, system: SystemDep, minutes: float = Query(5, ge=1, le=120)
) -> SessionOut:
    """Due reviews (by expected retention gain per second when they exceed the budget) and new bites."""
    return session_out(system.sessions.today(principal, minutes))
