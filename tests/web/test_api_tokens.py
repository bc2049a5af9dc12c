"""Personal API tokens: Bearer authentication, shown once, revoked at once."""

from __future__ import annotations


def test_a_revoked_token_is_refused_at_once(sign_up, new_client) -> None:
    user = sign_up()
    created = user.api("POST", "/api/tokens", json={"name": "ci"}).json()
    script = new_client()
    bearer = {"Authorization": f"Bearer {created['token']}"}
    assert script.get("/api/me", headers=bearer).json()["email"] == user.email
    assert user.api("DELETE", f"/api/tokens/{created['id']}").json()["revoked"] is True
    refused = script.get("/api/me", headers=bearer)
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]


def test_the_token_is_shown_only_once(sign_up) -> None:
    user = sign_up()
    created = user.api("POST", "/api/tokens", json={"name": "once"}).json()
    assert created["token"].startswith("sb_")
    listed = user.api("GET", "/api/tokens").json()
    assert [t["token"] for t in listed] == [None]
    assert listed[0]["prefix"] == created["token"][:10]


def test_unknown_bearer_token_is_401(new_client) -> None:
    client = new_client()
    answer = client.get("/api/me", headers={"Authorization": "Bearer sb_not-a-token"})
    assert answer.status_code == 401


def test_api_without_credentials_is_401(new_client) -> None:
    assert new_client().get("/api/me").status_code == 401


def test_token_page_creates_and_revokes(sign_up) -> None:
    user = sign_up()
    page = user.form("/settings/tokens", {"name": "from the page"})
    assert "from the page" in page.text and "sb_" in page.text
    token_id = user.api("GET", "/api/tokens").json()[0]["id"]
    revoked = user.form(f"/settings/tokens/{token_id}/revoke", {})
    assert revoked.status_code == 303
    assert user.api("GET", "/api/tokens").json()[0]["revoked"] is True
