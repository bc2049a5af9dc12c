"""Mastery gained per skill over a learner's history: the `MasteryGain`s that pay XP milestones.

A skill's mastery is the one `skillbite.domain.mastery.estimate_mastery` gives (knowledge tracing faded
with time since practice, item recall from the memory model, the prerequisite rule). Calling that function
after every answer would re-read the whole history each time (quadratic in the log), so this module keeps
one `KnowledgeTracer` and the running item states, and evaluates mastery with the same formula at chosen
moments; a test pins the values to `estimate_mastery` on random histories.

When mastery is judged:
- **At the end of each study day with answers** (the moment of that day's last answer), for each skill
  practised that day. Per-answer judging would cost a tracer prediction and an item-recall mean per skill per
  answer; per study day keeps the fold linear in the log. A consequence: today's milestones are provisional
  until the day ends (a milestone reached at 10:00 and lost by wrong answers at 11:00 was not reached at the
  end of the day), and past days never change.
- **A skill is judged when it is practised.** A skill that rises only because a prerequisite rose is paid
  the next time it is practised itself.
- **Only mastery gained by practice pays.** A skill's best starts at its mastery just before the learner's
  first answer on it (the model's prior for a newcomer, lowered by weak prerequisites), not at zero: the
  prior is above 0.5 for most skills, and a first wrong answer must not pay the 0.5 milestone.
- **Each milestone once.** A gain is reported only above the best mastery ever judged, so decay and regain
  never pay twice.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from skillbite.domain.ids import ItemId, SkillId
from skillbite.domain.knowledge_tracing import KnowledgeTracer, prior
from skillbite.domain.mastery import (
    DEFAULT_MASTERY_PARAMS,
    MasteryParams,
    PrerequisiteCycleError,
    practice_recall,
)
from skillbite.domain.memory import MemoryState, Params, retrievability
from skillbite.domain.xp import MASTERY_MILESTONES, MasteryGain

_SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class PracticedAnswer:
    """One answer, in the terms mastery needs: the skills its lesson teaches and the item's state after."""

    at: datetime
    study_day: date
    """The learner's study day of the answer (`skillbite.domain.study_day.local_study_day`)."""
    item: ItemId
    skills: tuple[SkillId, ...]
    correct: bool
    item_state: MemoryState
    params: Params
    """The FSRS weights of `item_state`, for its recall at later moments."""


@dataclass
class _Practice:
    answers: int
    days: set[date]
    last: datetime


class MasteryTimeline:
    """A learner's mastery fold: feed answers in time order, judge skills at chosen moments."""

    def __init__(
        self,
        prerequisites: Mapping[SkillId, Sequence[SkillId]],
        params: MasteryParams = DEFAULT_MASTERY_PARAMS,
    ) -> None:
        self.prerequisites = prerequisites
        self.params = params
        self._tracer = KnowledgeTracer(params.tracing)
        self._practice: dict[SkillId, _Practice] = {}
        self._items: dict[ItemId, tuple[MemoryState, Params]] = {}
        self._items_of_skill: dict[SkillId, dict[ItemId, None]] = {}
        self._priors: dict[SkillId, float] = {}

    def observe(self, answer: PracticedAnswer) -> None:
        """Record an answer (after every earlier one)."""
        for skill in answer.skills:
            self._tracer.observe(skill, answer.correct)
            practice = self._practice.get(skill)
            if practice is None:
                practice = self._practice[skill] = _Practice(0, set(), answer.at)
            practice.answers += 1
            practice.days.add(answer.at.astimezone(UTC).date())
            practice.last = answer.at
            self._items_of_skill.setdefault(skill, {})[answer.item] = None
        self._items[answer.item] = (answer.item_state, answer.params)

    def at(self, now: datetime) -> MasteryMoment:
        """Mastery at `now` given the answers observed so far (evaluated lazily, each skill once)."""
        return MasteryMoment(self, now)

    def mastery(self, skills: Collection[SkillId], now: datetime) -> dict[SkillId, float]:
        """Mastery now (`SkillMastery.now` of estimate_mastery) of `skills`, given the answers observed."""
        moment = self.at(now)
        return {skill: moment.mastery(skill) for skill in skills}

    def own_mastery(self, skill: SkillId, now: datetime) -> float:
        """Mastery before the prerequisite rule (`SkillMastery.own_now`)."""
        practice = self._practice.get(skill)
        recalls = [
            retrievability(state, now, params)
            for state, params in (self._items[i] for i in self._items_of_skill.get(skill, {}))
        ]
        weight = 1.0 + (practice.answers if practice else 0)
        return (weight * self._traced(skill, practice, now) + sum(recalls)) / (weight + len(recalls))

    def _traced(self, skill: SkillId, practice: _Practice | None, now: datetime) -> float:
        """The tracer's prediction with its gain over the prior faded since the skill was last practised."""
        traced = self._tracer.predict(skill)
        if practice is None:
            return traced
        base = self._priors.get(skill)
        if base is None:
            base = self._priors[skill] = prior(self.params.tracing, skill)
        gain = traced - base
        if gain <= 0.0:
            return traced
        stability = self.params.practice_stability_days * len(practice.days)
        elapsed = max((now - practice.last).total_seconds() / _SECONDS_PER_DAY, 0.0)
        return float(base + gain * practice_recall(elapsed, stability))


