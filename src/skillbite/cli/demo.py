"""`skillbite demo load`: the demo curriculum, for a first look (run by `make run`)."""

from __future__ import annotations

from typing import Annotated

import typer

from skillbite.cli.context import open_system, user_errors
from skillbite.cli.pack import org_id, print_summary
from skillbite.content.demo_packs import demo_pack_paths

demo_app = typer.Typer(help="Demo content.", no_args_is_help=True)


@demo_app.command("load")
@user_errors
def load(org: Annotated[str, typer.Option("--org", help="Organisation slug.")] = "default") -> None:
    """Import (or update) the three demo micro-courses into an organisation."""
    with open_system() as system:
        target = org_id(system, org)
        for path in demo_pack_paths():
            print_summary(system.content.import_pack(target, path))
