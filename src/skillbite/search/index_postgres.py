"""Server mode: candidates from PostgreSQL full-text search over a tsvector column with a GIN index.

The tsvector is written by the application from the analysed terms (positions and field weights A-D
included), and the tsquery is built the same way, so PostgreSQL's own parser never re-tokenises our
terms and both databases match exactly the same words.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from skillbite.domain.ids import OrgId, PackId
from skillbite.search.lexical import DOCUMENT_COLUMNS, LexicalIndex

_FIELD_WEIGHT_LETTERS = (
    ("title_terms", "A"),
    ("example_terms", "B"),
    ("body_terms", "C"),
    ("command_terms", "D"),
)
_MAX_POSITION = 16383  # PostgreSQL's largest tsvector position


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(row: dict[str, Any]) -> str:
    """`'term':1A 'other':2C ...` from a document row's analysed fields."""
    parts = []
    position = 0
    for column, letter in _FIELD_WEIGHT_LETTERS:
        for term in row[column].split():
            position = min(position + 1, _MAX_POSITION)
            parts.append(f"{_lexeme(term)}:{position}{letter}")
    return " ".join(parts)


def tsquery_literal(terms: list[str]) -> str:
    return " | ".join(_lexeme(term) for term in terms)


# Only constant column names are concatenated; the query and the organisation are bound parameters.
# ts_rank weights are given as {D, C, B, A}.
_CANDIDATES = text(
    "SELECT " + DOCUMENT_COLUMNS + " FROM search_documents d, CAST(:query AS tsquery) q "  # noqa: S608
    "WHERE d.org_id = :org AND d.tsv @@ q "
    "ORDER BY ts_rank('{0.1, 0.3, 0.5, 1.0}', d.tsv, q) DESC, d.id LIMIT :limit"
)


class PostgresIndex(LexicalIndex):
    def _insert_documents(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        statement = text(
            self._INSERT_DOCUMENT.format(extra_columns=", tsv", extra_values=", CAST(:tsv AS tsvector)")
        )
        conn.execute(statement, [{**row, "tsv": tsvector_literal(row)} for row in rows])

    def _delete_fulltext(self, conn: Connection, org_id: OrgId, pack_id: PackId) -> None:
        """The tsvector lives on the document row, which delete_pack removes."""

    def _candidate_rows(self, conn: Connection, org_id: OrgId, terms: list[str], limit: int) -> list[Any]:
        return list(
            conn.execute(_CANDIDATES, {"query": tsquery_literal(terms), "org": org_id, "limit": limit})
        )
