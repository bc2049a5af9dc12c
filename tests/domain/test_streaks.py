"""Streak rules in one zone: counting days, the boundary, breaking, freezes earned and spent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillbite.domain.streaks import FreezeRules, StreakState, StudyEvent, compute_streak
from skillbite.domain.study_day import InvalidStudyTimeError

TZ = "Europe/Berlin"
FIRST = date(2026, 1, 5)  # a Monday in winter: Berlin is UTC+1 throughout these tests


def at(day: date, hour: int = 18, minute: int = 0) -> datetime:
    """Local Berlin wall time (UTC+1 in January) as a UTC instant."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=1)


def studied_on(days: Iterable[int], hour: int = 18) -> list[StudyEvent]:
    return [StudyEvent(at(FIRST + timedelta(days=n), hour), TZ) for n in days]


def streak(
    events: list[StudyEvent], today: int, hour: int = 12, freezes: FreezeRules = FreezeRules()
) -> StreakState:
    return compute_streak(events, now=at(FIRST + timedelta(days=today), hour), tz=TZ, freezes=freezes)


def test_no_study_no_streak() -> None:
    state = streak([], today=0)
    assert state == StreakState(0, 0, None, (), 0, False, FIRST)


def test_consecutive_days_count_once_each() -> None:
    events = studied_on(range(5)) + studied_on(range(5), hour=20)  # twice a day
    state = streak(events, today=4, hour=21)
    assert (state.current, state.longest, state.studied_today) == (5, 5, True)
    assert state.last_day == FIRST + timedelta(4)


def test_today_not_yet_studied_does_not_break_the_streak() -> None:
    state = streak(studied_on(range(5)), today=5, hour=23)
    assert (state.current, state.studied_today, state.frozen_days) == (5, False, ())


def test_a_missed_day_without_freezes_breaks_the_streak() -> None:
    state = streak(studied_on([0, 1, 2, 4, 5]), today=5, hour=21)
    assert (state.current, state.longest) == (2, 3)
    assert streak(studied_on(range(3)), today=4).current == 0


def test_late_night_study_before_the_boundary_keeps_yesterday_alive() -> None:
    # Day 3 is studied at 01:30 on day 4's date: before 04:00, so it counts for day 3.
    events = [*studied_on(range(3)), StudyEvent(at(FIRST + timedelta(days=4), 1, 30), TZ)]
    state = streak(events, today=4)
    assert (state.current, state.frozen_days, state.studied_today) == (4, (), False)
    midnight = compute_streak(events, now=at(FIRST + timedelta(days=4), 12), tz=TZ, day_start=time(0))
    assert (midnight.current, midnight.studied_today) == (1, True)  # with a midnight boundary day 3 is missed


def test_every_seventh_day_earns_a_freeze_and_a_missed_day_spends_it() -> None:
    seven = streak(studied_on(range(7)), today=6, hour=21)
    assert seven.freezes_left == 1
    # Day 7 missed, day 8 studied: the freeze covers day 7; the frozen day does not add to the count.
    bridged = streak(studied_on([*range(7), 8]), today=8, hour=21)
    assert (bridged.current, bridged.frozen_days, bridged.freezes_left) == (8, (FIRST + timedelta(7),), 0)


def test_freezes_are_capped_and_bridge_that_many_days_in_a_row() -> None:
    rules = FreezeRules(earn_every_days=7, max_held=2)
    events = studied_on(range(28))  # earns at days 7, 14, 21, 28: capped at 2
    assert streak(events, today=27, hour=21, freezes=rules).freezes_left == 2
    two_missed = streak([*events, *studied_on([30])], today=30, hour=21, freezes=rules)
    assert (two_missed.current, two_missed.freezes_left) == (29, 0)
    assert two_missed.frozen_days == (FIRST + timedelta(28), FIRST + timedelta(29))
    three_missed = streak([*events, *studied_on([31])], today=31, hour=21, freezes=rules)
    assert (three_missed.current, three_missed.longest, three_missed.frozen_days) == (1, 28, ())


def test_freezes_granted_up_front_protect_a_new_learner() -> None:
    state = streak(studied_on([0, 2]), today=2, hour=21, freezes=FreezeRules(initial=1))
    assert (state.current, state.frozen_days, state.freezes_left) == (2, (FIRST + timedelta(1),), 0)


def test_events_after_now_are_ignored() -> None:
    state = streak(studied_on(range(6)), today=2, hour=12)
    assert (state.current, state.last_day, state.studied_today) == (2, FIRST + timedelta(1), False)


def test_an_event_needs_an_aware_instant_and_a_real_zone() -> None:
    with pytest.raises(InvalidStudyTimeError, match="field at="):
        StudyEvent(datetime(2026, 1, 5, 9), TZ)
    with pytest.raises(InvalidStudyTimeError, match="field tz='Berlin'"):
        StudyEvent(at(FIRST), "Berlin")
    with pytest.raises(ValueError, match="earn_every_days=0"):
        FreezeRules(earn_every_days=0)


@settings(max_examples=150, deadline=None)
@given(studied=st.sets(st.integers(min_value=0, max_value=40), min_size=1))
def test_the_fold_matches_a_plain_day_by_day_count(studied: set[int]) -> None:
    """Same zone, no DST: the streak is the classic count with freezes, computed here the naive way."""
    today = max(studied) + 1
    state = streak(studied_on(sorted(studied)), today=today)
    run = held = longest = 0
    for day in range(min(studied), today):
        if day in studied:
            run += 1
            held = min(2, held + 1) if run % 7 == 0 else held
            longest = max(longest, run)
        elif held:
            held -= 1
        else:
            run = 0
    assert (state.current, state.longest, state.freezes_left) == (run, longest, held)
    assert len(set(state.frozen_days) & {FIRST + timedelta(days=d) for d in studied}) == 0
