"""The learner's settings page: a labelled form, saved with CSRF, refused values shown on their field."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from skillbite.services.principal import Principal
from skillbite.wiring import System
from tests.conftest import WebUser
from tests.services.learning_helpers import PASSWORD

VALID = {
    "timezone": "Europe/Paris",
    "daily_goal_minutes": "15",
    "reminder_time": "07:45",
    "desired_retention": "92",
}


@pytest.fixture
def member(system: System, sign_up: Callable[..., WebUser]) -> tuple[WebUser, Principal]:
    user = sign_up()
    return user, system.accounts.log_in(user.email, PASSWORD, org_slug=user.org).principal


def test_every_control_has_a_label_and_shows_the_stored_value(member: tuple[WebUser, Principal]) -> None:
    user, _ = member
    page = user.client.get("/learn/settings").text
    for control in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', page):
        assert f'<label for="{control}">' in page, f"control {control} has no label"
    assert "<option selected>UTC</option>" in page and "<option>Europe/Paris</option>" in page
    assert 'name="daily_goal_minutes" type="number"' in page and 'value="5"' in page
    assert "allows\n      70.0% to 97.0%" in page
    assert "style=" not in page and "<script>" not in page


def test_saving_stores_the_settings_and_shows_them(member: tuple[WebUser, Principal], system: System) -> None:
    user, principal = member
    answer = user.form("/learn/settings", VALID)
    assert answer.status_code == 303 and answer.headers["location"] == "/learn/settings?saved=1"
    stored = system.learner_settings.get(principal)
    assert (stored.timezone, stored.daily_goal_minutes, stored.reminder_time) == ("Europe/Paris", 15, "07:45")
    assert stored.desired_retention == pytest.approx(0.92)
    page = user.client.get(answer.headers["location"]).text
    assert "Settings saved." in page and "<option selected>Europe/Paris</option>" in page
    assert 'value="07:45"' in page and 'value="92"' in page

    # Blank retention and reminder: back to the organisation's default and no reminder.
    assert (
        user.form("/learn/settings", {**VALID, "desired_retention": "", "reminder_time": ""}).status_code
        == 303
    )
    cleared = system.learner_settings.get(principal)
    assert cleared.desired_retention is None and cleared.reminder_time is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("desired_retention", "99", "outside the allowed range"),
        ("desired_retention", "lots", "must be a percentage"),
        ("timezone", "Mars/Olympus", "is not an IANA time zone"),
        ("daily_goal_minutes", "0", "from 1 to 240"),
        ("daily_goal_minutes", "ten", "must be a whole number"),
        ("reminder_time", "25:00", "must be HH:MM"),
    ],
)
def test_a_refused_value_is_shown_on_its_field_and_nothing_changes(
    member: tuple[WebUser, Principal], system: System, field: str, value: str, message: str
) -> None:
    user, principal = member
    before = system.learner_settings.get(principal)
    answer = user.form("/learn/settings", {**VALID, field: value})
    assert answer.status_code == 422
    assert message in answer.text
    control = re.search(rf'<(?:input|select) id="{field}"[^>]*>', answer.text)
    assert control and 'aria-invalid="true"' in control.group(0) and "form-error" in control.group(0)
    assert system.learner_settings.get(principal) == before


def test_the_form_needs_its_csrf_token(member: tuple[WebUser, Principal], system: System) -> None:
    user, principal = member
    answer = user.client.post("/learn/settings", data=VALID, follow_redirects=False)
    assert answer.status_code == 403
    assert system.learner_settings.get(principal).timezone == "UTC"


def test_the_goal_can_count_xp(member: tuple[WebUser, Principal], system: System) -> None:
    user, principal = member
    answer = user.form("/learn/settings", {**VALID, "daily_goal_kind": "xp", "daily_goal_xp": "80"})
    assert answer.status_code == 303
    stored = system.learner_settings.get(principal)
    assert (stored.daily_goal_kind, stored.daily_goal_xp, stored.daily_goal_minutes) == ("xp", 80, 15)
    page = user.client.get("/learn/settings").text
    assert 'value="xp" checked' in page and 'value="80"' in page
    refused = user.form("/learn/settings", {**VALID, "daily_goal_kind": "xp", "daily_goal_xp": "1"})
    assert refused.status_code == 422 and 'id="daily_goal_xp"' in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert "daily_goal_xp must be a whole number from 5" in refused.text
    assert system.learner_settings.get(principal).daily_goal_xp == 80
