"""A learner's day in a real browser, by keyboard: a 5-minute session from Today, every item kind answered
with immediate feedback, due reviews a fortnight later, Ask and Learn now, and at the end every answer
stored exactly once in the server's database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, StorageState, expect

from tests.browser.harness import LiveServer, focused, follow, log_in, new_context, tab_to
from tests.browser.items import (
    VARIANTS,
    DemoItem,
    answer_correctly,
    catalogue_from_api,
    expect_feedback,
    pick,
    shown_item_id,
)

pytestmark = pytest.mark.browser
# Long enough for items answered right once to be due, shorter than a login session (14 days).
FORTNIGHT = timedelta(days=13)
MAX_STEPS = 80


@pytest.fixture(scope="module")
def catalogue(
    browser: Browser, live_server: LiveServer, admin_state: StorageState
) -> Iterator[dict[int, DemoItem]]:
    """The demo items with their kinds and answers, read as the admin through /api/packs/{key}."""
    context = new_context(browser, live_server, storage_state=admin_state)
    yield catalogue_from_api(context.request, live_server)
    context.close()


class Learner:
    """Answers whatever the player shows and remembers each review UUID it sent."""

    def __init__(self, page: Page, catalogue: dict[int, DemoItem]) -> None:
        self.page = page
        self.catalogue = catalogue
        self.sent: list[str] = []
        self.variants: set[str] = set()

    def answer_shown_item(self) -> DemoItem:
        item = self.catalogue[shown_item_id(self.page)]
        self.sent.append(answer_correctly(self.page, item))
        expect_feedback(self.page, item)
        self.variants.add(item.variant)
        return item

    def continue_by_keyboard(self) -> None:
        """Enter on the focused feedback (or the page after a lesson) follows Continue (app.js)."""
        self.page.keyboard.press("Enter")

    def play_to_the_end(self) -> None:
        """Read each lesson and answer each item of the session until the end screen."""
        page = self.page
        step = page.locator("#lesson-title, #item-card, #session-complete").first
        for _ in range(MAX_STEPS):
            expect(step).to_be_visible()
            if page.locator("#session-complete").count():
                return
            if page.locator("#lesson-title").count():
                tab_to(page, "Continue", max_presses=60)
            else:
                self.answer_shown_item()
            follow(page)  # Enter on the feedback, or after a lesson on Continue (app.js)
        pytest.fail(f"the session did not end within {MAX_STEPS} steps")


def test_session_every_item_kind_review_ask_and_learn_now(
    page: Page, live_server: LiveServer, catalogue: dict[int, DemoItem]
) -> None:
    account = live_server.member("learner")
    log_in(page, account)
    learner = Learner(page, catalogue)

    # Today -> 5 minutes, by keyboard.
    tab_to(page, "Today")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    tab_to(page, "5 min")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/learn/play\?s=[lir0-9.]+&i=0$"))
    expect(page.locator("#session-progress")).to_be_visible()
    learner.play_to_the_end()
    expect(page.locator("#learned")).to_be_visible()
    assert learner.sent, "a 5-minute session for a new learner should hold items"

    # Every kind the session did not show, opened on its own page.
    for variant in VARIANTS:
        if variant not in learner.variants:
            item = pick(catalogue, variant)
            page.goto(f"/learn/item/{item.id}")
            learner.answer_shown_item()
    assert learner.variants == set(VARIANTS)

    # A fortnight later the answers are due: review them one at a time until none is left.
    with live_server.travel(FORTNIGHT):
        page.goto("/learn")
        expect(page.locator("#due-count")).not_to_have_text("0 items")
        tab_to(page, "Review due items")
        page.keyboard.press("Enter")
        reviewed = 0
        for _ in range(MAX_STEPS):
            heading = page.locator("#reviews-done, #item-card").first
            expect(heading).to_be_visible()
            if page.locator("#reviews-done").count():
                break
            learner.answer_shown_item()
            reviewed += 1
            learner.continue_by_keyboard()
            expect(page.locator("#feedback")).to_have_count(0)
        else:
            pytest.fail("reviews did not run out")
        assert reviewed > 0

    # Ask in plain words, then Learn now: the path's lessons, played to the end.
    page.goto("/learn")
    tab_to(page, "What do you need to do?")
    assert focused(page)["id"] == "ask-q"
    page.keyboard.type("undo my last commit")
    page.keyboard.press("Enter")
    expect(page.locator("#ask-path li").first).to_be_visible()
    expect(page.locator("#answer-title")).to_contain_text("Your path")
    tab_to(page, "Learn now", max_presses=60)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/learn/play\?s=l"))
    learner.play_to_the_end()

    stored = live_server.stored_review_uuids(account.email)
    assert len(stored) == len(set(stored)), "a review UUID is stored more than once"
    assert sorted(stored) == sorted(learner.sent), "the stored reviews differ from the answers given"
