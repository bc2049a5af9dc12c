"""Expected retention gain of reviewing an item now: exact (one FSRS step) and a vectorised upper bound.

gain = R_after(H) - R_without(H) (docs/learning-engine.md, "Session planner"): R_without(H) is the recall
probability H days from now if the item is left alone, R_after(H) the expected one if it is reviewed now
(recalled with probability R_now, then stability S_good; forgotten otherwise, then S_again).

The exact gain takes S_good and S_again from fsrs-rs `next_states`, a few microseconds per item. The
session planner needs the best few dozen of thousands of overdue items, so `gain_upper_bounds` computes, for
all of them at once with numpy, a value never below the exact gain: the FSRS-6 stability formulas restated
in float64, each stability raised by STABILITY_MARGIN (fsrs-rs computes in 32-bit floats: measured within
6e-6 of the restatement), and R_after is increasing in both stabilities. Items whose bound cannot be trusted
(elapsed time within a hair of a whole day, where the day count FSRS uses could round either way, or states
outside FSRS's own ranges) get +inf, so the planner evaluates them exactly. A hypothesis test checks the
bound against fsrs-rs over random states and parameter sets (tests/domain/test_session_planner_bound.py).
"""

from __future__ import annotations

import math
from datetime import datetime

import fsrs_rs_python as fsrs
import numpy as np
import numpy.typing as npt

from skillbite.domain.memory import SECONDS_PER_DAY, MemoryState, Params, fsrs_model, recall_probability

GAIN_HORIZON_DAYS = 30.0
STABILITY_MARGIN = 1e-3
"""Relative headroom on the restated stabilities: 150 times the largest gap to fsrs-rs measured."""
WHOLE_DAY_TOLERANCE = 1e-9
"""Days (about 0.1 ms): an elapsed time this close to a whole number of days gets no bound."""
FSRS_MIN_STABILITY, FSRS_MAX_STABILITY = 0.001, 36_500.0
FSRS_MIN_DIFFICULTY, FSRS_MAX_DIFFICULTY = 1.0, 10.0
FSRS_PARAMETER_RANGES: tuple[tuple[float, float], ...] = (
    *[(0.001, 100.0)] * 4,
    (1.0, 10.0),
    (0.001, 4.0),
    (0.001, 4.0),
    (0.001, 0.75),
    (0.0, 4.5),
    (0.0, 0.8),
    (0.001, 3.5),
    (0.001, 5.0),
    (0.001, 0.25),
    (0.001, 0.9),
    (0.0, 4.0),
    (0.0, 1.0),
    (1.0, 6.0),
    (0.0, 2.0),
    (0.0, 2.0),
    (0.0, 0.8),
    (0.1, 0.8),
)
"""fsrs-rs clips every weight into these ranges before using it (each checked against fsrs-rs-python 0.9.3);
the restated formulas must use the weights fsrs-rs uses."""

FloatArray = npt.NDArray[np.float64]


class GainCurve:
    """The forgetting curve and FSRS model of one parameter set, set up once per plan."""

    def __init__(self, params: Params, horizon_days: float = GAIN_HORIZON_DAYS) -> None:
        self.params = params
        self.decay = params[20]
        self.factor = 0.9 ** (-1.0 / self.decay) - 1.0
        self.horizon = horizon_days
        self.model = fsrs_model(params)

    def recall(self, stability: float, elapsed_days: float) -> float:
        return float((1.0 + self.factor * elapsed_days / stability) ** -self.decay)

    def gain(self, stability: float, difficulty: float, elapsed_days: float) -> tuple[float, float]:
        """(recall now, retention gain at the horizon if reviewed now); fsrs-rs sees whole elapsed days."""
        recall_now = self.recall(stability, elapsed_days)
        without = self.recall(stability, elapsed_days + self.horizon)
        states = self.model.next_states(fsrs.MemoryState(stability, difficulty), 0.9, int(elapsed_days))
        s_good, s_again = states.good.memory.stability, states.again.memory.stability
        after = recall_now * self.recall(s_good, self.horizon) + (1.0 - recall_now) * self.recall(
            s_again, self.horizon
        )
        return recall_now, after - without

    def recall_array(self, stability: FloatArray, elapsed_days: FloatArray) -> FloatArray:
        result: FloatArray = (1.0 + self.factor * elapsed_days / stability) ** -self.decay
        return result


