"""Today's session over the API (GET /api/session?minutes=N) on the demo content."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import select

from skillbite.services.principal import Principal
from skillbite.store.tables.content import CourseRow, LessonRow, PackRow
from skillbite.wiring import System
from tests.conftest import FakeClock, WebUser
from tests.services.learning_helpers import PASSWORD, import_demo, items_of, right_answer, wrong_answer


@pytest.fixture
def learner(system: System, sign_up: Callable[..., WebUser]) -> tuple[WebUser, Principal]:
    user = sign_up()
    principal = system.accounts.log_in(user.email, PASSWORD, org_slug=user.org).principal
    import_demo(system, principal, only=None)
    return user, principal


def course_order(system: System, principal: Principal, course: str | None = None) -> list[tuple[str, str]]:
    """(pack, lesson) keys of every course in the organisation's course order (by title)."""
    with system.db.transaction() as session:
        packs = {
            p.id: p.key for p in session.scalars(select(PackRow).where(PackRow.org_id == principal.org_id))
        }
        courses = session.scalars(
            select(CourseRow)
            .where(CourseRow.org_id == principal.org_id)
            .order_by(CourseRow.title, CourseRow.id)
        )
        return [
            (packs[c.pack_id], lesson)
            for c in courses
            if course is None or c.key == course
            for module in c.modules
            for lesson in module["lessons"]
        ]


def session_for(user: WebUser, minutes: float) -> dict:
    answer = user.api("GET", f"/api/session?minutes={minutes}")
    assert answer.status_code == 200, answer.text
    return answer.json()


def planned_items(plan: dict) -> list[int]:
    return [r["item_id"] for r in plan["reviews"]] + [i for b in plan["bites"] for i in b["item_ids"]]


def answer_all(
    system: System, principal: Principal, user: WebUser, clock: FakeClock, plan: dict, *, wrong_every: int = 0
) -> None:
    items = {item.id: item for item in items_of(system, principal)}
    reviews = []
    for n, item_id in enumerate(planned_items(plan)):
        item = items[item_id]
        wrong = wrong_every and n % wrong_every == 0
        reviews.append(
            {
                "uuid": str(uuid.uuid4()),
                "item_id": item_id,
                "reviewed_at": clock.now.isoformat(),
                "tz": "Europe/Berlin",
                "answer": wrong_answer(item) if wrong else right_answer(item),
                "response_ms": 9_000,
            }
        )
    stored = user.api("POST", "/api/reviews/batch", json={"reviews": reviews})
    assert stored.status_code == 200, stored.text


def test_a_new_learner_gets_the_first_bites_of_the_courses_in_order(
    system: System, learner, clock: FakeClock
) -> None:
    user, principal = learner
    plan = session_for(user, 5)
    assert plan["reviews"] == [] and plan["due_count"] == 0
    assert plan["bites"], plan
    order = course_order(system, principal)
    keys = [(b["pack"], b["key"]) for b in plan["bites"]]
    assert keys == order[: len(keys)]
    assert plan["expected_minutes"] <= 5 * 1.1


def test_after_answering_due_reviews_come_back_when_time_passes(
    system: System, learner, clock: FakeClock
) -> None:
    user, principal = learner
    first = session_for(user, 5)
    answer_all(system, principal, user, clock, first, wrong_every=2)
    answered = set(planned_items(first))

    clock.advance(hours=1)
    same_day = session_for(user, 5)
    assert same_day["reviews"] == [] and not answered & set(planned_items(same_day))
    order = course_order(system, principal)
    assert (same_day["bites"][0]["pack"], same_day["bites"][0]["key"]) == order[len(first["bites"])]

    clock.advance(days=2)
    later = session_for(user, 5)
    due = {r["item_id"] for r in later["reviews"]}
    assert due and due <= answered
    assert later["due_count"] >= len(due)
    assert all(0 < r["recall_now"] < 1 for r in later["reviews"])


def test_the_plan_fits_the_budget_and_holds_each_item_once(system: System, learner, clock: FakeClock) -> None:
    user, principal = learner
    # Build a history first, so that the plan mixes due reviews and new bites.
    for _ in range(3):
        answer_all(system, principal, user, clock, session_for(user, 10), wrong_every=3)
        clock.advance(days=2)
    for minutes in (1, 3, 5, 12, 30):
        plan = session_for(user, minutes)
        items = planned_items(plan)
        assert len(items) == len(set(items)), minutes
        assert plan["expected_minutes"] <= minutes * 1.1, plan
        seconds = sum(r["expected_seconds"] for r in plan["reviews"]) + sum(
            b["expected_seconds"] for b in plan["bites"]
        )
        assert seconds / 60 == pytest.approx(plan["expected_minutes"], abs=0.01)
    assert plan["reviews"] and plan["bites"], "30 minutes hold the due reviews and new bites"


def test_goals_choose_the_bites(system: System, learner, clock: FakeClock) -> None:
    user, principal = learner
    added = user.api(
        "POST", "/api/me/goals", json={"kind": "course", "target": "sql-everyday/sql-everyday-questions"}
    )
    assert added.status_code == 201, added.text
    plan = session_for(user, 10)
    keys = [(b["pack"], b["key"]) for b in plan["bites"]]
    assert keys and keys == course_order(system, principal, "sql-everyday-questions")[: len(keys)]

    # A lesson goal set later comes after the course; removing the course goal puts the lesson first.
    lesson = user.api(
        "POST",
        "/api/me/goals",
        json={
            "kind": "lesson",
            "target": "useful-feedback/" + _a_lesson(system, principal, "useful-feedback"),
        },
    )
    assert lesson.status_code == 201, lesson.text
    removed = user.api(
        "DELETE", "/api/me/goals", params={"kind": "course", "target": "sql-everyday/sql-everyday-questions"}
    )
    assert removed.status_code == 204
    plan = session_for(user, 10)
    assert [(b["pack"], b["key"]) for b in plan["bites"]] == [
        ("useful-feedback", lesson.json()["target"].split("/")[1])
    ]


def _a_lesson(system: System, principal: Principal, pack: str) -> str:
    with system.db.transaction() as session:
        query = (
            select(LessonRow.key)
            .join(PackRow, PackRow.id == LessonRow.pack_id)
            .where(PackRow.key == pack, LessonRow.org_id == principal.org_id)
            .order_by(LessonRow.position.desc())
        )
        return str(session.scalars(query).first())


def test_minutes_out_of_range_are_refused(learner) -> None:
    user, _ = learner
    assert user.api("GET", "/api/session?minutes=0").status_code == 422
    assert user.api("GET", "/api/session?minutes=500").status_code == 422
