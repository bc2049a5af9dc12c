"""The in-memory snapshot follows the index: a change made through another engine (standing for another
process, whose writes cannot reach this process's cache) is seen by the next query."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from skillbite.search.backends import index_for
from skillbite.search.documents import documents_from_pack
from skillbite.store.database import create_db_engine
from tests.search.sample_corpus import LESSONS, ORG, create_organisations, sample_pack

pytestmark = pytest.mark.storage


def _top_lessons(engine: Engine, query: str) -> list[str]:
    with engine.connect() as conn:
        return [hit.lesson_id for hit in index_for(conn).search(conn, ORG, query, 5)]


def test_change_by_another_engine_is_seen(engine: Engine) -> None:
    create_organisations(engine)
    pack_id, documents = documents_from_pack(sample_pack())
    with engine.begin() as conn:
        index_for(conn).replace_documents(conn, ORG, pack_id, documents)
    assert _top_lessons(engine, "untar a file")[:1] == ["tldr.common.tar"]  # snapshot built and cached

    other = create_db_engine(engine.url.render_as_string(hide_password=False))
    try:
        _, fewer = documents_from_pack(sample_pack(LESSONS[:1]))
        with other.begin() as conn:
            index_for(conn).replace_documents(conn, ORG, pack_id, fewer)
    finally:
        other.dispose()

    assert _top_lessons(engine, "untar a file") == []
    assert _top_lessons(engine, "discard uncommitted changes") == ["tldr.common.git-reset"]


def test_same_sized_reimport_is_seen(engine: Engine) -> None:
    """Re-importing as many documents with other content still changes the fingerprint (new ids)."""
    create_organisations(engine)
    pack_id, documents = documents_from_pack(sample_pack(LESSONS[:1]))
    with engine.begin() as conn:
        index_for(conn).replace_documents(conn, ORG, pack_id, documents)
    assert _top_lessons(engine, "untar a file") == []

    other = create_db_engine(engine.url.render_as_string(hide_password=False))
    try:
        _, tar_only = documents_from_pack(sample_pack(LESSONS[1:2]))
        with other.begin() as conn:
            index_for(conn).replace_documents(conn, ORG, pack_id, tar_only)
    finally:
        other.dispose()

    assert _top_lessons(engine, "untar a file") == ["tldr.common.tar"]
