"""The daily goal: today's minutes or XP in the learner's study day, and a ring fraction within [0, 1]."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillbite.domain.daily_goal import (
    Activity,
    DailyGoal,
    GoalKind,
    GoalProgress,
    goal_progress,
    progress_toward,
)

PARIS = "Europe/Paris"  # UTC+1 in January
NOW = datetime(2026, 1, 13, 18, 0, tzinfo=UTC)  # Tuesday 19:00 in Paris


def test_minutes_count_only_todays_study_day() -> None:
    activities = [
        Activity(datetime(2026, 1, 13, 0, 30, tzinfo=UTC), PARIS, seconds=600),  # 01:30: still Monday
        Activity(datetime(2026, 1, 13, 7, 0, tzinfo=UTC), PARIS, seconds=120),
        Activity(datetime(2026, 1, 13, 17, 0, tzinfo=UTC), PARIS, seconds=60),
        Activity(datetime(2026, 1, 13, 19, 0, tzinfo=UTC), PARIS, seconds=900),  # after now: not yet
    ]
    progress = goal_progress(DailyGoal(GoalKind.MINUTES, 5), activities, NOW, PARIS)
    assert progress == GoalProgress(target=5, done=3.0, fraction=0.6, met=False)
    with_midnight = goal_progress(DailyGoal(GoalKind.MINUTES, 5), activities, NOW, PARIS, day_start=time(0))
    assert (with_midnight.done, with_midnight.met) == (13.0, True)


def test_xp_goal_is_met_at_the_target_and_the_ring_stays_full_beyond() -> None:
    activities = [Activity(datetime(2026, 1, 13, 9, 0, tzinfo=UTC), PARIS, xp=30)] * 2
    assert goal_progress(DailyGoal(GoalKind.XP, 60), activities, NOW, PARIS).met
    over = goal_progress(DailyGoal(GoalKind.XP, 50), activities, NOW, PARIS)
    assert (over.done, over.fraction, over.met) == (60.0, 1.0, True)


def test_each_activity_counts_in_the_zone_it_happened_in() -> None:
    # 23:30 UTC Monday was already Tuesday 08:30 in Tokyo, where the learner was: it counts for Tuesday.
    tokyo = Activity(datetime(2026, 1, 12, 23, 30, tzinfo=UTC), "Asia/Tokyo", seconds=300)
    progress = goal_progress(DailyGoal(GoalKind.MINUTES, 10), [tokyo], NOW, PARIS)
    assert progress.done == 5.0


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.integers(min_value=1, max_value=240))
def test_the_ring_fraction_is_always_within_zero_and_one(done: float, target: int) -> None:
    progress = progress_toward(DailyGoal(GoalKind.MINUTES, target), done)
    assert 0.0 <= progress.fraction <= 1.0
    assert progress.met == (progress.fraction == 1.0 and done >= target)


@pytest.mark.parametrize(
    ("kind", "target"), [(GoalKind.MINUTES, 0), (GoalKind.MINUTES, 241), (GoalKind.XP, 1)]
)
def test_a_target_out_of_range_says_the_allowed_range(kind: GoalKind, target: int) -> None:
    with pytest.raises(ValueError, match="choose between"):
        DailyGoal(kind, target)


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(ValueError, match="seconds=-1"):
        Activity(NOW, PARIS, seconds=-1)
    with pytest.raises(ValueError, match="done=-2"):
        progress_toward(DailyGoal(GoalKind.XP, 50), -2)
