"""The lexical search engine, shared by both databases; subclasses supply the full-text part.

Flow of a query: plan (analysis, synonyms, typo corrections; see query.py) -> scoring of every document
that matches any term, vectorised over the organisation's in-memory snapshot (snapshot.py; the database's
full-text index proposes candidates instead for organisations too large to hold) -> exact re-scoring of the
best HEADS in Python (ranking.py) -> optional semantic re-ranking -> confidence verdict (confidence.py) ->
snippets (the best-matching example of each hit).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sqlalchemy import Connection, bindparam, text

from skillbite.domain.ids import LessonId, OrgId, PackId, SkillId
from skillbite.search.confidence import is_confident
from skillbite.search.documents import FIELDS, SearchDocument
from skillbite.search.index import Answer, Hit
from skillbite.search.prior import code_mentions
from skillbite.search.query import QueryPlan, Vocabulary, plan_query
from skillbite.search.ranking import (
    BEST_EXAMPLE_WEIGHT,
    TITLE_NAMED_BONUS,
    Candidate,
    FieldStats,
    Prepared,
    Scored,
    score_candidates,
    score_prepared,
)
from skillbite.search.snapshot import OrgSnapshot, candidate_from_row
from skillbite.search.snapshot_cache import invalidate, snapshot_for

CANDIDATES = 100
"""Candidates the database's full-text index proposes (organisations too large to hold in memory)."""
HEADS = 50
"""Documents the vectorised in-memory pass (the whole ranking formula, over every document) hands to the
exact per-candidate scoring in ranking.py, which also picks each hit's snippet."""
MAX_IN_MEMORY_DOCUMENTS = 200_000
"""Organisations up to this many documents are searched in memory (see snapshot.py); larger ones through
the database's full-text index."""
COMMON_TERM_SHARE = 0.05
"""Expansion terms (synonyms, corrections) in more than this share of documents propose no candidates."""
VERY_COMMON_TERM_SHARE = 0.2
"""Even words the learner typed propose no candidates past this share (they still rank)."""
MAX_TERM_LENGTH = 100

DOCUMENT_COLUMNS = (
    "d.id, d.pack_id, d.lesson_id, d.title, d.source, d.minutes, d.skills, "
    "d.title_terms, d.body_terms, d.example_terms, d.command_terms, d.examples, d.mentions"
)


class _OrgVocabulary(Vocabulary):
    """The vocabulary of one organisation, read through one connection (a query's lifetime)."""

    def __init__(self, conn: Connection, org_id: OrgId) -> None:
        self._conn = conn
        self._org_id = org_id

    def document_count(self) -> int:
        value = self._conn.execute(
            text("SELECT COALESCE(SUM(document_count), 0) FROM search_packs WHERE org_id = :org"),
            {"org": self._org_id},
        ).scalar_one()
        return int(value)

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        wanted = sorted({t for t in terms if len(t) <= MAX_TERM_LENGTH})
        if not wanted:
            return {}
        statement = text(
            "SELECT term, SUM(df) FROM search_terms WHERE org_id = :org AND term IN :terms GROUP BY term"
        ).bindparams(bindparam("terms", expanding=True))
        rows = self._conn.execute(statement, {"org": self._org_id, "terms": wanted})
        return {str(term): int(df) for term, df in rows}

    def terms_with_prefix(self, prefix: str) -> dict[str, int]:
        # A range scan on the (org_id, term) index: prefix <= term < prefix + highest character.
        rows = self._conn.execute(
            text(
                "SELECT term, SUM(df) FROM search_terms "
                "WHERE org_id = :org AND term >= :low AND term < :high GROUP BY term"
            ),
            {"org": self._org_id, "low": prefix, "high": prefix + "\uffff"},
        )
        return {str(term): int(df) for term, df in rows}


