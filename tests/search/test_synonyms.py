"""The synonym and paraphrase vocabulary links how people ask with how documentation says it."""

from __future__ import annotations

import pytest

from skillbite.search.analyzer import stem
from skillbite.search.synonyms import SYNONYM_GROUPS, paraphrases_of, synonyms_of


@pytest.mark.parametrize(
    ("word", "related"),
    [("undo", "revert"), ("undo", "reset"), ("delete", "remove"), ("show", "list"), ("folder", "directory")],
)
def test_groups_are_symmetric(word: str, related: str) -> None:
    assert stem(related) in synonyms_of(stem(word))
    assert stem(word) in synonyms_of(stem(related))


def test_a_word_is_not_its_own_synonym() -> None:
    for group in SYNONYM_GROUPS:
        for word in group:
            assert stem(word) not in synonyms_of(stem(word))


def test_paraphrases_are_analysed_phrases() -> None:
    assert ("extract", "archiv") in paraphrases_of(stem("untar"))
