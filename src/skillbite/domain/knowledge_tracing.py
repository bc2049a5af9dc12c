"""Knowledge tracing: the probability that a learner answers the next question on a skill correctly.

The model is a logistic regression over features of the learner's own practice history
(`skillbite.domain.tracing_features`), in the family of Performance Factors Analysis (PFA) and "Best-LR"
(Gervet et al., 2020): per-skill success and failure counts, recency-weighted counts, runs of right or wrong
answers, how many answers the skill has had, and the learner's overall record (running and Elo-style ability,
recent correctness at three time scales, how easy the skills behind it were). On top of the global weights,
each skill can carry

- its own intercept (difficulty) and its own weights on the features (how fast this skill is learned), and
- transfer weights from other skills: how much the learner's successes and failures on skill B say about
  skill A (a skill-to-skill matrix, as in KTM or DKT's hidden-state coupling, kept linear and sparse).

A skill without fitted terms falls back to the global weights, so the model works for any authored skill
from the first answer.

Fitted parameters keep the signs of MONOTONE_SIGNS (and successes >= 0, failures <= 0 for transfer), which
makes the model monotone: turning any past wrong answer into a right one never lowers any prediction
(`is_monotone` checks a parameter set). The public data rewards some non-monotone patterns (ASSISTments skill
builders end after three right answers in a row), but a learner must never see their mastery drop because
they answered correctly.

Features are counted in attempts, not in time; time-based forgetting is handled one level up, in
`skillbite.domain.mastery`. `KnowledgeTracer` is one learner's accumulator: call `predict` before an answer
and `observe` after it. Everything here is pure Python.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from skillbite.domain.ids import SkillId
from skillbite.domain.tracing_features import (
    FEATURE_NAMES,
    MONOTONE_SIGNS,
    N_FEATURES,
    PracticeHistory,
    sigmoid,
)

__all__ = [
    "DEFAULT_TRACING_PARAMS",
    "FEATURE_NAMES",
    "MONOTONE_SIGNS",
    "N_FEATURES",
    "PER_SKILL_FEATURES",
    "PER_SKILL_FEATURE_NAMES",
    "KnowledgeTracer",
    "SkillTerms",
    "TracingParams",
    "Transfer",
    "is_monotone",
    "prior",
]

PER_SKILL_FEATURE_NAMES: tuple[str, ...] = FEATURE_NAMES
"""Features that a skill may weight in its own way, as PFA's per-skill learning rates."""
PER_SKILL_FEATURES: tuple[int, ...] = tuple(FEATURE_NAMES.index(name) for name in PER_SKILL_FEATURE_NAMES)


@dataclass(frozen=True)
class Transfer:
    """What the learner's record on one source skill adds to another skill's log-odds: `successes` times
    log(1 + right answers on the source) plus `failures` times log(1 + wrong answers on it), and, while the
    target skill has never been practised, also `first_successes` and `first_failures` times the same (before
    any answer on a skill, the record on related skills is all there is to go on). Monotone when every
    successes weight is >= 0 and every failures weight <= 0."""

    successes: float
    failures: float
    first_successes: float = 0.0
    first_failures: float = 0.0

    def is_monotone(self) -> bool:
        return min(self.successes, self.first_successes) >= 0.0 >= max(self.failures, self.first_failures)


@dataclass(frozen=True)
class SkillTerms:
    """Corrections for one skill, added to the global model: its difficulty (`intercept`, in log-odds),
    extra weights on the features of PER_SKILL_FEATURES (how fast this skill is learned, how much the
    learner's overall record says about it), and `transfer` from other skills (source skill -> weights)."""

    intercept: float = 0.0
    weights: tuple[float, ...] = (0.0,) * len(PER_SKILL_FEATURES)
    transfer: Mapping[SkillId, Transfer] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.weights) != len(PER_SKILL_FEATURES):
            raise ValueError(
                f"SkillTerms.weights has {len(self.weights)} values but the model has "
                f"{len(PER_SKILL_FEATURES)} per-skill features; refit the parameters with this version."
            )


@dataclass(frozen=True)
class TracingParams:
    """Fitted parameters.

    `weights` follows FEATURE_NAMES. `skills` holds optional per-skill terms. `base_logits` holds each skill's
    base log-odds of a right answer over all learners (a count, no fitting needed: log((right + 1) /
    (wrong + 1)) over everybody's answers); skills without one use `default_base_logit`.
    """

    bias: float
    weights: tuple[float, ...]
    skills: Mapping[SkillId, SkillTerms] = field(default_factory=dict)
    base_logits: Mapping[SkillId, float] = field(default_factory=dict)
    default_base_logit: float = 0.0

    def __post_init__(self) -> None:
        if len(self.weights) != N_FEATURES:
            raise ValueError(
                f"TracingParams.weights has {len(self.weights)} values but the model has {N_FEATURES} "
                f"features ({', '.join(FEATURE_NAMES)}); refit the parameters with this version."
            )
        if not all(math.isfinite(w) for w in (self.bias, self.default_base_logit, *self.weights)):
            raise ValueError("TracingParams must be finite numbers; refit the parameters.")

    def base_logit(self, skill: SkillId) -> float:
        return self.base_logits.get(skill, self.default_base_logit)


