"""Today's session for a time budget: due reviews first, then new bites, sized by the learner's own pace.

Rules (docs/learning-engine.md, "Session planner"):
- an item's expected time is the learner's median seconds for its kind (the caller measures it; kinds the
  learner never answered fall back to grading.DEFAULT_TYPICAL_MS); a new bite costs its reading minutes
  plus the expected time of each of its items;
- the plan may exceed the budget by at most OVERRUN_ALLOWED (10%), never more, and holds each item once;
- when all due reviews fit, they all go in; when they do not, they are taken by expected retention gain per
  second: gain = R_after(H) - R_without(H), with H = GAIN_HORIZON_DAYS, R_without(H) the recall probability
  H days from now if the item is left alone and R_after(H) the expected one if it is reviewed now
  (recalled with probability R_now, then stability S_good; forgotten otherwise, then S_again);
- new bites follow in the order given (assignments before goals is the caller's ordering), whole bites only;
  on an over-budget day they compete with the reviews on the same scale: a new item's gain is its expected
  recall at H after a first exposure (from nothing), divided by the bite's seconds; without this rule an
  overloaded learner would never start anything new, and the simulation showed it learns less per hour;
- a just-in-time path session is the path's lessons in order and nothing else.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from skillbite.domain.content import ItemKind, Lesson
from skillbite.domain.grading import DEFAULT_TYPICAL_MS
from skillbite.domain.ids import ItemId, LessonId
from skillbite.domain.memory import DEFAULT_PARAMS, SECONDS_PER_DAY, Params, recall_probability
from skillbite.domain.review_deck import ReviewCandidate, ReviewDeck
from skillbite.domain.review_gain import (
    GAIN_HORIZON_DAYS,
    FloatArray,
    GainCurve,
    gain_upper_bounds,
    new_item_gain,
)

OVERRUN_ALLOWED = 0.10
BOUND_SLACK = 1e-9
"""Gain per second: an upper bound this far below the best exact entry still gets its exact gain computed, so
float rounding between the bound and the exact value can never reorder the plan (gains are about 1e-3/s)."""


@dataclass(frozen=True)
class NewBite:
    lesson: LessonId
    minutes: float
    """Estimated reading time of the lesson text."""
    items: tuple[tuple[ItemId, ItemKind], ...] = ()


def bite_from_lesson(lesson: Lesson) -> NewBite:
    return NewBite(lesson.id, lesson.minutes, tuple((item.id, item.kind) for item in lesson.items))


@dataclass(frozen=True)
class PlannerInput:
    reviews: Sequence[ReviewCandidate] | ReviewDeck
    """The learner's reviewed items, as candidates or as columns (what the service hands over)."""
    new_bites: Sequence[NewBite]
    seconds_per_kind: Mapping[ItemKind, float] = field(default_factory=dict)
    """The learner's median seconds per item kind."""
    params: Params = DEFAULT_PARAMS
    first_try_recall: float = 0.5
    """Share of new items the learner gets right at first sight (first answers not graded Again)."""


@dataclass(frozen=True)
class PlannedReview:
    item: ItemId
    kind: ItemKind
    expected_seconds: float
    recall_now: float
    gain_per_second: float


@dataclass(frozen=True)
class PlannedBite:
    lesson: LessonId
    items: tuple[ItemId, ...]
    expected_seconds: float


@dataclass(frozen=True)
class SessionPlan:
    reviews: tuple[PlannedReview, ...]
    bites: tuple[PlannedBite, ...]
    budget_seconds: float
    due_count: int
    """How many reviews were due; more than len(reviews) means the budget cut some."""

    @property
    def expected_seconds(self) -> float:
        return sum(r.expected_seconds for r in self.reviews) + sum(b.expected_seconds for b in self.bites)

    @property
    def item_ids(self) -> tuple[ItemId, ...]:
        return tuple(r.item for r in self.reviews) + tuple(i for b in self.bites for i in b.items)


def expected_item_seconds(kind: ItemKind, seconds_per_kind: Mapping[ItemKind, float]) -> float:
    measured = seconds_per_kind.get(kind)
    if measured is not None and measured > 0:
        return measured
    return DEFAULT_TYPICAL_MS[kind] / 1000.0


def bite_seconds(bite: NewBite, seconds_per_kind: Mapping[ItemKind, float]) -> float:
    return bite.minutes * 60.0 + sum(expected_item_seconds(kind, seconds_per_kind) for _, kind in bite.items)


def _budget_limit(budget: float) -> float:
    return budget * (1.0 + OVERRUN_ALLOWED)


def _elapsed_days(last_review: datetime, now: datetime) -> float:
    return max((now - last_review).total_seconds() / SECONDS_PER_DAY, 0.0)


