"""The daily goal: minutes studied or XP earned on the learner's current study day, and the ring's fraction.

The day is the study day of `skillbite.domain.study_day` (own time zone, configurable boundary), and each
activity counts on the study day of its own moment in its own zone, as streaks do: a session at 01:30 with
the day starting at 04:00 counts toward yesterday's goal, and the goal resets at the boundary, not at
midnight. Minutes are time spent studying as measured by the client; the Today page counts answering time,
capped per answer (reading time is not stored yet: docs/engagement.md, "What counts toward the goal").
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from typing import assert_never

from skillbite.domain.study_day import (
    DEFAULT_DAY_START,
    check_aware,
    check_day_start,
    learner_zone,
    study_day_in_zone,
)


class GoalKind(StrEnum):
    MINUTES = "minutes"
    XP = "xp"


GOAL_LIMITS: dict[GoalKind, tuple[int, int]] = {GoalKind.MINUTES: (1, 240), GoalKind.XP: (5, 2000)}
"""Allowed targets per kind: from a one-minute habit to four hours; from one answer's worth of XP up."""
DEFAULT_GOAL_TARGETS: dict[GoalKind, int] = {GoalKind.MINUTES: 5, GoalKind.XP: 50}


@dataclass(frozen=True)
class DailyGoal:
    kind: GoalKind
    target: int

    def __post_init__(self) -> None:
        low, high = GOAL_LIMITS[self.kind]
        if not low <= self.target <= high:
            raise ValueError(
                f"field daily goal target={self.target} {self.kind} is out of range; "
                f"choose between {low} and {high} {self.kind}"
            )


@dataclass(frozen=True)
class Activity:
    """Study that counts toward the goal: time spent (seconds) and XP earned at one moment."""

    at: datetime
    tz: str
    seconds: float = 0.0
    xp: int = 0

    def __post_init__(self) -> None:
        check_aware(self.at, "at")
        learner_zone(self.tz)
        if self.seconds < 0 or not math.isfinite(self.seconds) or self.xp < 0:
            raise ValueError(
                f"activity at {self.at.isoformat()}: fields seconds={self.seconds} and xp={self.xp} "
                "must be finite and not negative"
            )


@dataclass(frozen=True)
class GoalProgress:
    target: int
    done: float
    """Minutes (fractional) or XP so far today."""
    fraction: float
    """done / target clamped to [0, 1]: how much of the daily-goal ring to fill."""
    met: bool


def progress_toward(goal: DailyGoal, done: float) -> GoalProgress:
    """Progress for an amount already summed over today (minutes or XP, per the goal's kind)."""
    if done < 0 or not math.isfinite(done):
        raise ValueError(f"field done={done} must be a finite amount, not negative")
    return GoalProgress(
        target=goal.target,
        done=done,
        fraction=min(1.0, done / goal.target),
        met=done >= goal.target,
    )


def goal_progress(
    goal: DailyGoal,
    activities: Iterable[Activity],
    now: datetime,
    tz: str,
    day_start: time = DEFAULT_DAY_START,
) -> GoalProgress:
    """Progress on the learner's current study day (in zone `tz` at `now`); activities after `now` wait."""
    check_aware(now, "now")
    check_day_start(day_start)
    today = study_day_in_zone(now, learner_zone(tz), day_start)
    todays = [
        activity
        for activity in activities
        if activity.at <= now
        and study_day_in_zone(activity.at, learner_zone(activity.tz), day_start) == today
    ]
    match goal.kind:
        case GoalKind.MINUTES:
            done = sum(activity.seconds for activity in todays) / 60.0
        case GoalKind.XP:
            done = float(sum(activity.xp for activity in todays))
        case unreachable:
            assert_never(unreachable)
    return progress_toward(goal, done)
