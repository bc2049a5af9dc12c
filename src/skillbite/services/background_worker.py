"""The web server's background thread: warms the search snapshots, then runs queued jobs as they arrive.

One daemon thread per web process. At start it builds every organisation's in-memory search snapshot (1-7 s
for the tldr corpus; with the semantic extra, its passage vectors too) before a learner's first question
has to wait for it. Then it polls the job queue every `poll_seconds` and runs what is queued, one job at a
time (`JobService.run_pending`, the same loop as `skillbite jobs run`), and removes expired uploads (`sweep`).
Several web processes may each run a worker: on PostgreSQL a job row is locked while it is taken, so no
job runs twice.

Errors never kill the thread: a failing job is recorded by the job service, and anything else is logged and
retried at the next poll.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from skillbite.services.ask import AskService
from skillbite.services.jobs import JobService
from skillbite.services.organisations import OrganisationService

log = logging.getLogger(__name__)


class BackgroundWorker:
    def __init__(
        self,
        jobs: JobService,
        ask: AskService,
        organisations: OrganisationService,
        *,
        poll_seconds: float,
        warm_search: bool,
        sweep: Callable[[], int] | None = None,
    ) -> None:
        self.jobs = jobs
        self.ask = ask
        self.organisations = organisations
        self.poll_seconds = poll_seconds
        self.warm_search = warm_search
        self.sweep = sweep
        self.swept = 0
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.jobs_run = 0
        self.warmed: list[str] = []
        self.ready = threading.Event()
        """Set once the warm-up is over (or was not asked for): what tests wait on."""

    @property
    def enabled(self) -> bool:
        return self.poll_seconds > 0 or self.warm_search

    def start(self) -> None:
        if not self.enabled or self._thread is not None:
            self.ready.set()
            return
        self._thread = threading.Thread(target=self._run, name="skillbite-background", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Look at the job queue now rather than at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to stop and wait for the job in progress (if any) to finish."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        if self.warm_search:
            self._guarded("search warm-up", self._warm_up)
        self.ready.set()
        if self.poll_seconds <= 0:
            return
        while not self._stop.is_set():
            self._guarded("job queue", self._run_jobs)
            self._guarded("upload sweep", self._sweep)
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def _warm_up(self) -> None:
        for org in self.organisations.all():
            if self._stop.is_set():
                return
            self.ask.warm(org.id)
            self.warmed.append(org.slug)

    def _run_jobs(self) -> None:
        while not self._stop.is_set():
            result = self.jobs.run_next()
            if result is None:
                return
            self.jobs_run += 1
            log.info("job %s %s: %s - %s", result.job_id, result.kind, result.status, result.note)

    def _sweep(self) -> None:
        if self.sweep is not None:
            self.swept += self.sweep()

    @staticmethod
    def _guarded(what: str, step: Callable[[], None]) -> None:
        try:
            step()
        except Exception:  # the thread must outlive a bad moment (database restarting, say)
            log.exception("background worker: %s failed; retrying at the next poll", what)
