"""Rebuilding every memory state from the review log: `skillbite recompute`.

The log is the truth and the states are its fold; rebuilding them must give identical rows. Any difference
found is reported (it would mean a bug in the incremental path) and then repaired.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from skillbite.domain.memory import fold_reviews
from skillbite.services.learner_context import learner_context
from skillbite.services.memory_states import counted_reviews, review_entity, store_state
from skillbite.store.database import Database
from skillbite.store.repositories.content import ItemRepository, LessonRepository
from skillbite.store.repositories.learning import ItemStateRepository, ReviewRepository
from skillbite.store.tables.learning import ReviewRow


@dataclass
class RecomputeReport:
    learners: int = 0
    items: int = 0
    changed: list[tuple[int, int]] = field(default_factory=list)
    """(learner, item) pairs whose stored state differed from the fold of the log."""


def _state_tuple(row: object) -> tuple[object, ...]:
    return tuple(
        getattr(row, name) for name in ("stability", "difficulty", "due", "last_review", "reps", "lapses")
    )


def recompute_learner(
    session: Session, org_id: int, learner_id: int, report: RecomputeReport | None = None
) -> None:
    """Refold every item the learner reviewed, with the learner's current parameters and retention."""
    report = report or RecomputeReport()
    context = learner_context(session, org_id, learner_id)
    reviews = ReviewRepository(session, org_id).of_learner(learner_id)
    by_item: dict[int, list[ReviewRow]] = {}
    for review in reviews:  # already in (reviewed_at, uuid) order
        by_item.setdefault(review.item_id, []).append(review)
    items = ItemRepository(session, org_id).by_ids(sorted(by_item))
    lessons = LessonRepository(session, org_id).by_ids(sorted({i.lesson_id for i in items.values()}))
    states = ItemStateRepository(session, org_id)
    report.learners += 1
    for item_id, item in sorted(items.items()):
        lesson = lessons.get(item.lesson_id)
        tags = [*item.tags, *(lesson.tags if lesson else [])]
        counted = counted_reviews(item, by_item[item_id])
        state = fold_reviews([review_entity(r) for r in counted], context.params, context.retention_for(tags))
        stored = states.of(learner_id, item_id)
        report.items += 1
        if state is None:
            if stored is not None:
                # Every review predates a change of the item's correct answer: the item starts afresh.
                # A state left from before the change is expected, not a fault of the incremental path.
                stale = item.answer_changed_at is not None and stored.last_review < item.answer_changed_at
                session.delete(stored)
                if not stale:
                    report.changed.append((learner_id, item_id))
            continue
        before = _state_tuple(stored) if stored else None
        store_state(session, org_id, learner_id, item_id, state, counted[-1].tz)
        session.flush()
        after = _state_tuple(states.of(learner_id, item_id))
        if before != after:
            report.changed.append((learner_id, item_id))


class RecomputeService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def recompute(self, org_id: int) -> RecomputeReport:
        report = RecomputeReport()
        with self.db.transaction() as session:
            for learner_id in ReviewRepository(session, org_id).learners():
                recompute_learner(session, org_id, learner_id, report)
        return report
