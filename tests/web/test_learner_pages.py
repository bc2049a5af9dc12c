"""The learner's pages in-process: Today, Ask, the player for every item kind, answers stored once,
review mode and "learn now". Content is the example pack, imported through the API as an admin would."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from skillbite.store.tables.learning import ReviewRow
from skillbite.wiring import System
from tests.conftest import FakeClock, WebUser
from tests.web.test_tenant_isolation import example_pack_zip

KINDS = ("multiple_choice", "true_false", "cloze", "typed_answer", "ordering", "matching", "flashcard")


@pytest.fixture
def learner(sign_up: Callable[..., WebUser]) -> WebUser:
    user = sign_up("lea@example.com", "lea-team")
    imported = user.api(
        "POST", "/api/packs", files={"file": ("hello.zip", example_pack_zip(), "application/zip")}
    )
    assert imported.status_code == 201, imported.text
    return user


def review_count(system: System) -> int:
    with system.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(ReviewRow)) or 0)


def field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no field {name} on the page"
    return match.group(1)


def session_items(user: WebUser) -> dict[str, int]:
    """Item id by kind, from the planned session (the example pack has one item of each kind)."""
    plan = user.api("GET", "/api/session?minutes=120").json()
    item_ids = [i for bite in plan["bites"] for i in bite["item_ids"]]
    kinds: dict[str, int] = {}
    for item_id in item_ids:
        page = user.client.get(f"/learn/item/{item_id}").text
        kind = re.search(r'data-kind="(\w+)"', page)
        if kind is None:  # a flashcard shows its front first, with no answer form
            assert 'id="reveal"' in page
            kinds["flashcard"] = item_id
        else:
            kinds[kind.group(1)] = item_id
    return kinds


def right_answer_form(kind: str, page: str) -> dict[str, str | list[str]]:
    """The form fields of a right answer for the example pack's items, read from the page's options."""
    options = dict(re.findall(r'<option value="(\d+)"(?: data-right="[^"]*")?>([^<]*)</option>', page))
    if kind == "multiple_choice":
        return {"choice": "0"}
    if kind == "true_false":
        return {"tf": "false"}
    if kind == "cloze":
        return {"blank": ["item", "yml"]}
    if kind == "typed_answer":
        return {"typed": "skillbite pack validate packs/hello"}
    if kind == "ordering":
        return {"order": sorted(options, key=int)}
    if kind == "matching":
        return {f"match-{i}": str(i) for i in range(len(set(re.findall(r'id="match-(\d+)"', page))))}
    return {"self_grade": "3"}


def test_today_page_shows_start_buttons_stats_ring_and_ask_box(learner: WebUser) -> None:
    page = learner.client.get("/learn")
    assert page.status_code == 200
    for minutes in (2, 5, 10):
        assert f'id="start-{minutes}"' in page.text
    assert 'id="streak"' in page.text and 'id="xp"' in page.text and 'id="due-count"' in page.text
    assert "<svg" in page.text and 'class="ring-fill"' in page.text
    assert 'id="ask-q"' in page.text and '<label for="ask-q"' in page.text


def test_today_needs_a_login(new_client) -> None:
    answer = new_client().get("/learn", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_start_opens_the_first_step_and_the_lesson_renders_its_media(learner: WebUser) -> None:
    start = learner.client.get("/learn/session?minutes=10", follow_redirects=False)
    assert start.status_code == 303
    first = learner.client.get(start.headers["location"])
    assert first.status_code == 200
    assert 'id="lesson-title"' in first.text and 'id="session-progress"' in first.text
    assert 'src="/media/hello-skillbite/media/pack-layout.svg"' in first.text


@pytest.mark.parametrize("kind", KINDS)
def test_player_renders_each_kind_without_giving_the_answer(learner: WebUser, kind: str) -> None:
    item_id = session_items(learner)[kind]
    page = learner.client.get(f"/learn/item/{item_id}").text
    if kind == "flashcard":
        assert 'id="grade-good"' not in page
        page = learner.client.get(f"/learn/item/{item_id}?reveal=true").text
        assert 'id="grade-again"' in page and 'id="grade-easy"' in page
    assert 'name="review_uuid"' in page and 'name="shown_at"' in page
    assert 'id="feedback"' not in page and "(right answer)" not in page
    assert "Accepted:" not in page
    # every control has a label
    for control in re.findall(r'<(?:input|select)[^>]*id="([^"]+)"', page):
        if control not in ("ask-q",):
            assert f'for="{control}"' in page, f"control {control} has no label"


@pytest.mark.parametrize("kind", KINDS)
def test_answering_posts_a_review_stored_once(learner: WebUser, system: System, kind: str) -> None:
    item_id = session_items(learner)[kind]
    page = learner.client.get(f"/learn/item/{item_id}" + ("?reveal=true" if kind == "flashcard" else "")).text
    data = {
        **right_answer_form(kind, page),
        "review_uuid": field(page, "review_uuid"),
        "shown_at": field(page, "shown_at"),
        "mode": "single",
        "csrf_token": learner.csrf,
    }
    before = review_count(system)
    first = learner.client.post(f"/learn/item/{item_id}/answer", data=data)
    assert first.status_code == 200, first.text
    assert 'id="feedback"' in first.text and 'id="continue"' in first.text
    if kind == "flashcard":
        assert "You said: Good" in first.text
    else:
        assert "Right" in first.text, first.text
    again = learner.client.post(f"/learn/item/{item_id}/answer", data=data)
    assert again.status_code == 200 and 'id="feedback"' in again.text
    assert review_count(system) == before + 1


def test_a_wrong_answer_shows_the_right_one_and_the_explanation(learner: WebUser) -> None:
    item_id = session_items(learner)["true_false"]
    page = learner.client.get(f"/learn/item/{item_id}").text
    answer = learner.form(
        f"/learn/item/{item_id}/answer",
        {"tf": "true", "review_uuid": field(page, "review_uuid"), "shown_at": field(page, "shown_at")},
    )
    assert "Not quite" in answer.text and "<strong>false</strong>" in answer.text
    assert 'id="explanation"' in answer.text and 'id="comes-back"' in answer.text


def test_htmx_answer_returns_only_the_item_card(learner: WebUser) -> None:
    item_id = session_items(learner)["multiple_choice"]
    page = learner.client.get(f"/learn/item/{item_id}").text
    answer = learner.client.post(
        f"/learn/item/{item_id}/answer",
        data={"choice": "1", "review_uuid": field(page, "review_uuid"), "shown_at": field(page, "shown_at")},
        headers={"HX-Request": "true", "X-CSRF-Token": learner.csrf},
    )
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith("{#") is False and "<html" not in answer.text
    assert 'id="item-card"' in answer.text and "(your answer)" in answer.text


def test_a_malformed_answer_is_refused_with_a_message_and_stores_nothing(
    learner: WebUser, system: System
) -> None:
    item_id = session_items(learner)["ordering"]
    page = learner.client.get(f"/learn/item/{item_id}").text
    answer = learner.form(
        f"/learn/item/{item_id}/answer",
        {"order": "0", "review_uuid": field(page, "review_uuid"), "shown_at": field(page, "shown_at")},
    )
    assert answer.status_code == 422 and 'id="item-error"' in answer.text
    assert review_count(system) == 0


def test_a_whole_session_ends_with_what_was_learned(learner: WebUser, clock: FakeClock) -> None:
    url = learner.client.get("/learn/session?minutes=10", follow_redirects=False).headers["location"]
    for _ in range(40):
        page = learner.client.get(url).text
        if 'id="session-complete"' in page:
            break
        if 'id="reveal"' in page:
            page = learner.client.get(url + "&reveal=true").text
        if 'id="answer-form"' in page:
            kind = re.search(r'data-kind="(\w+)"', page)
            assert kind
            item_id = re.search(r'action="/learn/item/(\d+)/answer"', page)
            assert item_id
            done = learner.client.post(
                f"/learn/item/{item_id.group(1)}/answer",
                data={
                    **right_answer_form(kind.group(1), page),
                    "review_uuid": field(page, "review_uuid"),
                    "shown_at": field(page, "shown_at"),
                    "s": field(page, "s"),
                    "i": field(page, "i"),
                    "mode": "session",
                    "csrf_token": learner.csrf,
                },
            ).text
            page = done
        next_url = re.search(r'id="continue" href="([^"]+)"', page)
        assert next_url, page
        url = next_url.group(1).replace("&amp;", "&")
    else:
        pytest.fail("the session never ended")
    assert 'id="learned"' in page and "comes back" in page


def test_review_mode_shows_due_items_one_at_a_time(learner: WebUser, clock: FakeClock) -> None:
    assert 'id="reviews-done"' in learner.client.get("/learn/review").text
    item_id = session_items(learner)["true_false"]
    page = learner.client.get(f"/learn/item/{item_id}").text
    learner.form(
        f"/learn/item/{item_id}/answer",
        {"tf": "false", "review_uuid": field(page, "review_uuid"), "shown_at": field(page, "shown_at")},
    )
    clock.advance(days=5)
    review = learner.client.get("/learn/review").text
    assert f'action="/learn/item/{item_id}/answer"' in review
    assert 'name="mode" value="review"' in review
    done = learner.form(
        f"/learn/item/{item_id}/answer",
        {
            "tf": "false",
            "mode": "review",
            "review_uuid": field(review, "review_uuid"),
            "shown_at": field(review, "shown_at"),
        },
    )
    assert 'href="/learn/review"' in done.text
    assert 'id="reviews-done"' in learner.client.get("/learn/review").text


def test_ask_page_shows_the_path_and_learn_now_starts_it(learner: WebUser) -> None:
    empty = learner.client.get("/ask")
    assert empty.status_code == 200 and 'id="ask-q"' in empty.text
    page = learner.client.get("/ask", params={"q": "what is in a pack"})
    assert page.status_code == 200
    assert 'id="ask-answer"' in page.text
    lessons = re.findall(r'name="lesson" value="(\d+)"', page.text)
    if not lessons:
        lessons = re.findall(r'href="/learn/lesson/(\d+)"', page.text)[:1]
    assert lessons, page.text
    start = learner.client.get("/learn/now", params={"lesson": lessons}, follow_redirects=False)
    assert start.status_code == 303 and start.headers["location"].startswith("/learn/play?s=l")
    assert learner.client.get(start.headers["location"]).status_code == 200


def test_service_worker_is_served_at_the_root_scope(new_client) -> None:
    answer = new_client().get("/sw.js")
    assert answer.status_code == 200
    assert answer.headers["service-worker-allowed"] == "/"
    assert answer.headers["cache-control"] == "no-cache"
    assert "javascript" in answer.headers["content-type"]


def test_pages_have_no_inline_scripts_or_handlers(learner: WebUser) -> None:
    item_id = session_items(learner)["multiple_choice"]
    for url in ("/learn", "/ask", f"/learn/item/{item_id}", "/learn/review"):
        page = learner.client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert not re.search(r"\son[a-z]+=", page), url


def test_learn_now_without_lessons_says_there_is_nothing(learner: WebUser) -> None:
    page = learner.client.get("/learn/now")
    assert page.status_code == 200 and "All done for now" in page.text


def test_a_hand_edited_session_url_is_refused_with_a_message(learner: WebUser) -> None:
    page = learner.client.get("/learn/play", params={"s": "x1.l2", "i": 0})
    assert page.status_code == 422 and "start the session again from Today" in page.text
