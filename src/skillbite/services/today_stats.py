"""The numbers on the learner's Today page: streak, XP and the daily goal, folded from the review log.

Everything is recomputed from the append-only review log with the pure rules of domain/streaks, domain/xp and
domain/daily_goal, in the learner's own time zone and day boundary (their settings).

Known simplifications, until the engine stores them with each review:
- recall XP uses no prediction (`p_recall_before=None`), so every first right answer of an item on a study
  day earns the base XP; mastery milestones are not counted yet;
- minutes toward the goal are answering time (`response_ms`), not reading time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from uuid import UUID

from skillbite.domain.daily_goal import Activity, DailyGoal, GoalKind, goal_progress
from skillbite.domain.ids import ItemId
from skillbite.domain.streaks import StudyEvent, compute_streak
from skillbite.domain.study_day import local_study_day
from skillbite.domain.xp import ReviewOutcome, review_awards, total_xp, xp_by_day
from skillbite.services.clock import Clock
from skillbite.services.learner_settings import LearnerSettingsService
from skillbite.services.principal import Principal
from skillbite.store.database import Database
from skillbite.store.repositories.learning import ReviewRepository

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
    done_minutes: float
    goal_fraction: float
    goal_met: bool
    answers: int


class TodayStatsService:
    def __init__(self, db: Database, clock: Clock, learner_settings: LearnerSettingsService) -> None:
        self.db = db
        self.clock = clock
        self.learner_settings = learner_settings

    def of(self, principal: Principal) -> TodayStats:
        settings = self.learner_settings.get(principal)
        tz, day_start = settings.timezone, time(settings.day_start_hour)
        now = self.clock()
        with self.db.transaction() as session:
            reviews = ReviewRepository(session, principal.org_id).of_learner(principal.user_id)
            log = [(r.uuid, r.item_id, r.reviewed_at, r.tz, r.correct, r.response_ms) for r in reviews]
        log.sort(key=lambda entry: entry[2])
        streak = compute_streak([StudyEvent(at, zone) for _, _, at, zone, _, _ in log], now, tz, day_start)
        awards = review_awards(
            ReviewOutcome(
                review=UUID(uuid),
                item=ItemId(str(item_id)),
                study_day=local_study_day(at, zone, day_start),
                recalled=correct,
                p_recall_before=None,
            )
            for uuid, item_id, at, zone, correct, _ in log
        )
        goal = DailyGoal(GoalKind.MINUTES, settings.daily_goal_minutes)
        progress = goal_progress(
            goal,
            [
                Activity(at, zone, seconds=min(ms, MAX_COUNTED_ANSWER_MS) / 1000.0)
                for _, _, at, zone, _, ms in log
            ],
            now,
            tz,
            day_start,
        )
        return TodayStats(
            streak=streak.current,
            longest_streak=streak.longest,
            studied_today=streak.studied_today,
            freezes_left=streak.freezes_left,
            xp_total=total_xp(awards),
            xp_today=xp_by_day(awards).get(local_study_day(now, tz, day_start), 0),
            goal_minutes=goal.target,
            done_minutes=round(progress.done, 1),
            goal_fraction=progress.fraction,
            goal_met=progress.met,
            answers=len(log),
        )
