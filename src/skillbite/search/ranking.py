"""Re-ranking of full-text candidates in Python: BM25F over weighted fields, plus two signals.

The backend's full-text search only proposes candidates. Here every candidate gets:
- BM25F: per query concept, the best of its alternatives, with field boosts (title > examples > body >
  commands) and per-field length normalisation;
- a best-example score: how well the single best practice item (for tldr-pages, one example) covers the
  query, since a question is usually answered by one example, not by a page's vocabulary as a whole;
- a command-name bonus when the query names the lesson's title (the tool) as consecutive words;
- a prior (prior.py): lessons that other lessons name in code, that document a tool with a system manual, or
  that hold on every platform are, all else equal, what people ask about more often than obscure ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from skillbite.search.analyzer import STOP_WORDS, stem, words
from skillbite.search.documents import FIELDS
from skillbite.search.prior import lesson_prior
from skillbite.search.query import QueryPlan

K1 = 1.2
FIELD_BOOST = {"title": 3.0, "body": 1.0, "examples": 1.0, "commands": 0.4}
FIELD_B = {"title": 0.5, "body": 0.75, "examples": 0.75, "commands": 0.75}
BEST_EXAMPLE_WEIGHT = 0.6
TITLE_NAMED_BONUS = 1.0
"""Multiple of the title words' idf granted when the query names the lesson's title word for word: naming a
rare tool ("crontab") is strong evidence, naming one that is an everyday word ("make", "column") is weak."""


@dataclass(frozen=True)
class Candidate:
    """A lesson proposed by the backend, with its analysed fields and examples."""

    row_id: int
    pack_id: str
    lesson_id: str
    title: str
    source: str | None
    minutes: float
    skills: tuple[str, ...]
    fields: dict[str, str]
    examples_json: str
    """JSON list of [item_id, text, answer] per example; parsed only for the hits shown."""
    mentions: int = 0
    """How many other lessons of its pack name this lesson's title in inline code (prior.code_mentions)."""

    @cached_property
    def prior(self) -> float:
        """The lesson's prior (prior.lesson_prior), in multiples of a question's informative mass."""
        return lesson_prior(self.mentions, self.fields["body"], self.source)

    def example_terms(self) -> list[str]:
        """Analysed terms of each example, one string per example (same order as examples_json)."""
        return self.fields["examples"].split("\n")


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float
    coverage: float
    best_example: int | None


@dataclass(frozen=True)
class FieldStats:
    """Average analysed length of each field over the organisation's documents."""

    average_length: dict[str, float]


def _pseudo_frequencies(wanted: set[str], candidate: Candidate, stats: FieldStats) -> dict[str, float]:
    pseudo: dict[str, float] = {}
    for name in FIELDS:
        terms = candidate.fields[name].split()
        present = wanted.intersection(terms)
        if not present:
            continue
        average = max(stats.average_length.get(name, 1.0), 1.0)
        factor = FIELD_BOOST[name] / (1.0 - FIELD_B[name] + FIELD_B[name] * len(terms) / average)
        for term in present:
            pseudo[term] = pseudo.get(term, 0.0) + factor * terms.count(term)
    return pseudo


class _ConceptScorer:
    """Per concept, the best alternative's weighted score and how fully the concept is matched (credit,
    0..1: the alternative's weight times the share of its terms present, so a synonym is a partial match).
    Work is proportional to the query terms a document contains, not to the size of the query plan."""

    def __init__(self, plan: QueryPlan) -> None:
        self.mass = [c.weight * c.idf for c in plan.concepts]
        self.concept_weight = [c.weight for c in plan.concepts]
        self.alternatives: list[tuple[int, float, int]] = []
        self.by_term: dict[str, list[int]] = {}
        for index, concept in enumerate(plan.concepts):
            for alternative in concept.alternatives:
                position = len(self.alternatives)
                self.alternatives.append((index, alternative.weight, len(alternative.terms)))
                for term in alternative.terms:
                    self.by_term.setdefault(term, []).append(position)

    def score(self, term_score: dict[str, float]) -> tuple[float, float]:
        """(sum of concept scores, matched mass)."""
        sums: dict[int, float] = {}
        present: dict[int, int] = {}
        for term, value in term_score.items():
            for position in self.by_term.get(term, ()):
                sums[position] = sums.get(position, 0.0) + value
                present[position] = present.get(position, 0) + 1
        best: dict[int, float] = {}
        credit: dict[int, float] = {}
        for position, total in sums.items():
            concept, weight, size = self.alternatives[position]
            best[concept] = max(best.get(concept, 0.0), weight * total / size)
            credit[concept] = max(credit.get(concept, 0.0), weight * present[position] / size)
        score = sum(self.concept_weight[c] * value for c, value in best.items())
        return score, sum(self.mass[c] * value for c, value in credit.items())


