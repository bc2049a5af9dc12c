"""Today's session: due reviews and new bites that fit the minutes the learner has (domain/session_planner).

New bites come from the learner's goals (courses, skills or lessons they chose or were assigned; assignments
first) in course order; with no goal, from the organisation's courses in order (services/goal_targets).
A bite is new while none of its items has been answered; a begun lesson offers its unanswered items again
(items a new version added, or whose correct answer changed) without its reading time. Durations come from
the learner's own measured times per item kind.

A learner may hold 10,000 items: the reads here select columns, not ORM rows, and only what the plan can use
(due states, the chosen lessons' new items), in a few queries (bench/planner.py measures the whole call).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from skillbite.domain.content import ItemKind
from skillbite.domain.ids import ItemId, LessonId
from skillbite.domain.session_planner import (
    NewBite,
    PlannerInput,
    ReviewDeck,
    SessionPlan,
    plan_path_session,
    plan_session,
)
from skillbite.services.clock import Clock
from skillbite.services.errors import InvalidInput
from skillbite.services.goal_targets import goal_lessons
from skillbite.services.learner_context import learner_context
from skillbite.services.principal import Principal
from skillbite.store.database import Database
from skillbite.store.repositories.content import LessonRepository, PackRepository
from skillbite.store.repositories.learning import LearnerGoalRepository
from skillbite.store.tables.content import ItemRow, LessonRow
from skillbite.store.tables.learning import ItemStateRow, ReviewRow

MAX_NEW_BITES_CONSIDERED = 40
MIN_TIMINGS = 5
TIMINGS_PER_KIND = 200


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
    """The learner's median seconds per item kind, over their TIMINGS_PER_KIND latest timed right answers of
    that kind (kinds with fewer than MIN_TIMINGS are left out: the planner uses the defaults).

    One query ranks the answers of every kind at once (a window function, on SQLite and PostgreSQL alike);
    asking kind by kind read the learner's whole review log once per kind."""
    latest = (
        select(
            ItemRow.kind,
            ReviewRow.response_ms,
            func.row_number()
            .over(partition_by=ItemRow.kind, order_by=ReviewRow.reviewed_at.desc())
            .label("recency"),
        )
        .join(ItemRow, ItemRow.id == ReviewRow.item_id)
        .where(ReviewRow.org_id == org_id, ReviewRow.learner_id == user_id, ReviewRow.correct.is_(True))
        .subquery()
    )
    query = select(latest.c.kind, latest.c.response_ms).where(latest.c.recency <= TIMINGS_PER_KIND)
    timings: dict[str, list[int]] = {}
    for kind, response_ms in session.execute(query):
        if response_ms > 0:
            timings.setdefault(kind, []).append(response_ms)
    return {
        _KINDS[kind]: median(values) / 1000.0
        for kind, values in timings.items()
        if len(values) >= MIN_TIMINGS and kind in _KINDS
    }


_KINDS = {kind.value: kind for kind in ItemKind}


def _state_that_counts(org_id: int, user_id: int) -> ColumnElement[bool]:
    """Joins an item to the learner's state of it, when that state still counts: an item whose correct
    answer changed after its last review does not count (it comes back as new)."""
    return and_(
        ItemStateRow.item_id == ItemRow.id,
        ItemStateRow.org_id == org_id,
        ItemStateRow.learner_id == user_id,
        or_(ItemRow.answer_changed_at.is_(None), ItemStateRow.last_review >= ItemRow.answer_changed_at),
    )


@dataclass(frozen=True)
class DueReviews:
    """The learner's due reviews, as the columns the planner reads."""

    deck: ReviewDeck
    lesson_of: dict[int, int]
    """Item id -> its lesson id, for the session view."""


def due_reviews(session: Session, org_id: int, user_id: int, now: datetime) -> DueReviews:
    """One query for the states of the learner's active items due at `now`, as columns.

    Only due states are read (the planner ignores the others), and no ORM object is built per row: for a
    10,000-item learner, full item rows (with their JSON bodies) took over a second."""
    query = (
        select(
            ItemStateRow.item_id,
            ItemRow.kind,
            ItemRow.lesson_id,
            ItemStateRow.stability,
            ItemStateRow.difficulty,
            ItemStateRow.due,
            ItemStateRow.last_review,
        )
        .join(ItemRow, _state_that_counts(org_id, user_id))
        .where(ItemRow.org_id == org_id, ItemRow.retired_at.is_(None), ItemStateRow.due <= now)
    )
    rows = session.execute(query).all()
    if not rows:
        return DueReviews(ReviewDeck((), (), (), (), (), ()), {})
    item_ids, kinds, lesson_ids, stability, difficulty, due, last_review = zip(*rows, strict=True)
    deck = ReviewDeck(
        items=[ItemId(str(item)) for item in item_ids],
        kinds=[_KINDS[kind] for kind in kinds],
        stability=stability,
        difficulty=difficulty,
        due=due,
        last_review=last_review,
    )
    return DueReviews(deck, dict(zip(item_ids, lesson_ids, strict=True)))


