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
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from skillbite.domain.answers import AnswerFormatError, check_answer
from skillbite.domain.content import ItemKind
from skillbite.domain.grading import GradingError, grade_practice
from skillbite.domain.ids import ItemId
from skillbite.domain.memory import MemoryState, apply_review, fold_reviews, needs_refold
from skillbite.domain.reviews import Grade, InvalidReviewError, Review, in_time_order
from skillbite.services.clock import Clock
from skillbite.services.errors import Conflict, InvalidInput, NotFound
from skillbite.services.learner_context import LearnerContext, learner_context
from skillbite.services.memory_states import memory_state, review_entity, store_state
from skillbite.services.pack_load import item_entity
from skillbite.services.param_jobs import maybe_queue_optimisation
from skillbite.services.principal import Principal
from skillbite.services.tracing_jobs import maybe_queue_tracing_fit
from skillbite.store.database import Database
from skillbite.store.repositories.content import ItemRepository, LessonRepository
from skillbite.store.repositories.learning import ItemStateRepository, ReviewRepository
from skillbite.store.tables.content import ItemRow
from skillbite.store.tables.learning import ReviewRow

MAX_BATCH = 500
MAX_CLOCK_SKEW = timedelta(minutes=5)
"""A review stamped later than now by more than this is refused: it would push the item's state ahead."""


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
        try:
            return self._submit_once(principal, submissions)
        except IntegrityError:
            # Another request stored one of these uuids between our lookup and our insert (a client
            # retrying in parallel). Run again: that review is now known and is answered as a replay.
            return self._submit_once(principal, submissions)

    def _submit_once(
        self, principal: Principal, submissions: Sequence[ReviewSubmission]
    ) -> list[ReviewOutcome]:
        with self.db.transaction() as session:
            context = learner_context(session, principal.org_id, principal.user_id)
            uuids = [_parse_uuid(s.uuid) for s in submissions]
            known = ReviewRepository(session, principal.org_id).by_uuids(uuids)
            outcomes = [self._one(session, principal, context, known, s) for s in submissions]
            maybe_queue_optimisation(session, principal.org_id, principal.user_id, self.clock())
            added = sum(1 for outcome in outcomes if not outcome.replayed)
            maybe_queue_tracing_fit(session, principal.org_id, principal.user_id, added, self.clock())
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
            if stored.learner_id != principal.user_id:
                # Another learner's review: never echo it back (it would leak their answer).
                raise Conflict(
                    f"review {uuid} is already taken; generate a new uuid for each answer",
                    field="uuid",
                )
            if stored.body_hash != body_hash:
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
        reviewed_at = submission.reviewed_at.astimezone(UTC)
        if reviewed_at > self.clock() + MAX_CLOCK_SKEW:
            # A device clock running fast: keep the answer (it may have waited offline) at the server's time,
            # so a future time never reaches the memory state. The body hash still holds the time as sent.
            reviewed_at = self.clock()
        entity = item_entity(item)
        try:
            answer, self_grade = _flashcard_answer(entity.kind, submission)
            result = check_answer(entity, answer)
            grade = grade_practice(
                entity.kind,
                score=result.score,
                response_ms=submission.response_ms,
                # Only answers given before this one: a grade never depends on what the learner did later.
                right_answer_timings_ms=ReviewRepository(session, principal.org_id).right_answer_timings(
                    principal.user_id, entity.kind.value, before=reviewed_at
                ),
                self_grade=Grade(self_grade) if self_grade is not None else None,
            )
            review = Review(
                uuid=UUID(uuid),
                org=principal.org_id,
                learner=principal.user_id,
                item=ItemId(str(item.id)),
                reviewed_at=reviewed_at,
                tz=submission.tz,
                answer=answer,
                correct=result.correct,
                response_ms=submission.response_ms,
                grade=grade,
                params_version=context.params_version,
            )
        except (AnswerFormatError, GradingError, InvalidReviewError, ValueError, TypeError) as error:
            raise InvalidInput(f"review {uuid}: {error}", field="answer") from None
        tags = self._tags(session, principal.org_id, item)
        if item.answer_changed_at is not None and review.reviewed_at < item.answer_changed_at:
            # An answer to the item's previous version (an offline client catching up): kept in the log,
            # never folded, since the item started afresh when its correct answer changed.
            states = ItemStateRepository(session, principal.org_id)
            current = memory_state(states.of(principal.user_id, item.id))
            fresh = current is not None and current.last_review >= item.answer_changed_at
            due_after = current.due if current is not None and fresh else self.clock()
        else:
            due_after = self._fold_in(session, principal, context, item, review, tags).due
        known[uuid] = ReviewRepository(session, principal.org_id).stage(
            ReviewRow(
                uuid=uuid,
                learner_id=principal.user_id,
                item_id=item.id,
                reviewed_at=review.reviewed_at,
                tz=review.tz,
                answer=answer,
                correct=result.correct,
                response_ms=submission.response_ms,
                score=result.score,
                grade=int(grade),
                due_after=due_after,
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
            due=due_after,
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
        last_tz = review.tz
        if needs_refold(current, review):
            # An answer older than the state (an offline client catching up): fold the whole log again.
            session.flush()
            history = ReviewRepository(session, principal.org_id).of_item(principal.user_id, item.id)
            counted = [
                review_entity(r)
                for r in history
                if item.answer_changed_at is None or r.reviewed_at >= item.answer_changed_at
            ]
            ordered = in_time_order([*counted, review])
            state = fold_reviews(ordered, context.params, retention)
            assert state is not None
            last_tz = ordered[-1].tz  # the state's time zone is that of its latest review, as in recompute
        else:
            state = apply_review(current, review, context.params, retention)
        store_state(session, principal.org_id, principal.user_id, item.id, state, last_tz)
        return state


def _flashcard_answer(kind: ItemKind, submission: ReviewSubmission) -> tuple[Any, int | None]:
    """A flashcard's answer is its self-grade: either field may carry it, and both must then agree."""
    if kind is not ItemKind.FLASHCARD:
        return submission.answer, submission.self_grade
    answer, self_grade = submission.answer, submission.self_grade
    if answer is None:
        answer = self_grade
    if self_grade is None and isinstance(answer, int) and not isinstance(answer, bool):
        self_grade = answer
    if answer != self_grade:
        raise GradingError(
            f"flashcard answer {answer!r} and self_grade {self_grade!r} disagree; send the self-grade "
            "1 (Again), 2 (Hard), 3 (Good) or 4 (Easy) as the answer"
        )
    return answer, self_grade


def _parse_uuid(value: str) -> str:
    try:
        return str(UUID(str(value)))
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a UUID; generate one per answer (crypto.randomUUID())", field="uuid"
        ) from None
