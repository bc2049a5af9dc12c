"""The learner view cache is never stale: after every write path, each cached view (mastery, skill map,
progress, catalogue, a pack page, Today's numbers and plan) equals the same view computed afresh without a
cache, and the write did change what the learner sees (or at least the key it is kept under)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from skillbite.content.demo_packs import demo_pack_paths
from skillbite.domain.memory import DEFAULT_PARAMS
from skillbite.services.catalogue import CataloguePack, CatalogueService
from skillbite.services.learner_settings import LearnerSettingsChange
from skillbite.services.learner_view_cache import time_bucket
from skillbite.services.mastery import MasteryService
from skillbite.services.principal import Principal
from skillbite.services.progress import ProgressService
from skillbite.services.skill_map import SkillMapService
from skillbite.services.today_views import TodayPlanSummary, TodayView
from skillbite.store.repositories.learning import LearnerProfileRepository
from skillbite.store.tables.learning import LearnerParamsRow
from skillbite.wiring import System
from tests.conftest import FakeClock
from tests.services.learning_helpers import import_demo, items_of, learner_in, new_member, submission

PACK = "git-in-the-flow"
View = Callable[[Principal], object]


def cached_views(system: System) -> dict[str, View]:
    return {
        "mastery": system.mastery.of_learner,
        "skill_map": system.skill_map.of_learner,
        "progress": system.progress.of_learner,
        "catalogue": system.catalogue.packs,
        "pack": lambda p: system.catalogue.pack(p, PACK),
        "today": system.today.of,
    }


def fresh_views(system: System) -> dict[str, View]:
    """The same services without a cache, on the same database and clock."""
    db, clock = system.db, system.clock

    def today(principal: Principal) -> TodayView:
        plan = system.sessions.today(principal, 5)
        return TodayView(
            system.today_stats.of(principal), TodayPlanSummary(plan.due_count, has_new=bool(plan.bites))
        )

    return {
        "mastery": MasteryService(db, clock).of_learner,
        "skill_map": SkillMapService(db, clock).of_learner,
        "progress": ProgressService(db, clock).of_learner,
        "catalogue": CatalogueService(db, clock).packs,
        "pack": lambda p: CatalogueService(db, clock).pack(p, PACK),
        "today": today,
    }


def seen(system: System, principal: Principal, only: set[str] | None = None) -> dict[str, object]:
    """Every view (or those named) as the cache serves it, checked against a fresh computation, after a
    first view that fills the cache (so that a stale entry, if any, would be the one served)."""
    names = only or set(cached_views(system))
    for name in names:
        cached_views(system)[name](principal)
    cached = {name: view(principal) for name, view in cached_views(system).items() if name in names}
    fresh = {name: view(principal) for name, view in fresh_views(system).items() if name in names}
    for name in cached:
        assert cached[name] == fresh[name], f"the cached {name} view is stale"
    return cached


def changed(before: dict[str, object], after: dict[str, object]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def learner_with_content(system: System) -> Principal:
    admin = new_member(system)
    import_demo(system, admin)
    return admin


def answer(system: System, principal: Principal, item_index: int, clock: FakeClock, **kwargs: object) -> None:
    item = items_of(system, principal)[item_index]
    system.reviews.submit(principal, [submission(item, clock.now, **kwargs)])  # type: ignore[arg-type]


def test_a_second_view_is_served_from_the_cache(system: System) -> None:
    ada = learner_with_content(system)
    first = system.skill_map.of_learner(ada)
    assert system.skill_map.of_learner(ada) is first
    assert system.views.learner_views.hits >= 1


def test_a_new_review_refreshes_every_view(system: System, clock: FakeClock) -> None:
    ada = learner_with_content(system)
    before = seen(system, ada)
    answer(system, ada, 0, clock)
    after = seen(system, ada)
    # (the catalogue counts learned lessons only: one answer leaves it as it was, the pack page shows it)
    assert {"mastery", "skill_map", "progress", "pack", "today"} <= changed(before, after)


def test_a_batch_of_offline_answers_from_yesterday_refreshes_the_views(
    system: System, clock: FakeClock
) -> None:
    ada = learner_with_content(system)
    answer(system, ada, 0, clock)
    before = seen(system, ada)
    yesterday = clock.now - timedelta(days=1)
    batch = [
        submission(item, yesterday + timedelta(minutes=n))
        for n, item in enumerate(items_of(system, ada)[1:4])
    ]
    system.reviews.submit(ada, batch)
    after = seen(system, ada)
    assert {"mastery", "progress", "today"} <= changed(before, after)
    assert after["today"].stats.streak == 2  # type: ignore[attr-defined]


def test_new_parameters_and_a_recompute_refresh_the_views(system: System, clock: FakeClock) -> None:
    ada = learner_with_content(system)
    for n in range(3):
        answer(system, ada, n, clock)
    clock.advance(days=3)
    before = seen(system, ada)
    slower = list(DEFAULT_PARAMS)
    slower[0:4] = [value * 5 for value in slower[0:4]]  # initial stabilities: items are forgotten slower
    with system.db.transaction() as session:
        session.add(
            LearnerParamsRow(
                org_id=ada.org_id,
                user_id=ada.user_id,
                version="fsrs6-slower",
                params=slower,
                scored_reviews=1000,
                created_at=clock.now,
            )
        )
    system.recompute.recompute(ada.org_id)
    after = seen(system, ada)
    assert {"mastery", "progress"} <= changed(before, after)


def test_importing_a_pack_and_reimporting_a_changed_one_refresh_the_views(
    system: System, clock: FakeClock, tmp_path: Path
) -> None:
    ada = learner_with_content(system)
    answer(system, ada, 0, clock)
    before = seen(system, ada)
    other = next(path for path in demo_pack_paths() if path.name != PACK)
    system.content.import_pack(ada.org_id, other)
    after = seen(system, ada)
    assert {"skill_map", "catalogue"} <= changed(before, after)

    copy = tmp_path / PACK
    shutil.copytree(next(path for path in demo_pack_paths() if path.name == PACK), copy)
    skills = copy / "skills.md"
    skills.write_text(skills.read_text().replace("Know where your work lives", "Know where your work is"))
    clock.advance(seconds=1)  # a real clock moves between two imports; `imported_at` records it
    system.content.import_pack(ada.org_id, copy)
    renamed = seen(system, ada)
    assert "skill_map" in changed(after, renamed)


def test_a_settings_change_refreshes_the_views(system: System, clock: FakeClock) -> None:
    ada = learner_with_content(system)
    answer(system, ada, 0, clock)
    before = seen(system, ada)
    system.learner_settings.update(
        ada, LearnerSettingsChange(timezone="Pacific/Kiritimati", daily_goal_minutes=20)
    )
    after = seen(system, ada)
    assert {"progress", "today"} <= changed(before, after)
    assert after["today"].stats.goal_minutes == 20  # type: ignore[attr-defined]


def test_a_new_goal_and_a_new_retention_policy_change_the_key(system: System, clock: FakeClock) -> None:
    ada = learner_with_content(system)
    answer(system, ada, 0, clock)
    seen(system, ada)
    keys = len(system.views.learner_views)
    system.goals.add(ada, "lesson", f"{PACK}/git-amend-last-commit")
    seen(system, ada)
    assert len(system.views.learner_views) > keys, "a goal must give new keys"
    keys = len(system.views.learner_views)
    system.learner_settings.update_org_policy(ada, default_retention=0.95, tag_retention={"git": 0.8})
    seen(system, ada)
    assert len(system.views.learner_views) > keys, "a retention policy must give new keys"


def test_an_item_falling_due_and_a_new_study_day_refresh_today(system: System, clock: FakeClock) -> None:
    ada = learner_with_content(system)
    answer(system, ada, 0, clock)
    before = seen(system, ada)
    assert before["today"].plan.due_count == 0  # type: ignore[attr-defined]
    clock.advance(days=40)  # well past the first interval, and many study days later
    after = seen(system, ada)
    assert after["today"].plan.due_count == 1  # type: ignore[attr-defined]
    assert {"mastery", "progress", "today"} <= changed(before, after)


def test_learners_and_organisations_never_share_views(system: System, clock: FakeClock) -> None:
    ada = learner_with_content(system)
    bob = learner_in(system, ada, "bob@example.com")
    eve = new_member(system, "eve@example.com", org="elsewhere")
    import_demo(system, eve)
    answer(system, ada, 0, clock)
    ada_views, bob_views, eve_views = seen(system, ada), seen(system, bob), seen(system, eve)
    assert seen_per_lesson(ada_views["pack"]) != seen_per_lesson(bob_views["pack"])
    assert seen_per_lesson(bob_views["pack"]) == seen_per_lesson(eve_views["pack"])  # neither has answered
    assert system.catalogue.pack(bob, PACK) is not system.catalogue.pack(eve, PACK)


def seen_per_lesson(pack: object) -> list[int]:
    assert isinstance(pack, CataloguePack)
    return [lesson.seen for course in pack.courses for module in course.modules for lesson in module.lessons]


def test_a_write_during_a_computation_is_not_kept_under_the_older_key(
    system: System, clock: FakeClock
) -> None:
    ada = learner_with_content(system)
    item = items_of(system, ada)[0]

    def compute_while_answering(_mark: object) -> int:
        system.reviews.submit(ada, [submission(item, clock.now)])
        return 0

    assert system.views.view("answered", ada, compute_while_answering) == 0
    assert system.views.view("answered", ada, lambda _mark: 1) == 1, (
        "a value computed across a write was kept"
    )


def test_the_first_today_view_is_kept_though_reading_the_settings_creates_the_profile(system: System) -> None:
    ada = learner_with_content(system)
    bob = learner_in(system, ada, "bob@example.com")
    with system.db.transaction() as session:
        assert LearnerProfileRepository(session, bob.org_id).of_user(bob.user_id) is None
    first = system.today.of(bob)
    assert system.today.of(bob) is first


def test_today_changes_at_the_study_day_boundary_within_one_time_step(
    system: System, clock: FakeClock
) -> None:
    ada = learner_with_content(system)
    boundary = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)  # UTC learner, day starting at 04:00
    after = boundary + timedelta(seconds=1)
    before = next(
        boundary - timedelta(seconds=s)
        for s in range(1, 300)
        if time_bucket(boundary - timedelta(seconds=s), ada.user_id) == time_bucket(after, ada.user_id)
    )
    clock.now = before
    answer(system, ada, 0, clock)
    # Only Today: recall decays continuously, and mastery may be reused for up to a time step.
    late = seen(system, ada, only={"today"})
    assert late["today"].stats.studied_today  # type: ignore[attr-defined]
    clock.now = after
    early = seen(system, ada, only={"today"})
    assert not early["today"].stats.studied_today  # type: ignore[attr-defined]
