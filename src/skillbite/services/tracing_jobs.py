"""Fitting an organisation's knowledge-tracing parameters as a background job (docs/mastery.md section 1).

The job reads the organisation's review log (each answer once per skill its item practises, in time order per
learner), fits `TracingParams` (domain/tracing_fit) on the older part of each learner's answers, and scores
the fitted set and the set in use (the organisation's adopted set, or the defaults) on the newest part. It
adopts the fitted set only when its held-out log loss is lower, by storing an `org_tracing_params` row; either
way the job's note says what happened and why.

Queueing is automatic and cheap: after a batch of reviews, `maybe_queue_tracing_fit` queues a fit when the
organisation's review count first reaches MIN_REVIEWS_TO_FIT, then whenever it has grown by REFIT_GROWTH since
the last fit. Counting a large organisation's reviews costs tens of milliseconds (60 ms for 900,000 rows on
SQLite), too much for every answer, so it is counted only when the submitting learner's own count crosses a
multiple of CHECK_EVERY: about once per CHECK_EVERY reviews across the organisation. `skillbite mastery fit`
queues one and runs it at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillbite.domain.ids import SkillId
from skillbite.domain.knowledge_tracing import TracingParams
from skillbite.domain.tracing_fit import (
    AnswerSequence,
    HoldoutScore,
    fit_tracing_candidates,
    score_holdout,
    split_newest,
)
from skillbite.domain.tracing_params_json import tracing_params_to_dict
from skillbite.services.org_skills import item_skills
from skillbite.services.org_tracing_params import org_tracing_params
from skillbite.store.repositories.learning import JobRepository, ReviewRepository
from skillbite.store.tables.learning import JobRow, OrgTracingParamsRow, ReviewRow

FIT_TRACING = "fit_tracing"
MIN_REVIEWS_TO_FIT = 1_000
"""First automatic fit. The global layer has 45 weights: at about 20 answers each it is well determined, and
at a typical 10-30 skills a pack that is 30-100 answers per skill, past the 50 a skill needs for its own terms
(MIN_ANSWERS_PER_SKILL; the bench found fewer hurt)."""
REFIT_GROWTH = 1.5
"""Refit when the review count has grown by half since the last queued fit (1,000, 1,500, 2,250, ...): a
young organisation's parameters improve quickly with data, while a large one is not refitted (a fit costs
time in proportion to its answers) for a change too small to matter."""
CHECK_EVERY = 50
"""Count the organisation's reviews when a learner's own review count crosses a multiple of this."""
MIN_ANSWERS_TO_FIT = 200
"""Below this, even `skillbite mastery fit` refuses: the held-out fifth would be a few dozen answers."""


@dataclass(frozen=True)
class TracingFitOutcome:
    note: str
    """What the job did and why, for the job's record and the CLI."""
    adopted_version: int | None
    """The version stored, when the fitted set was adopted."""


def org_review_count(session: Session, org_id: int) -> int:
    return session.scalar(select(func.count(ReviewRow.id)).where(ReviewRow.org_id == org_id)) or 0


