"""The semantic stage with the real all-MiniLM-L6-v2 model: runs only where the `skillbite[semantic]` extra is
installed (CI installs it not; see test_semantic_absent.py for what holds without it)."""

from __future__ import annotations

import numpy as np
import pytest

from skillbite.content.demo_packs import demo_pack_paths
from skillbite.domain.ids import OrgId
from skillbite.search.embedding_model import DIMENSIONS, load_encoder, semantic_extra_installed
from skillbite.search.semantic import SemanticReranker
from skillbite.services.ask import AskService
from skillbite.wiring import System

pytestmark = [
    pytest.mark.storage,
    pytest.mark.skipif(
        not semantic_extra_installed(),
        reason="the skillbite[semantic] extra is not installed (pip install torch==2.13.0, then "
        "pip install -e '.[semantic]'); the lexical engine is tested without it",
    ),
]

# The demo curriculum's labelled questions (tests/services/test_ask_demo.py), asked with semantic fusion.
LABELLED = [
    ("undo my last commit but keep the changes", "git-undo-last-commit"),
    ("i committed with a typo in the message", "git-amend-last-commit"),
    ("throw away my edits to one file", "git-discard-file-changes"),
    ("get back a commit i lost after a hard reset", "git-find-lost-commit"),
    ("stop git from tracking log files", "git-ignore-files"),
    ("undo a commit that is already pushed", "git-revert-pushed-commit"),
    ("customers who never placed an order", "sql-left-join-missing"),
    ("count orders per customer", "sql-group-by"),
    ("rank rows within each group", "sql-row-number"),
    ("running total of sales", "sql-running-totals"),
    ("tell a colleague their report had problems", "fb-written-work"),
    ("how to take criticism without getting defensive", "fb-receive"),
    ("give feedback to my boss", "fb-upward"),
    ("praise someone well", "fb-praise"),
]
OUT_OF_SCOPE = ["what is a p-value", "how do i bake sourdough bread", "translate hello into japanese"]


@pytest.fixture(scope="module")
def reranker() -> SemanticReranker:
    encoder = load_encoder()
    assert encoder is not None
    return SemanticReranker(encoder)


@pytest.fixture
def semantic_ask(system: System, reranker: SemanticReranker) -> tuple[AskService, OrgId]:
    org = OrgId(system.organisations.get("default").id)
    for path in demo_pack_paths():
        system.content.import_pack(org, path)
    return AskService(system.db, system.clock, semantic=reranker), org


def test_the_model_embeds_meaning(reranker: SemanticReranker) -> None:
    encoder = load_encoder()
    assert encoder is not None
    vectors = encoder.encode(["delete a folder", "remove an empty directory", "count orders per customer"])
    assert vectors.shape == (3, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_labelled_questions_find_their_lesson(semantic_ask: tuple[AskService, OrgId]) -> None:
    service, org = semantic_ask
    ranks = []
    for query, expected in LABELLED:
        keys = [r.lesson_key for r in service.ask_as(org, None, query).results]
        ranks.append(keys.index(expected) + 1 if expected in keys else None)
    top3 = sum(1 for rank in ranks if rank is not None and rank <= 3) / len(LABELLED)
    mrr = sum(1 / rank for rank in ranks if rank is not None) / len(LABELLED)
    assert top3 >= 0.75, list(zip(LABELLED, ranks, strict=True))
    assert mrr >= 0.6, list(zip(LABELLED, ranks, strict=True))


@pytest.mark.parametrize("query", OUT_OF_SCOPE)
def test_questions_nothing_answers_are_not_confident(
    semantic_ask: tuple[AskService, OrgId], query: str
) -> None:
    service, org = semantic_ask
    answer = service.ask_as(org, None, query)
    assert answer.confident is False
    assert answer.path == ()


def test_a_clear_question_stays_confident(semantic_ask: tuple[AskService, OrgId]) -> None:
    service, org = semantic_ask
    answer = service.ask_as(org, None, "undo my last commit but keep the changes")
    assert answer.confident
    assert answer.results[0].lesson_key == "git-undo-last-commit"
