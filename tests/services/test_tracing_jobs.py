"""Per-organisation knowledge-tracing parameters: the fit job adopts a fit only when it predicts the newest
answers better, the review path queues it at the threshold, an adopted set is used for that organisation
only, and the cached learner views move with it.

The synthetic organisation: four learners answer the demo pack's items; items of half the skills are almost
always answered wrong, the others almost always right (a difference the shipped defaults know nothing
about, since they have no per-skill terms)."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from skillbite.domain.ids import SkillId
from skillbite.domain.knowledge_tracing import DEFAULT_TRACING_PARAMS
from skillbite.services import tracing_jobs
from skillbite.services.mastery import MasteryService
from skillbite.services.org_skills import item_skills
from skillbite.services.org_tracing_params import org_tracing_params
from skillbite.services.principal import Principal
from skillbite.services.reviews import ReviewSubmission
from skillbite.services.watermarks import learner_watermark
from skillbite.store.tables.learning import JobRow, OrgTracingParamsRow
from skillbite.wiring import System
from tests.conftest import FakeClock
from tests.services.learning_helpers import (
    import_demo,
    items_of,
    learner_in,
    new_member,
    right_answer,
    wrong_answer,
)
from tests.services.test_learner_view_cache import cached_views, fresh_views

ANSWERS_EACH = 240
"""Four learners: 960 reviews, just under the automatic threshold (1,000)."""


def hard_skills(system: System, ada: Principal) -> set[SkillId]:
    with system.db.transaction() as session:
        skills_of = item_skills(session, ada.org_id, [item.id for item in items_of(system, ada)])
    every = sorted({skill for skills in skills_of.values() for skill in skills})
    return set(every[::2])


def answer_like_the_org(
    system: System, clock: FakeClock, learners: list[Principal], seed: int = 3, answers: int = ANSWERS_EACH
) -> int:
    """Each learner answers `answers` items (in a shuffled order, a minute apart, over the last days):
    right 90% of the time on items of easy skills, 10% on items of hard ones. Returns the answers sent."""
    rng = random.Random(seed)
    admin = learners[0]
    items = items_of(system, admin)
    with system.db.transaction() as session:
        skills_of = item_skills(session, admin.org_id, [item.id for item in items])
    hard = hard_skills(system, admin)
    start = clock.now - timedelta(days=3)
    sent = 0
    for learner in learners:
        batch = []
        for n in range(answers):
            item = rng.choice(items)
            is_hard = bool(set(skills_of.get(item.id, ())) & hard)
            right = rng.random() < (0.1 if is_hard else 0.9)
            answer = (3 if right else 1) if item.kind == "flashcard" else None
            batch.append(
                ReviewSubmission(
                    uuid=str(uuid.UUID(int=rng.getrandbits(128))),
                    item_id=item.id,
                    reviewed_at=start + timedelta(minutes=n),
                    tz="UTC",
                    answer=answer
                    if answer is not None
                    else (right_answer(item) if right else wrong_answer(item)),
                    response_ms=8_000,
                )
            )
        system.reviews.submit(learner, batch)
        sent += len(batch)
    return sent


def fit_jobs(system: System, org_id: int) -> list[JobRow]:
    with system.db.transaction() as session:
        query = select(JobRow).where(JobRow.org_id == org_id, JobRow.kind == "fit_tracing")
        return list(session.scalars(query.order_by(JobRow.id)))


def adopted(system: System, org_id: int) -> list[OrgTracingParamsRow]:
    with system.db.transaction() as session:
        query = select(OrgTracingParamsRow).where(OrgTracingParamsRow.org_id == org_id)
        return list(session.scalars(query.order_by(OrgTracingParamsRow.version)))


@pytest.fixture
def org(system: System) -> list[Principal]:
    ada = new_member(system)
    import_demo(system, ada)
    return [ada, *(learner_in(system, ada, f"learner{n}@example.com") for n in range(3))]


def test_the_job_adopts_a_fit_that_predicts_better_then_keeps_it(
    system: System, clock: FakeClock, org: list[Principal]
) -> None:
    answer_like_the_org(system, clock, org)
    ada = org[0]
    assert fit_jobs(system, ada.org_id) == [], "below the threshold nothing is queued"

    first = system.jobs.fit_tracing_now(ada.org_id)
    assert first.status == "done" and first.note.startswith("adopted version 1"), first.note
    [row] = adopted(system, ada.org_id)
    assert row.log_loss_fitted < row.log_loss_previous and row.fitted_at == clock.now
    assert (row.answers_used, row.holdout_answers) == (768, 192)
    # About 40 answers per skill: a skill's own terms would overfit, the global layer with base rates wins.
    assert "fitted (global)" in first.note and row.skills_fitted == 0
    with system.db.transaction() as session:
        params = org_tracing_params(session, ada.org_id)
    assert params != DEFAULT_TRACING_PARAMS
    hard = hard_skills(system, ada)
    easy_logits = [v for s, v in params.base_logits.items() if s not in hard]
    hard_logits = [v for s, v in params.base_logits.items() if s in hard]
    assert max(hard_logits) < min(easy_logits)

    # The same answers again: the new fit is the adopted one, so it cannot predict better.
    second = system.jobs.fit_tracing_now(ada.org_id)
    assert second.status == "done" and second.note.startswith("kept version 1"), second.note
    assert len(adopted(system, ada.org_id)) == 1
    [_, kept] = fit_jobs(system, ada.org_id)
    assert kept.payload["note"] == second.note and kept.payload["adopted_version"] is None


def test_too_few_answers_are_not_fitted(system: System, org: list[Principal]) -> None:
    result = system.jobs.fit_tracing_now(org[0].org_id)
    assert result.status == "done" and result.note.startswith("not fitted: 0 answers"), result.note
    assert adopted(system, org[0].org_id) == []


def test_reviews_queue_a_fit_at_the_threshold_and_then_at_each_step(
    system: System, clock: FakeClock, org: list[Principal], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tracing_jobs, "MIN_REVIEWS_TO_FIT", 300)
    answer_like_the_org(system, clock, org[:1])  # 240 reviews
    assert fit_jobs(system, org[0].org_id) == []
    answer_like_the_org(system, clock, org[1:2], seed=4)  # 480: past the threshold
    [queued] = fit_jobs(system, org[0].org_id)
    assert (queued.status, queued.payload) == ("queued", {"review_count": 480, "reason": "automatic"})
    answer_like_the_org(system, clock, org[2:3], seed=5)  # 720: the job is still queued, no second one
    assert len(fit_jobs(system, org[0].org_id)) == 1

    [result] = system.jobs.run_pending()
    assert result.kind == "fit_tracing" and result.status == "done", result.note
    answer_like_the_org(system, clock, org[3:4], seed=6)  # 960: past 1.5 x 480 = 720
    assert [j.payload["review_count"] for j in fit_jobs(system, org[0].org_id)] == [480, 960]
    assert tracing_jobs.next_fit_at(960) == 1440 and tracing_jobs.next_fit_at(None) == 300


def test_the_organisation_is_counted_only_when_a_learners_count_crosses_a_step(
    system: System, clock: FakeClock, org: list[Principal], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tracing_jobs, "MIN_REVIEWS_TO_FIT", 241)
    answer_like_the_org(system, clock, org[:1])  # 240 reviews: below the threshold
    answer_like_the_org(system, clock, org[1:2], answers=5, seed=4)  # 245, but 0 -> 5 crosses no 50
    assert fit_jobs(system, org[0].org_id) == []
    answer_like_the_org(system, clock, org[1:2], answers=45, seed=5)  # 5 -> 50 crosses: 290 counted
    [queued] = fit_jobs(system, org[0].org_id)
    assert queued.payload["review_count"] == 290


def test_an_organisations_parameters_are_never_used_for_another(
    system: System, clock: FakeClock, org: list[Principal]
) -> None:
    answer_like_the_org(system, clock, org)
    ada = org[0]
    # Another organisation with the same pack (so the same skill ids) and one learner's same answers.
    bea = new_member(system, "bea@example.com", org="beta")
    import_demo(system, bea)
    before = system.mastery.of_learner(bea)
    assert system.jobs.fit_tracing_now(ada.org_id).note.startswith("adopted")
    with system.db.transaction() as session:
        assert org_tracing_params(session, bea.org_id) is DEFAULT_TRACING_PARAMS
        assert org_tracing_params(session, ada.org_id) is not DEFAULT_TRACING_PARAMS
    answer_like_the_org(system, clock, [bea])
    fresh = MasteryService(system.db, system.clock)
    with system.db.transaction() as session:
        assert learner_watermark(session, bea.org_id, bea.user_id, clock.now).learner[-1] is None
    assert before == [] and system.mastery.of_learner(bea) == fresh.of_learner(bea)
    result = system.jobs.fit_tracing_now(bea.org_id)
    # Beta's own fit is judged against the defaults (not acme's version 1); one learner is too little.
    assert result.note.startswith("kept the defaults"), result.note
    assert adopted(system, bea.org_id) == []


def test_adopting_parameters_invalidates_the_cached_mastery_views(
    system: System, clock: FakeClock, org: list[Principal]
) -> None:
    answer_like_the_org(system, clock, org)
    ada = org[0]
    fresh = MasteryService(system.db, system.clock)
    cached = cached_views(system)
    warmed = {name: view(ada) for name, view in cached.items()}  # every cached view, kept before adoption
    before, skill_map_before = warmed["mastery"], warmed["skill_map"]
    with system.db.transaction() as session:
        mark_before = learner_watermark(session, ada.org_id, ada.user_id, clock.now)
    assert before == fresh.of_learner(ada)

    assert system.jobs.fit_tracing_now(ada.org_id).note.startswith("adopted")
    with system.db.transaction() as session:
        mark_after = learner_watermark(session, ada.org_id, ada.user_id, clock.now)
    assert mark_after != mark_before and mark_after.learner[-1] == adopted(system, ada.org_id)[0].id
    after = system.mastery.of_learner(ada)
    assert after == fresh.of_learner(ada)
    assert after != before, "the organisation's parameters change what the learner sees"
    assert system.skill_map.of_learner(ada) != skill_map_before
    fresh_ones = fresh_views(system)
    for name, view in cached.items():
        assert view(ada) == fresh_ones[name](ada), name
