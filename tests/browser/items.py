"""The demo items the browser tests answer, and how a learner answers each kind in the player, by keyboard
where the control allows it (selects are set with `select_option`: a keyboard user picks with the arrow
keys, which headless Chromium does not open reliably).

Answers come from the item bodies the author API returns (`/api/packs/{key}`, answers included), or from
the database for the accessibility pages; the database id that /learn/item/{id} takes is looked up by the
item's key in its pack.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import APIRequestContext, Page, expect

from skillbite.domain.answers import cloze_deletions
from tests.browser.harness import LiveServer

# Every kind the player shows, with multiple choice split in two: one right answer (radios) or several
# (checkboxes).
VARIANTS = (
    "multiple_choice_one",
    "multiple_choice_several",
    "true_false",
    "cloze",
    "typed_answer",
    "ordering",
    "matching",
    "flashcard",
)


@dataclass(frozen=True)
class DemoItem:
    id: int
    pack: str
    key: str
    body: dict[str, Any]
    explanation: str

    @property
    def kind(self) -> str:
        return str(self.body["kind"])

    @property
    def variant(self) -> str:
        if self.kind == "multiple_choice":
            right = sum(1 for choice in self.body["choices"] if choice["correct"])
            return "multiple_choice_several" if right > 1 else "multiple_choice_one"
        return self.kind


def catalogue_from_api(api: APIRequestContext, server: LiveServer) -> dict[int, DemoItem]:
    """Every item of every pack, read as an author through the REST API."""
    items: dict[int, DemoItem] = {}
    packs = api.get("/api/packs")
    assert packs.ok, packs.text()
    for pack in packs.json():
        detail = api.get(f"/api/packs/{pack['key']}")
        assert detail.ok, detail.text()
        ids = server.item_ids(pack["key"])
        for lesson in detail.json()["lessons"]:
            for item in lesson["items"]:
                found = DemoItem(ids[item["id"]], pack["key"], item["id"], item["body"], item["explanation"])
                items[found.id] = found
    return items


def catalogue_from_database(server: LiveServer) -> dict[int, DemoItem]:
    """The same items read straight from the server's database (for tests with no author at hand)."""
    from sqlalchemy import text

    with server.system.db.transaction() as session:
        rows = session.execute(
            text(
                "SELECT i.id, p.key, i.key, i.body, i.explanation"
                " FROM items i JOIN packs p ON p.id = i.pack_id WHERE i.retired_at IS NULL"
            )
        )
        return {row[0]: DemoItem(row[0], row[1], row[2], json.loads(row[3]), row[4] or "") for row in rows}


def pick(catalogue: dict[int, DemoItem], variant: str) -> DemoItem:
    """An item of this variant with an explanation (to see it after answering); typed answers without
    placeholders, so the accepted answer can be typed as it is."""
    for item in sorted(catalogue.values(), key=lambda i: i.id):
        if item.variant != variant or not item.explanation:
            continue
        if item.kind == "typed_answer" and "{{" in item.body["answers"][0]:
            continue
        return item
    raise AssertionError(f"the demo content has no {variant} item with an explanation")


def shown_item_id(page: Page) -> int:
    card = page.locator("#item-card")
    expect(card).to_be_visible()
    return int(card.get_attribute("data-item-id") or "0")


def _press_option(page: Page, selector: str) -> None:
    page.locator(selector).focus()
    page.keyboard.press("Space")


def fill_answer(page: Page, item: DemoItem) -> None:
    """Put the right answer into the form shown, without sending it."""
    body = item.body
    if item.kind == "multiple_choice":
        for index, choice in enumerate(body["choices"]):
            if choice["correct"]:
                _press_option(page, f"#choice-{index}")
    elif item.kind == "true_false":
        _press_option(page, "#tf-true" if body["answer"] else "#tf-false")
    elif item.kind == "cloze":
        for gap, deletion in zip(
            page.locator("input[name=blank]").all(), cloze_deletions(body["text"]), strict=True
        ):
            gap.focus()
            page.keyboard.type(deletion.answers[0])
    elif item.kind == "typed_answer":
        page.locator("#typed").focus()
        page.keyboard.type(body["answers"][0])
    elif item.kind == "ordering":
        for position, step in enumerate(body["steps"]):
            page.locator(f"#order-{position}").select_option(label=step)
    elif item.kind == "matching":
        for index, pair in enumerate(body["pairs"]):
            page.locator(f"#match-{index}").select_option(label=pair["right"])
    else:
        raise AssertionError(f"fill_answer does not know {item.kind}")


def answer_correctly(page: Page, item: DemoItem, self_grade: str = "3") -> str:
    """Answer the item shown (right, or `self_grade` for a flashcard) by keyboard; wait for the feedback
    and return the review UUID the answer was sent with."""
    assert shown_item_id(page) == item.id
    if item.kind == "flashcard":
        reveal = page.locator("#reveal")
        if reveal.count():
            reveal.focus()
            page.keyboard.press("Enter")
        expect(page.locator("#card-back")).to_be_visible()
        uuid = page.locator("input[name=review_uuid]").input_value()
        page.locator("body").focus()
        page.keyboard.press(self_grade)  # app.js: 1-4 grade the card
    else:
        fill_answer(page, item)
        uuid = page.locator("input[name=review_uuid]").input_value()
        page.locator("#submit-answer").focus()
        page.keyboard.press("Enter")
    return uuid


def expect_feedback(page: Page, item: DemoItem) -> None:
    """Immediate feedback in place of the form: the verdict, the explanation, focus on the feedback."""
    feedback = page.locator("#feedback")
    expect(feedback).to_be_visible()
    expect(feedback).to_be_focused()
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("You said: Good" if item.kind == "flashcard" else "Right")
    if item.explanation:
        expect(page.locator("#explanation")).to_be_visible()
