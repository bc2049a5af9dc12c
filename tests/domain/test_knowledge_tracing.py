"""Knowledge tracing: probabilities stay in (0, 1), more right answers never lower a prediction, the
learner's record on related skills transfers, and unknown skills fall back to the global model."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillbite.domain.ids import SkillId
from skillbite.domain.knowledge_tracing import (
    DEFAULT_TRACING_PARAMS,
    FEATURE_NAMES,
    MONOTONE_SIGNS,
    N_FEATURES,
    PER_SKILL_FEATURES,
    KnowledgeTracer,
    SkillTerms,
    TracingParams,
    Transfer,
    is_monotone,
    prior,
)

SKILLS = tuple(SkillId(name) for name in "abcd")
A, B, C, D = SKILLS
History = list[tuple[SkillId, bool]]

histories = st.lists(st.tuples(st.sampled_from(SKILLS), st.booleans()), max_size=40)


def _signed(magnitude: float, sign: int | None) -> float:
    if sign is None:
        return magnitude if int(magnitude * 1000) % 2 else -magnitude
    return magnitude * sign


@st.composite
def monotone_params(draw: st.DrawFn) -> TracingParams:
    """Random parameters that keep MONOTONE_SIGNS: global weights, per-skill terms and transfer."""
    magnitudes = st.floats(min_value=0.0, max_value=2.0, allow_nan=False)
    weights = tuple(
        _signed(draw(magnitudes), MONOTONE_SIGNS[name]) if MONOTONE_SIGNS[name] != 0 else 0.0
        for name in FEATURE_NAMES
    )
    skills: dict[SkillId, SkillTerms] = {}
    for skill in draw(st.lists(st.sampled_from(SKILLS), unique=True)):
        # A per-skill weight may move the effective weight anywhere that keeps its sign.
        local = []
        for i in PER_SKILL_FEATURES:
            sign = MONOTONE_SIGNS[FEATURE_NAMES[i]]
            target = 0.0 if sign == 0 else _signed(draw(magnitudes), sign)
            local.append(target - weights[i])
        transfer = {
            source: Transfer(
                successes=draw(magnitudes),
                failures=-draw(magnitudes),
                first_successes=draw(magnitudes),
                first_failures=-draw(magnitudes),
            )
            for source in draw(st.lists(st.sampled_from(SKILLS), unique=True))
        }
        intercept = draw(st.floats(min_value=-2.0, max_value=2.0))
        skills[skill] = SkillTerms(intercept=intercept, weights=tuple(local), transfer=transfer)
    base_logits = {skill: draw(st.floats(min_value=-2.0, max_value=2.0)) for skill in SKILLS[:2]}
    return TracingParams(
        bias=draw(st.floats(min_value=-1.0, max_value=1.0)),
        weights=weights,
        skills=skills,
        base_logits=base_logits,
        default_base_logit=0.5,
    )


def predictions_after(params: TracingParams, history: History) -> dict[SkillId, float]:
    tracer = KnowledgeTracer(params)
    for skill, correct in history:
        tracer.observe(skill, correct)
    return {skill: tracer.predict(skill) for skill in SKILLS}


def test_every_feature_has_a_monotone_sign_and_the_vector_has_them_all() -> None:
    assert len(set(FEATURE_NAMES)) == N_FEATURES
    assert set(MONOTONE_SIGNS) == set(FEATURE_NAMES)
    assert len(KnowledgeTracer(DEFAULT_TRACING_PARAMS).features(A)) == N_FEATURES


def test_the_default_parameters_are_monotone() -> None:
    assert is_monotone(DEFAULT_TRACING_PARAMS)


@settings(max_examples=60, deadline=None)
@given(params=monotone_params(), history=histories)
def test_probabilities_stay_strictly_between_zero_and_one(params: TracingParams, history: History) -> None:
    assert is_monotone(params)
    for p in predictions_after(params, history).values():
        assert 0.0 < p < 1.0 and math.isfinite(p)


@settings(max_examples=80, deadline=None)
@given(params=monotone_params(), history=histories, data=st.data())
def test_turning_any_wrong_answer_right_never_lowers_any_prediction(
    params: TracingParams, history: History, data: st.DataObject
) -> None:
    wrong = [i for i, (_, correct) in enumerate(history) if not correct]
    if not wrong:
        return
    flipped_at = data.draw(st.sampled_from(wrong))
    better = list(history)
    better[flipped_at] = (history[flipped_at][0], True)
    before, after = predictions_after(params, history), predictions_after(params, better)
    for skill in SKILLS:
        assert after[skill] >= before[skill] - 1e-12, (skill, flipped_at)


@settings(max_examples=60, deadline=None)
@given(params=monotone_params(), history=histories, skill=st.sampled_from(SKILLS))
def test_a_right_answer_never_predicts_worse_than_a_wrong_one(
    params: TracingParams, history: History, skill: SkillId
) -> None:
    after_right = predictions_after(params, [*history, (skill, True)])
    after_wrong = predictions_after(params, [*history, (skill, False)])
    assert after_right[skill] >= after_wrong[skill] - 1e-12


def test_more_right_answers_raise_the_default_prediction_for_that_skill() -> None:
    right = predictions_after(DEFAULT_TRACING_PARAMS, [(A, True)] * 5)[A]
    mixed = predictions_after(DEFAULT_TRACING_PARAMS, [(A, True), (A, False)] * 2 + [(A, True)])[A]
    wrong = predictions_after(DEFAULT_TRACING_PARAMS, [(A, False)] * 5)[A]
    assert right > mixed > wrong


def test_transfer_carries_the_record_on_a_source_skill_to_its_target() -> None:
    params = TracingParams(
        bias=0.0,
        weights=(0.0,) * N_FEATURES,
        skills={B: SkillTerms(transfer={A: Transfer(successes=0.8, failures=-0.6)})},
    )
    strong = predictions_after(params, [(A, True)] * 3)
    weak = predictions_after(params, [(A, False)] * 3)
    assert strong[B] > 0.5 > weak[B]
    assert strong[C] == weak[C] == 0.5  # no transfer into C: the global model only
    # The weights are log(1 + count): three right answers add 0.8 * log(4) to the log-odds.
    assert strong[B] == pytest.approx(1 / (1 + math.exp(-0.8 * math.log(4))))


def test_first_attempt_transfer_counts_only_until_the_target_is_practised() -> None:
    transfer = Transfer(successes=0.0, failures=0.0, first_successes=1.0, first_failures=-1.0)
    params = TracingParams(
        bias=0.0, weights=(0.0,) * N_FEATURES, skills={B: SkillTerms(transfer={A: transfer})}
    )
    tracer = KnowledgeTracer(params)
    tracer.observe(A, True)
    assert tracer.predict(B) == pytest.approx(1 / (1 + math.exp(-math.log(2))))
    tracer.observe(B, False)
    assert tracer.predict(B) == 0.5  # B has been practised: its own record speaks now


def test_a_skill_without_terms_uses_the_global_model() -> None:
    terms = SkillTerms(intercept=1.5)
    params = TracingParams(bias=0.2, weights=DEFAULT_TRACING_PARAMS.weights, skills={A: terms})
    plain = TracingParams(bias=0.2, weights=DEFAULT_TRACING_PARAMS.weights)
    history: History = [(A, True), (C, False), (C, True)]
    assert predictions_after(params, history)[C] == predictions_after(plain, history)[C]
    assert predictions_after(params, history)[A] > predictions_after(plain, history)[A]
    assert prior(params, A) > prior(plain, A)


def test_is_monotone_rejects_a_wrong_sign_anywhere() -> None:
    base = DEFAULT_TRACING_PARAMS
    i = FEATURE_NAMES.index("log_failures")
    bad_global = TracingParams(bias=0.0, weights=tuple(1.0 if j == i else 0.0 for j in range(N_FEATURES)))
    assert not is_monotone(bad_global)
    local = tuple(5.0 if f == i else 0.0 for f in PER_SKILL_FEATURES)  # global + local must keep the sign
    assert not is_monotone(
        TracingParams(bias=0.0, weights=base.weights, skills={A: SkillTerms(weights=local)})
    )
    for transfer in (
        Transfer(successes=-0.1, failures=0.0),
        Transfer(successes=0.0, failures=0.1),
        Transfer(successes=0.0, failures=0.0, first_successes=-0.1),
        Transfer(successes=0.0, failures=0.0, first_failures=0.1),
    ):
        terms = SkillTerms(transfer={B: transfer})
        assert not is_monotone(TracingParams(bias=0.0, weights=base.weights, skills={A: terms}))


def test_the_tracer_is_deterministic() -> None:
    history: History = [(A, True), (B, False), (A, False), (C, True), (A, True)]
    assert predictions_after(DEFAULT_TRACING_PARAMS, history) == predictions_after(
        DEFAULT_TRACING_PARAMS, history
    )


def test_parameters_of_another_model_version_are_refused_with_what_to_do() -> None:
    with pytest.raises(ValueError, match=r"TracingParams.weights has 3 values .* refit"):
        TracingParams(bias=0.0, weights=(0.0, 0.0, 0.0))
    with pytest.raises(ValueError, match=r"SkillTerms.weights has 1 values .* refit"):
        SkillTerms(weights=(0.0,))
    with pytest.raises(ValueError, match="finite"):
        TracingParams(bias=math.nan, weights=(0.0,) * N_FEATURES)
