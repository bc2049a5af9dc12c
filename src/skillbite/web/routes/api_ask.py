"""Just-in-time over the REST API: ask in plain words, get bites, a path and its minutes; learn now."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from skillbite.services.ask import AskAnswer
from skillbite.web.auth import PrincipalDep, SystemDep
from skillbite.web.routes.api_session import SessionOut, session_out

router = APIRouter(prefix="/api", tags=["just-in-time"])


class ResultOut(BaseModel):
    lesson_id: int
    pack: str
    lesson_key: str
    title: str
    score: float
    source: str | None = Field(
        description="Where the lesson's text came from, e.g. pages/common/git-reset.md"
    )
    snippet: str = Field(description="The example inside the lesson that answers the question.")
    minutes: float


class PathLessonOut(BaseModel):
    lesson_id: int
    pack: str
    lesson_key: str
    title: str
    minutes: float
    skills: list[str]


class AskOut(BaseModel):
    query: str
    confident: bool = Field(description="False when nothing really answers: the results are then only hints.")
    minutes: float = Field(description="Estimated minutes of the path.")
    path: list[PathLessonOut] = Field(
        description="Lessons to take now, prerequisites not yet mastered first."
    )
    results: list[ResultOut]
    target_skills: list[str]
    already_mastered: bool
    corrections: dict[str, str] | None


class LearnNowIn(BaseModel):
    lesson_ids: list[int] = Field(min_length=1, max_length=50)


class MasteryOut(BaseModel):
    skill: str
    title: str
    now: float
    in_30_days: float
    mastered: bool
    answers: int
    limited_by: str | None


def ask_out(answer: AskAnswer) -> AskOut:
    return AskOut(
        query=answer.query,
        confident=answer.confident,
        minutes=answer.minutes,
        path=[PathLessonOut(**{**p.__dict__, "skills": list(p.skills)}) for p in answer.path],
        results=[ResultOut(**r.__dict__) for r in answer.results],
        target_skills=list(answer.target_skills),
        already_mastered=answer.already_mastered,
        corrections=answer.corrections,
    )


@router.get("/ask")
def ask(
    principal: PrincipalDep,
    system: SystemDep,
    q: str = Query(min_length=1, max_length=500, description="What you need, in plain words."),
    limit: int = Query(10, ge=1, le=50),
) -> AskOut:
    return ask_out(system.ask.ask(principal, q, limit))


@router.post("/learn-now")
def learn_now(body: LearnNowIn, principal: PrincipalDep, system: SystemDep) -> SessionOut:
    """A session of exactly these lessons, in this order (a path from /api/ask)."""
    return session_out(system.sessions.path(principal, body.lesson_ids))


@router.get("/mastery")
def mastery(principal: PrincipalDep, system: SystemDep) -> list[MasteryOut]:
    """The learner's mastery per skill now and its forecast in 30 days."""
    return [MasteryOut(**m.__dict__) for m in system.mastery.of_learner(principal)]
