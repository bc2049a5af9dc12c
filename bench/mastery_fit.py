"""Fit skillbite's knowledge-tracing parameters on a training split (numpy, bench only).

The features come from the production tracer itself (`KnowledgeTracer.features` and
`KnowledgeTracer.counts_on` for the transfer terms), so what is fitted here is exactly what the domain model
computes. Three stages: each skill's base rate (a count), the global weights (`fit`, Newton's method on the
L2-penalised mean log loss), then each skill's own terms with the global model as a fixed offset
(`mastery_fit_skills.fit_skill_terms`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

import mastery_fit_skills
from mastery_data import Sequence_
from skillbite.domain.ids import SkillId
from skillbite.domain.knowledge_tracing import (
    FEATURE_NAMES,
    MONOTONE_SIGNS,
    N_FEATURES,
    KnowledgeTracer,
    TracingParams,
)


def base_logits(learners: Iterable[Sequence_]) -> TracingParams:
    """Stage one: each skill's base log-odds of a right answer, counted over all training answers."""
    right: dict[str, int] = defaultdict(int)
    wrong: dict[str, int] = defaultdict(int)
    for sequence in learners:
        for skill, correct in sequence:
            (right if correct else wrong)[skill] += 1
    logits = {SkillId(s): math.log((right[s] + 1) / (wrong[s] + 1)) for s in set(right) | set(wrong)}
    overall = math.log((sum(right.values()) + 1) / (sum(wrong.values()) + 1))
    return TracingParams(
        bias=0.0, weights=(0.0,) * N_FEATURES, base_logits=logits, default_base_logit=overall
    )


class Design:
    """Feature matrix of every answer (the features seen just before it), its skill and its outcome, and
    `transfer`: per answer, log(1 + right) then log(1 + wrong) answers on every skill (skill_names order)."""

    def __init__(self, learners: list[Sequence_], base: TracingParams) -> None:
        self.base = base
        self.skill_names = sorted({skill for sequence in learners for skill, _ in sequence})
        index = {name: i for i, name in enumerate(self.skill_names)}
        n_skills = len(self.skill_names)
        n_rows = sum(len(sequence) for sequence in learners)
        self.x = np.empty((n_rows, N_FEATURES), dtype=np.float64)
        self.skill = np.empty(n_rows, dtype=np.int64)
        self.y = np.empty(n_rows, dtype=np.float64)
        self.transfer = np.zeros((n_rows, 2 * n_skills), dtype=np.float32)
        row = 0
        for sequence in learners:
            tracer = KnowledgeTracer(base)
            state = np.zeros(2 * n_skills, dtype=np.float32)
            for skill, correct in sequence:
                k = index[skill]
                self.x[row] = tracer.features(SkillId(skill))
                self.skill[row], self.y[row] = k, correct
                self.transfer[row] = state
                tracer.observe(SkillId(skill), correct)
                successes, failures = tracer.counts_on(SkillId(skill))
                state[k], state[n_skills + k] = math.log1p(successes), math.log1p(failures)
                row += 1


def fit(design: Design, *, l2: float = 1e-5, iterations: int = 25, monotone: bool = True) -> TracingParams:
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
    theta[0] = np.log(y.mean() / (1 - y.mean()))
    signs = np.array([np.nan if MONOTONE_SIGNS[f] is None else MONOTONE_SIGNS[f] for f in FEATURE_NAMES])
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
    theta: np.ndarray, frozen: np.ndarray, g: np.ndarray, y: np.ndarray, penalty: np.ndarray, iterations: int
) -> np.ndarray:
    n = len(y)

    def loss(t: np.ndarray) -> float:
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


def fit_on(learners: list[Sequence_], *, per_skill: bool = True) -> TracingParams:
    """All stages on one training split. Without per-skill terms, skills get no base rate either (as in
    production before any skill has data), so the global weights are fitted on the features they will see."""
    base = base_logits(learners)
    if not per_skill:
        base = TracingParams(bias=0.0, weights=base.weights, default_base_logit=base.default_base_logit)
    design = Design(learners, base)
    global_params = fit(design)
    if not per_skill:
        return global_params
    return mastery_fit_skills.fit_skill_terms(design, global_params)
