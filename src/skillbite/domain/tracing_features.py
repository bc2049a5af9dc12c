"""The features of a learner's practice history that knowledge tracing reads (see knowledge_tracing.py).

`PracticeHistory` is a small mutable accumulator (one per learner): `features(skill)` gives the feature vector
for the next answer on a skill in O(1), `observe(skill, correct)` adds an answer. It needs each skill's base
log-odds of a right answer (its easiness over all learners), given by the `base_logit` callable.

Every feature moves one way only when a past wrong answer is turned into a right one (MONOTONE_SIGNS); the
fitted weights keep those signs, which is what makes the model monotone.

Features count attempts, not time: the public training data (ASSISTments) has no usable clock.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from skillbite.domain.ids import SkillId

FAST_DECAY = 0.5
"""Per-attempt decay of the "recent" success/failure counts on a skill (about the last two answers)."""
SLOW_DECAY = 0.85
"""Per-attempt decay of the "medium-term" success/failure counts on a skill (about the last seven answers)."""
OVERALL_DECAYS = (0.7, 0.9, 0.97)
"""Per-attempt decays of the learner's recent correctness across all skills (last ~3, ~10 and ~30 answers)."""
RESIDUAL_SHRINK = 2.0
"""Pseudo-answers at the expected rate added to residual averages, so one lucky answer is a weak signal."""
ELO_RATE = 0.4
"""Step of the learner's Elo-style ability after an answer, divided by sqrt(1 + ELO_SLOWDOWN x answers)."""
ELO_SLOWDOWN = 0.05

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
    "recent_easiness",  # base rate of the recently answered skills (weighted by OVERALL_DECAYS[0]), centred
    "base_logit",  # the skill's base log-odds of a right answer (its easiness)
    "recent_all",  # correctness on all skills weighted by OVERALL_DECAYS[0], centred on 0
    "last_all",  # +1/-1/0: the learner's previous answer, whatever the skill
    "last_all_same_skill",  # last_all when that previous answer was on this same skill, else 0
    "new_skill_ability",  # on a skill's first attempt (else 0): mean of (right - skill's base rate), shrunk
    "new_skill_recent",  # on a first attempt (else 0): the same, recency-weighted by OVERALL_DECAYS[0]
    "streak_right_2",  # indicators of the current run on this skill: 2 right, 3 or more right, ...
    "streak_right_3",
    "streak_wrong_2",
    "streak_wrong_3",
    "attempt_1",  # indicators of how many answers on this skill came before: 1, 2, 3, 4, 5-6, 7-9, 10+
    "attempt_2",
    "attempt_3",
    "attempt_4",
    "attempt_5_6",
    "attempt_7_9",
    "attempt_10",
    "log_attempts_all",  # log(1 + answers on any skill)
    "log_attempts",  # log(1 + answers on this skill)
    "log_skills_seen",  # log(1 + distinct skills practised)
    "recent_all_slow",  # recent_all with OVERALL_DECAYS[1]
    "recent_all_slower",  # recent_all with OVERALL_DECAYS[2]
    "recent_residual_slow",  # (right - skill's base rate) weighted by OVERALL_DECAYS[1], all skills
    "recent_residual_slower",  # the same with OVERALL_DECAYS[2]
    "elo",  # Elo-style ability: log-odds the learner is above the skills' base rates
    "last_two_all",  # the learner's previous two answers (right +0.5, wrong -0.5), whatever the skill
    "skill_residual",  # on this skill: sum of (right - its base rate) / (answers + 2)
    "residual_elsewhere",  # the same over all other skills
)
N_FEATURES = len(FEATURE_NAMES)

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
    **dict.fromkeys(
        ("attempt_1", "attempt_2", "attempt_3", "attempt_4", "attempt_5_6", "attempt_7_9", "attempt_10"), None
    ),
    "log_attempts_all": None,
    "log_attempts": None,
    "log_skills_seen": None,
}


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _attempt_bin(attempts: int) -> int:
    """Index into attempt_1..attempt_10 of `attempts` earlier answers (-1 for none)."""
    if attempts <= 4:
        return attempts - 1
    return 4 if attempts <= 6 else 5 if attempts <= 9 else 6


@dataclass
class SkillRecord:
    successes: int = 0
    failures: int = 0
    fast_successes: float = 0.0
    fast_failures: float = 0.0
    slow_successes: float = 0.0
    slow_failures: float = 0.0
    last: int = 0
    streak: int = 0
    last_position: int = 0
    residual: float = 0.0


