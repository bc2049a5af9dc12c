"""XP: points for remembering and for mastery gained, never for activity that shows no learning.

Two sources, both pure functions of outcomes the learning engine already computed:

- **Recall.** A review answered correctly earns `RECALL_BASE_XP + round(RECALL_BONUS_XP * (1 - p))`, where `p`
  is the recall probability the memory model predicted just before the answer. Remembering something that
  was likely forgotten (p = 0.3: 5 + 7 = 12 XP) is worth more than answering a card seen a minute ago
  (p = 0.99: 5 + 0 = 5 XP). A first answer to a new item (no prediction) earns the base only. A wrong
  answer earns nothing. Each review uuid earns once (an offline retry re-sends the same uuid), and each
  item earns at most once per study day (drilling the same card again the same day earns nothing more).
- **Mastery.** A skill earns a milestone bonus the first time its mastery reaches each of `MASTERY_MILESTONES`
  (0.5, the mastered threshold 0.8, and 0.95). "First time" is judged against the best mastery the skill
  ever had, so mastery that decays and is regained does not pay twice.

Where the inputs come from: `skillbite.domain.recall_history` gives `p_recall_before` for every review
(the engine's memory fold, walked once), and `skillbite.domain.mastery_milestones` gives the `MasteryGain`s
(mastery judged at the end of each study day, starting from what the learner had before practising the
skill).

Opening a page, reading a lesson or starting a session earns nothing: there is no function for it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from skillbite.domain.ids import ItemId, SkillId
from skillbite.domain.mastery import MASTERED_THRESHOLD

RECALL_BASE_XP = 5
RECALL_BONUS_XP = 10
MASTERY_MILESTONES: tuple[tuple[float, int], ...] = ((0.5, 10), (MASTERED_THRESHOLD, 25), (0.95, 15))
"""(mastery reached, XP): practised, mastered, fluent. 50 XP in all for taking a skill from zero to fluent."""


class XpSource(StrEnum):
    RECALL = "recall"
    MASTERY = "mastery"


@dataclass(frozen=True)
class ReviewOutcome:
    """What the review endpoint knows once an answer is graded."""

    review: UUID
    item: ItemId
    study_day: date
    """The learner's study day of the answer (`skillbite.domain.study_day.local_study_day`)."""
    recalled: bool
    """The answer was right (grade Hard, Good or Easy for a flashcard, correct for a quiz item)."""
    p_recall_before: float | None
    """Predicted recall probability just before answering; None for an item never reviewed before."""

    def __post_init__(self) -> None:
        p = self.p_recall_before
        if p is not None and not (0.0 <= p <= 1.0 and math.isfinite(p)):
            raise ValueError(f"review {self.review}: field p_recall_before={p} must be within [0, 1]")


@dataclass(frozen=True)
class MasteryGain:
    """A skill's mastery after an answer, next to the best it had ever reached before that answer."""

    skill: SkillId
    study_day: date
    previous_best: float
    current: float

    def __post_init__(self) -> None:
        for name, value in (("previous_best", self.previous_best), ("current", self.current)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"skill {self.skill}: field {name}={value} must be within [0, 1]")


@dataclass(frozen=True)
class XpAward:
    source: XpSource
    key: str
    """The review uuid (recall) or `skill@milestone` (mastery): what earned it, for the activity feed."""
    study_day: date
    xp: int


def recall_xp(recalled: bool, p_recall_before: float | None) -> int:
    """XP for one answer, before the once-per-uuid and once-per-item-per-day rules."""
    if not recalled:
        return 0
    if p_recall_before is None:
        return RECALL_BASE_XP
    return RECALL_BASE_XP + round(RECALL_BONUS_XP * (1.0 - p_recall_before))


def review_awards(outcomes: Iterable[ReviewOutcome]) -> list[XpAward]:
    """Recall awards for outcomes in answer order. A repeated uuid (retry) and a second successful recall of
    an item on the same study day earn nothing; a failed answer does not use up the item's day."""
    seen_reviews: set[UUID] = set()
    paid_item_days: set[tuple[ItemId, date]] = set()
    awards: list[XpAward] = []
    for outcome in outcomes:
        if outcome.review in seen_reviews:
            continue
        seen_reviews.add(outcome.review)
        xp = recall_xp(outcome.recalled, outcome.p_recall_before)
        item_day = (outcome.item, outcome.study_day)
        if xp == 0 or item_day in paid_item_days:
            continue
        paid_item_days.add(item_day)
        awards.append(XpAward(XpSource.RECALL, str(outcome.review), outcome.study_day, xp))
    return awards


def mastery_awards(gain: MasteryGain) -> list[XpAward]:
    """Milestone awards for the milestones `current` reaches and `previous_best` had not."""
    return [
        XpAward(XpSource.MASTERY, f"{gain.skill}@{milestone}", gain.study_day, xp)
        for milestone, xp in MASTERY_MILESTONES
        if gain.previous_best < milestone <= gain.current
    ]


def total_xp(awards: Iterable[XpAward]) -> int:
    return sum(award.xp for award in awards)


def xp_by_day(awards: Iterable[XpAward]) -> Mapping[date, int]:
    """XP per study day, for the daily goal in XP and the progress chart."""
    per_day: dict[date, int] = {}
    for award in awards:
        per_day[award.study_day] = per_day.get(award.study_day, 0) + award.xp
    return per_day
