"""Watermarks: small values, read with one cheap query, that change whenever derived views must change.

A learner's views (mastery, progress, the Today numbers and plan, catalogue progress) are functions of the
learner's review log, memory states, parameter sets, settings, goals, the organisation's retention policy and
its content, and of the time. Every write path moves one of these values:

- a review (one, a batch, an offline replay, an Anki history import) adds rows to `reviews`: its count and
  highest id grow (the log is append-only, so neither ever comes back to an earlier value);
- `recompute` and a new parameter fit: a fitted set adds a `learner_params` row (highest id); recompute on an
  unchanged log and parameters rebuilds identical states, so it changes nothing a view shows;
- the organisation adopting new knowledge-tracing parameters (services/tracing_jobs) adds an
  `org_tracing_params` row: its highest id, the last value of `LearnerWatermark.learner`;
- a settings change (time zone, day start, goal, desired retention, reminder): the profile's values themselves
  are part of the watermark, and so are the organisation's retention policy values (a policy change refolds
  due dates);
- goals added or removed: the learner's goals themselves;
- an item falling due: how many of the learner's states are due at `now`;
- content (pack import or re-import, retirements, changed answers): `ContentVersion`, per organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, String, bindparam, cast, func, select
from sqlalchemy.orm import Session

from skillbite.store.tables.base import UTCDateTime
from skillbite.store.tables.content import CourseRow, ItemRow, LessonRow, PackRow, SkillRow
from skillbite.store.tables.learning import (
    ItemStateRow,
    LearnerGoalRow,
    LearnerParamsRow,
    LearnerProfileRow,
    OrgLearningSettingsRow,
    OrgTracingParamsRow,
    ReviewRow,
)


@dataclass(frozen=True)
class ContentVersion:
    """What an organisation's content looks like, coarsely: every pack's id, version and import time, and
    the size, highest id and retirements of each content table. Every import sets the pack's `imported_at`."""

    packs: tuple[tuple[Any, ...], ...]
    tables: tuple[Any, ...]


DEFAULT_DAY_START_HOUR = 4
"""`learner_profiles.day_start_hour`'s default."""
PROFILE_AT = 5
"""Where the profile's values start in `LearnerWatermark.learner` (time zone first, then the day start)."""


@dataclass(frozen=True)
class LearnerWatermark:
    learner: tuple[Any, ...]
    """Count and highest id of the learner's reviews, highest id of their parameter sets, count of their
    memory states and how many of them are due at the time it was read, their profile's settings and the
    organisation's retention policy, and last the id of the organisation's adopted tracing parameters (None
    where there is no row yet)."""
    goals: tuple[tuple[Any, ...], ...]
    content: ContentVersion

    @property
    def has_profile(self) -> bool:
        return self.learner[PROFILE_AT] is not None

    @property
    def timezone(self) -> str:
        """The learner's time zone (UTC until they have a profile, as for the services)."""
        zone = self.learner[PROFILE_AT]
        return str(zone) if zone is not None else "UTC"

    @property
    def day_start_hour(self) -> int:
        """The hour the learner's study day starts (4 until they have a profile, the column's default)."""
        hour = self.learner[PROFILE_AT + 1]
        return int(hour) if hour is not None else DEFAULT_DAY_START_HOUR


ORG = bindparam("org_id", type_=Integer)
USER = bindparam("user_id", type_=Integer)
NOW = bindparam("now", type_=UTCDateTime)


def _count(column: Any, *where: Any) -> Any:
    return select(func.count(column)).where(*where).scalar_subquery()


def _max(column: Any, *where: Any) -> Any:
    return select(func.max(column)).where(*where).scalar_subquery()


def _first(column: Any, *where: Any) -> Any:
    return select(column).where(*where).limit(1).scalar_subquery()


@cache
def _content_columns() -> tuple[Any, ...]:
    """Size, highest id and retirements of each content table of the organisation `ORG`."""
    return (
        _count(SkillRow.id, SkillRow.org_id == ORG),
        _max(SkillRow.id, SkillRow.org_id == ORG),
        _count(CourseRow.id, CourseRow.org_id == ORG),
        _max(CourseRow.id, CourseRow.org_id == ORG),
        _count(LessonRow.id, LessonRow.org_id == ORG),
        _max(LessonRow.id, LessonRow.org_id == ORG),
        _count(LessonRow.retired_at, LessonRow.org_id == ORG),
        _max(LessonRow.retired_at, LessonRow.org_id == ORG),
        _count(ItemRow.id, ItemRow.org_id == ORG),
        _max(ItemRow.id, ItemRow.org_id == ORG),
        _count(ItemRow.retired_at, ItemRow.org_id == ORG),
        _max(ItemRow.retired_at, ItemRow.org_id == ORG),
        _count(ItemRow.answer_changed_at, ItemRow.org_id == ORG),
        _max(ItemRow.answer_changed_at, ItemRow.org_id == ORG),
    )