class PracticeHistory:
    """One learner's answers, summarised online. Not thread-safe; one per learner."""

    def __init__(self, base_logit: Callable[[SkillId], float]) -> None:
        self._base_logit = base_logit
        self._skills: dict[SkillId, SkillRecord] = {}
        self._successes = 0
        self._failures = 0
        self._residual_sum = 0.0
        self._recent_residual = [0.0] * len(OVERALL_DECAYS)
        self._recent = [0.0] * len(OVERALL_DECAYS)
        self._base_sum = 0.0
        self._recent_base = 0.0
        self._elo = 0.0
        self._last = 0
        self._before_last = 0
        self._last_skill: SkillId | None = None

    @property
    def attempts(self) -> int:
        return self._successes + self._failures

    def record(self, skill: SkillId) -> SkillRecord | None:
        return self._skills.get(skill)

    def practised(self) -> Iterator[tuple[SkillId, SkillRecord]]:
        """Every skill answered so far, with its record."""
        return iter(self._skills.items())

    def features(self, skill: SkillId) -> tuple[float, ...]:
        """The feature vector for the next answer on `skill`, in FEATURE_NAMES order."""
        record = self._skills.get(skill) or SkillRecord()
        n_all = self.attempts
        n_skill = record.successes + record.failures
        first = record.last == 0
        gap = n_all - record.last_position if not first else n_all
        streak = math.copysign(math.log1p(abs(record.streak)), record.streak)
        residual_ability = self._residual_sum / (n_all + RESIDUAL_SHRINK)
        attempt_bins = [0.0] * 7
        if n_skill:
            attempt_bins[_attempt_bin(n_skill)] = 1.0
        half = 0.5
        last_two = (self._last * half) + (self._before_last * half)
        return (
            math.log1p(record.successes),
            math.log1p(record.failures),
            record.fast_successes,
            record.fast_failures,
            record.slow_successes,
            record.slow_failures,
            float(record.last),
            1.0 if first else 0.0,
            math.log1p(gap),
            streak,
            math.log1p(self._successes),
            math.log1p(self._failures),
            math.log((self._successes + 1.0) / (self._failures + 1.0)),
            (self._successes + 1.0) / (n_all + 2.0),
            self._base_sum / (n_all + 2.0),
            self._recent_base,
            self._base_logit(skill),
            self._recent[0],
            float(self._last),
            float(self._last) if self._last_skill == skill else 0.0,
            residual_ability if first else 0.0,
            self._recent_residual[0] if first else 0.0,
            1.0 if record.streak == 2 else 0.0,
            1.0 if record.streak >= 3 else 0.0,
            1.0 if record.streak == -2 else 0.0,
            1.0 if record.streak <= -3 else 0.0,
            *attempt_bins,
            math.log1p(n_all),
            math.log1p(n_skill),
            math.log1p(len(self._skills)),
            self._recent[1],
            self._recent[2],
            self._recent_residual[1],
            self._recent_residual[2],
            self._elo,
            last_two,
            record.residual / (n_skill + RESIDUAL_SHRINK),
            (self._residual_sum - record.residual) / (n_all - n_skill + RESIDUAL_SHRINK),
        )

    def observe(self, skill: SkillId, correct: bool) -> None:
        """Record an answer on `skill`."""
        record = self._skills.get(skill)
        if record is None:
            record = self._skills[skill] = SkillRecord()
        hit = 1.0 if correct else 0.0
        base_logit = self._base_logit(skill)
        # Elo: the step shrinks as the learner's record grows; 1 - rate * p(1 - p) > 0 keeps it monotone.
        expected_elo = sigmoid(self._elo + base_logit)
        self._elo += ELO_RATE * (hit - expected_elo) / math.sqrt(1.0 + ELO_SLOWDOWN * self.attempts)
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
        expected = sigmoid(base_logit)
        residual = hit - expected
        record.residual += residual
        self._base_sum += expected
        first_decay = OVERALL_DECAYS[0]
        self._recent_base = self._recent_base * first_decay + (expected - 0.5) * (1.0 - first_decay)
        self._residual_sum += residual
        for i, decay in enumerate(OVERALL_DECAYS):
            self._recent_residual[i] = self._recent_residual[i] * decay + residual * (1.0 - decay)
            self._recent[i] = self._recent[i] * decay + (hit - 0.5) * (1.0 - decay)
        record.last = 1 if correct else -1
        record.last_position = self.attempts
        self._before_last = self._last
        self._last = record.last
        self._last_skill = skill
