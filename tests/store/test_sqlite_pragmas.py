"""SQLite runs with WAL, synchronous=FULL and foreign keys on, on every connection."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from skillbite.store.database import create_db_engine


def test_pragmas(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'sub' / 'x.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
    assert (tmp_path / "sub" / "x.sqlite3").exists()
