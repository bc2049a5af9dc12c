"""Per-learner FSRS parameters: when they are fitted, how, and how each set is named."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest

from skillbite.domain.ids import ItemId, OrgId, UserId
from skillbite.domain.memory import DEFAULT_PARAMS
from skillbite.domain.personal_params import (
    DEFAULT_PARAM_SET,
    DEFAULT_VERSION,
    MIN_SCORED_REVIEWS,
    REFIT_EVERY,
    due_for_optimisation,
    log_loss,
    optimise_parameters,
    optimise_with_holdout,
    params_version,
    scored_reviews,
)
from skillbite.domain.reviews import Grade, Review

JOSH = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "srs" / "pyfsrs_review_logs_josh.csv"
START = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def review(n: int, item: str, at: datetime, grade: int) -> Review:
    return Review(
        uuid=UUID(int=n),
        org=OrgId(1),
        learner=UserId(1),
        item=ItemId(item),
        reviewed_at=at,
        tz="UTC",
        answer=None,
        correct=grade > 1,
        response_ms=10_000,
        grade=Grade(grade),
        params_version=DEFAULT_VERSION,
    )


@pytest.fixture(scope="module")
def josh_reviews() -> list[Review]:
    if not JOSH.exists():
        pytest.skip(f"shared review log not found at {JOSH}: check out ../shared next to the repository")
    with JOSH.open() as handle:
        return [
            review(n, row["card_id"], datetime.fromisoformat(row["review_time"]), int(row["review_rating"]))
            for n, row in enumerate(csv.DictReader(handle))
        ]


def test_default_set_has_a_readable_version_and_others_a_stable_hash() -> None:
    assert params_version(DEFAULT_PARAMS) == DEFAULT_VERSION == DEFAULT_PARAM_SET.version
    changed = (DEFAULT_PARAMS[0] + 0.01, *DEFAULT_PARAMS[1:])
    assert params_version(changed) == params_version(tuple(changed))
    assert params_version(changed).startswith("fsrs6-") and params_version(changed) != DEFAULT_VERSION


@pytest.mark.parametrize(
    ("scored", "at_last_fit", "expected"),
    [
        (MIN_SCORED_REVIEWS - 1, None, False),
        (MIN_SCORED_REVIEWS, None, True),
        (MIN_SCORED_REVIEWS + REFIT_EVERY - 1, MIN_SCORED_REVIEWS, False),
        (MIN_SCORED_REVIEWS + REFIT_EVERY, MIN_SCORED_REVIEWS, True),
    ],
)
def test_optimisation_threshold_and_refit_cadence(
    scored: int, at_last_fit: int | None, expected: bool
) -> None:
    assert due_for_optimisation(scored, at_last_fit) is expected


def test_scored_reviews_skip_first_and_same_day_reviews_but_keep_them_in_history() -> None:
    reviews = [
        review(1, "a", START, 1),
        review(2, "a", START + timedelta(minutes=10), 3),  # same day: history only
        review(3, "a", START + timedelta(days=1), 3),  # scored
        review(4, "b", START + timedelta(days=1), 3),  # first review of b
    ]
    scored = scored_reviews(reversed(reviews))
    assert len(scored) == 1
    assert scored[0].history == ((1, 0), (3, 0))
    assert (scored[0].grade, scored[0].elapsed_days) == (3, 1)


def test_optimised_parameters_fit_the_learner_better_than_defaults(josh_reviews: list[Review]) -> None:
    params = optimise_parameters(josh_reviews)
    assert len(params) == len(DEFAULT_PARAMS) and params != DEFAULT_PARAMS
    scored = scored_reviews(josh_reviews)
    assert log_loss(params, scored) < log_loss(DEFAULT_PARAMS, scored)


def test_holdout_gate_adopts_only_a_set_that_predicts_recent_reviews_better(
    josh_reviews: list[Review],
) -> None:
    result = optimise_with_holdout(josh_reviews)
    assert result.adopted == (result.holdout_log_loss_candidate < result.holdout_log_loss_current)
    if result.adopted:
        assert result.chosen.version != DEFAULT_VERSION
    else:
        assert result.chosen == DEFAULT_PARAM_SET


def test_too_little_history_keeps_the_current_set() -> None:
    reviews = [review(1, "a", START, 3), review(2, "a", START + timedelta(days=2), 3)]
    result = optimise_with_holdout(reviews)
    assert result.chosen == DEFAULT_PARAM_SET and not result.adopted
