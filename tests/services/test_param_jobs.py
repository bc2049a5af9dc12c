"""Personal FSRS parameters: a job is queued once the learner has enough reviews, and the worker runs it.

The real threshold is 1,000 scored reviews (docs/learning-engine.md); here it is lowered so that a small
synthetic history (40 items, 8 reviews each, recalled 60% of the time whatever the interval: a learner who
forgets much faster than the default parameters expect) is enough, and fast.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from skillbite.domain import personal_params
from skillbite.services import param_jobs
from skillbite.services.learner_context import learner_context
from skillbite.services.principal import Principal
from skillbite.services.reviews import ReviewSubmission
from skillbite.store.tables.learning import JobRow, LearnerParamsRow
from skillbite.wiring import System
from tests.conftest import FakeClock
from tests.services.learning_helpers import (
    import_demo,
    items_of,
    new_member,
    review_rows,
    right_answer,
    wrong_answer,
)

GAPS = [1, 2, 4, 7, 12, 20, 30, 45]


def synthetic_history(system: System, ada: Principal, clock: FakeClock) -> list[ReviewSubmission]:
    rng = random.Random(7)
    start = clock.now - timedelta(days=200)
    built = []
    for n, item in enumerate(items_of(system, ada)[:40]):
        day = 0
        for gap in GAPS:
            recalled = rng.random() < 0.6
            answer = (
                (3 if recalled else 1)
                if item.kind == "flashcard"
                else (right_answer(item) if recalled else wrong_answer(item))
            )
            built.append(
                ReviewSubmission(
                    uuid=str(uuid.UUID(int=rng.getrandbits(128))),
                    item_id=item.id,
                    reviewed_at=start + timedelta(days=day, minutes=n),
                    tz="UTC",
                    answer=answer,
                    response_ms=0,  # no timing: a right answer is Good, as the flashcards' 3
                )
            )
            day += gap
    return sorted(built, key=lambda s: s.reviewed_at)


@pytest.fixture
def ada(system: System, monkeypatch: pytest.MonkeyPatch) -> Principal:
    monkeypatch.setattr(personal_params, "MIN_SCORED_REVIEWS", 200)
    principal = new_member(system)
    import_demo(system, principal)
    return principal


def jobs(system: System, org_id: int) -> list[JobRow]:
    with system.db.transaction() as session:
        return list(session.scalars(select(JobRow).where(JobRow.org_id == org_id).order_by(JobRow.id)))


def params_rows(system: System, org_id: int) -> list[LearnerParamsRow]:
    with system.db.transaction() as session:
        return list(session.scalars(select(LearnerParamsRow).where(LearnerParamsRow.org_id == org_id)))


def test_the_job_is_queued_at_the_threshold_and_adopts_better_parameters(
    system: System, clock: FakeClock, ada: Principal, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = synthetic_history(system, ada, clock)
    system.reviews.submit(ada, history[:150])
    assert jobs(system, ada.org_id) == []
    system.reviews.submit(ada, history[150:])
    [queued] = jobs(system, ada.org_id)
    assert (queued.kind, queued.status, queued.payload) == (
        "optimise_params",
        "queued",
        {"user_id": ada.user_id, "review_count": len(history)},
    )

    [result] = system.jobs.run_pending()
    assert result.status == "done" and result.note.startswith("adopted fsrs6-"), result.note
    [fitted] = params_rows(system, ada.org_id)
    assert fitted.version != "fsrs6-default" and fitted.scored_reviews == 280
    assert fitted.log_loss_fitted < fitted.log_loss_default
    [done] = jobs(system, ada.org_id)
    assert done.status == "done" and done.payload["scored_reviews"] == 280 and done.finished_at == clock.now

    # The states were refolded with the new parameters: a recompute finds nothing to change.
    assert system.recompute.recompute(ada.org_id).changed == []
    with system.db.transaction() as session:
        assert learner_context(session, ada.org_id, ada.user_id).params_version == fitted.version
    # New reviews record the version that scheduled them.
    item = items_of(system, ada)[0]
    [outcome] = system.reviews.submit(
        ada, [ReviewSubmission(str(uuid.uuid4()), item.id, clock.now, "UTC", right_answer(item), 8_000)]
    )
    assert [r.params_version for r in review_rows(system, ada.org_id) if r.uuid == outcome.uuid] == [
        fitted.version
    ]
    assert len(jobs(system, ada.org_id)) == 1, "no new job before the count crosses the next step"
    assert system.jobs.run_pending() == []


def test_a_fit_is_not_tried_again_before_enough_new_reviews(
    system: System, clock: FakeClock, ada: Principal, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = synthetic_history(system, ada, clock)
    system.reviews.submit(ada, history)
    system.jobs.run_pending()
    monkeypatch.setattr(param_jobs, "QUEUE_STEP", 10)
    more = [
        ReviewSubmission(
            str(uuid.uuid4()), item.id, clock.now - timedelta(minutes=n), "UTC", right_answer(item), 8_000
        )
        for n, item in enumerate(items_of(system, ada)[40:52])
    ]
    system.reviews.submit(ada, more)
    assert [j.status for j in jobs(system, ada.org_id)] == ["done", "queued"]
    [result] = system.jobs.run_pending()
    assert result.status == "done" and result.note.startswith("not due"), result.note
    assert len(params_rows(system, ada.org_id)) == 1


def test_a_failing_job_is_recorded_not_lost(system: System, clock: FakeClock, ada: Principal) -> None:
    with system.db.transaction() as session:
        session.add(JobRow(org_id=ada.org_id, kind="no_such_job", payload={}, created_at=clock.now))
    [result] = system.jobs.run_pending()
    assert result.status == "failed" and "no_such_job" in result.note
    [job] = jobs(system, ada.org_id)
    assert job.status == "failed" and "no_such_job" in (job.error or "")
