"""Mastery gained per skill, judged at the end of each study day: the same mastery as estimate_mastery, and
each milestone paid once (never again after decay and regain, never for what the learner had before)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillbite.domain.ids import ItemId, OrgId, SkillId, UserId
from skillbite.domain.mastery import PracticeResult, PrerequisiteCycleError, estimate_mastery
from skillbite.domain.mastery_milestones import MasteryTimeline, PracticedAnswer, mastery_gains
from skillbite.domain.memory import DEFAULT_PARAMS, retrievability
from skillbite.domain.personal_params import DEFAULT_VERSION
from skillbite.domain.recall_history import recall_steps
from skillbite.domain.reviews import Grade, Review
from skillbite.domain.xp import MASTERY_MILESTONES, mastery_awards

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
BASICS, BRANCHES, REBASE = SkillId("git/basics"), SkillId("git/branches"), SkillId("git/rebase")
SKILLS_OF = {
    ItemId("i1"): (BASICS,),
    ItemId("i2"): (BASICS, BRANCHES),
    ItemId("i3"): (BRANCHES,),
    ItemId("i4"): (REBASE,),
}
PREREQUISITES = {BRANCHES: (BASICS,), REBASE: (BRANCHES,), BASICS: ()}


def answers_of(entries: list[tuple[str, float, bool]]) -> list[PracticedAnswer]:
    """Answers (item, hours after START, right?) with the item states the memory fold gives them."""
    reviews = [
        Review(
            uuid=UUID(int=n),
            org=OrgId(1),
            learner=UserId(1),
            item=ItemId(item),
            reviewed_at=START + timedelta(hours=hours),
            tz="UTC",
            answer=None,
            correct=right,
            response_ms=4000,
            grade=Grade.GOOD if right else Grade.AGAIN,
            params_version=DEFAULT_VERSION,
        )
        for n, (item, hours, right) in enumerate(entries)
    ]
    return [
        PracticedAnswer(
            at=s.review.reviewed_at,
            study_day=s.review.reviewed_at.date(),
            item=s.review.item,
            skills=SKILLS_OF[s.review.item],
            correct=s.review.correct,
            item_state=s.state_after,
            params=s.params,
        )
        for s in recall_steps(reviews, {DEFAULT_VERSION: DEFAULT_PARAMS})
    ]


def reference_mastery(answers: list[PracticedAnswer], now: datetime) -> dict[SkillId, float]:
    """estimate_mastery itself, given the answers up to `now` and the item states they left."""
    done = [a for a in answers if a.at <= now]
    latest = {a.item: a.item_state for a in done}
    masteries = estimate_mastery(
        prerequisites=PREREQUISITES,
        practice=[PracticeResult(skill, a.correct, a.at) for a in done for skill in a.skills],
        item_recall={
            item: (retrievability(state, now), retrievability(state, now + timedelta(days=30)))
            for item, state in latest.items()
        },
        items_by_skill={skill: [i for i in latest if skill in SKILLS_OF[i]] for skill in PREREQUISITES},
        now=now,
    )
    return {skill: m.now for skill, m in masteries.items()}


entries = st.lists(
    st.tuples(st.sampled_from(["i1", "i2", "i3", "i4"]), st.floats(0, 24 * 60), st.booleans()),
    min_size=1,
    max_size=30,
)


@settings(max_examples=40, deadline=None)
@given(entries, st.floats(0, 24 * 90))
def test_the_timeline_gives_the_mastery_estimate_mastery_gives(
    history: list[tuple[str, float, bool]], later_hours: float
) -> None:
    answers = answers_of(history)
    timeline = MasteryTimeline(PREREQUISITES)
    for n, answer in enumerate(answers):
        timeline.observe(answer)
        if n + 1 < len(answers) and answers[n + 1].at == answer.at:
            continue  # estimate_mastery would count the next answer too (it is at the same instant)
        for now in (answer.at, answer.at + timedelta(hours=later_hours)):
            if n + 1 < len(answers) and now >= answers[n + 1].at:
                continue
            got = timeline.mastery(list(PREREQUISITES), now)
            assert got == pytest.approx(reference_mastery(answers, now), abs=1e-12)


def test_a_milestone_is_paid_once_through_decay_and_regain() -> None:
    runs = 16  # right answers in a row: enough to pass the top milestone with the shipped parameters
    first = [("i1", h / 10, True) for h in range(runs)]
    again = [("i1", 24 * 400 + h / 10, True) for h in range(runs)]
    answers = answers_of(first + again)
    timeline = MasteryTimeline(PREREQUISITES)
    for answer in answers[:runs]:
        timeline.observe(answer)
    reached = timeline.mastery([BASICS], answers[runs - 1].at)[BASICS]
    decayed = timeline.mastery([BASICS], answers[runs].at - timedelta(minutes=1))[BASICS]
    for answer in answers[runs:]:
        timeline.observe(answer)
    regained = timeline.mastery([BASICS], answers[-1].at)[BASICS]
    assert reached >= 0.95 and decayed < 0.8 <= regained  # the scenario really decays and regains

    awards = [award for gain in mastery_gains(answers, PREREQUISITES) for award in mastery_awards(gain)]
    keys = Counter(award.key for award in awards)
    assert keys == {f"{BASICS}@{milestone}": 1 for milestone, _ in MASTERY_MILESTONES if milestone > 0.66}
    assert all(award.study_day == answers[0].study_day for award in awards)


def test_what_the_learner_had_before_practising_pays_nothing() -> None:
    """The prior for a newcomer is above 0.5: neither that nor a wrong first answer pays the 0.5 milestone."""
    timeline = MasteryTimeline(PREREQUISITES)
    assert timeline.mastery([BASICS], START)[BASICS] > 0.5
    gains = mastery_gains(answers_of([("i1", 0, False)]), PREREQUISITES)
    assert [award for gain in gains for award in mastery_awards(gain)] == []
    assert all(gain.previous_best > 0.5 for gain in gains)


def test_a_weak_prerequisite_holds_a_skill_back_until_it_is_learned() -> None:
    answers = answers_of([("i3", h / 10, True) for h in range(6)])
    branches = MasteryTimeline(PREREQUISITES)
    for answer in answers:
        branches.observe(answer)
    alone = MasteryTimeline({})
    for answer in answers:
        alone.observe(answer)
    now = answers[-1].at
    assert branches.mastery([BRANCHES], now)[BRANCHES] < alone.mastery([BRANCHES], now)[BRANCHES]


def test_mastery_is_judged_once_per_study_day_at_its_last_answer() -> None:
    day_one = [("i1", 0.1 * n, n != 3) for n in range(10)]
    day_two = [("i2", 24 + 0.1 * n, True) for n in range(10)]
    answers = answers_of(day_one + day_two)
    gains = mastery_gains(answers, PREREQUISITES)
    per_day = Counter((gain.skill, gain.study_day) for gain in gains)
    assert all(count == 1 for count in per_day.values())
    assert {gain.study_day for gain in gains} <= {date(2026, 1, 5), date(2026, 1, 6)}
    first_day = [gain for gain in gains if gain.study_day == date(2026, 1, 5)]
    expected = reference_mastery(answers, answers[9].at)[BASICS]
    assert [(g.skill, g.current) for g in first_day] == [(BASICS, pytest.approx(expected, abs=1e-12))]
    for gain in gains:
        assert gain.current > gain.previous_best


def test_a_prerequisite_cycle_is_named() -> None:
    timeline = MasteryTimeline({BASICS: (BRANCHES,), BRANCHES: (BASICS,)})
    with pytest.raises(PrerequisiteCycleError, match="git/basics -> git/branches -> git/basics"):
        timeline.mastery([BASICS], START)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["i1", "i2", "i3", "i4"]), st.floats(0, 24 * 400), st.booleans()),
        min_size=1,
        max_size=40,
    )
)
def test_any_history_pays_each_milestone_at_most_once(history: list[tuple[str, float, bool]]) -> None:
    gains = mastery_gains(answers_of(history), PREREQUISITES)
    awards = [award for gain in gains for award in mastery_awards(gain)]
    assert all(count == 1 for count in Counter(award.key for award in awards).values())
    for skill in PREREQUISITES:
        bests = [gain.current for gain in gains if gain.skill == skill]
        assert bests == sorted(set(bests))  # each gain is above every earlier one
