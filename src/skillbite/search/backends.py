"""Choosing the search index for a database: FTS5 on SQLite, tsvector + GIN on PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine

from skillbite.search.index_postgres import PostgresIndex
from skillbite.search.index_sqlite import SqliteIndex
from skillbite.search.lexical import LexicalIndex


def index_for(bind: Connection | Engine, reranker: Any = None) -> LexicalIndex:
    """The index implementation for the database behind `bind`."""
    name = bind.dialect.name
    if name == "sqlite":
        return SqliteIndex(reranker)
    if name == "postgresql":
        return PostgresIndex(reranker)
    raise ValueError(f"no search index for database dialect {name!r}; use SQLite or PostgreSQL")
