"""XP: paid for recall (more when recall was unlikely) and for mastery milestones, once each, never twice."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillbite.domain.ids import ItemId, SkillId
from skillbite.domain.mastery import MASTERED_THRESHOLD
from skillbite.domain.xp import (
    RECALL_BASE_XP,
    MasteryGain,
    ReviewOutcome,
    XpAward,
    XpSource,
    mastery_awards,
    recall_xp,
    review_awards,
    total_xp,
    xp_by_day,
)

MONDAY, TUESDAY = date(2026, 3, 2), date(2026, 3, 3)


def outcome(
    n: int, item: str = "git-1", day: date = MONDAY, recalled: bool = True, p: float | None = 0.5
) -> ReviewOutcome:
    return ReviewOutcome(UUID(int=n), ItemId(item), day, recalled, p)


@pytest.mark.parametrize(
    ("recalled", "p", "xp"),
    [(True, 0.3, 12), (True, 0.9, 6), (True, 0.99, 5), (True, 0.0, 15), (True, None, 5), (False, 0.1, 0)],
)
def test_recall_pays_more_when_recall_was_unlikely(recalled: bool, p: float | None, xp: int) -> None:
    assert recall_xp(recalled, p) == xp


@given(st.floats(min_value=0.0, max_value=1.0), st.floats(min_value=0.0, max_value=1.0))
def test_recall_xp_never_falls_as_recall_gets_less_likely(p: float, q: float) -> None:
    harder, easier = sorted((p, q))
    assert RECALL_BASE_XP <= recall_xp(True, easier) <= recall_xp(True, harder) <= RECALL_BASE_XP + 10


def test_a_retried_review_uuid_is_paid_once() -> None:
    awards = review_awards([outcome(1), outcome(1), outcome(1)])
    assert awards == [XpAward(XpSource.RECALL, str(UUID(int=1)), MONDAY, 10)]


def test_an_item_pays_once_per_study_day_and_a_failure_does_not_use_the_day() -> None:
    awards = review_awards(
        [
            outcome(1, recalled=False, p=0.4),  # wrong: 0, the item's day is still open
            outcome(2, p=0.6),  # first success today: 5 + 4
            outcome(3, p=0.95),  # drilling the same item again today: nothing
            outcome(4, item="git-2", p=0.2),  # another item: 5 + 8
            outcome(5, day=TUESDAY, p=0.7),  # the next day pays again: 5 + 3
        ]
    )
    assert [(a.key, a.xp) for a in awards] == [
        (str(UUID(int=2)), 9),
        (str(UUID(int=4)), 13),
        (str(UUID(int=5)), 8),
    ]
    assert total_xp(awards) == 30
    assert xp_by_day(awards) == {MONDAY: 22, TUESDAY: 8}


def test_mastery_milestones_pay_the_first_time_they_are_reached() -> None:
    skill = SkillId("git-branching")
    from_zero = mastery_awards(MasteryGain(skill, MONDAY, previous_best=0.0, current=0.96))
    assert [(a.key, a.xp) for a in from_zero] == [
        ("git-branching@0.5", 10),
        (f"git-branching@{MASTERED_THRESHOLD}", 25),
        ("git-branching@0.95", 15),
    ]
    assert [a.xp for a in mastery_awards(MasteryGain(skill, MONDAY, 0.45, 0.55))] == [10]
    # Mastery that decayed and came back does not pay again: the best ever was already above 0.8.
    assert mastery_awards(MasteryGain(skill, TUESDAY, previous_best=0.85, current=0.82)) == []
    assert mastery_awards(MasteryGain(skill, TUESDAY, previous_best=0.9, current=0.3)) == []


def test_impossible_probabilities_are_refused_with_the_field_named() -> None:
    with pytest.raises(ValueError, match=r"p_recall_before=1\.5"):
        outcome(1, p=1.5)
    with pytest.raises(ValueError, match=r"field current=1\.2"):
        MasteryGain(SkillId("s"), MONDAY, 0.1, 1.2)
