"""Today's session: due reviews and new bites that fit the minutes the learner has (domain/session_planner).

New bites come from the learner's goals (courses, skills or lessons they chose or were assigned; assignments
first) in course order; with no goal, from the organisation's courses in order (services/goal_targets).
A bite is new while none of its items has been answered; a begun lesson offers its unanswered items again
(items a new version added, or whose correct answer changed) without its reading time. Durations come from
the learner's own measured times per item kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from sqlalchemy.orm import Session

from skillbite.domain.content import ItemKind
from skillbite.domain.ids import ItemId, LessonId
from skillbite.domain.session_planner import (
    NewBite,
    PlannerInput,
    ReviewCandidate,
    SessionPlan,
    plan_path_session,
    plan_session,
)
from skillbite.services.clock import Clock
from skillbite.services.errors import InvalidInput
from skillbite.services.goal_targets import goal_lessons
from skillbite.services.learner_context import learner_context
from skillbite.services.memory_states import memory_state
from skillbite.services.principal import Principal
from skillbite.store.database import Database
from skillbite.store.repositories.content import ItemRepository, LessonRepository, PackRepository
from skillbite.store.repositories.learning import ItemStateRepository, LearnerGoalRepository, ReviewRepository
from skillbite.store.tables.content import ItemRow, LessonRow

MAX_NEW_BITES_CONSIDERED = 40
MIN_TIMINGS = 5


@dataclass(frozen=True)
class SessionReview:
    item_id: int
    kind: str
    lesson_id: int
    expected_seconds: float
    recall_now: float


@dataclass(frozen=True)
class SessionBite:
    lesson_id: int
    pack: str
    key: str
    title: str
    minutes: float
    item_ids: tuple[int, ...]
    expected_seconds: float


@dataclass(frozen=True)
class SessionView:
    minutes: float
    expected_minutes: float
    due_count: int
    reviews: tuple[SessionReview, ...]
    bites: tuple[SessionBite, ...]


def seconds_per_kind(session: Session, org_id: int, user_id: int) -> dict[ItemKind, float]:
    reviews = ReviewRepository(session, org_id)
    measured = {}
    for kind in ItemKind:
        timings = [t for t in reviews.right_answer_timings(user_id, kind.value) if t > 0]
        if len(timings) >= MIN_TIMINGS:
            measured[kind] = median(timings) / 1000.0
    return measured


class SessionService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def today(self, principal: Principal, minutes: float) -> SessionView:
        if not 1 <= minutes <= 120:
            raise InvalidInput("ask for a session of 1 to 120 minutes", field="minutes")
        now = self.clock()
        with self.db.transaction() as session:
            org, user = principal.org_id, principal.user_id
            context = learner_context(session, org, user)
            items = ItemRepository(session, org)
            states = ItemStateRepository(session, org).of_learner(user)
            item_rows = items.by_ids([s.item_id for s in states])
            candidates = []
            started: set[int] = set()
            for state_row in states:
                item = item_rows.get(state_row.item_id)
                if item is None or item.retired_at is not None:
                    continue
                if item.answer_changed_at and state_row.last_review < item.answer_changed_at:
                    continue  # its correct answer changed since: it comes back as new, below
                state = memory_state(state_row)
                assert state is not None
                started.add(item.id)
                candidates.append(ReviewCandidate(ItemId(str(item.id)), ItemKind(item.kind), state))
            goals = LearnerGoalRepository(session, org).of_user(user)
            # Assignments (set by a manager) before the learner's own goals, each in the order set.
            ordered_goals = sorted(goals, key=lambda g: g.assigned_by is None)
            lessons = goal_lessons(session, org, [(g.kind, g.target) for g in ordered_goals])
            bites, _items_of_lessons = self._new_bites(items, lessons, started)
            plan = plan_session(
                PlannerInput(
                    reviews=candidates,
                    new_bites=bites,
                    seconds_per_kind=seconds_per_kind(session, org, user),
                    params=context.params,
                ),
                minutes,
                now,
            )
            return self._view(
                plan,
                minutes,
                item_rows,
                {row.id: row for row in lessons},
                {p.id: p.key for p in PackRepository(session, org).all()},
                {int(b.lesson): b.minutes for b in bites},
            )

    @staticmethod
    def _new_bites(
        items: ItemRepository, lessons: list[LessonRow], started: set[int]
    ) -> tuple[list[NewBite], dict[int, list[ItemRow]]]:
        """Bites with the items the learner has not started. A lesson already begun (a new version added
        items, or changed an answer) comes back with its new items only and no reading time."""
        of_lesson: dict[int, list[ItemRow]] = {}
        for item in items.of_lessons([row.id for row in lessons]):
            of_lesson.setdefault(item.lesson_id, []).append(item)
        bites = []
        for row in lessons:
            lesson_items = of_lesson.get(row.id, [])
            fresh = [i for i in lesson_items if i.id not in started]
            begun = len(fresh) < len(lesson_items)
            if begun and not fresh:
                continue
            bites.append(
                NewBite(
                    LessonId(str(row.id)),
                    0.0 if begun else row.minutes,
                    tuple((ItemId(str(i.id)), ItemKind(i.kind)) for i in fresh),
                )
            )
            if len(bites) >= MAX_NEW_BITES_CONSIDERED:
                break
        return bites, of_lesson

    @staticmethod
    def _view(
        plan: SessionPlan,
        minutes: float,
        item_rows: dict[int, ItemRow],
        lessons: dict[int, LessonRow],
        packs: dict[int, str],
        reading_minutes: dict[int, float],
    ) -> SessionView:
        reviews = tuple(
            SessionReview(
                item_id=int(r.item),
                kind=r.kind.value,
                lesson_id=item_rows[int(r.item)].lesson_id,
                expected_seconds=r.expected_seconds,
                recall_now=r.recall_now,
            )
            for r in plan.reviews
        )
        bites = []
        for b in plan.bites:
            row = lessons[int(b.lesson)]
            bites.append(
                SessionBite(
                    lesson_id=row.id,
                    pack=packs[row.pack_id],
                    key=row.key,
                    title=row.title,
                    minutes=reading_minutes.get(row.id, row.minutes),
                    item_ids=tuple(int(i) for i in b.items),
                    expected_seconds=b.expected_seconds,
                )
            )
        return SessionView(
            minutes=minutes,
            expected_minutes=round(plan.expected_seconds / 60.0, 2),
            due_count=plan.due_count,
            reviews=reviews,
            bites=tuple(bites),
        )

    def path(self, principal: Principal, lesson_ids: Sequence[int]) -> SessionView:
        """A just-in-time session: exactly these lessons, in this order (prerequisites first)."""
        with self.db.transaction() as session:
            org = principal.org_id
            lessons = LessonRepository(session, org).by_ids(list(lesson_ids))
            ordered = [lessons[i] for i in lesson_ids if i in lessons]
            items = ItemRepository(session, org)
            bites, lesson_items = self._new_bites(items, ordered, set())
            plan = plan_path_session(bites, seconds_per_kind(session, org, principal.user_id))
            item_rows = {i.id: i for rows in lesson_items.values() for i in rows}
            return self._view(
                plan,
                plan.expected_seconds / 60.0,
                item_rows,
                {r.id: r for r in ordered},
                {p.id: p.key for p in PackRepository(session, org).all()},
                {int(b.lesson): b.minutes for b in bites},
            )
