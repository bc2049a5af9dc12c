"""The learner's study day: which calendar day an instant belongs to, in the learner's own time zone.

A study day is named by the local date on which it starts and begins at `day_start` on the local clock
(04:00 by default, so studying at 01:30 still counts for the day before). Precisely, study day `d` begins
at the first instant at which the local wall clock reads `d` + `day_start` or later, and ends where day
`d + 1` begins. This one definition settles the daylight-saving cases (see docs/engagement.md):

- a boundary time that does not exist (spring forward over it, e.g. 02:30 in Paris on the last Sunday of
  March) makes the day begin at the transition, the first moment the clock reads past the boundary;
- a boundary time that happens twice (fall back, e.g. 02:30 in Paris in October) makes the day begin at
  its first occurrence; when the clock shows the same time again an hour later, the day has already begun
  and stays begun, so no instant is ever assigned to the day before after it has started.

Days are therefore 23 or 25 hours long around transitions, never overlap and leave no gaps, and an instant
belongs to exactly one study day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_DAY_START = time(4, 0)
"""Studying before 04:00 counts for the previous day: a late-night session belongs to the evening."""
LATEST_DAY_START = time(12, 0)
"""A day may start at most at noon, so its name (the date it starts on) is the date of most of its hours."""

_ONE_DAY = timedelta(days=1)


class InvalidStudyTimeError(ValueError):
    """A time zone, boundary or instant the study-day rules cannot use; the message says how to fix it."""


@lru_cache(maxsize=1024)
def learner_zone(tz: str) -> ZoneInfo:
    """The IANA zone named `tz`; an unknown name raises InvalidStudyTimeError naming the field."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidStudyTimeError(
            f"field tz={tz!r} is not an IANA time zone; use a name such as 'Europe/Paris' or 'UTC'"
        ) from error


def check_day_start(day_start: time) -> None:
    if day_start.tzinfo is not None:
        raise InvalidStudyTimeError(
            f"field day_start={day_start.isoformat()} carries a time zone; "
            "give a plain local time such as 04:00"
        )
    if day_start > LATEST_DAY_START:
        raise InvalidStudyTimeError(
            f"field day_start={day_start.isoformat()} is after {LATEST_DAY_START.isoformat()}; "
            "a study day must start between 00:00 and 12:00 local time"
        )


def check_aware(instant: datetime, field: str) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise InvalidStudyTimeError(
            f"field {field}={instant.isoformat()} has no time zone; pass an aware datetime, e.g. in UTC"
        )


def day_begins_at(day: date, tz: str, day_start: time = DEFAULT_DAY_START) -> datetime:
    """The UTC instant at which study day `day` begins in zone `tz` (see the module docstring)."""
    check_day_start(day_start)
    return day_begins_in_zone(day, learner_zone(tz), day_start)


def day_begins_in_zone(day: date, zone: ZoneInfo, day_start: time) -> datetime:
    """`day_begins_at` for callers that validated `day_start` and hold the zone."""
    boundary = datetime.combine(day, day_start)
    first = boundary.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = boundary.replace(tzinfo=zone, fold=1).astimezone(UTC)
    earlier, later = min(first, second), max(first, second)
    if earlier.astimezone(zone).replace(tzinfo=None) == boundary:
        # The boundary exists (once, or twice in a fall-back hour): the day begins at its first occurrence.
        return earlier
    # The boundary falls in a spring-forward gap. The transition lies in (earlier, later]: before it the
    # clock reads less than the boundary, from it on more. Bisect to the second (tzdb transitions are
    # whole seconds); at most 17 steps even for a skipped day.
    low = int(earlier.timestamp())  # the clock reads before the boundary here
    high = int(later.timestamp())  # and past it here
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None, fold=0) >= boundary:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def local_study_day(event_utc: datetime, tz: str, day_start: time = DEFAULT_DAY_START) -> date:
    """The study day that the instant `event_utc` belongs to for a learner in zone `tz`."""
    check_aware(event_utc, "event_utc")
    check_day_start(day_start)
    return study_day_in_zone(event_utc, learner_zone(tz), day_start)


def study_day_in_zone(event_utc: datetime, zone: ZoneInfo, day_start: time) -> date:
    """`local_study_day` for callers that validated their inputs and hold the zone (the streak fold)."""
    local = event_utc.astimezone(zone)
    day = local.date() if local.time() >= day_start else local.date() - _ONE_DAY
    if local.fold == 1:
        # The second pass through a repeated hour: the clock shows an earlier time than it did an hour
        # ago, so the next day may already have begun although the clock now reads before the boundary.
        while day_begins_in_zone(day + _ONE_DAY, zone, day_start) <= event_utc:
            day += _ONE_DAY
    return day


def is_empty_day(day: date, zone: ZoneInfo, day_start: time) -> bool:
    """True for a study day the zone skipped entirely (Samoa skipped 2011-12-30 when it crossed the date
    line): it begins and ends at the same instant, so nobody can study on it and nobody can miss it."""
    return day_begins_in_zone(day, zone, day_start) >= day_begins_in_zone(day + _ONE_DAY, zone, day_start)
