"""Scheduling-efficiency benchmark: what one simulated learner keeps for 10 minutes a day over a year.

The simulated memory is FSRS-6 with parameters fitted (fsrs-rs optimiser) on the first review log, the josh
log in ../shared/data/srs; the time each action takes and the grade distributions come from the same log
(first day of a card = learning, later days = reviews, a failed review includes its same-day relearning).
Every policy sees the same seeded random outcomes per (item, review number) and the same budget rule: each day
it works through its own ordered to-do list until it has spent the budget, new items at most NEW_PER_DAY a day
and taken in deck order. The policies differ only in what is due and in what order:
- `sm2`: Anki SM-2 intervals (ease 2.5, Hard x1.2, Good x ease, Easy x ease x 1.3, lapse to 1 day);
- `dr_0.90`, `dr_0.80`: FSRS intervals for that desired retention, most overdue first, then new items;
- `skillbite`: skillbite.domain.session_planner.plan_session with the product's default retention (0.9),
  so over-budget days are cut by expected retention gain per second instead of by due date.
Policies schedule with the true parameters (a perfectly fitted model), as SSP-MMC-FSRS does.

    python bench/simulate.py --json
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs_rs_python as fsrs

from skillbite.domain.content import ItemKind
from skillbite.domain.ids import ItemId, LessonId
from skillbite.domain.memory import MemoryState, interval_for_retention, recall_probability
from skillbite.domain.session_planner import NewBite, PlannerInput, ReviewCandidate, plan_session

SRS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "srs"
DAYS = 365
DECK = 2_000
BUDGET_SECONDS = 600.0
NEW_PER_DAY = 20
SEED = 2026
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class LogFacts:
    params: list[float]
    learn_seconds: float
    success_seconds: float
    failure_seconds: float
    first_again_share: float


def read_log(path: Path) -> LogFacts:
    with path.open() as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: r["review_time"])
    days: dict[str, dict[int, list[tuple[int, float]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        day = datetime.fromisoformat(row["review_time"]).date().toordinal()
        days[row["card_id"]][day].append((int(row["review_rating"]), int(row["review_duration"]) / 1000))
    learn, success, failure, first_again = [], [], [], 0
    items: list[fsrs.FSRSItem] = []
    for card_days in days.values():
        ordered = sorted(card_days)
        learn.append(sum(s for _, s in card_days[ordered[0]]))
        first_again += card_days[ordered[0]][0][0] == 1
        history: list[fsrs.FSRSReview] = []
        previous = None
        for day in ordered:
            for k, (grade, _) in enumerate(card_days[day]):
                history.append(fsrs.FSRSReview(grade, 0 if previous is None or k else day - previous))
                if previous is not None and k == 0:
                    items.append(fsrs.FSRSItem(list(history)))
            first_grade = card_days[day][0][0]
            if day != ordered[0]:
                (failure if first_grade == 1 else success).append(sum(s for _, s in card_days[day]))
            previous = day
    params = list(fsrs.FSRS(fsrs.DEFAULT_PARAMETERS).compute_parameters(items))
    return LogFacts(
        params,
        sum(learn) / len(learn),
        sum(success) / len(success),
        sum(failure) / len(failure),
        first_again / len(days),
    )


@dataclass
class Card:
    stability: float
    difficulty: float
    last_day: int
    due_day: int
    reps: int
    sm2_interval: float = 1.0
    sm2_ease: float = 2.5


Policy = Callable[[int, dict[int, Card], list[int]], list[tuple[str, int]]]
"""(day, learned cards, new item ids available today) -> ordered actions ("review" | "learn", item)."""


class Simulation:
    def __init__(self, facts: LogFacts, seed: int) -> None:
        self.facts = facts
        self.model = fsrs.FSRS(facts.params)
        self.seed = seed

    def _draw(self, item: int, rep: int) -> float:
        # Same uniform number for the same (item, review number) under every policy: common random numbers.
        return random.Random(self.seed * 1_000_003 + item * 997 + rep).random()

    def run(self, policy: Policy, due_for: Callable[[Card, int], int]) -> tuple[dict[str, float], int]:
        """The policy's figures, and how many items it started."""
        cards: dict[int, Card] = {}
        next_new = 0
        spent_total = 0.0
        for day in range(DAYS):
            new_today = list(range(next_new, min(next_new + NEW_PER_DAY, DECK)))
            spent = 0.0
            for action, item in policy(day, cards, new_today):
                if spent >= BUDGET_SECONDS:
                    break
                if action == "learn":
                    if item != next_new:
                        continue  # new items are taken in deck order
                    spent += self._learn(cards, item, day)
                    next_new += 1
                else:
                    spent += self._review(cards[item], item, day, due_for)
            spent_total += spent
        memorised = sum(
            recall_probability(c.stability, DAYS - c.last_day, tuple(self.facts.params))
            for c in cards.values()
        )
        hours = spent_total / 3600
        return {
            "minutes_per_day": round(spent_total / 60 / DAYS, 2),
            "memorized_end": round(memorised, 1),
            "memorized_per_hour": round(memorised / hours, 2) if hours else 0.0,
        }, len(cards)

    def _learn(self, cards: dict[int, Card], item: int, day: int) -> float:
        grade = 1 if self._draw(item, 0) < self.facts.first_again_share else 3
        state = self.model.next_states(None, 0.9, 0)
        memory = state.again.memory if grade == 1 else state.good.memory
        cards[item] = Card(memory.stability, memory.difficulty, day, day + 1, 1)
        return self.facts.learn_seconds

    def _review(self, card: Card, item: int, day: int, due_for: Callable[[Card, int], int]) -> float:
        elapsed = day - card.last_day
        recall = recall_probability(card.stability, elapsed, tuple(self.facts.params))
        recalled = self._draw(item, card.reps) < recall
        states = self.model.next_states(fsrs.MemoryState(card.stability, card.difficulty), 0.9, elapsed)
        memory = states.good.memory if recalled else states.again.memory
        card.stability, card.difficulty = memory.stability, memory.difficulty
        if recalled:
            card.sm2_interval = max(
                card.sm2_interval + 1,
                (card.sm2_interval + max(elapsed - card.sm2_interval, 0) / 2) * card.sm2_ease,
            )
        else:
            card.sm2_interval, card.sm2_ease = 1.0, max(1.3, card.sm2_ease - 0.2)
        card.last_day, card.reps = day, card.reps + 1
        card.due_day = day + due_for(card, day)
        return self.facts.success_seconds if recalled else self.facts.failure_seconds


