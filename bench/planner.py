"""Session-planner speed: plan today's session for a learner with 10,000 items (aim: under 50 ms).

The learner is synthetic and seeded: 10,000 reviewed items with stabilities from 0.5 to 400 days and 50 new
bites of 4 items. Two scenarios: `daily` (the learner keeps up: each item's last review lies between 0 and
1.25 of its interval ago, so about a fifth is due, still far more than 10 minutes hold) and `backlog` (last
reviews anywhere in the past year: a learner back after months away, most items overdue).

Per scenario, timed over REPEATS runs (median and 95th percentile):
- `skillbite`: `plan_session` given one ReviewCandidate per item (what tests and the simulation pass);
- `skillbite_deck`: `plan_session` given the same items as a ReviewDeck (columns: what SessionService hands
  the domain);
- `naive_due_sort` (the baseline, same run): due items sorted by due date, taken until the budget is spent;
- `exact_sort`: the same rule as skillbite computed straightforwardly (every due item's exact gain, one sort):
  what the planner's bound saves; the run checks that both plan the same session.

`service` (the backlog learner, whole request): SessionService.today(learner, 10 minutes) on a fresh SQLite
database holding the 10,000 items (1,000 lessons of 10 in the demo pack git-in-the-flow), their states and
30,000 reviews (for the measured pace per item kind): loading the states, goals, new bites and timings,
planning and building the view. `load_due_states` is the one query it cannot avoid (the due states, as
SessionService's `due_reviews` reads them), the in-run baseline for the service.

    python bench/planner.py --json            # about 20 s, most of it seeding the database
    python bench/planner.py --json --no-service
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from skillbite.content.demo_packs import demo_pack_paths
from skillbite.domain.content import ItemKind
from skillbite.domain.ids import ItemId, LessonId
from skillbite.domain.memory import SECONDS_PER_DAY, MemoryState, interval_for_retention
from skillbite.domain.review_gain import GainCurve, new_item_gain
from skillbite.domain.session_planner import (
    OVERRUN_ALLOWED,
    NewBite,
    PlannerInput,
    ReviewCandidate,
    ReviewDeck,
    bite_seconds,
    expected_item_seconds,
    plan_session,
)
from skillbite.services.principal import Principal
from skillbite.services.sessions import due_reviews
from skillbite.settings import Settings
from skillbite.store.database import create_db_engine
from skillbite.store.migrate import upgrade
from skillbite.store.tables.content import ItemRow, LessonRow, PackRow
from skillbite.store.tables.learning import ItemStateRow, ReviewRow
from skillbite.wiring import System, build_system

ITEMS = 10_000
REPEATS = 30
SERVICE_REPEATS = 15
EXACT_REPEATS = 10
MINUTES = 10.0
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
KINDS = (ItemKind.MULTIPLE_CHOICE, ItemKind.CLOZE, ItemKind.TYPED_ANSWER, ItemKind.FLASHCARD)
ITEMS_PER_LESSON = 10
REVIEWS_PER_ITEM = 3
PACK = "git-in-the-flow"
PASSWORD = "correct horse battery"  # noqa: S105 - a throwaway benchmark account


def synthetic_learner(seed: int, backlog: bool) -> PlannerInput:
    rng = random.Random(seed)
    reviews = []
    for i in range(ITEMS):
        stability = 10 ** rng.uniform(-0.3, 2.6)
        interval = max(1, round(interval_for_retention(stability, 0.9)))
        ago = rng.uniform(0, 365) if backlog else rng.uniform(0, 1.25) * interval
        last = NOW - timedelta(days=ago)
        due = last + timedelta(days=interval)
        state = MemoryState(stability, rng.uniform(1, 10), due, last, rng.randint(1, 30), rng.randint(0, 5))
        reviews.append(ReviewCandidate(ItemId(f"item-{i}"), rng.choice(KINDS), state))
    bites = [
        NewBite(
            LessonId(f"lesson-{b}"), 3.0, tuple((ItemId(f"new-{b}-{k}"), ItemKind.CLOZE) for k in range(4))
        )
        for b in range(50)
    ]
    per_kind = {
        ItemKind.MULTIPLE_CHOICE: 9.0,
        ItemKind.CLOZE: 12.0,
        ItemKind.TYPED_ANSWER: 16.0,
        ItemKind.FLASHCARD: 10.0,
    }
    return PlannerInput(reviews, bites, per_kind)


def naive_plan(inputs: PlannerInput, minutes: float, now: datetime) -> list[ItemId]:
    assert not isinstance(inputs.reviews, ReviewDeck)
    budget = minutes * 60
    due = sorted((c for c in inputs.reviews if c.state.due <= now), key=lambda c: c.state.due)
    chosen, spent = [], 0.0
    for candidate in due:
        if spent >= budget:
            break
        chosen.append(candidate.item)
        spent += inputs.seconds_per_kind.get(candidate.kind, 10.0)
    return chosen


def exact_sort_plan(inputs: PlannerInput, minutes: float, now: datetime) -> list[str]:
    """The same rule computed the straightforward way: every due item's exact gain (an FSRS step each), one
    sort, then the greedy fill; its plan must equal skillbite's."""
    assert not isinstance(inputs.reviews, ReviewDeck)
    budget = minutes * 60
    limit = budget * (1 + OVERRUN_ALLOWED)
    curve = GainCurve(inputs.params)
    ranked: list[tuple[float, str, float]] = []
    for c in inputs.reviews:
        if c.state.due <= now:
            elapsed = max((now - c.state.last_review).total_seconds() / SECONDS_PER_DAY, 0.0)
            seconds = expected_item_seconds(c.kind, inputs.seconds_per_kind)
            gain = curve.gain(c.state.stability, c.state.difficulty, elapsed)[1]
            ranked.append((-gain / seconds, c.item, seconds))
    per_item = new_item_gain(inputs.params, inputs.first_try_recall)
    for position, bite in enumerate(inputs.new_bites):
        seconds = bite_seconds(bite, inputs.seconds_per_kind)
        ranked.append((-per_item * len(bite.items) / seconds, f"~{position:09d}", seconds))
    ranked.sort()
    chosen, spent = [], 0.0
    for _, key, seconds in ranked:
        if spent >= budget:
            break
        if spent + seconds <= limit:
            chosen.append(key)
            spent += seconds
    return chosen


