"""XP on the Today page follows the full rules: recall weighed by the memory model's prediction, mastery
milestones once each, nothing for opening pages, nothing twice for an offline retry; on both databases."""

from __future__ import annotations

from collections import Counter
from datetime import time, timedelta

from skillbite.domain.memory import DEFAULT_PARAMS, Params, apply_review, retrievability
from skillbite.domain.xp import RECALL_BASE_XP, XpAward, XpSource, recall_xp
from skillbite.services.memory_states import review_entity
from skillbite.services.principal import Principal
from skillbite.services.reviews import ReviewSubmission
from skillbite.services.xp_ledger import learner_log, learner_xp_awards
from skillbite.store.repositories.learning import ReviewRepository
from skillbite.store.tables.content import ItemRow
from skillbite.store.tables.learning import LearnerParamsRow
from skillbite.wiring import System
from tests.conftest import FakeClock
from tests.services.learning_helpers import import_demo, items_of, learner_in, new_member, submission

SLOW_FORGETTING: Params = (*DEFAULT_PARAMS[:20], 0.5)


def recall_xp_today(system: System, who: Principal) -> int:
    stats = system.today_stats.of(who)
    return stats.xp_today - stats.xp_mastery_today


def awards_of(system: System, who: Principal) -> list[XpAward]:
    with system.db.transaction() as session:
        reviews = learner_log(session, who.org_id, who.user_id)
        return learner_xp_awards(session, who.org_id, who.user_id, reviews, time(4))


def answer(system: System, clock: FakeClock, who: Principal, *items: ItemRow, right: bool = True) -> None:
    system.reviews.submit(who, [submission(item, clock.now, right=right) for item in items])


def test_a_right_answer_to_a_likely_forgotten_item_earns_more_than_one_seen_a_minute_ago(
    system: System, clock: FakeClock
) -> None:
    ada = new_member(system)
    import_demo(system, ada)
    seen, forgotten = items_of(system, ada)[:2]
    clock.now = clock.now.replace(hour=3, minute=59)  # the study day ends at 04:00 (default settings)
    answer(system, clock, ada, seen, forgotten)
    clock.advance(minutes=1)  # a new study day: the item may pay again, but it was seen a minute ago
    answer(system, clock, ada, seen)
    assert recall_xp_today(system, ada) == RECALL_BASE_XP

    clock.advance(days=200)
    answer(system, clock, ada, forgotten)
    assert recall_xp_today(system, ada) > RECALL_BASE_XP + 3


def test_a_wrong_answer_earns_no_recall_xp(system: System, clock: FakeClock) -> None:
    ada = new_member(system)
    import_demo(system, ada)
    item = items_of(system, ada)[0]
    answer(system, clock, ada, item)
    clock.advance(days=30)
    answer(system, clock, ada, item, right=False)
    assert recall_xp_today(system, ada) == 0


def test_each_review_is_predicted_with_the_parameters_it_was_scheduled_with(
    system: System, clock: FakeClock
) -> None:
    ada = new_member(system)
    import_demo(system, ada)
    item = items_of(system, ada)[0]
    answer(system, clock, ada, item)  # scheduled with the default parameters
    with system.db.transaction() as session:
        session.add(
            LearnerParamsRow(
                org_id=ada.org_id,
                user_id=ada.user_id,
                version="fsrs6-slow",
                params=list(SLOW_FORGETTING),
                scored_reviews=1000,
                created_at=clock.now,
            )
        )
    clock.advance(days=40)
    answer(system, clock, ada, item)  # scheduled with the fitted set adopted in between
    with system.db.transaction() as session:
        first, second = (
            review_entity(r) for r in ReviewRepository(session, ada.org_id).of_learner(ada.user_id)
        )
    assert (first.params_version, second.params_version) == ("fsrs6-default", "fsrs6-slow")
    state = apply_review(None, first, DEFAULT_PARAMS)
    expected = recall_xp(True, retrievability(state, second.reviewed_at, SLOW_FORGETTING))
    assert expected != recall_xp(True, retrievability(state, second.reviewed_at, DEFAULT_PARAMS))
    recall = [a for a in awards_of(system, ada) if a.source is XpSource.RECALL]
    assert [a.xp for a in recall] == [RECALL_BASE_XP, expected]


