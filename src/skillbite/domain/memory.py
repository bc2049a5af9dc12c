"""An item's memory state for one learner: the fold of its reviews through FSRS-6.

The state is never stored as truth, only as a cache: `fold_reviews` rebuilds it from the review log, sorted by
(reviewed_at, uuid) and deduplicated by uuid, so reviews that arrive late or twice give the same state as
reviews that arrived in order once. FSRS-6 itself comes from fsrs-rs-python (the reference implementation
used by Anki); only the forgetting curve is restated here because fsrs-rs-python does not expose it for an
arbitrary moment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from math import inf
from zoneinfo import ZoneInfo

import fsrs_rs_python as fsrs

from skillbite.domain.reviews import Grade, Review, in_time_order

Params = tuple[float, ...]
"""The 21 FSRS-6 weights."""

DEFAULT_PARAMS: Params = tuple(fsrs.DEFAULT_PARAMETERS)
MAX_INTERVAL_DAYS = 36_500
"""A hundred years: an upper bound so a stability blown up by many Easy answers still gives a real date."""
SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class MemoryState:
    stability: float
    """Days until recall probability falls to 90%."""
    difficulty: float
    """FSRS difficulty, 1 (easy) to 10 (hard)."""
    due: datetime
    last_review: datetime
    reps: int
    lapses: int
    """How many reviews after the first were graded Again."""


@lru_cache(maxsize=64)
def fsrs_model(params: Params) -> fsrs.FSRS:
    """The fsrs-rs model for `params`, cached: a fold or a plan calls it once per review or item."""
    return fsrs.FSRS(list(params))


def _decay(params: Params) -> float:
    return params[20]


def recall_probability(stability: float, elapsed_days: float, params: Params = DEFAULT_PARAMS) -> float:
    """FSRS-6 forgetting curve: R(t) = (1 + f * t / S) ** -decay, with f chosen so that R(S) = 0.9."""
    decay = _decay(params)
    factor = 0.9 ** (-1.0 / decay) - 1.0
    return float((1.0 + factor * max(elapsed_days, 0.0) / stability) ** -decay)


def interval_for_retention(
    stability: float, desired_retention: float, params: Params = DEFAULT_PARAMS
) -> float:
    """Days after which recall falls to `desired_retention` (the inverse of `recall_probability`)."""
    decay = _decay(params)
    factor = 0.9 ** (-1.0 / decay) - 1.0
    return float(stability / factor * (desired_retention ** (-1.0 / decay) - 1.0))


def _scheduled_days(stability: float, desired_retention: float, params: Params) -> int:
    # Whole days, at least one: a session plans per day, and "due again in 0 days" would loop the item.
    days = interval_for_retention(stability, desired_retention, params)
    if days == inf or days != days:
        return MAX_INTERVAL_DAYS
    return int(min(max(round(days), 1), MAX_INTERVAL_DAYS))


def elapsed_calendar_days(earlier: datetime, later: datetime, tz: str) -> int:
    """Calendar days between two instants as seen by the learner in `tz` (what FSRS calls delta_t)."""
    zone = ZoneInfo(tz)
    return max(later.astimezone(zone).date().toordinal() - earlier.astimezone(zone).date().toordinal(), 0)


class OutOfOrderReviewError(ValueError):
    """A review older than the state it would be applied to: refold the item with `fold_reviews` instead."""


def needs_refold(state: MemoryState | None, review: Review) -> bool:
    """True when `review` is not after the item's last review (a late arrival): only a full refold is exact.

    Equal times count as late because the fold breaks ties by uuid, which the state does not keep.
    """
    return state is not None and review.reviewed_at <= state.last_review


def apply_review(
    state: MemoryState | None, review: Review, params: Params = DEFAULT_PARAMS, desired_retention: float = 0.9
) -> MemoryState:
    """The state after one more review. `state` is None for an item never reviewed before.

    Raises OutOfOrderReviewError for a review older than `state.last_review` (check `needs_refold` first).
    """
    if state is not None and review.reviewed_at < state.last_review:
        raise OutOfOrderReviewError(
            f"review {review.uuid} at {review.reviewed_at.isoformat()} is older than the item's last review "
            f"({state.last_review.isoformat()}); rebuild the state with fold_reviews(all reviews of the item)"
        )
    model = fsrs_model(params)
    if state is None:
        chosen = _pick(model.next_states(None, desired_retention, 0), review.grade)
        reps, lapses = 1, 0
    else:
        days = elapsed_calendar_days(state.last_review, review.reviewed_at, review.tz)
        current = fsrs.MemoryState(state.stability, state.difficulty)
        chosen = _pick(model.next_states(current, desired_retention, days), review.grade)
        reps = state.reps + 1
        lapses = state.lapses + (1 if review.grade is Grade.AGAIN else 0)
    stability = max(float(chosen.stability), 0.001)
    days_ahead = _scheduled_days(stability, desired_retention, params)
    return MemoryState(
        stability=stability,
        difficulty=float(chosen.difficulty),
        due=review.reviewed_at + timedelta(days=days_ahead),
        last_review=review.reviewed_at,
        reps=reps,
        lapses=lapses,
    )


def _pick(states: fsrs.NextStates, grade: Grade) -> fsrs.MemoryState:
    if grade is Grade.AGAIN:
        return states.again.memory
    if grade is Grade.HARD:
        return states.hard.memory
    if grade is Grade.GOOD:
        return states.good.memory
    return states.easy.memory


def fold_reviews(
    reviews: Iterable[Review], params: Params = DEFAULT_PARAMS, desired_retention: float = 0.9
) -> MemoryState | None:
    """The state of one item after all its `reviews` (any order, duplicates allowed); None if none."""
    state: MemoryState | None = None
    for review in in_time_order(reviews):
        state = apply_review(state, review, params, desired_retention)
    return state


def retrievability(state: MemoryState, now: datetime, params: Params = DEFAULT_PARAMS) -> float:
    """Probability that the learner recalls the item at `now`."""
    elapsed = (now - state.last_review).total_seconds() / SECONDS_PER_DAY
    return recall_probability(state.stability, elapsed, params)


def next_due(state: MemoryState, desired_retention: float, params: Params = DEFAULT_PARAMS) -> datetime:
    """When the item falls to `desired_retention`: used when the retention policy for an item changes."""
    return state.last_review + timedelta(days=_scheduled_days(state.stability, desired_retention, params))


def rescheduled(state: MemoryState, desired_retention: float, params: Params = DEFAULT_PARAMS) -> MemoryState:
    """The same memory with its due date recomputed for another desired retention."""
    return replace(state, due=next_due(state, desired_retention, params))


def stabilities_after(
    stability: float, difficulty: float, elapsed_days: int, params: Params = DEFAULT_PARAMS
) -> tuple[float, float]:
    """Stability after a review today if recalled (graded Good) and if forgotten (Again)."""
    states = fsrs_model(params).next_states(
        fsrs.MemoryState(stability, difficulty), 0.9, max(elapsed_days, 0)
    )
    return float(states.good.memory.stability), float(states.again.memory.stability)


def initial_stabilities(params: Params = DEFAULT_PARAMS) -> Sequence[float]:
    """Stability after the first review for grades Again, Hard, Good, Easy (the first four weights)."""
    return params[:4]
