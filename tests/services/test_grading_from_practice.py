"""The grade a stored review carries: quiz items from correctness and time, flashcards from the learner.

Mapping (docs/learning-engine.md, "Grades from practice"): wrong is Again (1), partly right is Hard (2);
right is Easy (4) under 0.6x the learner's typical time for the kind, Good (3) up to 1.6x, Hard above; the
typical time is the median of the learner's earlier timed right answers once there are 5, else a default
(true/false: 6 s).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from skillbite.services.errors import InvalidInput
from skillbite.services.principal import Principal
from skillbite.services.reviews import ReviewSubmission
from skillbite.wiring import System
from tests.conftest import FakeClock
from tests.services.learning_helpers import (
    import_demo,
    item_by_kind,
    items_of,
    new_member,
    review_rows,
    submission,
)


@pytest.fixture
def ada(system: System) -> Principal:
    principal = new_member(system)
    import_demo(system, principal)
    return principal


def grade_of(system: System, ada: Principal, sent: ReviewSubmission) -> int:
    [outcome] = system.reviews.submit(ada, [sent])
    [row] = [r for r in review_rows(system, ada.org_id) if r.uuid == outcome.uuid]
    assert row.grade == outcome.grade
    return outcome.grade


# (response time, grade) for a right true/false answer with no history (typical 6 s).
BY_TIME = [(2_000, 4), (3_500, 4), (6_000, 3), (9_500, 3), (10_000, 2), (30_000, 2), (0, 3)]


def test_a_right_answer_is_graded_by_time_against_the_default(
    system: System, clock: FakeClock, ada: Principal
) -> None:
    item = item_by_kind(system, ada, "true_false")
    # All at the same instant: none is "earlier" than another, so each is graded against the default.
    graded = [(ms, grade_of(system, ada, submission(item, clock.now, response_ms=ms))) for ms, _ in BY_TIME]
    assert graded == BY_TIME


def test_a_wrong_answer_is_again_whatever_the_time(system: System, clock: FakeClock, ada: Principal) -> None:
    for kind in ("true_false", "multiple_choice", "cloze", "typed_answer", "ordering", "matching"):
        item = item_by_kind(system, ada, kind)
        sent = submission(item, clock.now, right=False, response_ms=1_000)
        assert grade_of(system, ada, sent) == 1, kind
    assert not any(row.correct for row in review_rows(system, ada.org_id))


def test_a_partly_right_answer_is_hard(system: System, clock: FakeClock, ada: Principal) -> None:
    item = next(i for i in items_of(system, ada) if i.kind == "matching" and len(i.body["pairs"]) >= 3)
    pairs = item.body["pairs"]
    answer = {p["left"]: p["right"] for p in pairs}
    answer[pairs[0]["left"]], answer[pairs[1]["left"]] = pairs[1]["right"], pairs[0]["right"]
    sent = ReviewSubmission(**{**submission(item, clock.now, response_ms=1_000).__dict__, "answer": answer})
    [outcome] = system.reviews.submit(ada, [sent])
    assert (outcome.correct, outcome.grade) == (False, 2) and 0 < outcome.score < 1


def test_after_five_timed_right_answers_the_learners_own_median_counts(
    system: System, clock: FakeClock, ada: Principal
) -> None:
    items = [i for i in items_of(system, ada) if i.kind == "true_false"]
    start = clock.now - timedelta(days=10)
    # Without history, 10 s on a true/false item is slow (default 6 s): Hard.
    early = submission(items[0], start - timedelta(days=1), response_ms=10_000)
    assert grade_of(system, ada, early) == 2
    # A slow reader: five right answers around 20 s.
    for day, ms in enumerate([19_000, 20_000, 21_000, 20_000, 22_000], start=1):
        system.reviews.submit(
            ada, [submission(items[day % len(items)], start + timedelta(days=day), response_ms=ms)]
        )
    later = start + timedelta(days=7)
    assert grade_of(system, ada, submission(items[1], later, response_ms=10_000)) == 4  # 0.5x median
    assert grade_of(system, ada, submission(items[2], later + timedelta(hours=1), response_ms=20_000)) == 3
    assert grade_of(system, ada, submission(items[3], later + timedelta(hours=2), response_ms=40_000)) == 2
    # Answers given later never change the grade of an earlier one, even when they arrive first.
    before_all = submission(items[4], start - timedelta(days=2), response_ms=10_000)
    assert grade_of(system, ada, before_all) == 2


def test_flashcards_are_self_graded_and_time_is_ignored(
    system: System, clock: FakeClock, ada: Principal
) -> None:
    card = item_by_kind(system, ada, "flashcard")
    for button in (1, 2, 3, 4):
        sent = ReviewSubmission(
            **{**submission(card, clock.now, response_ms=90_000).__dict__, "answer": button}
        )
        [outcome] = system.reviews.submit(ada, [sent])
        assert outcome.grade == button and outcome.correct == (button > 1)


def test_a_flashcard_grade_may_come_as_self_grade(system: System, clock: FakeClock, ada: Principal) -> None:
    card = item_by_kind(system, ada, "flashcard")
    only_field = ReviewSubmission(**{**submission(card, clock.now).__dict__, "answer": None, "self_grade": 4})
    [outcome] = system.reviews.submit(ada, [only_field])
    assert outcome.grade == 4 and review_rows(system, ada.org_id)[0].answer == 4
    disagree = ReviewSubmission(**{**submission(card, clock.now).__dict__, "answer": 2, "self_grade": 4})
    with pytest.raises(InvalidInput, match="disagree"):
        system.reviews.submit(ada, [disagree])
    with pytest.raises(InvalidInput, match="self-grade"):
        system.reviews.submit(
            ada, [ReviewSubmission(**{**submission(card, clock.now).__dict__, "answer": 7})]
        )
