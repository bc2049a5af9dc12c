"""Streaks: how many study days in a row, counted in the learner's own time zone, with streak freezes.

The whole state is folded from the study events and `now` every time (nothing stored, nothing to drift):

1. Each event's study day is taken in the zone the learner had at that moment (`skillbite.domain.study_day`).
   A date studied anywhere counts once, so flying west and meeting a date again never counts it twice.
2. A date without study is *missed* only if the learner lived through all of it without studying. Between
   two consecutive events in one zone that is every day strictly between theirs. When the zone changed
   between them (a flight), we do not know when; we assume the change happened at the moment that leaves
   the fewest missed days, and count as missed the days lived whole in the old zone before the change or in
   the new zone after it (or across it, when both zones showed the same date at that moment). A flight
   east that skips a date therefore never breaks a streak, and a flight shorter than a day misses nothing.
   The same reading applies between the last event and `now`, in the zone the learner has now.
3. Dates are then walked in order. A studied day extends the run; every `earn_every_days`-th studied day of
   a run earns a freeze (held at most `max_held`); a missed day consumes a freeze and shows as frozen, or
   breaks the run when none is left. Dates neither studied nor missed (skipped by a flight, or today, which
   is not over) change nothing. Frozen days keep the run alive but do not add to its length.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from skillbite.domain.study_day import (
    DEFAULT_DAY_START,
    check_aware,
    check_day_start,
    day_begins_in_zone,
    is_empty_day,
    learner_zone,
    study_day_in_zone,
)

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class StudyEvent:
    """One moment of study (a review answered, a lesson finished) and the learner's zone at that moment."""

    at: datetime
    """Timezone-aware; any offset is accepted (it is an instant)."""
    tz: str
    """The learner's IANA zone when studying, e.g. `Asia/Tokyo`; it decides the study day of this event."""

    def __post_init__(self) -> None:
        check_aware(self.at, "at")
        learner_zone(self.tz)


@dataclass(frozen=True)
class FreezeRules:
    earn_every_days: int = 7
    """A freeze is earned on every 7th, 14th, 21st... studied day of a run."""
    max_held: int = 2
    """Freezes beyond this are not earned: at most two missed days in a row can be bridged."""
    initial: int = 0
    """Freezes held before the first study day (e.g. granted at sign-up); capped at `max_held`."""

    def __post_init__(self) -> None:
        if self.earn_every_days < 1:
            raise ValueError(f"field earn_every_days={self.earn_every_days} must be at least 1")
        if self.max_held < 0 or self.initial < 0:
            raise ValueError(
                f"fields max_held={self.max_held} and initial={self.initial} must not be negative"
            )


@dataclass(frozen=True)
class StreakState:
    current: int
    """Studied days in the run that is still alive today (0 when it broke or never began)."""
    longest: int
    """The most studied days any run ever had, including the current one."""
    last_day: date | None
    """The latest study day (None before the first event)."""
    frozen_days: tuple[date, ...]
    """Missed days of the current run bridged by a freeze, oldest first: shown as frozen on the calendar."""
    freezes_left: int
    studied_today: bool
    today: date
    """The learner's current study day, in the zone passed as `tz`."""


@dataclass(frozen=True)
class _Placed:
    at: datetime
    zone: ZoneInfo
    day: date


def compute_streak(
    events: Sequence[StudyEvent],
    now: datetime,
    tz: str,
    day_start: time = DEFAULT_DAY_START,
    freezes: FreezeRules = FreezeRules(),
) -> StreakState:
    """The streak as of `now` for a learner whose zone is `tz` now. Events after `now` are ignored."""
    check_aware(now, "now")
    check_day_start(day_start)
    zone_now = learner_zone(tz)
    today = study_day_in_zone(now, zone_now, day_start)
    placed = sorted((_place(event, day_start) for event in events if event.at <= now), key=lambda p: p.at)
    studied = {p.day for p in placed}
    if not placed:
        return StreakState(0, 0, None, (), min(freezes.initial, freezes.max_held), False, today)
    missed: set[date] = set()
    for earlier, later in pairwise(placed):
        missed |= _missed_between(earlier, later, studied, day_start)
    missed |= _missed_between(placed[-1], _Placed(now, zone_now, today), studied, day_start)
    return _walk(min(studied), max(max(studied), today), studied, missed, today, freezes)


