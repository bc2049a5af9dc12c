"""The bounded LRU map behind the learner view cache: it never holds more than its bound, and it drops the
entry used least recently."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillbite.services.view_cache import LruCache


@given(st.integers(min_value=1, max_value=8), st.lists(st.integers(min_value=0, max_value=20), max_size=60))
def test_never_more_entries_than_the_bound_and_the_newest_are_kept(bound: int, keys: list[int]) -> None:
    cache: LruCache[int, str] = LruCache(bound)
    for key in keys:
        cache.put(key, str(key))
        assert len(cache) <= bound
    recent = list(dict.fromkeys(reversed(keys)))[:bound]
    assert all(cache.get(key) == str(key) for key in recent)


def test_a_read_keeps_an_entry_and_the_least_recently_used_goes() -> None:
    cache: LruCache[str, int] = LruCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)


def test_get_or_compute_computes_once_and_counts_hits() -> None:
    cache: LruCache[str, int] = LruCache(4)
    calls: list[str] = []
    for _ in range(3):
        assert cache.get_or_compute("x", lambda: calls.append("x") or 7) == 7
    assert calls == ["x"]
    assert (cache.hits, cache.misses) == (2, 1)


def test_a_cache_holds_at_least_one_entry() -> None:
    with pytest.raises(ValueError, match="at least one entry"):
        LruCache[str, int](0)
