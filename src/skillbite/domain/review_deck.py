"""The learner's reviewed items as the session planner reads them: one candidate, or all of them as columns.

A 10,000-item learner has 10,000 states; building a MemoryState and a ReviewCandidate for each costs about as
much as planning, so the service hands the planner columns straight from its query (`ReviewDeck`), and
callers that already hold candidates (tests, the simulation) pass those (`ReviewDeck.of` turns them into
columns).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from skillbite.domain.content import ItemKind
from skillbite.domain.ids import ItemId
from skillbite.domain.memory import MemoryState


@dataclass(frozen=True)
class ReviewCandidate:
    item: ItemId
    kind: ItemKind
    state: MemoryState
    """The item's state; it is due when `state.due <= now` (the due date already reflects its retention)."""


@dataclass(frozen=True)
class ReviewDeck:
    """Entry i of every column describes one reviewed item (an item listed twice: its first entry counts)."""

    items: Sequence[ItemId]
    kinds: Sequence[ItemKind]
    stability: Sequence[float]
    difficulty: Sequence[float]
    due: Sequence[datetime]
    last_review: Sequence[datetime]

    def __post_init__(self) -> None:
        columns = {
            "kinds": self.kinds,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due,
            "last_review": self.last_review,
        }
        for name, column in columns.items():
            if len(column) != len(self.items):
                raise ValueError(
                    f"ReviewDeck.{name} has {len(column)} entries but items has {len(self.items)}: "
                    "give every column one entry per item"
                )

    def __len__(self) -> int:
        return len(self.items)

    @classmethod
    def of(cls, candidates: Iterable[ReviewCandidate]) -> ReviewDeck:
        listed = list(candidates)
        states = [c.state for c in listed]
        return cls(
            items=[c.item for c in listed],
            kinds=[c.kind for c in listed],
            stability=[s.stability for s in states],
            difficulty=[s.difficulty for s in states],
            due=[s.due for s in states],
            last_review=[s.last_review for s in states],
        )
