"""An Anki deck's review history into one learner's review log (`skillbite import apkg PATH --as EMAIL`).

Each Anki answer becomes a review with `source="anki"` and a deterministic uuid (uuid5 of organisation,
learner, pack, item and time), so importing the same package again adds nothing twice, and a newer export
of the same deck adds only the answers given since. The Anki log has no answer text and no time zone: the
answer stored is the button pressed (1-4, the flashcard self-grade), the grade is that button, and days are
counted in the learner's time zone (their settings). The learner's states are then refolded from the log.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from sqlalchemy.orm import Session

from skillbite.content.importers.anki import AnkiImport, AnkiReview
from skillbite.domain.ids import ItemId, OrgId, UserId
from skillbite.domain.memory import MemoryState, apply_review
from skillbite.domain.reviews import Grade, Review, in_time_order
from skillbite.services.accounts import normalise_email
from skillbite.services.clock import Clock
from skillbite.services.errors import InvalidInput, NotFound
from skillbite.services.learner_context import LearnerContext, learner_context
from skillbite.services.memory_states import counted_reviews, review_entity
from skillbite.services.param_jobs import maybe_queue_optimisation
from skillbite.services.recompute import recompute_learner
from skillbite.store.database import Database
from skillbite.store.repositories.accounts import MembershipRepository, UserRepository
from skillbite.store.repositories.content import ItemRepository, LessonRepository, PackRepository
from skillbite.store.repositories.learning import ReviewRepository
from skillbite.store.tables.content import ItemRow
from skillbite.store.tables.learning import ReviewRow

ANKI_SOURCE = "anki"
UUID_NAMESPACE = uuid5(NAMESPACE_URL, "https://skillbite.invalid/anki-review")
LOOKUP_CHUNK = 500
"""uuids looked up per query: well under SQLite's limit on bound parameters."""


@dataclass(frozen=True)
class HistoryImport:
    added: int
    already_there: int
    """Answers whose uuid was in the log already (an earlier import of the same history)."""
    skipped: int
    """Answers to cards that are not stored items of the pack (left out of the deck, or retired)."""


def anki_review_uuid(org_id: int, learner_id: int, pack_key: str, item_key: str, review: AnkiReview) -> str:
    """Deterministic: the same answer imported again gets the same uuid, so it is stored once."""
    name = f"{org_id}/{learner_id}/{pack_key}/{item_key}/{review.reviewed_at.isoformat()}"
    return str(uuid5(UUID_NAMESPACE, name))


def member_id(session: Session, org_id: int, email: str) -> int:
    """The user id of `email` if they are a member of the organisation; a clear error otherwise."""
    address = normalise_email(email)
    user = UserRepository(session).by_email(address)
    if user is None or MembershipRepository(session, org_id).of_user(user.id) is None:
        raise NotFound(
            f"{address} is not a member of this organisation; add them first with "
            f"`skillbite user create {address} --org SLUG`",
            field="email",
        )
    return user.id


