"""The planner's cheap gain bound: never below the exact gain (an fsrs-rs step), and tight."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from skillbite.domain.memory import DEFAULT_PARAMS, Params
from skillbite.domain.review_gain import WHOLE_DAY_TOLERANCE, GainCurve, gain_upper_bounds

# Weights anywhere from a third to three times the defaults: beyond fsrs-rs's own ranges too, which it clips.
param_sets = st.lists(st.floats(min_value=1 / 3, max_value=3.0), min_size=21, max_size=21).map(
    lambda scales: tuple(w * k for w, k in zip(DEFAULT_PARAMS, scales, strict=True))
)
params_used = st.one_of(st.just(DEFAULT_PARAMS), param_sets)
stabilities = st.floats(min_value=0.001, max_value=36_500.0)
difficulties = st.floats(min_value=1.0, max_value=10.0)
# Whole days matter: fsrs-rs sees the whole days elapsed, and same-day reviews follow another formula.
elapsed_days = st.one_of(
    st.floats(min_value=0.0, max_value=3_000.0),
    st.integers(min_value=0, max_value=400).map(float),
    st.floats(min_value=0.0, max_value=1.0),
)


def bound_and_exact(
    params: Params, stability: float, difficulty: float, elapsed: float
) -> tuple[float, float]:
    curve = GainCurve(params)
    bound = gain_upper_bounds(curve, np.array([stability]), np.array([difficulty]), np.array([elapsed]))[0]
    return float(bound), curve.gain(stability, difficulty, elapsed)[1]


@settings(max_examples=2_000, deadline=None)
@given(params=params_used, stability=stabilities, difficulty=difficulties, elapsed=elapsed_days)
def test_the_bound_is_never_below_the_exact_gain(
    params: Params, stability: float, difficulty: float, elapsed: float
) -> None:
    bound, exact = bound_and_exact(params, stability, difficulty, elapsed)
    # 1e-12: numpy and Python may round a power differently in the last bit; the planner allows 1e-9/s.
    assert bound >= exact - 1e-12, (bound, exact)


@settings(max_examples=500, deadline=None)
@given(
    params=params_used,
    stability=stabilities,
    difficulty=difficulties,
    elapsed=st.floats(min_value=0.0, max_value=3_000.0),
)
def test_the_bound_is_tight_away_from_whole_days(
    params: Params, stability: float, difficulty: float, elapsed: float
) -> None:
    bound, exact = bound_and_exact(params, stability, difficulty, elapsed)
    if abs(elapsed - round(elapsed)) < WHOLE_DAY_TOLERANCE:
        assert math.isinf(bound)  # the day count fsrs-rs uses could round either way: evaluated exactly
        return
    # STABILITY_MARGIN (0.1%) moves a recall probability by far less than this: a looser bound would send
    # hundreds more items through fsrs-rs on a backlog day.
    assert bound - exact <= 2e-3, (bound, exact)


def test_states_outside_fsrs_ranges_get_no_bound() -> None:
    curve = GainCurve(DEFAULT_PARAMS)
    bounds = gain_upper_bounds(
        curve,
        np.array([0.0005, 50_000.0, 10.0, 10.0]),
        np.array([5.0, 5.0, 0.5, 11.0]),
        np.array([3.5, 3.5, 3.5, 3.5]),
    )
    assert np.isinf(bounds).all()
