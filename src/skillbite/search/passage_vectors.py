"""Sentence embeddings of every lesson and every example of an organisation, computed once per snapshot.

A lesson is embedded as "title: summary" (for tldr-pages: "tar: Archiving utility. ..."); each example as
"title: question" (for
tldr-pages: "tar: Extract a (compressed) archive file into the current directory"), since a learner's
question is usually answered by one example. A lesson's semantic similarity to a query is the mean of its
own passage's cosine similarity and its best example's, so a query costs one matrix-vector product per matrix
(7,425 x 384 and 32,136 x 384 floats for tldr-pages: about 1 ms), after encoding the query itself.

Embedding is the expensive part (minutes for tldr-pages on one core), so vectors are persisted by
`VectorStore`, keyed by each passage's text: a restart re-embeds nothing, a re-import only what changed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from skillbite.search.embedding_model import TextEncoder, Vectors
from skillbite.search.ranking import Candidate
from skillbite.search.vector_store import VectorStore

FloatArray = npt.NDArray[np.float64]

LESSON_WEIGHT = 0.5
"""Weight of the lesson passage in a lesson's similarity; the rest goes to its best example (the mean did
better on the tune half than the maximum of the two, 0.444 vs 0.429 MRR@10; docs/benchmarks-jit.md)."""


def lesson_passage(candidate: Candidate, summary: str = "") -> str:
    return f"{candidate.title}: {summary}" if summary else candidate.title


def example_passages(candidate: Candidate) -> list[str]:
    """One passage per example, in the order of `examples_json` (so indexes match `Scored.best_example`)."""
    return [f"{candidate.title}: {example[1]}" for example in json.loads(candidate.examples_json)]


@dataclass(frozen=True)
class PassageVectors:
    lessons: Vectors
    """One row per candidate of the snapshot, in snapshot order."""
    examples: Vectors
    """One row per example, candidates in snapshot order, each candidate's examples in order."""
    example_starts: npt.NDArray[np.int64]
    """Index of each candidate's first example row (for candidates with no example: where it would be)."""
    example_counts: npt.NDArray[np.int64]

    def similarities(self, query: Vectors) -> FloatArray:
        """Per candidate, the mean of its lesson passage's cosine similarity with the query and its best
        example's (the lesson's alone when it has no example)."""
        lesson = (self.lessons @ query).astype(np.float64)
        combined = lesson.copy()
        if len(self.examples):
            per_example = self.examples @ query
            has = self.example_counts > 0
            best_example = np.maximum.reduceat(per_example, self.example_starts[has])
            combined[has] = LESSON_WEIGHT * lesson[has] + (1 - LESSON_WEIGHT) * best_example
        return combined

    def best_example(self, position: int, query: Vectors) -> int | None:
        """Index of the candidate's example most similar to the query (None when it has no example)."""
        count = int(self.example_counts[position])
        if count == 0:
            return None
        start = int(self.example_starts[position])
        return int(np.argmax(self.examples[start : start + count] @ query))


def build_passage_vectors(
    candidates: Sequence[Candidate],
    encoder: TextEncoder,
    store: VectorStore | None = None,
    summaries: Mapping[tuple[str, str], str] | None = None,
) -> PassageVectors:
    """Embed every lesson and example of `candidates` (reusing what `store` already holds). `summaries`:
    each lesson's summary by (pack id, lesson id), see lesson_summaries.py."""
    summaries = summaries or {}
    lesson_texts = [lesson_passage(c, summaries.get((c.pack_id, c.lesson_id), "")) for c in candidates]
    per_candidate = [example_passages(c) for c in candidates]
    counts = np.array([len(texts) for texts in per_candidate], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64) if len(counts) else counts
    example_texts = [text for texts in per_candidate for text in texts]
    vectors = embed_with_store([*lesson_texts, *example_texts], encoder, store)
    return PassageVectors(
        lessons=vectors[: len(lesson_texts)],
        examples=vectors[len(lesson_texts) :],
        example_starts=starts,
        example_counts=counts,
    )


def embed_with_store(texts: Sequence[str], encoder: TextEncoder, store: VectorStore | None) -> Vectors:
    """Vectors of `texts`, taking those already in `store` and embedding (then storing) only the rest."""
    if store is None:
        distinct, positions = _unique_order(texts)
        return encoder.encode(distinct)[positions]
    known = store.lookup(texts)
    missing = sorted({t for t in texts if t not in known})
    if missing:
        fresh = encoder.encode(missing)
        known.update(zip(missing, fresh, strict=True))
        store.save(texts, known)
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([known[t] for t in texts]).astype(np.float32)


def _unique_order(texts: Sequence[str]) -> tuple[list[str], npt.NDArray[np.int64]]:
    """The distinct texts and, per input text, its index among them (repeated passages embed once)."""
    index: dict[str, int] = {}
    positions = [index.setdefault(t, len(index)) for t in texts]
    return list(index), np.array(positions, dtype=np.int64)
