"""`skillbite db upgrade`: bring the database to the current schema."""

from __future__ import annotations

import typer

from skillbite.cli.context import open_system, out_console, user_errors

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)


@db_app.command("upgrade")
@user_errors
def upgrade() -> None:
    """Apply every migration up to the newest; creates the `default` organisation on first run."""
    with open_system() as system:
        before, after = system.schema.upgrade()
        if before == after:
            out_console.print(f"database is current (revision {after})")
        else:
            out_console.print(f"database upgraded from {before or 'empty'} to {after}")
