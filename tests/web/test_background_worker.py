"""The web server runs queued jobs and warms search by itself; an app handed a system leaves both alone."""

from __future__ import annotations

import io
import os
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from skillbite.domain import personal_params
from skillbite.services.principal import Principal
from skillbite.settings import Settings
from skillbite.store.tables.learning import JobRow
from skillbite.web.app import create_app
from skillbite.wiring import System
from tests.conftest import FakeClock
from tests.services.learning_helpers import import_demo, new_member
from tests.services.test_param_jobs import synthetic_history


def job_statuses(system: System, org_id: int) -> list[str]:
    with system.db.transaction() as session:
        return [j.status for j in session.scalars(select(JobRow).where(JobRow.org_id == org_id))]


def wait_for(condition: object, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def ada_with_a_queued_job(system: System, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Principal:
    monkeypatch.setattr(personal_params, "MIN_SCORED_REVIEWS", 200)
    ada = new_member(system)
    import_demo(system, ada)
    system.reviews.submit(ada, synthetic_history(system, ada, clock))
    assert job_statuses(system, ada.org_id) == ["queued"]
    return ada


def test_the_server_runs_queued_jobs_and_warms_every_organisation(
    system: System, settings: Settings, ada_with_a_queued_job: Principal
) -> None:
    ada = ada_with_a_queued_job
    app = create_app(settings.model_copy(update={"job_poll_seconds": 0.05}))
    with TestClient(app) as client:
        worker = app.state.worker
        assert worker.ready.wait(60), "the warm-up did not finish"
        assert set(worker.warmed) == {"default", "acme"}
        assert wait_for(lambda: job_statuses(system, ada.org_id) == ["done"]), "the queued job was not run"
        assert worker.jobs_run == 1
        assert client.get("/healthz").status_code == 200
    assert worker._thread is None, "the thread stops with the app"


def test_a_job_queued_while_serving_is_run_at_the_next_poll(
    system: System, settings: Settings, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(personal_params, "MIN_SCORED_REVIEWS", 200)
    ada = new_member(system)
    import_demo(system, ada)
    app = create_app(settings.model_copy(update={"job_poll_seconds": 0.05, "warm_search_at_start": False}))
    with TestClient(app):
        worker = app.state.worker
        assert worker.ready.wait(10) and worker.warmed == []
        system.reviews.submit(ada, synthetic_history(system, ada, clock))
        assert wait_for(lambda: job_statuses(system, ada.org_id) == ["done"]), "the queued job was not run"


def test_the_server_removes_expired_uploads(system: System, settings: Settings) -> None:
    store = system.authoring.uploads
    _, path = store.save(1, "forgotten.csv", io.BytesIO(b"front,back\n"))
    stamp = time.time() - 3 * 3600
    os.utime(path.parent, (stamp, stamp))
    app = create_app(
        settings.model_copy(
            update={"job_poll_seconds": 0.05, "warm_search_at_start": False, "upload_expiry_hours": 2}
        )
    )
    with TestClient(app):
        assert wait_for(lambda: app.state.worker.swept == 1), "the expired upload was not removed"
    assert not path.exists()


def test_polling_off_leaves_jobs_to_the_command(
    system: System, settings: Settings, ada_with_a_queued_job: Principal
) -> None:
    app = create_app(settings.model_copy(update={"job_poll_seconds": 0, "warm_search_at_start": False}))
    with TestClient(app):
        assert app.state.worker._thread is None
        time.sleep(0.2)
    assert job_statuses(system, ada_with_a_queued_job.org_id) == ["queued"]
    [result] = system.jobs.run_pending()
    assert result.status == "done"


def test_an_app_given_a_system_starts_no_worker(system: System, ada_with_a_queued_job: Principal) -> None:
    app = create_app(system=system)
    with TestClient(app):
        assert not app.state.worker.enabled and app.state.worker._thread is None
        time.sleep(0.2)
    assert job_statuses(system, ada_with_a_queued_job.org_id) == ["queued"]
