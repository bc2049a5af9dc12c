"""Reading a stored pack back into domain entities (for export, the player and the planners)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillbite.content.item_json import body_from_json
from skillbite.domain.content import Course, Item, Lesson, Module, Pack, Skill
from skillbite.domain.ids import CourseId, ItemId, LessonId, ModuleId, PackId, SkillId
from skillbite.store.repositories.content import (
    CourseRepository,
    ItemRepository,
    LessonRepository,
    MediaRepository,
    SkillRepository,
)
from skillbite.store.tables.content import ItemRow, LessonRow, PackRow


def item_entity(row: ItemRow) -> Item:
    return Item(
        id=ItemId(row.key), body=body_from_json(row.body), explanation=row.explanation, tags=tuple(row.tags)
    )


def lesson_entity(row: LessonRow, items: list[ItemRow]) -> Lesson:
    return Lesson(
        id=LessonId(row.key),
        title=row.title,
        skills=tuple(SkillId(s) for s in row.skills),
        minutes=row.minutes,
        body=row.body,
        items=tuple(item_entity(i) for i in items),
        tags=tuple(row.tags),
        source=row.source,
    )


def load_pack(session: Session, org_id: int, pack_row: PackRow) -> tuple[Pack, dict[str, bytes]]:
    """The pack as currently stored (retired lessons and items left out) and its media files by path."""
    lessons = LessonRepository(session, org_id).of_pack(pack_row.id, include_retired=False)
    items = ItemRepository(session, org_id).of_lessons([row.id for row in lessons.values()])
    items_of: dict[int, list[ItemRow]] = {}
    for item in items:
        items_of.setdefault(item.lesson_id, []).append(item)
    skills = SkillRepository(session, org_id).of_pack(pack_row.id)
    courses = CourseRepository(session, org_id).of_pack(pack_row.id)
    media = MediaRepository(session, org_id).of_pack(pack_row.id)
    pack = Pack(
        id=PackId(pack_row.key),
        title=pack_row.title,
        version=pack_row.version,
        licence=pack_row.licence,
        authors=tuple(pack_row.authors),
        description=pack_row.description,
        skills=tuple(
            Skill(
                id=SkillId(s.key),
                title=s.title,
                description=s.description,
                prerequisites=tuple(SkillId(p) for p in s.prerequisites),
                tags=tuple(s.tags),
            )
            for s in sorted(skills.values(), key=lambda s: s.id)
        ),
        courses=tuple(
            Course(
                id=CourseId(c.key),
                title=c.title,
                description=c.description,
                modules=tuple(
                    Module(
                        id=ModuleId(m["id"]),
                        title=m["title"],
                        lessons=tuple(LessonId(x) for x in m["lessons"]),
                    )
                    for m in c.modules
                ),
            )
            for c in sorted(courses.values(), key=lambda c: c.id)
        ),
        lessons=tuple(lesson_entity(row, items_of.get(row.id, [])) for row in lessons.values()),
        media=tuple(sorted(media)),
    )
    return pack, {path: row.data for path, row in media.items()}


def active_counts(session: Session, org_id: int) -> dict[int, tuple[int, int]]:
    """(lessons, items) per pack id, as `load_pack` would give them: retired rows left out."""
    lessons = session.execute(
        select(LessonRow.pack_id, func.count())
        .where(LessonRow.org_id == org_id, LessonRow.retired_at.is_(None))
        .group_by(LessonRow.pack_id)
    ).all()
    items = session.execute(
        select(ItemRow.pack_id, func.count())
        .join(LessonRow, LessonRow.id == ItemRow.lesson_id)
        .where(ItemRow.org_id == org_id, ItemRow.retired_at.is_(None), LessonRow.retired_at.is_(None))
        .group_by(ItemRow.pack_id)
    ).all()
    item_count = {pack_id: count for pack_id, count in items}
    return {pack_id: (count, item_count.get(pack_id, 0)) for pack_id, count in lessons}
