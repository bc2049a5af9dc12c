"""Counting the rows of every table: how tests show that a refused import wrote nothing."""

from __future__ import annotations

from sqlalchemy import func, inspect, select, table

from skillbite.wiring import System

# SQLite FTS5 keeps its b-tree segments in these shadow tables; their row count follows merges, not content.
FTS_SEGMENTS = {"search_fts_data", "search_fts_idx"}


def row_counts(system: System) -> dict[str, int]:
    """Rows in every table of the database (content, search index and the rest)."""
    with system.db.transaction() as session:
        names = inspect(session.connection()).get_table_names()
        return {
            name: session.execute(select(func.count()).select_from(table(name))).scalar_one()
            for name in names
            if name != "alembic_version" and name not in FTS_SEGMENTS
        }
