"""The study-day rule on golden cases: the boundary, the DST gap and repeat, a skipped date, bad input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from skillbite.domain.study_day import (
    DEFAULT_DAY_START,
    InvalidStudyTimeError,
    day_begins_at,
    local_study_day,
)

PARIS = "Europe/Paris"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_studying_before_the_boundary_counts_for_the_previous_day() -> None:
    # 01:30 in Paris in January is 00:30 UTC; the day starts at 04:00, so it is still Monday's study day.
    assert time(4) == DEFAULT_DAY_START
    assert local_study_day(utc(2026, 1, 13, 0, 30), PARIS) == date(2026, 1, 12)
    assert local_study_day(utc(2026, 1, 13, 3, 0), PARIS) == date(2026, 1, 13)  # 04:00 local
    assert local_study_day(utc(2026, 1, 13, 2, 59, 59), PARIS) == date(2026, 1, 12)
    assert local_study_day(utc(2026, 1, 13, 0, 30), PARIS, time(0)) == date(2026, 1, 13)


def test_the_zone_decides_the_day_not_utc() -> None:
    instant = utc(2026, 5, 4, 20, 0)  # Monday evening in UTC
    assert local_study_day(instant, "Pacific/Auckland", time(0)) == date(2026, 5, 5)
    assert local_study_day(instant, "America/Los_Angeles", time(0)) == date(2026, 5, 4)


def test_a_boundary_inside_the_spring_gap_starts_the_day_at_the_transition() -> None:
    # 2026-03-29 Paris: 02:00 CET jumps to 03:00 CEST at 01:00 UTC, so 02:30 never happens.
    begins = day_begins_at(date(2026, 3, 29), PARIS, time(2, 30))
    assert begins == utc(2026, 3, 29, 1, 0)
    assert local_study_day(utc(2026, 3, 29, 0, 59, 59), PARIS, time(2, 30)) == date(2026, 3, 28)
    assert local_study_day(utc(2026, 3, 29, 1, 0), PARIS, time(2, 30)) == date(2026, 3, 29)
    # With a 04:00 boundary the transition falls in Saturday's study day, which is 23 hours long.
    length = day_begins_at(date(2026, 3, 29), PARIS) - day_begins_at(date(2026, 3, 28), PARIS)
    assert length == timedelta(hours=23)


def test_a_repeated_boundary_starts_the_day_at_its_first_occurrence_and_never_goes_back() -> None:
    # 2026-10-25 Paris: 03:00 CEST falls back to 02:00 CET at 01:00 UTC; 02:30 happens twice.
    day_start = time(2, 30)
    assert day_begins_at(date(2026, 10, 25), PARIS, day_start) == utc(2026, 10, 25, 0, 30)
    assert local_study_day(utc(2026, 10, 25, 0, 29), PARIS, day_start) == date(2026, 10, 24)
    assert local_study_day(utc(2026, 10, 25, 0, 30), PARIS, day_start) == date(2026, 10, 25)
    # 01:15 UTC reads 02:15 CET, before the boundary on the clock, but the day began 45 minutes ago.
    assert local_study_day(utc(2026, 10, 25, 1, 15), PARIS, day_start) == date(2026, 10, 25)
    length = day_begins_at(date(2026, 10, 25), PARIS) - day_begins_at(date(2026, 10, 24), PARIS)
    assert length == timedelta(hours=25)


def test_a_date_the_zone_skipped_is_an_empty_day() -> None:
    # Samoa moved across the date line: 2011-12-29 23:59:59 was followed by 2011-12-31 00:00:00.
    apia = "Pacific/Apia"
    assert day_begins_at(date(2011, 12, 30), apia, time(0)) == day_begins_at(
        date(2011, 12, 31), apia, time(0)
    )
    assert local_study_day(utc(2011, 12, 30, 10, 0), apia, time(0)) == date(2011, 12, 31)


def test_offsets_of_any_kind_are_instants() -> None:
    paris_evening = datetime(2026, 1, 12, 23, 0, tzinfo=timezone(timedelta(hours=1)))
    assert local_study_day(paris_evening, "Asia/Tokyo", time(0)) == date(2026, 1, 13)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: local_study_day(datetime(2026, 1, 1, 9), PARIS), "no time zone"),
        (lambda: local_study_day(utc(2026, 1, 1), "Mars/Olympus"), "not an IANA time zone"),
        (lambda: local_study_day(utc(2026, 1, 1), PARIS, time(13)), "between 00:00 and 12:00"),
        (lambda: local_study_day(utc(2026, 1, 1), PARIS, time(4, tzinfo=UTC)), "plain local time"),
    ],
)
def test_unusable_input_says_which_field_and_how_to_fix_it(call: Callable[[], object], message: str) -> None:
    with pytest.raises(InvalidStudyTimeError, match=message):
        call()
