"""Stages one and two of the tracing fit: base rates and the global weights (pure numpy, no I/O).

The features come from the production tracer itself (`KnowledgeTracer.features`, and
`KnowledgeTracer.counts_on` for the transfer terms), so what is fitted is exactly what the domain model
computes. Three stages: each skill's base rate (a count), the global weights (`fit_global`, Newton's method
on the L2-penalised mean log loss), then each skill's own terms with the global model as a fixed offset
(`skillbite.domain.tracing_fit_skills.fit_skill_terms`); `skillbite.domain.tracing_fit` runs all three.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from skillbite.domain.ids import SkillId
from skillbite.domain.knowledge_tracing import (
    FEATURE_NAMES,
    MONOTONE_SIGNS,
    N_FEATURES,
    KnowledgeTracer,
    TracingParams,
)

AnswerSequence = Sequence[tuple[SkillId, bool]]
"""One learner's answers in time order: (skill, correct)."""
Floats = npt.NDArray[np.float64]

GLOBAL_L2 = 1e-5
"""L2 penalty on the standardised global weights (chosen on the ASSIST2015 validation split)."""


def base_rates(learners: Iterable[AnswerSequence]) -> TracingParams:
    """Stage one: each skill's base log-odds of a right answer, counted over all answers (smoothed)."""
    right: dict[SkillId, int] = defaultdict(int)
    wrong: dict[SkillId, int] = defaultdict(int)
    for sequence in learners:
        for skill, correct in sequence:
            (right if correct else wrong)[skill] += 1
    logits = {s: math.log((right[s] + 1) / (wrong[s] + 1)) for s in set(right) | set(wrong)}
    overall = math.log((sum(right.values()) + 1) / (sum(wrong.values()) + 1))
    return TracingParams(
        bias=0.0, weights=(0.0,) * N_FEATURES, base_logits=logits, default_base_logit=overall
    )


class Design:
    """Feature matrix of every answer (the features seen just before it), its skill and its outcome, and
    `transfer`: per answer, log(1 + right) then log(1 + wrong) answers on every skill (skill_names order)."""

    def __init__(self, learners: Sequence[AnswerSequence], base: TracingParams) -> None:
        self.base = base
        self.skill_names: list[SkillId] = sorted({skill for sequence in learners for skill, _ in sequence})
        index = {name: i for i, name in enumerate(self.skill_names)}
        n_skills = len(self.skill_names)
        n_rows = sum(len(sequence) for sequence in learners)
        self.x: Floats = np.empty((n_rows, N_FEATURES), dtype=np.float64)
        self.skill: npt.NDArray[np.int64] = np.empty(n_rows, dtype=np.int64)
        self.y: Floats = np.empty(n_rows, dtype=np.float64)
        # float32: this matrix is answers x 2 skills wide, the largest thing the fit holds.
        self.transfer: npt.NDArray[np.float32] = np.zeros((n_rows, 2 * n_skills), dtype=np.float32)
        row = 0
        for sequence in learners:
            tracer = KnowledgeTracer(base)
            state = np.zeros(2 * n_skills, dtype=np.float32)
            for skill, correct in sequence:
                k = index[skill]
                self.x[row] = tracer.features(skill)
                self.skill[row], self.y[row] = k, correct
                self.transfer[row] = state
                tracer.observe(skill, correct)
                successes, failures = tracer.counts_on(skill)
                state[k], state[n_skills + k] = math.log1p(successes), math.log1p(failures)
                row += 1


def fit_global(
    design: Design, *, l2: float = GLOBAL_L2, iterations: int = 25, monotone: bool = True
) -> TracingParams:
    """The global weights: Newton's method on the L2-penalised mean log loss of standardised features, under
    the signs of MONOTONE_SIGNS. Signs are kept by an active set: a weight whose sign is wrong is fixed at 0
    and the rest refitted, until none is wrong."""
    x, y = design.x, design.y
    n = len(y)
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std < 1e-9] = 1.0
    g = np.hstack([np.ones((n, 1)), (x - mean) / std])
    size = g.shape[1]
    penalty = np.concatenate([[0.0], np.full(size - 1, l2)])
    theta = np.zeros(size)
    rate = min(max(float(y.mean()), 1e-3), 1 - 1e-3)  # all right (or all wrong) must not start at infinity
    theta[0] = math.log(rate / (1 - rate))
    signs = np.array(
        [np.nan if MONOTONE_SIGNS[f] is None else MONOTONE_SIGNS[f] for f in FEATURE_NAMES], dtype=np.float64
    )
    if not monotone:
        signs[:] = np.nan
    frozen = np.zeros(size, dtype=bool)
    frozen[1:] = signs == 0
    for _round in range(N_FEATURES):
        theta = _newton(theta, frozen, g, y, penalty, iterations)
        wrong = np.flatnonzero(theta[1:] * np.nan_to_num(signs) < 0)
        if len(wrong) == 0:
            break
        frozen[1 + wrong] = True
        theta[1 + wrong] = 0.0
    weights = theta[1:] / std
    bias = float(theta[0] - (theta[1:] * mean / std).sum())
    return TracingParams(
        bias=bias,
        weights=tuple(float(w) for w in weights),
        base_logits=design.base.base_logits,
        default_base_logit=design.base.default_base_logit,
    )


def _newton(
    theta: Floats, frozen: npt.NDArray[np.bool_], g: Floats, y: Floats, penalty: Floats, iterations: int
) -> Floats:
    n = len(y)

    def loss(t: Floats) -> float:
        z = g @ t
        return float(np.mean(np.logaddexp(0, z) - y * z) + (penalty * t * t).sum())

    current = loss(theta)
    for _ in range(iterations):
        q = 1 / (1 + np.exp(-(g @ theta)))
        grad = g.T @ ((q - y) / n) + 2 * penalty * theta
        hess = (g * (q * (1 - q) / n)[:, None]).T @ g
        hess[np.diag_indices(len(theta))] += 2 * penalty
        grad[frozen] = 0.0  # a frozen weight stays where it is (0)
        hess[frozen, :] = 0.0
        hess[:, frozen] = 0.0
        hess[frozen, frozen] = 1.0
        step = np.linalg.solve(hess, grad)
        for _halving in range(10):  # damped Newton: never accept a step that raises the loss
            candidate = theta - step
            value = loss(candidate)
            if value <= current:
                break
            step /= 2
        converged = current - value < 1e-9
        theta, current = candidate, min(value, current)
        if converged:
            break
    return theta
