"""The optional semantic stage: dense retrieval with all-MiniLM-L6-v2, fused with the lexical ranking.

Active only with the `skillbite[semantic]` extra (see embedding_model.py); without it `semantic_reranker()`
returns None and search stays lexical.

Every lesson and example of an organisation is embedded once, when its in-memory snapshot is first used
(passage_vectors.py; persisted by vector_store.py when a folder is given), and kept beside the snapshot
(`snapshot_cache.companion`), so it is rebuilt exactly when the index changes. A query then costs one short
encoding (about 10 ms on one core) and a matrix-vector product over all passages (about 1 ms):
1. every lesson gets its semantic similarity: the mean of the cosines of its "title: summary" passage and of
   its best example;
2. the candidates are the lexical ranking's heads plus the `DENSE_CANDIDATES` most similar lessons (those
   outside the lexical heads are scored lexically here, for their coverage and snippet);
3. each candidate's final score blends its lexical score (relative to the best lexical score) with its
   similarity (relative to the best similarity), `SEMANTIC_SHARE` of the latter; the final scores are in the
   lexical scores' units, so the confidence margin (top versus runner-up) keeps its meaning.
Confidence is not loosened: coverage stays the lexical share of the question the hit matches, so a question
the content does not answer (its words absent from every lesson) is still not confident, however similar
some lesson sounds. The shares were chosen on one half of the development queries (docs/benchmarks-jit.md).

Until an organisation's vectors are ready (building takes minutes for a large corpus on a cold start) the
answer stays lexical when the re-ranker was made with `background=True`; otherwise the first question waits.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sqlalchemy import Engine

from skillbite.domain.ids import OrgId
from skillbite.search.embedding_model import TextEncoder, load_encoder
from skillbite.search.lesson_summaries import lesson_summaries
from skillbite.search.passage_vectors import PassageVectors, build_passage_vectors
from skillbite.search.query import plan_query
from skillbite.search.ranking import Scored, score_candidates
from skillbite.search.snapshot import OrgSnapshot
from skillbite.search.snapshot_cache import (
    cached_snapshot,
    companion,
    peek_companion,
    snapshot_holding,
    snapshot_origin,
)
from skillbite.search.vector_store import VectorStore

DENSE_CANDIDATES = 20
"""Most similar lessons added to the lexical heads before fusing (wherever they rank lexically)."""
SEMANTIC_SHARE = 0.6
"""Share of the final score given to semantic similarity (the rest to the lexical score)."""


@dataclass(frozen=True)
class _Prepared:
    vectors: PassageVectors
    positions: dict[int, int]
    """Snapshot position of each candidate, by object identity."""


class SemanticReranker:
    """Fuses dense retrieval over an organisation's passages with the lexical ranking (see module doc)."""

    def __init__(
        self,
        encoder: TextEncoder,
        store: VectorStore | None = None,
        *,
        background: bool = False,
        dense_candidates: int = DENSE_CANDIDATES,
        semantic_share: float = SEMANTIC_SHARE,
    ) -> None:
        self._encoder = encoder
        self._store = store
        self._background = background
        self._dense_candidates = dense_candidates
        self._semantic_share = semantic_share
        self._key = f"semantic.passage_vectors.{encoder.name}"
        self._building: weakref.WeakKeyDictionary[OrgSnapshot, threading.Thread] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    # --- preparing -----------------------------------------------------------------------------------

    def embed(self, snapshot: OrgSnapshot) -> _Prepared:
        """Embed the snapshot's lesson summaries and examples (or read them from the vector store); does not
        keep the result (see `warm_snapshot`)."""
        summaries: dict[tuple[str, str], str] = {}
        origin = snapshot_origin(snapshot)
        if origin is not None:
            engine, org_id = origin
            with engine.connect() as conn:
                summaries = lesson_summaries(conn, org_id)
        vectors = build_passage_vectors(snapshot.candidates, self._encoder, self._store, summaries)
        return _Prepared(vectors, {id(c): position for position, c in enumerate(snapshot.candidates)})

    def warm_snapshot(self, snapshot: OrgSnapshot) -> None:
        """Embed the snapshot's passages now (blocking), unless already done."""
        companion(snapshot, self._key, lambda: self.embed(snapshot))

    def warm(self, engine: Engine, org_id: OrgId) -> bool:
        """Embed the organisation's passages now, if its snapshot is built (`LexicalIndex.warm` builds it);
        False when there is no snapshot to embed."""
        snapshot = cached_snapshot(engine, org_id)
        if snapshot is None:
            return False
        self.warm_snapshot(snapshot)
        return True

    def _prepared(self, snapshot: OrgSnapshot) -> _Prepared | None:
        if not self._background:
            return companion(snapshot, self._key, lambda: self.embed(snapshot))
        ready = peek_companion(snapshot, self._key)
        if isinstance(ready, _Prepared):
            return ready
        with self._lock:
            building = self._building.get(snapshot)
            if building is None or not building.is_alive():  # not started, or failed: (re)start
                building = threading.Thread(
                    target=self.warm_snapshot, args=(snapshot,), name="skillbite-embed", daemon=True
                )
                self._building[snapshot] = building
                building.start()
        return None

    def wait_until_built(self, timeout: float | None = None) -> None:
        """Wait for the embeddings being built in the background (for tests and benchmarks)."""
        with self._lock:
            threads = list(self._building.values())
        for thread in threads:
            thread.join(timeout)

    # --- ranking -------------------------------------------------------------------------------------

    def rerank(self, query: str, scored: Sequence[Scored]) -> list[Scored]:
        """The lexical ranking `scored` (best first) fused with semantic similarity; unchanged when there
        is nothing lexical to start from, for organisations searched through the database's full-text index,
        and while the vectors are still being built in the background."""
        if not scored:
            return []
        snapshot = snapshot_holding(scored[0].candidate)
        prepared = None if snapshot is None else self._prepared(snapshot)
        if snapshot is None or prepared is None:
            return list(scored)
        query_vector = self._encoder.encode([query])[0]
        similarity = prepared.vectors.similarities(query_vector)
        positions = prepared.positions
        heads = {positions[id(s.candidate)]: s for s in scored if id(s.candidate) in positions}
        added = self._dense_additions(snapshot, query, similarity, heads)
        pool = [*heads.items(), *added.items()]
        lexical_top = max(scored[0].score, 1e-9)
        semantic_top = max(float(similarity[[p for p, _ in pool]].max()), 1e-9)
        share = self._semantic_share
        fused = []
        for position, item in pool:
            lexical = item.score / lexical_top if position in heads else 0.0
            semantic = max(float(similarity[position]), 0.0) / semantic_top
            best_example = item.best_example
            if best_example is None:
                best_example = prepared.vectors.best_example(position, query_vector)
            fused.append(
                replace(
                    item,
                    score=lexical_top * ((1 - share) * lexical + share * semantic),
                    best_example=best_example,
                )
            )
        fused.sort(key=lambda s: (-s.score, s.candidate.lesson_id))
        return fused

    def _dense_additions(
        self, snapshot: OrgSnapshot, query: str, similarity: np.ndarray, heads: dict[int, Scored]
    ) -> dict[int, Scored]:
        """The most similar lessons that are not lexical heads, scored lexically (coverage, best example)."""
        count = min(self._dense_candidates, len(similarity))
        if count == 0:
            return {}
        nearest = np.argpartition(-similarity, count - 1)[:count]
        missing = [int(p) for p in nearest if int(p) not in heads]
        if not missing:
            return {}
        plan = plan_query(query, snapshot)
        by_id = {id(snapshot.candidates[p]): p for p in missing}
        rescored = score_candidates(plan, [snapshot.candidates[p] for p in missing], snapshot.stats)
        return {by_id[id(s.candidate)]: s for s in rescored}


def semantic_reranker(
    cache_folder: Path | None = None, *, background: bool = False
) -> SemanticReranker | None:
    """The semantic stage, or None when the `skillbite[semantic]` extra is not installed (search then stays
    lexical). `cache_folder` (e.g. `<data_dir>/embeddings`) persists passage vectors across restarts."""
    encoder = load_encoder()
    if encoder is None:
        return None
    store = None if cache_folder is None else VectorStore(cache_folder, encoder.name)
    return SemanticReranker(encoder, store, background=background)
