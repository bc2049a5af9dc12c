"""Importers for what teams already have: tldr-pages, Anki decks (.apkg) and CSV flashcards.

Each reads the whole source first (reporting every problem), then stores it as a pack in one transaction.
An Anki deck's review history goes into a learner's review log when a learner is named.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from skillbite.content.archives import ArchiveError
from skillbite.content.importers.anki import AnkiImport, read_apkg
from skillbite.content.importers.anki_collection import AnkiImportError
from skillbite.content.importers.bite_sizing import slug
from skillbite.content.importers.csv_cards import CsvImportError, read_csv_cards
from skillbite.content.importers.tldr import TldrImportError, tldr_pack
from skillbite.content.problems import Problem, ValidationReport
from skillbite.domain.ids import OrgId
from skillbite.services.content import ContentService, PackInvalid
from skillbite.services.errors import InvalidInput
from skillbite.services.pack_sync import SyncSummary, media_reader_for
from skillbite.services.review_import import import_anki_history

Progress = Callable[[str], None]


class UploadKind(StrEnum):
    PACK = "pack"
    APKG = "apkg"
    CSV = "csv"
    TLDR = "tldr"


def kind_of(path: Path) -> UploadKind:
    name = path.name.lower()
    if name.endswith(".apkg"):
        return UploadKind.APKG
    if name.endswith(".csv"):
        return UploadKind.CSV
    if name.endswith((".tar.gz", ".tgz", ".tar")) or (path.is_dir() and (path / "pages").is_dir()):
        return UploadKind.TLDR
    return UploadKind.PACK


def _problem(file: str, message: str, line: int | None = None) -> Problem:
    return Problem(severity="error", file=file, line=line, field=None, message=message)


def csv_report(error: CsvImportError) -> ValidationReport:
    report = ValidationReport()
    for p in error.problems:
        report.add(_problem(p.file, p.message, p.line))
    return report


class ImportService:
    def __init__(self, content: ContentService) -> None:
        self.content = content

    # -- checking without storing ------------------------------------------------------------------------
    def check(self, path: Path, kind: UploadKind) -> ValidationReport:
        report = ValidationReport()
        try:
            if kind is UploadKind.CSV:
                read_csv_cards(path, slug(path.stem, "cards"))
            elif kind is UploadKind.TLDR:
                tldr_pack(path)
            elif kind is UploadKind.APKG:
                with tempfile.TemporaryDirectory(prefix="skillbite-apkg-") as temp:
                    read_apkg(path, Path(temp) / "work")
        except CsvImportError as error:
            return csv_report(error)
        except (TldrImportError, AnkiImportError, ArchiveError) as error:
            report.add(_problem(path.name, str(error)))
        return report

    # -- importing -----------------------------------------------------------------------------------------
    def run(self, org_id: OrgId, path: Path, kind: UploadKind, *, user_id: int | None = None) -> SyncSummary:
        if kind is UploadKind.CSV:
            return self.csv(org_id, path, user_id=user_id)
        if kind is UploadKind.TLDR:
            return self.tldr(org_id, path, user_id=user_id)
        if kind is UploadKind.APKG:
            return self.apkg(org_id, path, user_id=user_id)[0]
        return self.content.import_pack(org_id, path, user_id=user_id)

    def tldr(
        self, org_id: OrgId, path: Path, *, user_id: int | None = None, progress: Progress | None = None
    ) -> SyncSummary:
        try:
            pack = tldr_pack(path)
        except TldrImportError as error:
            raise InvalidInput(str(error), field="path") from None
        if progress:
            progress(f"read {len(pack.lessons)} pages")
        return self.content.store_pack(org_id, pack, None, origin="tldr", user_id=user_id)

    def csv(
        self, org_id: OrgId, path: Path, *, pack_id: str | None = None, user_id: int | None = None
    ) -> SyncSummary:
        if not path.is_file():
            raise InvalidInput(f"no such file: {path}; check the path", field="path")
        try:
            pack = read_csv_cards(path, pack_id or slug(path.stem, "cards"))
        except CsvImportError as error:
            # Every malformed row, each with its line, like a pack's validation report.
            raise PackInvalid(csv_report(error), path.name) from None
        return self.content.store_pack(org_id, pack, None, origin="csv", user_id=user_id)

    def apkg(
        self, org_id: OrgId, path: Path, *, user_id: int | None = None
    ) -> tuple[SyncSummary, AnkiImport]:
        with tempfile.TemporaryDirectory(prefix="skillbite-apkg-") as temp:
            try:
                imported = read_apkg(path, Path(temp) / "work")
            except (AnkiImportError, ArchiveError) as error:
                raise InvalidInput(str(error), field="path") from None
            summary = self.content.store_pack(
                org_id, imported.pack, media_reader_for(imported.pack_root), origin="apkg", user_id=user_id
            )
            return summary, imported

    def apkg_history(self, org_id: OrgId, email: str, imported: AnkiImport) -> int:
        """Append the deck's review history to a member's review log; the number of reviews added.
        Import the deck first (`apkg`); a second import of the same history adds nothing."""
        return import_anki_history(self.content.db, self.content.clock, org_id, email, imported).added
