"""Every IANA zone, every UTC-offset change from 2020 to 2030: a learner who studies on every local day keeps
the streak, and every study moment lands on the day it was studied on, once.

The expected days come from an oracle written independently of `skillbite.domain.study_day`: the zone's
wall clock as a piecewise-linear function of UTC (offsets between transitions found by scanning
`utcoffset`), and the definition "study day d begins at the first instant the wall clock reads d + day_start
or later". Hypothesis picks the study moments within each day (its first and last second are favoured) and
the day boundary (midnight, 04:00, the transition's own wall time and the middle of its gap or repeated hour).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillbite.domain.streaks import StudyEvent, compute_streak
from skillbite.domain.study_day import day_begins_at, local_study_day

ALL_ZONES = sorted(available_timezones())
SCAN_FROM = datetime(2019, 12, 1, tzinfo=UTC)
SCAN_TO = datetime(2031, 2, 1, tzinfo=UTC)
FIRST_YEAR, LAST_YEAR = 2020, 2030
DAYS_BEFORE, DAYS_AFTER = 3, 3
"""Each transition is studied from three local days before its day to three days after."""
WEEK = DAYS_BEFORE + 1 + DAYS_AFTER


@dataclass(frozen=True)
class Transition:
    at: datetime
    before: timedelta
    after: timedelta


@cache
def transitions(zone_name: str) -> tuple[Transition, ...]:
    """Offset changes in the scan window: sample the offset weekly, then bisect each change to the second.
    Two changes within one week would be missed, but then the oracle below would disagree with the code
    under test and the sweep would fail loudly; tzdb has none in 2020-2030 (Morocco's Ramadan pause, the
    shortest, lasts about a month)."""
    zone = ZoneInfo(zone_name)

    def offset(ts: int) -> timedelta:
        result = datetime.fromtimestamp(ts, zone).utcoffset()
        assert result is not None
        return result

    found: list[Transition] = []
    step = 7 * 86_400
    ts = int(SCAN_FROM.timestamp())
    current = offset(ts)
    while ts < SCAN_TO.timestamp():
        following = offset(ts + step)
        if following != current:
            low, high = ts, ts + step  # offset(low) == current, offset(high) == following
            while high - low > 1:
                middle = (low + high) // 2
                if offset(middle) == current:
                    low = middle
                else:
                    high = middle
            found.append(Transition(datetime.fromtimestamp(high, UTC), current, offset(high)))
            current = following
        ts += step
    return tuple(found)


@dataclass(frozen=True)
class WallClock:
    """The zone's wall clock as a function of UTC: `offsets[i]` applies from `starts[i]` on."""

    starts: tuple[datetime, ...]
    offsets: tuple[timedelta, ...]

    @classmethod
    def of(cls, zone_name: str) -> WallClock:
        zone = ZoneInfo(zone_name)
        first = zone.utcoffset(SCAN_FROM.replace(tzinfo=None))
        assert first is not None
        found = transitions(zone_name)
        return cls((SCAN_FROM, *(t.at for t in found)), (first, *(t.after for t in found)))

    def day_begins(self, day: date, day_start: time) -> datetime:
        """The first instant whose wall time is `day` + `day_start` or later (the definition, computed)."""
        boundary = datetime.combine(day, day_start, tzinfo=UTC)  # wall time, as naive arithmetic in UTC
        ends = (*self.starts[1:], SCAN_TO)
        for start, end, offset in zip(self.starts, ends, self.offsets, strict=True):
            if end + offset > boundary:
                return max(start, boundary - offset)
        raise AssertionError(f"{day} is outside the scanned window")

    def wall_date(self, instant: datetime) -> date:
        return (instant + self.offsets[bisect_right(self.starts, instant) - 1]).date()


def boundary_choices(transition: Transition) -> list[time]:
    """Midnight, 04:00, and (when they are before noon) the transition's wall time on either side and the
    middle of the gap or repeated stretch: the boundary hours that a DST change can remove or repeat."""
    choices = [time(0), time(4)]
    wall_before = transition.at + transition.before
    wall_after = transition.at + transition.after
    middle = min(wall_before, wall_after) + abs(transition.after - transition.before) / 2
    for wall in (wall_before, wall_after, middle):
        if wall.time() <= time(12):
            choices.append(wall.time().replace(microsecond=0))
    return choices


# Where to study inside a day: its first second, its last second, or anywhere (as a fraction of the day).
positions = st.one_of(st.just(0.0), st.just(1.0), st.floats(min_value=0.0, max_value=1.0))


