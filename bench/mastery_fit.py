"""Fit skillbite's knowledge-tracing parameters on a training split (numpy, bench only).

The features come from the production tracer itself (`KnowledgeTracer.features`), so what is fitted here is
exactly what the domain model computes. The loss is the mean log loss with an L2 penalty (global features are
standardised first, so the penalty does not depend on their units).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from mastery_data import Sequence_
from skillbite.domain.ids import SkillId
from skillbite.domain.knowledge_tracing import (
    FEATURE_NAMES,
    MONOTONE_SIGNS,
    N_FEATURES,
    PER_SKILL_FEATURES,
    KnowledgeTracer,
    SkillTerms,
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
    """Feature matrix of every answer (the features seen just before it), its skill and its outcome."""

    def __init__(self, learners: Iterable[Sequence_], base: TracingParams) -> None:
        self.base = base
        rows: list[tuple[float, ...]] = []
        skills: list[str] = []
        outcomes: list[bool] = []
        for sequence in learners:
            tracer = KnowledgeTracer(base)
            for skill, correct in sequence:
                rows.append(tracer.features(SkillId(skill)))
                skills.append(skill)
                outcomes.append(correct)
                tracer.observe(SkillId(skill), correct)
        self.x = np.asarray(rows, dtype=np.float64).reshape(-1, N_FEATURES)
        self.skill_names = sorted(set(skills))
        index = {name: i for i, name in enumerate(self.skill_names)}
        self.skill = np.fromiter((index[s] for s in skills), dtype=np.int64, count=len(skills))
        self.y = np.asarray(outcomes, dtype=np.float64)


def fit(
    design: Design,
    *,
    per_skill: bool = True,
    l2_global: float = 1e-5,
    l2_skill: float = 1e-5,
    iterations: int = 25,
    monotone: bool = True,
) -> TracingParams:
    """Newton's method (IRLS) on the L2-penalised mean log loss, under the signs of MONOTONE_SIGNS.

    The Hessian has a global block (bias and standardised features), per-skill blocks (intercept and the
    PER_SKILL_FEATURES), and their cross terms; rows are sorted by skill so that every per-skill sum is one
    `np.add.reduceat`. Signs are kept by an active set: a weight whose sign is wrong is fixed at 0 and the
    rest refitted, until none is wrong (a per-skill weight fixed at 0 leaves that skill the global weight).
    """
    order = np.argsort(design.skill, kind="stable")
    skill = design.skill[order]
    x, y = design.x[order], design.y[order]
    n = len(y)
    present, starts = np.unique(skill, return_index=True)
    n_skills = len(present) if per_skill else 0
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std < 1e-9] = 1.0
    g = np.hstack([np.ones((n, 1)), (x - mean) / std])  # global columns
    p = np.hstack([np.ones((n, 1)), x[:, list(PER_SKILL_FEATURES)]])  # per-skill columns
    n_g, n_p = g.shape[1], p.shape[1]
    size = n_g + n_skills * n_p
    penalty = np.concatenate([[0.0], np.full(n_g - 1, l2_global), np.full(n_skills * n_p, l2_skill)])
    theta = np.zeros(size)
    theta[0] = np.log(y.mean() / (1 - y.mean()))

    signs = np.array([np.nan if MONOTONE_SIGNS[f] is None else MONOTONE_SIGNS[f] for f in FEATURE_NAMES])
    if not monotone:
        signs[:] = np.nan
    frozen = np.zeros(size, dtype=bool)
    frozen[1:n_g] = signs == 0
    theta[frozen] = 0.0
    for _round in range(2 * N_FEATURES):
        theta = _newton(theta, frozen, g, p, y, starts, n_skills, penalty, iterations)
        effective = theta[1:n_g] / std  # raw-scale weights, as the per-skill terms
        wrong_global = np.flatnonzero(effective * np.nan_to_num(signs) < 0)
        frozen[1 + wrong_global] = True
        theta[1 + wrong_global] = 0.0
        if n_skills:
            skill_terms = theta[n_g:].reshape(n_skills, n_p)[:, 1:]
            skill_signs = signs[list(PER_SKILL_FEATURES)]
            wrong = (effective[list(PER_SKILL_FEATURES)] + skill_terms) * np.nan_to_num(skill_signs) < 0
            index = n_g + (np.arange(n_skills)[:, None] * n_p + 1 + np.arange(n_p - 1)[None, :])[wrong]
            frozen[index] = True
            theta[index] = 0.0
            if len(wrong_global) == 0 and not wrong.any():
                break
        elif len(wrong_global) == 0:
            break

    weights = theta[1:n_g] / std
    bias = float(theta[0] - (theta[1:n_g] * mean / std).sum())
    skills: dict[SkillId, SkillTerms] = {}
    for k in range(n_skills):
        terms = theta[n_g + k * n_p : n_g + (k + 1) * n_p]
        name = design.skill_names[int(present[k])]
        skills[SkillId(name)] = SkillTerms(float(terms[0]), tuple(float(v) for v in terms[1:]))
    return TracingParams(
        bias=bias,
        weights=tuple(float(w) for w in weights),
        skills=skills,
        base_logits=design.base.base_logits if per_skill else {},
        default_base_logit=design.base.default_base_logit,
    )


def _newton(
    theta: np.ndarray,
    frozen: np.ndarray,
    g: np.ndarray,
    p: np.ndarray,
    y: np.ndarray,
    starts: np.ndarray,
    n_skills: int,
    penalty: np.ndarray,
    iterations: int,
) -> np.ndarray:
    n, n_g, n_p = len(y), g.shape[1], p.shape[1]
    size = len(theta)
    rows_of_skill = np.repeat(np.arange(n_skills), np.diff([*starts, n])) if n_skills else None

    def logits(t: np.ndarray) -> np.ndarray:
        z = g @ t[:n_g]
        if n_skills:
            z += (p * t[n_g:].reshape(n_skills, n_p)[rows_of_skill]).sum(1)
        return z

    def loss(t: np.ndarray) -> float:
        z = logits(t)
        return float(np.mean(np.logaddexp(0, z) - y * z) + (penalty * t * t).sum())

    current = loss(theta)
    for _ in range(iterations):
        z = logits(theta)
        q = 1 / (1 + np.exp(-z))
        r, w = (q - y) / n, q * (1 - q) / n
        grad = np.empty(size)
        hess = np.zeros((size, size))
        grad[:n_g] = g.T @ r
        hess[:n_g, :n_g] = (g * w[:, None]).T @ g
        if n_skills:
            grad[n_g:] = np.add.reduceat(p * r[:, None], starts).ravel()
            for j in range(n_p):
                cross = np.add.reduceat(g * (w * p[:, j])[:, None], starts)  # (skills, n_g)
                hess[n_g + j :: n_p, :n_g] = cross
                hess[:n_g, n_g + j :: n_p] = cross.T
            block = np.add.reduceat(p[:, :, None] * p[:, None, :] * w[:, None, None], starts)
            for k in range(n_skills):
                at = n_g + k * n_p
                hess[at : at + n_p, at : at + n_p] = block[k]
        grad += 2 * penalty * theta
        hess[np.diag_indices(size)] += 2 * penalty
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
    """Both stages on one training split. Without per-skill terms, skills get no base rate either (as in
    production before any skill has data), so the global weights are fitted on the features they will see."""
    base = base_logits(learners)
    if not per_skill:
        base = TracingParams(bias=0.0, weights=base.weights, default_base_logit=base.default_base_logit)
    return fit(Design(learners, base), per_skill=per_skill)
