"""A learner's own settings and the organisation's retention policy.

The learner sets their time zone, desired retention (within the bounds their organisation allows), daily goal,
reminder time and the hour their study day starts. An admin sets the organisation's default retention, the
per-tag overrides (e.g. `safety`: 0.95) and the bounds learners may choose within. Precedence of the values:
domain/retention_policy.py. A change that moves due dates refolds the affected states from the log at once,
so stored states always equal what `skillbite recompute` would give.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import available_timezones

from sqlalchemy.orm import Session

from skillbite.domain.daily_goal import GOAL_LIMITS, GoalKind
from skillbite.domain.retention_policy import MAX_RETENTION, MIN_RETENTION
from skillbite.services.errors import InvalidInput
from skillbite.services.principal import Principal
from skillbite.services.recompute import recompute_learner
from skillbite.store.database import Database
from skillbite.store.repositories.learning import (
    LearnerProfileRepository,
    OrgLearningSettingsRepository,
    ReviewRepository,
)
from skillbite.store.tables.learning import LearnerProfileRow, OrgLearningSettingsRow

MAX_DAILY_GOAL_MINUTES = GOAL_LIMITS[GoalKind.MINUTES][1]
GOAL_KINDS = tuple(kind.value for kind in GoalKind)
MAX_TAG_LENGTH = 100
_REMINDER = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_UNSET: object = object()


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_timezone(value: str) -> str:
    if value not in _zones():
        raise InvalidInput(
            f"timezone {value!r} is not an IANA time zone; use e.g. 'Europe/Paris' or 'UTC'",
            field="timezone",
        )
    return value


@dataclass(frozen=True)
class RetentionBounds:
    min_retention: float
    max_retention: float


@dataclass(frozen=True)
class LearnerSettingsView:
    timezone: str
    desired_retention: float | None
    """None: the organisation's default applies (or 0.9)."""
    daily_goal_minutes: int
    reminder_time: str | None
    day_start_hour: int
    bounds: RetentionBounds
    daily_goal_kind: str = "minutes"
    """What the daily goal counts: `minutes` (daily_goal_minutes) or `xp` (daily_goal_xp)."""
    daily_goal_xp: int = 50


@dataclass(frozen=True)
class LearnerSettingsChange:
    """Fields to change; `_UNSET` leaves a field as it is (None clears the optional ones)."""

    timezone: object = _UNSET
    desired_retention: object = _UNSET
    daily_goal_minutes: object = _UNSET
    reminder_time: object = _UNSET
    day_start_hour: object = _UNSET
    daily_goal_kind: object = _UNSET
    daily_goal_xp: object = _UNSET


@dataclass(frozen=True)
class OrgLearningView:
    default_retention: float | None
    tag_retention: dict[str, float]
    min_retention: float
    max_retention: float


def _bounds(row: OrgLearningSettingsRow | None) -> RetentionBounds:
    if row is None:
        return RetentionBounds(MIN_RETENTION, MAX_RETENTION)
    return RetentionBounds(row.min_retention, row.max_retention)


