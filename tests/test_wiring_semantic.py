"""SKILLBITE_SEMANTIC_SEARCH: off is lexical, auto follows the extra, on without the extra will not start."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillbite import wiring
from skillbite.settings import Settings


def settings(mode: str, tmp_path: Path) -> Settings:
    return Settings(semantic_search=mode, data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/x.sqlite3")


@pytest.mark.parametrize("installed", [True, False])
def test_off_is_lexical_whatever_is_installed(
    installed: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wiring, "semantic_extra_installed", lambda: installed)
    assert wiring.semantic_loader(settings("off", tmp_path), background=True) is None


def test_auto_without_the_extra_is_lexical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wiring, "semantic_extra_installed", lambda: False)
    assert wiring.semantic_loader(settings("auto", tmp_path), background=True) is None


def test_on_without_the_extra_refuses_to_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wiring, "semantic_extra_installed", lambda: False)
    with pytest.raises(ValueError, match=r"SKILLBITE_SEMANTIC_SEARCH=on .* pip install"):
        wiring.semantic_loader(settings("on", tmp_path), background=True)


def test_with_the_extra_the_stage_is_built_on_first_use_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[tuple[Path, bool]] = []
    monkeypatch.setattr(wiring, "semantic_extra_installed", lambda: True)
    monkeypatch.setattr(
        wiring, "semantic_stage", lambda folder, background: built.append((folder, background))
    )
    system = wiring.build_system(settings("auto", tmp_path), semantic_in_background=True)
    try:
        assert built == [], "the model must not be loaded before a question needs it"
        assert system.ask.semantic is None and system.ask.semantic is None  # what the stub stage returned
        assert built == [(tmp_path, True)], "built once, in the background mode the server asked for"
    finally:
        system.close()
