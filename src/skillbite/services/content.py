"""Content use cases: validate, import and export packs; list what an organisation has; serve media.

An import is all-or-nothing: the pack is read and validated completely first, then stored and indexed for
search in one transaction. Any error leaves the organisation's content exactly as it was.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from skillbite.content.pack_reader import PackSourceError, open_pack_folder, read_pack_folder
from skillbite.content.pack_validate import validate_pack
from skillbite.content.pack_writer import write_pack
from skillbite.content.problems import ValidationReport
from skillbite.domain.content import Pack
from skillbite.domain.ids import OrgId
from skillbite.search.backends import index_for
from skillbite.search.documents import documents_from_pack
from skillbite.services.clock import Clock
from skillbite.services.errors import InvalidInput, NotFound
from skillbite.services.pack_load import active_counts, load_pack
from skillbite.services.pack_sync import MediaReader, PackSync, SyncSummary, media_reader_for
from skillbite.store.database import Database
from skillbite.store.repositories.content import MediaRepository, PackRepository


class PackInvalid(InvalidInput):
    """The pack has errors; `report` holds every one, with file:line and a hint."""

    def __init__(self, report: ValidationReport, source: str) -> None:
        errors = report.errors
        super().__init__(f"{source}: {len(errors)} error(s); first: {errors[0].format() if errors else '?'}")
        self.report = report


@dataclass(frozen=True)
class PackSummaryView:
    key: str
    title: str
    version: str
    licence: str
    origin: str
    lessons: int
    items: int


@dataclass(frozen=True)
class MediaFile:
    content_type: str
    data: bytes


class ContentService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def validate(self, path: Path) -> ValidationReport:
        return validate_pack(path)

    def import_pack(self, org_id: OrgId, path: Path, *, user_id: int | None = None) -> SyncSummary:
        """Read, validate and store the pack at `path` (folder or .zip) in one transaction."""
        try:
            with open_pack_folder(path) as root:
                pack, report = read_pack_folder(root)
                if pack is None:
                    raise PackInvalid(report, str(path))
                return self.store_pack(org_id, pack, media_reader_for(root), user_id=user_id)
        except PackSourceError as error:
            raise InvalidInput(str(error), field="path") from None

    def store_pack(
        self,
        org_id: OrgId,
        pack: Pack,
        read_media: MediaReader | None,
        *,
        origin: str = "pack",
        user_id: int | None = None,
    ) -> SyncSummary:
        """Store an already valid pack (from a pack folder or an importer) and index it for search."""
        with self.db.transaction() as session:
            _row, summary = PackSync(session, org_id, self.clock(), user_id).store(pack, read_media, origin)
            pack_id, documents = documents_from_pack(pack)  # what is stored now: retired rows are not indexed
            connection = session.connection()
            index_for(connection).replace_documents(connection, org_id, pack_id, documents)
            return summary

    def reindex(self, org_id: OrgId, pack_key: str | None = None) -> list[str]:
        """Rebuild the search index of the organisation's packs (or of one) from the stored content; returns
        the pack keys. For an upgrade that changes what the index holds: one transaction, so questions keep
        being answered from the old index until the new one commits."""
        with self.db.transaction() as session:
            rows = PackRepository(session, org_id).all()
            if pack_key is not None:
                rows = [row for row in rows if row.key == pack_key]
                if not rows:
                    raise NotFound(
                        f"no pack {pack_key!r} in this organisation; see `skillbite pack list`", field="pack"
                    )
            connection = session.connection()
            for row in rows:
                pack, _media = load_pack(session, org_id, row)
                pack_id, documents = documents_from_pack(pack)
                index_for(connection).replace_documents(connection, org_id, pack_id, documents)
            return [row.key for row in rows]

    def export_pack(self, org_id: OrgId, pack_key: str, dest: Path) -> Path:
        """Write the stored pack to `dest` (a folder, or a .zip when it ends in .zip)."""
        with self.db.transaction() as session:
            row = PackRepository(session, org_id).by_key(pack_key)
            if row is None:
                raise NotFound(
                    f"no pack {pack_key!r} in this organisation; see `skillbite pack list`", field="pack"
                )
            pack, media = load_pack(session, org_id, row)
        if dest.exists() and dest.is_dir() and any(dest.iterdir()):
            raise InvalidInput(
                f"{dest} is a folder that is not empty; choose a new folder or a .zip name", field="dest"
            )
        with tempfile.TemporaryDirectory(prefix="skillbite-export-") as temp:
            for path, data in media.items():
                target = Path(temp) / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            return write_pack(pack, dest, media_source=Path(temp))

    def packs(self, org_id: OrgId) -> list[PackSummaryView]:
        with self.db.transaction() as session:
            views = []
            counts = active_counts(session, org_id)  # counted in SQL: a tldr pack has 30,000 items
            for row in PackRepository(session, org_id).all():
                lessons, items = counts.get(row.id, (0, 0))
                views.append(
                    PackSummaryView(
                        key=row.key,
                        title=row.title,
                        version=row.version,
                        licence=row.licence,
                        origin=row.origin,
                        lessons=lessons,
                        items=items,
                    )
                )
            return views

    def pack(self, org_id: OrgId, pack_key: str) -> Pack:
        with self.db.transaction() as session:
            row = PackRepository(session, org_id).by_key(pack_key)
            if row is None:
                raise NotFound(f"no pack {pack_key!r} in this organisation", field="pack")
            return load_pack(session, org_id, row)[0]

    def media(self, org_id: OrgId, pack_key: str, path: str) -> MediaFile:
        with self.db.transaction() as session:
            row = MediaRepository(session, org_id).file(pack_key, path)
            if row is None:
                raise NotFound(f"no media file {path!r} in pack {pack_key!r}")
            return MediaFile(content_type=row.content_type, data=row.data)
