"""`skillbite org ...`: organisations (tenants)."""

from __future__ import annotations

from typing import Annotated

import typer

from skillbite.cli.context import open_system, out_console, user_errors

org_app = typer.Typer(help="Organisations.", no_args_is_help=True)


@org_app.command("create")
@user_errors
def create(
    slug: Annotated[str, typer.Argument(help="Short name: lowercase letters, digits and '-'.")],
    name: Annotated[str | None, typer.Option(help="Display name (default: the slug).")] = None,
) -> None:
    """Create an organisation."""
    with open_system() as system:
        org = system.organisations.create(slug, name)
        out_console.print(f"created organisation {org.slug} (id {org.id})")


@org_app.command("list")
@user_errors
def list_orgs() -> None:
    """List organisations."""
    with open_system() as system:
        for org in system.organisations.all():
            out_console.print(f"{org.slug}\t{org.name}")
