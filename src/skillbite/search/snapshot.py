"""An in-memory image of one organisation's index: vocabulary, statistics, BM25F impacts, example terms.

Built once from `search_documents` rows (both databases store the same analysed terms, so the image is the
same on SQLite and PostgreSQL) and kept by `snapshot_cache` until the index changes. With it a query reads
nothing from the database but a fingerprint, and every document matching any query term is scored, not
only the first hundred the full-text index proposes.

BM25F is query-independent up to the idf: for each term and document the per-field frequencies, boosted and
length-normalised, add up to a pseudo-frequency f, whose saturation f / (K1 + f) (the *impact*) is stored in
a posting list. A query then scores every document with a few vector operations (numpy): per concept the
best of its alternatives, summed over concepts, exactly as `ranking.py` scores a single candidate.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from skillbite.search.documents import FIELDS
from skillbite.search.query import QueryPlan, Vocabulary
from skillbite.search.ranking import FIELD_B, FIELD_BOOST, K1, Candidate, FieldStats, title_stems

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Postings:
    documents: npt.NDArray[np.int32]
    impacts: npt.NDArray[np.float64]


class OrgSnapshot(Vocabulary):
    """Everything a query needs about one organisation's index, in memory."""

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        self.candidates = list(candidates)
        n = len(self.candidates)
        lengths = dict.fromkeys(FIELDS, 0)
        per_document: list[dict[str, list[str]]] = []
        frequencies: Counter[str] = Counter()
        for candidate in self.candidates:
            split = {name: candidate.fields[name].split() for name in FIELDS}
            per_document.append(split)
            for name in FIELDS:
                lengths[name] += len(split[name])
            frequencies.update({t for terms in split.values() for t in terms})
        self.stats = FieldStats({name: lengths[name] / max(n, 1) for name in FIELDS})
        self.frequencies = dict(frequencies)
        self._sorted_terms = sorted(self.frequencies)
        self.postings = self._postings(per_document)
        self.example_terms = [
            [frozenset(line.split()) for line in c.example_terms()] for c in self.candidates
        ]
        self._index_examples()
        self.prior = np.array([c.prior for c in self.candidates], dtype=np.float64)
        self.titles: dict[tuple[str, ...], list[int]] = {}
        for position, candidate in enumerate(self.candidates):
            stems = tuple(title_stems(candidate.title))
            if stems:
                self.titles.setdefault(stems, []).append(position)

    def _index_examples(self) -> None:
        """Postings over single examples (which examples contain a term) and each document's example range."""
        postings: dict[str, list[int]] = {}
        starts: list[int] = []
        owners: list[int] = []
        count = 0
        for position, examples in enumerate(self.example_terms):
            if examples:
                starts.append(count)
                owners.append(position)
            for terms in examples:
                for term in terms:
                    postings.setdefault(term, []).append(count)
                count += 1
        self.example_count = count
        self.example_postings = {t: np.array(p, dtype=np.int32) for t, p in postings.items()}
        self.example_starts = np.array(starts, dtype=np.int64)
        self.example_owners = np.array(owners, dtype=np.int64)

    def _postings(self, per_document: list[dict[str, list[str]]]) -> dict[str, Postings]:
        documents: dict[str, list[int]] = {}
        impacts: dict[str, list[float]] = {}
        for position, split in enumerate(per_document):
            pseudo: dict[str, float] = {}
            for name in FIELDS:
                terms = split[name]
                if not terms:
                    continue
                b = FIELD_B[name]
                average = max(self.stats.average_length[name], 1.0)
                factor = FIELD_BOOST[name] / (1.0 - b + b * len(terms) / average)
                for term, count in Counter(terms).items():
                    pseudo[term] = pseudo.get(term, 0.0) + factor * count
            for term, f in pseudo.items():
                documents.setdefault(term, []).append(position)
                impacts.setdefault(term, []).append(f / (K1 + f))
        return {
            term: Postings(np.array(positions, dtype=np.int32), np.array(impacts[term], dtype=np.float64))
            for term, positions in documents.items()
        }

    # --- Vocabulary ----------------------------------------------------------------------------------

    def document_count(self) -> int:
        return len(self.candidates)

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        return {t: self.frequencies[t] for t in terms if t in self.frequencies}

    def terms_with_prefix(self, prefix: str) -> dict[str, int]:
        start = bisect.bisect_left(self._sorted_terms, prefix)
        end = bisect.bisect_left(self._sorted_terms, prefix + "\uffff")
        return {t: self.frequencies[t] for t in self._sorted_terms[start:end]}

    # --- scoring -------------------------------------------------------------------------------------

    def term_scores(self, plan: QueryPlan) -> dict[str, FloatArray]:
        """Per query term, idf * impact for every document (0 where the term is absent)."""
        n = len(self.candidates)
        dense: dict[str, FloatArray] = {}
        for term in plan.all_terms():
            postings = self.postings.get(term)
            if postings is None:
                continue
            vector = np.zeros(n, dtype=np.float64)
            vector[postings.documents] = plan.idf[term] * postings.impacts
            dense[term] = vector
        return dense

    def bm25f(self, plan: QueryPlan, dense: dict[str, FloatArray]) -> FloatArray:
        """BM25F of every document: per concept its best alternative (weight * mean term score)."""
        total = np.zeros(len(self.candidates), dtype=np.float64)
        for concept in plan.concepts:
            best: FloatArray | None = None
            for alternative in concept.alternatives:
                present = [dense[t] for t in alternative.terms if t in dense]
                if not present:
                    continue
                value = alternative.weight * np.sum(present, axis=0) / len(alternative.terms)
                best = value if best is None else np.maximum(best, value)
            if best is not None:
                total += concept.weight * best
        return total

    def best_example_coverage(self, plan: QueryPlan) -> FloatArray:
        """Per document, the idf-weighted share of the query its single best example covers (as
        `ranking._ExampleMatcher`, for every example at once)."""
        masses = [c.weight * c.idf for c in plan.concepts]
        total_mass = sum(masses) or 1.0
        coverage = np.zeros(self.example_count, dtype=np.float64)
        for concept, mass in zip(plan.concepts, masses, strict=True):
            best: FloatArray | None = None
            for alternative in concept.alternatives:
                present = np.ones(self.example_count, dtype=bool)
                for term in alternative.terms:
                    postings = self.example_postings.get(term)
                    if postings is None:
                        present[:] = False
                        break
                    mask = np.zeros(self.example_count, dtype=bool)
                    mask[postings] = True
                    present &= mask
                value = alternative.weight * present
                best = value if best is None else np.maximum(best, value)
            if best is not None:
                coverage += mass * best
        per_document = np.zeros(len(self.candidates), dtype=np.float64)
        if self.example_count:
            per_document[self.example_owners] = np.maximum.reduceat(coverage, self.example_starts)
        return per_document / total_mass

    def named_titles(self, plan: QueryPlan) -> dict[int, float]:
        """Documents whose title the query names word for word (up to four words), with the title's idf."""
        stems = [c.token.stem for c in plan.concepts]
        named: dict[int, float] = {}
        for width in range(1, 5):
            for start in range(len(stems) - width + 1):
                key = tuple(stems[start : start + width])
                for position in self.titles.get(key, ()):
                    named[position] = sum(plan.idf.get(t, 0.0) for t in key)
        return named


def candidate_from_row(row: Any) -> Candidate:
    """A `Candidate` from a row of `lexical.DOCUMENT_COLUMNS`."""
    return Candidate(
        row_id=int(row[0]),
        pack_id=str(row[1]),
        lesson_id=str(row[2]),
        title=str(row[3]),
        source=row[4],
        minutes=float(row[5]),
        skills=tuple(json.loads(row[6])),
        fields={"title": row[7], "body": row[8], "examples": row[9], "commands": row[10]},
        examples_json=str(row[11]),
        mentions=int(row[12]),
    )