def timed(run: Callable[[], object], repeats: int = REPEATS) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each run (CPU time of this process: less sensitive to other load)."""
    wall, cpu = [], []
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return wall, cpu


def summary(times: tuple[list[float], list[float]]) -> dict[str, float]:
    wall, cpu = sorted(times[0]), sorted(times[1])
    return {
        "p50_ms": round(statistics.median(wall), 2),
        "p95_ms": round(wall[int(0.95 * (len(wall) - 1))], 2),
        "cpu_p50_ms": round(statistics.median(cpu), 2),
    }


def p50(times: tuple[list[float], list[float]]) -> float:
    return statistics.median(times[0])


def domain_scenario(backlog: bool) -> dict[str, object]:
    inputs = synthetic_learner(seed=7, backlog=backlog)
    as_deck = PlannerInput(ReviewDeck.of(inputs.reviews), inputs.new_bites, inputs.seconds_per_kind)
    plan = plan_session(inputs, MINUTES, NOW)
    assert plan == plan_session(as_deck, MINUTES, NOW), "a ReviewDeck must give the same plan"
    assert exact_sort_plan(inputs, MINUTES, NOW) == [r.item for r in plan.reviews] + [
        f"~{int(b.lesson.removeprefix('lesson-')):09d}" for b in plan.bites
    ], "skillbite must plan what the straightforward rule plans"
    skillbite = timed(lambda: plan_session(inputs, MINUTES, NOW))
    deck = timed(lambda: plan_session(as_deck, MINUTES, NOW))
    naive = timed(lambda: naive_plan(inputs, MINUTES, NOW))
    exact = timed(lambda: exact_sort_plan(inputs, MINUTES, NOW), EXACT_REPEATS)
    return {
        "due": plan.due_count,
        "planned_reviews": len(plan.reviews),
        "planned_bites": len(plan.bites),
        "planned_seconds": round(plan.expected_seconds, 1),
        "skillbite": summary(skillbite),
        "skillbite_deck": summary(deck),
        "naive_due_sort": summary(naive),
        "exact_sort": summary(exact),
        "ratio_p50": round(p50(skillbite) / p50(naive), 2),
        "ratio_deck_p50": round(p50(deck) / p50(naive), 2),
        "ratio_exact_sort_p50": round(p50(exact) / p50(naive), 2),
    }


def seed_learner(system: System, learner: Principal) -> None:
    """The backlog learner's 10,000 items, states and reviews, written with bulk inserts (a few seconds)."""
    for path in demo_pack_paths():
        if path.name == PACK:
            system.content.import_pack(learner.org_id, path)
    inputs = synthetic_learner(seed=7, backlog=True)
    assert not isinstance(inputs.reviews, ReviewDeck)
    org = learner.org_id
    with system.db.transaction() as session:
        pack_id = session.scalars(select(PackRow.id).where(PackRow.org_id == org, PackRow.key == PACK)).one()
        lesson_rows = [
            {
                "org_id": org,
                "pack_id": pack_id,
                "key": f"bench-{n}",
                "title": f"Bench lesson {n}",
                "minutes": 3.0,
                "body": "A lesson of the planner benchmark.",
                "skills": [],
                "tags": [],
                "position": 1_000 + n,
            }
            for n in range(ITEMS // ITEMS_PER_LESSON)
        ]
        session.execute(insert(LessonRow), lesson_rows)
        lessons = session.scalars(
            select(LessonRow.id)
            .where(LessonRow.org_id == org, LessonRow.key.like("bench-%"))
            .order_by(LessonRow.id)
        ).all()
        item_rows = [
            {
                "org_id": org,
                "pack_id": pack_id,
                "lesson_id": lessons[n // ITEMS_PER_LESSON],
                "key": f"bench-item-{n}",
                "kind": candidate.kind.value,
                "body": {"front": f"Question {n}", "back": "Answer"},
                "tags": [],
                "position": n % ITEMS_PER_LESSON,
                "content_fingerprint": f"c{n}",
                "answer_fingerprint": f"a{n}",
            }
            for n, candidate in enumerate(inputs.reviews)
        ]
        session.execute(insert(ItemRow), item_rows)
        item_ids = session.scalars(
            select(ItemRow.id)
            .where(ItemRow.org_id == org, ItemRow.key.like("bench-item-%"))
            .order_by(ItemRow.id)
        ).all()
        session.execute(
            insert(ItemStateRow),
            [
                {
                    "org_id": org,
                    "learner_id": learner.user_id,
                    "item_id": item_id,
                    "stability": c.state.stability,
                    "difficulty": c.state.difficulty,
                    "due": c.state.due,
                    "last_review": c.state.last_review,
                    "reps": c.state.reps,
                    "lapses": c.state.lapses,
                    "last_tz": "UTC",
                }
                for item_id, c in zip(item_ids, inputs.reviews, strict=True)
            ],
        )
        rng = random.Random(11)
        reviews = []
        for item_id, c in zip(item_ids, inputs.reviews, strict=True):
            for k in range(REVIEWS_PER_ITEM):
                at = c.state.last_review - timedelta(days=k * c.state.stability)
                key = uuid.UUID(int=rng.getrandbits(128))
                reviews.append(
                    {
                        "org_id": org,
                        "uuid": str(key),
                        "learner_id": learner.user_id,
                        "item_id": item_id,
                        "reviewed_at": at,
                        "tz": "UTC",
                        "answer": None,
                        "correct": rng.random() < 0.85,
                        "response_ms": rng.randint(3_000, 20_000),
                        "score": 1.0,
                        "grade": 3,
                        "due_after": c.state.due,
                        "params_version": "bench",
                        "body_hash": hashlib.sha256(key.bytes).hexdigest(),
                        "received_at": at,
                    }
                )
        session.execute(insert(ReviewRow), reviews)


def service_scenario() -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="skillbite-bench-planner-") as temp:
        url = f"sqlite:///{temp}/bench.sqlite3"
        engine = create_db_engine(url)
        upgrade(engine)
        engine.dispose()
        settings = Settings(
            database_url=url,
            data_dir=Path(temp) / "var",
            environment="development",
            password_hash_profile="owasp-minimum",  # noqa: S106 - a cost profile, not a password
        )
        system = build_system(settings, clock=lambda: NOW)
        try:
            system.schema.ensure_default_org()
            learner = system.accounts.sign_up("learner@example.com", PASSWORD, org_slug="bench")
            principal = learner.principal
            seed_learner(system, principal)
            view = system.sessions.today(principal, MINUTES)

            def load_states() -> None:
                with system.db.transaction() as session:
                    due_reviews(session, principal.org_id, principal.user_id, NOW)

            service = timed(lambda: system.sessions.today(principal, MINUTES), SERVICE_REPEATS)
            load = timed(load_states, SERVICE_REPEATS)
        finally:
            system.close()
    return {
        "database": "sqlite",
        "due": view.due_count,
        "planned_reviews": len(view.reviews),
        "planned_bites": len(view.bites),
        "planned_minutes": view.expected_minutes,
        "today": summary(service),
        "load_due_states": summary(load),
        "ratio_p50": round(p50(service) / p50(load), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    parser.add_argument("--no-service", action="store_true", help="time the domain planner only")
    args = parser.parse_args()
    result: dict[str, object] = {"items": ITEMS, "minutes": MINUTES}
    for scenario in ("daily", "backlog"):
        result[scenario] = domain_scenario(backlog=scenario == "backlog")
    if not args.no_service:
        result["service"] = service_scenario()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
