"""Shared fixtures. Storage tests take `engine`, `system` or `client` and run once per database: SQLite
(a fresh file per test) and a real PostgreSQL (a migrated database per worker, emptied after each test).

`make test` starts a throwaway PostgreSQL and sets SKILLBITE_TEST_POSTGRES_URL and
SKILLBITE_REQUIRE_POSTGRES=1, so the PostgreSQL leg can never be skipped silently there; the summary at the
end counts both legs.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from skillbite.settings import Settings
from skillbite.store.database import create_db_engine
from skillbite.store.migrate import upgrade
from skillbite.wiring import System, build_system

BACKENDS = ("sqlite", "postgresql")
TEST_SECRET = "test-secret-key-that-is-long-enough"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
_legs: Counter[str] = Counter()
# Systems the tests build from the environment (the CLI's) search lexically, so their answers do not depend on
# whether the optional semantic extra is installed; tests/search/test_semantic* build the stage themselves.
os.environ["SKILLBITE_SEMANTIC_SEARCH"] = "off"


@dataclass
class FakeClock:
    """A settable clock: tests never depend on the wall clock."""

    now: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def postgres_admin_url() -> str | None:
    url = os.environ.get("SKILLBITE_TEST_POSTGRES_URL")
    if not url and os.environ.get("SKILLBITE_REQUIRE_POSTGRES") == "1":
        pytest.fail("SKILLBITE_REQUIRE_POSTGRES=1 but SKILLBITE_TEST_POSTGRES_URL is not set")
    return url


def create_postgres_database(admin_url: str, name: str) -> str:
    admin = create_db_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url(postgres_admin_url: str | None) -> str | None:
    """A database migrated to head, one per xdist worker."""
    if not postgres_admin_url:
        return None
    url = create_postgres_database(postgres_admin_url, f"skillbite_test_{_worker()}")
    engine = create_db_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test copies it (much faster than migrating each time)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def empty_all_tables(engine: Engine) -> None:
    names = [n for n in inspect(engine).get_table_names() if n != "alembic_version"]
    if names:
        with engine.begin() as connection:
            quoted = ", ".join(f'"{n}"' for n in names)
            connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path, postgres_admin_url: str | None
) -> Iterator[str]:
    backend = request.param
    if backend == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(sqlite_template, path)
        _legs["sqlite"] += 1
        yield f"sqlite:///{path}"
        return
    if not postgres_admin_url:
        pytest.skip("PostgreSQL leg: set SKILLBITE_TEST_POSTGRES_URL (make test starts a server for you)")
    url = request.getfixturevalue("postgres_url")
    _legs["postgresql"] += 1
    yield url
    engine = create_db_engine(url)
    empty_all_tables(engine)
    engine.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "var",
        database_url=database_url,
        environment="test",
        secret_key=TEST_SECRET,
        base_url="http://testserver",
        password_hash_profile="owasp-minimum",
        semantic_search="off",  # the semantic stage's tests build it themselves (test_semantic*)
    )


@pytest.fixture
def system(settings: Settings, clock: FakeClock) -> Iterator[System]:
    system = build_system(settings, clock=clock)
    system.schema.ensure_default_org()
    yield system
    system.close()


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared material not found at {SHARED} (see ../shared/README.md)")
    return SHARED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show that both storage legs ran (xdist workers report through the controller's item reports)."""
    passed = terminalreporter.stats.get("passed", [])
    counts: Counter[str] = Counter()
    for report in passed:
        for backend in BACKENDS:
            if (
                f"[{backend}" in report.nodeid
                or f"-{backend}]" in report.nodeid
                or f"-{backend}-" in report.nodeid
            ):
                counts[backend] += 1
    terminalreporter.write_line(
        "storage legs passed: " + ", ".join(f"{b}={counts.get(b, 0)}" for b in BACKENDS)
    )


class WebUser:
    """A logged-in browser-like client: its session cookie, and the CSRF token its pages carry."""

    def __init__(self, client: TestClient, email: str, org: str) -> None:
        self.client = client
        self.email = email
        self.org = org

    @property
    def csrf(self) -> str:
        page = self.client.get("/login")
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def form(self, url: str, data: dict[str, str]) -> Response:
        return self.client.post(url, data={**data, "csrf_token": self.csrf}, follow_redirects=False)

    def api(self, method: str, url: str, **kwargs: object) -> Response:
        headers = {"X-CSRF-Token": self.csrf}
        return self.client.request(method, url, headers=headers, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def app(system: System) -> FastAPI:
    from skillbite.web.app import create_app

    return create_app(system=system)


@pytest.fixture
def new_client(app: FastAPI) -> Callable[[], TestClient]:
    clients: list[TestClient] = []

    def make() -> TestClient:
        client = TestClient(app)
        clients.append(client)
        return client

    yield make  # type: ignore[misc]
    for client in clients:
        client.close()


@pytest.fixture
def sign_up(new_client: Callable[[], TestClient]) -> Callable[..., WebUser]:
    """Sign up through the real form: a new organisation with this user as admin."""

    def do(
        email: str = "ada@example.com",
        org: str = "acme",
        password: str = "correct horse battery",  # noqa: S107 - a test account
    ) -> WebUser:
        client = new_client()
        page = client.get("/signup")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token
        answer = client.post(
            "/signup",
            data={"email": email, "org": org, "password": password, "csrf_token": token.group(1)},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        return WebUser(client, email, org)

    return do
