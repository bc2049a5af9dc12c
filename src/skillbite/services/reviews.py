"""Submitting reviews: the append-only log, idempotent by client UUID, and the memory state folded from it.

A review is graded on the server from the learner's answer (domain/answers, domain/grading), appended to the
log, and folded into the item's memory state. Posting the same UUID with the same body again returns the same
answer and changes nothing; a different body under a known UUID is refused with 409. A batch is one
transaction: all of it is stored or none.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from skillbite.domain.answers import AnswerFormatError, check_answer
from skillbite.domain.content import ItemKind
from skillbite.domain.grading import GradingError, grade_practice
from skillbite.domain.ids import ItemId
from skillbite.domain.memory import MemoryState, apply_review, fold_reviews, needs_refold
from skillbite.domain.reviews import Grade, InvalidReviewError, Review
from skillbite.services.clock import Clock
from skillbite.services.errors import Conflict, InvalidInput, NotFound
from skillbite.services.learner_context import LearnerContext, learner_context
from skillbite.services.memory_states import memory_state, review_entity, store_state
from skillbite.services.pack_load import item_entity
from skillbite.services.param_jobs import maybe_queue_optimisation
from skillbite.services.principal import Principal
from skillbite.store.database import Database
from skillbite.store.repositories.content import ItemRepository, LessonRepository
from skillbite.store.repositories.learning import ItemStateRepository, ReviewRepository
from skillbite.store.tables.content import ItemRow
from skillbite.store.tables.learning import ReviewRow

MAX_BATCH = 500


@dataclass(frozen=True)
class ReviewSubmission:
    """What a client sends for one answer."""

    uuid: str
    item_id: int
    reviewed_at: datetime
    tz: str
    answer: Any
    response_ms: int
    self_grade: int | None = None
    """Flashcards only: 1 Again, 2 Hard, 3 Good, 4 Easy (the answer itself may also be that number)."""

    def body_hash(self) -> str:
        body = {
            "item_id": self.item_id,
            "reviewed_at": self.reviewed_at.astimezone(UTC).isoformat(),
            "tz": self.tz,
            "answer": self.answer,
            "response_ms": self.response_ms,
            "self_grade": self.self_grade,
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class ReviewOutcome:
    uuid: str
    item_id: int
    correct: bool
    score: float
    grade: int
    due: datetime
    explanation: str
    replayed: bool
    """True when this UUID was stored before: nothing changed."""


class ReviewService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def submit(self, principal: Principal, submissions: Sequence[ReviewSubmission]) -> list[ReviewOutcome]:
        if not submissions:
            raise InvalidInput("send at least one review", field="reviews")
        if len(submissions) > MAX_BATCH:
            raise InvalidInput(
                f"send at most {MAX_BATCH} reviews per batch; split the batch", field="reviews"
            )
        with self.db.transaction() as session:
            context = learner_context(session, principal.org_id, principal.user_id)
            known = ReviewRepository(session, principal.org_id).by_uuids([s.uuid for s in submissions])
            outcomes = [self._one(session, principal, context, known, s) for s in submissions]
            maybe_queue_optimisation(session, principal.org_id, principal.user_id, self.clock())
            return outcomes

    def _one(
        self,
        session: Session,
        principal: Principal,
        context: LearnerContext,
        known: dict[str, ReviewRow],
        submission: ReviewSubmission,
    ) -> ReviewOutcome:
        uuid = _parse_uuid(submission.uuid)
        body_hash = submission.body_hash()
        items = ItemRepository(session, principal.org_id)
        stored = known.get(uuid)
        if stored is not None:
            if stored.body_hash != body_hash or stored.learner_id != principal.user_id:
                raise Conflict(
                    f"review {uuid} was stored before with a different body; send a new uuid "
                    "for a new answer",
                    field="uuid",
                )
            item = items.get(stored.item_id)
            return ReviewOutcome(
                uuid=uuid,
                item_id=stored.item_id,
                correct=stored.correct,
                score=stored.score,
                grade=stored.grade,
                due=stored.due_after,
                explanation=item.explanation if item else "",
                replayed=True,
            )
        item = items.get(submission.item_id)
        if item is None:
            raise NotFound(f"no item {submission.item_id} in this organisation", field="item_id")
        entity = item_entity(item)
        try:
            result = check_answer(entity, submission.answer)
            self_grade = submission.self_grade
            if entity.kind is ItemKind.FLASHCARD and self_grade is None:
                self_grade = int(submission.answer)
            grade = grade_practice(
                entity.kind,
                score=result.score,
                response_ms=submission.response_ms,
                right_answer_timings_ms=ReviewRepository(session, principal.org_id).right_answer_timings(
                    principal.user_id, entity.kind.value
                ),
                self_grade=Grade(self_grade) if self_grade is not None else None,
            )
            review = Review(
                uuid=UUID(uuid),
                org=principal.org_id,
                learner=principal.user_id,
                item=ItemId(str(item.id)),
                reviewed_at=submission.reviewed_at.astimezone(UTC),
                tz=submission.tz,
                answer=submission.answer,
                correct=result.correct,
                response_ms=submission.response_ms,
                grade=grade,
                params_version=context.params_version,
            )
        except (AnswerFormatError, GradingError, InvalidReviewError, ValueError, TypeError) as error:
            raise InvalidInput(f"review {uuid}: {error}", field="answer") from None
        tags = self._tags(session, principal.org_id, item)
        state = self._fold_in(session, principal, context, item, review, tags)
        known[uuid] = ReviewRepository(session, principal.org_id).stage(
            ReviewRow(
                uuid=uuid,
                learner_id=principal.user_id,
                item_id=item.id,
                reviewed_at=review.reviewed_at,
                tz=review.tz,
                answer=submission.answer,
                correct=result.correct,
                response_ms=submission.response_ms,
                score=result.score,
                grade=int(grade),
                due_after=state.due,
                params_version=context.params_version,
                body_hash=body_hash,
                source="app",
                received_at=self.clock(),
            )
        )
        return ReviewOutcome(
            uuid=uuid,
            item_id=item.id,
            correct=result.correct,
            score=result.score,
            grade=int(grade),
            due=state.due,
            explanation=item.explanation,
            replayed=False,
        )

    @staticmethod
    def _tags(session: Session, org_id: int, item: ItemRow) -> list[str]:
        lesson = LessonRepository(session, org_id).get(item.lesson_id)
        return [*item.tags, *(lesson.tags if lesson else [])]

    @staticmethod
    def _fold_in(
        session: Session,
        principal: Principal,
        context: LearnerContext,
        item: ItemRow,
        review: Review,
        tags: list[str],
    ) -> MemoryState:
        states = ItemStateRepository(session, principal.org_id)
        current = memory_state(states.of(principal.user_id, item.id))
        if current is not None and item.answer_changed_at and current.last_review < item.answer_changed_at:
            current = None  # the correct answer changed since: the learner starts this item afresh
        retention = context.retention_for(tags)
        if needs_refold(current, review):
            # An answer older than the state (an offline client catching up): fold the whole log again.
            session.flush()
            history = ReviewRepository(session, principal.org_id).of_item(principal.user_id, item.id)
            counted = [
                review_entity(r)
                for r in history
                if item.answer_changed_at is None or r.reviewed_at >= item.answer_changed_at
            ]
            state = fold_reviews([*counted, review], context.params, retention)
            assert state is not None
        else:
            state = apply_review(current, review, context.params, retention)
        store_state(session, principal.org_id, principal.user_id, item.id, state, review.tz)
        return state


def _parse_uuid(value: str) -> str:
    try:
        return str(UUID(str(value)))
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a UUID; generate one per answer (crypto.randomUUID())", field="uuid"
        ) from None
