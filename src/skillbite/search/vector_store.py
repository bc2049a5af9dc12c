"""Passage vectors persisted on disk, so a restart (or a second organisation with the same content) does
not embed again.

One folder per model under the given root (`<data_dir>/embeddings/all-MiniLM-L6-v2/`), one file per set of
passages, named by a digest of all their texts in order; each file holds the passages' text digests and
their vectors. A lookup reads the file of exactly this set when there is one; otherwise it reuses whatever
the most recently used files hold (after a re-import most passages are unchanged), and only the rest is
embedded. Files are written atomically (temporary file, then rename) and only the `MAX_FILES` most recently
used are kept.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from skillbite.search.embedding_model import Vectors

MAX_FILES = 8
"""Sets of passages kept per model (one per organisation and content version)."""
REUSED_FILES = 3
"""Most recent files searched for passages when the exact set has no file yet."""


DIGEST_BYTES = 16


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=DIGEST_BYTES).digest()


def set_digest(texts: Sequence[str]) -> str:
    combined = hashlib.blake2b(digest_size=DIGEST_BYTES)
    for text in texts:
        combined.update(_digest(text))
    return combined.hexdigest()


class VectorStore:
    def __init__(self, root: Path, model_name: str) -> None:
        self.folder = root / model_name

    def _files_by_recency(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob("*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)

    def lookup(self, texts: Sequence[str]) -> dict[str, Vectors]:
        """The stored vectors of those `texts` that have one."""
        exact = self.folder / f"{set_digest(texts)}.npz"
        files = [exact] if exact.exists() else self._files_by_recency()[:REUSED_FILES]
        wanted = {_digest(t): t for t in texts}
        found: dict[str, Vectors] = {}
        for path in files:
            try:
                # Opened here, not by np.load, which leaves its handle open when the file is damaged.
                with path.open("rb") as stream, np.load(stream) as stored:
                    digests, vectors = stored["digests"], stored["vectors"]
            except (OSError, ValueError, KeyError, zipfile.BadZipFile):
                continue  # a damaged or foreign file: embed again rather than fail the question
            if digests.dtype != np.uint8 or digests.ndim != 2 or digests.shape[1] != DIGEST_BYTES:
                continue
            for digest, vector in zip(digests, vectors, strict=True):
                text = wanted.get(digest.tobytes())
                if text is not None and text not in found:
                    found[text] = vector
            if path == exact:
                os.utime(path)
        return found

    def save(self, texts: Sequence[str], vectors: Mapping[str, Vectors]) -> None:
        """Store the vectors of `texts` (all must be in `vectors`) as one set, and forget old sets."""
        self.folder.mkdir(parents=True, exist_ok=True)
        distinct = list(dict.fromkeys(texts))
        # Raw bytes, not a numpy "S16" string array: that would drop digests' trailing zero bytes.
        joined = b"".join(_digest(t) for t in distinct)
        digests = np.frombuffer(joined, dtype=np.uint8).reshape(-1, DIGEST_BYTES)
        matrix = np.vstack([vectors[t] for t in distinct]) if distinct else np.zeros((0, 0), np.float32)
        target = self.folder / f"{set_digest(texts)}.npz"
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                np.savez(stream, digests=digests, vectors=matrix.astype(np.float32))
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        for old in self._files_by_recency()[MAX_FILES:]:
            old.unlink(missing_ok=True)
