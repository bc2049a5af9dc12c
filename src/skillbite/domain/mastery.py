"""Mastery per skill: can the learner do this skill now, and will they still in 30 days?

Evidence comes from two places, combined per skill (the full rules, with the reasons, are in docs/mastery.md):

1. Practice results on the skill, read by the knowledge-tracing model (`skillbite.domain.knowledge_tracing`):
   the probability that the next answer on the skill is right. The model counts attempts, not time, so the
   part of it that is above the skill's prior (what practice added) fades with the time since the skill was
   last practised, along a power-law forgetting curve (FSRS's shape) whose stability grows with the number of
   distinct days the skill was practised on. A deficit below the prior does not fade: not knowing does not
   heal by waiting.
2. Item recall from the memory model, given per item as (now, in 30 days); the mean over the skill's items
   that have a memory state.

The two are averaged with weights `1 + answers on the skill` and `items with a recall estimate`. Then the
prerequisite rule: a prerequisite below the mastery threshold scales its dependent skill down by
`prerequisite mastery / threshold` (the weakest prerequisite counts, applied recursively through the graph).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from skillbite.domain.ids import ItemId, SkillId
from skillbite.domain.knowledge_tracing import DEFAULT_TRACING_PARAMS, KnowledgeTracer, TracingParams, prior

MASTERED_THRESHOLD = 0.8
"""A skill counts as mastered when the learner can do it now with probability at least this."""
FORECAST_HORIZON = timedelta(days=30)

# FSRS-4.5's forgetting curve R(t) = (1 + FACTOR * t / S) ** DECAY, which gives R(S) = 0.9.
_DECAY = -0.5
_FACTOR = 19.0 / 81.0
_SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class PracticeResult:
    """One answer to a practice item on `skill` (an item on several skills gives one result per skill)."""

    skill: SkillId
    correct: bool
    at: datetime


@dataclass(frozen=True)
class MasteryParams:
    tracing: TracingParams = DEFAULT_TRACING_PARAMS
    practice_stability_days: float = 3.0
    """Days after which 90% of a practised skill's gain is left, per distinct day of practice: one day of
    practice keeps 90% of its gain after 3 days and about 55% after 30; ten spaced days keep 90% after 30.
    A heuristic default, not fitted: the public knowledge-tracing data has no timestamps."""
    threshold: float = MASTERED_THRESHOLD

    def __post_init__(self) -> None:
        if not self.practice_stability_days > 0:
            raise ValueError(f"practice_stability_days must be > 0, got {self.practice_stability_days}")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold}")


DEFAULT_MASTERY_PARAMS = MasteryParams()


@dataclass(frozen=True)
class SkillMastery:
    """A skill's mastery. `now` and `in_30_days` include the prerequisite rule; `own_*` are before it."""

    skill: SkillId
    now: float
    in_30_days: float
    own_now: float
    own_in_30_days: float
    answers: int
    """Practice results on this skill that were counted."""
    items: int
    """Items of this skill with a recall estimate from the memory model."""
    limited_by: SkillId | None = None
    """The weakest prerequisite when it is below the threshold (and so lowered `now`), else None."""
    threshold: float = field(default=MASTERED_THRESHOLD, repr=False)

    @property
    def mastered(self) -> bool:
        return self.now >= self.threshold


def is_mastered(mastery: SkillMastery, threshold: float | None = None) -> bool:
    """True when the skill can be done now with probability >= threshold (default: the one it was built
    with, MASTERED_THRESHOLD unless MasteryParams said otherwise)."""
    return mastery.now >= (mastery.threshold if threshold is None else threshold)


def mastered_skills(masteries: Iterable[SkillMastery], threshold: float | None = None) -> frozenset[SkillId]:
    """The skills that count as mastered, e.g. for path_planner.needed_skills(..., mastered=...)."""
    return frozenset(m.skill for m in masteries if is_mastered(m, threshold))


class PrerequisiteCycleError(ValueError):
    """The skill graph has a cycle; mastery needs prerequisites that eventually bottom out."""


def practice_recall(elapsed_days: float, stability_days: float) -> float:
    """The practice forgetting curve: recall `elapsed_days` after practice of this stability (days)."""
    return float((1.0 + _FACTOR * max(elapsed_days, 0.0) / stability_days) ** _DECAY)


@dataclass(frozen=True)
class _PracticeSummary:
    answers: int
    days: int
    last: datetime


def _practice_by_skill(
    practice: Iterable[PracticeResult], now: datetime, tracer: KnowledgeTracer
) -> dict[SkillId, _PracticeSummary]:
    """Feed the answers up to `now` to the tracer in time order; later answers are ignored."""
    counted = sorted((r for r in practice if r.at <= now), key=lambda r: r.at)
    answers: dict[SkillId, int] = {}
    days: dict[SkillId, set[date]] = {}
    last: dict[SkillId, datetime] = {}
    for result in counted:
        tracer.observe(result.skill, result.correct)
        answers[result.skill] = answers.get(result.skill, 0) + 1
        days.setdefault(result.skill, set()).add(result.at.astimezone(UTC).date())
        last[result.skill] = result.at
    return {s: _PracticeSummary(answers[s], len(days[s]), last[s]) for s in answers}


