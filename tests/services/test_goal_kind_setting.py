"""A learner chooses what the daily goal counts (minutes or XP): stored, checked, and followed by Today."""

from __future__ import annotations

import pytest

from skillbite.domain.daily_goal import GoalKind
from skillbite.services.errors import InvalidInput
from skillbite.services.learner_settings import LearnerSettingsChange
from skillbite.wiring import System
from tests.conftest import FakeClock
from tests.services.learning_helpers import import_demo, items_of, new_member, submission


def test_the_goal_starts_in_minutes_and_can_count_xp(system: System, clock: FakeClock) -> None:
    ada = new_member(system)
    import_demo(system, ada)
    items = items_of(system, ada)
    system.reviews.submit(ada, [submission(item, clock.now, response_ms=1_000) for item in items[:3]])
    stored = system.learner_settings.get(ada)
    assert (stored.daily_goal_kind, stored.daily_goal_xp) == ("minutes", 50)
    before = system.today.of(ada).stats
    assert (before.goal_kind, before.goal_target) == (GoalKind.MINUTES, 5)

    system.learner_settings.update(ada, LearnerSettingsChange(daily_goal_kind="xp", daily_goal_xp=20))
    after = system.today.of(ada).stats  # the cached Today view follows the change at once
    assert (after.goal_kind, after.goal_target, after.goal_done) == (GoalKind.XP, 20, after.xp_today)
    assert after.xp_today > 0 and after.goal_fraction == min(1.0, after.xp_today / 20)

    system.learner_settings.update(ada, LearnerSettingsChange(daily_goal_kind="minutes"))
    assert system.today.of(ada).stats.goal_kind is GoalKind.MINUTES
    assert system.learner_settings.get(ada).daily_goal_xp == 20, "the XP target is kept for next time"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (LearnerSettingsChange(daily_goal_kind="pages"), "daily_goal_kind"),
        (LearnerSettingsChange(daily_goal_xp=2), "daily_goal_xp"),
        (LearnerSettingsChange(daily_goal_xp=10_000), "daily_goal_xp"),
        (LearnerSettingsChange(daily_goal_xp="50"), "daily_goal_xp"),
    ],
)
def test_invalid_goal_settings_are_refused_and_nothing_changes(
    system: System, change: LearnerSettingsChange, field: str
) -> None:
    ada = new_member(system)
    with pytest.raises(InvalidInput) as refused:
        system.learner_settings.update(ada, change)
    assert refused.value.field == field and field in refused.value.message
    stored = system.learner_settings.get(ada)
    assert (stored.daily_goal_kind, stored.daily_goal_xp) == ("minutes", 50)
