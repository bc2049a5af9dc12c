"""`skillbite ask`: one answer, JSON, and the batch mode's shape (one JSON object per line, in order)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillbite.cli.main import app
from skillbite.settings import Settings

runner = CliRunner()


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SKILLBITE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SKILLBITE_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLBITE_SECRET_KEY", settings.secret_key)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["demo", "load"]).exit_code == 0
    return settings


def test_batch_answers_one_json_object_per_line_in_order(env: Settings, tmp_path: Path) -> None:
    queries = ["undo my last commit", "what is a p-value", "count orders per customer"]
    batch = tmp_path / "queries.txt"
    batch.write_text("\n".join(queries) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["ask", "--batch", str(batch), "--json"])
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["query"] for a in answers] == queries
    for answer in answers:
        assert set(answer) >= {"confident", "minutes", "path", "results"}
        assert isinstance(answer["confident"], bool)
        for hit in answer["results"]:
            assert set(hit) == {"lesson_id", "title", "score", "source", "snippet"}
    assert answers[0]["confident"] and answers[0]["path"]
    assert answers[1]["confident"] is False and answers[1]["path"] == []


def test_single_question_as_json_and_as_text(env: Settings) -> None:
    as_json = runner.invoke(app, ["ask", "give feedback to my boss", "--json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["results"][0]["title"]
    as_text = runner.invoke(app, ["ask", "give feedback to my boss"])
    assert "Learn it now" in as_text.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((), "give a QUERY or --batch FILE"),
        (("x", "--org", "nowhere"), "no organisation with slug 'nowhere'"),
        (("x", "--as", "nobody@example.com"), "not a member of this organisation"),
        (("--batch", "/no/such/file.txt", "--json"), "cannot read it"),
    ],
)
def test_ask_errors_are_one_line(env: Settings, args: tuple[str, ...], fragment: str) -> None:
    result = runner.invoke(app, ["ask", *args])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert fragment in result.output