def test_mastery_milestones_are_paid_once_not_again_after_decay_and_regain(
    system: System, clock: FakeClock
) -> None:
    ada = new_member(system)
    import_demo(system, ada)
    lesson_id = items_of(system, ada)[0].lesson_id
    lesson = [item for item in items_of(system, ada) if item.lesson_id == lesson_id]
    for _ in range(3):
        answer(system, clock, ada, *lesson)
        clock.advance(minutes=10)
    first_day = system.today_stats.of(ada)
    assert first_day.xp_mastery_today >= 25  # the lesson's skills were mastered today
    mastered = {m.skill for m in system.mastery.of_learner(ada) if m.mastered}
    assert mastered

    clock.advance(days=400)
    assert not mastered & {m.skill for m in system.mastery.of_learner(ada) if m.mastered}  # decayed
    for _ in range(3):
        answer(system, clock, ada, *lesson)
        clock.advance(minutes=10)
    assert mastered <= {m.skill for m in system.mastery.of_learner(ada) if m.mastered}  # regained
    again = system.today_stats.of(ada)
    mastery = [a for a in awards_of(system, ada) if a.source is XpSource.MASTERY]
    assert all(count == 1 for count in Counter(a.key for a in mastery).values())
    assert not [a for a in mastery if a.key.endswith("@0.8") and a.study_day != mastery[0].study_day]
    assert again.xp_total == first_day.xp_total + recall_xp_today(system, ada) + again.xp_mastery_today


def test_opening_pages_earns_nothing(system: System, clock: FakeClock) -> None:
    ada = new_member(system)
    import_demo(system, ada)
    items = items_of(system, ada)
    for item in items[:5]:
        system.player.item(ada, item.id)
        system.player.lesson(ada, item.lesson_id)
    system.sessions.today(ada, 10)
    system.mastery.of_learner(ada)
    stats = system.today_stats.of(ada)
    assert (stats.xp_total, stats.xp_today, stats.answers, stats.done_minutes) == (0, 0, 0, 0.0)


def test_offline_answers_earn_once_whether_resent_or_late(system: System, clock: FakeClock) -> None:
    ada = new_member(system)
    import_demo(system, ada)
    bob = learner_in(system, ada, "bob@example.com")
    items = items_of(system, ada)[:6]
    start = clock.now
    days = [
        [submission(item, start + timedelta(days=d, minutes=n)) for n, item in enumerate(items)]
        for d in (0, 3, 9)
    ]

    def same_for(who: Principal, batch: list[ReviewSubmission]) -> list[ReviewSubmission]:
        """The same answers with new uuids, for another learner."""
        return [submission(items[n], s.reviewed_at) for n, s in enumerate(batch)]

    for batch in days:  # ada is online: each day's answers arrive that day
        clock.now = batch[-1].reviewed_at
        system.reviews.submit(ada, batch)
    on_time = system.today_stats.of(ada)
    clock.now = days[0][-1].reviewed_at
    system.reviews.submit(bob, same_for(bob, days[0]))
    clock.now = days[2][-1].reviewed_at  # bob was offline on day 3: those answers arrive after day 9's
    system.reviews.submit(bob, same_for(bob, days[2]))
    system.reviews.submit(bob, same_for(bob, days[1]))
    assert system.today_stats.of(bob).xp_total == on_time.xp_total > 0

    for batch in days:  # ada's phone re-sends everything it had queued: same uuids
        assert all(outcome.replayed for outcome in system.reviews.submit(ada, batch))
    again = system.today_stats.of(ada)
    assert (again.xp_total, again.answers) == (on_time.xp_total, on_time.answers)