def fsrs_due(params: list[float], retention: float) -> Callable[[Card, int], int]:
    return lambda card, _day: max(1, round(interval_for_retention(card.stability, retention, tuple(params))))


def sm2_due(card: Card, _day: int) -> int:
    return max(1, round(card.sm2_interval))


def due_first(day: int, cards: dict[int, Card], new_today: list[int]) -> list[tuple[str, int]]:
    due = sorted((c.due_day, item) for item, c in cards.items() if c.due_day <= day)
    return [("review", item) for _, item in due] + [("learn", item) for item in new_today]


def skillbite_policy(facts: LogFacts) -> Policy:
    params = tuple(facts.params)
    review_seconds = 0.9 * facts.success_seconds + 0.1 * facts.failure_seconds
    per_kind = {ItemKind.FLASHCARD: review_seconds}
    learn_minutes = (facts.learn_seconds - review_seconds) / 60

    def policy(day: int, cards: dict[int, Card], new_today: list[int]) -> list[tuple[str, int]]:
        now = EPOCH + timedelta(days=day)
        candidates = [
            ReviewCandidate(
                ItemId(str(item)),
                ItemKind.FLASHCARD,
                MemoryState(
                    c.stability,
                    c.difficulty,
                    EPOCH + timedelta(days=c.due_day),
                    EPOCH + timedelta(days=c.last_day),
                    c.reps,
                    0,
                ),
            )
            for item, c in cards.items()
        ]
        bites = [
            NewBite(LessonId(str(i)), learn_minutes, ((ItemId(str(i)), ItemKind.FLASHCARD),))
            for i in new_today
        ]
        inputs = PlannerInput(candidates, bites, per_kind, params, 1.0 - facts.first_again_share)
        plan = plan_session(inputs, BUDGET_SECONDS / 60, now)
        return [("review", int(r.item)) for r in plan.reviews] + [
            ("learn", int(b.lesson)) for b in plan.bites
        ]

    return policy


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object (the default output)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--extra",
        action="store_true",
        help="also run dr_0.70 and the planner at retention 0.80 and 0.70 (skillbite_dr_0.80, _0.70)",
    )
    args = parser.parse_args()
    if not SRS.is_dir():
        sys.exit(f"shared data not found at {SRS.resolve()}: check out ../shared next to the repository")
    started = time.perf_counter()
    facts = read_log(SRS / "pyfsrs_review_logs_josh.csv")
    simulation = Simulation(facts, args.seed)
    policies: dict[str, tuple[Policy, Callable[[Card, int], int]]] = {
        "sm2": (due_first, sm2_due),
        "dr_0.90": (due_first, fsrs_due(facts.params, 0.90)),
        "dr_0.80": (due_first, fsrs_due(facts.params, 0.80)),
        "skillbite": (skillbite_policy(facts), fsrs_due(facts.params, 0.90)),
    }
    if args.extra:
        policies["dr_0.70"] = (due_first, fsrs_due(facts.params, 0.70))
        for retention in (0.80, 0.70):
            policies[f"skillbite_dr_{retention:.2f}"] = (
                skillbite_policy(facts),
                fsrs_due(facts.params, retention),
            )
    runs = {name: simulation.run(policy, due) for name, (policy, due) in policies.items()}
    print(json.dumps({"policies": {name: figures for name, (figures, _) in runs.items()}}))
    print(
        "items started: " + ", ".join(f"{name} {started}" for name, (_, started) in runs.items()),
        file=sys.stderr,
    )
    print(
        f"simulate: {time.perf_counter() - started:.1f} s; costs learn {facts.learn_seconds:.1f} s, "
        f"review ok {facts.success_seconds:.1f} s, failed {facts.failure_seconds:.1f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