class MasteryMoment:
    """Mastery of a timeline's skills at one moment, each skill computed at most once."""

    def __init__(self, timeline: MasteryTimeline, now: datetime) -> None:
        self.timeline = timeline
        self.now = now
        self._own: dict[SkillId, float] = {}
        self._mastery: dict[SkillId, float] = {}

    def own(self, skill: SkillId) -> float:
        """Mastery before the prerequisite rule: an upper bound of `mastery` (the rule only lowers it)."""
        known = self._own.get(skill)
        if known is None:
            known = self._own[skill] = self.timeline.own_mastery(skill, self.now)
        return known

    def mastery(self, skill: SkillId) -> float:
        return self._mastery_of(skill, [])

    def _mastery_of(self, skill: SkillId, path: list[SkillId]) -> float:
        known = self._mastery.get(skill)
        if known is not None:
            return known
        if skill in path:
            cycle = [*path[path.index(skill) :], skill]
            raise PrerequisiteCycleError(
                "prerequisite cycle: " + " -> ".join(cycle) + "; remove one of these prerequisites"
            )
        path.append(skill)
        threshold = self.timeline.params.threshold
        factor = 1.0
        for needed in self.timeline.prerequisites.get(skill, ()):
            factor = min(factor, self._mastery_of(needed, path) / threshold)
        path.pop()
        self._mastery[skill] = value = min(1.0, max(0.0, self.own(skill) * factor))
        return value


def mastery_gains(
    answers: Iterable[PracticedAnswer],
    prerequisites: Mapping[SkillId, Sequence[SkillId]],
    params: MasteryParams = DEFAULT_MASTERY_PARAMS,
) -> list[MasteryGain]:
    """Each rise of a skill's best mastery up to the top milestone, judged at the end of each study day
    with answers (see the module docstring); `answers` in time order. Feed the result to
    `domain.xp.mastery_awards`."""
    top = max(milestone for milestone, _ in MASTERY_MILESTONES)
    timeline = MasteryTimeline(prerequisites, params)
    best: dict[SkillId, float] = {}
    gains: list[MasteryGain] = []
    day: date | None = None
    last_at: datetime | None = None
    judged: dict[SkillId, None] = {}

    def judge() -> None:
        if day is None or last_at is None:
            return
        moment = timeline.at(last_at)
        for skill in judged:
            # A skill past the top milestone has nothing left to earn, and one whose mastery before the
            # prerequisite rule is not above its best cannot rise: both skip the prerequisites' evaluation.
            if best[skill] >= top or moment.own(skill) <= best[skill]:
                continue
            now = moment.mastery(skill)
            if now > best[skill]:
                gains.append(MasteryGain(skill, day, best[skill], now))
                best[skill] = now
        judged.clear()

    for answer in answers:
        if answer.study_day != day:
            judge()
            day = answer.study_day
        new = [s for s in dict.fromkeys(answer.skills) if s not in best]
        if new:
            # Before the first answer on a skill: what the learner has without practising it.
            best.update(timeline.mastery(new, answer.at))
        timeline.observe(answer)
        judged.update(dict.fromkeys(answer.skills))
        last_at = answer.at
    judge()
    return gains
