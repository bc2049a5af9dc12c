"""Knowledge tracing: the probability that a learner answers the next question on a skill correctly.

The model is a logistic regression over features of the learner's own practice history, in the family of
Performance Factors Analysis (PFA) and "Best-LR" (Gervet et al., 2020): per-skill success and failure
counts, recency-weighted counts, runs of right or wrong answers, the last answer on the skill, and the
learner's overall record (a running ability estimate, and how easy the skills behind it were). Each skill can
carry its own intercept (difficulty) and its own weights on a few features (PER_SKILL_FEATURE_NAMES); a skill
without fitted terms falls back to the global weights, so the model works for any authored skill from the
first answer.

Fitted parameters keep the signs of MONOTONE_SIGNS, which makes the model monotone: turning any past wrong
answer into a right one never lowers any prediction (`is_monotone` checks a parameter set). The public data
rewards some non-monotone patterns (ASSISTments skill builders end after three right answers in a row), but a
learner must never see their mastery drop because they answered correctly.

Features are counted in attempts, not in time: the public training data (ASSISTments) has no usable clock,
and time-based forgetting is handled one level up, in `skillbite.domain.mastery`.

`KnowledgeTracer` is a small mutable accumulator (one per learner) so that scoring a long history stays
linear: call `predict` before an answer and `observe` after it. Everything here is pure Python.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from skillbite.domain.ids import SkillId

FAST_DECAY = 0.5
"""Per-attempt decay of the "recent" success/failure counts on a skill (about the last two answers)."""
SLOW_DECAY = 0.85
"""Per-attempt decay of the "medium-term" success/failure counts on a skill (about the last seven answers)."""
OVERALL_DECAY = 0.7
"""Per-attempt decay of the learner's recent correctness across all skills (momentum, fatigue)."""

FEATURE_NAMES: tuple[str, ...] = (
    "log_successes",  # log(1 + successes on this skill)
    "log_failures",  # log(1 + failures on this skill)
    "fast_successes",  # successes on this skill, each older attempt weighted by FAST_DECAY
    "fast_failures",
    "slow_successes",  # same with SLOW_DECAY
    "slow_failures",
    "last_on_skill",  # +1 last answer on this skill right, -1 wrong, 0 never practised
    "first_attempt",  # 1 when the skill has never been practised
    "log_gap",  # log(1 + other answers since the last one on this skill)
    "streak",  # ±log(1 + length of the current run of right (+) or wrong (-) answers on this skill)
    "log_all_successes",  # log(1 + successes on any skill)
    "log_all_failures",
    "ability",  # log((successes + 1) / (failures + 1)) on all skills
    "rate_all",  # (successes + 1) / (answers + 2) on all skills
    "history_easiness",  # sum of the base rates of the skills answered so far / (answers + 2)
    "recent_easiness",  # base rate of the recently answered skills (weighted by OVERALL_DECAY), centred on 0
    "base_logit",  # the skill's base log-odds of a right answer (its easiness)
    "recent_all",  # recency-weighted correctness on all skills, centred on 0
    "last_all",  # +1/-1/0: the learner's previous answer, whatever the skill
    "last_all_same_skill",  # last_all when that previous answer was on this same skill, else 0
    "new_skill_ability",  # on a skill's first attempt (else 0): mean of (right - skill's base rate), shrunk
    "new_skill_recent",  # on a skill's first attempt (else 0): the same, recency-weighted by OVERALL_DECAY
    "streak_right_2",  # indicators of the current run on this skill: 2 right, 3 or more right, ...
    "streak_right_3",
    "streak_wrong_2",
    "streak_wrong_3",
)
N_FEATURES = len(FEATURE_NAMES)
PER_SKILL_FEATURE_NAMES: tuple[str, ...] = (
    "log_successes", "log_failures", "fast_successes", "fast_failures", "last_on_skill", "ability",
    "rate_all", "streak", "new_skill_ability",
)  # fmt: skip
"""Features that a skill may weight in its own way, as PFA's per-skill learning rates."""
PER_SKILL_FEATURES: tuple[int, ...] = tuple(FEATURE_NAMES.index(name) for name in PER_SKILL_FEATURE_NAMES)

