"""Uploads an author never confirmed are removed once they are older than the expiry; fresh ones stay."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from skillbite.services.errors import NotFound
from skillbite.services.uploads import UploadStore

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def age(path: Path, hours: float) -> None:
    """Make an upload look written `hours` before NOW."""
    stamp = (NOW - timedelta(hours=hours)).timestamp()
    os.utime(path.parent, (stamp, stamp))


def test_only_expired_uploads_are_removed(tmp_path: Path) -> None:
    store = UploadStore(tmp_path, max_bytes=1 << 20)
    old_token, old_path = store.save(1, "old.csv", io.BytesIO(b"front,back\n"))
    fresh_token, fresh_path = store.save(1, "fresh.csv", io.BytesIO(b"front,back\n"))
    other_token, other_path = store.save(2, "other.zip", io.BytesIO(b"PK"))
    age(old_path, 30)
    age(fresh_path, 2)
    age(other_path, 25)

    assert store.sweep(NOW, timedelta(hours=24)) == 2
    with pytest.raises(NotFound, match="expired"):
        store.path(1, old_token)
    with pytest.raises(NotFound, match="expired"):
        store.path(2, other_token)
    assert store.path(1, fresh_token) == fresh_path and fresh_path.read_bytes() == b"front,back\n"
    assert store.sweep(NOW, timedelta(hours=24)) == 0


def test_sweeping_before_any_upload_is_harmless(tmp_path: Path) -> None:
    assert UploadStore(tmp_path / "nothing-yet", max_bytes=1).sweep(NOW, timedelta(hours=1)) == 0


def test_folders_that_are_not_uploads_are_left_alone(tmp_path: Path) -> None:
    store = UploadStore(tmp_path, max_bytes=1 << 20)
    stray = tmp_path / "uploads" / "1" / "notes"
    stray.mkdir(parents=True)
    (stray / "keep.txt").write_text("mine")
    age(stray / "keep.txt", 100)
    assert store.sweep(NOW, timedelta(hours=24)) == 0 and (stray / "keep.txt").exists()
