"""Catalogue and pack pages: every pack, its courses and modules, and progress per lesson."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from skillbite.services.catalogue import LessonProgress, progress_of
from skillbite.services.principal import Principal
from skillbite.wiring import System
from tests.conftest import FakeClock, WebUser
from tests.services.learning_helpers import PASSWORD, import_demo, items_of, submission


@pytest.fixture
def member(system: System, sign_up: Callable[..., WebUser]) -> tuple[WebUser, Principal]:
    user = sign_up()
    principal = system.accounts.log_in(user.email, PASSWORD, org_slug=user.org).principal
    import_demo(system, principal)
    return user, principal


@pytest.mark.parametrize(
    ("items", "seen", "expected"),
    [
        (0, 0, LessonProgress.NOT_STARTED),
        (3, 0, LessonProgress.NOT_STARTED),
        (3, 1, LessonProgress.IN_PROGRESS),
        (3, 3, LessonProgress.LEARNED),
    ],
)
def test_a_lesson_is_learned_when_every_item_was_reviewed(
    items: int, seen: int, expected: LessonProgress
) -> None:
    assert progress_of(items, seen) is expected


def test_the_catalogue_lists_each_pack_with_lessons_learned(member: tuple[WebUser, Principal]) -> None:
    user, _ = member
    page = user.client.get("/learn/catalogue")
    assert page.status_code == 200
    assert 'href="/learn/packs/git-in-the-flow"' in page.text
    assert re.search(r"0 of \d+ lessons learned", page.text)
    assert '<link rel="stylesheet" href="/static/pages.css">' in page.text


def test_the_pack_page_shows_modules_lessons_and_progress_per_lesson(
    member: tuple[WebUser, Principal], system: System, clock: FakeClock
) -> None:
    user, principal = member
    before = user.client.get("/learn/packs/git-in-the-flow")
    assert before.status_code == 200
    assert "<h3>" in before.text, "the demo pack's course has modules"
    lesson_ids = [int(x) for x in re.findall(r'href="/learn/lesson/(\d+)"', before.text)]
    assert lesson_ids and "In progress" not in before.text and "Learned" not in before.text

    # Answer every item of the first lesson listed, and one item of the second.
    items = items_of(system, principal, "git-in-the-flow")
    first = [i for i in items if i.lesson_id == lesson_ids[0]]
    second = [i for i in items if i.lesson_id == lesson_ids[1]]
    assert first and len(second) > 1
    system.reviews.submit(principal, [submission(i, clock()) for i in [*first, second[0]]])

    after = user.client.get("/learn/packs/git-in-the-flow").text
    row = re.compile(r'<li class="lesson-row is-([a-z-]+)">\s*<a href="/learn/lesson/(\d+)"')
    by_lesson = {int(lesson): state for state, lesson in row.findall(after)}
    assert by_lesson[lesson_ids[0]] == "learned"
    assert by_lesson[lesson_ids[1]] == "in-progress"
    assert f"{len(first)}/{len(first)} items" in after
    assert re.search(r"1 of \d+ lessons learned", user.client.get("/learn/catalogue").text)


def test_another_organisations_pack_is_not_found(
    member: tuple[WebUser, Principal], sign_up: Callable[..., WebUser]
) -> None:
    outsider = sign_up("eve@example.com", "other-org")
    assert outsider.client.get("/learn/packs/git-in-the-flow").status_code == 404
    assert "git-in-the-flow" not in outsider.client.get("/learn/catalogue").text


def test_the_catalogue_needs_a_login(new_client: Callable[[], TestClient]) -> None:
    answer = new_client().get("/learn/catalogue", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")
