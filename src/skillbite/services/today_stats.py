"""The numbers on the learner's Today page: streak, XP and the daily goal, folded from the review log.

Everything is recomputed from the append-only review log with the pure rules of domain/streaks, domain/xp and
domain/daily_goal, in the learner's own time zone and day boundary (their settings). XP follows the full
rules (services/xp_ledger): recall XP weighs each right answer by the recall the memory model predicted just
before it, and mastery milestones are paid when a skill's mastery, judged at the end of each study day on
which it was practised, first reaches them. Opening pages earns nothing: only reviews enter the fold.

Known simplifications (docs/engagement.md, "What counts toward the goal"):
- minutes toward the goal are answering time only (`response_ms`, capped per answer): the time spent
  reading a lesson is not stored anywhere (that needs a table of reading sessions);
- mastery milestones are judged per study day, not per answer (domain/mastery_milestones).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import assert_never

from skillbite.domain.daily_goal import (
    Activity,
    DailyGoal,
    GoalKind,
    GoalProgress,
    goal_progress,
    progress_toward,
)
from skillbite.domain.reviews import Review
from skillbite.domain.streaks import StudyEvent, compute_streak
from skillbite.domain.study_day import local_study_day
from skillbite.domain.xp import XpAward, XpSource, total_xp, xp_by_day
from skillbite.services.clock import Clock
from skillbite.services.learner_settings import LearnerSettingsService, LearnerSettingsView
from skillbite.services.principal import Principal
from skillbite.services.xp_ledger import learner_log, learner_xp_awards
from skillbite.store.database import Database

MAX_COUNTED_ANSWER_MS = 5 * 60_000
"""An answer left open longer than this counts five minutes toward the goal: the tab was forgotten."""


@dataclass(frozen=True)
class TodayStats:
    streak: int
    longest_streak: int
    studied_today: bool
    freezes_left: int
    xp_total: int
    xp_today: int
    goal_minutes: int
    """The goal in minutes: the goal's target for a minutes goal, else the learner's minutes setting."""
    done_minutes: float
    """Minutes counted toward the goal today (answering time, capped per answer), rounded to 0.1."""
    goal_fraction: float
    """How much of the ring to fill, for the goal's own kind."""
    goal_met: bool
    answers: int
    goal_kind: GoalKind = GoalKind.MINUTES
    goal_target: int = 0
    """The target in the goal's unit (minutes or XP)."""
    goal_done: float = 0.0
    """Progress today in the goal's unit: minutes (rounded to 0.1) or XP."""
    xp_mastery_today: int = 0
    """The part of `xp_today` paid for mastery milestones."""


def daily_goal_of(settings: LearnerSettingsView) -> DailyGoal:
    """The learner's daily goal: minutes of answering, or XP earned, as their settings say."""
    if settings.daily_goal_kind == GoalKind.XP:
        return DailyGoal(GoalKind.XP, settings.daily_goal_xp)
    return DailyGoal(GoalKind.MINUTES, settings.daily_goal_minutes)


def counted_seconds(response_ms: int) -> float:
    return min(max(response_ms, 0), MAX_COUNTED_ANSWER_MS) / 1000.0


def todays_goal(
    goal: DailyGoal,
    reviews: Iterable[Review],
    awards: Sequence[XpAward],
    now: datetime,
    tz: str,
    day_start: time,
) -> GoalProgress:
    """Progress toward `goal` today: answering minutes, or the XP earned on today's study day."""
    match goal.kind:
        case GoalKind.MINUTES:
            activities = [
                Activity(r.reviewed_at, r.tz, seconds=counted_seconds(r.response_ms)) for r in reviews
            ]
            return goal_progress(goal, activities, now, tz, day_start)
        case GoalKind.XP:
            return progress_toward(goal, float(xp_by_day(awards).get(local_study_day(now, tz, day_start), 0)))
        case unreachable:
            assert_never(unreachable)


class TodayStatsService:
    def __init__(self, db: Database, clock: Clock, learner_settings: LearnerSettingsService) -> None:
        self.db = db
        self.clock = clock
        self.learner_settings = learner_settings

    def of(self, principal: Principal) -> TodayStats:
        settings = self.learner_settings.get(principal)
        return self.for_goal(principal, settings, daily_goal_of(settings))

    def for_goal(self, principal: Principal, settings: LearnerSettingsView, goal: DailyGoal) -> TodayStats:
        """The Today numbers for an explicit goal (`of` reads it from the settings)."""
        tz, day_start = settings.timezone, time(settings.day_start_hour)
        now = self.clock()
        with self.db.transaction() as session:
            reviews = learner_log(session, principal.org_id, principal.user_id)
            awards = learner_xp_awards(session, principal.org_id, principal.user_id, reviews, day_start)
        streak = compute_streak([StudyEvent(r.reviewed_at, r.tz) for r in reviews], now, tz, day_start)
        today = local_study_day(now, tz, day_start)
        minutes_goal = (
            goal
            if goal.kind is GoalKind.MINUTES
            else DailyGoal(GoalKind.MINUTES, settings.daily_goal_minutes)
        )
        minutes = todays_goal(minutes_goal, reviews, awards, now, tz, day_start)
        progress = minutes if goal is minutes_goal else todays_goal(goal, reviews, awards, now, tz, day_start)
        return TodayStats(
            streak=streak.current,
            longest_streak=streak.longest,
            studied_today=streak.studied_today,
            freezes_left=streak.freezes_left,
            xp_total=total_xp(awards),
            xp_today=xp_by_day(awards).get(today, 0),
            goal_minutes=minutes_goal.target,
            done_minutes=round(minutes.done, 1),
            goal_fraction=progress.fraction,
            goal_met=progress.met,
            answers=len(reviews),
            goal_kind=goal.kind,
            goal_target=goal.target,
            goal_done=round(progress.done, 1),
            xp_mastery_today=sum(
                a.xp for a in awards if a.source is XpSource.MASTERY and a.study_day == today
            ),
        )
