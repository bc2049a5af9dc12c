"""The background worker: runs queued jobs one at a time, each in its own transaction.

`skillbite jobs run` runs what is queued and stops; the web app can run the same loop in a thread. Kinds:
`optimise_params` (a learner's FSRS parameters, services/param_jobs) and `fit_tracing` (an organisation's
knowledge-tracing parameters, services/tracing_jobs).
"""

from __future__ import annotations

from dataclasses import dataclass

from skillbite.services.clock import Clock
from skillbite.services.param_jobs import OPTIMISE_PARAMS, run_optimisation
from skillbite.services.recompute import recompute_learner
from skillbite.services.tracing_jobs import FIT_TRACING, queue_tracing_fit, run_tracing_fit
from skillbite.store.database import Database
from skillbite.store.repositories.learning import next_queued_job
from skillbite.store.tables.learning import JobRow


@dataclass(frozen=True)
class JobResult:
    job_id: int
    kind: str
    status: str
    note: str


class JobService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def run_pending(self, limit: int = 100) -> list[JobResult]:
        results = []
        for _ in range(limit):
            result = self.run_next()
            if result is None:
                break
            results.append(result)
        return results

    def run_next(self) -> JobResult | None:
        with self.db.transaction() as session:
            job = next_queued_job(session)
            if job is None:
                return None
            job.status, job.started_at = "running", self.clock()
            job_id, kind = job.id, job.kind
        return self._run(job_id, kind)

    def fit_tracing_now(self, org_id: int) -> JobResult:
        """Queue a knowledge-tracing fit for the organisation and run it at once (`skillbite mastery fit`)."""
        with self.db.transaction() as session:
            job = queue_tracing_fit(session, org_id, self.clock(), reason="requested")
            job.status, job.started_at = "running", self.clock()
            job_id = job.id
        return self._run(job_id, FIT_TRACING)

    def _run(self, job_id: int, kind: str) -> JobResult:
        try:
            with self.db.transaction() as session:
                job = session.get(JobRow, job_id)
                assert job is not None
                if kind == OPTIMISE_PARAMS:
                    outcome = run_optimisation(session, job, self.clock())
                    if outcome.adopted:  # new parameters: every state of the learner is refolded with them
                        recompute_learner(session, job.org_id, int(job.payload["user_id"]))
                    note = outcome.note
                elif kind == FIT_TRACING:
                    # An adopted set is picked up by every mastery estimate through the learners'
                    # watermark (services/watermarks); nothing stored needs rebuilding.
                    note = run_tracing_fit(session, job, self.clock()).note
                else:
                    raise ValueError(f"unknown job kind {kind!r}")
                job.status, job.finished_at = "done", self.clock()
                return JobResult(job_id, kind, "done", note)
        except Exception as error:  # a failed job is recorded, never lost
            with self.db.transaction() as session:
                failed = session.get(JobRow, job_id)
                assert failed is not None
                failed.status, failed.finished_at, failed.error = "failed", self.clock(), repr(error)
            return JobResult(job_id, kind, "failed", repr(error))
