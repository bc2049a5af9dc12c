"""Today's session over the API (GET /api/session?minutes=N) on the demo content."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from statistics import median

import pytest
from sqlalchemy import select

from skillbite.domain.content import ItemKind
from skillbite.domain.ids import ItemId, LessonId
from skillbite.domain.session_planner import NewBite, PlannerInput, ReviewCandidate, SessionPlan, plan_session
from skillbite.services.goal_targets import goal_lessons
from skillbite.services.learner_context import learner_context
from skillbite.services.memory_states import memory_state
from skillbite.services.principal import Principal
from skillbite.services.sessions import new_bites
from skillbite.store.repositories.content import ItemRepository
from skillbite.store.repositories.learning import ItemStateRepository, LearnerGoalRepository, ReviewRepository
from skillbite.store.tables.content import CourseRow, ItemRow, LessonRow, PackRow
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


def straightforward_plan(system: System, principal: Principal, minutes: float) -> SessionPlan:
    """Today's plan computed the slow, obvious way (whole rows, one object per state, one query per kind):
    what SessionService did before it read columns, due states only and counts per lesson."""
    with system.db.transaction() as session:
        org, user = principal.org_id, principal.user_id
        items = ItemRepository(session, org)
        states = ItemStateRepository(session, org).of_learner(user)
        item_rows = items.by_ids([s.item_id for s in states])
        candidates, started = [], set()
        for row in states:
            item = item_rows.get(row.item_id)
            if item is None or item.retired_at is not None:
                continue
            if item.answer_changed_at and row.last_review < item.answer_changed_at:
                continue
            state = memory_state(row)
            assert state is not None
            started.add(item.id)
            candidates.append(ReviewCandidate(ItemId(str(item.id)), ItemKind(item.kind), state))
        goals = sorted(LearnerGoalRepository(session, org).of_user(user), key=lambda g: g.assigned_by is None)
        lessons = goal_lessons(session, org, [(g.kind, g.target) for g in goals])
        of_lesson: dict[int, list[ItemRow]] = {}
        for item in items.of_lessons([row.id for row in lessons]):
            of_lesson.setdefault(item.lesson_id, []).append(item)
        bites = []
        for lesson in lessons:
            lesson_items = of_lesson.get(lesson.id, [])
            fresh = [i for i in lesson_items if i.id not in started]
            begun = len(fresh) < len(lesson_items)
            if begun and not fresh:
                continue
            new_items = tuple((ItemId(str(i.id)), ItemKind(i.kind)) for i in fresh)
            bites.append(NewBite(LessonId(str(lesson.id)), 0.0 if begun else lesson.minutes, new_items))
        pace = {}
        for kind in ItemKind:
            timings = [
                t for t in ReviewRepository(session, org).right_answer_timings(user, kind.value) if t > 0
            ]
            if len(timings) >= 5:
                pace[kind] = median(timings) / 1000.0
        inputs = PlannerInput(candidates, bites[:40], pace, learner_context(session, org, user).params)
        return plan_session(inputs, minutes, system.clock())


def test_the_service_plans_what_the_straightforward_reading_plans(
    system: System, learner, clock: FakeClock
) -> None:
    user, principal = learner
    for _ in range(3):
        answer_all(system, principal, user, clock, session_for(user, 12), wrong_every=3)
        clock.advance(days=3)
    # The next session's reviews and one item of a bite only: that lesson is begun with items still new.
    plan = session_for(user, 12)
    bite = next(b for b in plan["bites"] if len(b["item_ids"]) > 1)
    half = {"reviews": plan["reviews"], "bites": [{**bite, "item_ids": bite["item_ids"][:1]}]}
    answer_all(system, principal, user, clock, half)
    clock.advance(hours=1)
    with system.db.transaction() as session:
        reviewed = [
            s.item_id for s in ItemStateRepository(session, principal.org_id).of_learner(principal.user_id)
        ]
        retired, changed = session.get(ItemRow, reviewed[0]), session.get(ItemRow, reviewed[1])
        assert retired is not None and changed is not None
        retired.retired_at = clock.now  # no longer reviewed
        changed.answer_changed_at = clock.now  # its answer changed: it comes back as new
    clock.advance(days=4)
    for minutes in (1, 5, 12, 30, 120):
        expected = straightforward_plan(system, principal, minutes)
        view = system.sessions.today(principal, minutes)
        assert view.due_count == expected.due_count > 0
        assert [(r.item_id, r.expected_seconds, r.recall_now) for r in view.reviews] == [
            (int(r.item), r.expected_seconds, r.recall_now) for r in expected.reviews
        ]
        assert [(b.lesson_id, b.item_ids, b.expected_seconds) for b in view.bites] == [
            (int(b.lesson), tuple(int(i) for i in b.items), b.expected_seconds) for b in expected.bites
        ]
    assert not {reviewed[0], reviewed[1]} & {r.item_id for r in view.reviews}
    with system.db.transaction() as session:
        lessons = goal_lessons(session, principal.org_id, [])
        offered = new_bites(session, principal.org_id, lessons, principal.user_id)
    offered_items = {int(i) for b in offered for i, _ in b.items}
    assert reviewed[1] in offered_items and reviewed[0] not in offered_items
    assert any(b.minutes == 0.0 and b.items for b in offered), "a begun lesson offers its new items"
