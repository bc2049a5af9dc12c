"""Fitting knowledge-tracing parameters on answer sequences, and judging a fit on held-out answers (pure).

`fit_tracing_params(learners)` runs the three stages (`tracing_fit_global`: base rates and global weights;
`tracing_fit_skills`: per-skill terms and skill-to-skill transfer) and returns a `TracingParams`. A learner is
a sequence of (skill, correct) answers in time order; an answer that practises several skills appears once per
skill, as `estimate_mastery` reads it. The bench (bench/mastery.py) and the organisation job
(services/tracing_jobs.py) both call it, so the bench measures what production runs.

`split_newest` holds out the newest part of each learner's answers; `score_holdout` replays each learner's
whole sequence under some parameters and scores only the held-out answers (log loss and AUC), so fitted and
current parameters are compared on the same answers, each prediction made from everything before it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from skillbite.domain.knowledge_tracing import KnowledgeTracer, TracingParams
from skillbite.domain.tracing_fit_global import AnswerSequence, Design, base_rates, fit_global
from skillbite.domain.tracing_fit_skills import MIN_ANSWERS_PER_SKILL, fit_skill_terms

__all__ = [
    "MIN_ANSWERS_PER_SKILL",
    "AnswerSequence",
    "HoldoutScore",
    "HoldoutSplit",
    "fit_tracing_candidates",
    "fit_tracing_params",
    "roc_auc",
    "score_holdout",
    "split_newest",
]

HOLDOUT_FRACTION = 0.2
"""The newest fifth of each learner's answers is held out to judge a fit."""


def fit_tracing_params(learners: Sequence[AnswerSequence], *, per_skill: bool = True) -> TracingParams:
    """All stages on one training set. Without per-skill terms, skills get no base rate either (as for
    an organisation with no fitted parameters), so the global weights are fitted on the features they will
    see."""
    if not any(learners):
        raise ValueError("fit_tracing_params needs at least one answer; fit once learners have answered.")
    base = base_rates(learners)
    if not per_skill:
        base = TracingParams(bias=0.0, weights=base.weights, default_base_logit=base.default_base_logit)
    design = Design(learners, base)
    global_params = fit_global(design)
    if not per_skill:
        return global_params
    return fit_skill_terms(design, global_params)


def fit_tracing_candidates(learners: Sequence[AnswerSequence]) -> dict[str, TracingParams]:
    """Two fits from one design, for an organisation to choose between on held-out answers: `global`
    (the global weights with each skill's base rate) and `per_skill` (plus per-skill terms and transfer, as
    `fit_tracing_params`). With a few dozen answers per skill, a skill's own ~100 terms can overfit (their
    penalties were chosen on hundreds of thousands of answers); the simpler fit is then the better one."""
    if not any(learners):
        raise ValueError("fit_tracing_candidates needs at least one answer; fit once learners have answered.")
    design = Design(learners, base_rates(learners))
    global_params = fit_global(design)
    return {"global": global_params, "per_skill": fit_skill_terms(design, global_params)}


@dataclass(frozen=True)
class HoldoutSplit:
    """Each learner's older answers (`train`) and, with them, where their held-out newest part starts."""

    learners: tuple[AnswerSequence, ...]
    cuts: tuple[int, ...]
    """Per learner, the index of their first held-out answer (len(sequence) when none is held out)."""

    @property
    def train(self) -> list[AnswerSequence]:
        return [sequence[:cut] for sequence, cut in zip(self.learners, self.cuts, strict=True) if cut]

    @property
    def n_train(self) -> int:
        return sum(self.cuts)

    @property
    def n_holdout(self) -> int:
        return sum(len(s) - cut for s, cut in zip(self.learners, self.cuts, strict=True))


def split_newest(learners: Sequence[AnswerSequence], fraction: float = HOLDOUT_FRACTION) -> HoldoutSplit:
    """Hold out the newest `fraction` of each learner's answers (rounded down: a learner with fewer than
    1 / fraction answers is all training)."""
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"fraction must be in (0, 1), got {fraction}")
    cuts = tuple(len(s) - math.floor(len(s) * fraction) for s in learners)
    return HoldoutSplit(tuple(learners), cuts)


@dataclass(frozen=True)
class HoldoutScore:
    log_loss: float
    auc: float | None
    """None when the held-out answers are all right or all wrong (AUC is undefined)."""
    answers: int


def score_holdout(params: TracingParams, split: HoldoutSplit) -> HoldoutScore:
    """Mean log loss and AUC of `params` on the held-out answers, each predicted from the learner's
    whole earlier sequence."""
    outcomes: list[float] = []
    predictions: list[float] = []
    for sequence, cut in zip(split.learners, split.cuts, strict=True):
        if cut == len(sequence):
            continue
        tracer = KnowledgeTracer(params)
        for position, (skill, correct) in enumerate(sequence):
            if position >= cut:
                outcomes.append(1.0 if correct else 0.0)
                predictions.append(tracer.predict(skill))
            tracer.observe(skill, correct)
    if not outcomes:
        raise ValueError("no held-out answers to score; every learner needs at least five answers")
    y = np.asarray(outcomes, dtype=np.float64)
    p = np.clip(np.asarray(predictions, dtype=np.float64), 1e-9, 1 - 1e-9)
    log_loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return HoldoutScore(log_loss, roc_auc(y, p), len(outcomes))


def roc_auc(outcomes: Sequence[float] | np.ndarray, scores: Sequence[float] | np.ndarray) -> float | None:
    """Rank-based AUC (Mann-Whitney U), ties counted as half; None when one class is missing."""
    y = np.asarray(outcomes, dtype=np.float64)
    s = np.asarray(scores, dtype=np.float64)
    order = np.argsort(s, kind="mergesort")
    sorted_scores = s[order]
    ranks = np.empty(len(s))
    boundaries = np.flatnonzero(np.diff(sorted_scores)) + 1  # average rank for each run of tied scores
    starts = np.concatenate([[0], boundaries])
    ends = np.concatenate([boundaries, [len(s)]])
    average = (starts + ends - 1) / 2.0 + 1.0
    ranks[order] = np.repeat(average, ends - starts)
    positives = y == 1
    n_pos, n_neg = int(positives.sum()), int((~positives).sum())
    if n_pos == 0 or n_neg == 0:
        return None
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