def _retention(value: object, field: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{field} must be a number such as 0.9, not {value!r}", field=field)
    if not low <= float(value) <= high:
        raise InvalidInput(f"{field} {value} is outside the allowed range [{low}, {high}]", field=field)
    return float(value)


def _integer(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"{field} must be a whole number from {low} to {high}, not {value!r}", field=field)
    return value


def _view(profile: LearnerProfileRow, org: OrgLearningSettingsRow | None) -> LearnerSettingsView:
    return LearnerSettingsView(
        timezone=profile.timezone,
        desired_retention=profile.desired_retention,
        daily_goal_minutes=profile.daily_goal_minutes,
        reminder_time=profile.reminder_time,
        day_start_hour=profile.day_start_hour,
        bounds=_bounds(org),
        daily_goal_kind=profile.daily_goal_kind,
        daily_goal_xp=profile.daily_goal_xp,
    )


def _org_view(row: OrgLearningSettingsRow | None) -> OrgLearningView:
    if row is None:
        return OrgLearningView(None, {}, MIN_RETENTION, MAX_RETENTION)
    return OrgLearningView(
        row.default_retention, dict(row.tag_retention), row.min_retention, row.max_retention
    )


class LearnerSettingsService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- the learner's own settings ------------------------------------------------------------------------
    def get(self, principal: Principal) -> LearnerSettingsView:
        with self.db.transaction() as session:
            profile = LearnerProfileRepository(session, principal.org_id).get_or_create(principal.user_id)
            return _view(profile, OrgLearningSettingsRepository(session, principal.org_id).current())

    def update(self, principal: Principal, change: LearnerSettingsChange) -> LearnerSettingsView:
        with self.db.transaction() as session:
            org = OrgLearningSettingsRepository(session, principal.org_id).current()
            bounds = _bounds(org)
            profile = LearnerProfileRepository(session, principal.org_id).get_or_create(principal.user_id)
            retention_before = profile.desired_retention
            if change.timezone is not _UNSET:
                if not isinstance(change.timezone, str):
                    raise InvalidInput("timezone must be a string such as 'Europe/Paris'", field="timezone")
                profile.timezone = check_timezone(change.timezone)
            if change.desired_retention is not _UNSET:
                profile.desired_retention = (
                    None
                    if change.desired_retention is None
                    else _retention(
                        change.desired_retention,
                        "desired_retention",
                        bounds.min_retention,
                        bounds.max_retention,
                    )
                )
            if change.daily_goal_minutes is not _UNSET:
                profile.daily_goal_minutes = _integer(
                    change.daily_goal_minutes, "daily_goal_minutes", 1, MAX_DAILY_GOAL_MINUTES
                )
            if change.daily_goal_kind is not _UNSET:
                if change.daily_goal_kind not in GOAL_KINDS:
                    raise InvalidInput(
                        f"daily_goal_kind {change.daily_goal_kind!r} must be one of {', '.join(GOAL_KINDS)}",
                        field="daily_goal_kind",
                    )
                profile.daily_goal_kind = str(change.daily_goal_kind)
            if change.daily_goal_xp is not _UNSET:
                low, high = GOAL_LIMITS[GoalKind.XP]
                profile.daily_goal_xp = _integer(change.daily_goal_xp, "daily_goal_xp", low, high)
            if change.reminder_time is not _UNSET:
                if change.reminder_time is not None and (
                    not isinstance(change.reminder_time, str) or not _REMINDER.fullmatch(change.reminder_time)
                ):
                    raise InvalidInput(
                        f"reminder_time {change.reminder_time!r} must be HH:MM (24-hour), e.g. 08:30",
                        field="reminder_time",
                    )
                profile.reminder_time = change.reminder_time
            if change.day_start_hour is not _UNSET:
                profile.day_start_hour = _integer(change.day_start_hour, "day_start_hour", 0, 23)
            session.flush()
            if profile.desired_retention != retention_before:
                # Due dates depend on the retention: refold the learner's states with the new one.
                recompute_learner(session, principal.org_id, principal.user_id)
            return _view(profile, org)

    # -- the organisation's policy ---------------------------------------------------------------------------
    def org_policy(self, principal: Principal) -> OrgLearningView:
        principal.require_admin()
        with self.db.transaction() as session:
            return _org_view(OrgLearningSettingsRepository(session, principal.org_id).current())

    def update_org_policy(
        self,
        principal: Principal,
        *,
        default_retention: float | None,
        tag_retention: Mapping[str, float],
        min_retention: float = MIN_RETENTION,
        max_retention: float = MAX_RETENTION,
    ) -> OrgLearningView:
        """Replace the policy. Learners' own settings outside the new bounds move to the nearest bound."""
        principal.require_admin()
        low = _retention(min_retention, "min_retention", MIN_RETENTION, MAX_RETENTION)
        high = _retention(max_retention, "max_retention", MIN_RETENTION, MAX_RETENTION)
        if low > high:
            raise InvalidInput(f"min_retention {low} is above max_retention {high}", field="min_retention")
        default = (
            None
            if default_retention is None
            else _retention(default_retention, "default_retention", low, high)
        )
        tags: dict[str, float] = {}
        for tag, value in tag_retention.items():
            name = tag.strip() if isinstance(tag, str) else ""
            if not name or len(name) > MAX_TAG_LENGTH:
                raise InvalidInput(
                    f"tag {tag!r} must be 1 to {MAX_TAG_LENGTH} characters", field="tag_retention"
                )
            # An override protects content the organisation cares about: it may lie outside the learners'
            # bounds, but never outside what the memory model allows.
            tags[name] = _retention(value, f"tag_retention[{name}]", MIN_RETENTION, MAX_RETENTION)
        with self.db.transaction() as session:
            row = OrgLearningSettingsRepository(session, principal.org_id).get_or_create()
            row.default_retention, row.tag_retention = default, tags
            row.min_retention, row.max_retention = low, high
            for profile in LearnerProfileRepository(session, principal.org_id).all():
                if profile.desired_retention is not None:
                    profile.desired_retention = min(max(profile.desired_retention, low), high)
            session.flush()
            _refold_organisation(session, principal.org_id)
            return _org_view(row)


def _refold_organisation(session: Session, org_id: int) -> None:
    """Every learner's due dates depend on the policy: refold them all in this transaction."""
    for learner_id in ReviewRepository(session, org_id).learners():
        recompute_learner(session, org_id, learner_id)
