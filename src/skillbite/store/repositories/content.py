"""Tenant-scoped repositories for packs and their skills, courses, lessons, items and media."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import defer

from skillbite.store.repositories.tenant import TenantRepository
from skillbite.store.tables.content import CourseRow, ItemRow, LessonRow, MediaRow, PackRow, SkillRow


class PackRepository(TenantRepository[PackRow]):
    model = PackRow

    def by_key(self, key: str) -> PackRow | None:
        return self.session.scalars(self._select().where(PackRow.key == key)).one_or_none()

    def all(self) -> list[PackRow]:
        return list(self.session.scalars(self._select().order_by(PackRow.title, PackRow.id)))


class SkillRepository(TenantRepository[SkillRow]):
    model = SkillRow

    def of_pack(self, pack_id: int) -> dict[str, SkillRow]:
        rows = self.session.scalars(self._select().where(SkillRow.pack_id == pack_id))
        return {row.key: row for row in rows}

    def all(self) -> list[SkillRow]:
        return list(self.session.scalars(self._select().order_by(SkillRow.pack_id, SkillRow.key)))

    def prerequisites_by_pack_and_keys(
        self, wanted: list[tuple[int, str]]
    ) -> list[tuple[int, str, list[str]]]:
        """(pack id, key, prerequisites) of skills by (pack id, key): three columns, no row objects (the
        prerequisite closure is walked on every Today and Ask view that is not cached)."""
        by_pack: dict[int, list[str]] = {}
        for pack_id, key in wanted:
            by_pack.setdefault(pack_id, []).append(key)
        found: list[tuple[int, str, list[str]]] = []
        for pack_id, keys in by_pack.items():
            query = select(SkillRow.pack_id, SkillRow.key, SkillRow.prerequisites).where(
                SkillRow.org_id == self.org_id, SkillRow.pack_id == pack_id, SkillRow.key.in_(keys)
            )
            found.extend((int(p), str(k), list(prereqs)) for p, k, prereqs in self.session.execute(query))
        return found


class CourseRepository(TenantRepository[CourseRow]):
    model = CourseRow

    def of_pack(self, pack_id: int) -> dict[str, CourseRow]:
        rows = self.session.scalars(self._select().where(CourseRow.pack_id == pack_id))
        return {row.key: row for row in rows}

    def all(self) -> list[CourseRow]:
        return list(self.session.scalars(self._select().order_by(CourseRow.title, CourseRow.id)))


class LessonRepository(TenantRepository[LessonRow]):
    model = LessonRow

    def of_pack(self, pack_id: int, *, include_retired: bool = True) -> dict[str, LessonRow]:
        query = self._select().where(LessonRow.pack_id == pack_id)
        if not include_retired:
            query = query.where(LessonRow.retired_at.is_(None))
        return {row.key: row for row in self.session.scalars(query.order_by(LessonRow.position))}

    def of_pack_keys(self, pack_id: int, keys: list[str]) -> list[LessonRow]:
        query = self._select().where(LessonRow.pack_id == pack_id, LessonRow.key.in_(keys))
        return list(self.session.scalars(query))

    def active(self, *, with_body: bool = True) -> list[LessonRow]:
        """The lessons not retired, in pack order; `with_body=False` leaves the Markdown bodies unread (loaded
        only if touched), for callers that plan with titles, skills and minutes over a whole catalogue."""
        query = (
            self._select()
            .where(LessonRow.retired_at.is_(None))
            .order_by(LessonRow.pack_id, LessonRow.position)
        )
        if not with_body:
            query = query.options(defer(LessonRow.body))
        return list(self.session.scalars(query))

    def by_ids(self, ids: list[int]) -> dict[int, LessonRow]:
        if not ids:
            return {}
        return {row.id: row for row in self.session.scalars(self._select().where(LessonRow.id.in_(ids)))}


class ItemRepository(TenantRepository[ItemRow]):
    model = ItemRow

    def of_pack(self, pack_id: int) -> dict[str, ItemRow]:
        rows = self.session.scalars(self._select().where(ItemRow.pack_id == pack_id))
        return {row.key: row for row in rows}

    def of_lesson(self, lesson_id: int, *, include_retired: bool = False) -> list[ItemRow]:
        query = self._select().where(ItemRow.lesson_id == lesson_id)
        if not include_retired:
            query = query.where(ItemRow.retired_at.is_(None))
        return list(self.session.scalars(query.order_by(ItemRow.position)))

    def of_lessons(self, lesson_ids: list[int]) -> list[ItemRow]:
        if not lesson_ids:
            return []
        query = self._select().where(ItemRow.lesson_id.in_(lesson_ids), ItemRow.retired_at.is_(None))
        return list(self.session.scalars(query.order_by(ItemRow.lesson_id, ItemRow.position)))

    def by_ids(self, ids: list[int]) -> dict[int, ItemRow]:
        if not ids:
            return {}
        return {row.id: row for row in self.session.scalars(self._select().where(ItemRow.id.in_(ids)))}

    def count_active(self) -> int:
        return len(list(self.session.scalars(self._select().where(ItemRow.retired_at.is_(None)))))


class MediaRepository(TenantRepository[MediaRow]):
    model = MediaRow

    def of_pack(self, pack_id: int) -> dict[str, MediaRow]:
        rows = self.session.scalars(self._select().where(MediaRow.pack_id == pack_id))
        return {row.path: row for row in rows}

    def file(self, pack_key: str, path: str) -> MediaRow | None:
        query = (
            self._select()
            .join(PackRow, PackRow.id == MediaRow.pack_id)
            .where(PackRow.key == pack_key, MediaRow.path == path)
        )
        return self.session.scalars(query).one_or_none()
