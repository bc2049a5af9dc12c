"""Author use cases over uploads: validate an uploaded file, then import it once confirmed.

An upload is a pack (.zip), an Anki deck (.apkg), a CSV of flashcards, or a tldr-pages tarball. Validation
reads it completely and reports every problem; import repeats the reading inside one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from skillbite.content.problems import Problem, ValidationReport
from skillbite.services.content import ContentService, PackInvalid
from skillbite.services.errors import InvalidInput
from skillbite.services.importers import ImportService, UploadKind, kind_of
from skillbite.services.pack_sync import SyncSummary
from skillbite.services.principal import Principal
from skillbite.services.uploads import UploadStore


@dataclass(frozen=True)
class UploadCheck:
    token: str
    filename: str
    kind: UploadKind
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


class AuthoringService:
    def __init__(self, content: ContentService, importers: ImportService, uploads: UploadStore) -> None:
        self.content = content
        self.importers = importers
        self.uploads = uploads

    def upload(self, principal: Principal, filename: str, stream: BinaryIO) -> UploadCheck:
        principal.require_author()
        token, path = self.uploads.save(principal.org_id, filename, stream)
        kind = kind_of(path)
        return UploadCheck(
            token=token, filename=path.name, kind=kind, problems=self._check(path, kind).problems
        )

    def _check(self, path: Path, kind: UploadKind) -> ValidationReport:
        if kind is UploadKind.PACK:
            return self.content.validate(path)
        return self.importers.check(path, kind)

    def confirm(self, principal: Principal, token: str) -> SyncSummary:
        principal.require_author()
        path = self.uploads.path(principal.org_id, token)
        try:
            return self.import_file(principal, path)
        finally:
            self.uploads.discard(principal.org_id, token)

    def import_file(self, principal: Principal, path: Path) -> SyncSummary:
        principal.require_author()
        kind = kind_of(path)
        if kind is UploadKind.PACK:
            return self.content.import_pack(principal.org_id, path, user_id=principal.user_id)
        return self.importers.run(principal.org_id, path, kind, user_id=principal.user_id)


def report_of(error: InvalidInput) -> list[Problem]:
    if isinstance(error, PackInvalid):
        return list(error.report.problems)
    return [
        Problem(severity="error", file=error.field or "upload", line=None, field=None, message=error.message)
    ]