def _body_hash(item_id: int, review: AnkiReview, tz: str) -> str:
    body = {
        "item_id": item_id,
        "reviewed_at": review.reviewed_at.isoformat(),
        "tz": tz,
        "answer": review.grade,
        "response_ms": max(review.duration_ms, 0),
        "self_grade": review.grade,
        "source": ANKI_SOURCE,
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _existing(reviews: ReviewRepository, uuids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(uuids), LOOKUP_CHUNK):
        found.update(reviews.by_uuids(uuids[start : start + LOOKUP_CHUNK]))
    return found


def _states_after(
    session: Session,
    context: LearnerContext,
    item: ItemRow,
    learner_id: int,
    new: list[Review],
    retention: float,
) -> dict[UUID, MemoryState]:
    """The state after each new review, folding the item's whole counted log (stored and new) in time order.
    New reviews from before a change of the item's correct answer are not folded (they get no state)."""
    stored = ReviewRepository(session, item.org_id).of_item(learner_id, item.id)
    changed = item.answer_changed_at
    counted = [
        *(review_entity(r) for r in counted_reviews(item, stored)),
        *(r for r in new if changed is None or r.reviewed_at >= changed),
    ]
    new_uuids = {r.uuid for r in new}
    state: MemoryState | None = None
    after: dict[UUID, MemoryState] = {}
    for review in in_time_order(counted):
        state = apply_review(state, review, context.params, retention)
        if review.uuid in new_uuids:
            after[review.uuid] = state
    return after


def import_anki_history(
    db: Database, clock: Clock, org_id: OrgId, email: str, imported: AnkiImport
) -> HistoryImport:
    """Append `imported.reviews` to the member's log in one transaction and refold their states."""
    pack_key = str(imported.pack.id)
    with db.transaction() as session:
        learner_id = member_id(session, org_id, email)
        pack = PackRepository(session, org_id).by_key(pack_key)
        if pack is None:
            raise InvalidInput(
                f"pack {pack_key!r} is not stored in this organisation; import the deck before its history",
                field="path",
            )
        items = ItemRepository(session, org_id).of_pack(pack.id)
        context = learner_context(session, org_id, learner_id)
        reviews = ReviewRepository(session, org_id)
        keyed = [(anki, items.get(str(anki.item_id))) for anki in imported.reviews]
        usable = [(a, i) for a, i in keyed if i is not None and i.retired_at is None]
        uuids = [anki_review_uuid(org_id, learner_id, pack_key, i.key, a) for a, i in usable]
        known = _existing(reviews, uuids)
        fresh: dict[int, list[tuple[AnkiReview, Review]]] = {}
        seen: set[str] = set()
        for (anki, item), uuid in zip(usable, uuids, strict=True):
            if uuid in known or uuid in seen:
                continue
            seen.add(uuid)
            fresh.setdefault(item.id, []).append(
                (anki, _review(org_id, learner_id, item, anki, uuid, context))
            )
        by_id = {row.id: row for row in items.values()}
        lessons = LessonRepository(session, org_id).by_ids(sorted({row.lesson_id for row in by_id.values()}))
        now = clock()
        for item_id, pairs in fresh.items():
            item = by_id[item_id]
            lesson = lessons.get(item.lesson_id)
            retention = context.retention_for([*item.tags, *(lesson.tags if lesson else [])])
            states = _states_after(session, context, item, learner_id, [r for _, r in pairs], retention)
            for anki, review in pairs:
                state = states.get(review.uuid)
                reviews.stage(_row(item, anki, review, context, state.due if state else now, now))
        session.flush()
        recompute_learner(session, org_id, learner_id)
        maybe_queue_optimisation(session, org_id, learner_id, now)
        added = sum(len(p) for p in fresh.values())
        return HistoryImport(
            added=added, already_there=len(usable) - added, skipped=len(imported.reviews) - len(usable)
        )


def _review(
    org_id: int, learner_id: int, item: ItemRow, anki: AnkiReview, uuid: str, context: LearnerContext
) -> Review:
    return Review(
        uuid=UUID(uuid),
        org=OrgId(org_id),
        learner=UserId(learner_id),
        item=ItemId(str(item.id)),
        reviewed_at=anki.reviewed_at,
        tz=context.timezone,
        answer=anki.grade,
        correct=anki.grade > Grade.AGAIN,
        response_ms=max(anki.duration_ms, 0),
        grade=Grade(anki.grade),
        params_version=context.params_version,
    )


def _row(
    item: ItemRow, anki: AnkiReview, review: Review, context: LearnerContext, due: datetime, now: datetime
) -> ReviewRow:
    return ReviewRow(
        uuid=str(review.uuid),
        learner_id=int(review.learner),
        item_id=item.id,
        reviewed_at=review.reviewed_at,
        tz=review.tz,
        answer=anki.grade,
        correct=review.correct,
        response_ms=review.response_ms,
        score=1.0 if review.correct else 0.0,
        grade=int(review.grade),
        due_after=due,
        params_version=context.params_version,
        body_hash=_body_hash(item.id, anki, review.tz),
        source=ANKI_SOURCE,
        received_at=now,
    )
