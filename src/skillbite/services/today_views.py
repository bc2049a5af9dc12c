"""What the Today page shows, kept between views (services/learner_view_cache): the streak, XP and goal
numbers (services/today_stats, wrapped as it is) and a summary of today's session plan (services/sessions).

Both fold the learner's whole review log, and the plan reads every lesson the learner might start next, so
computing them on every visit of Today made it the slowest page. Their keys hold everything they read:
- the numbers depend on the log, the parameter sets, the settings (time zone, day start, goal) and the
  content (items' changed answers, lessons' skills, the skill graph), and on the time only through the local
  study day, which is part of the key;
- the plan also depends on the goals, the organisation's retention policy and which states are due now
  (their count is in the watermark, so an item falling due gives a fresh plan at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from skillbite.domain.study_day import local_study_day
from skillbite.services.learner_settings import LearnerSettingsService
from skillbite.services.learner_view_cache import LearnerViewCache
from skillbite.services.principal import Principal
from skillbite.services.sessions import SessionService
from skillbite.services.today_stats import TodayStats, TodayStatsService
from skillbite.services.watermarks import LearnerWatermark

PLANNED_MINUTES = 5
"""The session Today previews (how many reviews are due, whether something new fits)."""


@dataclass(frozen=True)
class TodayPlanSummary:
    due_count: int
    has_new: bool


@dataclass(frozen=True)
class TodayView:
    stats: TodayStats
    plan: TodayPlanSummary


class TodayViews:
    def __init__(
        self,
        views: LearnerViewCache,
        stats: TodayStatsService,
        sessions: SessionService,
        learner_settings: LearnerSettingsService,
    ) -> None:
        self.views = views
        self.stats_service = stats
        self.sessions = sessions
        self.learner_settings = learner_settings

    def of(self, principal: Principal, minutes: int = PLANNED_MINUTES) -> TodayView:
        """`TodayStatsService.of(principal)` and a summary of `SessionService.today(principal, minutes)` (how
        many reviews are due, whether a new bite fits), kept while the learner's watermark and minute stay.
        One entry for both: they are shown together and one watermark read serves both."""

        def compute() -> TodayView:
            stats = self.stats_service.of(principal)
            plan = self.sessions.today(principal, minutes)
            return TodayView(stats, TodayPlanSummary(due_count=plan.due_count, has_new=bool(plan.bites)))

        # Reading the settings creates the learner's profile on their first visit: done before computing.
        return self.views.view(
            ("today", minutes),
            principal,
            lambda _mark: compute(),
            prepare=lambda mark: self._make_profile(principal, mark),
            day=study_day,
        )

    def _make_profile(self, principal: Principal, mark: LearnerWatermark) -> bool:
        if mark.has_profile:
            return False
        self.learner_settings.get(principal)  # creates it with the defaults
        return True


def study_day(mark: LearnerWatermark, now: datetime) -> date:
    """The learner's study day at `now`: the streak, XP today and the goal ring change when it does."""
    return local_study_day(now, mark.timezone, time(mark.day_start_hour))
