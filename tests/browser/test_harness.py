"""The browser harness checks itself: the axe check and the page-problem watch fail when they should."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.harness import LiveServer, check_accessibility, new_context, watch_for_problems

pytestmark = pytest.mark.browser


def test_the_axe_check_fails_on_a_page_with_violations(page: Page) -> None:
    """A button without a name and an unlabelled field must fail the check, naming both with their HTML."""
    page.set_content(
        '<!doctype html><html lang="en"><title>t</title><main><h1>Form</h1>'
        '<button></button><input type="text"></main></html>'
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        check_accessibility(page, "a broken page")
    message = str(failure.value)
    assert "button-name" in message and "label" in message and "<button></button>" in message


def test_script_errors_and_missing_assets_are_caught(browser: Browser, live_server: LiveServer) -> None:
    context = new_context(browser, live_server)
    try:
        problems = watch_for_problems(context, live_server.url)
        page = context.new_page()
        page.goto("/login")
        page.evaluate("() => { setTimeout(() => { throw new Error('boom in the page'); }); }")
        page.evaluate("() => fetch('/static/no-such-file.js')")
        page.wait_for_timeout(200)
    finally:
        context.close()
    assert any("boom in the page" in error for error in problems.errors), problems.errors
    assert any("404" in error and "no-such-file.js" in error for error in problems.errors), problems.errors


def test_content_security_policy_violations_are_caught(browser: Browser, live_server: LiveServer) -> None:
    """An inline style on an app page is refused by the policy, and the refusal becomes a page problem."""
    context = new_context(browser, live_server)
    try:
        problems = watch_for_problems(context, live_server.url)
        page = context.new_page()
        page.goto("/login")
        with page.expect_console_message(lambda message: "securitypolicyviolation" in message.text):
            page.evaluate(
                "() => { const s = document.createElement('style'); s.textContent = 'h1 { color: red }';"
                " document.head.appendChild(s); }"
            )
        colour = page.evaluate("() => getComputedStyle(document.querySelector('h1')).color")
    finally:
        context.close()
    assert colour != "rgb(255, 0, 0)", "the inline style was applied: the page has no strict CSP"
    assert any("style-src" in error for error in problems.errors), problems.errors
