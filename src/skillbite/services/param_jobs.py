"""Personal FSRS parameters as a background job: queued after reviews, run by the worker.

A learner keeps the default parameters until they have MIN_SCORED_REVIEWS reviews FSRS can learn from
(docs/learning-engine.md says why 1,000); then a job re-fits every REFIT_EVERY more. Submitting reviews only
queues the job (cheaply, once each time the learner's review count crosses a multiple of QUEUE_STEP); the job
decides precisely. Each job records in its payload how many scored reviews it looked at, so a fit that kept
the current parameters is not tried again before REFIT_EVERY more scored reviews.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from skillbite.domain import personal_params
from skillbite.domain.personal_params import (
    ParamSet,
    due_for_optimisation,
    optimise_with_holdout,
    scored_reviews,
)
from skillbite.services.memory_states import review_entity
from skillbite.store.repositories.learning import JobRepository, LearnerParamsRepository, ReviewRepository
from skillbite.store.tables.learning import JobRow, LearnerParamsRow

OPTIMISE_PARAMS = "optimise_params"
QUEUE_STEP = 250
"""Check again each time a learner's review count crosses a multiple of this."""


@dataclass(frozen=True)
class OptimisationOutcome:
    note: str
    """What the job did, for the worker's log."""
    adopted: bool
    """True when new parameters were stored: the learner's states must be refolded with them."""


def maybe_queue_optimisation(session: Session, org_id: int, user_id: int, now: datetime) -> bool:
    """Queue a fit when the learner's review count reached a new step; True if a job was queued."""
    session.flush()
    count = ReviewRepository(session, org_id).count_for(user_id)
    # Read through the module so a test (or a deployment) can lower the threshold in one place.
    if count < personal_params.MIN_SCORED_REVIEWS:
        return False
    jobs = JobRepository(session, org_id).of_kind(OPTIMISE_PARAMS, "user_id", user_id)
    if any(job.status in ("queued", "running") for job in jobs):
        return False
    queued_at = [int(job.payload.get("review_count", 0)) for job in jobs]
    if queued_at and count // QUEUE_STEP <= max(queued_at) // QUEUE_STEP:
        return False
    JobRepository(session, org_id).add(
        JobRow(kind=OPTIMISE_PARAMS, payload={"user_id": user_id, "review_count": count}, created_at=now)
    )
    return True


def _last_attempt(session: Session, job: JobRow, latest: LearnerParamsRow | None) -> int | None:
    """Scored reviews at the learner's last fit, adopted (a params row) or not (an earlier job's payload)."""
    counts = [latest.scored_reviews] if latest is not None else []
    for other in JobRepository(session, job.org_id).of_kind(
        OPTIMISE_PARAMS, "user_id", job.payload["user_id"]
    ):
        if other.id != job.id and other.status == "done" and "scored_reviews" in other.payload:
            counts.append(int(other.payload["scored_reviews"]))
    return max(counts) if counts else None


def run_optimisation(session: Session, job: JobRow, now: datetime) -> OptimisationOutcome:
    """Fit the learner's parameters; adopt them if they predict the newest reviews better."""
    user_id = int(job.payload["user_id"])
    reviews = [review_entity(r) for r in ReviewRepository(session, job.org_id).of_learner(user_id)]
    scored_count = len(scored_reviews(reviews))
    params_repo = LearnerParamsRepository(session, job.org_id)
    latest = params_repo.latest(user_id)
    if not due_for_optimisation(scored_count, _last_attempt(session, job, latest)):
        return OptimisationOutcome(f"not due: {scored_count} scored reviews", adopted=False)
    # A JSON column is not tracked for in-place changes: assign a new dict.
    job.payload = {**job.payload, "scored_reviews": scored_count}
    current = ParamSet(tuple(latest.params), latest.version) if latest else None
    result = optimise_with_holdout(reviews, current) if current else optimise_with_holdout(reviews)
    losses = f"{result.holdout_log_loss_candidate:.4f} vs {result.holdout_log_loss_current:.4f}"
    if result.adopted and params_repo.by_version(user_id, result.chosen.version) is None:
        params_repo.add(
            LearnerParamsRow(
                user_id=user_id,
                version=result.chosen.version,
                params=list(result.chosen.params),
                scored_reviews=scored_count,
                log_loss_default=result.holdout_log_loss_current,
                log_loss_fitted=result.holdout_log_loss_candidate,
                created_at=now,
            )
        )
        return OptimisationOutcome(
            f"adopted {result.chosen.version} (holdout log loss {losses})", adopted=True
        )
    return OptimisationOutcome(f"kept {result.chosen.version} (holdout log loss {losses})", adopted=False)
