"""An item's state is the fold of its reviews in time order, whatever order and batches they arrived in.

Grades are fixed when a review is stored, so the answers here are chosen to grade the same in any arrival
order (wrong: Again; right with a constant time: Good; flashcards: the learner's own button).
"""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillbite.services.principal import Principal
from skillbite.services.reviews import ReviewSubmission
from skillbite.wiring import System
from tests.conftest import FakeClock
from tests.services.learning_helpers import (
    import_demo,
    item_by_kind,
    learner_in,
    new_member,
    review_rows,
    right_answer,
    state_rows,
    wrong_answer,
)

KINDS = ("flashcard", "true_false", "cloze")
ZONES = ("UTC", "America/New_York", "Asia/Tokyo")
_learners = itertools.count()

review_specs = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.integers(0, 60 * 24 * 40).map(lambda m: m - m % 90),  # minutes; coarse, so ties happen
        st.integers(1, 4),  # flashcard button, or right (>= 2) / wrong (1) for the quiz items
        st.sampled_from(ZONES),
    ),
    min_size=1,
    max_size=14,
)


@pytest.fixture
def admin(system: System) -> Principal:
    principal = new_member(system)
    import_demo(system, principal)
    return principal


def _uuid(index: int, learner: int) -> str:
    # The index leads, so the uuids of both learners sort alike and same-instant ties fold alike.
    return f"{index:08x}-0000-4000-8000-{learner:012x}"


def _submissions(
    system: System, admin: Principal, clock: FakeClock, specs: list[tuple[str, int, int, str]], learner: int
) -> list[ReviewSubmission]:
    start = clock.now - timedelta(days=41)
    built = []
    for index, (kind, minutes, button, tz) in enumerate(specs):
        item = item_by_kind(system, admin, kind)
        if kind == "flashcard":
            answer: object = button
        else:
            answer = right_answer(item) if button >= 2 else wrong_answer(item)
        built.append(
            ReviewSubmission(
                uuid=_uuid(index, learner),
                item_id=item.id,
                reviewed_at=start + timedelta(minutes=minutes),
                tz=tz,
                answer=answer,
                response_ms=8_000,
            )
        )
    return built


def _states_without_learner(system: System, admin: Principal, learner: Principal) -> list[tuple[object, ...]]:
    return [row[1:] for row in state_rows(system, admin.org_id) if row[0] == learner.user_id]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=review_specs, seed=st.integers(0, 2**32 - 1), data=st.data())
def test_arrival_order_and_batches_do_not_change_the_states(
    system: System, clock: FakeClock, admin: Principal, specs, seed: int, data
) -> None:
    n = next(_learners)
    in_order = learner_in(system, admin, f"in-order-{n}@example.com")
    shuffled = learner_in(system, admin, f"shuffled-{n}@example.com")

    ordered = sorted(
        _submissions(system, admin, clock, specs, in_order.user_id), key=lambda s: (s.reviewed_at, s.uuid)
    )
    for one in ordered:
        system.reviews.submit(in_order, [one])

    arrivals = _submissions(system, admin, clock, specs, shuffled.user_id)
    random.Random(seed).shuffle(arrivals)
    cuts = sorted(data.draw(st.sets(st.integers(1, max(len(arrivals) - 1, 1)), max_size=3)))
    batches = [arrivals[a:b] for a, b in itertools.pairwise([0, *cuts, len(arrivals)]) if arrivals[a:b]]
    for batch in batches:
        system.reviews.submit(shuffled, batch)

    expected = _states_without_learner(system, admin, in_order)
    assert _states_without_learner(system, admin, shuffled) == expected
    assert len(expected) == len({s[0] for s in specs})

    before = state_rows(system, admin.org_id)
    report = system.recompute.recompute(admin.org_id)
    assert report.changed == []
    assert state_rows(system, admin.org_id) == before

    logged = len(review_rows(system, admin.org_id))
    again = system.reviews.submit(shuffled, batches[0])
    assert all(outcome.replayed for outcome in again)
    assert len(review_rows(system, admin.org_id)) == logged
    assert state_rows(system, admin.org_id) == before


def test_recompute_repairs_a_damaged_state(system: System, clock: FakeClock, admin: Principal) -> None:
    learner = learner_in(system, admin, "damaged@example.com")
    specs = [("flashcard", 0, 3, "UTC"), ("flashcard", 60 * 24 * 3, 3, "UTC"), ("cloze", 0, 2, "UTC")]
    system.reviews.submit(learner, _submissions(system, admin, clock, specs, learner.user_id))
    good = state_rows(system, admin.org_id)
    from skillbite.store.tables.learning import ItemStateRow

    with system.db.transaction() as session:
        row = session.query(ItemStateRow).filter_by(org_id=admin.org_id).first()
        assert row is not None
        row.stability, damaged = 999.0, (row.learner_id, row.item_id)
    report = system.recompute.recompute(admin.org_id)
    assert report.changed == [damaged] and report.learners == 1 and report.items == 2
    assert state_rows(system, admin.org_id) == good
