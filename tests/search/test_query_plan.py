"""Query planning against a vocabulary: idf, quoted values, numbers and typo corrections."""

from __future__ import annotations

from collections.abc import Iterable

from skillbite.search.query import QUOTED_WEIGHT, SYNONYM_WEIGHT, plan_query


class FakeVocabulary:
    def __init__(self, frequencies: dict[str, int], documents: int = 100) -> None:
        self.frequencies = frequencies
        self.documents = documents

    def document_count(self) -> int:
        return self.documents

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        return {t: self.frequencies[t] for t in terms if t in self.frequencies}

    def terms_with_prefix(self, prefix: str) -> dict[str, int]:
        return {t: df for t, df in self.frequencies.items() if t.startswith(prefix)}


VOCABULARY = FakeVocabulary({"remov": 30, "directori": 20, "archiv": 5, "extract": 8, "port": 4, "list": 50})


def test_synonyms_are_weighted_alternatives() -> None:
    plan = plan_query("delete a folder", VOCABULARY)
    delete, folder = plan.concepts
    assert ("remov",) in [a.terms for a in delete.alternatives if a.weight == SYNONYM_WEIGHT]
    assert ("directori",) in [a.terms for a in folder.alternatives]
    assert plan.corrections == {}


def test_rarer_terms_weigh_more() -> None:
    plan = plan_query("list archive", VOCABULARY)
    assert plan.idf["archiv"] > plan.idf["list"]


def test_quoted_values_and_numbers_weigh_less() -> None:
    plan = plan_query('open port 8080 for "archive"', VOCABULARY)
    weights = {c.token.surface: c.weight for c in plan.concepts}
    assert weights == {"open": 1.0, "port": 1.0, "8080": QUOTED_WEIGHT, "archive": QUOTED_WEIGHT}


def test_unknown_long_word_is_corrected() -> None:
    plan = plan_query("directroy", VOCABULARY)
    assert plan.corrections == {"directroy": "directori"}
    assert any(a.terms == ("directori",) for a in plan.concepts[0].alternatives)


def test_known_words_are_never_corrected() -> None:
    assert plan_query("list archive", VOCABULARY).corrections == {}
