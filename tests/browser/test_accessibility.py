"""axe-core on every page that exists, at phone and desktop sizes, in light and dark colour schemes.

No serious or critical violation is allowed (the list of them is the failure message). Each page is also
photographed at 390x844 and 1280x800 into build/screenshots/ (see docs/screenshots.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

import pytest
from playwright.sync_api import FilePayload, Page, expect

from tests.browser.harness import (
    PASSWORD,
    VIEWPORTS,
    LiveServer,
    check_accessibility,
    log_in,
    screenshot,
)
from tests.browser.items import VARIANTS, DemoItem, answer_correctly, catalogue_from_database, pick

_CATALOGUES: dict[str, dict[int, DemoItem]] = {}

pytestmark = pytest.mark.browser
Who = Literal["visitor", "admin", "learner"]


@dataclass(frozen=True)
class PageState:
    """A page in a given state: who looks at it, and how to get there (and what proves we got there)."""

    name: str
    who: Who
    reach: Callable[[Page, LiveServer], None]


def visit(path: str, heading: str) -> Callable[[Page, LiveServer], None]:
    def reach(page: Page, _server: LiveServer) -> None:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)

    return reach


def signup_refused(page: Page, _server: LiveServer) -> None:
    page.goto("/signup")
    page.get_by_label("Email").fill("someone@example.com")
    page.get_by_label("Organisation short name").fill("default")  # taken: the form comes back with an error
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_contain_text("exists already")
    expect(page.get_by_label("Organisation short name")).to_have_attribute("aria-invalid", "true")


def login_refused(page: Page, server: LiveServer) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(server.default_admin.email)
    page.get_by_label("Password").fill("wrong password here")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()


def invite_page(page: Page, server: LiveServer) -> None:
    page.goto("/settings/invites")
    page.get_by_label("Role").select_option("learner")
    page.get_by_role("button", name="Create invite link").click()
    link = page.get_by_role("status").locator("code.secret").inner_text()
    # The admin's own session would not matter on the invite page, but a visitor is the real case.
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Default")


def set_password_page(page: Page, server: LiveServer) -> None:
    page.goto(server.set_password_link(f"{server.unique('new')}@default.example"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")


def token_created(page: Page, _server: LiveServer) -> None:
    page.goto("/settings/tokens")
    page.get_by_label("Token name").fill("nightly export")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("status")).to_contain_text("nightly export")


def invite_created(page: Page, _server: LiveServer) -> None:
    page.goto("/settings/invites")
    page.get_by_label("Role").select_option("author")
    page.get_by_label("Email (optional").fill("reviewer@example.com")
    page.get_by_role("button", name="Create invite link").click()
    expect(page.get_by_role("status")).to_contain_text("Share this link")


CARDS = b"question,answer,explanation\nWhat does HTTP 404 mean?,Not found,The server has no such resource.\n"
BROKEN_CARDS = b"question,answer\nonly a question\n"


def upload(page: Page, name: str, data: bytes) -> None:
    page.goto("/author/packs")
    page.get_by_label("File").set_input_files(files=FilePayload(name=name, mimeType="text/csv", buffer=data))
    page.get_by_role("button", name="Check the file").click()


def upload_checked(page: Page, _server: LiveServer) -> None:
    upload(page, "browser-cards.csv", CARDS)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ready to import")


def upload_refused(page: Page, _server: LiveServer) -> None:
    upload(page, "broken-cards.csv", BROKEN_CARDS)
    expect(page.get_by_role("heading", level=1)).to_have_text("Not imported")


def upload_imported(page: Page, server: LiveServer) -> None:
    upload_checked(page, server)
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("browser-cards")


def demo_item(server: LiveServer, variant: str) -> DemoItem:
    if server.url not in _CATALOGUES:
        _CATALOGUES[server.url] = catalogue_from_database(server)
    return pick(_CATALOGUES[server.url], variant)


def item_page(variant: str) -> Callable[[Page, LiveServer], None]:
    def reach(page: Page, server: LiveServer) -> None:
        page.goto(f"/learn/item/{demo_item(server, variant).id}")
        expect(page.locator("#item-card")).to_be_visible()

    return reach


def item_answered(variant: str) -> Callable[[Page, LiveServer], None]:
    def reach(page: Page, server: LiveServer) -> None:
        item = demo_item(server, variant)
        page.goto(f"/learn/item/{item.id}")
        answer_correctly(page, item)
        expect(page.locator("#feedback")).to_be_visible()

    return reach


def flashcard_back(page: Page, server: LiveServer) -> None:
    page.goto(f"/learn/item/{demo_item(server, 'flashcard').id}?reveal=true")
    expect(page.locator("#card-back")).to_be_visible()


def start_session(page: Page) -> str:
    """Today, then 5 minutes (as a learner does: the first request sets up the learner's profile; the
    session's pages are then fetched in parallel by the service worker)."""
    page.goto("/learn")
    page.get_by_role("button", name="5 min").click()
    expect(page.locator("#lesson-title")).to_be_visible()
    return page.locator("[data-session-steps]").get_attribute("data-session-steps") or ""


def session_lesson(page: Page, _server: LiveServer) -> None:
    start_session(page)
    expect(page.locator("#lesson-title")).to_be_visible()
    expect(page.locator("#session-progress")).to_be_visible()


def session_end(page: Page, _server: LiveServer) -> None:
    steps = start_session(page)
    page.goto(f"/learn/play?s={steps}&i={len(steps.split('.'))}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Session complete")


def ask_answered(page: Page, _server: LiveServer) -> None:
    page.goto("/ask?q=undo+my+last+commit")
    expect(page.locator("#ask-path")).to_be_visible()


def review_due(page: Page, server: LiveServer) -> None:
    item = demo_item(server, "true_false")
    page.goto(f"/learn/item/{item.id}")
    answer_correctly(page, item)
    expect(page.locator("#feedback")).to_be_visible()
    with server.travel(timedelta(days=13)):
        page.goto("/learn/review")
        expect(page.locator("#item-card")).to_be_visible()
        expect(page.locator("#due-left")).to_be_visible()


LEARNER_PAGES = [
    PageState("learn-today", "learner", visit("/learn", "Today")),
    PageState("learn-session-lesson", "learner", session_lesson),
    *(PageState(f"learn-item-{variant}", "learner", item_page(variant)) for variant in VARIANTS),
    PageState("learn-item-flashcard-back", "learner", flashcard_back),
    PageState("learn-feedback-multiple-choice", "learner", item_answered("multiple_choice_several")),
    PageState("learn-feedback-matching", "learner", item_answered("matching")),
    PageState("learn-end", "learner", session_end),
    PageState("learn-review", "learner", review_due),
    PageState("learn-review-done", "learner", visit("/learn/review", "All caught up")),
    PageState("ask", "learner", visit("/ask", "Ask")),
    PageState("ask-answered", "learner", ask_answered),
    PageState("learn-catalogue", "learner", visit("/learn/catalogue", "Catalogue")),
    PageState("learn-pack", "learner", visit("/learn/packs/git-in-the-flow", "Git in the flow of work")),
    PageState("learn-skills", "learner", visit("/learn/skills", "Skill map")),
    PageState("learn-progress", "learner", visit("/learn/progress", "Progress")),
    PageState("learn-settings", "learner", visit("/learn/settings", "Your settings")),
]

PAGES = [
    PageState("home-visitor", "visitor", visit("/", "Learn a work skill in minutes, and keep it.")),
    PageState("login", "visitor", visit("/login", "Log in")),
    PageState("login-error", "visitor", login_refused),
    PageState("signup", "visitor", visit("/signup", "Create your account")),
    PageState("signup-error", "visitor", signup_refused),
    PageState("invite", "admin", invite_page),
    PageState("set-password", "visitor", set_password_page),
    PageState("error-404", "visitor", visit("/invite/no-such-invite", "Not found")),
    PageState("error-403", "learner", visit("/author/packs", "Not allowed")),
    PageState("home-today", "admin", visit("/", "Today")),
    PageState("settings-tokens", "admin", visit("/settings/tokens", "API tokens")),
    PageState("settings-tokens-created", "admin", token_created),
    PageState("settings-invites", "admin", visit("/settings/invites", "Invite people")),
    PageState("settings-invites-created", "admin", invite_created),
    PageState("author-packs", "admin", visit("/author/packs", "Content")),
    PageState("author-check", "admin", upload_checked),
    PageState("author-check-errors", "admin", upload_refused),
    PageState("author-done", "admin", upload_imported),
    *LEARNER_PAGES,
]


@pytest.mark.parametrize("state", PAGES, ids=[p.name for p in PAGES])
def test_page_has_no_serious_accessibility_violation(
    state: PageState, request: pytest.FixtureRequest, live_server: LiveServer
) -> None:
    page: Page = request.getfixturevalue("admin_page" if state.who == "admin" else "page")
    if state.who == "learner":
        log_in(page, live_server.member("learner"))
    state.reach(page, live_server)
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            check_accessibility(page, f"{state.name} at {viewport['width']}x{viewport['height']} ({scheme})")
    page.emulate_media(color_scheme="light")
    for path in screenshot(page, state.name):
        assert path.stat().st_size > 1000, f"{path} looks empty"


def test_pages_fit_a_phone_screen_without_sideways_scrolling(
    admin_page: Page, live_server: LiveServer
) -> None:
    """At 390 px wide nothing overflows sideways (WCAG 1.4.10 reflow), with the longest page content."""
    admin_page.set_viewport_size(VIEWPORTS[0])
    learner_paths = ["/learn", "/ask?q=undo+my+last+commit", "/learn/session?minutes=5"]
    learner_paths += [f"/learn/item/{demo_item(live_server, variant).id}" for variant in VARIANTS]
    for path in ("/", "/settings/tokens", "/settings/invites", "/author/packs", *learner_paths):
        admin_page.goto(path)
        overflow = admin_page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px wide"
