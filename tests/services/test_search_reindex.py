"""Rebuilding the search index from stored packs gives exactly the index their import wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from skillbite.services.errors import NotFound
from skillbite.wiring import System
from tests.services.import_files import tldr_tarball
from tests.services.learning_helpers import import_demo, new_member

# Every column but the row id, which a rebuild renews (deleted and re-inserted documents get new ids).
DOCUMENTS = text("SELECT * FROM search_documents WHERE org_id = :org ORDER BY pack_id, lesson_id")


def index_rows(system: System, org_id: int) -> list[dict[str, object]]:
    with system.db.transaction() as session:
        rows = session.execute(DOCUMENTS, {"org": org_id}).mappings()
        return [{k: v for k, v in row.items() if k != "id"} for row in rows]


def test_reindex_rebuilds_the_same_index(system: System, tmp_path: Path) -> None:
    ada = new_member(system)
    import_demo(system, ada, only=None)
    system.importers.tldr(ada.org_id, tldr_tarball(tmp_path / "tldr.tar.gz"))
    before = index_rows(system, ada.org_id)
    asked = system.ask.search(ada.org_id, "undo my last commit").hits
    assert len(before) > 45

    with system.db.transaction() as session:  # an index written by an older release: stale numbers
        session.execute(
            text("UPDATE search_documents SET mentions = mentions + 7 WHERE org_id = :org"),
            {"org": ada.org_id},
        )
    assert index_rows(system, ada.org_id) != before

    keys = system.content.reindex(ada.org_id)
    assert sorted(keys) == sorted(p.key for p in system.content.packs(ada.org_id))
    assert index_rows(system, ada.org_id) == before
    assert system.ask.search(ada.org_id, "undo my last commit").hits == asked


def test_reindex_one_pack_and_unknown_pack(system: System) -> None:
    ada = new_member(system)
    import_demo(system, ada)
    assert system.content.reindex(ada.org_id, "git-in-the-flow") == ["git-in-the-flow"]
    with pytest.raises(NotFound, match="no pack 'ghost'"):
        system.content.reindex(ada.org_id, "ghost")
