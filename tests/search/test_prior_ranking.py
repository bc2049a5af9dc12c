"""The prior decides between lessons that match a question equally well, on both databases: the one other
lessons name in code, or the one in a general folder, comes first; the count is stored with the index."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import Engine, text

from skillbite.domain.content import Lesson
from skillbite.search.backends import index_for
from skillbite.search.documents import documents_from_pack
from tests.search.sample_corpus import ORG, _lesson, create_organisations, sample_pack

pytestmark = pytest.mark.storage

EXAMPLES = [("Count the words in a text file", "{{tool}} {{path/to/file}}")]
QUESTION = "count the words in a file"


def _twins() -> list[Lesson]:
    """Two lessons with the same text, titled `alpha` and `beta` (alpha wins a tie: lesson ids break ties)."""
    return [
        _lesson("tldr.common.alpha", "alpha", "Count things.", EXAMPLES),
        _lesson("tldr.common.beta", "beta", "Count things.", EXAMPLES),
    ]


def _index(engine: Engine, lessons: list[Lesson]) -> None:
    create_organisations(engine)
    pack_id, documents = documents_from_pack(sample_pack(tuple(lessons)))
    with engine.begin() as conn:
        index_for(conn).replace_documents(conn, ORG, pack_id, documents)


def _ranking(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [hit.lesson_id for hit in index_for(conn).search(conn, ORG, QUESTION, 5)]


def test_without_evidence_the_tie_stands(engine: Engine) -> None:
    _index(engine, _twins())
    assert _ranking(engine)[:2] == ["tldr.common.alpha", "tldr.common.beta"]


def test_a_lesson_named_in_code_by_others_comes_first(engine: Engine) -> None:
    citing = [
        _lesson("team.notes", "notes", "Keep notes. See also: `beta`.", [("Open notes", "notes open")]),
        _lesson("team.diary", "diary", "Write a diary, or use `Beta`.", [("Open the diary", "diary open")]),
    ]
    _index(engine, [*_twins(), *citing])
    assert _ranking(engine)[:2] == ["tldr.common.beta", "tldr.common.alpha"]
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT lesson_id, mentions FROM search_documents WHERE org_id = :org"), {"org": ORG}
        )
        stored = {str(lesson_id): int(mentions) for lesson_id, mentions in rows}
    assert stored == {"tldr.common.alpha": 0, "tldr.common.beta": 2, "team.notes": 0, "team.diary": 0}


def test_a_lesson_in_a_general_folder_comes_first(engine: Engine) -> None:
    alpha, beta = _twins()
    _index(engine, [replace(alpha, source="pages/linux/alpha.md"), beta])
    assert _ranking(engine)[:2] == ["tldr.common.beta", "tldr.common.alpha"]
