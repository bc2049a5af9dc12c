"""The production fitter recovers known effects from synthetic learners; the holdout judges fits fairly."""

from __future__ import annotations

import random

import pytest

from skillbite.domain.ids import SkillId
from skillbite.domain.knowledge_tracing import DEFAULT_TRACING_PARAMS, is_monotone, prior
from skillbite.domain.tracing_fit import (
    AnswerSequence,
    fit_tracing_candidates,
    fit_tracing_params,
    roc_auc,
    score_holdout,
    split_newest,
)

EASY, MEDIUM, HARD = SkillId("p/easy"), SkillId("p/medium"), SkillId("p/hard")
RIGHT_RATE = {EASY: 0.9, MEDIUM: 0.7, HARD: 0.2}


def learners(n: int = 60, answers: int = 30, seed: int = 1) -> list[AnswerSequence]:
    """Learners who answer the three skills in random order; each skill has a fixed rate of right answers."""
    rng = random.Random(seed)
    built: list[AnswerSequence] = []
    for _ in range(n):
        sequence = []
        for _ in range(answers):
            skill = rng.choice((EASY, MEDIUM, HARD))
            sequence.append((skill, rng.random() < RIGHT_RATE[skill]))
        built.append(sequence)
    return built


def test_a_much_harder_skill_gets_a_lower_prior_and_its_own_terms() -> None:
    params = fit_tracing_params(learners())
    assert set(params.skills) == {EASY, MEDIUM, HARD}  # 600 answers each, past the 50 per skill
    assert params.base_logit(HARD) < params.base_logit(MEDIUM) < params.base_logit(EASY)
    priors = {skill: prior(params, skill) for skill in RIGHT_RATE}
    assert priors[HARD] < 0.4 < priors[MEDIUM] < priors[EASY]
    assert is_monotone(params)


def test_the_candidates_share_the_global_layer_and_differ_in_skill_terms() -> None:
    candidates = fit_tracing_candidates(learners())
    simple, rich = candidates["global"], candidates["per_skill"]
    assert (simple.bias, simple.weights, simple.base_logits) == (rich.bias, rich.weights, rich.base_logits)
    assert simple.skills == {} and set(rich.skills) == {EASY, MEDIUM, HARD}
    assert rich == fit_tracing_params(learners())


def test_a_skill_with_few_answers_keeps_the_global_model() -> None:
    data = learners()
    data.append([(SkillId("p/rare"), True)] * 10)
    params = fit_tracing_params(data)
    assert SkillId("p/rare") not in params.skills


def test_global_only_fit_has_no_skill_terms_nor_base_rates() -> None:
    params = fit_tracing_params(learners(), per_skill=False)
    assert params.skills == {} and params.base_logits == {}


def test_the_fit_beats_the_defaults_on_the_newest_answers() -> None:
    split = split_newest(learners())
    fitted = fit_tracing_params(split.train)
    fitted_score, default_score = score_holdout(fitted, split), score_holdout(DEFAULT_TRACING_PARAMS, split)
    assert fitted_score.answers == default_score.answers == split.n_holdout == 60 * 6
    assert fitted_score.log_loss < default_score.log_loss - 0.05
    assert fitted_score.auc is not None and default_score.auc is not None
    assert fitted_score.auc > default_score.auc


def test_split_newest_holds_out_the_last_fifth_of_each_learner() -> None:
    data = [[(EASY, True)] * 10, [(EASY, False)] * 4, [(HARD, True)] * 5]
    split = split_newest(data)
    assert split.cuts == (8, 4, 4)
    assert split.train == [data[0][:8], data[1], data[2][:4]]
    assert (split.n_train, split.n_holdout) == (16, 3)
    with pytest.raises(ValueError, match="fraction"):
        split_newest(data, 1.0)


def test_scoring_needs_held_out_answers() -> None:
    with pytest.raises(ValueError, match="no held-out answers"):
        score_holdout(DEFAULT_TRACING_PARAMS, split_newest([[(EASY, True)] * 4]))


def test_fitting_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one answer"):
        fit_tracing_params([[], []])


@pytest.mark.parametrize(
    ("outcomes", "scores", "expected"),
    [
        ([0, 1], [0.2, 0.8], 1.0),
        ([0, 1], [0.8, 0.2], 0.0),
        ([0, 1, 1, 0], [0.5, 0.5, 0.5, 0.5], 0.5),
        ([1, 1], [0.2, 0.8], None),
    ],
)
def test_roc_auc(outcomes: list[int], scores: list[float], expected: float | None) -> None:
    assert roc_auc(outcomes, scores) == expected
