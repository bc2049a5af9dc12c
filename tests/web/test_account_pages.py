"""Pages to sign up, log in, log out and accept an invite; health and API docs."""

from __future__ import annotations

import re

from skillbite.wiring import System


def csrf_of(page_text: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page_text)
    assert match
    return match.group(1)


def test_healthz_checks_the_database(new_client) -> None:
    answer = new_client().get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


def test_api_docs_are_served_without_cdn(new_client) -> None:
    client = new_client()
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js").status_code == 200
    assert "/api/tokens" in client.get("/api/openapi.json").json()["paths"]


def test_base_layout_is_mobile_first_and_accessible(new_client) -> None:
    page = new_client().get("/").text
    assert 'name="viewport"' in page and 'lang="en"' in page
    assert 'href="#main"' in page and '<main id="main"' in page
    assert "https://" not in re.sub(r'href="https://[^"]*"', "", page.split("<body")[0]), (
        "assets must be local"
    )
    assert "/static/vendor/htmx" in page


def test_sign_up_log_out_log_in(sign_up) -> None:
    user = sign_up("kim@example.com", "kims-team")
    assert "kim@example.com" in user.client.get("/").text
    out = user.form("/logout", {})
    assert out.status_code == 303
    assert user.client.get("/api/me").status_code == 401
    page = user.client.get("/login")
    back = user.client.post(
        "/login",
        data={
            "email": "KIM@example.com",
            "password": "correct horse battery",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    assert back.status_code == 303
    assert user.client.get("/api/me").json()["org"] == "kims-team"


def test_session_cookie_flags(new_client) -> None:
    client = new_client()
    page = client.get("/signup")
    answer = client.post(
        "/signup",
        data={
            "email": "lee@example.com",
            "org": "lees",
            "password": "long enough pw",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    cookie = next(
        v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith("sb_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie


def test_secure_cookie_under_https(app) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(app, base_url="https://testserver")
    page = client.get("/signup")
    answer = client.post(
        "/signup",
        data={
            "email": "max@example.com",
            "org": "maxs",
            "password": "long enough pw",
            "csrf_token": csrf_of(page.text),
        },
        follow_redirects=False,
    )
    cookie = next(
        v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith("sb_session=")
    )
    assert "Secure" in cookie
    client.close()


def test_sign_up_errors_are_shown_on_the_form(sign_up, new_client) -> None:
    sign_up("nia@example.com", "taken-org")
    client = new_client()
    page = client.get("/signup")
    answer = client.post(
        "/signup",
        data={
            "email": "oli@example.com",
            "org": "taken-org",
            "password": "long enough pw",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert answer.status_code == 409
    assert "ask one of its admins for an invite" in answer.text
    short = client.post(
        "/signup",
        data={
            "email": "oli@example.com",
            "org": "olis",
            "password": "short",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert short.status_code == 422 and "too short" in short.text


def test_invite_link_joins_the_organisation(sign_up, new_client, system: System) -> None:
    admin = sign_up("pat@example.com", "pats")
    invite = admin.api("POST", "/api/invites", json={"role": "author"}).json()
    path = invite["url"].removeprefix("http://testserver")
    newcomer = new_client()
    page = newcomer.get(path)
    assert page.status_code == 200 and "author" in page.text
    joined = newcomer.post(
        path,
        data={"email": "quin@example.com", "password": "long enough pw", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert joined.status_code == 303
    assert newcomer.get("/api/me").json()["role"] == "author"
    members = {m["email"]: m["role"] for m in admin.api("GET", "/api/members").json()}
    assert members == {"pat@example.com": "admin", "quin@example.com": "author"}
    assert new_client().get(path).status_code == 404  # used once


def test_revoked_invite_is_refused(sign_up, new_client) -> None:
    admin = sign_up("ray@example.com", "rays")
    invite = admin.api("POST", "/api/invites", json={"role": "learner"}).json()
    admin.api("DELETE", f"/api/invites/{invite['id']}")
    assert new_client().get(invite["url"].removeprefix("http://testserver")).status_code == 404


def test_learners_cannot_invite(sign_up, new_client) -> None:
    admin = sign_up("sam@example.com", "sams")
    invite = admin.api("POST", "/api/invites", json={"role": "learner"}).json()
    path = invite["url"].removeprefix("http://testserver")
    learner = new_client()
    page = learner.get(path)
    learner.post(
        path,
        data={"email": "tia@example.com", "password": "long enough pw", "csrf_token": csrf_of(page.text)},
    )
    answer = learner.post(
        "/api/invites", json={"role": "admin"}, headers={"X-CSRF-Token": csrf_of(learner.get("/login").text)}
    )
    assert answer.status_code == 403


def test_last_admin_cannot_be_demoted(sign_up) -> None:
    admin = sign_up("uma@example.com", "umas")
    me = admin.api("GET", "/api/me").json()
    answer = admin.api("PATCH", f"/api/members/{me['user_id']}", json={"role": "learner"})
    assert answer.status_code == 409 and "last admin" in answer.json()["detail"]


def test_open_redirect_is_refused(sign_up) -> None:
    user = sign_up("val@example.com", "vals")
    user.form("/logout", {})
    page = user.client.get("/login?next=//evil.example.com")
    assert 'value="/"' in page.text