def _latest_fit_job(session: Session, org_id: int) -> JobRow | None:
    query = (
        select(JobRow)
        .where(JobRow.org_id == org_id, JobRow.kind == FIT_TRACING)
        .order_by(JobRow.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def next_fit_at(last_queued_at: int | None) -> int:
    """The review count at which the next automatic fit is queued."""
    if last_queued_at is None:
        return MIN_REVIEWS_TO_FIT
    return max(MIN_REVIEWS_TO_FIT, math.ceil(last_queued_at * REFIT_GROWTH))


def queue_tracing_fit(session: Session, org_id: int, now: datetime, *, reason: str) -> JobRow:
    job = JobRow(
        kind=FIT_TRACING,
        payload={"review_count": org_review_count(session, org_id), "reason": reason},
        created_at=now,
    )
    JobRepository(session, org_id).add(job)
    session.flush()
    return job


def maybe_queue_tracing_fit(session: Session, org_id: int, user_id: int, added: int, now: datetime) -> bool:
    """After `user_id` added `added` reviews: queue a fit when the organisation's review count reached the
    next step (looked at only when the learner's count crossed a multiple of CHECK_EVERY); True if queued."""
    if added <= 0:
        return False
    session.flush()
    learner_count = ReviewRepository(session, org_id).count_for(user_id)
    if learner_count // CHECK_EVERY == (learner_count - added) // CHECK_EVERY:
        return False
    latest = _latest_fit_job(session, org_id)
    if latest is not None and latest.status in ("queued", "running"):
        return False
    count = org_review_count(session, org_id)
    last_at = int(latest.payload.get("review_count", 0)) if latest is not None else None
    if count < next_fit_at(last_at):
        return False
    queue_tracing_fit(session, org_id, now, reason="automatic")
    return True


def org_answer_sequences(session: Session, org_id: int) -> list[AnswerSequence]:
    """Each learner's answers in time order, one per skill the item practises (as `learner_mastery` reads
    them); only three small columns are read, never the stored answers."""
    rows = session.execute(
        select(ReviewRow.learner_id, ReviewRow.item_id, ReviewRow.correct)
        .where(ReviewRow.org_id == org_id)
        .order_by(ReviewRow.learner_id, ReviewRow.reviewed_at, ReviewRow.uuid)
    ).all()
    skills_of = item_skills(session, org_id, {item_id for _, item_id, _ in rows})
    sequences: dict[int, list[tuple[SkillId, bool]]] = {}
    for learner_id, item_id, correct in rows:
        sequence = sequences.setdefault(learner_id, [])
        sequence.extend((skill, bool(correct)) for skill in skills_of.get(item_id, ()))
    return [sequence for sequence in sequences.values() if sequence]


def _latest_version(session: Session, org_id: int) -> int:
    query = select(func.max(OrgTracingParamsRow.version)).where(OrgTracingParamsRow.org_id == org_id)
    return session.scalar(query) or 0


def _describe(score: HoldoutScore) -> str:
    auc = "n/a" if score.auc is None else f"{score.auc:.4f}"
    return f"log loss {score.log_loss:.4f}, AUC {auc}"


def run_tracing_fit(session: Session, job: JobRow, now: datetime) -> TracingFitOutcome:
    """Fit, validate on each learner's newest answers, adopt only when better (see the module docstring).
    The outcome's note is also kept in the job's payload (`note`), so why a fit was not adopted stays on
    record."""
    outcome = _fit(session, job, now)
    job.payload = {**job.payload, "note": outcome.note, "adopted_version": outcome.adopted_version}
    return outcome


def _fit(session: Session, job: JobRow, now: datetime) -> TracingFitOutcome:
    org_id = job.org_id
    learners = org_answer_sequences(session, org_id)
    answers = sum(len(s) for s in learners)
    split = split_newest(learners)
    # A JSON column is not tracked for in-place changes: assign a new dict.
    job.payload = {**job.payload, "answers": answers, "holdout_answers": split.n_holdout}
    if answers < MIN_ANSWERS_TO_FIT or split.n_holdout == 0:
        return TracingFitOutcome(
            f"not fitted: {answers} answers on skills ({split.n_holdout} held out), a fit needs "
            f"{MIN_ANSWERS_TO_FIT} and learners with at least 5 answers each; the defaults stay in use",
            None,
        )
    # The simpler candidate wins when the organisation has too few answers per skill for their own terms.
    scored = [
        (score_holdout(params, split), name, params)
        for name, params in fit_tracing_candidates(split.train).items()
    ]
    fitted_score, name, fitted = min(scored, key=lambda candidate: candidate[0].log_loss)
    current: TracingParams = org_tracing_params(session, org_id)
    previous_version = _latest_version(session, org_id)
    in_use = f"version {previous_version}" if previous_version else "the defaults"
    current_score = score_holdout(current, split)
    comparison = (
        f"on {split.n_holdout} held-out answers: fitted ({name}) {_describe(fitted_score)}; "
        f"{in_use} {_describe(current_score)}"
    )
    if not fitted_score.log_loss < current_score.log_loss:
        return TracingFitOutcome(f"kept {in_use}: the fit did not predict better ({comparison})", None)
    version = previous_version + 1
    session.add(
        OrgTracingParamsRow(
            org_id=org_id,
            version=version,
            fitted_at=now,
            params=dict(tracing_params_to_dict(fitted)),
            answers_used=split.n_train,
            skills_fitted=len(fitted.skills),
            holdout_answers=split.n_holdout,
            log_loss_fitted=fitted_score.log_loss,
            log_loss_previous=current_score.log_loss,
            auc_fitted=fitted_score.auc,
            auc_previous=current_score.auc,
        )
    )
    session.flush()
    return TracingFitOutcome(
        f"adopted version {version} ({len(fitted.skills)} skills with their own terms; {comparison})", version
    )
