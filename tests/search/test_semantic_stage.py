"""The semantic stage's plumbing, with a small deterministic encoder instead of the neural model, so it runs
without the `skillbite[semantic]` extra: passages are embedded once per snapshot, persisted and reused,
rebuilt when the index changes, fused with the lexical ranking, and the confident flag stays honest.

The encoder here is a real (if crude) sentence encoder: a normalised bag of hashed words, where a few words
of the test's own small thesaurus share a dimension, so "postmortem" is near "retrospective" as a neural
model would place them. Tests of the neural model itself are in test_semantic_model.py.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Engine

from skillbite.content.demo_packs import demo_pack_paths
from skillbite.domain.content import Item, Lesson, TypedAnswer
from skillbite.domain.ids import ItemId, LessonId, OrgId, SkillId
from skillbite.search.backends import index_for
from skillbite.search.documents import documents_from_pack
from skillbite.search.embedding_model import Vectors
from skillbite.search.ranking import Scored
from skillbite.search.semantic import SemanticReranker
from skillbite.search.snapshot_cache import cached_snapshot
from skillbite.search.vector_store import VectorStore
from skillbite.services.ask import AskService
from skillbite.store.database import create_db_engine
from skillbite.wiring import System
from tests.search.sample_corpus import LESSONS, ORG, create_organisations, sample_pack

pytestmark = pytest.mark.storage

_SAME_MEANING = {"postmortem": "retrospective", "tarball": "archive", "unpack": "extract"}
_DIMENSIONS = 64


class BagOfWordsEncoder:
    """Hashed bag of words, L2-normalised; counts the passages it was asked to encode."""

    name = "bag-of-words-test"

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.encoded.extend(texts)
        matrix = np.zeros((len(texts), _DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                word = _SAME_MEANING.get(word, word)
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                matrix[row, int.from_bytes(digest) % _DIMENSIONS] += 1.0
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1.0, norms)


_SORT_LESSON = Lesson(
    LessonId("tldr.common.sort"),
    "sort",
    (SkillId("tldr.common.sort"),),
    2.0,
    "> Sort lines of text files.\n> More information: <https://www.gnu.org/software/coreutils/sort>.\n\n"
    "- Sort a file in reverse order:\n\n`sort --reverse {{path/to/file}}`",
    (
        Item(
            ItemId("tldr.common.sort.0"),
            TypedAnswer("Sort a file in reverse order", ("sort --reverse {{path/to/file}}",)),
            "`sort --reverse {{path/to/file}}`",
        ),
    ),
    source="pages/common/sort.md",
)


def _index(engine: Engine, lessons: tuple[Lesson, ...] = LESSONS) -> None:
    pack_id, documents = documents_from_pack(sample_pack(lessons))
    with engine.begin() as conn:
        index_for(conn).replace_documents(conn, ORG, pack_id, documents)


def _ask(engine: Engine, reranker: SemanticReranker | None, query: str) -> tuple[list[str], bool]:
    with engine.connect() as conn:
        answer = index_for(conn, reranker).ask(conn, ORG, query, 5)
    return [h.lesson_id for h in answer.hits], answer.confident


def _passages() -> int:
    """Lesson and example passages of the sample corpus."""
    return len(LESSONS) + sum(len(lesson.items) for lesson in LESSONS)


def test_passages_are_embedded_once_per_snapshot(engine: Engine) -> None:
    create_organisations(engine)
    _index(engine)
    encoder = BagOfWordsEncoder()
    reranker = SemanticReranker(encoder)
    for query in ("extract an archive", "list hidden files", "undo my last commit"):
        _ask(engine, reranker, query)
    assert len(encoder.encoded) == _passages() + 3  # every passage once, then one encoding per query


def test_vectors_persist_across_restarts_and_reimports(engine: Engine, tmp_path: Path) -> None:
    create_organisations(engine)
    _index(engine)
    first = BagOfWordsEncoder()
    _ask(engine, SemanticReranker(first, VectorStore(tmp_path, first.name)), "extract an archive")
    assert len(first.encoded) == _passages() + 1

    # A restart: another engine (standing for a new process) has no snapshot in memory; the folder has the
    # vectors, so only the question is encoded.
    restarted = create_db_engine(engine.url.render_as_string(hide_password=False))
    try:
        second = BagOfWordsEncoder()
        _ask(restarted, SemanticReranker(second, VectorStore(tmp_path, second.name)), "extract an archive")
        assert second.encoded == ["extract an archive"]

        # A re-import adding one lesson: only its passages are embedded.
        _index(restarted, (*LESSONS, _SORT_LESSON))
        third = BagOfWordsEncoder()
        _ask(restarted, SemanticReranker(third, VectorStore(tmp_path, third.name)), "order lines")
        # (no summary: these tests index search documents only, without the content tables)
        assert third.encoded == ["sort", "sort: Sort a file in reverse order", "order lines"]
    finally:
        restarted.dispose()


def test_dense_candidates_join_the_lexical_heads(engine: Engine) -> None:
    """A lesson that lexical search does not propose, but whose meaning is closest, is fused in with its
    lexical coverage (here none: the query shares no word with it)."""
    create_organisations(engine)
    _index(engine)
    encoder = BagOfWordsEncoder()
    reranker = SemanticReranker(encoder, dense_candidates=len(LESSONS), semantic_share=0.9)
    with engine.connect() as conn:
        index_for(conn).warm(conn, ORG)
        snapshot = cached_snapshot(engine, ORG)
        assert snapshot is not None
        tar = next(c for c in snapshot.candidates if c.lesson_id == "tldr.common.tar")
        retro = next(c for c in snapshot.candidates if c.lesson_id == "team.retrospective")
        fused = reranker.rerank("run a postmortem", [Scored(tar, 1.0, 0.1, None)])
    by_lesson = {s.candidate.lesson_id: s for s in fused}
    assert fused[0].candidate.lesson_id == "team.retrospective"
    assert by_lesson["team.retrospective"].coverage < 0.75  # "postmortem" is not one of its words
    assert by_lesson["team.retrospective"].best_example == 0
    assert len(fused) == len(LESSONS)
    assert retro is fused[0].candidate


@pytest.mark.parametrize(
    ("query", "confident"),
    [
        ("undo my last commit but keep the changes", True),
        ("list hidden files", True),
        ("extract an archive", True),
        ("what is a p-value", False),
        ("how to bake bread", False),
        ("explain the central limit theorem", False),
        ("qwertyuiop", False),
    ],
)
def test_confident_stays_honest(engine: Engine, query: str, confident: bool) -> None:
    create_organisations(engine)
    _index(engine)
    hits, verdict = _ask(engine, SemanticReranker(BagOfWordsEncoder()), query)
    assert verdict is confident, (query, hits[:1])


def test_vectors_follow_index_changes(engine: Engine) -> None:
    create_organisations(engine)
    _index(engine)
    reranker = SemanticReranker(BagOfWordsEncoder())
    assert _ask(engine, reranker, "extract an archive")[0][:1] == ["tldr.common.tar"]
    _index(engine, tuple(lesson for lesson in LESSONS if lesson.id != "tldr.common.tar"))
    assert "tldr.common.tar" not in _ask(engine, reranker, "extract an archive")[0]


def test_background_build_answers_lexically_until_ready(engine: Engine) -> None:
    create_organisations(engine)
    _index(engine)
    lexical = _ask(engine, None, "unpack a tarball")
    encoder = BagOfWordsEncoder()
    reranker = SemanticReranker(encoder, background=True)
    assert _ask(engine, reranker, "unpack a tarball") == lexical
    reranker.wait_until_built(timeout=60)
    assert "unpack a tarball" not in encoder.encoded  # the first answer did not wait for the model
    assert len(encoder.encoded) == _passages()
    assert _ask(engine, reranker, "unpack a tarball")[0][:1] == ["tldr.common.tar"]
    assert encoder.encoded[-1] == "unpack a tarball"


def test_the_ask_service_uses_its_semantic_stage(system: System) -> None:
    """AskService with a stage: passages (with lesson summaries from the content tables) are embedded, the
    question is encoded, and the answer keeps its shape and honesty."""
    org = OrgId(system.organisations.get("default").id)
    for path in demo_pack_paths():
        system.content.import_pack(org, path)
    encoder = BagOfWordsEncoder()
    service = AskService(system.db, system.clock, semantic=SemanticReranker(encoder))
    answer = service.ask_as(org, None, "undo my last commit but keep the changes")
    assert encoder.encoded[-1] == "undo my last commit but keep the changes"
    assert any(": " in text and len(text.split()) > 4 for text in encoder.encoded[:-1])  # "title: summary"
    assert answer.confident and answer.results[0].lesson_key == "git-undo-last-commit"
    assert answer.path and answer.minutes > 0
    assert service.ask_as(org, None, "what is a p-value").confident is False
