"""Session planner: budget (+10% at most), each item once, reviews ranked by retention gain per second."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillbite.domain.content import ItemKind
from skillbite.domain.ids import ItemId, LessonId
from skillbite.domain.memory import DEFAULT_PARAMS, MemoryState, Params
from skillbite.domain.review_gain import new_item_gain, retention_gain
from skillbite.domain.session_planner import (
    OVERRUN_ALLOWED,
    NewBite,
    PlannerInput,
    ReviewCandidate,
    ReviewDeck,
    bite_seconds,
    expected_item_seconds,
    plan_path_session,
    plan_session,
)

NOW = datetime(2026, 4, 1, 7, 30, tzinfo=UTC)
PACE = {ItemKind.MULTIPLE_CHOICE: 8.0, ItemKind.CLOZE: 12.0, ItemKind.FLASHCARD: 20.0}


def candidate(
    name: str,
    stability: float,
    elapsed_days: float,
    due_in_days: float,
    kind: ItemKind,
    difficulty: float = 5.0,
) -> ReviewCandidate:
    last = NOW - timedelta(days=elapsed_days)
    state = MemoryState(stability, difficulty, NOW + timedelta(days=due_in_days), last, 3, 0)
    return ReviewCandidate(ItemId(name), kind, state)


kinds = st.sampled_from([ItemKind.MULTIPLE_CHOICE, ItemKind.CLOZE, ItemKind.FLASHCARD, ItemKind.ORDERING])
elapsed_days = st.one_of(
    st.floats(min_value=0.0, max_value=400.0),
    st.integers(min_value=0, max_value=400).map(float),  # whole days: the bound steps aside there
)
candidate_fields = st.tuples(
    st.integers(min_value=0, max_value=60),  # item name: collisions make duplicate candidates
    st.floats(min_value=0.2, max_value=500.0),
    elapsed_days,
    st.floats(min_value=-200.0, max_value=30.0),
    kinds,
    st.floats(min_value=1.0, max_value=10.0),
)
candidates = st.lists(candidate_fields, max_size=80)
# A learner's own parameters: anywhere from half to one and a half times the defaults.
param_sets = st.one_of(
    st.just(DEFAULT_PARAMS),
    st.lists(st.floats(min_value=0.5, max_value=1.5), min_size=21, max_size=21).map(
        lambda scales: tuple(w * k for w, k in zip(DEFAULT_PARAMS, scales, strict=True))
    ),
)
bites = st.lists(
    st.tuples(
        st.floats(min_value=0.0, max_value=8.0),
        st.lists(st.tuples(st.integers(min_value=0, max_value=90), kinds), max_size=5),
    ),
    max_size=12,
)


def build(raw_candidates: list, raw_bites: list, params: Params = DEFAULT_PARAMS) -> PlannerInput:  # type: ignore[type-arg]
    reviews = [candidate(f"i{n}", s, e, d, k, diff) for n, s, e, d, k, diff in raw_candidates]
    new = [
        NewBite(LessonId(f"l{b}"), minutes, tuple((ItemId(f"i{n}"), k) for n, k in items))
        for b, (minutes, items) in enumerate(raw_bites)
    ]
    return PlannerInput(reviews, new, PACE, params, 0.6)


@settings(max_examples=150, deadline=None)
@given(raw_candidates=candidates, raw_bites=bites, minutes=st.floats(min_value=0.0, max_value=30.0))
def test_budget_is_never_exceeded_by_more_than_ten_percent(
    raw_candidates: list, raw_bites: list, minutes: float
) -> None:  # type: ignore[type-arg]
    plan = plan_session(build(raw_candidates, raw_bites), minutes, NOW)
    assert plan.expected_seconds <= minutes * 60 * (1 + OVERRUN_ALLOWED) + 1e-9


@settings(max_examples=150, deadline=None)
@given(raw_candidates=candidates, raw_bites=bites, minutes=st.floats(min_value=0.0, max_value=30.0))
def test_no_item_twice_and_only_due_reviews(raw_candidates: list, raw_bites: list, minutes: float) -> None:  # type: ignore[type-arg]
    inputs = build(raw_candidates, raw_bites)
    plan = plan_session(inputs, minutes, NOW)
    assert len(plan.item_ids) == len(set(plan.item_ids))
    first_copies = {c.item: c for c in reversed(inputs.reviews)}
    due = {item for item, c in first_copies.items() if c.state.due <= NOW}
    assert {r.item for r in plan.reviews} <= due
    assert not {i for b in plan.bites for i in b.items} & due


def reference_plan(inputs: PlannerInput, minutes: float) -> tuple[list[ItemId], list[LessonId]]:
    """The rule as written in docs/learning-engine.md, computed the slow way: every exact gain, one sort."""
    assert not isinstance(inputs.reviews, ReviewDeck)
    budget = minutes * 60
    limit = budget * (1 + OVERRUN_ALLOWED)
    first_copies = {c.item: c for c in reversed(inputs.reviews)}
    due = [c for c in first_copies.values() if c.state.due <= NOW]
    seen = {c.item for c in due}
    ranked = []
    for c in due:
        seconds = expected_item_seconds(c.kind, PACE)
        ranked.append((-retention_gain(c.state, NOW, inputs.params) / seconds, str(c.item), seconds, c.item))
    per_item = new_item_gain(inputs.params, inputs.first_try_recall)
    for position, bite in enumerate(inputs.new_bites):
        fresh = tuple({i: k for i, k in reversed(bite.items) if i not in seen}.items())
        seconds = bite_seconds(NewBite(bite.lesson, bite.minutes, fresh), PACE)
        if fresh and seconds > 0:
            ranked.append((-per_item * len(fresh) / seconds, f"~{position:09d}", seconds, bite))
    ranked.sort(key=lambda entry: (entry[0], entry[1]))
    reviews, lessons, spent = [], [], 0.0
    for _, _, seconds, entry in ranked:
        if spent >= budget:
            break
        if spent + seconds > limit:
            continue
        if isinstance(entry, NewBite):
            fresh_ids = [i for i, _ in entry.items if i not in {c.item for c in due}]
            if any(i in seen for i in fresh_ids):
                continue
            seen.update(fresh_ids)
            lessons.append(entry.lesson)
        else:
            reviews.append(entry)
        spent += seconds
    return reviews, lessons


def assert_follows_the_rule(inputs: PlannerInput, minutes: float) -> None:
    assert not isinstance(inputs.reviews, ReviewDeck)
    first_copies = {c.item: c for c in reversed(inputs.reviews)}  # the planner keeps an item's first copy
    due_seconds = sum(
        expected_item_seconds(c.kind, PACE) for c in first_copies.values() if c.state.due <= NOW
    )
    plan = plan_session(inputs, minutes, NOW)
    if due_seconds <= minutes * 60:
        return  # not overloaded: covered by the test below
    reviews, lessons = reference_plan(inputs, minutes)
    assert [r.item for r in plan.reviews] == reviews
    assert [b.lesson for b in plan.bites] == lessons


@settings(max_examples=200, deadline=None)
@given(
    raw_candidates=candidates,
    raw_bites=bites,
    minutes=st.floats(min_value=0.5, max_value=5.0),
    params=param_sets,
)
def test_overloaded_day_follows_the_gain_per_second_rule(
    raw_candidates: list, raw_bites: list, minutes: float, params: Params
) -> None:  # type: ignore[type-arg]
    assert_follows_the_rule(build(raw_candidates, raw_bites, params), minutes)


def random_backlog(rng: random.Random, size: int) -> list[tuple[int, float, float, float, ItemKind, float]]:
    """`size` candidates (some listed twice), about two thirds due, some a whole number of days old."""
    return [
        (
            rng.randrange(size),
            10 ** rng.uniform(-0.7, 2.7),
            float(rng.randrange(400)) if rng.random() < 0.2 else rng.uniform(0, 400),
            rng.uniform(-200, 30),
            rng.choice([ItemKind.MULTIPLE_CHOICE, ItemKind.CLOZE, ItemKind.FLASHCARD, ItemKind.ORDERING]),
            rng.uniform(1, 10),
        )
        for _ in range(size)
    ]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    size=st.integers(min_value=100, max_value=600),
    raw_bites=bites,
    minutes=st.floats(min_value=0.5, max_value=60.0),
    params=param_sets,
)
def test_a_long_backlog_follows_the_rule_past_the_first_partial_sort(
    seed: int, size: int, raw_bites: list, minutes: float, params: Params
) -> None:  # type: ignore[type-arg]
    # Hundreds of candidates and budgets up to an hour: the planner sorts bounds a chunk at a time.
    assert_follows_the_rule(build(random_backlog(random.Random(seed), size), raw_bites, params), minutes)


@settings(max_examples=100, deadline=None)
@given(raw_candidates=candidates, raw_bites=bites, minutes=st.floats(min_value=0.0, max_value=30.0))
def test_a_review_deck_gives_the_same_plan_as_candidates(
    raw_candidates: list, raw_bites: list, minutes: float
) -> None:  # type: ignore[type-arg]
    inputs = build(raw_candidates, raw_bites)
    assert not isinstance(inputs.reviews, ReviewDeck)
    as_deck = PlannerInput(ReviewDeck.of(inputs.reviews), inputs.new_bites, PACE, DEFAULT_PARAMS, 0.6)
    assert plan_session(as_deck, minutes, NOW) == plan_session(inputs, minutes, NOW)


def test_a_review_deck_refuses_columns_of_different_lengths() -> None:
    with pytest.raises(ValueError, match=r"ReviewDeck\.due has 1 entries but items has 2"):
        ReviewDeck([ItemId("a"), ItemId("b")], [ItemKind.CLOZE] * 2, [1.0] * 2, [5.0] * 2, [NOW], [NOW] * 2)


def test_gain_beats_due_date_when_the_budget_is_short() -> None:
    # Overdue for ten days but very stable: reviewing it now changes little in a month.
    stable = candidate("stable", 1000.0, 1000.0, -10.0, ItemKind.MULTIPLE_CHOICE)
    # Due today and fragile: without a review it is mostly gone in a month.
    fragile = candidate("fragile", 5.0, 5.0, 0.0, ItemKind.MULTIPLE_CHOICE)
    plan = plan_session(PlannerInput([stable, fragile], [], PACE), 8.0 / 60, NOW)
    assert [r.item for r in plan.reviews] == [ItemId("fragile")]
    assert plan.due_count == 2


def test_everything_due_fits_then_bites_in_the_given_order() -> None:
    due = [candidate(f"d{n}", 10.0, 12.0, -1.0, ItemKind.CLOZE) for n in range(5)]  # 60 s
    later = candidate("later", 10.0, 1.0, 5.0, ItemKind.CLOZE)
    lessons = [
        NewBite(LessonId("too-long"), 20.0, ()),
        NewBite(LessonId("first"), 2.0, ((ItemId("n1"), ItemKind.MULTIPLE_CHOICE),)),
        NewBite(LessonId("second"), 3.0, ((ItemId("n2"), ItemKind.CLOZE),)),
    ]
    plan = plan_session(PlannerInput([*due, later], lessons, PACE), 6.5, NOW)
    assert {r.item for r in plan.reviews} == {c.item for c in due}
    assert [b.lesson for b in plan.bites] == [LessonId("first"), LessonId("second")]
    assert plan.expected_seconds == 60 + (120 + 8) + (180 + 12)


def test_path_session_is_the_lessons_in_order_and_nothing_else() -> None:
    lessons = [NewBite(LessonId(f"step-{n}"), 4.0, ((ItemId(f"q{n}"), ItemKind.CLOZE),)) for n in range(4)]
    whole = plan_path_session(lessons, PACE)
    assert [b.lesson for b in whole.bites] == [b.lesson for b in lessons] and whole.reviews == ()
    cut = plan_path_session(lessons, PACE, minutes=9.0)
    assert [b.lesson for b in cut.bites] == [LessonId("step-0"), LessonId("step-1")]
    tiny = plan_path_session(lessons, PACE, minutes=1.0)
    assert [b.lesson for b in tiny.bites] == [LessonId("step-0")]  # the first lesson always goes in


def test_unknown_kind_uses_the_default_pace() -> None:
    assert expected_item_seconds(ItemKind.MATCHING, PACE) == 25.0