def _place(event: StudyEvent, day_start: time) -> _Placed:
    zone = learner_zone(event.tz)
    return _Placed(event.at, zone, study_day_in_zone(event.at, zone, day_start))


def _walk(
    first: date,
    last: date,
    studied: set[date],
    missed: set[date],
    today: date,
    rules: FreezeRules,
) -> StreakState:
    run = 0
    longest = 0
    frozen: list[date] = []
    held = min(rules.initial, rules.max_held)
    for day in _days(first, last):
        if day in studied:
            run += 1
            if run % rules.earn_every_days == 0:
                held = min(held + 1, rules.max_held)
            longest = max(longest, run)
        elif day in missed:
            if held > 0:
                held -= 1
                frozen.append(day)
            else:
                run = 0
                frozen = []
    return StreakState(
        current=run,
        longest=longest,
        last_day=max(studied),
        frozen_days=tuple(frozen),
        freezes_left=held,
        studied_today=today in studied,
        today=today,
    )


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += _ONE_DAY


def _missed_between(earlier: _Placed, later: _Placed, studied: set[date], day_start: time) -> set[date]:
    """Dates lived whole and unstudied between two events (or the last event and now); see the module doc."""
    if earlier.zone.key == later.zone.key:
        return {
            day
            for day in _strictly_between(earlier.day, later.day)
            if day not in studied and not is_empty_day(day, earlier.zone, day_start)
        }
    cannot_miss = set(studied)
    for zone in (earlier.zone, later.zone):
        first = min(earlier.day, later.day, study_day_in_zone(earlier.at, zone, day_start))
        last = max(earlier.day, later.day, study_day_in_zone(later.at, zone, day_start))
        cannot_miss.update(day for day in _days(first, last) if is_empty_day(day, zone, day_start))
    best: set[date] | None = None
    for switch in _switch_candidates(earlier, later, day_start):
        missed = _lived_whole(earlier, later, switch, day_start) - cannot_miss
        if best is None or len(missed) < len(best):
            best = missed
            if not best:
                break
    return best if best is not None else set()


def _switch_candidates(earlier: _Placed, later: _Placed, day_start: time) -> Iterator[datetime]:
    """Every moment at which the pair (day in the old zone, day in the new zone) can change: the missed
    set is constant between two of them, so the minimum over these is the minimum over all moments."""
    yield earlier.at
    for zone in (earlier.zone, later.zone):
        first = study_day_in_zone(earlier.at, zone, day_start) + _ONE_DAY
        last = study_day_in_zone(later.at, zone, day_start)
        for day in _days(first, last):
            begins = day_begins_in_zone(day, zone, day_start)
            if earlier.at < begins <= later.at:
                yield begins


def _lived_whole(earlier: _Placed, later: _Placed, switch: datetime, day_start: time) -> set[date]:
    """Days lived from start to end between the two events if the zone changed at `switch`."""
    old_day_at_switch = study_day_in_zone(switch, earlier.zone, day_start)
    new_day_at_switch = study_day_in_zone(switch, later.zone, day_start)
    lived = set(_strictly_between(earlier.day, old_day_at_switch))
    lived.update(_strictly_between(new_day_at_switch, later.day))
    if old_day_at_switch == new_day_at_switch and earlier.day < old_day_at_switch < later.day:
        lived.add(old_day_at_switch)  # both clocks showed the same date: it went on across the change
    return lived


def _strictly_between(first: date, last: date) -> Iterator[date]:
    return _days(first + _ONE_DAY, last - _ONE_DAY)
