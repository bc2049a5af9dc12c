"""Mastery per skill: practice raises it, time lowers its forecast, weak prerequisites hold it down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillbite.domain.ids import ItemId, SkillId
from skillbite.domain.knowledge_tracing import (
    DEFAULT_TRACING_PARAMS,
    FEATURE_NAMES,
    MONOTONE_SIGNS,
    PER_SKILL_FEATURES,
    KnowledgeTracer,
    SkillTerms,
    TracingParams,
    Transfer,
    is_monotone,
)
from skillbite.domain.mastery import (
    DEFAULT_MASTERY_PARAMS,
    MASTERED_THRESHOLD,
    MasteryParams,
    PracticeResult,
    PrerequisiteCycleError,
    SkillMastery,
    estimate_mastery,
    is_mastered,
    mastered_skills,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
A, B, C = SkillId("a"), SkillId("b"), SkillId("c")


def answers(skill: SkillId, pattern: str, *, end: datetime = NOW, step: timedelta = timedelta(minutes=1)):
    """'1' right, '0' wrong; the last answer lands at `end`."""
    start = end - step * (len(pattern) - 1)
    return [PracticeResult(skill, ch == "1", start + step * i) for i, ch in enumerate(pattern)]


# Fitted-style parameters: B is harder than the default and learns from A (transfer), C has its own weights.
TRANSFER_PARAMS = TracingParams(
    bias=DEFAULT_TRACING_PARAMS.bias,
    weights=DEFAULT_TRACING_PARAMS.weights,
    skills={
        B: SkillTerms(
            intercept=-0.5,
            transfer={A: Transfer(successes=0.4, failures=-0.3, first_successes=0.3, first_failures=-0.2)},
        ),
        # Steeper learning on C: every weight pushed further in its monotone direction.
        C: SkillTerms(
            intercept=0.2,
            weights=tuple(0.1 * (MONOTONE_SIGNS[FEATURE_NAMES[i]] or 0) for i in PER_SKILL_FEATURES),
        ),
    },
    base_logits={A: 0.8, B: 0.2},
    default_base_logit=1.0,
)


def mastery(
    practice=(), prerequisites=None, recall=None, items=None, now=NOW, params=DEFAULT_MASTERY_PARAMS
) -> dict[SkillId, SkillMastery]:
    return estimate_mastery(
        prerequisites=prerequisites or {},
        practice=list(practice),
        item_recall=recall or {},
        items_by_skill=items or {},
        now=now,
        params=params,
    )


def test_the_default_tracing_parameters_are_monotone() -> None:
    assert is_monotone(DEFAULT_TRACING_PARAMS)


@pytest.mark.parametrize(("better", "worse"), [("1111", "0000"), ("1101", "1100"), ("111111", "111")])
def test_more_right_practice_gives_higher_mastery(better: str, worse: str) -> None:
    high = mastery(answers(A, better))[A]
    low = mastery(answers(A, worse))[A]
    assert high.now > low.now
    assert high.in_30_days > low.in_30_days


@settings(max_examples=60, deadline=None)
@given(pattern=st.text("01", min_size=1, max_size=25), other=st.text("01", max_size=10), data=st.data())
def test_turning_a_wrong_answer_right_never_lowers_mastery(
    pattern: str, other: str, data: st.DataObject
) -> None:
    wrong = [i for i, ch in enumerate(pattern) if ch == "0"]
    if not wrong:
        return
    flip = data.draw(st.sampled_from(wrong))
    fixed = pattern[:flip] + "1" + pattern[flip + 1 :]
    history = answers(B, other, end=NOW - timedelta(hours=1))
    before = mastery([*history, *answers(A, pattern)], prerequisites={C: (A,), B: ()})
    after = mastery([*history, *answers(A, fixed)], prerequisites={C: (A,), B: ()})
    for skill in (A, B, C):
        assert after[skill].now >= before[skill].now - 1e-12


def test_forgetting_lowers_the_forecast_and_mastery_over_time() -> None:
    practice = answers(A, "0111111")
    fresh = mastery(practice)[A]
    assert fresh.in_30_days < fresh.now
    a_week_later = mastery(practice, now=NOW + timedelta(days=7))[A]
    assert a_week_later.now < fresh.now
    assert a_week_later.in_30_days < fresh.in_30_days


def test_practice_spread_over_days_is_forgotten_more_slowly() -> None:
    massed = answers(A, "11111", step=timedelta(minutes=1))
    spaced = answers(A, "11111", step=timedelta(days=1))
    assert mastery(spaced)[A].in_30_days > mastery(massed)[A].in_30_days


def test_item_recall_counts_and_its_forecast_follows_the_memory_model() -> None:
    items = {A: (ItemId("i1"), ItemId("i2"))}
    solid = mastery(recall={ItemId("i1"): (0.95, 0.9), ItemId("i2"): (0.95, 0.9)}, items=items)[A]
    fading = mastery(recall={ItemId("i1"): (0.95, 0.3), ItemId("i2"): (0.95, 0.3)}, items=items)[A]
    assert A not in mastery()  # a skill nobody mentions is not reported
    assert solid.items == 2
    assert solid.now == pytest.approx(fading.now)
    assert fading.in_30_days < solid.in_30_days
    weak = mastery(recall={ItemId("i1"): (0.2, 0.1)}, items=items)[A]
    assert weak.now < solid.now


@settings(max_examples=40, deadline=None)
@given(pattern=st.text("01", min_size=1, max_size=20), other=st.text("01", max_size=10), data=st.data())
def test_with_fitted_transfer_a_right_answer_still_never_lowers_mastery(
    pattern: str, other: str, data: st.DataObject
) -> None:
    assert is_monotone(TRANSFER_PARAMS)
    wrong = [i for i, ch in enumerate(pattern) if ch == "0"]
    if not wrong:
        return
    flip = data.draw(st.sampled_from(wrong))
    fixed = pattern[:flip] + "1" + pattern[flip + 1 :]
    params = MasteryParams(tracing=TRANSFER_PARAMS)
    history = [*answers(B, other, end=NOW - timedelta(minutes=30)), *answers(C, other)]
    graph = {B: (), C: ()}
    before = mastery([*answers(A, pattern, end=NOW - timedelta(hours=1)), *history], graph, params=params)
    after = mastery([*answers(A, fixed, end=NOW - timedelta(hours=1)), *history], graph, params=params)
    for skill in (A, B, C):
        assert after[skill].now >= before[skill].now - 1e-12
        assert after[skill].in_30_days >= before[skill].in_30_days - 1e-12


def test_transfer_from_a_skill_shows_before_practice_and_the_prerequisite_cap_still_holds() -> None:
    params = MasteryParams(tracing=TRANSFER_PARAMS)
    strong = mastery(answers(A, "11111111"), prerequisites={B: (A,)}, params=params)
    weak = mastery(answers(A, "00000000"), prerequisites={B: (A,)}, params=params)
    assert strong[B].answers == weak[B].answers == 0
    assert strong[B].own_now > weak[B].own_now
    assert weak[B].limited_by == A
    assert weak[B].now == pytest.approx(weak[B].own_now * weak[A].now / MASTERED_THRESHOLD)
    for result in (strong, weak):
        for m in result.values():
            assert 0.0 <= m.in_30_days <= m.now <= 1.0


def test_a_weak_prerequisite_caps_the_dependent_skill() -> None:
    graph = {B: (A,)}
    strong_b = answers(B, "11111111")
    capped = mastery([*answers(A, "0000", end=NOW - timedelta(hours=1)), *strong_b], prerequisites=graph)
    free = mastery([*answers(A, "11111111", end=NOW - timedelta(hours=1)), *strong_b], prerequisites=graph)
    assert capped[A].now < MASTERED_THRESHOLD
    assert capped[B].limited_by == A
    assert capped[B].now == pytest.approx(capped[B].own_now * capped[A].now / MASTERED_THRESHOLD)
    assert capped[B].now < capped[B].own_now
    assert free[A].now >= MASTERED_THRESHOLD
    assert free[B].limited_by is None
    assert free[B].now == pytest.approx(free[B].own_now)


def test_the_cap_passes_down_a_chain_of_prerequisites() -> None:
    graph = {C: (B,), B: (A,)}
    practice = [*answers(A, "000"), *answers(B, "1111111", end=NOW - timedelta(hours=2))]
    practice += answers(C, "1111111", end=NOW - timedelta(hours=1))
    result = mastery(practice, prerequisites=graph)
    assert result[C].limited_by == B
    assert result[C].now < result[C].own_now


def test_is_mastered_uses_the_threshold() -> None:
    result = mastery([*answers(A, "11111111111"), *answers(B, "0000")])
    assert is_mastered(result[A])
    assert not is_mastered(result[B])
    assert not is_mastered(result[A], threshold=0.999)
    assert mastered_skills(result.values()) == frozenset({A})
    strict = estimate_mastery(
        prerequisites={},
        practice=answers(A, "11111111111"),
        item_recall={},
        items_by_skill={},
        now=NOW,
        params=MasteryParams(threshold=0.999),
    )
    assert not strict[A].mastered


history = st.lists(
    st.tuples(st.sampled_from([A, B, C]), st.booleans(), st.integers(min_value=0, max_value=90 * 24 * 60)),
    max_size=40,
)
recall_value = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@settings(max_examples=80, deadline=None)
@given(events=history, recall=st.lists(st.tuples(recall_value, recall_value), max_size=4))
def test_probabilities_stay_in_range_and_the_forecast_never_rises(
    events: list[tuple[SkillId, bool, int]], recall: list[tuple[float, float]]
) -> None:
    practice = [PracticeResult(s, ok, NOW - timedelta(minutes=m)) for s, ok, m in events]
    item_ids = [ItemId(f"i{i}") for i in range(len(recall))]
    result = mastery(
        practice,
        prerequisites={C: (A, B), B: (A,)},
        recall=dict(zip(item_ids, recall, strict=True)),
        items={A: tuple(item_ids[:2]), B: tuple(item_ids[2:])},
    )
    assert set(result) == {A, B, C}
    for m in result.values():
        for p in (m.now, m.in_30_days, m.own_now, m.own_in_30_days):
            assert 0.0 <= p <= 1.0
        assert m.in_30_days <= m.now
        assert m.now <= m.own_now + 1e-12


@settings(max_examples=30, deadline=None)
@given(events=history, seed=st.randoms(use_true_random=False))
def test_mastery_is_deterministic_and_ignores_arrival_order(events, seed) -> None:
    distinct = {m: (s, ok) for s, ok, m in events}  # one answer per minute, so time order is total
    practice = [PracticeResult(s, ok, NOW - timedelta(minutes=m)) for m, (s, ok) in distinct.items()]
    shuffled = list(practice)
    seed.shuffle(shuffled)
    assert mastery(practice) == mastery(practice)
    assert mastery(shuffled) == mastery(practice)


def test_answers_after_now_are_not_counted() -> None:
    past = answers(A, "0")
    future = [PracticeResult(A, True, NOW + timedelta(days=1))]
    assert mastery([*past, *future])[A] == mastery(past)[A]


def test_the_tracer_predicts_from_the_learners_record_on_other_skills() -> None:
    strong, weak = KnowledgeTracer(DEFAULT_TRACING_PARAMS), KnowledgeTracer(DEFAULT_TRACING_PARAMS)
    for _ in range(10):
        strong.observe(A, True)
        weak.observe(A, False)
    assert strong.predict(B) > weak.predict(B)


def test_errors_say_what_to_fix() -> None:
    with pytest.raises(PrerequisiteCycleError, match="a -> b -> a"):
        mastery(prerequisites={A: (B,), B: (A,)})
    with pytest.raises(ValueError, match=r"item_recall\['i1'\]"):
        mastery(recall={ItemId("i1"): (1.5, 0.2)})
    with pytest.raises(ValueError, match="timezone-aware"):
        mastery(now=datetime(2026, 3, 2, 12, 0))
