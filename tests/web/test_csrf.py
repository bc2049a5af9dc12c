"""CSRF: every state-changing route refuses a request that carries the session cookie but no valid token."""

from __future__ import annotations

import re

import pytest

from skillbite.web.app import route_table

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def state_changing_routes() -> list[tuple[str, str]]:
    return sorted(
        (method, re.sub(r"\{[^}]+\}", "1", route.path))
        for route in route_table()
        for method in (route.methods or set()) & UNSAFE
    )


def test_there_are_state_changing_routes() -> None:
    assert len(state_changing_routes()) >= 10


def test_every_state_changing_route_refuses_a_request_without_token(sign_up) -> None:
    user = sign_up()
    for method, path in state_changing_routes():
        answer = user.client.request(method, path, data={"name": "x", "email": "e@example.com"})
        assert answer.status_code == 403, f"{method} {path} without CSRF token gave {answer.status_code}"


def test_a_wrong_token_is_refused_and_the_right_one_accepted(sign_up) -> None:
    user = sign_up()
    wrong = user.client.post("/settings/tokens", data={"name": "laptop", "csrf_token": "0" * 64})
    assert wrong.status_code == 403
    assert "CSRF" in wrong.text
    right = user.form("/settings/tokens", {"name": "laptop"})
    assert right.status_code == 200
    assert "sb_" in right.text


def test_a_token_from_another_visitor_is_refused(sign_up, new_client) -> None:
    user = sign_up()
    stranger = new_client()
    page = stranger.get("/login")
    foreign = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert foreign
    answer = user.client.post("/settings/tokens", data={"name": "x", "csrf_token": foreign.group(1)})
    assert answer.status_code == 403


@pytest.mark.parametrize("path", ["/login", "/signup"])
def test_anonymous_forms_need_the_token_too(new_client, path: str) -> None:
    client = new_client()
    client.get(path)
    answer = client.post(path, data={"email": "a@example.com", "password": "whatever-long", "org": "x"})
    assert answer.status_code == 403


def test_bearer_token_requests_are_exempt(sign_up, new_client) -> None:
    user = sign_up()
    token = user.api("POST", "/api/tokens", json={"name": "script"}).json()["token"]
    script = new_client()
    answer = script.post(
        "/api/tokens", json={"name": "from script"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 201
