"""What the learner's pages read: lessons and items by id for the player, stored answers, due dates.

Lookups go through tenant repositories, so another organisation's lesson or item is a `NotFound`
(the pages answer 404) exactly like a missing one. Grading and storing answers stay in `ReviewService`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from skillbite.domain.content import Item, Lesson
from skillbite.services.clock import Clock
from skillbite.services.errors import NotFound
from skillbite.services.pack_load import item_entity, lesson_entity
from skillbite.services.principal import Principal
from skillbite.services.reviews import ReviewOutcome
from skillbite.store.database import Database
from skillbite.store.repositories.content import ItemRepository, LessonRepository, PackRepository
from skillbite.store.repositories.learning import ItemStateRepository, ReviewRepository


@dataclass(frozen=True)
class PlayerLesson:
    lesson_id: int
    pack: str
    """The pack key: media of the lesson are served under /media/{pack}/."""
    lesson: Lesson
    item_ids: tuple[int, ...]
    """Row ids of the lesson's active items, in the lesson's order (what a review is stored against)."""


@dataclass(frozen=True)
class PlayerItem:
    item_id: int
    lesson_id: int
    lesson_title: str
    pack: str
    item: Item


class PlayerService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def lesson(self, principal: Principal, lesson_id: int) -> PlayerLesson:
        with self.db.transaction() as session:
            row = LessonRepository(session, principal.org_id).get(lesson_id)
            if row is None or row.retired_at is not None:
                raise NotFound(f"no lesson {lesson_id} in this organisation", field="lesson_id")
            items = ItemRepository(session, principal.org_id).of_lesson(row.id)
            pack = PackRepository(session, principal.org_id).get(row.pack_id)
            assert pack is not None  # a lesson belongs to a pack of its organisation (foreign key)
            return PlayerLesson(
                lesson_id=row.id,
                pack=pack.key,
                lesson=lesson_entity(row, items),
                item_ids=tuple(i.id for i in items),
            )

    def item(self, principal: Principal, item_id: int) -> PlayerItem:
        with self.db.transaction() as session:
            row = ItemRepository(session, principal.org_id).get(item_id)
            if row is None or row.retired_at is not None:
                raise NotFound(f"no item {item_id} in this organisation", field="item_id")
            lesson = LessonRepository(session, principal.org_id).get(row.lesson_id)
            pack = PackRepository(session, principal.org_id).get(row.pack_id)
            assert lesson is not None and pack is not None
            return PlayerItem(
                item_id=row.id,
                lesson_id=lesson.id,
                lesson_title=lesson.title,
                pack=pack.key,
                item=item_entity(row),
            )

    def stored_review(self, principal: Principal, uuid: str) -> ReviewOutcome | None:
        """The learner's own answer stored under `uuid`, or None: a re-submitted form shows it again."""
        try:
            key = str(UUID(uuid))
        except ValueError:
            return None
        with self.db.transaction() as session:
            row = ReviewRepository(session, principal.org_id).by_uuid(key)
            if row is None or row.learner_id != principal.user_id:
                return None
            item = ItemRepository(session, principal.org_id).get(row.item_id)
            return ReviewOutcome(
                uuid=row.uuid,
                item_id=row.item_id,
                correct=row.correct,
                score=row.score,
                grade=row.grade,
                due=row.due_after,
                explanation=item.explanation if item else "",
                replayed=True,
            )

    def comes_back(self, principal: Principal, item_ids: Sequence[int]) -> dict[int, datetime]:
        """When each of these items is next due for this learner (items never answered are left out)."""
        wanted = set(item_ids)
        with self.db.transaction() as session:
            states = ItemStateRepository(session, principal.org_id).of_learner(principal.user_id)
            return {s.item_id: s.due for s in states if s.item_id in wanted}
