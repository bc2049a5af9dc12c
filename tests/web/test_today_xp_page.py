"""The Today page's XP and goal: opening pages earns nothing, a right answer earns XP, a re-sent form earns
nothing more; the goal ring speaks in the goal's unit."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.conftest import WebUser
from tests.web.test_learner_pages import field, right_answer_form, session_items
from tests.web.test_tenant_isolation import example_pack_zip


@pytest.fixture
def learner(sign_up: Callable[..., WebUser]) -> WebUser:
    user = sign_up("lea@example.com", "lea-team")
    imported = user.api(
        "POST", "/api/packs", files={"file": ("hello.zip", example_pack_zip(), "application/zip")}
    )
    assert imported.status_code == 201, imported.text
    return user


def xp_shown(user: WebUser) -> tuple[int, int]:
    page = user.client.get("/learn").text
    match = re.search(r'id="xp">(\d+) <small>\(\+(\d+) today', page)
    assert match, "no XP on the Today page"
    return int(match.group(1)), int(match.group(2))


def test_opening_pages_earns_nothing_and_a_right_answer_earns_xp_once(learner: WebUser) -> None:
    items = session_items(learner)
    start = learner.client.get("/learn/session?minutes=10", follow_redirects=False)
    learner.client.get(start.headers["location"])  # the session's first lesson
    for page in ("/learn/catalogue", "/learn/progress", "/learn/skills", "/learn/settings"):
        assert learner.client.get(page).status_code == 200
    for item_id in items.values():
        learner.client.get(f"/learn/item/{item_id}")
    assert xp_shown(learner) == (0, 0)

    item_id = items["true_false"]
    page = learner.client.get(f"/learn/item/{item_id}").text
    data = {
        **right_answer_form("true_false", page),
        "review_uuid": field(page, "review_uuid"),
        "shown_at": field(page, "shown_at"),
        "mode": "single",
        "csrf_token": learner.csrf,
    }
    assert learner.client.post(f"/learn/item/{item_id}/answer", data=data).status_code == 200
    earned = xp_shown(learner)
    assert earned[0] == earned[1] >= 5  # a first right answer: the base recall XP, and maybe a milestone
    assert learner.client.post(f"/learn/item/{item_id}/answer", data=data).status_code == 200  # re-sent
    assert xp_shown(learner) == earned


def test_the_goal_ring_speaks_in_minutes(learner: WebUser) -> None:
    page = learner.client.get("/learn").text
    assert "Daily goal: 0.0 of 5 minutes (0%)" in page and "0.0 / 5 min today" in page
