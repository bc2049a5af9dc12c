"""At most 10 failed logins a minute per account: the eleventh wrong password in a minute answers 429."""

from __future__ import annotations

from tests.conftest import FakeClock


def test_eleventh_wrong_password_in_a_minute_is_429(sign_up, new_client, clock: FakeClock) -> None:
    sign_up("dana@example.com", "org-d")
    visitor = new_client()
    page = visitor.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    statuses = []
    for _ in range(11):
        answer = visitor.post(
            "/login", data={"email": "dana@example.com", "password": "wrong-guess!", "csrf_token": token}
        )
        statuses.append(answer.status_code)
        clock.advance(seconds=2)
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    # Even the right password is refused while the limit holds.
    right = visitor.post(
        "/login",
        data={"email": "dana@example.com", "password": "correct horse battery", "csrf_token": token},
        follow_redirects=False,
    )
    assert right.status_code == 429
    # A minute later, the right password works again.
    clock.advance(seconds=61)
    again = visitor.post(
        "/login",
        data={"email": "dana@example.com", "password": "correct horse battery", "csrf_token": token},
        follow_redirects=False,
    )
    assert again.status_code == 303


def test_the_limit_is_per_account(sign_up, new_client) -> None:
    sign_up("erin@example.com", "org-e")
    sign_up("fred@example.com", "org-f")
    visitor = new_client()
    page = visitor.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    for _ in range(11):
        visitor.post(
            "/login", data={"email": "erin@example.com", "password": "nope-nope-nope", "csrf_token": token}
        )
    other = visitor.post(
        "/login",
        data={"email": "fred@example.com", "password": "correct horse battery", "csrf_token": token},
        follow_redirects=False,
    )
    assert other.status_code == 303
