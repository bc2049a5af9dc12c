"""Items as JSON, for storage and the API: `item_to_json(item)` and back with `item_from_json`.

The shape is the item's own fields plus `kind`; it is what the store keeps in `items.body` and what the
player's API returns to an author (never to a learner before answering: see services).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from skillbite.domain.content import (
    Choice,
    Cloze,
    Flashcard,
    Item,
    ItemBody,
    ItemKind,
    Matching,
    MatchPair,
    MultipleChoice,
    Ordering,
    TrueFalse,
    TypedAnswer,
)
from skillbite.domain.ids import ItemId


def body_to_json(body: ItemBody) -> dict[str, Any]:
    data = asdict(body)
    data["kind"] = Item(id=ItemId("_"), body=body).kind.value
    return data


def body_from_json(data: dict[str, Any]) -> ItemBody:
    fields = {k: v for k, v in data.items() if k != "kind"}
    kind = ItemKind(data["kind"])
    if kind is ItemKind.MULTIPLE_CHOICE:
        return MultipleChoice(prompt=fields["prompt"], choices=tuple(Choice(**c) for c in fields["choices"]))
    if kind is ItemKind.TRUE_FALSE:
        return TrueFalse(**fields)
    if kind is ItemKind.CLOZE:
        return Cloze(**fields)
    if kind is ItemKind.TYPED_ANSWER:
        return TypedAnswer(**{**fields, "answers": tuple(fields["answers"])})
    if kind is ItemKind.ORDERING:
        return Ordering(prompt=fields["prompt"], steps=tuple(fields["steps"]))
    if kind is ItemKind.MATCHING:
        return Matching(prompt=fields["prompt"], pairs=tuple(MatchPair(**p) for p in fields["pairs"]))
    if kind is ItemKind.FLASHCARD:
        return Flashcard(**fields)
    raise ValueError(f"unknown item kind {kind!r}")


def item_to_json(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "explanation": item.explanation,
        "tags": list(item.tags),
        "body": body_to_json(item.body),
    }


def item_from_json(data: dict[str, Any]) -> Item:
    return Item(
        id=ItemId(data["id"]),
        body=body_from_json(data["body"]),
        explanation=data.get("explanation", ""),
        tags=tuple(data.get("tags", ())),
    )
