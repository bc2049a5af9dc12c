"""The daily goal on Today: answering minutes capped per answer on today's study day, or XP for an XP goal."""

from __future__ import annotations

from datetime import timedelta

from skillbite.domain.daily_goal import DailyGoal, GoalKind
from skillbite.services.today_stats import MAX_COUNTED_ANSWER_MS
from skillbite.wiring import System
from tests.conftest import FakeClock
from tests.services.learning_helpers import import_demo, items_of, new_member, submission


def test_minutes_are_todays_answering_time_with_each_answer_capped(system: System, clock: FakeClock) -> None:
    ada = new_member(system)
    import_demo(system, ada)
    items = items_of(system, ada)
    yesterday = clock.now - timedelta(days=1)
    system.reviews.submit(ada, [submission(items[0], yesterday, response_ms=600_000)])
    system.reviews.submit(
        ada,
        [
            submission(items[1], clock.now, response_ms=30_000),
            submission(items[2], clock.now, response_ms=90_000),
            submission(items[3], clock.now, response_ms=3_600_000),  # a tab left open for an hour
        ],
    )
    stats = system.today_stats.of(ada)
    expected = (30_000 + 90_000 + MAX_COUNTED_ANSWER_MS) / 60_000
    assert stats.done_minutes == round(expected, 1) == stats.goal_done
    assert (stats.goal_kind, stats.goal_target, stats.goal_minutes) == (GoalKind.MINUTES, 5, 5)
    assert stats.goal_met and stats.goal_fraction == 1.0


def test_an_xp_goal_counts_todays_xp(system: System, clock: FakeClock) -> None:
    ada = new_member(system)
    import_demo(system, ada)
    items = items_of(system, ada)
    system.reviews.submit(ada, [submission(items[0], clock.now - timedelta(days=1))])
    system.reviews.submit(ada, [submission(item, clock.now, response_ms=1_000) for item in items[1:3]])
    settings = system.learner_settings.get(ada)
    stats = system.today_stats.for_goal(ada, settings, DailyGoal(GoalKind.XP, 500))
    assert 0 < stats.xp_today < stats.xp_total
    assert (stats.goal_kind, stats.goal_target, stats.goal_done) == (GoalKind.XP, 500, stats.xp_today)
    assert stats.goal_fraction == stats.xp_today / 500 and not stats.goal_met
    assert stats.done_minutes == 0.0  # minutes are still reported: two answers of one second
    small = system.today_stats.for_goal(ada, settings, DailyGoal(GoalKind.XP, 5))
    assert small.goal_met and small.goal_fraction == 1.0
