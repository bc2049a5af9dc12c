"""What the browser tests share besides fixtures: constants, the accounts they use, and the helpers they call
(axe-core checks, screenshots, keyboard navigation). Fixtures live in conftest.py.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Response,
    StorageState,
    ViewportSize,
)
from sqlalchemy import text

from skillbite.wiring import System

CHROMIUM = Path(os.environ.get("SKILLBITE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
SECRET = "browser-test-secret-key-long-enough"
PASSWORD = "correct horse battery staple"
# Phone first (an iPhone 12-15 sized screen), then a small laptop.
PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1280, height=800)
VIEWPORTS = (PHONE, DESKTOP)
# What axe checks: WCAG 2.0, 2.1 and 2.2 A/AA plus Deque's best practices. Only serious and critical
# violations fail a test; minor and moderate ones are printed so they stay visible.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}
# The server's clock is fixed, so expiry dates in pages and screenshots do not change from run to run.
FROZEN_NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


CSP_MARK = "securitypolicyviolation:"
REPORT_CSP_VIOLATIONS = (
    "document.addEventListener('securitypolicyviolation', (e) => console.error("
    f"'{CSP_MARK} ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile"
    " + ':' + e.lineNumber));"
)


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    org: str


@dataclass
class ServerClock:
    """The server's clock: fixed at FROZEN_NOW, moved forward only inside `LiveServer.travel`."""

    now: datetime = FROZEN_NOW

    def __call__(self) -> datetime:
        return self.now


@dataclass
class LiveServer:
    url: str
    system: System
    clock: ServerClock
    # The admin of `default`, the organisation holding the demo content; set once the server is up.
    default_admin: Account = field(init=False)
    _serial: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def unique(self, stem: str) -> str:
        """A name no other test in this session uses (emails and organisation slugs are unique)."""
        return f"{stem}{next(self._serial)}"

    def set_password_link(self, email: str, role: str = "learner") -> str:
        """A one-time set-password link for a new member of `default`, as `skillbite user create` makes."""
        link = self.system.accounts.create_user(email, "default", role)
        return urlsplit(link.url).path

    def member(self, role: str) -> Account:
        """A new member of `default` with this role and a password set (through the service, not a page)."""
        account = Account(f"{self.unique(role)}@default.example", PASSWORD, "default")
        token = self.set_password_link(account.email, role).rsplit("/", 1)[1]
        self.system.accounts.set_password(token, account.password)
        return account

    @contextmanager
    def travel(self, delta: timedelta) -> Iterator[None]:
        """Move the server's clock forward for the `with` block (tests in a worker run one at a time, so
        no other test sees it); back to FROZEN_NOW afterwards."""
        self.clock.now = FROZEN_NOW + delta
        try:
            yield
        finally:
            self.clock.now = FROZEN_NOW

    def stored_review_uuids(self, email: str) -> list[str]:
        """The UUID of every review stored for this learner, one per row, straight from the database."""
        with self.system.db.transaction() as session:
            rows = session.execute(
                text(
                    "SELECT r.uuid FROM reviews r JOIN users u ON u.id = r.learner_id WHERE u.email = :email"
                ),
                {"email": email},
            )
            return [row[0] for row in rows]

    def item_ids(self, pack: str) -> dict[str, int]:
        """The database id of each item of a pack, by its key in the pack (what /learn/item/{id} takes)."""
        with self.system.db.transaction() as session:
            rows = session.execute(
                text("SELECT i.key, i.id FROM items i JOIN packs p ON p.id = i.pack_id WHERE p.key = :pack"),
                {"pack": pack},
            )
            return {row[0]: row[1] for row in rows}


@dataclass
class PageProblems:
    """What went wrong in the page besides the test's own assertions: script errors, missing assets and
    anything the Content-Security-Policy refused."""

    errors: list[str] = field(default_factory=list)


