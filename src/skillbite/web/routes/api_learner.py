"""The learner's settings and goals, and the organisation's retention policy (admins)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from skillbite.services.learner_goals import GoalView
from skillbite.services.learner_settings import LearnerSettingsChange, LearnerSettingsView, OrgLearningView
from skillbite.web.auth import PrincipalDep, SystemDep

router = APIRouter(prefix="/api", tags=["learning"])


class SettingsOut(BaseModel):
    timezone: str
    desired_retention: float | None = Field(description="None: the organisation's default applies.")
    daily_goal_minutes: int
    daily_goal_kind: str = Field(description="What the daily goal counts: `minutes` or `xp`.")
    daily_goal_xp: int = Field(description="The daily goal when it counts XP.")
    reminder_time: str | None
    day_start_hour: int
    min_retention: float = Field(description="The lowest desired retention the organisation allows.")
    max_retention: float = Field(description="The highest desired retention the organisation allows.")


class SettingsIn(BaseModel):
    """Only the fields sent change; send null to clear desired_retention or reminder_time."""

    timezone: str | None = Field(None, examples=["Europe/Paris"], description="An IANA time zone.")
    desired_retention: float | None = Field(None, examples=[0.9])
    daily_goal_minutes: int | None = Field(None, examples=[10])
    daily_goal_kind: str | None = Field(None, examples=["xp"], description="`minutes` or `xp`.")
    daily_goal_xp: int | None = Field(None, examples=[50], description="5-2000 XP a day.")
    reminder_time: str | None = Field(None, examples=["08:30"], description="HH:MM, 24-hour.")
    day_start_hour: int | None = Field(None, examples=[4], description="0-23: when the study day starts.")


class OrgLearningIO(BaseModel):
    default_retention: float | None = Field(None, examples=[0.9])
    tag_retention: dict[str, float] = Field(default_factory=dict, examples=[{"safety": 0.95}])
    min_retention: float = Field(0.7, description="Learners choose their desired retention within these.")
    max_retention: float = Field(0.97)


class GoalIn(BaseModel):
    kind: str = Field(examples=["course"], description="course, skill or lesson.")
    target: str = Field(examples=["git-in-the-flow/git-basics"], description="pack-key/key.")


class GoalOut(BaseModel):
    kind: str
    target: str
    assigned: bool
    due_on: datetime | None
    created_at: datetime


def _settings(view: LearnerSettingsView) -> SettingsOut:
    return SettingsOut(
        timezone=view.timezone,
        desired_retention=view.desired_retention,
        daily_goal_minutes=view.daily_goal_minutes,
        daily_goal_kind=view.daily_goal_kind,
        daily_goal_xp=view.daily_goal_xp,
        reminder_time=view.reminder_time,
        day_start_hour=view.day_start_hour,
        min_retention=view.bounds.min_retention,
        max_retention=view.bounds.max_retention,
    )


def _org(view: OrgLearningView) -> OrgLearningIO:
    return OrgLearningIO(**view.__dict__)


@router.get("/me/settings")
def get_settings(principal: PrincipalDep, system: SystemDep) -> SettingsOut:
    return _settings(system.learner_settings.get(principal))


@router.put("/me/settings")
def update_settings(body: SettingsIn, principal: PrincipalDep, system: SystemDep) -> SettingsOut:
    """Change the fields sent; a new desired retention reschedules your items at once."""
    change = LearnerSettingsChange(**{name: getattr(body, name) for name in body.model_fields_set})
    return _settings(system.learner_settings.update(principal, change))


@router.get("/org/learning")
def get_org_learning(principal: PrincipalDep, system: SystemDep) -> OrgLearningIO:
    """The organisation's retention policy (admins)."""
    return _org(system.learner_settings.org_policy(principal))


@router.put("/org/learning")
def update_org_learning(body: OrgLearningIO, principal: PrincipalDep, system: SystemDep) -> OrgLearningIO:
    """Replace the retention policy (admins). A tag override beats the learner's own setting."""
    return _org(
        system.learner_settings.update_org_policy(
            principal,
            default_retention=body.default_retention,
            tag_retention=body.tag_retention,
            min_retention=body.min_retention,
            max_retention=body.max_retention,
        )
    )


def _goal(view: GoalView) -> GoalOut:
    return GoalOut(**view.__dict__)


@router.get("/me/goals")
def list_goals(principal: PrincipalDep, system: SystemDep) -> list[GoalOut]:
    return [_goal(g) for g in system.goals.list(principal)]


@router.post("/me/goals", status_code=status.HTTP_201_CREATED)
def add_goal(body: GoalIn, principal: PrincipalDep, system: SystemDep) -> GoalOut:
    """Work toward a course, skill or lesson: new bites in your sessions come from your goals."""
    return _goal(system.goals.add(principal, body.kind, body.target))


@router.delete("/me/goals", status_code=status.HTTP_204_NO_CONTENT)
def remove_goal(
    principal: PrincipalDep,
    system: SystemDep,
    kind: str = Query(examples=["course"]),
    target: str = Query(examples=["git-in-the-flow/git-basics"]),
) -> Response:
    system.goals.remove(principal, kind, target)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
