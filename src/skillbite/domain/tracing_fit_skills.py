"""Stage three of the tracing fit: each skill's own terms, the global model being a fixed offset (pure numpy).

For a skill with at least MIN_ANSWERS_PER_SKILL answers, one logistic regression on its answers only: an
intercept (difficulty), extra weights on the PER_SKILL_FEATURES and transfer weights on the learner's record
on every skill (log(1 + right), log(1 + wrong) answers on it; on all answers, and again on first attempts).
Its offset is the global model's log-odds, so a skill without data keeps the global model. Skills are
independent given the offset, so each is a small Newton problem (a few hundred unknowns), whatever the number
of skills.

Monotonicity is a box constraint: a per-skill weight keeps the global weight plus it at the sign of
MONOTONE_SIGNS; a transfer weight on successes stays >= 0, on failures <= 0. Kept by an active set: a
weight that leaves its box is put on the bound and frozen, and the rest refitted.

Penalties (L2, on the raw scale, mean log loss): L2_LOCAL on per-skill weights, L2_TRANSFER on transfer
weights, chosen on a validation split of the training data (ASSISTments 2015 fold 0; 2009: 20% of learners).
"""

from __future__ import annotations

import numpy as np

from skillbite.domain.ids import SkillId
from skillbite.domain.knowledge_tracing import (
    FEATURE_NAMES,
    MONOTONE_SIGNS,
    PER_SKILL_FEATURES,
    SkillTerms,
    TracingParams,
    Transfer,
)
from skillbite.domain.tracing_fit_global import Design, Floats

MIN_ANSWERS_PER_SKILL = 50
"""A skill with fewer answers keeps the global model (too few answers to fit its own terms)."""
L2_INTERCEPT = 1e-6
L2_LOCAL = 3e-3
L2_TRANSFER = 1e-2


def _bounds(global_weights: Floats, n_transfer: int) -> tuple[Floats, Floats]:
    """Box for [intercept, per-skill weights, transfer weights (successes..., failures..., first_successes...,
    first_failures...)]."""
    signs = [MONOTONE_SIGNS[FEATURE_NAMES[i]] for i in PER_SKILL_FEATURES]
    gw = global_weights[list(PER_SKILL_FEATURES)]
    inf = float("inf")
    low = [-inf] + [-float(w) if s is not None and s >= 0 else -inf for w, s in zip(gw, signs, strict=True)]
    high = [inf] + [-float(w) if s is not None and s <= 0 else inf for w, s in zip(gw, signs, strict=True)]
    quarter = n_transfer // 4
    low += ([0.0] * quarter + [-inf] * quarter) * 2
    high += ([inf] * quarter + [0.0] * quarter) * 2
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)


def _fit_one(
    f: Floats,
    offset: Floats,
    y: Floats,
    low: Floats,
    high: Floats,
    penalty: Floats,
    iterations: int = 20,
) -> Floats:
    """Damped Newton with an active set for the box [low, high]."""
    n, d = f.shape
    theta: Floats = np.clip(np.zeros(d), low, high)
    frozen = f.std(axis=0) < 1e-12
    frozen[0] = False
    frozen |= low == high

    def loss(t: Floats) -> float:
        z = offset + f @ t
        return float(np.mean(np.logaddexp(0, z) - y * z) + (penalty * t * t).sum())

    for _round in range(20):
        current = loss(theta)
        for _ in range(iterations):
            q = 1 / (1 + np.exp(-np.clip(offset + f @ theta, -30, 30)))
            grad = f.T @ (q - y) / n + 2 * penalty * theta
            hess = (f * (q * (1 - q) / n)[:, None]).T @ f
            hess[np.diag_indices(d)] += 2 * penalty + 1e-9
            grad[frozen] = 0.0
            hess[frozen, :] = 0.0
            hess[:, frozen] = 0.0
            hess[frozen, frozen] = 1.0
            step = np.linalg.solve(hess, grad)
            for _halving in range(10):
                value = loss(theta - step)
                if value <= current:
                    break
                step /= 2
            theta, done = theta - step, current - value < 1e-9
            current = min(value, current)
            if done:
                break
        outside = ((theta < low - 1e-12) | (theta > high + 1e-12)) & ~frozen
        if not outside.any():
            break
        theta = np.clip(theta, low, high)
        frozen |= outside
    clipped: Floats = np.clip(theta, low, high)
    return clipped


def fit_skill_terms(
    design: Design,
    global_params: TracingParams,
    *,
    l2_local: float = L2_LOCAL,
    l2_transfer: float = L2_TRANSFER,
    min_answers: int = MIN_ANSWERS_PER_SKILL,
) -> TracingParams:
    """`global_params` plus fitted SkillTerms for every skill with at least `min_answers` answers."""
    weights = np.asarray(global_params.weights, dtype=np.float64)
    offset = global_params.bias + design.x @ weights
    n_skills = len(design.skill_names)
    low, high = _bounds(weights, 4 * n_skills)
    first_attempt = FEATURE_NAMES.index("first_attempt")
    order = np.argsort(design.skill, kind="stable")
    present, starts = np.unique(design.skill[order], return_index=True)
    ends = [*starts[1:], len(order)]
    local = list(PER_SKILL_FEATURES)
    skills: dict[SkillId, SkillTerms] = {}
    for k, start, end in zip(present, starts, ends, strict=True):
        if end - start < min_answers:
            continue
        rows = order[start:end]
        transfer = design.transfer[rows]
        transfer = np.hstack([transfer, transfer * design.x[rows][:, first_attempt : first_attempt + 1]])
        used = np.flatnonzero(transfer.any(axis=0))  # only sources these learners practised
        f = np.hstack([np.ones((len(rows), 1)), design.x[rows][:, local], transfer[:, used]])
        columns = np.concatenate([np.arange(1 + len(local)), 1 + len(local) + used])
        penalty = np.concatenate(
            [[L2_INTERCEPT], np.full(len(local), l2_local), np.full(len(used), l2_transfer)]
        )
        theta = _fit_one(f, offset[rows], design.y[rows], low[columns], high[columns], penalty)
        per_source: dict[int, list[float]] = {}
        for value, column in zip(theta[1 + len(local) :], used, strict=True):
            if value != 0.0:
                four = per_source.setdefault(int(column % n_skills), [0.0, 0.0, 0.0, 0.0])
                four[int(column // n_skills)] = float(value)
        skills[design.skill_names[int(k)]] = SkillTerms(
            intercept=float(theta[0]),
            weights=tuple(float(v) for v in theta[1 : 1 + len(local)]),
            transfer={
                design.skill_names[source]: Transfer(*four) for source, four in sorted(per_source.items())
            },
        )
    return TracingParams(
        bias=global_params.bias,
        weights=global_params.weights,
        skills=skills,
        base_logits=global_params.base_logits,
        default_base_logit=global_params.default_base_logit,
    )
