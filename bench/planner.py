"""Session-planner speed: plan today's session for a learner with 10,000 items (aim: under 50 ms).

The learner is synthetic and seeded: 10,000 reviewed items with stabilities from 0.5 to 400 days and 50 new
bites of 4 items. Two scenarios: `daily` (the learner keeps up: each item's last review lies between 0 and
1.25 of its interval ago, so about a fifth is due, still far more than 10 minutes hold) and `backlog` (last
reviews anywhere in the past year: a learner back after months away, most items overdue).
The baseline, in the same run, is the
naive planner (due items sorted by due date, taken until the budget is spent), to show what the gain rule
costs on top of it. Both are timed over REPEATS runs; the JSON reports the median and 95th percentile.

    python bench/planner.py --json
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from skillbite.domain.content import ItemKind
from skillbite.domain.ids import ItemId, LessonId
from skillbite.domain.memory import MemoryState, interval_for_retention
from skillbite.domain.session_planner import NewBite, PlannerInput, ReviewCandidate, plan_session

ITEMS = 10_000
REPEATS = 30
MINUTES = 10.0
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
KINDS = (ItemKind.MULTIPLE_CHOICE, ItemKind.CLOZE, ItemKind.TYPED_ANSWER, ItemKind.FLASHCARD)


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
    budget = minutes * 60
    due = sorted((c for c in inputs.reviews if c.state.due <= now), key=lambda c: c.state.due)
    chosen, spent = [], 0.0
    for candidate in due:
        if spent >= budget:
            break
        chosen.append(candidate.item)
        spent += inputs.seconds_per_kind.get(candidate.kind, 10.0)
    return chosen


def timed(run: Callable[[], object]) -> list[float]:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    parser.parse_args()
    result: dict[str, object] = {"items": ITEMS, "minutes": MINUTES}
    for scenario in ("daily", "backlog"):
        inputs = synthetic_learner(seed=7, backlog=scenario == "backlog")
        plan = plan_session(inputs, MINUTES, NOW)
        skillbite = timed(lambda inputs=inputs: plan_session(inputs, MINUTES, NOW))
        naive = timed(lambda inputs=inputs: naive_plan(inputs, MINUTES, NOW))
        result[scenario] = {
            "due": plan.due_count,
            "planned_reviews": len(plan.reviews),
            "planned_bites": len(plan.bites),
            "planned_seconds": round(plan.expected_seconds, 1),
            "skillbite": summary(skillbite),
            "naive_due_sort": summary(naive),
            "ratio_p50": round(statistics.median(skillbite) / statistics.median(naive), 2),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
