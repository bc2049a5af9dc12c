"""Migrations: from empty to head on both databases, and the models match the migrations exactly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from skillbite.store.database import create_db_engine
from skillbite.store.migrate import current_revision, head_revision, include_name, upgrade
from skillbite.store.tables import Base
from tests.conftest import create_postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_admin_url: str | None
) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    else:
        if not postgres_admin_url:
            pytest.skip("PostgreSQL leg: set SKILLBITE_TEST_POSTGRES_URL (make test starts a server for you)")
        import os

        url = create_postgres_database(postgres_admin_url, f"skillbite_migrate_{os.getpid()}")
    engine = create_db_engine(url)
    yield engine
    engine.dispose()


def test_upgrade_from_empty_to_head(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision(empty_engine)
    tables = set(inspect(empty_engine).get_table_names())
    assert {"organisations", "users", "memberships", "api_tokens", "web_sessions"} <= tables
    upgrade(empty_engine)  # a second run is a no-op
    assert current_revision(empty_engine) == head_revision(empty_engine)


def test_models_match_migrations(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], f"models and migrations differ; write a migration: {differences}"


def test_every_tenant_table_carries_its_organisation(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    global_tables = {"organisations", "users", "login_attempts", "alembic_version"}
    inspector = inspect(empty_engine)
    for table in inspector.get_table_names():
        if table in global_tables or table.startswith("search_"):
            continue
        columns = {c["name"] for c in inspector.get_columns(table)}
        assert "org_id" in columns, f"table {table} is tenant-owned but has no org_id column"
