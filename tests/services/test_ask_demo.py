"""Just-in-time answers over the demo curriculum, on both databases: a small labelled query set (written
the way people ask, not copied from the lessons), honesty where nothing answers, the path to the skill."""

from __future__ import annotations

import pytest

from skillbite.content.demo_packs import demo_pack_paths
from skillbite.domain.ids import OrgId
from skillbite.wiring import System

LABELLED = [
    ("undo my last commit but keep the changes", "git-undo-last-commit"),
    ("i committed with a typo in the message", "git-amend-last-commit"),
    ("throw away my edits to one file", "git-discard-file-changes"),
    ("get back a commit i lost after a hard reset", "git-find-lost-commit"),
    ("stop git from tracking log files", "git-ignore-files"),
    ("undo a commit that is already pushed", "git-revert-pushed-commit"),
    ("customers who never placed an order", "sql-left-join-missing"),
    ("count orders per customer", "sql-group-by"),
    ("rank rows within each group", "sql-row-number"),
    ("running total of sales", "sql-running-totals"),
    ("tell a colleague their report had problems", "fb-written-work"),
    ("how to take criticism without getting defensive", "fb-receive"),
    ("give feedback to my boss", "fb-upward"),
    ("praise someone well", "fb-praise"),
]
OUT_OF_SCOPE = ["what is a p-value", "how do i bake sourdough bread", "translate hello into japanese"]


@pytest.fixture
def demo_org(system: System) -> OrgId:
    org = OrgId(system.organisations.get("default").id)
    for path in demo_pack_paths():
        system.content.import_pack(org, path)
    return org


def test_labelled_questions_find_their_lesson(system: System, demo_org: OrgId) -> None:
    ranks = []
    for query, expected in LABELLED:
        keys = [r.lesson_key for r in system.ask.ask_as(demo_org, None, query).results]
        ranks.append(keys.index(expected) + 1 if expected in keys else None)
    top3 = sum(1 for rank in ranks if rank is not None and rank <= 3) / len(LABELLED)
    mrr = sum(1 / rank for rank in ranks if rank is not None) / len(LABELLED)
    assert top3 >= 0.75, list(zip(LABELLED, ranks, strict=True))
    assert mrr >= 0.6, list(zip(LABELLED, ranks, strict=True))


@pytest.mark.parametrize("query", OUT_OF_SCOPE)
def test_questions_nothing_answers_are_not_confident(system: System, demo_org: OrgId, query: str) -> None:
    answer = system.ask.ask_as(demo_org, None, query)
    assert answer.confident is False
    assert answer.path == () and answer.minutes == 0


def test_a_newcomer_gets_the_prerequisites_first_with_minutes(system: System, demo_org: OrgId) -> None:
    answer = system.ask.ask_as(demo_org, None, "undo my last commit but keep the changes")
    assert answer.confident
    keys = [lesson.lesson_key for lesson in answer.path]
    assert keys[-1] == "git-undo-last-commit"
    assert "git-three-places" in keys and keys.index("git-three-places") < keys.index("git-undo-last-commit")
    assert len(keys) == len(set(keys))
    assert answer.minutes == pytest.approx(sum(lesson.minutes for lesson in answer.path))
    assert answer.results[0].snippet


def test_learn_now_plans_exactly_the_path(system: System, demo_org: OrgId) -> None:
    admin_email = "learner@example.com"
    system.accounts.create_user(admin_email, "default", "learner")
    learner = system.accounts.member("default", admin_email)
    answer = system.ask.ask(learner, "customers who never placed an order")
    plan = system.sessions.path(learner, [lesson.lesson_id for lesson in answer.path])
    assert [b.lesson_id for b in plan.bites] == [lesson.lesson_id for lesson in answer.path]
    items = [i for b in plan.bites for i in b.item_ids]
    assert len(items) == len(set(items)) > 0