MONOTONE_SIGNS: Mapping[str, int | None] = {
    # Turning one past wrong answer into a right one moves each feature one way only: up (+1), down (-1),
    # not at all (None), or either way (0: the feature must then have no weight). A model whose effective
    # weights have these signs is monotone: more right answers never lower a prediction. See is_monotone.
    **dict.fromkeys(FEATURE_NAMES, 1),
    "log_failures": -1,
    "fast_failures": -1,
    "slow_failures": -1,
    "log_all_failures": -1,
    "streak_wrong_3": -1,
    "first_attempt": None,
    "history_easiness": None,
    "recent_easiness": None,
    "log_gap": None,
    "base_logit": None,
    "streak_right_2": 0,
    "streak_wrong_2": 0,
}
RESIDUAL_SHRINK = 2.0
"""Pseudo-answers at the expected rate added to new_skill_ability, so one lucky answer is a weak signal."""


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass(frozen=True)
class SkillTerms:
    """Corrections for one skill, added to the global model: its difficulty (`intercept`, in log-odds) and
    extra weights on the features listed in PER_SKILL_FEATURES (how fast this skill is learned)."""

    intercept: float = 0.0
    weights: tuple[float, ...] = (0.0,) * len(PER_SKILL_FEATURES)


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
    bias=0.8031,
    weights=(
        0.3454,  # log_successes
        -0.5009,  # log_failures
        0.1422,  # fast_successes
        0.0000,  # fast_failures
        0.0000,  # slow_successes
        0.0000,  # slow_failures
        0.0000,  # last_on_skill
        -0.1656,  # first_attempt
        -0.1315,  # log_gap
        0.0000,  # streak
        0.0000,  # log_all_successes
        -0.0989,  # log_all_failures
        0.1823,  # ability
        0.0000,  # rate_all
        1.5217,  # history_easiness
        -3.4181,  # recent_easiness
        0.0000,  # base_logit
        0.5611,  # recent_all
        0.0000,  # last_all
        0.1128,  # last_all_same_skill
        0.6324,  # new_skill_ability
        0.2895,  # new_skill_recent
        0.0000,  # streak_right_2
        0.0000,  # streak_right_3
        0.0000,  # streak_wrong_2
        0.0000,  # streak_wrong_3
    ),
    default_base_logit=1.0097,
)


@dataclass
class _SkillRecord:
    successes: int = 0
    failures: int = 0
    fast_successes: float = 0.0
    fast_failures: float = 0.0
    slow_successes: float = 0.0
    slow_failures: float = 0.0
    last: int = 0
    streak: int = 0
    last_position: int = 0


