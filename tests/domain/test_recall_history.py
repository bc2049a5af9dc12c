"""The recall predicted before each review: the engine's own fold, walked once, each review with its own
parameters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from skillbite.domain.ids import ItemId, OrgId, UserId
from skillbite.domain.memory import DEFAULT_PARAMS, Params, fold_reviews, retrievability
from skillbite.domain.personal_params import DEFAULT_VERSION
from skillbite.domain.recall_history import recall_steps
from skillbite.domain.reviews import Grade, Review

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
OTHER: Params = (*DEFAULT_PARAMS[:20], 0.5)
"""A parameter set with a slower forgetting curve than the default (decay 0.5 instead of about 0.15)."""


def review(
    n: int, item: str, hours: float, grade: Grade = Grade.GOOD, version: str = DEFAULT_VERSION
) -> Review:
    return Review(
        uuid=UUID(int=n),
        org=OrgId(1),
        learner=UserId(1),
        item=ItemId(item),
        reviewed_at=START + timedelta(hours=hours),
        tz="Europe/Paris",
        answer=None,
        correct=grade is not Grade.AGAIN,
        response_ms=4000,
        grade=grade,
        params_version=version,
    )


histories = st.lists(
    st.tuples(st.sampled_from("abc"), st.floats(0, 24 * 120), st.sampled_from(list(Grade))),
    min_size=1,
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(histories)
def test_each_prediction_is_the_recall_of_the_state_folded_from_the_reviews_before(
    entries: list[tuple[str, float, Grade]],
) -> None:
    reviews = [review(n, item, hours, grade) for n, (item, hours, grade) in enumerate(entries)]
    steps = recall_steps(reviews, {DEFAULT_VERSION: DEFAULT_PARAMS})
    assert [s.review for s in steps] == sorted(reviews, key=lambda r: r.sort_key)
    for step in steps:
        before = [r for r in reviews if r.item == step.review.item and r.sort_key < step.review.sort_key]
        state = fold_reviews(before)
        expected = None if state is None else retrievability(state, step.review.reviewed_at)
        assert step.p_recall_before == expected
        assert step.state_after == fold_reviews([*before, step.review])


def test_recall_is_likely_a_minute_after_a_review_and_unlikely_months_later() -> None:
    steps = recall_steps(
        [review(1, "a", 0), review(2, "a", 1 / 60), review(3, "b", 0), review(4, "b", 24 * 365)],
        {DEFAULT_VERSION: DEFAULT_PARAMS},
    )
    p = {step.review.uuid.int: step.p_recall_before for step in steps}
    assert p[1] is None and p[3] is None
    assert p[2] is not None and p[2] > 0.99
    assert p[4] is not None and p[4] < 0.6


def test_each_review_is_folded_and_predicted_with_its_own_parameter_version() -> None:
    history = [review(1, "a", 0, version="fitted"), review(2, "a", 24 * 30, version="fitted")]
    steps = recall_steps(history, {DEFAULT_VERSION: DEFAULT_PARAMS, "fitted": OTHER})
    state = fold_reviews(history[:1], OTHER)
    assert state is not None
    assert steps[1].p_recall_before == retrievability(state, history[1].reviewed_at, OTHER)
    assert steps[1].p_recall_before != retrievability(state, history[1].reviewed_at, DEFAULT_PARAMS)
    assert steps[1].params == OTHER


def test_an_unknown_version_uses_the_fallback_parameters() -> None:
    history = [review(1, "a", 0, version="gone"), review(2, "a", 24 * 30, version="gone")]
    steps = recall_steps(history, {DEFAULT_VERSION: DEFAULT_PARAMS}, fallback=OTHER)
    state = fold_reviews(history[:1], OTHER)
    assert state is not None
    assert steps[1].p_recall_before == retrievability(state, history[1].reviewed_at, OTHER)


def test_a_retried_uuid_is_one_review() -> None:
    first = review(1, "a", 0)
    steps = recall_steps([first, review(2, "a", 48), first], {DEFAULT_VERSION: DEFAULT_PARAMS})
    assert [s.review.uuid.int for s in steps] == [1, 2]


def test_an_item_whose_correct_answer_changed_starts_afresh() -> None:
    history = [review(1, "a", 0), review(2, "a", 48), review(3, "a", 96), review(4, "b", 96)]
    changed = {ItemId("a"): START + timedelta(hours=72), ItemId("b"): START + timedelta(hours=1)}
    steps = recall_steps(history, {DEFAULT_VERSION: DEFAULT_PARAMS}, fresh_since=changed)
    p = {step.review.uuid.int: step.p_recall_before for step in steps}
    assert p[2] is not None  # before the change: the earlier answer counts
    assert p[3] is None  # the first answer since the change is a first answer
    assert p[4] is None
    assert steps[2].state_after == fold_reviews(history[2:3])
