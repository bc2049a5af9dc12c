"""`skillbite recompute`, `skillbite jobs run` and `skillbite mastery fit`: the learning engine's maintenance
commands."""

from __future__ import annotations

from typing import Annotated

import typer

from skillbite.cli.context import open_system, out_console, user_errors
from skillbite.cli.pack import org_id

jobs_app = typer.Typer(help="Background jobs.", no_args_is_help=True)


@user_errors
def recompute(org: Annotated[str, typer.Option("--org", help="Organisation slug.")] = "default") -> None:
    """Rebuild every memory state from the review log; report any state that differed."""
    with open_system() as system:
        report = system.recompute.recompute(org_id(system, org))
    out_console.print(
        f"recomputed {report.items} items of {report.learners} learners; "
        f"{len(report.changed)} state(s) differed from the log and were rebuilt",
        markup=False,
    )


@jobs_app.command("run")
@user_errors
def run_jobs(limit: Annotated[int, typer.Option(help="Stop after this many jobs.")] = 100) -> None:
    """Run queued background jobs (e.g. optimising learners' memory parameters), then stop."""
    with open_system() as system:
        results = system.jobs.run_pending(limit)
    for result in results:
        out_console.print(f"job {result.job_id} {result.kind}: {result.status} - {result.note}", markup=False)
    out_console.print(f"{len(results)} job(s) run", markup=False)


mastery_app = typer.Typer(
    help="Mastery per skill: the organisation's knowledge-tracing model.", no_args_is_help=True
)


@mastery_app.command("fit")
@user_errors
def fit_mastery(org: Annotated[str, typer.Option("--org", help="Organisation slug.")] = "default") -> None:
    """Fit the organisation's knowledge-tracing parameters now (the background job, run at once) and adopt
    them if they predict its learners' newest answers better than the parameters in use."""
    with open_system() as system:
        result = system.jobs.fit_tracing_now(org_id(system, org))
    out_console.print(f"job {result.job_id} {result.kind}: {result.status} - {result.note}", markup=False)
    if result.status != "done":
        raise typer.Exit(1)
