"""Storing a pack in an organisation, in place: the rules of re-import.

Matching is by authored key. A new lesson or item is added; an existing one is updated in place. An item whose
content changed but whose correct answer did not is *reworded*: its learners keep their history and memory
state. An item whose correct answer changed gets `answer_changed_at`: history is kept, and the learning engine
treats it as new from that moment. Lessons and items the new version no longer has are *retired*: kept for
history, no longer shown or scheduled. A retired item that comes back is revived.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from skillbite.content.fingerprint import answer_fingerprint, item_fingerprint
from skillbite.content.item_json import body_to_json
from skillbite.domain.content import Item, Lesson, Pack
from skillbite.store.repositories.content import (
    CourseRepository,
    ItemRepository,
    LessonRepository,
    MediaRepository,
    PackRepository,
    SkillRepository,
)
from skillbite.store.tables.content import CourseRow, ItemRow, LessonRow, MediaRow, PackRow, SkillRow


def _assign(row: object, values: dict[str, Any]) -> None:
    """Set only what differs, so an unchanged row stays clean and costs no UPDATE."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def _lesson_values(lesson: Lesson, position: int) -> dict[str, Any]:
    return {
        "title": lesson.title,
        "minutes": lesson.minutes,
        "body": lesson.body,
        "skills": list(lesson.skills),
        "tags": list(lesson.tags),
        "source": lesson.source,
        "position": position,
        "retired_at": None,
    }


@dataclass
class SyncSummary:
    pack_key: str
    version: str
    created: bool
    lessons: dict[str, int] = field(default_factory=lambda: {"added": 0, "updated": 0, "retired": 0})
    items: dict[str, int] = field(
        default_factory=lambda: {"added": 0, "unchanged": 0, "reworded": 0, "answer_changed": 0, "retired": 0}
    )
    skills: int = 0
    courses: int = 0
    media: int = 0


MediaReader = Callable[[str], bytes]


def media_reader_for(root: Path) -> MediaReader:
    def read(relative: str) -> bytes:
        return (root / relative).read_bytes()

    return read


