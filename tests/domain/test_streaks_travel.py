"""A change of time zone mid-streak: flying east or west, across the date line or not, never breaks the
streak of a learner who studied on every local day they lived, and never counts a date twice; a whole day
lived without study after landing is still a missed day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillbite.domain.streaks import StudyEvent, compute_streak
from skillbite.domain.study_day import day_begins_at, local_study_day

ALL_ZONES = sorted(available_timezones())
EARLIEST = datetime(2020, 1, 10, tzinfo=UTC)
LATEST = datetime(2030, 12, 20, tzinfo=UTC)
ONE_DAY = timedelta(days=1)
ONE_SECOND = timedelta(seconds=1)
DATE_LINE_PAIRS = [
    ("Pacific/Honolulu", "Pacific/Auckland"),
    ("Pacific/Kiritimati", "Pacific/Pago_Pago"),  # UTC+14 and UTC-11: the same wall time, a day apart
    ("Etc/GMT+12", "Etc/GMT-14"),  # the widest gap there is: 26 hours
    ("Asia/Tokyo", "America/Los_Angeles"),
    ("Europe/London", "America/New_York"),
    ("Australia/Lord_Howe", "America/St_Johns"),  # half-hour offsets and half-hour DST
]


def moment_in(begins: datetime, ends: datetime, position: float) -> datetime:
    seconds = int((ends - begins).total_seconds())
    return begins + timedelta(seconds=min(seconds - 1, int(position * seconds)))


def every_day_traveller(
    zone_a: str,
    zone_b: str,
    departure: datetime,
    flight: timedelta,
    day_start: time,
    positions_before: list[float],
    positions_after: list[float],
) -> tuple[list[StudyEvent], set[date]]:
    """Study once in every local day lived in zone A up to the departure, then in every local day lived in
    zone B from the landing on (however little of the day is left, even a second)."""
    landing = departure + flight
    events: list[StudyEvent] = []
    last_a = local_study_day(departure - ONE_SECOND, zone_a, day_start)
    for back, position in enumerate(reversed(positions_before)):
        day = last_a - back * ONE_DAY
        begins = day_begins_at(day, zone_a, day_start)
        ends = min(day_begins_at(day + ONE_DAY, zone_a, day_start), departure)
        events.append(StudyEvent(moment_in(begins, ends, position), zone_a))
    first_b = local_study_day(landing, zone_b, day_start)
    for ahead, position in enumerate(positions_after):
        day = first_b + ahead * ONE_DAY
        begins = max(day_begins_at(day, zone_b, day_start), landing)
        ends = day_begins_at(day + ONE_DAY, zone_b, day_start)
        events.append(StudyEvent(moment_in(begins, ends, position), zone_b))
    days = {local_study_day(event.at, event.tz, day_start) for event in events}
    return events, days


def assert_unbroken(events: list[StudyEvent], days: set[date], zone_now: str, day_start: time) -> None:
    now = max(event.at for event in events)
    state = compute_streak(events, now=now, tz=zone_now, day_start=day_start)
    assert state.frozen_days == (), state
    assert state.current == state.longest == len(days), (sorted(days), state)


positions = st.one_of(st.just(0.0), st.just(1.0), st.floats(min_value=0.0, max_value=1.0))
instants = st.integers(min_value=int(EARLIEST.timestamp()), max_value=int(LATEST.timestamp())).map(
    lambda ts: datetime.fromtimestamp(ts, UTC)
)
flights = st.integers(min_value=0, max_value=20 * 60).map(lambda minutes: timedelta(minutes=minutes))
day_starts = st.sampled_from([time(0), time(4), time(2, 30)])
some_days = st.lists(positions, min_size=1, max_size=4)


@settings(max_examples=400, deadline=None)
@given(
    zone_a=st.sampled_from(ALL_ZONES),
    zone_b=st.sampled_from(ALL_ZONES),
    departure=instants,
    flight=flights,
    day_start=day_starts,
    before=some_days,
    after=some_days,
)
def test_any_flight_under_a_day_keeps_the_streak(
    zone_a: str,
    zone_b: str,
    departure: datetime,
    flight: timedelta,
    day_start: time,
    before: list[float],
    after: list[float],
) -> None:
    events, days = every_day_traveller(zone_a, zone_b, departure, flight, day_start, before, after)
    assert_unbroken(events, days, zone_b, day_start)


@pytest.mark.parametrize("direction", ["east", "west"])
@pytest.mark.parametrize(("zone_a", "zone_b"), DATE_LINE_PAIRS)
@settings(max_examples=40, deadline=None)
@given(departure=instants, flight=flights, day_start=day_starts, before=some_days, after=some_days)
def test_across_the_date_line_both_ways(
    zone_a: str,
    zone_b: str,
    direction: str,
    departure: datetime,
    flight: timedelta,
    day_start: time,
    before: list[float],
    after: list[float],
) -> None:
    origin, destination = (zone_a, zone_b) if direction == "east" else (zone_b, zone_a)
    events, days = every_day_traveller(origin, destination, departure, flight, day_start, before, after)
    assert_unbroken(events, days, destination, day_start)


def test_flying_east_over_the_date_line_skips_a_date_without_breaking() -> None:
    # Monday 20:00 in Honolulu (UTC-10), a 6-hour flight, landing Wednesday 08:00 in Kiritimati (UTC+14).
    honolulu, kiritimati = "Pacific/Honolulu", "Pacific/Kiritimati"
    events = [
        StudyEvent(datetime(2026, 6, 14, 6, 0, tzinfo=UTC), honolulu),  # Sat 20:00
        StudyEvent(datetime(2026, 6, 15, 6, 0, tzinfo=UTC), honolulu),  # Sun 20:00
        StudyEvent(datetime(2026, 6, 16, 6, 0, tzinfo=UTC), honolulu),  # Mon 20:00, then the flight
        StudyEvent(datetime(2026, 6, 16, 19, 0, tzinfo=UTC), kiritimati),  # Wed 09:00
    ]
    state = compute_streak(
        events, now=datetime(2026, 6, 16, 20, 0, tzinfo=UTC), tz=kiritimati, day_start=time(0)
    )
    assert (state.current, state.frozen_days, state.today) == (4, (), date(2026, 6, 17))


def test_flying_west_meets_a_date_again_and_counts_it_once() -> None:
    # Tuesday 10:00 in Tokyo, fly 8 hours to Honolulu: it is Monday 19:00 there. Study Monday, then Tuesday.
    tokyo, honolulu = "Asia/Tokyo", "Pacific/Honolulu"
    events = [
        StudyEvent(datetime(2026, 6, 14, 1, 0, tzinfo=UTC), tokyo),  # Sun 10:00 JST
        StudyEvent(datetime(2026, 6, 15, 1, 0, tzinfo=UTC), tokyo),  # Mon 10:00 JST
        StudyEvent(datetime(2026, 6, 16, 1, 0, tzinfo=UTC), tokyo),  # Tue 10:00 JST
        StudyEvent(datetime(2026, 6, 16, 6, 0, tzinfo=UTC), honolulu),  # Mon 20:00 HST
        StudyEvent(datetime(2026, 6, 16, 20, 0, tzinfo=UTC), honolulu),  # Tue 10:00 HST
    ]
    state = compute_streak(
        events, now=datetime(2026, 6, 16, 21, 0, tzinfo=UTC), tz=honolulu, day_start=time(0)
    )
    assert (state.current, state.longest, state.frozen_days, state.studied_today) == (3, 3, (), True)


def test_a_whole_day_lived_without_study_after_landing_is_missed() -> None:
    paris, new_york = "Europe/Paris", "America/New_York"
    events = [
        StudyEvent(datetime(2026, 6, 14, 8, 0, tzinfo=UTC), paris),  # Sun 10:00 in Paris
        StudyEvent(datetime(2026, 6, 15, 8, 0, tzinfo=UTC), paris),  # Mon 10:00, fly at noon, land 14:00 EDT
        StudyEvent(datetime(2026, 6, 17, 14, 0, tzinfo=UTC), new_york),  # Wed 10:00: all of Tuesday unstudied
    ]
    state = compute_streak(
        events, now=datetime(2026, 6, 17, 15, 0, tzinfo=UTC), tz=new_york, day_start=time(4)
    )
    assert (state.current, state.longest) == (1, 2)


def test_a_long_absence_before_a_flight_is_not_excused() -> None:
    # Studied in Berlin on the 1st, nothing for a week, then studied in Tokyo on the 9th: at most the one
    # date the flight could have hidden is excused, so the streak is broken.
    events = [
        StudyEvent(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), "Europe/Berlin"),
        StudyEvent(datetime(2026, 6, 9, 3, 0, tzinfo=UTC), "Asia/Tokyo"),
    ]
    state = compute_streak(events, now=datetime(2026, 6, 9, 4, 0, tzinfo=UTC), tz="Asia/Tokyo")
    assert (state.current, state.frozen_days) == (1, ())
