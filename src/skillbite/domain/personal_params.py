"""A learner's own FSRS-6 parameters: when to fit them, how, and how each set is named.

The rule (the experiment behind it is in docs/learning-engine.md, "Per-learner parameters"):
- a learner keeps the default parameters until they have MIN_SCORED_REVIEWS reviews that FSRS learns from
  (a review on a later calendar day than the item's previous review: same-day repeats carry no long-term
  signal);
- then their parameters are re-fitted every REFIT_EVERY further such reviews, by a background job;
- a fitted set is adopted only if it predicts the learner's most recent HOLDOUT_SHARE of reviews better than
  the set in use (fitted without those reviews): the optimiser can overfit a short or unusual history, and a
  worse set would schedule every item of the learner worse.
Each set is identified by a version string derived from its values, stored with every review it scheduled.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import fsrs_rs_python as fsrs

from skillbite.domain.ids import ItemId
from skillbite.domain.memory import DEFAULT_PARAMS, Params, elapsed_calendar_days, recall_probability
from skillbite.domain.reviews import Grade, Review, in_time_order

MIN_SCORED_REVIEWS = 1_000
REFIT_EVERY = 1_000
HOLDOUT_SHARE = 0.2
TRAINING_EPOCHS = 20
"""fsrs-rs trains 5 epochs by default; 20 lowered log loss on both logs (docs/benchmarks-learning.md)."""
DEFAULT_VERSION = "fsrs6-default"


@dataclass(frozen=True)
class ParamSet:
    params: Params
    version: str


DEFAULT_PARAM_SET = ParamSet(DEFAULT_PARAMS, DEFAULT_VERSION)


def params_version(params: Params) -> str:
    """A stable name for a parameter set: its values rounded to 6 decimals, hashed."""
    if params == DEFAULT_PARAMS:
        return DEFAULT_VERSION
    digest = hashlib.sha256(",".join(f"{w:.6f}" for w in params).encode()).hexdigest()
    return f"fsrs6-{digest[:12]}"


def param_set(params: Params) -> ParamSet:
    return ParamSet(params, params_version(params))


@dataclass(frozen=True)
class ScoredReview:
    """One review FSRS can learn from, with the item's history before it (grade, days since previous)."""

    history: tuple[tuple[int, int], ...]
    grade: int
    elapsed_days: int


def scored_reviews(reviews: Iterable[Review]) -> list[ScoredReview]:
    """Every review on a later day than the item's previous review, in time order, with its history."""
    by_item: dict[ItemId, list[tuple[int, int]]] = defaultdict(list)
    last_seen: dict[ItemId, Review] = {}
    scored: list[ScoredReview] = []
    for review in in_time_order(reviews):
        previous = last_seen.get(review.item)
        days = (
            0
            if previous is None
            else elapsed_calendar_days(previous.reviewed_at, review.reviewed_at, review.tz)
        )
        history = by_item[review.item]
        if previous is not None and days > 0:
            scored.append(ScoredReview(tuple(history), int(review.grade), days))
        history.append((int(review.grade), days))
        last_seen[review.item] = review
    return scored


def due_for_optimisation(scored_count: int, scored_count_at_last_fit: int | None) -> bool:
    """True when the background job should fit this learner's parameters now."""
    if scored_count < MIN_SCORED_REVIEWS:
        return False
    if scored_count_at_last_fit is None:
        return True
    return scored_count - scored_count_at_last_fit >= REFIT_EVERY


def _training_items(scored: Sequence[ScoredReview]) -> list[fsrs.FSRSItem]:
    return [
        fsrs.FSRSItem([fsrs.FSRSReview(g, d) for g, d in (*s.history, (s.grade, s.elapsed_days))])
        for s in scored
    ]


def fit_parameters(scored: Sequence[ScoredReview], start: Params = DEFAULT_PARAMS) -> Params:
    """Run the fsrs-rs optimiser on `scored`; too little data to fit gives `start` back unchanged."""
    if not scored:
        return start
    config = fsrs.TrainingConfig(num_epochs=TRAINING_EPOCHS)
    fitted = fsrs.FSRS(list(start)).compute_parameters(_training_items(scored), training_config=config)
    return tuple(float(w) for w in fitted)


def optimise_parameters(reviews: Iterable[Review]) -> Params:
    """A learner's FSRS-6 parameters fitted on all of their `reviews` (any items, any order)."""
    return fit_parameters(scored_reviews(reviews))


def log_loss(params: Params, scored: Sequence[ScoredReview]) -> float:
    """Mean log loss of `params` predicting recall (grade > Again) of each scored review."""
    if not scored:
        return math.nan
    model = fsrs.FSRS(list(params))
    states = model.memory_state_batch(
        [fsrs.FSRSItem([fsrs.FSRSReview(g, d) for g, d in s.history]) for s in scored]
    )
    total = 0.0
    for state, review in zip(states, scored, strict=True):
        p = min(max(recall_probability(state.stability, review.elapsed_days, params), 1e-4), 1 - 1e-4)
        total -= math.log(p if review.grade > Grade.AGAIN else 1.0 - p)
    return total / len(scored)


@dataclass(frozen=True)
class OptimisationResult:
    chosen: ParamSet
    adopted: bool
    holdout_log_loss_current: float
    holdout_log_loss_candidate: float


def optimise_with_holdout(
    reviews: Iterable[Review], current: ParamSet = DEFAULT_PARAM_SET
) -> OptimisationResult:
    """Fit new parameters and keep them only if they beat `current` on the most recent reviews.

    The check fits on the older (1 - HOLDOUT_SHARE) of the scored reviews and scores both sets on the rest;
    when the candidate wins, the set adopted is fitted on everything.
    """
    scored = scored_reviews(reviews)
    split = int(len(scored) * (1 - HOLDOUT_SHARE))
    older, recent = scored[:split], scored[split:]
    candidate = fit_parameters(older)
    current_loss = log_loss(current.params, recent)
    candidate_loss = log_loss(candidate, recent)
    if recent and candidate_loss < current_loss:
        return OptimisationResult(param_set(fit_parameters(scored)), True, current_loss, candidate_loss)
    return OptimisationResult(current, False, current_loss, candidate_loss)