def study_moment(begins: datetime, ends: datetime, position: float) -> datetime:
    length = int((ends - begins).total_seconds())
    return begins + timedelta(seconds=min(length - 1, int(position * length)))


def check_every_day_learner(
    zone_name: str,
    clock: WallClock,
    first_day: date,
    day_start: time,
    moments: list[list[float]],
    near_transition: list[datetime],
) -> None:
    days = [first_day + timedelta(days=n) for n in range(len(moments))]
    begins = [clock.day_begins(day, day_start) for day in [*days, days[-1] + timedelta(days=1)]]
    events: list[StudyEvent] = []
    for index, day in enumerate(days):
        assert day_begins_at(day, zone_name, day_start) == begins[index], (zone_name, day, day_start)
        for position in moments[index]:
            moment = study_moment(begins[index], begins[index + 1], position)
            assert local_study_day(moment, zone_name, day_start) == day, (zone_name, moment, day_start)
            events.append(StudyEvent(moment, zone_name))
    for moment in near_transition:
        expected = days[bisect_right(begins, moment) - 1]
        assert local_study_day(moment, zone_name, day_start) == expected, (zone_name, moment, day_start)
        events.append(StudyEvent(moment, zone_name))
    last = max(event.at for event in events)
    state = compute_streak(events, now=last, tz=zone_name, day_start=day_start)
    assert (state.current, state.longest, state.frozen_days) == (len(days), len(days), ()), (zone_name, state)
    assert state.studied_today and state.last_day == days[-1] == state.today
    # The next day has begun and is not over: the streak still stands, waiting for today's study.
    tomorrow = compute_streak(events, now=begins[-1], tz=zone_name, day_start=day_start)
    assert (tomorrow.current, tomorrow.studied_today, tomorrow.frozen_days) == (len(days), False, ())


def windows(zone_name: str) -> list[tuple[Transition, date, list[time]]]:
    """(transition, first study day, boundary choices) per transition; a plain week for zones without any."""
    clock = WallClock.of(zone_name)
    found = [t for t in transitions(zone_name) if FIRST_YEAR <= t.at.year <= LAST_YEAR]
    if not found:
        noon = datetime(2025, 6, 13, 12, tzinfo=UTC)
        plain = Transition(noon, clock.offsets[0], clock.offsets[0] + timedelta(hours=1))
        return [(plain, date(2025, 6, 10), [time(0), time(4)])]
    return [(t, clock.wall_date(t.at) - timedelta(days=DAYS_BEFORE), boundary_choices(t)) for t in found]


def test_the_scan_finds_the_known_transitions() -> None:
    paris = [t for t in transitions("Europe/Paris") if t.at.year == 2026]
    assert [t.at for t in paris] == [
        datetime(2026, 3, 29, 1, tzinfo=UTC),
        datetime(2026, 10, 25, 1, tzinfo=UTC),
    ]
    assert transitions("Asia/Tokyo") == ()
    lord_howe = [t for t in transitions("Australia/Lord_Howe") if t.at.year == 2026]
    assert {abs(t.after - t.before) for t in lord_howe} == {timedelta(minutes=30)}


@pytest.mark.parametrize("zone_name", ALL_ZONES)
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    boundary=st.integers(min_value=0, max_value=4),
    day_positions=st.lists(positions, min_size=WEEK, max_size=WEEK),
    second_visits=st.lists(positions, max_size=WEEK),
    around_transition=st.lists(st.floats(min_value=-1.5, max_value=1.5), min_size=1, max_size=3),
)
def test_a_learner_studying_every_local_day_keeps_the_streak(
    zone_name: str,
    boundary: int,
    day_positions: list[float],
    second_visits: list[float],
    around_transition: list[float],
) -> None:
    """Hypothesis draws one pattern per example (drawing per transition would cost more than the checks);
    each transition gets it rotated by its index, so the moments and boundaries differ between them. The
    learner also studies around the transition itself (within 1.5 times the size of the jump), where a
    spring-forward gap or a repeated hour can hide the day boundary."""
    clock = WallClock.of(zone_name)
    for index, (transition, first_day, choices) in enumerate(windows(zone_name)):
        day_start = choices[(boundary + index) % len(choices)]
        rotated = day_positions[index % WEEK :] + day_positions[: index % WEEK]
        moments = [[position] for position in rotated]
        for day, position in enumerate(second_visits):
            moments[(day + index) % WEEK].append(position)
        jump = abs(transition.after - transition.before)
        near = [transition.at + timedelta(seconds=round(x * jump.total_seconds())) for x in around_transition]
        check_every_day_learner(zone_name, clock, first_day, day_start, moments, near)