def watch_for_problems(context: BrowserContext, origin: str) -> PageProblems:
    problems = PageProblems()

    def on_response(response: Response) -> None:
        request = response.request
        # Documents answering 4xx are the error pages under test; assets must always load.
        if response.status >= 400 and request.resource_type != "document" and request.url.startswith(origin):
            problems.errors.append(f"{response.status} for {request.resource_type} {request.url}")

    def on_console(message: ConsoleMessage) -> None:
        refused = "Content Security Policy" in message.text or CSP_MARK in message.text
        if message.type == "error" and refused:
            problems.errors.append(f"CSP violation: {message.text}")

    context.on("weberror", lambda error: problems.errors.append(f"script error: {error.error}"))
    context.on("console", on_console)
    # Chromium reports refusals on the console; the DOM event is listened to as well, so that a refusal
    # is caught even when no console message reaches the test (it runs before any page script).
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    context.on("response", on_response)
    return problems


def new_context(
    browser: Browser, live_server: LiveServer, storage_state: StorageState | None = None
) -> BrowserContext:
    """A fresh context (its own cookies) at desktop size, relative URLs resolved against the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, storage_state=storage_state)
    context.set_default_timeout(10_000)
    return context


def log_in(page: Page, account: Account) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    assert page.get_by_text(f"Signed in as {account.email}").is_visible()


def check_accessibility(page: Page, name: str) -> None:
    """Run axe-core on the page as it is now; fail listing every serious or critical violation with its nodes.

    axe is evaluated through the DevTools protocol rather than a <script> tag, so a strict
    Content-Security-Policy on the app can never block it.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async (tags) => {
            const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
            const r = await axe.run(document, options);
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
                                          summary: n.failureSummary}))}));
        }""",
        AXE_TAGS,
    )
    failing = [v for v in results if v["impact"] in FAILING_IMPACTS]
    for violation in results:
        if violation not in failing:
            print(f"axe ({name}): {violation['impact']} {violation['id']}: {violation['help']}")
    if failing:
        lines = [f"axe found {len(failing)} serious or critical violation(s) on {name} ({page.url}):"]
        for v in failing:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"]:
                lines.append(f"    at {node['target']}: {node['html'][:200]}")
                lines.append("      " + str(node["summary"]).replace("\n", "\n      "))
        pytest.fail("\n".join(lines), pytrace=False)


def screenshot(page: Page, name: str) -> list[Path]:
    """Full-page screenshots at the phone and desktop sizes: build/screenshots/<name>-<W>x<H>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    written = []
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        path = SCREENSHOTS / f"{name}-{viewport['width']}x{viewport['height']}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
        written.append(path)
    if original:
        page.set_viewport_size(original)
    return written


def focused(page: Page) -> dict[str, str]:
    """The focused element: its tag, accessible-ish name and whether a focus indicator is drawn."""
    description: dict[str, str] = page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return {tag: 'body', name: '', outline: 'none'};
            const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
            const style = getComputedStyle(el);
            return {tag: el.tagName.toLowerCase(), id: el.id || '',
                    name: (el.getAttribute('aria-label') || label || el.innerText || el.value || '').trim(),
                    outline: style.outlineStyle === 'none' && style.boxShadow === 'none' ? 'none' : 'shown'};
        }"""
    )
    return description


def tab_to(page: Page, name: str, *, max_presses: int = 30) -> None:
    """Press Tab until the element whose name starts with `name` has focus; it must show a focus indicator."""
    seen = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        now = focused(page)
        seen.append(f"{now['tag']} {now['name']!r}")
        if now["name"].startswith(name):
            assert now["outline"] == "shown", f"{name!r} has focus but no visible focus indicator"
            return
    pytest.fail(f"{name!r} not reachable with Tab on {page.url}; focus went through: " + json.dumps(seen))


def follow(page: Page, press: str = "Enter") -> None:
    """Press a key that leaves the page (a link or button followed) and wait for the next URL."""
    before = page.url
    page.keyboard.press(press)
    page.wait_for_url(lambda url: url != before)
