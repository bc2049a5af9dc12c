"""Fingerprints of practice items, for re-importing a new version of a pack.

Item ids are stable across versions, so the import service matches old and new items by id and then
compares two fingerprints (the rule is in docs/pack-format.md, "Versions and re-import"):

- `item_fingerprint`: everything the learner sees (kind, wording, choices, explanation, tags). Equal
  means unchanged: nothing to do.
- `answer_fingerprint`: only what defines the correct answer. Equal while the item fingerprint differs
  means the item was reworded: the learners' memory state is kept. Different means the correct answer
  changed: the item is marked changed and learners see it again as new.

Both are SHA-256 hex digests of a canonical JSON form, prefixed with a version so that a future change of
what is hashed cannot be mistaken for a content change.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import asdict
from enum import StrEnum
from typing import assert_never

from skillbite.domain.answers import cloze_deletions
from skillbite.domain.content import (
    Cloze,
    Flashcard,
    Item,
    Matching,
    MultipleChoice,
    Ordering,
    TrueFalse,
    TypedAnswer,
)

FINGERPRINT_VERSION = "v1"


class ItemChange(StrEnum):
    UNCHANGED = "unchanged"
    REWORDED = "reworded"
    """Content differs but the correct answer does not: history and memory state are kept."""
    ANSWER_CHANGED = "answer_changed"
    """The correct answer differs: history is kept, the memory state is reset (seen again as new)."""


def item_fingerprint(item: Item) -> str:
    """Hash of the whole item as learners see it (the id excluded: it is what old and new share)."""
    return _digest(
        {
            "kind": item.kind.value,
            "body": asdict(item.body),
            "explanation": item.explanation,
            "tags": list(item.tags),
        }
    )


def answer_fingerprint(item: Item) -> str:
    """Hash of what defines the item's correct answer, ignoring wording that does not change it."""
    return _digest({"kind": item.kind.value, "answer": _answer_defining(item)})


def classify_item_change(old: Item, new: Item) -> ItemChange:
    if item_fingerprint(old) == item_fingerprint(new):
        return ItemChange.UNCHANGED
    if answer_fingerprint(old) == answer_fingerprint(new):
        return ItemChange.REWORDED
    return ItemChange.ANSWER_CHANGED


def _answer_defining(item: Item) -> object:
    body = item.body
    if isinstance(body, MultipleChoice):
        # Which texts are right; adding or rewording a wrong choice does not change what is right.
        return sorted(_canon(choice.text) for choice in body.choices if choice.correct)
    if isinstance(body, TrueFalse):
        # The statement is the question: flipping its meaning flips the answer without touching `answer`.
        return [_canon(body.prompt), body.answer]
    if isinstance(body, Cloze):
        return [[d.number, sorted(_canon(a) for a in d.answers)] for d in cloze_deletions(body.text)]
    if isinstance(body, TypedAnswer):
        # The first accepted answer is the one shown as expected; adding variants only forgives more.
        return _canon(body.answers[0]) if body.answers else ""
    if isinstance(body, Ordering):
        return [_canon(step) for step in body.steps]
    if isinstance(body, Matching):
        return sorted([_canon(pair.left), _canon(pair.right)] for pair in body.pairs)
    if isinstance(body, Flashcard):
        return _canon(body.back)
    assert_never(body)


def _canon(text: str) -> str:
    """Whitespace and Unicode form are not content; case is (in commands it matters)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _digest(value: object) -> str:
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"{FINGERPRINT_VERSION}:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