def _due_positions(deck: ReviewDeck, now: datetime) -> list[int]:
    """Positions of the due entries, in deck order; an item listed twice counts by its first entry only."""
    due = [position for position, when in enumerate(deck.due) if when <= now]
    if len(set(deck.items)) == len(deck.items):
        return due
    first: dict[ItemId, int] = {}
    for position, item in enumerate(deck.items):
        first.setdefault(item, position)
    return [position for position in due if first[deck.items[position]] == position]


def plan_session(candidates: PlannerInput, minutes: float, now: datetime) -> SessionPlan:
    """Due reviews (by gain per second when they do not all fit), then new bites, within `minutes` (+10%)."""
    budget = max(minutes, 0.0) * 60.0
    limit = _budget_limit(budget)
    reviews = candidates.reviews
    deck = reviews if isinstance(reviews, ReviewDeck) else ReviewDeck.of(reviews)
    due = _due_positions(deck, now)
    seen = {deck.items[position] for position in due}
    seconds_by_kind = {kind: expected_item_seconds(kind, candidates.seconds_per_kind) for kind in ItemKind}
    seconds = [seconds_by_kind[deck.kinds[position]] for position in due]
    if sum(seconds) > budget:
        return _plan_overloaded(deck, due, seconds, candidates, now, seen, budget)
    planned = [
        PlannedReview(
            deck.items[position],
            deck.kinds[position],
            cost,
            recall_probability(
                float(deck.stability[position]),
                _elapsed_days(deck.last_review[position], now),
                candidates.params,
            ),
            0.0,
        )
        for position, cost in zip(due, seconds, strict=True)
    ]
    planned.sort(key=lambda r: (r.recall_now, r.item))  # all fit: the most forgotten first
    chosen: list[PlannedReview] = []
    spent = 0.0
    for review in planned:
        if spent >= budget:
            break
        if spent + review.expected_seconds <= limit:
            chosen.append(review)
            spent += review.expected_seconds
    bites, _ = _fill_with_bites(
        candidates.new_bites, candidates.seconds_per_kind, seen, spent, budget, skip_misfits=True
    )
    return SessionPlan(tuple(chosen), bites, budget, len(due))


_Entry = tuple[float, str, PlannedReview | PlannedBite]


class _DescendingBounds:
    """Positions of `bounds`, largest bound first, sorted only as far as the planner reads: the first `first`
    by a partial selection (numpy.argpartition), then twice as many each time it runs out."""

    def __init__(self, bounds: FloatArray, first: int) -> None:
        self._bounds = bounds
        self._rest = np.arange(len(bounds))
        self._chunk = max(first, 1)
        self._order: list[int] = []
        self._next = 0

    def _ready(self) -> bool:
        if self._next < len(self._order):
            return True
        if not self._rest.size:
            return False
        size = min(self._chunk, self._rest.size)
        if size < self._rest.size:
            split = np.argpartition(-self._bounds[self._rest], size - 1)
            top, self._rest = self._rest[split[:size]], self._rest[split[size:]]
        else:
            top, self._rest = self._rest, self._rest[:0]
        self._order = top[np.argsort(-self._bounds[top], kind="stable")].tolist()
        self._next = 0
        self._chunk *= 2
        return True

    def peek(self) -> float | None:
        """The largest bound not yet taken; None when all are taken."""
        return float(self._bounds[self._order[self._next]]) if self._ready() else None

    def take(self) -> int:
        self._ready()
        self._next += 1
        return self._order[self._next - 1]


