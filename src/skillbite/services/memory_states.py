"""The bridge between stored rows and the memory model: reviews as domain values, states folded and stored."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.orm import Session

from skillbite.domain.ids import ItemId, OrgId, UserId
from skillbite.domain.memory import MemoryState, fold_reviews
from skillbite.domain.reviews import Grade, Review
from skillbite.services.learner_context import LearnerContext
from skillbite.store.repositories.learning import ItemStateRepository, ReviewRepository
from skillbite.store.tables.content import ItemRow
from skillbite.store.tables.learning import ItemStateRow, ReviewRow


def memory_state(row: ItemStateRow | None) -> MemoryState | None:
    if row is None:
        return None
    return MemoryState(
        stability=row.stability,
        difficulty=row.difficulty,
        due=row.due,
        last_review=row.last_review,
        reps=row.reps,
        lapses=row.lapses,
    )


def review_entity(row: ReviewRow) -> Review:
    return Review(
        uuid=UUID(row.uuid),
        org=OrgId(row.org_id),
        learner=UserId(row.learner_id),
        item=ItemId(str(row.item_id)),
        reviewed_at=row.reviewed_at,
        tz=row.tz,
        answer=row.answer,
        correct=row.correct,
        response_ms=row.response_ms,
        grade=Grade(row.grade),
        params_version=row.params_version,
    )


def counted_reviews(item: ItemRow, rows: list[ReviewRow]) -> list[ReviewRow]:
    """The reviews that count for the item's state: those since its correct answer last changed."""
    if item.answer_changed_at is None:
        return rows
    changed = item.answer_changed_at
    return [r for r in rows if r.reviewed_at >= changed]


def fold_item(
    session: Session, org_id: int, learner_id: int, item: ItemRow, context: LearnerContext, tags: list[str]
) -> MemoryState | None:
    """The item's state from its whole log. Reviews before a change of the correct answer do not count."""
    rows = counted_reviews(item, ReviewRepository(session, org_id).of_item(learner_id, item.id))
    return fold_reviews([review_entity(r) for r in rows], context.params, context.retention_for(tags))


def store_state(
    session: Session, org_id: int, learner_id: int, item_id: int, state: MemoryState, tz: str
) -> None:
    states = ItemStateRepository(session, org_id)
    row = states.of(learner_id, item_id) or states.stage(
        ItemStateRow(
            learner_id=learner_id,
            item_id=item_id,
            stability=0,
            difficulty=0,
            due=state.due,
            last_review=state.last_review,
            reps=0,
            lapses=0,
            last_tz=tz,
        )
    )
    row.stability, row.difficulty, row.due = state.stability, state.difficulty, state.due
    row.last_review, row.reps, row.lapses, row.last_tz = state.last_review, state.reps, state.lapses, tz
