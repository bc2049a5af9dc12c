"""`skillbite recompute`, `skillbite jobs run`, `skillbite import apkg PATH --as EMAIL` and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from skillbite.cli.main import app
from skillbite.domain import personal_params
from skillbite.settings import Settings
from tests.content.anki_packages import Review, basic_note, build_apkg, deck

runner = CliRunner()
DAY_MS = 86_400_000
T0 = 1_700_000_000_000
HISTORY = [
    Review("note-perro", 0, T0, 1),
    Review("note-perro", 0, T0 + 1, 3),
    Review("note-perro", 0, T0 + DAY_MS, 3),
    Review("note-perro", 0, T0 + 5 * DAY_MS, 4),
    Review("note-gato", 0, T0 + DAY_MS + 2, 2),
    Review("note-gato", 0, T0 + 4 * DAY_MS, 1),
]


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SKILLBITE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SKILLBITE_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLBITE_SECRET_KEY", settings.secret_key)
    monkeypatch.setenv("SKILLBITE_BASE_URL", "https://learn.example.com")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    return settings


def invoke(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def package(tmp_path: Path) -> Path:
    notes = [basic_note("perro", "dog", "note-perro"), basic_note("gato", "cat", "note-gato")]
    return build_apkg(tmp_path / "spanish.apkg", [deck(3001, "Spanish", notes)], reviews=HISTORY)


def last_line(result: Result) -> str:
    return [line for line in result.output.splitlines() if line.strip()][-1]


def test_import_apkg_as_a_learner_then_recompute(env: Settings, tmp_path: Path) -> None:
    assert invoke("user", "create", "lea@example.com").exit_code == 0
    apkg = package(tmp_path)
    first = invoke("import", "apkg", str(apkg), "--as", "lea@example.com")
    assert first.exit_code == 0, first.output
    assert last_line(first) == "added 6 reviews to the review log of lea@example.com"
    again = invoke("import", "apkg", str(apkg), "--as", "lea@example.com")
    assert again.exit_code == 0 and last_line(again) == "added 0 reviews to the review log of lea@example.com"

    recompute = invoke("recompute")
    assert recompute.exit_code == 0, recompute.output
    assert (
        recompute.output.strip()
        == "recomputed 2 items of 1 learners; 0 state(s) differed from the log and were rebuilt"
    )


def test_import_apkg_as_someone_who_is_not_a_member(env: Settings, tmp_path: Path) -> None:
    invoke("org", "create", "elsewhere")
    invoke("user", "create", "out@example.com", "--org", "elsewhere")
    for email, fragment in (
        ("nobody@example.com", "nobody@example.com is not a member of this organisation"),
        ("out@example.com", "out@example.com is not a member of this organisation"),
        ("not-an-email", "is not an email address"),
    ):
        result = invoke("import", "apkg", str(package(tmp_path)), "--as", email)
        assert result.exit_code == 1, result.output
        assert last_line(result).startswith("error: ") and fragment in last_line(result), result.output


def test_recompute_of_an_unknown_organisation(env: Settings) -> None:
    result = invoke("recompute", "--org", "no-such-org")
    assert result.exit_code == 1 and result.output.startswith("error: "), result.output


def test_jobs_run_runs_the_queued_optimisation(
    env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("jobs", "run").output.strip() == "0 job(s) run"
    monkeypatch.setattr(personal_params, "MIN_SCORED_REVIEWS", 3)
    invoke("user", "create", "lea@example.com")
    assert invoke("import", "apkg", str(package(tmp_path)), "--as", "lea@example.com").exit_code == 0
    result = invoke("jobs", "run")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("job 1 optimise_params: done - ") and lines[-1] == "1 job(s) run", (
        result.output
    )
    assert invoke("jobs", "run").output.strip() == "0 job(s) run"