class PackSync:
    def __init__(self, session: Session, org_id: int, now: datetime, user_id: int | None = None) -> None:
        self.session = session
        self.org_id = org_id
        self.now = now
        self.user_id = user_id

    def store(
        self, pack: Pack, read_media: MediaReader | None, origin: str = "pack"
    ) -> tuple[PackRow, SyncSummary]:
        packs = PackRepository(self.session, self.org_id)
        row = packs.by_key(pack.id)
        summary = SyncSummary(pack_key=pack.id, version=pack.version, created=row is None)
        if row is None:
            row = packs.add(
                PackRow(
                    key=pack.id,
                    title=pack.title,
                    version=pack.version,
                    licence=pack.licence,
                    authors=list(pack.authors),
                    description=pack.description,
                    origin=origin,
                    imported_at=self.now,
                    imported_by=self.user_id,
                )
            )
        else:
            row.title, row.version, row.licence = pack.title, pack.version, pack.licence
            row.authors, row.description, row.origin = list(pack.authors), pack.description, origin
            row.imported_at, row.imported_by = self.now, self.user_id
        self._skills(row, pack, summary)
        self._courses(row, pack, summary)
        self._lessons(row, pack, summary)
        if read_media is not None:
            self._media(row, pack, read_media, summary)
        self.session.flush()
        return row, summary

    def _skills(self, pack_row: PackRow, pack: Pack, summary: SyncSummary) -> None:
        existing = SkillRepository(self.session, self.org_id).of_pack(pack_row.id)
        added: list[dict[str, Any]] = []
        for skill in pack.skills:
            values = {
                "title": skill.title,
                "description": skill.description,
                "tags": list(skill.tags),
                "prerequisites": list(skill.prerequisites),
            }
            row = existing.pop(skill.id, None)
            if row is None:
                added.append({"org_id": self.org_id, "pack_id": pack_row.id, "key": skill.id, **values})
            else:
                _assign(row, values)
            summary.skills += 1
        for gone in existing.values():
            self.session.delete(gone)
        self._insert(SkillRow, added)

    def _courses(self, pack_row: PackRow, pack: Pack, summary: SyncSummary) -> None:
        repo = CourseRepository(self.session, self.org_id)
        existing = repo.of_pack(pack_row.id)
        for course in pack.courses:
            row = existing.pop(course.id, None) or repo.stage(
                CourseRow(pack_id=pack_row.id, key=course.id, title="", modules=[])
            )
            row.title, row.description = course.title, course.description
            row.modules = [{"id": m.id, "title": m.title, "lessons": list(m.lessons)} for m in course.modules]
            summary.courses += 1
        for gone in existing.values():
            self.session.delete(gone)

    def _lessons(self, pack_row: PackRow, pack: Pack, summary: SyncSummary) -> None:
        existing = LessonRepository(self.session, self.org_id).of_pack(pack_row.id)
        items_by_key = ItemRepository(self.session, self.org_id).of_pack(pack_row.id)
        lesson_ids: list[int | None] = []
        added: list[dict[str, Any]] = []
        for position, lesson in enumerate(pack.lessons):
            values = _lesson_values(lesson, position)
            row = existing.pop(lesson.id, None)
            if row is None:
                added.append({"org_id": self.org_id, "pack_id": pack_row.id, "key": lesson.id, **values})
                lesson_ids.append(None)
                summary.lessons["added"] += 1
            else:
                _assign(row, values)
                lesson_ids.append(row.id)
                summary.lessons["updated"] += 1
        new_ids = iter(self._insert(LessonRow, added))  # ids of the new lessons, for their items
        new_items: list[dict[str, Any]] = []
        for lesson_id, lesson in zip(lesson_ids, pack.lessons, strict=True):
            lesson_id = lesson_id if lesson_id is not None else next(new_ids)
            for position, item in enumerate(lesson.items):
                item_row = items_by_key.pop(item.id, None)
                if item_row is None:
                    new_items.append(self._new_item(pack_row, lesson_id, item, position))
                    summary.items["added"] += 1
                else:
                    summary.items[self._update_item(item_row, lesson_id, item, position)] += 1
        self._insert(ItemRow, new_items)
        for gone in existing.values():
            if gone.retired_at is None:
                gone.retired_at = self.now
                summary.lessons["retired"] += 1
        for gone_item in items_by_key.values():
            if gone_item.retired_at is None:
                gone_item.retired_at = self.now
                summary.items["retired"] += 1

    def _insert(self, model: type[SkillRow | LessonRow | ItemRow], rows: list[dict[str, Any]]) -> list[int]:
        """Insert new rows in one statement, without the unit of work's per-object bookkeeping: a tldr
        import adds 7,425 skills and lessons and 32,000 items. Returns their ids in the order given."""
        if not rows:
            return []
        statement = insert(model).returning(model.id, sort_by_parameter_order=True)
        return list(self.session.scalars(statement, rows))

    def _new_item(self, pack_row: PackRow, lesson_id: int, item: Item, position: int) -> dict[str, Any]:
        return {
            "org_id": self.org_id,
            "pack_id": pack_row.id,
            "lesson_id": lesson_id,
            "key": item.id,
            "kind": item.kind.value,
            "body": body_to_json(item.body),
            "explanation": item.explanation,
            "tags": list(item.tags),
            "position": position,
            "content_fingerprint": item_fingerprint(item),
            "answer_fingerprint": answer_fingerprint(item),
            "answer_changed_at": None,
            "retired_at": None,
        }

    def _update_item(self, row: ItemRow, lesson_id: int, item: Item, position: int) -> str:
        """Update a stored item in place; the kind of change, as counted in the summary."""
        placement = {"lesson_id": lesson_id, "position": position, "retired_at": None}
        content = item_fingerprint(item)
        if row.content_fingerprint == content:
            _assign(row, placement)  # the same item, perhaps moved or revived
            return "unchanged"
        answer = answer_fingerprint(item)
        change = "reworded" if row.answer_fingerprint == answer else "answer_changed"
        if change == "answer_changed":
            row.answer_changed_at = self.now
        _assign(
            row,
            {
                **placement,
                "kind": item.kind.value,
                "body": body_to_json(item.body),
                "explanation": item.explanation,
                "tags": list(item.tags),
                "content_fingerprint": content,
                "answer_fingerprint": answer,
            },
        )
        return change

    def _media(self, pack_row: PackRow, pack: Pack, read_media: MediaReader, summary: SyncSummary) -> None:
        repo = MediaRepository(self.session, self.org_id)
        existing = repo.of_pack(pack_row.id)
        for path in pack.media:
            data = read_media(path)
            digest = hashlib.sha256(data).hexdigest()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            row = existing.pop(path, None)
            if row is None:
                repo.stage(
                    MediaRow(
                        pack_id=pack_row.id, path=path, content_type=content_type, data=data, sha256=digest
                    )
                )
            elif row.sha256 != digest:
                row.data, row.sha256, row.content_type = data, digest, content_type
            summary.media += 1
        for gone in existing.values():
            self.session.delete(gone)
