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
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import fsrs_rs_python as fsrs

from skillbite.domain.content import ItemKind, Lesson
from skillbite.domain.grading import DEFAULT_TYPICAL_MS
from skillbite.domain.ids import ItemId, LessonId
from skillbite.domain.memory import (
    DEFAULT_PARAMS,
    SECONDS_PER_DAY,
    MemoryState,
    Params,
    fsrs_model,
    recall_probability,
)

OVERRUN_ALLOWED = 0.10
GAIN_HORIZON_DAYS = 30.0


@dataclass(frozen=True)
class ReviewCandidate:
    item: ItemId
    kind: ItemKind
    state: MemoryState
    """The item's state; it is due when `state.due <= now` (the due date already reflects its retention)."""


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
    reviews: Sequence[ReviewCandidate]
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


class _Curve:
    """The forgetting curve and FSRS model of one parameter set, set up once per plan."""

    def __init__(self, params: Params, horizon_days: float) -> None:
        self.params = params
        self.decay = params[20]
        self.factor = 0.9 ** (-1.0 / self.decay) - 1.0
        self.horizon = horizon_days
        self.model = fsrs_model(params)

    def recall(self, stability: float, elapsed_days: float) -> float:
        return float((1.0 + self.factor * elapsed_days / stability) ** -self.decay)

    def gain(self, stability: float, difficulty: float, elapsed_days: float) -> tuple[float, float]:
        """(recall now, retention gain at the horizon if reviewed now)."""
        recall_now = self.recall(stability, elapsed_days)
        without = self.recall(stability, elapsed_days + self.horizon)
        states = self.model.next_states(fsrs.MemoryState(stability, difficulty), 0.9, int(elapsed_days))
        s_good, s_again = states.good.memory.stability, states.again.memory.stability
        after = recall_now * self.recall(s_good, self.horizon) + (1.0 - recall_now) * self.recall(
            s_again, self.horizon
        )
        return recall_now, after - without


def _elapsed_days(state: MemoryState, now: datetime) -> float:
    return max((now - state.last_review).total_seconds() / SECONDS_PER_DAY, 0.0)


def retention_gain(
    state: MemoryState, now: datetime, params: Params, horizon_days: float = GAIN_HORIZON_DAYS
) -> float:
    """Expected recall probability at now + horizon if reviewed now, minus if left alone (see module doc)."""
    return _Curve(params, horizon_days).gain(state.stability, state.difficulty, _elapsed_days(state, now))[1]


def new_item_gain(params: Params, first_try_recall: float, horizon_days: float = GAIN_HORIZON_DAYS) -> float:
    """Expected recall at the horizon of an item seen for the first time now (it counted 0 before)."""
    good, again = params[2], params[0]
    return first_try_recall * recall_probability(good, horizon_days, params) + (1.0 - first_try_recall) * (
        recall_probability(again, horizon_days, params)
    )


def _budget_limit(budget: float) -> float:
    return budget * (1.0 + OVERRUN_ALLOWED)


def _planned_review(
    candidate: ReviewCandidate,
    now: datetime,
    inputs: PlannerInput,
    curve: _Curve | None,
    seconds_by_kind: Mapping[ItemKind, float],
) -> PlannedReview:
    """The review with its expected time; its gain per second is computed only when `curve` is given."""
    seconds = seconds_by_kind[candidate.kind]
    state = candidate.state
    elapsed = _elapsed_days(state, now)
    if curve is None:
        recall_now, gain = recall_probability(state.stability, elapsed, inputs.params), 0.0
    else:
        recall_now, gain = curve.gain(state.stability, state.difficulty, elapsed)
    return PlannedReview(candidate.item, candidate.kind, seconds, recall_now, gain / seconds)


def plan_session(candidates: PlannerInput, minutes: float, now: datetime) -> SessionPlan:
    """Due reviews (by gain per second when they do not all fit), then new bites, within `minutes` (+10%)."""
    budget = max(minutes, 0.0) * 60.0
    limit = _budget_limit(budget)
    seen: set[ItemId] = set()
    due: list[ReviewCandidate] = []
    listed: set[ItemId] = set()
    for candidate in candidates.reviews:
        if candidate.item in listed:
            continue  # an item listed twice: its first copy counts
        listed.add(candidate.item)
        if candidate.state.due <= now:
            seen.add(candidate.item)
            due.append(candidate)
    seconds_by_kind = {kind: expected_item_seconds(kind, candidates.seconds_per_kind) for kind in ItemKind}
    if sum(seconds_by_kind[c.kind] for c in due) > budget:
        return _plan_overloaded(due, candidates, now, seen, budget, seconds_by_kind)
    planned = [_planned_review(c, now, candidates, None, seconds_by_kind) for c in due]
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


