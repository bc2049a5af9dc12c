"""`skillbite import tldr|apkg|csv PATH`: bring in what a team already has."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from skillbite.cli.context import err_console, open_system, out_console, user_errors
from skillbite.cli.pack import not_imported, org_id, print_summary
from skillbite.services.content import PackInvalid

import_app = typer.Typer(help="Import tldr-pages, Anki decks and CSV flashcards.", no_args_is_help=True)
OrgOption = Annotated[str, typer.Option("--org", help="Organisation slug.")]


@import_app.command("tldr")
@user_errors
def tldr(
    path: Annotated[Path, typer.Argument(help="A tldr-pages checkout folder or .tar.gz.")],
    org: OrgOption = "default",
) -> None:
    """One lesson per page, one typed-answer item per example."""
    with (
        open_system() as system,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task("reading pages", total=2)

        def advance(message: str) -> None:
            progress.update(task, advance=1, description=f"{message}; storing and indexing")

        summary = system.importers.tldr(org_id(system, org), path, progress=advance)
        progress.update(task, advance=1)
    print_summary(summary)


@import_app.command("csv")
@user_errors
def csv(
    path: Annotated[Path, typer.Argument(help="question,answer[,explanation,tags] rows.")],
    org: OrgOption = "default",
    pack_id: Annotated[
        str | None, typer.Option("--pack-id", help="Pack id (default: from the file name).")
    ] = None,
) -> None:
    """Flashcards from a CSV file; a malformed row stops the import with its line number."""
    with open_system() as system:
        try:
            summary = system.importers.csv(org_id(system, org), path, pack_id=pack_id)
        except PackInvalid as error:
            raise not_imported(path, error) from None
    print_summary(summary)


@import_app.command("apkg")
@user_errors
def apkg(
    path: Annotated[Path, typer.Argument(help="An Anki package (.apkg).")],
    org: OrgOption = "default",
    as_learner: Annotated[
        str | None, typer.Option("--as", help="Put the deck's review history into this learner's review log.")
    ] = None,
) -> None:
    """Flashcards and cloze items with their media; optionally the review history."""
    with open_system() as system:
        target = org_id(system, org)
        if as_learner:
            system.accounts.member(org, as_learner)  # refuse before importing anything
        summary, imported = system.importers.apkg(target, path)
        print_summary(summary)
        for warning in imported.warnings:
            err_console.print(f"warning: {warning}", markup=False)
        if as_learner:
            added = system.importers.apkg_history(target, as_learner, imported)
            out_console.print(f"added {added} reviews to the review log of {as_learner}", markup=False)
