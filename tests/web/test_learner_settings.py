"""GET/PUT /api/me/settings, GET/PUT /api/org/learning (admins) and GET/POST/DELETE /api/me/goals."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from skillbite.services.principal import Principal
from skillbite.wiring import System
from tests.conftest import FakeClock, WebUser
from tests.services.learning_helpers import PASSWORD, items_of, learner_in, state_rows, submission

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "packs" / "hello-skillbite"


@pytest.fixture
def admin(system: System, sign_up: Callable[..., WebUser]) -> tuple[WebUser, Principal]:
    user = sign_up()
    principal = system.accounts.log_in(user.email, PASSWORD, org_slug=user.org).principal
    system.content.import_pack(principal.org_id, EXAMPLE)
    return user, principal


def log_in(client: TestClient, email: str, org: str) -> WebUser:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    done = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    return WebUser(client, email, org)


@pytest.fixture
def learner(system: System, admin, new_client: Callable[[], TestClient]) -> tuple[WebUser, Principal]:
    _, admin_principal = admin
    principal = learner_in(system, admin_principal, "lea@example.com")
    return log_in(new_client(), "lea@example.com", admin_principal.org_slug), principal


DEFAULTS = {
    "timezone": "UTC",
    "desired_retention": None,
    "daily_goal_minutes": 5,
    "daily_goal_kind": "minutes",
    "daily_goal_xp": 50,
    "reminder_time": None,
    "day_start_hour": 4,
    "min_retention": 0.7,
    "max_retention": 0.97,
}


def test_settings_start_at_the_defaults_and_change_field_by_field(learner) -> None:
    user, _ = learner
    assert user.api("GET", "/api/me/settings").json() == DEFAULTS
    changed = user.api(
        "PUT", "/api/me/settings", json={"timezone": "Europe/Paris", "desired_retention": 0.85}
    )
    assert changed.status_code == 200, changed.text
    expected = {**DEFAULTS, "timezone": "Europe/Paris", "desired_retention": 0.85}
    assert changed.json() == expected
    more = {
        "daily_goal_minutes": 15,
        "reminder_time": "08:30",
        "day_start_hour": 0,
        "daily_goal_kind": "xp",
        "daily_goal_xp": 120,
    }
    assert user.api("PUT", "/api/me/settings", json=more).json() == {**expected, **more}
    cleared = user.api("PUT", "/api/me/settings", json={"desired_retention": None, "reminder_time": None})
    assert cleared.json() == {**expected, **more, "desired_retention": None, "reminder_time": None}
    assert user.api("GET", "/api/me/settings").json() == cleared.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"timezone": "utc+2"}, "timezone"),
        ({"desired_retention": 0.99}, "desired_retention"),
        ({"desired_retention": 0.5}, "desired_retention"),
        ({"reminder_time": "25:00"}, "reminder_time"),
        ({"reminder_time": "8:30"}, "reminder_time"),
        ({"day_start_hour": 24}, "day_start_hour"),
        ({"day_start_hour": -1}, "day_start_hour"),
        ({"daily_goal_minutes": 0}, "daily_goal_minutes"),
        ({"daily_goal_kind": "pages"}, "daily_goal_kind"),
        ({"daily_goal_xp": 4}, "daily_goal_xp"),
    ],
)
def test_invalid_settings_are_refused_naming_the_field(learner, body: dict, field: str) -> None:
    user, _ = learner
    answer = user.api("PUT", "/api/me/settings", json=body)
    assert answer.status_code == 422 and answer.json()["field"] == field, answer.text
    assert user.api("GET", "/api/me/settings").json() == DEFAULTS


def test_only_admins_see_and_set_the_organisation_policy(admin, learner) -> None:
    admin_user, _ = admin
    learner_user, _ = learner
    assert learner_user.api("GET", "/api/org/learning").status_code == 403
    assert learner_user.api("PUT", "/api/org/learning", json={"default_retention": 0.8}).status_code == 403
    assert admin_user.api("GET", "/api/org/learning").json() == {
        "default_retention": None,
        "tag_retention": {},
        "min_retention": 0.7,
        "max_retention": 0.97,
    }
    policy = {
        "default_retention": 0.85,
        "tag_retention": {"safety": 0.95},
        "min_retention": 0.8,
        "max_retention": 0.9,
    }
    assert admin_user.api("PUT", "/api/org/learning", json=policy).json() == policy
    assert admin_user.api("GET", "/api/org/learning").json() == policy


@pytest.mark.parametrize(
    ("policy", "field"),
    [
        ({"min_retention": 0.9, "max_retention": 0.8}, "min_retention"),
        ({"min_retention": 0.6}, "min_retention"),
        ({"max_retention": 0.99}, "max_retention"),
        ({"default_retention": 0.75, "min_retention": 0.8}, "default_retention"),
        ({"tag_retention": {"safety": 0.99}}, "tag_retention[safety]"),
        ({"tag_retention": {" ": 0.9}}, "tag_retention"),
    ],
)
def test_an_invalid_policy_is_refused(admin, policy: dict, field: str) -> None:
    user, _ = admin
    answer = user.api("PUT", "/api/org/learning", json=policy)
    assert answer.status_code == 422 and answer.json()["field"] == field, answer.text
    assert user.api("GET", "/api/org/learning").json()["min_retention"] == 0.7


def test_the_bounds_limit_and_move_the_learners_own_setting(admin, learner) -> None:
    admin_user, _ = admin
    learner_user, _ = learner
    assert learner_user.api("PUT", "/api/me/settings", json={"desired_retention": 0.8}).status_code == 200
    admin_user.api("PUT", "/api/org/learning", json={"min_retention": 0.85, "max_retention": 0.95})
    settings = learner_user.api("GET", "/api/me/settings").json()
    assert (settings["desired_retention"], settings["min_retention"], settings["max_retention"]) == (
        0.85,
        0.85,
        0.95,
    )
    refused = learner_user.api("PUT", "/api/me/settings", json={"desired_retention": 0.96})
    assert refused.status_code == 422 and "[0.85, 0.95]" in refused.json()["detail"]


def test_retention_changes_reschedule_at_once(system: System, clock: FakeClock, admin, learner) -> None:
    admin_user, admin_principal = admin
    learner_user, learner_principal = learner
    item = next(
        i for i in items_of(system, admin_principal) if i.key == "pack-layout.media-root"
    )  # tagged authoring
    for days_ago in (21, 18, 11):  # answered before; the session cookie is fresh
        system.reviews.submit(learner_principal, [submission(item, clock.now - timedelta(days=days_ago))])

    def due() -> object:
        [row] = [r for r in state_rows(system, admin_principal.org_id) if r[0] == learner_principal.user_id]
        return row[4]

    at_default = due()
    assert learner_user.api("PUT", "/api/me/settings", json={"desired_retention": 0.75}).status_code == 200
    relaxed = due()
    policy = admin_user.api("PUT", "/api/org/learning", json={"tag_retention": {"authoring": 0.95}})
    assert policy.status_code == 200, policy.text
    strict = due()
    assert strict < at_default < relaxed, (
        strict,
        at_default,
        relaxed,
    )  # the tag override beats the learner's own 0.75
    assert system.recompute.recompute(admin_principal.org_id).changed == []


def test_goals_are_checked_against_the_content(admin, learner, system: System, sign_up) -> None:
    user, _ = learner
    assert user.api("GET", "/api/me/goals").json() == []
    added = user.api(
        "POST", "/api/me/goals", json={"kind": "course", "target": "hello-skillbite/hello-skillbite"}
    )
    assert added.status_code == 201, added.text
    assert {k: added.json()[k] for k in ("kind", "target", "assigned")} == {
        "kind": "course",
        "target": "hello-skillbite/hello-skillbite",
        "assigned": False,
    }
    for kind, target in (
        ("skill", "hello-skillbite/pack.layout"),
        ("lesson", "hello-skillbite/practice-items"),
    ):
        assert user.api("POST", "/api/me/goals", json={"kind": kind, "target": target}).status_code == 201
    assert [g["kind"] for g in user.api("GET", "/api/me/goals").json()] == ["course", "skill", "lesson"]

    again = user.api(
        "POST", "/api/me/goals", json={"kind": "course", "target": "hello-skillbite/hello-skillbite"}
    )
    assert again.status_code == 409
    for body, status, field in (
        ({"kind": "module", "target": "hello-skillbite/x"}, 422, "kind"),
        ({"kind": "course", "target": "no-slash"}, 422, "target"),
        ({"kind": "course", "target": "no-such-pack/x"}, 404, "target"),
        (
            {"kind": "course", "target": "hello-skillbite/pack-layout"},
            404,
            "target",
        ),  # a lesson, not a course
        ({"kind": "skill", "target": "hello-skillbite/no.such.skill"}, 404, "target"),
    ):
        answer = user.api("POST", "/api/me/goals", json=body)
        assert (answer.status_code, answer.json()["field"]) == (status, field), answer.text

    removed = user.api(
        "DELETE", "/api/me/goals", params={"kind": "skill", "target": "hello-skillbite/pack.layout"}
    )
    assert removed.status_code == 204
    gone = user.api(
        "DELETE", "/api/me/goals", params={"kind": "skill", "target": "hello-skillbite/pack.layout"}
    )
    assert gone.status_code == 404
    assert [g["kind"] for g in user.api("GET", "/api/me/goals").json()] == ["course", "lesson"]


def test_another_organisations_content_is_not_a_goal(admin, sign_up) -> None:
    stranger = sign_up("sam@other.example", "other-org")
    answer = stranger.api(
        "POST", "/api/me/goals", json={"kind": "course", "target": "hello-skillbite/hello-skillbite"}
    )
    assert answer.status_code == 404
    assert stranger.api("GET", "/api/me/goals").json() == []
