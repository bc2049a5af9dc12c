"""The search interface the services use, whatever the database: results, answers and the protocol."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Connection

from skillbite.domain.ids import LessonId, OrgId, PackId, SkillId
from skillbite.search.documents import SearchDocument


@dataclass(frozen=True)
class Hit:
    """One lesson that answers a query.

    `snippet` is the example inside the lesson that best answers (for tldr-pages: "description: `command`"),
    `item_id` the practice item it comes from (None when the lesson text itself matched best).
    """

    lesson_id: LessonId
    pack_id: PackId
    title: str
    score: float
    snippet: str
    item_id: str | None
    source: str | None
    minutes: float
    skills: tuple[SkillId, ...]


@dataclass(frozen=True)
class Answer:
    """Ranked hits plus an honest verdict: `confident` is False when nothing really answers the query."""

    query: str
    hits: tuple[Hit, ...]
    confident: bool
    coverage: float
    """Share of the query's informative words (weighted by rarity) that the top hit matches, 0..1."""
    corrections: dict[str, str] = field(default_factory=dict)
    """Query words the engine read as typos, mapped to the vocabulary word it used instead."""


class SearchIndex(Protocol):
    """Full-text index of an organisation's lessons. Every row carries org_id; every query filters by it."""

    def replace_documents(
        self, conn: Connection, org_id: OrgId, pack_id: PackId, docs: Sequence[SearchDocument]
    ) -> None:
        """Make `docs` the whole indexed content of the pack (call on every import, in its transaction)."""
        ...

    def delete_pack(self, conn: Connection, org_id: OrgId, pack_id: PackId) -> None: ...

    def ask(self, conn: Connection, org_id: OrgId, query: str, limit: int = 10) -> Answer: ...

    def search(self, conn: Connection, org_id: OrgId, query: str, limit: int = 10) -> list[Hit]: ...
