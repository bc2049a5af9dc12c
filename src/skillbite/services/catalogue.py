"""The learner's catalogue: the organisation's packs, and a pack's courses with progress per lesson.

A lesson is *learned* when every one of its active items has been reviewed at least once (it has a memory
state), *in progress* when some have, and *not started* otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillbite.services.clock import Clock
from skillbite.services.errors import NotFound
from skillbite.services.learner_view_cache import LearnerViewCache
from skillbite.services.principal import Principal
from skillbite.store.database import Database
from skillbite.store.repositories.content import CourseRepository, PackRepository
from skillbite.store.tables.content import ItemRow, LessonRow
from skillbite.store.tables.learning import ItemStateRow


class LessonProgress(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    LEARNED = "learned"


@dataclass(frozen=True)
class CatalogueLesson:
    lesson_id: int
    title: str
    minutes: float
    items: int
    seen: int
    progress: LessonProgress


@dataclass(frozen=True)
class CatalogueModule:
    title: str
    lessons: tuple[CatalogueLesson, ...]


@dataclass(frozen=True)
class CatalogueCourse:
    key: str
    title: str
    description: str
    modules: tuple[CatalogueModule, ...]

    @property
    def learned(self) -> int:
        return sum(1 for m in self.modules for x in m.lessons if x.progress is LessonProgress.LEARNED)

    @property
    def lesson_count(self) -> int:
        return sum(len(m.lessons) for m in self.modules)


@dataclass(frozen=True)
class CataloguePack:
    key: str
    title: str
    description: str
    courses: tuple[CatalogueCourse, ...]
    other_lessons: tuple[CatalogueLesson, ...]
    """Active lessons that no course lists."""


@dataclass(frozen=True)
class CatalogueEntry:
    key: str
    title: str
    description: str
    lessons: int
    learned: int


def progress_of(items: int, seen: int) -> LessonProgress:
    if items and seen >= items:
        return LessonProgress.LEARNED
    if seen:
        return LessonProgress.IN_PROGRESS
    return LessonProgress.NOT_STARTED


@dataclass(frozen=True)
class LessonHeading:
    """What the catalogue shows of a lesson: a few columns, not its whole text."""

    id: int
    pack_id: int
    key: str
    title: str
    minutes: float


def active_lessons(session: Session, org_id: int, pack_id: int | None = None) -> list[LessonHeading]:
    """The organisation's (or one pack's) lessons that are not retired, in pack and position order."""
    query = select(LessonRow.id, LessonRow.pack_id, LessonRow.key, LessonRow.title, LessonRow.minutes).where(
        LessonRow.org_id == org_id, LessonRow.retired_at.is_(None)
    )
    if pack_id is not None:
        query = query.where(LessonRow.pack_id == pack_id)
    return [
        LessonHeading(*row) for row in session.execute(query.order_by(LessonRow.pack_id, LessonRow.position))
    ]


class CatalogueService:
    def __init__(self, db: Database, clock: Clock, views: LearnerViewCache | None = None) -> None:
        self.db = db
        self.clock = clock
        self.views = views

    def packs(self, principal: Principal) -> list[CatalogueEntry]:
        """Every pack of the organisation with how many of its lessons the learner has learned."""
        if self.views is None:
            return self._packs(principal)
        return list(self.views.view("catalogue", principal, lambda _mark: self._packs(principal)))

    def pack(self, principal: Principal, pack_key: str) -> CataloguePack:
        """A pack's courses, modules and lessons in course order, each lesson with the learner's progress."""
        if self.views is None:
            return self._pack(principal, pack_key)
        return self.views.view(("pack", pack_key), principal, lambda _mark: self._pack(principal, pack_key))

    def _packs(self, principal: Principal) -> list[CatalogueEntry]:
        with self.db.transaction() as session:
            lessons = active_lessons(session, principal.org_id)
            progress = self._progress(session, principal, lessons)
            by_pack: dict[int, list[LessonProgress]] = {}
            for row in lessons:
                by_pack.setdefault(row.pack_id, []).append(progress[row.id].progress)
            return [
                CatalogueEntry(
                    key=pack.key,
                    title=pack.title,
                    description=pack.description,
                    lessons=len(by_pack.get(pack.id, [])),
                    learned=sum(1 for p in by_pack.get(pack.id, []) if p is LessonProgress.LEARNED),
                )
                for pack in PackRepository(session, principal.org_id).all()
            ]

    def _pack(self, principal: Principal, pack_key: str) -> CataloguePack:
        with self.db.transaction() as session:
            pack = PackRepository(session, principal.org_id).by_key(pack_key)
            if pack is None:
                raise NotFound(f"no pack {pack_key!r} in this organisation", field="pack")
            rows = {row.key: row for row in active_lessons(session, principal.org_id, pack.id)}
            progress = self._progress(session, principal, list(rows.values()))
            listed: set[str] = set()
            courses = []
            for course in sorted(
                CourseRepository(session, principal.org_id).of_pack(pack.id).values(), key=lambda c: c.key
            ):
                modules = []
                for module in course.modules:
                    keys = [k for k in module.get("lessons", []) if k in rows]
                    listed.update(keys)
                    modules.append(
                        CatalogueModule(
                            title=str(module.get("title", "")),
                            lessons=tuple(progress[rows[k].id] for k in keys),
                        )
                    )
                courses.append(CatalogueCourse(course.key, course.title, course.description, tuple(modules)))
            others = tuple(progress[row.id] for key, row in rows.items() if key not in listed)
            return CataloguePack(pack.key, pack.title, pack.description, tuple(courses), others)

    @staticmethod
    def _progress(
        session: Session, principal: Principal, lessons: list[LessonHeading]
    ) -> dict[int, CatalogueLesson]:
        org = principal.org_id
        lesson_ids = [row.id for row in lessons]
        items = (
            session.execute(
                select(ItemRow.id, ItemRow.lesson_id).where(
                    ItemRow.org_id == org, ItemRow.lesson_id.in_(lesson_ids), ItemRow.retired_at.is_(None)
                )
            ).all()
            if lesson_ids
            else []
        )
        seen_items = set(
            session.scalars(
                select(ItemStateRow.item_id).where(
                    ItemStateRow.org_id == org, ItemStateRow.learner_id == principal.user_id
                )
            )
        )
        counts: dict[int, list[int]] = {}
        for item_id, lesson_id in items:
            tally = counts.setdefault(lesson_id, [0, 0])
            tally[0] += 1
            tally[1] += item_id in seen_items
        result = {}
        for row in lessons:
            total, seen = counts.get(row.id, [0, 0])
            result[row.id] = CatalogueLesson(
                row.id, row.title, row.minutes, total, seen, progress_of(total, seen)
            )
        return result
