"""Helpers for the learning-engine service tests: members, demo content, right and wrong answers, rows."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select

from skillbite.content.demo_packs import demo_pack_paths
from skillbite.domain.answers import cloze_deletions
from skillbite.services.principal import Principal
from skillbite.services.reviews import ReviewSubmission
from skillbite.store.tables.content import ItemRow, PackRow
from skillbite.store.tables.learning import ItemStateRow, ReviewRow
from skillbite.wiring import System

PASSWORD = "correct horse battery"


def new_member(system: System, email: str = "ada@example.com", org: str = "acme") -> Principal:
    """A new organisation with this user as its admin (the member who answers in most tests)."""
    return system.accounts.sign_up(email, PASSWORD, org_slug=org).principal


def learner_in(system: System, admin: Principal, email: str) -> Principal:
    """Another member of `admin`'s organisation, logged in."""
    link = system.accounts.create_user(email, admin.org_slug, "learner")
    return system.accounts.set_password(link.url.rsplit("/", 1)[1], PASSWORD).principal


def import_demo(system: System, principal: Principal, *, only: str | None = "git-in-the-flow") -> None:
    """The demo packs (by default only git-in-the-flow: it has every item kind and imports fastest)."""
    for path in demo_pack_paths():
        if only is None or path.name == only:
            system.content.import_pack(principal.org_id, path)


def items_of(system: System, principal: Principal, pack: str | None = None) -> list[ItemRow]:
    with system.db.transaction() as session:
        query = select(ItemRow).where(ItemRow.org_id == principal.org_id, ItemRow.retired_at.is_(None))
        if pack is not None:
            query = query.join(PackRow, PackRow.id == ItemRow.pack_id).where(PackRow.key == pack)
        return list(session.scalars(query.order_by(ItemRow.id)))


def item_by_kind(system: System, principal: Principal, kind: str) -> ItemRow:
    return next(i for i in items_of(system, principal) if i.kind == kind)


def right_answer(item: ItemRow) -> Any:
    body = item.body
    match item.kind:
        case "multiple_choice":
            return [i for i, c in enumerate(body["choices"]) if c["correct"]]
        case "true_false":
            return body["answer"]
        case "cloze":
            return [d.answers[0] for d in cloze_deletions(body["text"])]
        case "typed_answer":
            return body["answers"][0]
        case "ordering":
            return list(range(len(body["steps"])))
        case "matching":
            return {p["left"]: p["right"] for p in body["pairs"]}
        case "flashcard":
            return 3
    raise AssertionError(item.kind)


def wrong_answer(item: ItemRow) -> Any:
    body = item.body
    match item.kind:
        case "multiple_choice":
            return [i for i, c in enumerate(body["choices"]) if not c["correct"]][:1]
        case "true_false":
            return not body["answer"]
        case "cloze":
            return ["no such word" for _ in cloze_deletions(body["text"])]
        case "typed_answer":
            return "no such command"
        case "ordering":
            return list(reversed(range(len(body["steps"]))))
        case "matching":
            rights = [p["right"] for p in body["pairs"]]
            return {p["left"]: rights[(i + 1) % len(rights)] for i, p in enumerate(body["pairs"])}
        case "flashcard":
            return 1
    raise AssertionError(item.kind)


def submission(
    item: ItemRow,
    at: datetime,
    *,
    right: bool = True,
    response_ms: int = 8_000,
    uid: str | None = None,
    tz: str = "UTC",
) -> ReviewSubmission:
    return ReviewSubmission(
        uuid=uid or str(uuid.uuid4()),
        item_id=item.id,
        reviewed_at=at,
        tz=tz,
        answer=right_answer(item) if right else wrong_answer(item),
        response_ms=response_ms,
    )


def review_rows(system: System, org_id: int) -> list[ReviewRow]:
    with system.db.transaction() as session:
        query = (
            select(ReviewRow)
            .where(ReviewRow.org_id == org_id)
            .order_by(ReviewRow.reviewed_at, ReviewRow.uuid)
        )
        return list(session.scalars(query))


def state_rows(system: System, org_id: int) -> list[tuple[object, ...]]:
    """Every stored memory state of the organisation, as comparable tuples."""
    with system.db.transaction() as session:
        query = select(ItemStateRow).where(ItemStateRow.org_id == org_id)
        rows = session.scalars(query.order_by(ItemStateRow.learner_id, ItemStateRow.item_id))
        return [
            (
                r.learner_id,
                r.item_id,
                r.stability,
                r.difficulty,
                r.due,
                r.last_review,
                r.reps,
                r.lapses,
                r.last_tz,
            )
            for r in rows
        ]
