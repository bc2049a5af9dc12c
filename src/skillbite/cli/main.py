"""The `skillbite` command: thin over the services, built through the same wiring as the web app."""

from __future__ import annotations

from typing import Annotated

import typer

import skillbite
from skillbite.cli.ask import ask
from skillbite.cli.context import open_system, out_console, user_errors
from skillbite.cli.db import db_app
from skillbite.cli.demo import demo_app
from skillbite.cli.importers import import_app
from skillbite.cli.learning import jobs_app, mastery_app, recompute
from skillbite.cli.org import org_app
from skillbite.cli.pack import pack_app
from skillbite.cli.serve import serve
from skillbite.cli.user import user_app

app = typer.Typer(
    name="skillbite",
    help="Micro-learning and just-in-time skill acquisition.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_app, name="db")
app.add_typer(org_app, name="org")
app.add_typer(user_app, name="user")
app.add_typer(pack_app, name="pack")
app.add_typer(demo_app, name="demo")
app.add_typer(import_app, name="import")
app.add_typer(jobs_app, name="jobs")
app.add_typer(mastery_app, name="mastery")
app.command()(recompute)
app.command()(ask)
app.command()(serve)


def _version(value: bool) -> None:
    if value:
        out_console.print(f"skillbite {skillbite.__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """skillbite: learn a work skill in minutes, and keep it."""


__all__ = ["app", "open_system", "run", "user_errors"]


def run() -> None:
    app()
