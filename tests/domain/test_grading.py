"""Grades from practice: self-graded flashcards, quiz answers graded by correctness and pace."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillbite.domain.content import ItemKind
from skillbite.domain.grading import (
    DEFAULT_TYPICAL_MS,
    EASY_BELOW_RATIO,
    HARD_ABOVE_RATIO,
    MIN_TIMINGS,
    GradingError,
    grade_from_answer,
    grade_practice,
    typical_response_ms,
)
from skillbite.domain.reviews import Grade

LEARNER_TIMINGS = [9_000, 10_000, 10_000, 11_000, 12_000]  # median 10 s


@pytest.mark.parametrize(
    ("score", "response_ms", "expected"),
    [
        (0.0, 3_000, Grade.AGAIN),  # wrong, however fast
        (0.0, 60_000, Grade.AGAIN),
        (1.0, 5_000, Grade.EASY),  # 0.5x the median
        (1.0, 5_999, Grade.EASY),
        (1.0, 6_000, Grade.GOOD),  # exactly 0.6x: not faster than the threshold
        (1.0, 10_000, Grade.GOOD),
        (1.0, 16_000, Grade.GOOD),  # exactly 1.6x
        (1.0, 16_001, Grade.HARD),
        (1.0, 45_000, Grade.HARD),
        (0.5, 4_000, Grade.HARD),  # partly right is Hard even when fast
        (1.0, 0, Grade.GOOD),  # no timing recorded
    ],
)
def test_quiz_grade_from_correctness_and_pace(score: float, response_ms: int, expected: Grade) -> None:
    grade = grade_practice(
        ItemKind.MULTIPLE_CHOICE,
        score=score,
        response_ms=response_ms,
        right_answer_timings_ms=LEARNER_TIMINGS,
    )
    assert grade is expected


def test_flashcards_keep_the_learner_grade_whatever_the_time() -> None:
    for self_grade in Grade:
        assert (
            grade_practice(
                ItemKind.FLASHCARD,
                score=0.0,
                response_ms=1,
                right_answer_timings_ms=[],
                self_grade=self_grade,
            )
            is self_grade
        )


def test_flashcard_without_self_grade_says_what_to_send() -> None:
    with pytest.raises(GradingError, match="self_grade"):
        grade_practice(ItemKind.FLASHCARD, score=1.0, response_ms=5_000, right_answer_timings_ms=[])


def test_few_timings_fall_back_to_the_kind_default() -> None:
    few = [1_000] * (MIN_TIMINGS - 1)
    assert typical_response_ms(ItemKind.TYPED_ANSWER, few) == DEFAULT_TYPICAL_MS[ItemKind.TYPED_ANSWER]
    enough = [1_000] * MIN_TIMINGS
    assert typical_response_ms(ItemKind.TYPED_ANSWER, enough) == 1_000


def test_median_resists_one_abandoned_answer() -> None:
    assert typical_response_ms(ItemKind.CLOZE, [8_000, 9_000, 10_000, 11_000, 900_000]) == 10_000


def test_new_learner_is_graded_against_the_default() -> None:
    fast = int(DEFAULT_TYPICAL_MS[ItemKind.TRUE_FALSE] * 0.5)
    assert (
        grade_practice(ItemKind.TRUE_FALSE, score=1.0, response_ms=fast, right_answer_timings_ms=[])
        is Grade.EASY
    )


@pytest.mark.parametrize("score", [-0.1, 1.5])
def test_score_outside_zero_one_is_refused(score: float) -> None:
    with pytest.raises(GradingError, match="score"):
        grade_from_answer(score, 5_000, 10_000.0)


@given(
    score=st.floats(min_value=0.0, max_value=1.0),
    response_ms=st.integers(min_value=1, max_value=600_000),
    typical=st.floats(min_value=500.0, max_value=120_000.0),
)
def test_grade_is_monotone_in_pace_and_wrong_is_always_again(
    score: float, response_ms: int, typical: float
) -> None:
    grade = grade_from_answer(score, response_ms, typical)
    if score == 0.0:
        assert grade is Grade.AGAIN
    elif score < 1.0:
        assert grade is Grade.HARD
    else:
        slower = grade_from_answer(score, response_ms * 2, typical)
        assert slower <= grade
        ratio = response_ms / typical
        assert (grade is Grade.EASY) == (ratio < EASY_BELOW_RATIO)
        assert (grade is Grade.HARD) == (ratio > HARD_ABOVE_RATIO)