DEFAULT_TRACING_PARAMS = TracingParams(
    # The global model (no per-skill terms, no base rates) fitted on the ASSISTments 2015 training split by
    # `python bench/mastery.py --print-defaults`: it assumes nothing about authored skills.
    bias=0.8632,
    weights=(
        0.4224,  # log_successes
        -0.4803,  # log_failures
        0.0351,  # fast_successes
        0.0000,  # fast_failures
        0.0000,  # slow_successes
        0.0000,  # slow_failures
        0.0000,  # last_on_skill
        -0.2093,  # first_attempt
        -0.1308,  # log_gap
        0.0000,  # streak
        0.0000,  # log_all_successes
        -0.2179,  # log_all_failures
        0.0000,  # ability
        0.0000,  # rate_all
        0.4469,  # history_easiness
        -0.7770,  # recent_easiness
        0.0000,  # base_logit
        0.2758,  # recent_all
        0.0000,  # last_all
        0.1689,  # last_all_same_skill
        0.5652,  # new_skill_ability
        0.3179,  # new_skill_recent
        0.0000,  # streak_right_2
        0.0000,  # streak_right_3
        0.0000,  # streak_wrong_2
        0.0000,  # streak_wrong_3
        -0.0574,  # attempt_1
        0.0724,  # attempt_2
        0.0721,  # attempt_3
        0.0532,  # attempt_4
        0.0812,  # attempt_5_6
        0.0942,  # attempt_7_9
        0.0450,  # attempt_10
        0.1339,  # log_attempts_all
        -0.0629,  # log_attempts
        0.0699,  # log_skills_seen
        0.0000,  # recent_all_slow
        0.0000,  # recent_all_slower
        0.6205,  # recent_residual_slow
        0.5330,  # recent_residual_slower
        0.0000,  # elo
        0.0000,  # last_two_all
        0.0000,  # skill_residual
        0.0953,  # residual_elsewhere
    ),
    default_base_logit=1.0097,
)


class KnowledgeTracer:
    """One learner's practice history, summarised online under `params`. Not thread-safe; one per learner."""

    def __init__(self, params: TracingParams) -> None:
        self.params = params
        self._history = PracticeHistory(params.base_logit)

    @property
    def attempts(self) -> int:
        return self._history.attempts

    def attempts_on(self, skill: SkillId) -> int:
        record = self._history.record(skill)
        return 0 if record is None else record.successes + record.failures

    def features(self, skill: SkillId) -> tuple[float, ...]:
        """The feature vector for the next answer on `skill`, in FEATURE_NAMES order."""
        return self._history.features(skill)

    def counts_on(self, skill: SkillId) -> tuple[int, int]:
        """(right, wrong) answers on `skill` so far: what Transfer weighs, as log(1 + count)."""
        record = self._history.record(skill)
        return (0, 0) if record is None else (record.successes, record.failures)

    def predict(self, skill: SkillId) -> float:
        """Probability that the next answer on `skill` is correct."""
        x = self._history.features(skill)
        params = self.params
        z = params.bias + sum(w * v for w, v in zip(params.weights, x, strict=True))
        terms = params.skills.get(skill)
        if terms is not None:
            z += terms.intercept + sum(
                w * x[i] for w, i in zip(terms.weights, PER_SKILL_FEATURES, strict=True) if w
            )
            if terms.transfer:
                first = self._history.record(skill) is None
                for source, record in self._history.practised():
                    weights = terms.transfer.get(source)
                    if weights is not None:
                        right, wrong = math.log1p(record.successes), math.log1p(record.failures)
                        z += weights.successes * right + weights.failures * wrong
                        if first:
                            z += weights.first_successes * right + weights.first_failures * wrong
        return sigmoid(z)

    def observe(self, skill: SkillId, correct: bool) -> None:
        """Record an answer on `skill` (after `predict` was asked for it)."""
        self._history.observe(skill, correct)


def _sign_ok(weight: float, sign: int | None) -> bool:
    if sign is None:
        return True
    return weight * sign >= 0.0 if sign != 0 else weight == 0.0


def is_monotone(params: TracingParams) -> bool:
    """True when no extra right answer can ever lower a prediction (see MONOTONE_SIGNS)."""
    signs = [MONOTONE_SIGNS[name] for name in FEATURE_NAMES]
    if not all(_sign_ok(w, sign) for w, sign in zip(params.weights, signs, strict=True)):
        return False
    for terms in params.skills.values():
        for w, i in zip(terms.weights, PER_SKILL_FEATURES, strict=True):
            if not _sign_ok(params.weights[i] + w, signs[i]):
                return False
        if not all(t.is_monotone() for t in terms.transfer.values()):
            return False
    return True


def prior(params: TracingParams, skill: SkillId) -> float:
    """Probability of a right first answer on `skill` by a learner with no history at all."""
    return KnowledgeTracer(params).predict(skill)