def _check_recall(item_recall: Mapping[ItemId, tuple[float, float]]) -> None:
    for item, pair in item_recall.items():
        if len(pair) != 2 or not all(math.isfinite(p) and 0.0 <= p <= 1.0 for p in pair):
            raise ValueError(
                f"item_recall[{item!r}] = {pair!r}: expected (recall now, recall in 30 days), both in [0, 1]"
            )


def _topological(
    skills: Iterable[SkillId], prerequisites: Mapping[SkillId, Sequence[SkillId]]
) -> list[SkillId]:
    """Every skill after its prerequisites; raises PrerequisiteCycleError naming the cycle."""
    order: list[SkillId] = []
    state: dict[SkillId, int] = {}  # 1 = on the current path, 2 = done
    for root in sorted(set(skills)):
        stack: list[tuple[SkillId, int]] = [(root, 0)]
        path: list[SkillId] = []
        while stack:
            skill, next_child = stack.pop()
            if next_child == 0:
                if state.get(skill) == 2:
                    continue
                state[skill] = 1
                path.append(skill)
            children = prerequisites.get(skill, ())
            if next_child < len(children):
                stack.append((skill, next_child + 1))
                child = children[next_child]
                if state.get(child) == 1:
                    cycle = [*path[path.index(child) :], child]
                    raise PrerequisiteCycleError(
                        "prerequisite cycle: " + " -> ".join(cycle) + "; remove one of these prerequisites"
                    )
                if state.get(child) != 2:
                    stack.append((child, 0))
            else:
                state[skill] = 2
                path.pop()
                order.append(skill)
    return order


def estimate_mastery(
    *,
    prerequisites: Mapping[SkillId, Sequence[SkillId]],
    practice: Iterable[PracticeResult],
    item_recall: Mapping[ItemId, tuple[float, float]],
    items_by_skill: Mapping[SkillId, Sequence[ItemId]],
    now: datetime,
    params: MasteryParams = DEFAULT_MASTERY_PARAMS,
) -> dict[SkillId, SkillMastery]:
    """Mastery of every skill mentioned anywhere in the arguments, for one learner at `now`.

    `prerequisites` is the skill graph (skill -> its prerequisites); `practice` the learner's answers (any
    order; those after `now` are ignored); `item_recall` the memory model's recall of each item now and in 30
    days; `items_by_skill` which items practise which skill. Deterministic: same inputs, same output.
    """
    if now.tzinfo is None:
        raise ValueError("estimate_mastery: `now` must be timezone-aware (UTC), got a naive datetime")
    _check_recall(item_recall)
    tracer = KnowledgeTracer(params.tracing)
    summaries = _practice_by_skill(practice, now, tracer)
    skills = {*prerequisites, *summaries, *items_by_skill}
    for required in prerequisites.values():
        skills.update(required)

    own: dict[SkillId, tuple[float, float, int]] = {}
    for skill in skills:
        traced_now, traced_later = _practice_estimate(skill, tracer, summaries.get(skill), now, params)
        recalls = [item_recall[i] for i in dict.fromkeys(items_by_skill.get(skill, ())) if i in item_recall]
        weight = 1.0 + (summaries[skill].answers if skill in summaries else 0)
        total = weight + len(recalls)
        own_now = (weight * traced_now + sum(r[0] for r in recalls)) / total
        own_later = (weight * traced_later + sum(r[1] for r in recalls)) / total
        own[skill] = (own_now, own_later, len(recalls))

    result: dict[SkillId, SkillMastery] = {}
    for skill in _topological(skills, prerequisites):
        own_now, own_later, n_items = own[skill]
        factor_now, factor_later, weakest = 1.0, 1.0, None
        for needed in prerequisites.get(skill, ()):
            before = result[needed]
            if before.now / params.threshold < factor_now:
                factor_now, weakest = before.now / params.threshold, needed
            factor_later = min(factor_later, before.in_30_days / params.threshold)
        summary = summaries.get(skill)
        result[skill] = SkillMastery(
            skill=skill,
            now=_unit(own_now * factor_now),
            in_30_days=_unit(min(own_later * factor_later, own_now * factor_now)),
            own_now=_unit(own_now),
            own_in_30_days=_unit(own_later),
            answers=0 if summary is None else summary.answers,
            items=n_items,
            limited_by=weakest,
            threshold=params.threshold,
        )
    return result


def _practice_estimate(
    skill: SkillId,
    tracer: KnowledgeTracer,
    summary: _PracticeSummary | None,
    now: datetime,
    params: MasteryParams,
) -> tuple[float, float]:
    """The tracer's probability, with the gain over the prior faded to now and to now + 30 days."""
    traced = tracer.predict(skill)
    if summary is None:
        return traced, traced
    base = prior(params.tracing, skill)
    gain = traced - base
    if gain <= 0.0:
        return traced, traced
    stability = params.practice_stability_days * summary.days
    elapsed = (now - summary.last).total_seconds() / _SECONDS_PER_DAY
    later = elapsed + FORECAST_HORIZON.total_seconds() / _SECONDS_PER_DAY
    return (
        base + gain * practice_recall(elapsed, stability),
        base + gain * practice_recall(later, stability),
    )


def _unit(p: float) -> float:
    return min(1.0, max(0.0, p))
