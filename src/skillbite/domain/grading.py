"""The grade a practice answer gives the memory model.

Flashcards are graded by the learner (Again/Hard/Good/Easy). For every other item kind the grade is derived
from the answer: wrong is Again; right is Easy, Good or Hard by how fast it came compared with the
learner's own typical time for that kind of item; partly right (0 < score < 1) is Hard. The thresholds and
why they are what they are: docs/learning-engine.md, "Grades from practice".
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

from skillbite.domain.content import ItemKind
from skillbite.domain.reviews import Grade

EASY_BELOW_RATIO = 0.6
"""Right in under 0.6x the learner's median time: Easy (about the fastest tenth of right answers)."""
HARD_ABOVE_RATIO = 1.6
"""Right but slower than 1.6x the median: Hard (about the slowest tenth of right answers)."""
MIN_TIMINGS = 5
"""Fewer timed right answers than this for a kind: the median is too noisy, use the default below."""

DEFAULT_TYPICAL_MS: dict[ItemKind, int] = {
    # Starting points for a learner with no history, from the time it takes to read and answer each kind;
    # replaced by the learner's own median after MIN_TIMINGS right answers of that kind.
    ItemKind.TRUE_FALSE: 6_000,
    ItemKind.MULTIPLE_CHOICE: 10_000,
    ItemKind.CLOZE: 12_000,
    ItemKind.TYPED_ANSWER: 15_000,
    ItemKind.ORDERING: 20_000,
    ItemKind.MATCHING: 25_000,
    ItemKind.FLASHCARD: 11_000,
}


class GradingError(ValueError):
    """An answer that cannot be graded as given; the message says which field and how to fix it."""


def typical_response_ms(kind: ItemKind, right_answer_timings_ms: Sequence[int]) -> float:
    """The learner's typical time for `kind`: the median of their timed right answers, or the kind's default.

    The median, not the mean, because a learner who leaves the app open for ten minutes produces one huge
    timing that would drag a mean for weeks.
    """
    timings = [t for t in right_answer_timings_ms if t > 0]
    if len(timings) < MIN_TIMINGS:
        return float(DEFAULT_TYPICAL_MS[kind])
    return float(median(timings))


def grade_from_answer(score: float, response_ms: int, typical_ms: float) -> Grade:
    """Grade a quiz answer. `score` is the share of the answer that was right (1.0 = fully right)."""
    if not 0.0 <= score <= 1.0:
        raise GradingError(f"field score={score} must be between 0 (wrong) and 1 (fully right)")
    if typical_ms <= 0:
        raise GradingError(f"field typical_ms={typical_ms} must be positive; use typical_response_ms()")
    if score == 0.0:
        return Grade.AGAIN
    if score < 1.0:
        return Grade.HARD
    if response_ms <= 0:
        # No timing (e.g. an offline client that lost it): right, nothing more known.
        return Grade.GOOD
    ratio = response_ms / typical_ms
    if ratio < EASY_BELOW_RATIO:
        return Grade.EASY
    if ratio > HARD_ABOVE_RATIO:
        return Grade.HARD
    return Grade.GOOD


def grade_practice(
    kind: ItemKind,
    *,
    score: float,
    response_ms: int,
    right_answer_timings_ms: Sequence[int],
    self_grade: Grade | None = None,
) -> Grade:
    """The grade to store for one answer.

    Flashcards need `self_grade` (the learner's own button); other kinds ignore it and are graded from
    `score` and `response_ms` against `right_answer_timings_ms`, the learner's earlier right answers of
    the same kind.
    """
    if kind is ItemKind.FLASHCARD:
        if self_grade is None:
            raise GradingError(
                "flashcard answer without self_grade: send 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)"
            )
        return self_grade
    return grade_from_answer(score, response_ms, typical_response_ms(kind, right_answer_timings_ms))
