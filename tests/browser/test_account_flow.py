"""The account journey in a real browser: sign up, API token, log out, log in, invite a second user.

The first two tests use the keyboard only (Tab, arrows, typing, Enter; no mouse click), proving these pages
work for people who cannot use a pointer.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.harness import PASSWORD, Account, LiveServer, focused, new_context, tab_to

pytestmark = pytest.mark.browser


def sign_up_by_keyboard(page: Page, account: Account) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Skip to content", "the first Tab should reach the skip link"
    tab_to(page, "Create an account")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/signup$"))
    tab_to(page, "Email")
    page.keyboard.type(account.email)
    page.keyboard.press("Tab")
    page.keyboard.type(account.org)
    page.keyboard.press("Tab")
    page.keyboard.type(account.password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    expect(page.get_by_text(f"Signed in as {account.email} in {account.org} (admin).")).to_be_visible()


def log_out_by_keyboard(page: Page) -> None:
    tab_to(page, "Log out")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_sign_up_create_token_log_out_and_in_by_keyboard(page: Page, live_server: LiveServer) -> None:
    ada = Account(f"{live_server.unique('ada')}@example.com", PASSWORD, live_server.unique("ada-org"))
    sign_up_by_keyboard(page, ada)

    tab_to(page, "API tokens")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    tab_to(page, "Token name")
    page.keyboard.type("laptop script")
    page.keyboard.press("Enter")
    notice = page.get_by_role("status")
    expect(notice).to_contain_text("Your new token laptop script")
    token = notice.locator("code.secret").inner_text()
    assert token.startswith("sb_"), token
    expect(page.get_by_role("button", name="Revoke laptop script")).to_be_visible()
    # The token shown once really authenticates the API, as the same user.
    me = page.request.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.ok, me.text()
    assert me.json()["email"] == ada.email and me.json()["org"] == ada.org

    log_out_by_keyboard(page)
    after = page.request.get("/settings/tokens", max_redirects=0)
    assert after.status == 303, "still logged in after log out"

    # The login form focuses the email field itself.
    assert focused(page)["id"] == "email"
    page.keyboard.type(ada.email)
    page.keyboard.press("Tab")
    page.keyboard.type(ada.password)
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Signed in as {ada.email}")).to_be_visible()
    tab_to(page, "API tokens")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Revoke laptop script")).to_be_visible()


def test_admin_invites_a_second_user_who_joins_by_keyboard(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    grace = Account(f"{live_server.unique('grace')}@example.com", PASSWORD, live_server.unique("grace-org"))
    sign_up_by_keyboard(page, grace)
    tab_to(page, "Invites")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite people")
    tab_to(page, "Role")
    page.keyboard.press("ArrowDown")  # Learner -> Author, without opening the list
    assert page.get_by_label("Role").input_value() == "author"
    tab_to(page, "Create invite link")
    page.keyboard.press("Enter")
    link = page.get_by_role("status").locator("code.secret").inner_text()
    assert link.startswith(f"{live_server.url}/invite/"), link
    expect(page.get_by_text("author · open")).to_be_visible()

    # The second user opens the link in a browser of their own.
    context = new_context(browser, live_server)
    try:
        second = context.new_page()
        second.goto(link)
        expect(second.get_by_role("heading", level=1)).to_have_text(f"Join {grace.org}")
        expect(second.get_by_text("You are invited as author.")).to_be_visible()
        alan = f"{live_server.unique('alan')}@example.com"
        tab_to(second, "Email")
        second.keyboard.type(alan)
        second.keyboard.press("Tab")
        second.keyboard.type(PASSWORD)
        second.keyboard.press("Enter")
        expect(second.get_by_text(f"Signed in as {alan} in {grace.org} (author).")).to_be_visible()
        # An author sees the Content menu but, not being an admin, not the Invites one.
        nav = second.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Content")).to_be_visible()
        expect(nav.get_by_role("link", name="Invites")).to_have_count(0)
    finally:
        context.close()

    # The link worked once: the admin sees it used, and it cannot be used again.
    page.reload()
    expect(page.get_by_text("author · used")).to_be_visible()
    again = page.request.get(link)
    assert again.status == 404


def test_logged_out_visitor_is_sent_to_log_in_and_back(page: Page, live_server: LiveServer) -> None:
    page.goto("/settings/tokens")
    expect(page).to_have_url(re.compile(r"/login\?next=/settings/tokens$"))
    admin = live_server.default_admin
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(admin.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/settings/tokens$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")


def test_wrong_password_is_announced_and_keeps_the_email(page: Page, live_server: LiveServer) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(live_server.default_admin.email)
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value(live_server.default_admin.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")


def test_set_password_link_logs_the_new_member_in(page: Page, live_server: LiveServer) -> None:
    email = f"{live_server.unique('linus')}@example.com"
    page.goto(live_server.set_password_link(email))
    expect(page.get_by_text(f"For {email}.")).to_be_visible()
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_label("Type it again").fill(PASSWORD)
    page.get_by_role("button", name="Set password and log in").click()
    expect(page.get_by_text(f"Signed in as {email} in default (learner).")).to_be_visible()
