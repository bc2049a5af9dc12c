"""The planner visits candidates by descending bound, a chunk sorted at a time: the order of one sort."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from skillbite.domain.session_planner import _DescendingBounds

bounds = st.lists(
    st.one_of(st.floats(min_value=-1.0, max_value=1.0), st.just(np.inf), st.sampled_from([0.25, 0.5])),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(values=bounds, first=st.integers(min_value=1, max_value=50))
def test_positions_come_largest_bound_first_whatever_the_chunk(values: list[float], first: int) -> None:
    array = np.array(values, dtype=np.float64)
    order = _DescendingBounds(array, first)
    taken = []
    while (peeked := order.peek()) is not None:
        position = order.take()
        assert peeked == array[position]
        taken.append(position)
    assert sorted(taken) == list(range(len(values)))  # each position once
    assert [array[p] for p in taken] == sorted(values, reverse=True)
