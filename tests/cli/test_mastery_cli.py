"""`skillbite mastery fit [--org SLUG]`: queues the organisation's tracing fit, runs it, prints the result."""

from __future__ import annotations

from sqlalchemy import select

from skillbite.settings import Settings
from skillbite.store.tables.learning import JobRow, OrgTracingParamsRow
from skillbite.wiring import System
from tests.cli.test_learning_cli import env, invoke, last_line
from tests.conftest import FakeClock
from tests.services.learning_helpers import import_demo, learner_in, new_member
from tests.services.test_tracing_jobs import answer_like_the_org

__all__ = ["env"]


def test_fit_adopts_parameters_for_the_organisation(system: System, clock: FakeClock, env: Settings) -> None:
    ada = new_member(system)
    import_demo(system, ada)
    others = [learner_in(system, ada, f"l{n}@example.com") for n in range(3)]
    answer_like_the_org(system, clock, [ada, *others])

    result = invoke("mastery", "fit", "--org", "acme")
    assert result.exit_code == 0, result.output
    assert last_line(result).startswith("job 1 fit_tracing: done - adopted version 1 ("), result.output
    with system.db.transaction() as session:
        [row] = session.scalars(select(OrgTracingParamsRow).where(OrgTracingParamsRow.org_id == ada.org_id))
        [job] = session.scalars(select(JobRow).where(JobRow.org_id == ada.org_id))
    assert row.version == 1 and job.status == "done" and job.payload["reason"] == "requested"


def test_fit_without_answers_keeps_the_defaults(env: Settings) -> None:
    result = invoke("mastery", "fit")
    assert result.exit_code == 0, result.output
    assert "not fitted: 0 answers" in last_line(result) and "defaults stay in use" in result.output


def test_fit_for_an_unknown_organisation_says_so(env: Settings) -> None:
    result = invoke("mastery", "fit", "--org", "nope")
    assert result.exit_code != 0
    assert "nope" in result.output