class _ExampleMatcher:
    """Scores examples against a plan in time proportional to the query terms an example contains."""

    def __init__(self, plan: QueryPlan) -> None:
        self.mass = [c.weight * c.idf for c in plan.concepts]
        self.total_mass = sum(self.mass) or 1.0
        self.single: dict[str, list[tuple[int, float]]] = {}
        self.multi: list[tuple[int, float, tuple[str, ...]]] = []
        for index, concept in enumerate(plan.concepts):
            for alternative in concept.alternatives:
                if len(alternative.terms) == 1:
                    self.single.setdefault(alternative.terms[0], []).append((index, alternative.weight))
                else:
                    self.multi.append((index, alternative.weight, alternative.terms))

    def coverage(self, present: set[str]) -> float:
        """Idf-weighted share of the query's concepts that an example (its terms `present`) mentions."""
        best: dict[int, float] = {}
        for term in present:
            for index, weight in self.single.get(term, ()):
                if weight > best.get(index, 0.0):
                    best[index] = weight
        for index, weight, terms in self.multi:
            if weight > best.get(index, 0.0) and all(t in present for t in terms):
                best[index] = weight
        return sum(self.mass[i] * w for i, w in best.items()) / self.total_mass


@lru_cache(maxsize=50_000)
def title_stems(title: str) -> list[str]:
    return [stem(w) for w in words(title) if w not in STOP_WORDS]


def _title_named_idf(plan: QueryPlan, title: str) -> float:
    """The summed idf of the title's words when the query has them consecutively ("git reset"), else 0."""
    title_terms = title_stems(title)
    if not title_terms or len(title_terms) > 4:
        return 0.0
    stems = [c.token.stem for c in plan.concepts]
    width = len(title_terms)
    if any(stems[i : i + width] == title_terms for i in range(len(stems) - width + 1)):
        return sum(plan.idf.get(t, 0.0) for t in title_terms)
    return 0.0


@dataclass(frozen=True)
class Prepared:
    """A candidate with its BM25F terms already computed (by `score_candidates` or an in-memory snapshot)."""

    candidate: Candidate
    term_score: dict[str, float]
    """idf * saturated pseudo-frequency of each query term the candidate contains."""
    examples: Sequence[frozenset[str]] | None = None
    """Analysed terms of each example; split from the candidate's fields when None."""
    named_idf: float | None = None
    """Evidence that the query names the lesson's title; computed from the title when None."""


def score_candidates(plan: QueryPlan, candidates: list[Candidate], stats: FieldStats) -> list[Scored]:
    """Score and sort candidates, best first (ties broken by lesson id so results are deterministic)."""
    wanted = plan.all_terms()
    prepared = []
    for candidate in candidates:
        pseudo = _pseudo_frequencies(wanted, candidate, stats)
        prepared.append(Prepared(candidate, {t: plan.idf[t] * f / (K1 + f) for t, f in pseudo.items()}))
    return score_prepared(plan, prepared)


def score_prepared(plan: QueryPlan, prepared: Iterable[Prepared]) -> list[Scored]:
    """BM25F plus best example, named title and prior; sorted best first, ties by lesson id."""
    total_mass = sum(c.weight * c.idf for c in plan.concepts) or 1.0
    wanted = plan.all_terms()
    matcher = _ExampleMatcher(plan)
    concepts = _ConceptScorer(plan)
    scored = []
    for item in prepared:
        candidate = item.candidate
        bm25f, matched_mass = concepts.score(item.term_score)
        examples = item.examples
        if examples is None:
            examples = [frozenset(line.split()) for line in candidate.example_terms()]
        best_index, best_coverage = None, 0.0
        for index, example_terms in enumerate(examples):
            present = wanted.intersection(example_terms)
            if not present:
                continue
            coverage = matcher.coverage(present)
            if coverage > best_coverage:
                best_index, best_coverage = index, coverage
        score = bm25f + BEST_EXAMPLE_WEIGHT * best_coverage * total_mass
        named = _title_named_idf(plan, candidate.title) if item.named_idf is None else item.named_idf
        score += TITLE_NAMED_BONUS * named
        score += candidate.prior * total_mass
        scored.append(Scored(candidate, score, matched_mass / total_mass, best_index))
    scored.sort(key=lambda s: (-s.score, s.candidate.lesson_id))
    return scored
