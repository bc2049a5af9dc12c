"""`skillbite pack validate|import|export|list`: lesson packs kept in git."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from skillbite.cli.context import err_console, fail, open_system, out_console, user_errors
from skillbite.content.problems import ValidationReport
from skillbite.domain.ids import OrgId
from skillbite.services.content import PackInvalid
from skillbite.services.pack_sync import SyncSummary
from skillbite.wiring import System

pack_app = typer.Typer(help="Lesson packs: validate, import, export.", no_args_is_help=True)

OrgOption = Annotated[str, typer.Option("--org", help="Organisation slug.")]


def print_report(report: ValidationReport) -> None:
    for problem in report.problems:
        err_console.print(problem.format(), markup=False)


def not_imported(path: Path, error: PackInvalid) -> typer.Exit:
    """Every problem on its own line (file:line), then one `error:` line."""
    print_report(error.report)
    return fail(f"{path}: not imported, {len(error.report.errors)} error(s); fix them and retry")


def org_id(system: System, slug: str) -> OrgId:
    return OrgId(system.organisations.get(slug).id)


def print_summary(summary: SyncSummary) -> None:
    verb = "imported" if summary.created else "updated"
    lessons = ", ".join(f"{n} {k}" for k, n in summary.lessons.items() if n)
    items = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in summary.items.items() if n)
    out_console.print(
        f"{verb} pack {summary.pack_key} {summary.version}: {summary.skills} skills, "
        f"lessons: {lessons or 'none'}; items: {items or 'none'}; {summary.media} media files",
        markup=False,
    )


@pack_app.command("validate")
def validate(path: Annotated[Path, typer.Argument(help="A pack folder or .zip.")]) -> None:
    """Report every problem of a pack with file:line and how to fix it; exit 1 when there are errors."""
    with open_system() as system:
        report = system.content.validate(path)
    print_report(report)
    errors, warnings = len(report.errors), len(report.warnings)
    if errors:
        raise fail(f"{path}: {errors} error(s), {warnings} warning(s)")
    out_console.print(f"{path}: valid ({warnings} warning(s))", markup=False)


@pack_app.command("import")
@user_errors
def import_pack(
    path: Annotated[Path, typer.Argument(help="A pack folder or .zip.")], org: OrgOption = "default"
) -> None:
    """Import (or update in place) a pack, all or nothing."""
    with open_system() as system:
        try:
            summary = system.content.import_pack(org_id(system, org), path)
        except PackInvalid as error:
            raise not_imported(path, error) from None
    print_summary(summary)


@pack_app.command("export")
@user_errors
def export_pack(
    pack_id: Annotated[str, typer.Argument(help="The pack's id.")],
    dest: Annotated[Path, typer.Argument(help="A new folder, or a file name ending in .zip.")],
    org: OrgOption = "default",
) -> None:
    """Write a stored pack back to the pack format."""
    with open_system() as system:
        written = system.content.export_pack(org_id(system, org), pack_id, dest)
    out_console.print(f"exported {pack_id} to {written}", markup=False)


@pack_app.command("reindex")
@user_errors
def reindex(
    pack_id: Annotated[str | None, typer.Argument(help="One pack's id (default: every pack).")] = None,
    org: OrgOption = "default",
) -> None:
    """Rebuild the search index from the stored packs (after an upgrade that changes how search ranks)."""
    with open_system() as system:
        keys = system.content.reindex(org_id(system, org), pack_id)
    out_console.print(f"reindexed {len(keys)} pack(s): {', '.join(keys) or '-'}", markup=False)


@pack_app.command("list")
@user_errors
def list_packs(org: OrgOption = "default") -> None:
    """List an organisation's packs."""
    with open_system() as system:
        for pack in system.content.packs(org_id(system, org)):
            out_console.print(
                f"{pack.key}\t{pack.version}\t{pack.lessons} lessons\t{pack.items} items\t{pack.title}",
                markup=False,
            )
