"""Schema migrations with Alembic, on SQLite and PostgreSQL alike, from the very first table."""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """What autogenerate compares: every table but the full-text index tables (FTS5 virtual tables and
    tsvector tables), which exist only in migrations because they differ by database."""
    table = name if type_ == "table" else getattr(parent_names, "get", lambda _k: None)("table_name")
    return not (table or "").startswith("search_")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    """The newest shipped migration (the same for every engine: the scripts are part of the package)."""
    return _shipped_head()


@functools.cache
def _shipped_head() -> str | None:
    """The newest migration shipped with this package. Read once per process: loading every migration script
    costs ~9 ms, and /healthz asks on every call."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision(engine)
