"""Personal FSRS parameters as a background job: queued after reviews, run by the worker.

A learner keeps the default parameters until they have MIN_SCORED_REVIEWS reviews FSRS can learn from
(docs/learning-engine.md says why 1,000); then a job re-fits every REFIT_EVERY more. Submitting reviews only
queues the job (cheaply, when the learner's review count crosses a step); the job decides precisely.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from skillbite.domain.personal_params import (
    MIN_SCORED_REVIEWS,
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


def maybe_queue_optimisation(session: Session, org_id: int, user_id: int, now: datetime) -> bool:
    session.flush()
    count = ReviewRepository(session, org_id).count_for(user_id)
    if count < MIN_SCORED_REVIEWS:
        return False
    jobs = JobRepository(session, org_id)
    if jobs.queued(OPTIMISE_PARAMS, "user_id", user_id):
        return False
    latest = LearnerParamsRepository(session, org_id).latest(user_id)
    checked_at = latest.scored_reviews if latest else 0
    if latest is not None and count // QUEUE_STEP == checked_at // QUEUE_STEP:
        return False
    jobs.add(JobRow(kind=OPTIMISE_PARAMS, payload={"user_id": user_id}, created_at=now))
    return True


def run_optimisation(session: Session, job: JobRow, now: datetime) -> str:
    """Fit the learner's parameters; adopt them if they predict the newest reviews better. Says what it did."""
    user_id = int(job.payload["user_id"])
    reviews = [review_entity(r) for r in ReviewRepository(session, job.org_id).of_learner(user_id)]
    scored_count = len(scored_reviews(reviews))
    params_repo = LearnerParamsRepository(session, job.org_id)
    latest = params_repo.latest(user_id)
    fitted_count = latest.scored_reviews if latest and latest.log_loss_fitted is not None else None
    if not due_for_optimisation(scored_count, fitted_count):
        return f"not due: {scored_count} scored reviews"
    current = ParamSet(tuple(latest.params), latest.version) if latest else None
    result = optimise_with_holdout(reviews, current) if current else optimise_with_holdout(reviews)
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
        return (
            f"adopted {result.chosen.version} ({result.holdout_log_loss_candidate:.4f} < "
            f"{result.holdout_log_loss_current:.4f})"
        )
    return (
        f"kept {result.chosen.version} ({result.holdout_log_loss_candidate:.4f} >= "
        f"{result.holdout_log_loss_current:.4f})"
    )