def new_bites(
    session: Session, org_id: int, lessons: Sequence[LessonRow], learner_id: int | None
) -> list[NewBite]:
    """The first MAX_NEW_BITES_CONSIDERED bites of `lessons` (in that order) with the items the learner has
    not started (with `learner_id` None: every active item). A lesson already begun (a new version added
    items, or changed an answer) comes back with its new items only and no reading time; a begun lesson
    with nothing new is no bite.

    The database counts each lesson's active and started items, so only the chosen lessons' new items are
    read: a learner who has started most of a large catalogue costs one aggregate query, not every item."""
    active = (ItemRow.org_id == org_id, ItemRow.retired_at.is_(None))
    new_in_begun: dict[int, int] = {}  # lesson id -> how many of its items are new, for begun lessons only
    if learner_id is not None and lessons:
        counts = (
            select(ItemRow.lesson_id, func.count(ItemRow.id), func.count(ItemStateRow.id))
            .outerjoin(ItemStateRow, _state_that_counts(org_id, learner_id))
            .where(*active, ItemRow.lesson_id.in_([row.id for row in lessons]))
            .group_by(ItemRow.lesson_id)
        )
        for lesson_id, items, started in session.execute(counts):
            if started:
                new_in_begun[lesson_id] = items - started
    chosen = [row for row in lessons if new_in_begun.get(row.id, 1) > 0][:MAX_NEW_BITES_CONSIDERED]
    if not chosen:
        return []
    fresh = select(ItemRow.lesson_id, ItemRow.id, ItemRow.kind).where(
        *active, ItemRow.lesson_id.in_([row.id for row in chosen])
    )
    if learner_id is not None:
        fresh = fresh.outerjoin(ItemStateRow, _state_that_counts(org_id, learner_id)).where(
            ItemStateRow.id.is_(None)
        )
    of_lesson: dict[int, list[tuple[ItemId, ItemKind]]] = {}
    for lesson_id, item_id, kind in session.execute(fresh.order_by(ItemRow.lesson_id, ItemRow.position)):
        of_lesson.setdefault(lesson_id, []).append((ItemId(str(item_id)), _KINDS[kind]))
    return [
        NewBite(
            LessonId(str(row.id)),
            0.0 if row.id in new_in_begun else row.minutes,
            tuple(of_lesson.get(row.id, ())),
        )
        for row in chosen
    ]


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
            due = due_reviews(session, org, user, now)
            goals = LearnerGoalRepository(session, org).of_user(user)
            # Assignments (set by a manager) before the learner's own goals, each in the order set.
            ordered_goals = sorted(goals, key=lambda g: g.assigned_by is None)
            lessons = goal_lessons(session, org, [(g.kind, g.target) for g in ordered_goals])
            bites = new_bites(session, org, lessons, user)
            plan = plan_session(
                PlannerInput(
                    reviews=due.deck,
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
                due.lesson_of,
                {row.id: row for row in lessons},
                {p.id: p.key for p in PackRepository(session, org).all()},
                {int(b.lesson): b.minutes for b in bites},
            )

    @staticmethod
    def _view(
        plan: SessionPlan,
        minutes: float,
        lesson_of: Mapping[int, int],
        lessons: dict[int, LessonRow],
        packs: dict[int, str],
        reading_minutes: dict[int, float],
    ) -> SessionView:
        reviews = tuple(
            SessionReview(
                item_id=int(r.item),
                kind=r.kind.value,
                lesson_id=lesson_of[int(r.item)],
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
            bites = new_bites(session, org, ordered, None)  # a path ignores history
            plan = plan_path_session(bites, seconds_per_kind(session, org, principal.user_id))
            return self._view(
                plan,
                plan.expected_seconds / 60.0,
                {},  # a path session holds no reviews
                {r.id: r for r in ordered},
                {p.id: p.key for p in PackRepository(session, org).all()},
                {int(b.lesson): b.minutes for b in bites},
            )
