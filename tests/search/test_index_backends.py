"""The search index on both databases: import, retrieval, snippets, re-import, deletion and tenancy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, text

from skillbite.domain.ids import PackId
from skillbite.search.backends import index_for
from skillbite.search.documents import documents_from_pack
from skillbite.search.lexical import LexicalIndex
from tests.search.sample_corpus import LESSONS, ORG, OTHER_ORG, create_organisations, sample_pack

pytestmark = pytest.mark.storage


@pytest.fixture
def indexed(engine: Engine) -> Iterator[tuple[Connection, LexicalIndex]]:
    create_organisations(engine)
    pack_id, documents = documents_from_pack(sample_pack())
    with engine.begin() as conn:
        index_for(conn).replace_documents(conn, ORG, pack_id, documents)
    with engine.connect() as conn:
        yield conn, index_for(conn)


def top(indexed: tuple[Connection, LexicalIndex], query: str) -> str:
    conn, index = indexed
    hits = index.search(conn, ORG, query, 3)
    assert hits, f"no hit for {query!r}"
    return hits[0].lesson_id


@pytest.mark.parametrize(
    ("query", "lesson"),
    [
        ("undo my last commit but keep the changes", "tldr.common.git-reset"),  # undo ~ revert, stems
        ("untar a file", "tldr.common.tar"),  # paraphrase: untar ~ extract archive
        ("delete a folder", "tldr.common.rmdir"),  # delete ~ remove, folder ~ directory
        ("show hidden files", "tldr.common.ls"),  # show ~ list
        ("which process uses port 8080", "tldr.common.lsof"),
        ("extract an archvie", "tldr.common.tar"),  # a typo
        ("run a retrospective", "team.retrospective"),
    ],
)
def test_finds_the_lesson_that_answers(
    indexed: tuple[Connection, LexicalIndex], query: str, lesson: str
) -> None:
    assert top(indexed, query) == lesson


def test_snippet_is_the_example_that_answers(indexed: tuple[Connection, LexicalIndex]) -> None:
    conn, index = indexed
    hit = index.search(conn, ORG, "undo my last commit but keep the changes", 1)[0]
    assert hit.snippet == "Revert the last commit, keeping its changes in the working tree: `git reset HEAD~`"
    assert hit.item_id == "tldr.common.git-reset.1"
    assert hit.source == "pages/common/git reset.md"
    assert hit.title == "git reset"


def test_typo_correction_is_reported(indexed: tuple[Connection, LexicalIndex]) -> None:
    conn, index = indexed
    answer = index.ask(conn, ORG, "extract an archvie", 3)
    assert answer.corrections == {"archvie": "archiv"}


def test_another_organisation_sees_nothing(indexed: tuple[Connection, LexicalIndex]) -> None:
    conn, index = indexed
    assert index.search(conn, OTHER_ORG, "untar a file", 5) == []
    assert index.ask(conn, OTHER_ORG, "untar a file").confident is False


def test_reimport_replaces_the_pack(engine: Engine, indexed: tuple[Connection, LexicalIndex]) -> None:
    conn, index = indexed
    conn.rollback()
    pack_id, documents = documents_from_pack(sample_pack(LESSONS[:1]))
    with engine.begin() as writer:
        index_for(writer).replace_documents(writer, ORG, pack_id, documents)
    assert index.search(conn, ORG, "untar a file", 5) == []
    assert top(indexed, "discard uncommitted changes") == "tldr.common.git-reset"
    count = conn.execute(text("SELECT COUNT(*) FROM search_documents WHERE org_id = :org"), {"org": ORG})
    assert count.scalar_one() == 1


def test_delete_pack_removes_everything(engine: Engine, indexed: tuple[Connection, LexicalIndex]) -> None:
    conn, index = indexed
    conn.rollback()
    with engine.begin() as writer:
        index_for(writer).delete_pack(writer, ORG, PackId("sample"))
    assert index.search(conn, ORG, "git reset", 5) == []
    for table in ("search_documents", "search_terms", "search_packs"):
        assert conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one() == 0  # noqa: S608


def test_same_pack_in_two_organisations_stays_apart(engine: Engine) -> None:
    create_organisations(engine)
    pack_id, documents = documents_from_pack(sample_pack())
    with engine.begin() as conn:
        index = index_for(conn)
        index.replace_documents(conn, ORG, pack_id, documents)
        index.replace_documents(conn, OTHER_ORG, pack_id, documents[:1])
        index.delete_pack(conn, OTHER_ORG, pack_id)
    with engine.connect() as conn:
        assert top((conn, index_for(conn)), "untar a file") == "tldr.common.tar"
        assert index_for(conn).search(conn, OTHER_ORG, "git reset", 5) == []