class LexicalIndex:
    """`SearchIndex` over SQL tables; `SqliteIndex` and `PostgresIndex` add the full-text index."""

    def __init__(self, reranker: Any = None, max_in_memory_documents: int = MAX_IN_MEMORY_DOCUMENTS) -> None:
        # reranker: an optional semantic.SemanticReranker (kept untyped here so the heavy import stays lazy).
        self._reranker = reranker
        self._max_in_memory = max_in_memory_documents

    # --- writing -------------------------------------------------------------------------------------

    def replace_documents(
        self, conn: Connection, org_id: OrgId, pack_id: PackId, docs: Sequence[SearchDocument]
    ) -> None:
        self.delete_pack(conn, org_id, pack_id)
        invalidate(conn, org_id)
        if not docs:
            return
        frequencies: Counter[str] = Counter()
        lengths = dict.fromkeys(FIELDS, 0)
        for doc in docs:
            fields = doc.field_terms()
            unique: set[str] = set()
            for name in FIELDS:
                terms = fields[name].split()
                lengths[name] += len(terms)
                unique.update(t for t in terms if len(t) <= MAX_TERM_LENGTH)
            frequencies.update(unique)
        mentions = code_mentions([doc.title for doc in docs], [doc.code_names for doc in docs])
        rows = [
            self._document_row(org_id, pack_id, doc, count) for doc, count in zip(docs, mentions, strict=True)
        ]
        self._insert_documents(conn, rows)
        conn.execute(
            text("INSERT INTO search_terms (org_id, pack_id, term, df) VALUES (:org, :pack, :term, :df)"),
            [{"org": org_id, "pack": pack_id, "term": t, "df": df} for t, df in sorted(frequencies.items())],
        )
        conn.execute(
            text(
                "INSERT INTO search_packs (org_id, pack_id, document_count, title_length, body_length, "
                "examples_length, commands_length) "
                "VALUES (:org, :pack, :n, :title, :body, :examples, :commands)"
            ),
            {"org": org_id, "pack": pack_id, "n": len(docs), **lengths},
        )

    def delete_pack(self, conn: Connection, org_id: OrgId, pack_id: PackId) -> None:
        params = {"org": org_id, "pack": pack_id}
        invalidate(conn, org_id)
        self._delete_fulltext(conn, org_id, pack_id)
        conn.execute(text("DELETE FROM search_documents WHERE org_id = :org AND pack_id = :pack"), params)
        conn.execute(text("DELETE FROM search_terms WHERE org_id = :org AND pack_id = :pack"), params)
        conn.execute(text("DELETE FROM search_packs WHERE org_id = :org AND pack_id = :pack"), params)

    @staticmethod
    def _document_row(org_id: OrgId, pack_id: PackId, doc: SearchDocument, mentions: int) -> dict[str, Any]:
        return {
            "mentions": mentions,
            "org": org_id,
            "pack": pack_id,
            "lesson": doc.lesson_id,
            "title": doc.title,
            "source": doc.source,
            "minutes": doc.minutes,
            "skills": json.dumps(list(doc.skills)),
            "title_terms": doc.title_terms,
            "body_terms": doc.body_terms,
            "example_terms": doc.example_terms,
            "command_terms": doc.command_terms,
            "examples": json.dumps([[e.item_id, e.text, e.answer] for e in doc.examples]),
        }

    _INSERT_DOCUMENT = (
        "INSERT INTO search_documents (org_id, pack_id, lesson_id, title, source, minutes, mentions, skills, "
        "title_terms, body_terms, example_terms, command_terms, examples{extra_columns}) "
        "VALUES (:org, :pack, :lesson, :title, :source, :minutes, :mentions, :skills, :title_terms, "
        ":body_terms, :example_terms, :command_terms, :examples{extra_values})"
    )

    # --- reading -------------------------------------------------------------------------------------

    def search(self, conn: Connection, org_id: OrgId, query: str, limit: int = 10) -> list[Hit]:
        return list(self.ask(conn, org_id, query, limit).hits)

    def warm(self, conn: Connection, org_id: OrgId) -> None:
        """Build the organisation's in-memory snapshot now (e.g. right after an import commits), so the
        first question does not pay for it (a few seconds for 7,000 lessons)."""
        snapshot_for(conn, org_id, lambda: self._all_candidates(conn, org_id), self._max_in_memory)

    def ask(self, conn: Connection, org_id: OrgId, query: str, limit: int = 10) -> Answer:
        snapshot = snapshot_for(conn, org_id, lambda: self._all_candidates(conn, org_id), self._max_in_memory)
        plan = plan_query(query, snapshot if snapshot is not None else _OrgVocabulary(conn, org_id))
        if not plan.all_terms():
            return Answer(query, (), confident=False, coverage=0.0, corrections=plan.corrections)
        if snapshot is not None:
            scored = self._scored_in_memory(plan, snapshot)
        else:
            scored = self._scored_by_database(conn, org_id, plan)
        if self._reranker is not None:
            scored = self._reranker.rerank(query, scored)
        top = scored[:limit]
        confident = is_confident(plan, scored)
        hits = tuple(self._hit(s) for s in top)
        coverage = top[0].coverage if top else 0.0
        return Answer(query, hits, confident=confident, coverage=coverage, corrections=plan.corrections)

    @staticmethod
    def _scored_in_memory(plan: QueryPlan, snapshot: OrgSnapshot) -> list[Scored]:
        """Every document matching any term gets BM25F (plus the cheap title and prior signals); the best
        HEADS are then fully re-ranked, so candidate recall is no longer bounded by the full-text index."""
        dense = snapshot.term_scores(plan)
        first = snapshot.bm25f(plan, dense)
        matched = first > 0
        total_mass = sum(c.weight * c.idf for c in plan.concepts) or 1.0
        first += BEST_EXAMPLE_WEIGHT * total_mass * snapshot.best_example_coverage(plan)
        first += total_mass * snapshot.prior
        named = snapshot.named_titles(plan)
        for position, idf in named.items():
            first[position] += TITLE_NAMED_BONUS * idf
            matched[position] = True
        positions = np.flatnonzero(matched)
        if len(positions) > HEADS:
            positions = positions[np.argpartition(-first[positions], HEADS)[:HEADS]]
        terms = list(dense)
        columns = np.vstack([dense[t][positions] for t in terms]).T.tolist() if terms else []
        prepared = [
            Prepared(
                snapshot.candidates[position],
                {t: v for t, v in zip(terms, row, strict=True) if v > 0},
                snapshot.example_terms[position],
                named.get(position, 0.0),
            )
            for position, row in zip(positions.tolist(), columns, strict=True)
        ]
        return score_prepared(plan, prepared)

    def _scored_by_database(self, conn: Connection, org_id: OrgId, plan: QueryPlan) -> list[Scored]:
        terms = plan.all_terms()
        typed = {c.token.stem for c in plan.concepts}
        proposing = [
            t
            for t in terms
            if plan.frequencies[t]
            <= (VERY_COMMON_TERM_SHARE if t in typed else COMMON_TERM_SHARE) * plan.document_count
        ] or sorted(terms)
        rows = self._candidate_rows(conn, org_id, sorted(proposing), CANDIDATES)
        candidates = [candidate_from_row(row) for row in rows]
        return score_candidates(plan, candidates, self._field_stats(conn, org_id))

    @staticmethod
    def _all_candidates(conn: Connection, org_id: OrgId) -> list[Candidate]:
        rows = conn.execute(
            text(
                "SELECT " + DOCUMENT_COLUMNS + " FROM search_documents d "  # noqa: S608
                "WHERE d.org_id = :org ORDER BY d.id"
            ),
            {"org": org_id},
        )
        return [candidate_from_row(row) for row in rows]

    @staticmethod
    def _field_stats(conn: Connection, org_id: OrgId) -> FieldStats:
        row = conn.execute(
            text(
                "SELECT SUM(document_count), SUM(title_length), SUM(body_length), SUM(examples_length), "
                "SUM(commands_length) FROM search_packs WHERE org_id = :org"
            ),
            {"org": org_id},
        ).one()
        count = max(int(row[0] or 0), 1)
        return FieldStats({name: float(row[i + 1] or 0) / count for i, name in enumerate(FIELDS)})

    @staticmethod
    def _hit(scored: Scored) -> Hit:
        candidate = scored.candidate
        if scored.best_example is not None:
            item_id, question, answer = json.loads(candidate.examples_json)[scored.best_example][:3]
            snippet = f"{question}: `{answer}`" if answer else question
        else:
            item_id, snippet = None, candidate.title
        return Hit(
            lesson_id=LessonId(candidate.lesson_id),
            pack_id=PackId(candidate.pack_id),
            title=candidate.title,
            score=round(scored.score, 4),
            snippet=snippet,
            item_id=item_id,
            source=candidate.source,
            minutes=candidate.minutes,
            skills=tuple(SkillId(s) for s in candidate.skills),
        )

    # --- backend-specific ----------------------------------------------------------------------------

    def _insert_documents(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def _delete_fulltext(self, conn: Connection, org_id: OrgId, pack_id: PackId) -> None:
        raise NotImplementedError

    def _candidate_rows(self, conn: Connection, org_id: OrgId, terms: list[str], limit: int) -> list[Any]:
        raise NotImplementedError
