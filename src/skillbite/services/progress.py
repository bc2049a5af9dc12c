"""A learner's progress in numbers: reviews per day (last 30 days), retention per week, and a 30-day forecast
of how many of their items they will still remember (the sum of FSRS retrievability over their memory states).

Days are the learner's local days (their time zone) so that a review at 23:30 counts on the day they lived.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from skillbite.domain.memory import MemoryState, Params, retrievability
from skillbite.services.clock import Clock
from skillbite.services.learner_context import learner_context
from skillbite.services.learner_view_cache import LearnerViewCache
from skillbite.services.memory_states import memory_state
from skillbite.services.principal import Principal
from skillbite.services.watermarks import LearnerWatermark
from skillbite.store.database import Database
from skillbite.store.repositories.learning import ItemStateRepository
from skillbite.store.tables.learning import ReviewRow

HISTORY_DAYS = 30
FORECAST_DAYS = 30


@dataclass(frozen=True)
class DayCount:
    day: date
    reviews: int


@dataclass(frozen=True)
class WeekRetention:
    week_start: date
    reviews: int
    recalled: int

    @property
    def share(self) -> float | None:
        return self.recalled / self.reviews if self.reviews else None


@dataclass(frozen=True)
class ForecastDay:
    days_ahead: int
    remembered: float
    """Expected number of items recalled: the sum of each item's recall probability."""


@dataclass(frozen=True)
class ProgressView:
    timezone: str
    items: int
    reviews_per_day: tuple[DayCount, ...]
    retention_per_week: tuple[WeekRetention, ...]
    forecast: tuple[ForecastDay, ...]


def reviews_per_day(
    times: Iterable[datetime], today: date, tz: ZoneInfo, days: int = HISTORY_DAYS
) -> list[DayCount]:
    """Reviews counted per local day for the `days` days ending with `today`, zero days included."""
    counts = Counter(t.astimezone(tz).date() for t in times)
    first = today - timedelta(days=days - 1)
    return [
        DayCount(first + timedelta(days=n), counts.get(first + timedelta(days=n), 0)) for n in range(days)
    ]


def retention_per_week(
    answers: Iterable[tuple[datetime, bool]], today: date, tz: ZoneInfo, days: int = HISTORY_DAYS
) -> list[WeekRetention]:
    """Share of reviews recalled per ISO week (weeks starting Monday) over the last `days` days."""
    first = today - timedelta(days=days - 1)
    first_week = first - timedelta(days=first.weekday())
    weeks: dict[date, list[int]] = {}
    week = first_week
    while week <= today:
        weeks[week] = [0, 0]
        week += timedelta(days=7)
    for at, correct in answers:
        local = at.astimezone(tz).date()
        if not first <= local <= today:
            continue
        tally = weeks[local - timedelta(days=local.weekday())]
        tally[0] += 1
        tally[1] += correct
    return [WeekRetention(start, total, recalled) for start, (total, recalled) in weeks.items()]


def recall_forecast(
    states: Sequence[MemoryState], now: datetime, params: Params, days: int = FORECAST_DAYS
) -> list[ForecastDay]:
    """Expected items remembered 0..`days` days ahead, if the learner stopped reviewing today."""
    return [
        ForecastDay(n, sum(retrievability(s, now + timedelta(days=n), params) for s in states))
        for n in range(days + 1)
    ]


def local_date(mark: LearnerWatermark, now: datetime) -> date:
    """The learner's calendar date at `now`: the charts' days end with it."""
    return now.astimezone(ZoneInfo(mark.timezone)).date()


class ProgressService:
    def __init__(self, db: Database, clock: Clock, views: LearnerViewCache | None = None) -> None:
        self.db = db
        self.clock = clock
        self.views = views

    def of_learner(self, principal: Principal) -> ProgressView:
        """Kept between views while the learner's watermark stays (services/learner_view_cache)."""
        if self.views is None:
            return self._of_learner(principal)
        return self.views.view(
            "progress", principal, lambda _mark: self._of_learner(principal), day=local_date
        )

    def _of_learner(self, principal: Principal) -> ProgressView:
        now = self.clock()
        with self.db.transaction() as session:
            context = learner_context(session, principal.org_id, principal.user_id)
            since = now - timedelta(days=HISTORY_DAYS + 1)
            # Two columns of the recent log only: whole rows would parse every stored answer.
            reviews: list[tuple[datetime, bool]] = [
                (at, correct)
                for at, correct in session.execute(
                    select(ReviewRow.reviewed_at, ReviewRow.correct).where(
                        ReviewRow.org_id == principal.org_id,
                        ReviewRow.learner_id == principal.user_id,
                        ReviewRow.reviewed_at >= since,
                    )
                )
            ]
            rows = ItemStateRepository(session, principal.org_id).of_learner(principal.user_id)
            states = [s for s in (memory_state(r) for r in rows) if s is not None]
        tz = ZoneInfo(context.timezone)
        today = now.astimezone(tz).date()
        return ProgressView(
            timezone=context.timezone,
            items=len(states),
            reviews_per_day=tuple(reviews_per_day((t for t, _ in reviews), today, tz)),
            retention_per_week=tuple(retention_per_week(reviews, today, tz)),
            forecast=tuple(recall_forecast(states, now, context.params)),
        )