def _plan_overloaded(
    due: list[ReviewCandidate],
    inputs: PlannerInput,
    now: datetime,
    seen: set[ItemId],
    budget: float,
    seconds_by_kind: Mapping[ItemKind, float],
) -> SessionPlan:
    """Reviews and new bites ranked together by gain per second, the budget filled greedily.

    Exact gains need an FSRS step per item, too slow for thousands of overdue items, so the gain is first
    bounded from above cheaply: FSRS never raises stability on a lapse (S_again <= S), and after a recall on a
    later day FSRS-6 gives S_good = S * (1 + e^w8 * (11 - D) * S^-w9 * (e^(w10 (1 - R)) - 1)) with R at whole
    days; evaluating it at the fractional-day R (lower, so a larger S_good) plus 0.1% for fsrs-rs's 32-bit
    floats bounds S_good. Candidates are visited by that bound and an exact entry is taken only once no
    unvisited candidate could beat it: the same order as sorting every exact gain, at a fraction of the cost.
    """
    limit = _budget_limit(budget)
    curve = _Curve(inputs.params, GAIN_HORIZON_DAYS)
    per_item = new_item_gain(inputs.params, inputs.first_try_recall)
    ready: list[_Entry] = []  # a min-heap on (-gain per second, tie-break)
    for position, bite in enumerate(inputs.new_bites):
        fresh = _fresh_items(bite, seen)
        seconds = bite_seconds(NewBite(bite.lesson, bite.minutes, fresh), inputs.seconds_per_kind)
        if not fresh or seconds <= 0:
            continue
        planned_bite = PlannedBite(bite.lesson, tuple(item for item, _ in fresh), seconds)
        # "~" sorts after item ids of equal value; the position keeps the caller's order of bites.
        ready.append((-per_item * len(fresh) / seconds, f"~{position:09d}", planned_bite))
    heapq.heapify(ready)
    # The hot loop of a backlog day: locals and inlined curve arithmetic (same formula as _Curve.recall).
    bounds = []
    decay, factor, horizon = curve.decay, curve.factor, curve.horizon
    exp_w8, w9, w10 = math.exp(inputs.params[8]), inputs.params[9], inputs.params[10]
    now_seconds = now.timestamp()
    for candidate in due:
        state = candidate.state
        stability = state.stability
        elapsed = max((now_seconds - state.last_review.timestamp()) / SECONDS_PER_DAY, 0.0)
        recall_now = (1.0 + factor * elapsed / stability) ** -decay
        without = (1.0 + factor * (elapsed + horizon) / stability) ** -decay
        recall_after_lapse = (1.0 + factor * horizon / stability) ** -decay  # S_again <= S
        if elapsed >= 1.0:
            growth = (
                exp_w8
                * (11.0 - state.difficulty)
                * stability**-w9
                * (math.exp(w10 * (1.0 - recall_now)) - 1.0)
            )
            s_good_bound = stability * (1.0 + max(growth, 0.0)) * 1.001
            best_after = recall_now * (1.0 + factor * horizon / s_good_bound) ** -decay
        else:
            best_after = recall_now  # same-day review: FSRS's short-term rule; only R <= 1 is used
        best_after += (1.0 - recall_now) * recall_after_lapse
        bounds.append(((best_after - without) / seconds_by_kind[candidate.kind], candidate.item, candidate))
    bounds.sort(key=lambda entry: (-entry[0], entry[1]))
    next_bound = 0
    chosen_reviews: list[PlannedReview] = []
    chosen_bites: list[PlannedBite] = []
    spent = 0.0
    while spent < budget:
        # `<=` with a hair of slack: a candidate whose bound ties the best exact gain may tie it exactly, and
        # then the item id decides, as in a full sort.
        while next_bound < len(bounds) and (not ready or -ready[0][0] <= bounds[next_bound][0] + 1e-12):
            review = _planned_review(bounds[next_bound][2], now, inputs, curve, seconds_by_kind)
            heapq.heappush(ready, (-review.gain_per_second, review.item, review))
            next_bound += 1
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
