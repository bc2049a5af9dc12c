"""Cutting imported flashcards into bite-sized lessons, and the ids those lessons and skills get.

Imported formats (Anki decks, CSV files) know nothing of bites: a deck can hold thousands of cards.
We cut each deck into lessons of about `NOTES_PER_LESSON` notes, in the deck's own order, and estimate
the lesson's minutes from its number of cards.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TypeVar

NOTES_PER_LESSON = 20
SECONDS_PER_CARD = 15
MIN_MINUTES = 1.0

_NOT_ID = re.compile(r"[^a-z0-9]+")

T = TypeVar("T")


def slug(text: str, fallback: str) -> str:
    """Lowercase ascii letters and digits joined by '-' (the pack id alphabet); `fallback` when none are left.

    >>> slug("Español::Verbos (irregular)", "deck")
    'espanol-verbos-irregular'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_ID.sub("-", ascii_text.lower()).strip("-") or fallback


def unique(candidate: str, taken: set[str]) -> str:
    """`candidate`, or `candidate-2`, `-3`... when it is taken; the result is added to `taken`."""
    chosen = candidate
    suffix = 2
    while chosen in taken:
        chosen = f"{candidate}-{suffix}"
        suffix += 1
    taken.add(chosen)
    return chosen


def chunks(values: Sequence[T], size: int = NOTES_PER_LESSON) -> list[Sequence[T]]:
    """Consecutive runs of at most `size`, sized evenly (45 notes make 15+15+15, not 20+20+5)."""
    if not values:
        return []
    count = -(-len(values) // size)
    base, extra = divmod(len(values), count)
    runs: list[Sequence[T]] = []
    start = 0
    for index in range(count):
        end = start + base + (1 if index < extra else 0)
        runs.append(values[start:end])
        start = end
    return runs


def minutes_for(card_count: int) -> float:
    """About 15 seconds a card, rounded to the half minute, at least one minute."""
    return max(MIN_MINUTES, round(card_count * SECONDS_PER_CARD / 30) / 2)


def lesson_title(name: str, part: int, parts: int) -> str:
    return name if parts == 1 else f"{name} ({part}/{parts})"
