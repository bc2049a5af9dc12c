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
        repo = SkillRepository(self.session, self.org_id)
        existing = repo.of_pack(pack_row.id)
        for skill in pack.skills:
            row = existing.pop(skill.id, None) or repo.stage(
                SkillRow(pack_id=pack_row.id, key=skill.id, title="", tags=[], prerequisites=[])
            )
            row.title, row.description = skill.title, skill.description
            row.tags, row.prerequisites = list(skill.tags), list(skill.prerequisites)
            summary.skills += 1
        for gone in existing.values():
            self.session.delete(gone)

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
        lessons = LessonRepository(self.session, self.org_id)
        existing = lessons.of_pack(pack_row.id)
        items_by_key = ItemRepository(self.session, self.org_id).of_pack(pack_row.id)
        rows: list[LessonRow] = []
        for position, lesson in enumerate(pack.lessons):
            row = existing.pop(lesson.id, None)
            if row is None:
                row = lessons.stage(self._new_lesson_row(pack_row, lesson, position))
                summary.lessons["added"] += 1
            else:
                self._update_lesson_row(row, lesson, position)
                summary.lessons["updated"] += 1
            rows.append(row)
        self.session.flush()  # one flush gives every new lesson its id, for its items
        for row, lesson in zip(rows, pack.lessons, strict=True):
            for item_position, item in enumerate(lesson.items):
                self._item(pack_row, row, item, item_position, items_by_key.pop(item.id, None), summary)
        for gone in existing.values():
            if gone.retired_at is None:
                gone.retired_at = self.now
                summary.lessons["retired"] += 1
        for gone_item in items_by_key.values():
            if gone_item.retired_at is None:
                gone_item.retired_at = self.now
                summary.items["retired"] += 1

    def _new_lesson_row(self, pack_row: PackRow, lesson: Lesson, position: int) -> LessonRow:
        row = LessonRow(pack_id=pack_row.id, key=lesson.id)
        self._update_lesson_row(row, lesson, position)
        return row

    @staticmethod
    def _update_lesson_row(row: LessonRow, lesson: Lesson, position: int) -> None:
        row.title, row.minutes, row.body = lesson.title, lesson.minutes, lesson.body
        row.skills, row.tags, row.source = list(lesson.skills), list(lesson.tags), lesson.source
        row.position, row.retired_at = position, None

    def _item(
        self,
        pack_row: PackRow,
        lesson_row: LessonRow,
        item: Item,
        position: int,
        row: ItemRow | None,
        summary: SyncSummary,
    ) -> None:
        content, answer = item_fingerprint(item), answer_fingerprint(item)
        if row is None:
            ItemRepository(self.session, self.org_id).stage(
                ItemRow(
                    pack_id=pack_row.id,
                    lesson_id=lesson_row.id,
                    key=item.id,
                    kind=item.kind.value,
                    body=body_to_json(item.body),
                    explanation=item.explanation,
                    tags=list(item.tags),
                    position=position,
                    content_fingerprint=content,
                    answer_fingerprint=answer,
                )
            )
            summary.items["added"] += 1
            return
        if row.content_fingerprint == content:
            summary.items["unchanged"] += 1
        elif row.answer_fingerprint == answer:
            summary.items["reworded"] += 1
        else:
            row.answer_changed_at = self.now
            summary.items["answer_changed"] += 1
        row.lesson_id, row.kind, row.body = lesson_row.id, item.kind.value, body_to_json(item.body)
        row.explanation, row.tags, row.position = item.explanation, list(item.tags), position
        row.content_fingerprint, row.answer_fingerprint, row.retired_at = content, answer, None

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
