"""Uploads waiting for confirmation: an author uploads, sees the validation report, then confirms.

Each upload is written, size-limited, to `<data_dir>/uploads/<org>/<token>/<name>`; the token is random,
so one organisation cannot guess another's upload, and the folder is per organisation besides. An upload
that is never confirmed or discarded (the author closed the tab) is removed by `sweep`, which the web
server's background worker runs (`SKILLBITE_UPLOAD_EXPIRY_HOURS`).
"""

from __future__ import annotations

import re
import secrets
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from skillbite.services.errors import InvalidInput, NotFound

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
ALLOWED_SUFFIXES = (".zip", ".apkg", ".csv", ".tar.gz", ".tgz", ".tar")


class UploadStore:
    def __init__(self, data_dir: Path, max_bytes: int) -> None:
        self.root = data_dir / "uploads"
        self.max_bytes = max_bytes

    def _folder(self, org_id: int, token: str) -> Path:
        if not TOKEN_PATTERN.match(token):
            raise NotFound("this upload has expired; upload the file again")
        return self.root / str(org_id) / token

    def save(self, org_id: int, filename: str, stream: BinaryIO) -> tuple[str, Path]:
        name = SAFE_NAME.sub("_", Path(filename or "upload").name).lstrip(".") or "upload"
        if not name.lower().endswith(ALLOWED_SUFFIXES):
            raise InvalidInput(
                f"{filename!r}: upload a .zip pack, an Anki .apkg, a .csv file or a tldr-pages .tar.gz",
                field="file",
            )
        token = secrets.token_urlsafe(24)
        folder = self._folder(org_id, token)
        folder.mkdir(parents=True)
        target = folder / name
        written = 0
        try:
            with target.open("wb") as out:
                while chunk := stream.read(1 << 16):
                    written += len(chunk)
                    if written > self.max_bytes:
                        raise InvalidInput(
                            f"{filename!r} is larger than the {self.max_bytes >> 20} MiB limit "
                            "(SKILLBITE_MAX_UPLOAD_MB)",
                            field="file",
                        )
                    out.write(chunk)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return token, target

    def path(self, org_id: int, token: str) -> Path:
        folder = self._folder(org_id, token)
        files = list(folder.iterdir()) if folder.is_dir() else []
        if len(files) != 1:
            raise NotFound("this upload has expired; upload the file again")
        return files[0]

    def discard(self, org_id: int, token: str) -> None:
        shutil.rmtree(self._folder(org_id, token), ignore_errors=True)

    def sweep(self, now: datetime, older_than: timedelta) -> int:
        """Remove uploads written before `now - older_than`; returns how many were removed.

        The age is the upload folder's modification time (set when the file was written); an upload being
        confirmed at this moment is at most a few minutes old, far from any sensible expiry.
        """
        cutoff = (now - older_than).timestamp()
        removed = 0
        for org_folder in self.root.iterdir() if self.root.is_dir() else ():
            for folder in org_folder.iterdir() if org_folder.is_dir() else ():
                if TOKEN_PATTERN.match(folder.name) and folder.stat().st_mtime < cutoff:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed += 1
        return removed
