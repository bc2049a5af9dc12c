"""The security headers the real server sends: a strict CSP on the app's pages and assets, a relaxed one only
for Swagger UI (which starts itself with an inline script), nosniff and same-origin referrers everywhere."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

STRICT = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}


def directives(policy: str) -> set[str]:
    return {part.strip() for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize(
    "path",
    ["/", "/login", "/learn", "/ask?q=undo+my+last+commit", "/static/app.js", "/sw.js", "/no-such-page"],
)
def test_app_pages_and_assets_have_the_strict_policy(admin_page: Page, path: str) -> None:
    response = admin_page.request.get(path)
    headers = response.headers
    assert directives(headers["content-security-policy"]) == STRICT
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_api_docs_work_under_their_own_policy(page: Page) -> None:
    """Swagger UI starts (its inline start-up script is allowed there) and may load nothing from elsewhere."""
    response = page.goto("/api/docs")
    assert response is not None
    policy = directives(response.headers["content-security-policy"])
    assert "script-src 'self' 'unsafe-inline'" in policy and "object-src 'none'" in policy
    assert "default-src 'self'" in policy
    # Swagger UI started and read the OpenAPI 3.1 document: the operations are listed.
    expect(page.locator("#swagger-ui .swagger-ui").first).to_be_attached()
    expect(page.get_by_text("/api/reviews/batch").first).to_be_visible()
    expect(page.get_by_text("Unable to render this definition")).to_have_count(0)
