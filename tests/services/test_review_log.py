"""The review log: append-only, idempotent by the client's uuid, a batch all or nothing, scoped to the org."""

from __future__ import annotations

import uuid

import pytest

from skillbite.services.errors import Conflict, InvalidInput, NotFound
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
    submission,
)


@pytest.fixture
def ada(system: System):
    principal = new_member(system)
    import_demo(system, principal)
    return principal


def test_a_review_is_graded_on_the_server_and_stored(system: System, clock: FakeClock, ada) -> None:
    item = item_by_kind(system, ada, "true_false")
    [outcome] = system.reviews.submit(ada, [submission(item, clock.now, tz="Europe/Paris")])
    assert outcome.correct and outcome.score == 1.0 and not outcome.replayed
    assert outcome.due > clock.now
    [row] = review_rows(system, ada.org_id)
    assert (row.uuid, row.item_id, row.learner_id, row.tz) == (
        outcome.uuid,
        item.id,
        ada.user_id,
        "Europe/Paris",
    )
    assert row.answer == right_answer(item) and row.grade == outcome.grade and row.source == "app"
    assert row.params_version == "fsrs6-default" and row.reviewed_at == clock.now
    [state] = state_rows(system, ada.org_id)
    assert state[:2] == (ada.user_id, item.id) and state[4] == outcome.due


def test_the_same_uuid_and_body_again_is_a_replay(system: System, clock: FakeClock, ada) -> None:
    item = item_by_kind(system, ada, "cloze")
    sent = submission(item, clock.now)
    [first] = system.reviews.submit(ada, [sent])
    states = state_rows(system, ada.org_id)
    clock.advance(hours=2)
    [again] = system.reviews.submit(ada, [sent])
    assert again.replayed and {**again.__dict__, "replayed": False} == first.__dict__
    assert len(review_rows(system, ada.org_id)) == 1
    assert state_rows(system, ada.org_id) == states


def test_a_different_body_under_a_known_uuid_is_a_conflict(system: System, clock: FakeClock, ada) -> None:
    item = item_by_kind(system, ada, "true_false")
    sent = submission(item, clock.now)
    system.reviews.submit(ada, [sent])
    changed = ReviewSubmission(**{**sent.__dict__, "answer": not sent.answer})
    with pytest.raises(Conflict, match="different body"):
        system.reviews.submit(ada, [changed])
    assert len(review_rows(system, ada.org_id)) == 1


def test_a_conflict_is_409_over_the_api(system: System, sign_up, clock: FakeClock) -> None:
    user = sign_up()
    me = system.accounts.log_in(user.email, "correct horse battery", org_slug=user.org).principal
    import_demo(system, me)
    item = item_by_kind(system, me, "true_false")
    body = {
        "uuid": str(uuid.uuid4()),
        "item_id": item.id,
        "reviewed_at": clock.now.isoformat(),
        "answer": item.body["answer"],
        "response_ms": 5000,
    }
    first = user.api("POST", "/api/reviews", json=body)
    assert first.status_code == 200, first.text
    assert first.json()["replayed"] is False
    replay = user.api("POST", "/api/reviews", json=body)
    assert replay.status_code == 200 and replay.json() == {**first.json(), "replayed": True}
    conflict = user.api("POST", "/api/reviews", json={**body, "response_ms": 6000})
    assert conflict.status_code == 409 and conflict.json()["field"] == "uuid"


def test_a_batch_with_one_bad_review_stores_nothing(system: System, clock: FakeClock, ada) -> None:
    good = [submission(item_by_kind(system, ada, kind), clock.now) for kind in ("cloze", "matching")]
    bad = ReviewSubmission(
        **{**submission(item_by_kind(system, ada, "ordering"), clock.now).__dict__, "answer": "x"}
    )
    with pytest.raises(InvalidInput, match="ordering answer"):
        system.reviews.submit(ada, [*good, bad])
    assert review_rows(system, ada.org_id) == [] and state_rows(system, ada.org_id) == []


def test_duplicate_uuids_inside_one_batch(system: System, clock: FakeClock, ada) -> None:
    item = item_by_kind(system, ada, "typed_answer")
    sent = submission(item, clock.now)
    first, second = system.reviews.submit(ada, [sent, sent])
    assert not first.replayed and second.replayed and first.due == second.due
    assert len(review_rows(system, ada.org_id)) == 1
    clashing = ReviewSubmission(**{**sent.__dict__, "uuid": str(uuid.uuid4())})
    other = ReviewSubmission(**{**clashing.__dict__, "answer": "something else"})
    with pytest.raises(Conflict):
        system.reviews.submit(ada, [clashing, other])
    assert len(review_rows(system, ada.org_id)) == 1


def test_another_organisations_item_is_not_found(system: System, clock: FakeClock, ada, sign_up) -> None:
    bob = new_member(system, "bob@b.example", "org-b")
    item = item_by_kind(system, ada, "true_false")
    with pytest.raises(NotFound, match="no item"):
        system.reviews.submit(bob, [submission(item, clock.now)])
    assert review_rows(system, bob.org_id) == [] and review_rows(system, ada.org_id) == []


def test_another_organisations_item_is_404_over_the_api(system: System, sign_up, clock: FakeClock) -> None:
    owner = new_member(system, "owner@a.example", "org-a")
    import_demo(system, owner)
    item = item_by_kind(system, owner, "true_false")
    stranger = sign_up("eve@b.example", "org-b")
    body = {
        "uuid": str(uuid.uuid4()),
        "item_id": item.id,
        "reviewed_at": clock.now.isoformat(),
        "answer": True,
        "response_ms": 5000,
    }
    answer = stranger.api("POST", "/api/reviews/batch", json={"reviews": [body]})
    assert answer.status_code == 404 and answer.json()["field"] == "item_id"
    assert review_rows(system, owner.org_id) == []


def test_a_learner_cannot_replay_another_learners_uuid(system: System, clock: FakeClock, ada) -> None:
    bea = learner_in(system, ada, "bea@example.com")
    item = item_by_kind(system, ada, "true_false")
    sent = submission(item, clock.now)
    system.reviews.submit(ada, [sent])
    with pytest.raises(Conflict, match="already taken") as refused:
        system.reviews.submit(bea, [sent])
    assert str(item.body["answer"]).lower() not in refused.value.message.lower().replace("taken", "")
    rows = review_rows(system, ada.org_id)
    assert [r.learner_id for r in rows] == [ada.user_id]
    assert [s[0] for s in state_rows(system, ada.org_id)] == [ada.user_id]


def test_a_review_from_a_fast_clock_is_kept_at_server_time(system: System, clock: FakeClock, ada) -> None:
    """A device whose clock runs ahead must not lose its (offline) answers: the time is taken as now."""
    from datetime import timedelta

    item = item_by_kind(system, ada, "true_false")
    ahead = submission(item, clock.now + timedelta(hours=1))
    first = system.reviews.submit(ada, [ahead])[0]
    assert not first.replayed
    rows = review_rows(system, ada.org_id)
    assert len(rows) == 1
    assert system.reviews.submit(ada, [ahead])[0].replayed  # the same body again is still a replay


def test_a_malformed_uuid_or_time_zone_is_refused(system: System, clock: FakeClock, ada) -> None:
    item = item_by_kind(system, ada, "true_false")
    with pytest.raises(InvalidInput, match="not a UUID"):
        system.reviews.submit(ada, [submission(item, clock.now, uid="not-a-uuid")])
    with pytest.raises(InvalidInput, match="IANA"):
        system.reviews.submit(ada, [submission(item, clock.now, tz="Mars/Olympus")])
    assert review_rows(system, ada.org_id) == []
