"""What the memory model predicted just before each review: the fold of domain/memory, walked once.

XP for a right answer depends on how likely the model thought the learner was to recall the item at that
moment (`skillbite.domain.xp`). That prediction is the retrievability of the item's memory state as it stood
before the answer. Walking the learner's whole log once in (reviewed_at, uuid) order, keeping each item's
running state, gives every prediction with one FSRS step per review (`domain.memory.apply_review`, the
engine's own step: there is no second scheduler here).

- **Parameters.** Every review records the version of the FSRS parameters that scheduled it (the set in use
  when it arrived). The engine folds an answer with that set and predicts with it, so each step here applies
  the review with its own version's weights and predicts its recall with them. A version that is not known
  any more falls back to `fallback` (the learner's current set).
- **Desired retention** is not needed: it moves due dates only, never stability or difficulty, so the
  predictions do not depend on it.
- **A changed correct answer.** The engine starts an item afresh when its correct answer changes
  (`services/memory_states.counted_reviews`): the running state is dropped at the first review at or after
  the change, which then counts as a first answer (no prediction).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from skillbite.domain.ids import ItemId
from skillbite.domain.memory import DEFAULT_PARAMS, MemoryState, Params, apply_review, retrievability
from skillbite.domain.reviews import Review, in_time_order


@dataclass(frozen=True)
class RecallStep:
    """One review with the prediction made before it and the item's state after it."""

    review: Review
    p_recall_before: float | None
    """Retrievability of the item just before the answer; None for an item with no state yet."""
    state_after: MemoryState
    params: Params
    """The FSRS weights the review was folded with (its own version's)."""


def recall_steps(
    reviews: Iterable[Review],
    params_by_version: Mapping[str, Params],
    fallback: Params = DEFAULT_PARAMS,
    fresh_since: Mapping[ItemId, datetime] | None = None,
) -> list[RecallStep]:
    """Every review (deduplicated by uuid) in time order, with its prediction: O(reviews) FSRS steps.

    `params_by_version` maps a review's `params_version` to its weights; `fresh_since` gives, per item, the
    moment its correct answer last changed (items absent from it never changed).
    """
    changed_at = fresh_since or {}
    states: dict[ItemId, MemoryState] = {}
    steps: list[RecallStep] = []
    for review in in_time_order(reviews):
        params = params_by_version.get(review.params_version, fallback)
        state = states.get(review.item)
        changed = changed_at.get(review.item)
        if state is not None and changed is not None and state.last_review < changed <= review.reviewed_at:
            state = None  # the item started afresh when its correct answer changed
        predicted = None if state is None else retrievability(state, review.reviewed_at, params)
        after = apply_review(state, review, params)
        states[review.item] = after
        steps.append(RecallStep(review, predicted, after, params))
    return steps