@cache
def _learner_columns() -> tuple[Any, ...]:
    """The learner `USER`'s log, states, parameters, profile and organisation policy, as scalars."""
    review_of = (ReviewRow.org_id == ORG, ReviewRow.learner_id == USER)
    state_of = (ItemStateRow.org_id == ORG, ItemStateRow.learner_id == USER)
    profile_of = (LearnerProfileRow.org_id == ORG, LearnerProfileRow.user_id == USER)
    policy_of = (OrgLearningSettingsRow.org_id == ORG,)
    return (
        _count(ReviewRow.id, *review_of),
        _max(ReviewRow.id, *review_of),
        _max(LearnerParamsRow.id, LearnerParamsRow.org_id == ORG, LearnerParamsRow.user_id == USER),
        _count(ItemStateRow.id, *state_of),
        _count(ItemStateRow.id, *state_of, ItemStateRow.due <= NOW),
        # From PROFILE_AT on: the profile, time zone and day start first.
        _first(LearnerProfileRow.timezone, *profile_of),
        _first(LearnerProfileRow.day_start_hour, *profile_of),
        _first(LearnerProfileRow.daily_goal_minutes, *profile_of),
        _first(LearnerProfileRow.daily_goal_kind, *profile_of),
        _first(LearnerProfileRow.daily_goal_xp, *profile_of),
        _first(LearnerProfileRow.desired_retention, *profile_of),
        _first(LearnerProfileRow.reminder_time, *profile_of),
        _first(OrgLearningSettingsRow.default_retention, *policy_of),
        # The per-tag policy as stored text: a dict read back would not be hashable.
        _first(cast(OrgLearningSettingsRow.tag_retention, String), *policy_of),
        _first(OrgLearningSettingsRow.min_retention, *policy_of),
        _first(OrgLearningSettingsRow.max_retention, *policy_of),
        # Mastery reads the organisation's newest tracing parameters (services/org_tracing_params).
        _max(OrgTracingParamsRow.id, OrgTracingParamsRow.org_id == ORG),
    )


@cache
def _packs_query() -> Select[int, str, datetime]:
    return (
        select(PackRow.id, PackRow.version, PackRow.imported_at)
        .where(PackRow.org_id == ORG)
        .order_by(PackRow.id)
    )


@cache
def _goals_query() -> Select[str, str, int | None, datetime | None]:
    goal = LearnerGoalRow
    return (
        select(goal.kind, goal.target, goal.assigned_by, goal.due_on)
        .where(goal.org_id == ORG, goal.user_id == USER)
        .order_by(goal.id)
    )


@cache
def _content_query() -> Select[Any]:
    return select(*_content_columns())


@cache
def _learner_and_content_query() -> Select[Any]:
    return select(*_learner_columns(), *_content_columns())


def content_version(session: Session, org_id: int) -> ContentVersion:
    packs = session.execute(_packs_query(), {"org_id": org_id}).all()
    tables = session.execute(_content_query(), {"org_id": org_id}).one()
    return ContentVersion(tuple(tuple(row) for row in packs), tuple(tables))


def learner_watermark(session: Session, org_id: int, user_id: int, now: datetime) -> LearnerWatermark:
    """Three small queries in one transaction, each on indexed columns. The statements are built once:
    building a statement of thirty subqueries (and its cache key) costs more than running it."""
    values = {"org_id": org_id, "user_id": user_id, "now": now}
    learner_and_content = session.execute(_learner_and_content_query(), values).one()
    split = len(_learner_columns())
    learner = tuple(learner_and_content[:split])
    goals = session.execute(_goals_query(), values).all()
    packs = session.execute(_packs_query(), values).all()
    return LearnerWatermark(
        learner=learner,
        goals=tuple(tuple(goal) for goal in goals),
        content=ContentVersion(tuple(tuple(row) for row in packs), tuple(learner_and_content[split:])),
    )
