"""Offline in a real browser: the service worker keeps the current session, answers given offline wait in
IndexedDB under their review UUIDs, are sent when the network returns and are stored exactly once (a second
sending changes nothing); logging out sends what is left, then removes the stored answers and cached pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.harness import LiveServer, follow, log_in, new_context, watch_for_problems
from tests.browser.items import (
    DemoItem,
    answer_correctly,
    catalogue_from_database,
    expect_feedback,
    shown_item_id,
)

pytestmark = pytest.mark.browser
MAX_STEPS = 60

QUEUED = """() => new Promise((resolve, reject) => {
    const open = indexedDB.open('skillbite', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('reviews', {keyPath: 'uuid'});
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
        const get = open.result.transaction('reviews').objectStore('reviews').getAll();
        get.onsuccess = () => { open.result.close(); resolve(get.result); };
        get.onerror = () => reject(get.error);
    };
})"""
REQUEUE = """(review) => new Promise((resolve, reject) => {
    const open = indexedDB.open('skillbite', 1);
    open.onsuccess = () => {
        const tx = open.result.transaction('reviews', 'readwrite');
        tx.objectStore('reviews').put(review);
        tx.oncomplete = () => { open.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
    };
})"""
STORED_OFFLINE = """async () => {
    const names = await caches.keys();
    const urls = [];
    for (const name of names) {
        for (const request of await (await caches.open(name)).keys()) { urls.push(request.url); }
    }
    const databases = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [];
    return {urls, databases};
}"""
SESSION_CACHED = """(wanted) => caches.open('skillbite-session')
    .then((cache) => cache.keys()).then((keys) => keys.length >= wanted)"""


@pytest.fixture
def context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    """A context with service workers allowed (the default); fails on script errors and CSP refusals."""
    context = new_context(browser, live_server)
    # Answers queued offline carry the device's time; the server refuses times in its future, and its clock
    # is frozen, so the browser's clock shows the server's time (as a real device's would).
    context.clock.set_fixed_time(live_server.clock.now)
    problems = watch_for_problems(context, live_server.url)
    yield context
    context.close()
    # Requests made offline fail without a response, so they are not problems; every answer must be.
    assert not problems.errors, "problems in the page:\n" + "\n".join(problems.errors)


def wait_for_service_worker(page: Page) -> None:
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def answer_the_rest_offline(page: Page, catalogue: dict[int, DemoItem]) -> list[str]:
    """Play on to the end screen with the network off: every answer is queued, not sent."""
    queued: list[str] = []
    step = page.locator("#lesson-title, #item-card, #session-complete").first
    for _ in range(MAX_STEPS):
        expect(step).to_be_visible()
        if page.locator("#session-complete").count():
            return queued
        if page.locator("#item-card").count():
            queued.append(answer_correctly(page, catalogue[shown_item_id(page)]))
            expect(page.locator("#offline-note")).to_contain_text("You are offline")
            expect(page.locator("#continue")).to_be_focused()
        page.locator("#continue").focus()
        follow(page)
    pytest.fail(f"the offline session did not end within {MAX_STEPS} steps")


def test_answers_given_offline_are_stored_once_and_log_out_clears_them(
    context: BrowserContext, live_server: LiveServer
) -> None:
    catalogue = catalogue_from_database(live_server)
    account = live_server.member("learner")
    page = context.new_page()
    log_in(page, account)
    # The first visit installs the service worker; from then on it controls the learner's pages.
    page.goto("/learn")
    wait_for_service_worker(page)

    page.get_by_role("button", name="5 min").click()
    expect(page).to_have_url(re.compile(r"/learn/play\?s=[lir0-9.]+&i=0$"))
    steps = page.locator("[data-session-steps]").get_attribute("data-session-steps") or ""
    assert steps, "a new learner's session starts with a lesson"
    # app.js asks the worker to keep every step of the session (with and without the flashcard answer shown).
    page.wait_for_function(SESSION_CACHED, arg=2 * (len(steps.split(".")) + 1))

    # One step online (the lesson), then the network goes away mid-session.
    page.locator("#continue").click()
    online: list[str] = []
    expect(page.locator("#item-card")).to_be_visible()
    first = catalogue[shown_item_id(page)]
    online.append(answer_correctly(page, first))
    expect_feedback(page, first)

    context.set_offline(True)
    page.locator("#continue").click()
    queued = answer_the_rest_offline(page, catalogue)
    assert queued, "the session should have items after the first"
    assert live_server.stored_review_uuids(account.email) == online, "offline answers reached the server"
    waiting = page.evaluate(QUEUED)
    assert sorted(r["uuid"] for r in waiting) == sorted(queued)
    expect(page.locator("#offline-queue")).to_contain_text(f"{len(queued)} answer")

    # Back online: the queue is sent and emptied, each answer stored once.
    context.set_offline(False)
    expect(page.locator("#offline-queue")).to_be_hidden()
    assert page.evaluate(QUEUED) == []
    stored = live_server.stored_review_uuids(account.email)
    assert sorted(stored) == sorted(online + queued)

    # The same answer sent again (a retry after a lost response) changes nothing.
    page.goto("/learn")
    page.evaluate(REQUEUE, waiting[0])
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function(f"() => ({QUEUED})().then((left) => left.length === 0)")
    assert sorted(live_server.stored_review_uuids(account.email)) == sorted(online + queued)

    # Log out: nothing of the learner's stays in the browser (the app shell may be fetched again for /login).
    before = page.evaluate(STORED_OFFLINE)
    assert any("/learn/play" in url for url in before["urls"]), before
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    after = page.evaluate(STORED_OFFLINE)
    assert "skillbite" not in after["databases"], after
    assert [url for url in after["urls"] if "/static/" not in url] == [], after
