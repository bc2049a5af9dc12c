"""`skillbite user create EMAIL --org SLUG --role ROLE`: no prompt; prints a one-time set-password link."""

from __future__ import annotations

from typing import Annotated

import typer

from skillbite.cli.context import open_system, out_console, user_errors

user_app = typer.Typer(help="Users.", no_args_is_help=True)


@user_app.command("create")
@user_errors
def create(
    email: Annotated[str, typer.Argument(help="The person's email address.")],
    org: Annotated[str, typer.Option("--org", help="Organisation slug.")] = "default",
    role: Annotated[str, typer.Option("--role", help="learner, author, manager or admin.")] = "learner",
) -> None:
    """Add a user to an organisation and print the link where they set their password."""
    with open_system() as system:
        link = system.accounts.create_user(email, org, role)
        out_console.print(f"created {link.email} as {role} in {org}")
        out_console.print(
            f"one-time link to set the password (valid until {link.expires_at:%Y-%m-%d %H:%M} UTC):"
        )
        out_console.print(link.url, markup=False)
