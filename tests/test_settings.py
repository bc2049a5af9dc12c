"""Settings: every one is documented, and a known secret is refused outside development."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from skillbite.settings import DEVELOPMENT_SECRET_KEY, Settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"SKILLBITE_{name.upper()}" in DOCS.read_text(), f"document SKILLBITE_{name.upper()} in {DOCS}"


def test_default_secret_refused_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLBITE_ENVIRONMENT", "production")
    monkeypatch.delenv("SKILLBITE_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="SKILLBITE_SECRET_KEY"):
        Settings()
    monkeypatch.setenv("SKILLBITE_SECRET_KEY", "x" * 40)
    assert Settings().secret_key == "x" * 40


def test_default_secret_allowed_in_development(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SKILLBITE_ENVIRONMENT", raising=False)
    monkeypatch.delenv("SKILLBITE_SECRET_KEY", raising=False)
    assert Settings().secret_key == DEVELOPMENT_SECRET_KEY


def test_default_database_is_sqlite_under_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SKILLBITE_DATABASE_URL", raising=False)
    assert Settings().database_url == "sqlite:///var/skillbite.sqlite3"
