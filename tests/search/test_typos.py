"""Typo tolerance: edit distance, one-edit variants and the conservative choice of a correction."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from skillbite.search.typos import best_correction, correctable, edit_distance, one_edit_variants

lower_words = st.text(alphabet="abcdefghij", min_size=0, max_size=8)


@given(lower_words, lower_words)
@settings(deadline=None)  # timing on a loaded CI machine is not the behaviour under test
def test_distance_is_symmetric_and_zero_only_for_equal_words(a: str, b: str) -> None:
    assert edit_distance(a, b) == edit_distance(b, a)
    assert (edit_distance(a, b) == 0) == (a == b)


@given(st.text(alphabet="abcdefghij", min_size=1, max_size=8))
@settings(deadline=None, max_examples=50)
def test_every_variant_is_one_edit_away(word: str) -> None:
    assert all(edit_distance(word, variant) == 1 for variant in one_edit_variants(word))


def test_swaps_count_as_one_edit() -> None:
    assert edit_distance("directroy", "directory") == 1
    assert edit_distance("directroy", "directori") == 2


def test_short_words_are_corrected_only_for_swapped_letters() -> None:
    assert best_correction("lsit", {"list": 40, "lit": 3}) == "list"
    assert best_correction("bread", {"read": 80}) is None
    assert best_correction("permis", {"permiss": 12, "permit": 3}) == "permiss"  # stem of "permision"


def test_closest_then_most_frequent() -> None:
    assert best_correction("compresss", {"compress": 5, "compresses": 90}) == "compresses"  # both 1 edit
    assert best_correction("compresss", {"compress": 5, "compressed": 90}) == "compress"
    assert best_correction("archivx", {"archive": 5, "archived": 9}) == "archive"


def test_only_plain_words_are_corrected() -> None:
    assert correctable("archvie")
    assert not correctable("file.txt")
    assert not correctable("8080")
    assert not correctable("ls")
