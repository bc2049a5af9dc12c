"""Embedded mode: candidates from an SQLite FTS5 table (`search_fts`, rowid = search_documents.id)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from skillbite.domain.ids import OrgId, PackId
from skillbite.search.lexical import DOCUMENT_COLUMNS, LexicalIndex

# bm25() column weights for title, body, examples, commands: candidate generation only, the final order
# comes from ranking.py.
_BM25_WEIGHTS = "4.0, 1.0, 1.5, 0.5"


# Only constant column names and weights are concatenated; the match and the organisation are bound.
_CANDIDATES = text(
    "SELECT " + DOCUMENT_COLUMNS + " FROM search_fts "  # noqa: S608
    "JOIN search_documents d ON d.id = search_fts.rowid WHERE search_fts MATCH :match AND d.org_id = :org "
    "ORDER BY bm25(search_fts, " + _BM25_WEIGHTS + ") LIMIT :limit"
)


def fts5_match_expression(terms: list[str]) -> str:
    """An FTS5 query matching any of the (already analysed) terms; each is quoted as a string."""
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)


class SqliteIndex(LexicalIndex):
    def _insert_documents(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        insert = text(self._INSERT_DOCUMENT.format(extra_columns="", extra_values="") + " RETURNING id")
        fulltext = []
        for row in rows:
            row_id = conn.execute(insert, row).scalar_one()
            fulltext.append(
                {
                    "id": row_id,
                    "title": row["title_terms"],
                    "body": row["body_terms"],
                    "examples": row["example_terms"],
                    "commands": row["command_terms"],
                    "org": row["org"],
                }
            )
        conn.execute(
            text(
                "INSERT INTO search_fts (rowid, title, body, examples, commands, org_id) "
                "VALUES (:id, :title, :body, :examples, :commands, :org)"
            ),
            fulltext,
        )

    def _delete_fulltext(self, conn: Connection, org_id: OrgId, pack_id: PackId) -> None:
        conn.execute(
            text(
                "DELETE FROM search_fts WHERE rowid IN "
                "(SELECT id FROM search_documents WHERE org_id = :org AND pack_id = :pack)"
            ),
            {"org": org_id, "pack": pack_id},
        )

    def _candidate_rows(self, conn: Connection, org_id: OrgId, terms: list[str], limit: int) -> list[Any]:
        return list(
            conn.execute(_CANDIDATES, {"match": fts5_match_expression(terms), "org": org_id, "limit": limit})
        )
