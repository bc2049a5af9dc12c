"""The baseline: standard Bayesian Knowledge Tracing (Corbett & Anderson, 1995), one model per skill.

Four parameters per skill: prior P(L0), learn P(T), guess P(G), slip P(S); no forgetting. Fitted by
expectation-maximisation (Baum-Welch) on the training split. All of a skill's (learner, skill) sequences are
run through the forward-backward pass together, sorted by length so that the sequences still running at step
t are a prefix of the batch: one pass costs one numpy operation per step of the longest sequence. Guess and
slip are kept below 0.5 (the usual identifiability bound); EM stops after 30 iterations or when no parameter
moves by more than 1e-4. Skills absent from the training split get DEFAULT.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from mastery_data import Sequence_

_EPS = 1e-4
_MAX_NOISE = 0.5


@dataclass(frozen=True)
class BktSkill:
    prior: float
    learn: float
    guess: float
    slip: float


DEFAULT = BktSkill(prior=0.4, learn=0.1, guess=0.2, slip=0.1)


def _by_skill(learners: list[Sequence_]) -> dict[str, list[list[int]]]:
    sequences: dict[str, list[list[int]]] = defaultdict(list)
    for sequence in learners:
        per_skill: dict[str, list[int]] = defaultdict(list)
        for skill, correct in sequence:
            per_skill[skill].append(int(correct))
        for skill, answers in per_skill.items():
            sequences[skill].append(answers)
    return sequences


def _em(sequences: list[list[int]], iterations: int) -> BktSkill:
    sequences = sorted(sequences, key=len, reverse=True)
    length = len(sequences[0])
    lengths = np.array([len(s) for s in sequences])
    active = [int((lengths > t).sum()) for t in range(length)]  # sequences still running at step t
    obs = [np.array([s[t] for s in sequences[: active[t]]], dtype=np.float64) for t in range(length)]
    p = DEFAULT
    for _ in range(iterations):
        emit_known = [np.where(o == 1, 1 - p.slip, p.slip) for o in obs]
        emit_unknown = [np.where(o == 1, p.guess, 1 - p.guess) for o in obs]
        # Forward pass: alpha[t] = P(known at t | answers up to t).
        alpha: list[np.ndarray] = []
        known = np.full(active[0], p.prior)
        for t in range(length):
            known = known[: active[t]]
            a1, a0 = known * emit_known[t], (1 - known) * emit_unknown[t]
            # Clipped away from exactly 0 and 1, which rounding reaches on long sequences and which would
            # turn the backward pass into 0/0.
            alpha.append(np.clip(a1 / (a1 + a0), 1e-9, 1 - 1e-9))
            known = alpha[t] + (1 - alpha[t]) * p.learn
        # Backward pass with (b1, b0) normalised per sequence to sum to 1 (only their ratio matters, and raw
        # backward probabilities underflow on sequences thousands of answers long). gamma[t] = P(known at t |
        # all answers); move[t] = P(known at t | unknown at t - 1, all answers).
        b1 = np.full(active[-1], 0.5)
        b0 = np.full(active[-1], 0.5)
        gamma: list[np.ndarray] = [np.empty(0)] * length
        move: list[np.ndarray] = [np.empty(0)] * length
        for t in range(length - 1, -1, -1):
            gamma[t] = alpha[t] * b1 / (alpha[t] * b1 + (1 - alpha[t]) * b0)
            if t == 0:
                break
            u1, u0 = emit_known[t] * b1, emit_unknown[t] * b0
            from_unknown = p.learn * u1 + (1 - p.learn) * u0
            move[t] = p.learn * u1 / from_unknown
            total = u1 + from_unknown
            half = np.full(active[t - 1] - active[t], 0.5)  # sequences ending at t - 1 start here
            b1 = np.concatenate([np.maximum(u1 / total, 1e-300), half])
            b0 = np.concatenate([np.maximum(from_unknown / total, 1e-300), half])
        unknown_before = [1 - gamma[t - 1][: active[t]] for t in range(1, length)]
        learned = sum(float((u * move[t]).sum()) for t, u in enumerate(unknown_before, start=1))
        could_learn = sum(float(u.sum()) for u in unknown_before)
        previous, p = p, _m_step(obs, gamma, learned, could_learn)
        change = max(abs(a - b) for a, b in zip(vars(p).values(), vars(previous).values(), strict=True))
        if change < 1e-4:  # converged
            break
    return p


def _m_step(obs: list[np.ndarray], gamma: list[np.ndarray], learned: float, could_learn: float) -> BktSkill:
    prior = float(gamma[0].mean())
    known_total = sum(float(g.sum()) for g in gamma)
    unknown_total = sum(float((1 - g).sum()) for g in gamma)
    slip = sum(float((g * (1 - o)).sum()) for g, o in zip(gamma, obs, strict=True)) / max(known_total, _EPS)
    guess = sum(float(((1 - g) * o).sum()) for g, o in zip(gamma, obs, strict=True)) / max(
        unknown_total, _EPS
    )
    learn = learned / max(could_learn, _EPS)
    clip = lambda v, hi=1 - _EPS: float(min(max(v, _EPS), hi))  # noqa: E731
    # Guess and slip below 0.5, the usual identifiability bound: otherwise "known" and "unknown" can swap.
    return BktSkill(
        prior=clip(prior), learn=clip(learn), guess=clip(guess, _MAX_NOISE), slip=clip(slip, _MAX_NOISE)
    )


def fit(learners: list[Sequence_], iterations: int = 30) -> dict[str, BktSkill]:
    return {skill: _em(sequences, iterations) for skill, sequences in _by_skill(learners).items()}


def predict_online(params: dict[str, BktSkill], learners: list[Sequence_]) -> list[list[float]]:
    """P(correct) of every answer before it is seen, updating each (learner, skill) posterior as DKT does."""
    predictions: list[list[float]] = []
    for sequence in learners:
        known: dict[str, float] = {}
        row: list[float] = []
        for skill, correct in sequence:
            p = params.get(skill, DEFAULT)
            k = known.get(skill, p.prior)
            row.append(k * (1 - p.slip) + (1 - k) * p.guess)
            if correct:
                posterior = k * (1 - p.slip) / (k * (1 - p.slip) + (1 - k) * p.guess)
            else:
                posterior = k * p.slip / (k * p.slip + (1 - k) * (1 - p.guess))
            known[skill] = posterior + (1 - posterior) * p.learn
        predictions.append(row)
    return predictions
