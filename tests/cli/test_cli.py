"""Every CLI command through Typer's runner, with its error paths: one-line errors, exit 1, no traceback."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

import skillbite
from skillbite.cli.main import app
from skillbite.settings import Settings

runner = CliRunner()


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SKILLBITE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SKILLBITE_ENVIRONMENT", "test")
    monkeypatch.setenv("SKILLBITE_SECRET_KEY", settings.secret_key)
    monkeypatch.setenv("SKILLBITE_BASE_URL", "https://learn.example.com")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0  # as after install: creates `default`
    return settings


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def assert_one_line_error(result, fragment: str) -> None:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert fragment in lines[0]


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"skillbite {skillbite.__version__}"


def test_db_upgrade_is_idempotent(env: Settings) -> None:
    second = invoke("db", "upgrade")
    assert "database is current" in second.output


def test_org_create_and_duplicate(env: Settings) -> None:
    result = invoke("org", "create", "acme-support")
    assert result.exit_code == 0 and "created organisation acme-support" in result.output
    assert_one_line_error(invoke("org", "create", "acme-support"), "exists already")
    assert_one_line_error(invoke("org", "create", "Bad Slug!"), "invalid organisation slug")
    assert "acme-support" in invoke("org", "list").output


def test_user_create_prints_a_one_time_link(env: Settings, new_client) -> None:
    invoke("org", "create", "acme")
    result = invoke("user", "create", "hana@example.com", "--org", "acme", "--role", "author")
    assert result.exit_code == 0, result.output
    link = re.search(r"https://learn\.example\.com(/set-password/\S+)", result.output)
    assert link, result.output
    client = new_client()
    page = client.get(link.group(1))
    assert page.status_code == 200 and "hana@example.com" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    done = client.post(
        link.group(1),
        data={"password": "a new passphrase", "confirm": "a new passphrase", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    me = client.get("/api/me").json()
    assert me == {"user_id": me["user_id"], "email": "hana@example.com", "org": "acme", "role": "author"}
    # The link works once.
    assert client.get(link.group(1)).status_code == 404


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("user", "create", "not-an-email", "--org", "default"), "is not an email address"),
        (("user", "create", "ivy@example.com", "--org", "nowhere"), "no organisation with slug 'nowhere'"),
        (("user", "create", "ivy@example.com", "--org", "default", "--role", "boss"), "unknown role 'boss'"),
    ],
)
def test_user_create_errors(env: Settings, args: tuple[str, ...], fragment: str) -> None:
    assert_one_line_error(invoke(*args), fragment)


def test_user_create_twice_is_an_error(env: Settings) -> None:
    assert invoke("user", "create", "jo@example.com", "--org", "default").exit_code == 0
    assert_one_line_error(invoke("user", "create", "jo@example.com", "--org", "default"), "already")


def test_invalid_setting_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLBITE_ENVIRONMENT", "production")
    monkeypatch.delenv("SKILLBITE_SECRET_KEY", raising=False)
    assert_one_line_error(invoke("org", "list"), "SKILLBITE_SECRET_KEY")


def test_serve_refuses_an_unmigrated_database(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLBITE_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    monkeypatch.delenv("SKILLBITE_ENVIRONMENT", raising=False)
    assert_one_line_error(invoke("serve", "--port", "8765"), "skillbite db upgrade")


def test_serve_validates_its_port() -> None:
    result = invoke("serve", "--port", "70000")
    assert result.exit_code == 2


def test_serve_runs_the_background_worker(env: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """`skillbite serve` is a server: its app warms search, runs queued jobs and sweeps uploads."""
    served = []
    monkeypatch.setattr(
        "skillbite.cli.serve.uvicorn.run", lambda app, **options: served.append((app, options))
    )
    assert invoke("serve", "--port", "8765").exit_code == 0
    [(served_app, options)] = served
    worker = served_app.state.worker
    assert worker.enabled and worker.poll_seconds == env.job_poll_seconds and worker.warm_search
    assert options["port"] == 8765


@pytest.mark.parametrize("command", [("pack", "list"), ("serve", "--port", "8765")])
def test_semantic_on_without_the_extra_is_a_one_line_error(
    env: Settings, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    monkeypatch.setattr("skillbite.wiring.semantic_extra_installed", lambda: False)
    monkeypatch.setenv("SKILLBITE_SEMANTIC_SEARCH", "on")
    assert_one_line_error(
        invoke(*command), "SKILLBITE_SEMANTIC_SEARCH=on but the semantic extra is not installed"
    )
