"""From a question in plain words to a query plan: concepts, each with weighted alternative terms.

A concept is one content word the learner typed. Its alternatives are the word's own stem (weight 1), its
compound parts, its synonyms and paraphrases (weighted lower: they are guesses), and, when the word is not
in the index vocabulary at all, the closest vocabulary word by edit distance (a typo correction).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from skillbite.search.analyzer import Token, query_tokens, stem
from skillbite.search.synonyms import paraphrases_of, synonyms_of
from skillbite.search.typos import MIN_LENGTH_FOR_TWO_EDITS, best_correction, correctable, one_edit_variants

SYNONYM_WEIGHT = 0.6
PARAPHRASE_WEIGHT = 0.7
PARTS_WEIGHT = 0.6
TYPO_WEIGHT = 0.8
QUOTED_WEIGHT = 0.35
"""Quoted text and bare numbers in a request are mostly values (a file name, a port), rarely the intent."""


class Vocabulary(Protocol):
    """What query planning needs to know about the indexed terms of one organisation."""

    def document_count(self) -> int: ...

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """Document frequency of each given term that occurs in the index (absent terms are left out)."""
        ...

    def terms_with_prefix(self, prefix: str) -> dict[str, int]: ...


@dataclass(frozen=True)
class Alternative:
    terms: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class Concept:
    token: Token
    weight: float
    alternatives: tuple[Alternative, ...]
    idf: float
    """Rarity of the concept's best-known form: how much matching it is worth (unknown words count most)."""


@dataclass(frozen=True)
class QueryPlan:
    text: str
    concepts: tuple[Concept, ...]
    idf: dict[str, float]
    frequencies: dict[str, int]
    document_count: int
    corrections: dict[str, str]
    surface_words: tuple[str, ...]

    def all_terms(self) -> set[str]:
        return {t for c in self.concepts for a in c.alternatives for t in a.terms if t in self.idf}


def bm25_idf(df: int, n: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def _alternatives(token: Token) -> list[Alternative]:
    alternatives = [Alternative((token.stem,), 1.0)]
    parts = [stem(p) for p in re.split(r"[-_.]", token.surface) if p]
    if len(parts) > 1:
        alternatives.append(Alternative(tuple(parts), PARTS_WEIGHT))
    for synonym in sorted(synonyms_of(token.stem)):
        alternatives.append(Alternative((synonym,), SYNONYM_WEIGHT))
    for phrase in paraphrases_of(token.stem):
        if phrase:
            alternatives.append(Alternative(phrase, PARAPHRASE_WEIGHT))
    return alternatives


def plan_query(text: str, vocabulary: Vocabulary) -> QueryPlan:
    """Analyse `text` and look its terms up in the vocabulary: idf per term, typo corrections."""
    tokens = _deduplicated(query_tokens(text))
    per_token = [_alternatives(token) for token in tokens]
    wanted = {t for alts in per_token for a in alts for t in a.terms}
    frequencies = vocabulary.document_frequencies(wanted)
    corrections: dict[str, str] = {}
    for token, alts in zip(tokens, per_token, strict=True):
        known = any(all(t in frequencies for t in a.terms) for a in alts)
        if known or not correctable(token.surface):
            continue
        corrected = _correct(token.surface, vocabulary)
        if corrected is not None:
            corrections[token.surface] = corrected[0]
            frequencies.update(corrected[1])
            alts.append(Alternative((corrected[0],), TYPO_WEIGHT))
    n = max(vocabulary.document_count(), 1)
    idf = {term: bm25_idf(df, n) for term, df in frequencies.items()}
    unknown_idf = bm25_idf(0, n)
    concepts = []
    for token, alts in zip(tokens, per_token, strict=True):
        own = idf.get(token.stem)
        if own is None:
            # A word the index has never seen: as rare as can be, unless a correction stands in for it.
            fixed = corrections.get(token.surface)
            own = idf.get(fixed, unknown_idf) if fixed else unknown_idf
        weight = QUOTED_WEIGHT if token.quoted or token.surface.isdigit() else 1.0
        concepts.append(Concept(token, weight, tuple(alts), own))
    return QueryPlan(
        text=text,
        concepts=tuple(concepts),
        idf=idf,
        frequencies=frequencies,
        document_count=n,
        corrections=corrections,
        surface_words=tuple(t.surface for t in tokens),
    )


def _deduplicated(tokens: list[Token]) -> list[Token]:
    seen: set[str] = set()
    unique = []
    for token in tokens:
        if token.stem not in seen:
            seen.add(token.stem)
            unique.append(token)
    return unique


def _correct(word: str, vocabulary: Vocabulary) -> tuple[str, dict[str, int]] | None:
    """The vocabulary term (a stem) closest to a word the index does not know, with its frequency.

    One edit away from the word's stem: generated and looked up at once. Two edits (long words only):
    compared against the terms sharing the stem's first three letters.
    """
    target = stem(word)
    found = vocabulary.document_frequencies(one_edit_variants(target))
    if not found and len(target) >= MIN_LENGTH_FOR_TWO_EDITS:
        found = vocabulary.terms_with_prefix(target[:3])
    best = best_correction(target, found)
    return (best, {best: found[best]}) if best else None