def elapsed_days(state: MemoryState, now: datetime) -> float:
    return max((now - state.last_review).total_seconds() / SECONDS_PER_DAY, 0.0)


def retention_gain(
    state: MemoryState, now: datetime, params: Params, horizon_days: float = GAIN_HORIZON_DAYS
) -> float:
    """Expected recall probability at now + horizon if reviewed now, minus if left alone (exact)."""
    return GainCurve(params, horizon_days).gain(state.stability, state.difficulty, elapsed_days(state, now))[
        1
    ]


def new_item_gain(params: Params, first_try_recall: float, horizon_days: float = GAIN_HORIZON_DAYS) -> float:
    """Expected recall at the horizon of an item seen for the first time now (it counted 0 before)."""
    good, again = params[2], params[0]
    return first_try_recall * recall_probability(good, horizon_days, params) + (1.0 - first_try_recall) * (
        recall_probability(again, horizon_days, params)
    )


def gain_upper_bounds(
    curve: GainCurve, stability: FloatArray, difficulty: FloatArray, elapsed_days: FloatArray
) -> FloatArray:
    """Per item, a value at or above `curve.gain(...)[1]` (+inf where no bound is trusted); see module doc.

    FSRS-6 as fsrs-rs computes it, from R at the whole days elapsed (t):
    after a recall on a later day S_good = S * (1 + e^w8 * (11 - D) * S^-w9 * (e^(w10 (1 - R)) - 1)),
    after a lapse S_again = min(w11 * D^-w12 * ((S + 1)^w13 - 1) * e^(w14 (1 - R)), S / e^(w17 w18));
    on the same day (t = 0) S_good = S * max(e^(w17 w18) * S^-w19, 1) and
    S_again = S * e^(w17 (w18 - 2)) * S^-w19; both clamped to fsrs-rs's stability range.
    """
    w = [
        min(max(weight, low), high)
        for weight, (low, high) in zip(curve.params, FSRS_PARAMETER_RANGES, strict=True)
    ]
    fsrs_factor = 0.9 ** (-1.0 / w[20]) - 1.0
    with np.errstate(all="ignore"):  # out-of-range states give inf or nan here and +inf below
        elapsed = np.maximum(elapsed_days, 0.0)
        whole_days = np.floor(elapsed)
        recall_now = curve.recall_array(stability, elapsed)
        without = curve.recall_array(stability, elapsed + curve.horizon)
        recall_fsrs = (1.0 + fsrs_factor * whole_days / stability) ** -w[20]
        later_good = stability * (
            1.0
            + math.exp(w[8])
            * (11.0 - difficulty)
            * stability ** -w[9]
            * (np.exp(w[10] * (1.0 - recall_fsrs)) - 1.0)
        )
        later_again = np.minimum(
            w[11]
            * difficulty ** -w[12]
            * ((stability + 1.0) ** w[13] - 1.0)
            * np.exp(w[14] * (1.0 - recall_fsrs)),
            stability / math.exp(w[17] * w[18]),
        )
        short_term = stability ** -w[19]
        same_day_good = stability * np.maximum(math.exp(w[17] * w[18]) * short_term, 1.0)
        same_day_again = stability * math.exp(w[17] * (w[18] - 2.0)) * short_term
        same_day = whole_days == 0.0
        s_good = np.where(same_day, same_day_good, later_good)
        s_again = np.where(same_day, same_day_again, later_again)
        s_good = np.clip(s_good, FSRS_MIN_STABILITY, FSRS_MAX_STABILITY) * (1.0 + STABILITY_MARGIN)
        s_again = np.clip(s_again, FSRS_MIN_STABILITY, FSRS_MAX_STABILITY) * (1.0 + STABILITY_MARGIN)
        horizon = np.full_like(stability, curve.horizon)
        after = recall_now * curve.recall_array(s_good, horizon) + (1.0 - recall_now) * curve.recall_array(
            s_again, horizon
        )
        bounds: FloatArray = after - without
    untrusted = (
        ~np.isfinite(bounds)
        | (np.abs(elapsed - np.round(elapsed)) < WHOLE_DAY_TOLERANCE)
        | (stability < FSRS_MIN_STABILITY)
        | (stability > FSRS_MAX_STABILITY)
        | (difficulty < FSRS_MIN_DIFFICULTY)
        | (difficulty > FSRS_MAX_DIFFICULTY)
    )
    bounds[untrusted] = np.inf
    return bounds
