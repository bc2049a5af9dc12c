"""Item fingerprints decide what a re-import does with each learner's history (docs/pack-format.md)."""

from __future__ import annotations

import pytest

from skillbite.content.fingerprint import (
    ItemChange,
    answer_fingerprint,
    classify_item_change,
    item_fingerprint,
)
from skillbite.domain.content import (
    Choice,
    Cloze,
    Flashcard,
    Item,
    ItemBody,
    Matching,
    MatchPair,
    MultipleChoice,
    Ordering,
    TrueFalse,
    TypedAnswer,
)
from skillbite.domain.ids import ItemId


def item(body: ItemBody, explanation: str = "Because.") -> Item:
    return Item(id=ItemId("q"), body=body, explanation=explanation)


MC = MultipleChoice("Which undoes a commit?", (Choice("reset", True), Choice("add", False)))

# (old body, reworded body: same right answer, new body: different right answer)
CASES: dict[str, tuple[ItemBody, ItemBody, ItemBody]] = {
    "multiple_choice": (
        MC,
        MultipleChoice(
            "Which command undoes a commit?", (Choice("reset", True, "Yes"), Choice("stash", False))
        ),
        MultipleChoice("Which undoes a commit?", (Choice("reset", False), Choice("revert", True))),
    ),
    "true_false": (
        TrueFalse("HEAD^ is the parent.", True),
        TrueFalse("HEAD^  is the parent.", True),
        TrueFalse("HEAD^ is the child.", True),
    ),
    "cloze": (
        Cloze("Use {{c1::reset}} to undo."),
        Cloze("To undo, use {{c1::reset::a command}}."),
        Cloze("Use {{c1::revert}} to undo."),
    ),
    "typed_answer": (
        TypedAnswer("Undo?", ("git reset --soft HEAD~1",)),
        TypedAnswer("Undo the last commit?", ("git reset --soft HEAD~1", "git reset --soft HEAD^")),
        TypedAnswer("Undo?", ("git reset --hard HEAD~1",)),
    ),
    "ordering": (
        Ordering("Order", ("add", "commit")),
        Ordering("Put in order", ("add", "commit")),
        Ordering("Order", ("commit", "add")),
    ),
    "matching": (
        Matching("Match", (MatchPair("a", "1"), MatchPair("b", "2"))),
        Matching("Match them", (MatchPair("b", "2"), MatchPair("a", "1"))),
        Matching("Match", (MatchPair("a", "2"), MatchPair("b", "1"))),
    ),
    "flashcard": (
        Flashcard("HEAD~1?", "The parent commit"),
        Flashcard("What is HEAD~1?", "The parent commit"),
        Flashcard("HEAD~1?", "The grandparent commit"),
    ),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_unchanged_reworded_and_answer_changed(kind: str) -> None:
    old, reworded, changed = CASES[kind]
    assert classify_item_change(item(old), item(old)) is ItemChange.UNCHANGED
    assert classify_item_change(item(old), item(reworded)) is ItemChange.REWORDED
    assert classify_item_change(item(old), item(changed)) is ItemChange.ANSWER_CHANGED


def test_a_new_explanation_or_tags_is_a_rewording() -> None:
    old = item(MC)
    assert classify_item_change(old, item(MC, explanation="Reset moves the branch.")) is ItemChange.REWORDED
    assert classify_item_change(old, Item(ItemId("q"), MC, "Because.", ("git",))) is ItemChange.REWORDED


def test_changing_the_type_changes_the_answer() -> None:
    assert classify_item_change(item(Flashcard("reset", "undo")), item(Cloze("{{c1::undo}}"))) is (
        ItemChange.ANSWER_CHANGED
    )


def test_fingerprints_are_stable_hex_digests() -> None:
    fingerprint = item_fingerprint(item(MC))
    assert fingerprint == item_fingerprint(item(MC))
    assert fingerprint.startswith("v1:") and len(fingerprint) == 3 + 64
    assert answer_fingerprint(item(MC)) != fingerprint


def test_fingerprints_are_pinned() -> None:
    """Stored fingerprints are compared with new ones at every re-import: changing what is hashed must be
    deliberate, and must bump FINGERPRINT_VERSION."""
    card = Item(ItemId("q"), Flashcard("front", "back"))
    assert answer_fingerprint(card) == "v1:e6cd3a3384e218b6b826827e0f92a4f545438ada25e77e6280a2c611bd329c4b"
    assert item_fingerprint(card) == "v1:cc67676d47c7b44be31237d7a27279eed4a46d239ff24a538065488ac1de014e"
