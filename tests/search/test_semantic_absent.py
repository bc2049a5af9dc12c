"""Without the `skillbite[semantic]` extra, search is lexical, and nothing heavy is imported to find out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import skillbite.search.embedding_model as embedding_model
from skillbite.domain.ids import OrgId
from skillbite.search.semantic import semantic_reranker
from skillbite.services.ask import AskService, semantic_stage
from skillbite.wiring import System


@pytest.fixture
def extra_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the extra's packages unfindable, as in an installation without it (CI's)."""
    real_find_spec = embedding_model.find_spec
    hidden = {"sentence_transformers", embedding_model.MODEL_PACKAGE}
    monkeypatch.setattr(
        embedding_model, "find_spec", lambda name: None if name in hidden else real_find_spec(name)
    )
    monkeypatch.setattr(embedding_model, "_loaded", {})


@pytest.mark.usefixtures("extra_missing")
def test_no_semantic_stage_without_the_extra(tmp_path: Path) -> None:
    assert embedding_model.semantic_extra_installed() is False
    assert embedding_model.load_encoder() is None
    assert semantic_reranker(tmp_path) is None
    assert semantic_stage(tmp_path) is None
    assert not (tmp_path / "embeddings").exists()


@pytest.mark.storage
@pytest.mark.usefixtures("extra_missing")
def test_answers_stay_lexical_without_the_extra(system: System, tmp_path: Path) -> None:
    org = OrgId(system.organisations.get("default").id)
    from skillbite.content.demo_packs import demo_pack_paths

    for path in demo_pack_paths():
        system.content.import_pack(org, path)
    service = AskService(system.db, system.clock, semantic=semantic_stage(tmp_path))
    assert service.semantic is None
    answer = service.ask_as(org, None, "undo my last commit but keep the changes")
    lexical = system.ask.ask_as(org, None, "undo my last commit but keep the changes")
    assert answer == lexical
    assert answer.confident and answer.results[0].lesson_key == "git-undo-last-commit"


def test_importing_search_and_ask_does_not_import_torch() -> None:
    """The extra is looked for, not imported, until a semantic stage is asked for (lexical start-up stays
    fast)."""
    code = (
        "import sys, skillbite.services.ask, skillbite.search.semantic; "
        "sys.exit(1 if 'torch' in sys.modules or 'sentence_transformers' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_extra_is_there_when_the_run_requires_it() -> None:
    """`make test` installs the extra and sets SKILLBITE_REQUIRE_SEMANTIC=1: the real-model tests
    (test_semantic_model.py) must run there, not skip."""
    if os.environ.get("SKILLBITE_REQUIRE_SEMANTIC") == "1":
        assert embedding_model.semantic_extra_installed(), "the semantic extra is required but not installed"
