"""Alembic environment. Run through `skillbite db upgrade` (store/migrate.py), which passes the connection."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from skillbite.store.database import create_db_engine
from skillbite.store.migrate import include_name
from skillbite.store.tables import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_db_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline SQL generation is not supported; run `skillbite db upgrade`")
run_migrations_online()