class KnowledgeTracer:
    """One learner's practice history, summarised online under `params`. Not thread-safe; one per learner."""

    def __init__(self, params: TracingParams) -> None:
        self.params = params
        self._skills: dict[SkillId, _SkillRecord] = {}
        self._successes = 0
        self._failures = 0
        self._residual_sum = 0.0
        self._recent_residual = 0.0
        self._base_sum = 0.0
        self._recent_base = 0.0
        self._recent = 0.0
        self._last = 0
        self._last_skill: SkillId | None = None

    @property
    def attempts(self) -> int:
        return self._successes + self._failures

    def attempts_on(self, skill: SkillId) -> int:
        record = self._skills.get(skill)
        return 0 if record is None else record.successes + record.failures

    def features(self, skill: SkillId) -> tuple[float, ...]:
        """The feature vector for the next answer on `skill`, in FEATURE_NAMES order."""
        record = self._skills.get(skill) or _SkillRecord()
        n_all = self.attempts
        gap = n_all - record.last_position if record.last else n_all
        streak = math.copysign(math.log1p(abs(record.streak)), record.streak)
        residual_ability = self._residual_sum / (n_all + RESIDUAL_SHRINK)
        return (
            math.log1p(record.successes),
            math.log1p(record.failures),
            record.fast_successes,
            record.fast_failures,
            record.slow_successes,
            record.slow_failures,
            float(record.last),
            1.0 if record.last == 0 else 0.0,
            math.log1p(gap),
            streak,
            math.log1p(self._successes),
            math.log1p(self._failures),
            math.log((self._successes + 1.0) / (self._failures + 1.0)),
            (self._successes + 1.0) / (n_all + 2.0),
            self._base_sum / (n_all + 2.0),
            self._recent_base,
            self.params.base_logit(skill),
            self._recent,
            float(self._last),
            float(self._last) if self._last_skill == skill else 0.0,
            residual_ability if record.last == 0 else 0.0,
            self._recent_residual if record.last == 0 else 0.0,
            1.0 if record.streak == 2 else 0.0,
            1.0 if record.streak >= 3 else 0.0,
            1.0 if record.streak == -2 else 0.0,
            1.0 if record.streak <= -3 else 0.0,
        )

    def predict(self, skill: SkillId) -> float:
        """Probability that the next answer on `skill` is correct."""
        x = self.features(skill)
        params = self.params
        z = params.bias + sum(w * v for w, v in zip(params.weights, x, strict=True))
        terms = params.skills.get(skill)
        if terms is not None:
            z += terms.intercept + sum(
                w * x[i] for w, i in zip(terms.weights, PER_SKILL_FEATURES, strict=True)
            )
        return _sigmoid(z)

    def observe(self, skill: SkillId, correct: bool) -> None:
        """Record an answer on `skill` (after `predict` was asked for it)."""
        record = self._skills.get(skill)
        if record is None:
            record = self._skills[skill] = _SkillRecord()
        hit = 1.0 if correct else 0.0
        record.fast_successes = record.fast_successes * FAST_DECAY + hit
        record.fast_failures = record.fast_failures * FAST_DECAY + (1.0 - hit)
        record.slow_successes = record.slow_successes * SLOW_DECAY + hit
        record.slow_failures = record.slow_failures * SLOW_DECAY + (1.0 - hit)
        if correct:
            record.successes += 1
            self._successes += 1
            record.streak = record.streak + 1 if record.streak > 0 else 1
        else:
            record.failures += 1
            self._failures += 1
            record.streak = record.streak - 1 if record.streak < 0 else -1
        expected = _sigmoid(self.params.base_logit(skill))
        residual = hit - expected
        self._base_sum += expected
        self._recent_base = self._recent_base * OVERALL_DECAY + (expected - 0.5) * (1.0 - OVERALL_DECAY)
        self._residual_sum += residual
        self._recent_residual = self._recent_residual * OVERALL_DECAY + residual * (1.0 - OVERALL_DECAY)
        record.last = 1 if correct else -1
        record.last_position = self.attempts
        self._recent = self._recent * OVERALL_DECAY + (hit - 0.5) * (1.0 - OVERALL_DECAY)
        self._last = record.last
        self._last_skill = skill


def _sign_ok(weight: float, sign: int | None) -> bool:
    if sign is None:
        return True
    return weight * sign >= 0.0 if sign != 0 else weight == 0.0


def is_monotone(params: TracingParams) -> bool:
    """True when no extra right answer can ever lower a prediction (see MONOTONE_SIGNS)."""
    signs = [MONOTONE_SIGNS[name] for name in FEATURE_NAMES]
    if not all(_sign_ok(w, sign) for w, sign in zip(params.weights, signs, strict=True)):
        return False
    return all(
        _sign_ok(params.weights[i] + w, signs[i])
        for terms in params.skills.values()
        for w, i in zip(terms.weights, PER_SKILL_FEATURES, strict=True)
    )


def prior(params: TracingParams, skill: SkillId) -> float:
    """Probability of a right first answer on `skill` by a learner with no history at all."""
    return KnowledgeTracer(params).predict(skill)
