"""The in-memory search (every document scored) and the database full-text path (organisations too large
to hold in memory) rank with the same formula. The database path proposes fewer candidates (very common
words propose none), so its hits are the in-memory hits restricted to what it proposed: same scores,
same order, same snippets, same verdict."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from skillbite.search.backends import index_for
from skillbite.search.documents import documents_from_pack
from skillbite.search.index_postgres import PostgresIndex
from skillbite.search.index_sqlite import SqliteIndex
from skillbite.search.lexical import LexicalIndex
from tests.search.sample_corpus import ORG, create_organisations, sample_pack

pytestmark = pytest.mark.storage

QUERIES = [
    "undo my last commit but keep the changes",
    "untar a file",
    "delete a folder",
    "show hidden files",
    "which process uses port 8080",
    "extract an archvie",
    "run a retrospective",
    "what is a p-value",
]


def _database_only(engine: Engine) -> LexicalIndex:
    index_type = SqliteIndex if engine.dialect.name == "sqlite" else PostgresIndex
    return index_type(None, max_in_memory_documents=0)


@pytest.mark.parametrize("query", QUERIES)
def test_same_answer_both_ways(engine: Engine, query: str) -> None:
    create_organisations(engine)
    pack_id, documents = documents_from_pack(sample_pack())
    with engine.begin() as conn:
        index_for(conn).replace_documents(conn, ORG, pack_id, documents)
    with engine.connect() as conn:
        in_memory = index_for(conn).ask(conn, ORG, query, 5)
        by_database = _database_only(engine).ask(conn, ORG, query, 5)
    proposed = {h.lesson_id for h in by_database.hits}
    restricted = [h for h in in_memory.hits if h.lesson_id in proposed]
    assert [h.lesson_id for h in restricted] == [h.lesson_id for h in by_database.hits]
    assert [h.score for h in restricted] == pytest.approx([h.score for h in by_database.hits], abs=1e-3)
    assert [h.snippet for h in restricted] == [h.snippet for h in by_database.hits]
    assert [h.lesson_id for h in in_memory.hits[:1]] == [h.lesson_id for h in by_database.hits[:1]]
    assert in_memory.confident == by_database.confident
    assert in_memory.corrections == by_database.corrections
