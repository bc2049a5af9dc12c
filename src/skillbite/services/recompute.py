"""Rebuilding every memory state from the review log: `skillbite recompute`.

The log is the truth and the states are its fold; rebuilding them must give identical rows. Any difference
found is reported (it would mean a bug in the incremental path) and then repaired.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from skillbite.services.learner_context import learner_context
from skillbite.services.memory_states import fold_item, store_state
from skillbite.store.database import Database
from skillbite.store.repositories.content import ItemRepository, LessonRepository
from skillbite.store.repositories.learning import ItemStateRepository, ReviewRepository


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
    report = report or RecomputeReport()
    context = learner_context(session, org_id, learner_id)
    reviews = ReviewRepository(session, org_id).of_learner(learner_id)
    items = ItemRepository(session, org_id).by_ids(sorted({r.item_id for r in reviews}))
    lessons = LessonRepository(session, org_id).by_ids(sorted({i.lesson_id for i in items.values()}))
    states = ItemStateRepository(session, org_id)
    last_tz = {r.item_id: r.tz for r in reviews}
    report.learners += 1
    for item_id, item in sorted(items.items()):
        lesson = lessons.get(item.lesson_id)
        tags = [*item.tags, *(lesson.tags if lesson else [])]
        state = fold_item(session, org_id, learner_id, item, context, tags)
        stored = states.of(learner_id, item_id)
        report.items += 1
        if state is None:
            if stored is not None:
                session.delete(stored)
                report.changed.append((learner_id, item_id))
            continue
        before = _state_tuple(stored) if stored else None
        store_state(session, org_id, learner_id, item_id, state, last_tz[item_id])
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