def _plan_overloaded(
    deck: ReviewDeck,
    due: list[int],
    seconds: list[float],
    inputs: PlannerInput,
    now: datetime,
    seen: set[ItemId],
    budget: float,
) -> SessionPlan:
    """Reviews and new bites ranked together by gain per second, the budget filled greedily.

    Exact gains need an FSRS step per item, too slow for thousands of overdue items, so every due item first
    gets a vectorised upper bound on its gain (review_gain.gain_upper_bounds, tight to 0.1% of stability).
    Candidates are visited by that bound and an exact entry is taken only once no unvisited candidate could
    beat it: the same order as sorting every exact gain, with a few dozen FSRS steps and a partial sort.
    """
    limit = _budget_limit(budget)
    curve = GainCurve(inputs.params, GAIN_HORIZON_DAYS)
    per_item = new_item_gain(inputs.params, inputs.first_try_recall)
    ready: list[_Entry] = []  # a min-heap on (-gain per second, tie-break)
    for position, bite in enumerate(inputs.new_bites):
        fresh = _fresh_items(bite, seen)
        cost = bite_seconds(NewBite(bite.lesson, bite.minutes, fresh), inputs.seconds_per_kind)
        if not fresh or cost <= 0:
            continue
        planned_bite = PlannedBite(bite.lesson, tuple(item for item, _ in fresh), cost)
        # "~" sorts after item ids of equal value; the position keeps the caller's order of bites.
        ready.append((-per_item * len(fresh) / cost, f"~{position:09d}", planned_bite))
    heapq.heapify(ready)
    costs = np.asarray(seconds, dtype=np.float64)
    last_reviews = np.fromiter((deck.last_review[p].timestamp() for p in due), np.float64, len(due))
    bounds = (
        gain_upper_bounds(
            curve,
            np.fromiter(map(deck.stability.__getitem__, due), np.float64, len(due)),
            np.fromiter(map(deck.difficulty.__getitem__, due), np.float64, len(due)),
            (now.timestamp() - last_reviews) / SECONDS_PER_DAY,
        )
        / costs
    )
    # Enough for a budget of the cheapest reviews twice over; more are sorted only if the loop gets there.
    order = _DescendingBounds(bounds, 2 * int(limit / float(costs.min())) + 16)
    chosen_reviews: list[PlannedReview] = []
    chosen_bites: list[PlannedBite] = []
    spent = 0.0
    while spent < budget:
        bound = order.peek()
        while bound is not None and (not ready or -ready[0][0] <= bound + BOUND_SLACK):
            taken = order.take()
            position = due[taken]
            recall_now, gain = curve.gain(
                float(deck.stability[position]),
                float(deck.difficulty[position]),
                _elapsed_days(deck.last_review[position], now),
            )
            cost = seconds[taken]
            review = PlannedReview(deck.items[position], deck.kinds[position], cost, recall_now, gain / cost)
            heapq.heappush(ready, (-review.gain_per_second, review.item, review))
            bound = order.peek()
        if not ready:
            break
        _, _, entry = heapq.heappop(ready)
        if spent + entry.expected_seconds > limit:
            continue
        if isinstance(entry, PlannedBite):
            if any(item in seen for item in entry.items):
                continue
            seen.update(entry.items)
            chosen_bites.append(entry)
        else:
            chosen_reviews.append(entry)
        spent += entry.expected_seconds
    return SessionPlan(tuple(chosen_reviews), tuple(chosen_bites), budget, len(due))


def _fresh_items(bite: NewBite, seen: set[ItemId]) -> tuple[tuple[ItemId, ItemKind], ...]:
    """The bite's items not already in the session, each once (a lesson may list an item twice)."""
    fresh: dict[ItemId, ItemKind] = {}
    for item, kind in bite.items:
        if item not in seen and item not in fresh:
            fresh[item] = kind
    return tuple(fresh.items())


def _fill_with_bites(
    bites: Sequence[NewBite],
    seconds_per_kind: Mapping[ItemKind, float],
    seen: set[ItemId],
    spent: float,
    budget: float | None,
    skip_misfits: bool,
) -> tuple[tuple[PlannedBite, ...], float]:
    limit = None if budget is None else _budget_limit(budget)
    chosen: list[PlannedBite] = []
    for bite in bites:
        if budget is not None and spent >= budget:
            break
        fresh = _fresh_items(bite, seen)
        seconds = bite_seconds(NewBite(bite.lesson, bite.minutes, fresh), seconds_per_kind)
        if limit is not None and spent + seconds > limit:
            if skip_misfits:
                continue  # a shorter bite later in the list may still fit
            break
        seen.update(item for item, _ in fresh)
        chosen.append(PlannedBite(bite.lesson, tuple(item for item, _ in fresh), seconds))
        spent += seconds
    return tuple(chosen), spent


def plan_path_session(
    lessons: Sequence[NewBite],
    seconds_per_kind: Mapping[ItemKind, float],
    minutes: float | None = None,
) -> SessionPlan:
    """A just-in-time path: its lessons in order and nothing else.

    Without `minutes` every lesson goes in (the learner asked for the path now); with `minutes`, the path is
    cut at the first lesson that would exceed the budget by more than 10%, so it resumes there next time
    (never skipping ahead: a path's order is its point). The first lesson is always included.
    """
    if minutes is None:
        bites, _ = _fill_with_bites(lessons, seconds_per_kind, set(), 0.0, None, skip_misfits=False)
        return SessionPlan((), bites, sum(b.expected_seconds for b in bites), 0)
    budget = max(minutes, 0.0) * 60.0
    if not lessons:
        return SessionPlan((), (), budget, 0)
    seen: set[ItemId] = set()
    first, spent = _fill_with_bites(lessons[:1], seconds_per_kind, seen, 0.0, None, skip_misfits=False)
    rest, _ = _fill_with_bites(lessons[1:], seconds_per_kind, seen, spent, budget, skip_misfits=False)
    return SessionPlan((), first + rest, budget, 0)
