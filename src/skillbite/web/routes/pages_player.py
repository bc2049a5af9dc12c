"""The lesson player: a session's steps one at a time (lessons, new items, reviews), answers graded on the
server with immediate feedback, and the end screen. Review mode shows due items one at a time.

Every answer form carries a review UUID made when the form is rendered, so a form sent twice (double click,
retry, reload) is stored once and shows the same feedback. Pages work without JavaScript; with htmx the
answer swaps the item card in place.
"""

from __future__ import annotations

import uuid as uuid_module
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from skillbite.content.item_view import item_view, lesson_view
from skillbite.domain.answers import AnswerFormatError
from skillbite.domain.content import ItemKind
from skillbite.services.errors import Conflict, InvalidInput, ServiceError
from skillbite.services.player import PlayerItem
from skillbite.services.principal import Principal
from skillbite.services.reviews import ReviewOutcome, ReviewSubmission
from skillbite.web.auth import PrincipalDep, SystemDep
from skillbite.web.comes_back import when_text
from skillbite.web.learner_services import PlayerDep
from skillbite.web.pages import render
from skillbite.web.player_forms import (
    answer_from_form,
    picked_choices,
    response_ms_from_form,
    shuffled,
)
from skillbite.web.session_steps import Step, format_steps, parse_steps, play_url
from skillbite.wiring import System

router = APIRouter(include_in_schema=False)

KIND_LABELS = {
    ItemKind.MULTIPLE_CHOICE: "Choose",
    ItemKind.TRUE_FALSE: "True or false",
    ItemKind.CLOZE: "Fill the gaps",
    ItemKind.TYPED_ANSWER: "Type the answer",
    ItemKind.ORDERING: "Put in order",
    ItemKind.MATCHING: "Match",
    ItemKind.FLASHCARD: "Flashcard",
}
SELF_GRADES = ((1, "Again"), (2, "Hard"), (3, "Good"), (4, "Easy"))


async def form_data(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]


def _now_ms(system: System) -> int:
    return int(system.clock().timestamp() * 1000)


def _media_base(pack: str) -> str:
    return f"/media/{pack}"


def _wants_fragment(request: Request) -> bool:
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true"


class Flow:
    """Where an item sits: in a session (steps + index), in review mode, or on its own."""

    def __init__(self, steps: str = "", index: int = 0, mode: str = "") -> None:
        self.steps = steps
        self.index = index
        self.mode = mode if mode in ("review", "session", "single") else "single"
        self.total = len(parse_steps(steps)) if steps else 0

    @classmethod
    def from_form(cls, form: FormData) -> Flow:
        steps, index, mode = form.get("s"), form.get("i"), form.get("mode")
        return cls(
            steps if isinstance(steps, str) else "",
            int(index) if isinstance(index, str) and index.isdigit() else 0,
            mode if isinstance(mode, str) else "",
        )

    def next_url(self, lesson_id: int) -> str:
        if self.mode == "review":
            return "/learn/review"
        if self.steps:
            return play_url(self.steps, self.index + 1)
        return f"/learn/lesson/{lesson_id}"


def _item_context(
    system: System,
    principal: Principal,
    found: PlayerItem,
    flow: Flow,
    *,
    review_uuid: str | None = None,
    shown_at: int | None = None,
    reveal: bool = False,
    outcome: ReviewOutcome | None = None,
    picked: set[int] | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    view = item_view(found.item, _media_base(found.pack))
    review_uuid = review_uuid or str(uuid_module.uuid4())
    comes_back = None
    if outcome is not None:
        tz = system.learner_settings.get(principal).timezone
        comes_back = when_text(outcome.due, system.clock(), tz)
    return {
        "principal": principal,
        "found": found,
        "view": view,
        "kind_label": KIND_LABELS[view.kind],
        "flow": flow,
        "next_url": flow.next_url(found.lesson_id),
        "review_uuid": review_uuid,
        "shown_at": shown_at if shown_at is not None else _now_ms(system),
        "reveal": reveal,
        "outcome": outcome,
        "picked": picked or set(),
        "comes_back": comes_back,
        "item_error": error,
        "step_order": shuffled(len(view.steps), review_uuid),
        "right_order": shuffled(len(view.pairs), review_uuid + "/match"),
        "self_grades": SELF_GRADES,
        "grade_names": dict(SELF_GRADES),
    }


def _render_item(request: Request, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    if _wants_fragment(request):
        # htmx swaps only 2xx answers by default: a refused answer comes back as a card with its message.
        return render(request, "learn/_item_card.html", **context)
    return render(request, "learn/item.html", status_code=status_code, **context)


def _show_step(
    request: Request,
    system: System,
    principal: Principal,
    player: PlayerDep,
    flow: Flow,
    reveal: bool,
    shown_at: int | None,
) -> Response:
    steps = parse_steps(flow.steps)
    if flow.index >= len(steps):
        return _end_screen(request, system, principal, player, steps)
    step = steps[flow.index]
    if step.kind == "l":
        found = player.lesson(principal, step.id)
        return render(
            request,
            "learn/lesson.html",
            principal=principal,
            lesson=lesson_view(found.lesson, _media_base(found.pack)),
            flow=flow,
            next_url=play_url(flow.steps, flow.index + 1),
        )
    found_item = player.item(principal, step.id)
    context = _item_context(system, principal, found_item, flow, reveal=reveal, shown_at=shown_at)
    return _render_item(request, context)


@router.get("/learn/play", response_class=HTMLResponse)
def play(
    request: Request,
    principal: PrincipalDep,
    system: SystemDep,
    player: PlayerDep,
    s: str = "",
    i: Annotated[int, Query(ge=0)] = 0,
    reveal: bool = False,
    shown_at: int | None = None,
) -> Response:
    """Step `i` of the session `s` (see web/session_steps.py); past the last step, the end screen."""
    return _show_step(request, system, principal, player, Flow(s, i, "session"), reveal, shown_at)


@router.get("/learn/lesson/{lesson_id}")
def lesson(lesson_id: int, principal: PrincipalDep, player: PlayerDep) -> Response:
    """A lesson on its own: read it, then answer its items (a session of one bite)."""
    found = player.lesson(principal, lesson_id)
    steps = [Step("l", found.lesson_id), *(Step("i", item_id) for item_id in found.item_ids)]
    return RedirectResponse(play_url(format_steps(steps), 0), status_code=303)


@router.get("/learn/item/{item_id}", response_class=HTMLResponse)
def item_page(
    request: Request,
    item_id: int,
    principal: PrincipalDep,
    system: SystemDep,
    player: PlayerDep,
    mode: str = "single",
    reveal: bool = False,
    shown_at: int | None = None,
) -> Response:
    found = player.item(principal, item_id)
    context = _item_context(system, principal, found, Flow(mode=mode), reveal=reveal, shown_at=shown_at)
    return _render_item(request, context)


@router.post("/learn/item/{item_id}/answer", response_class=HTMLResponse)
def answer_item(
    request: Request,
    item_id: int,
    form: FormDep,
    principal: PrincipalDep,
    system: SystemDep,
    player: PlayerDep,
) -> Response:
    """Grade and store one answer (idempotent by the form's review UUID), then show the feedback."""
    found = player.item(principal, item_id)  # first: another organisation's item is a 404, whatever the form
    flow = Flow.from_form(form)
    raw_uuid = form.get("review_uuid")
    review_uuid = raw_uuid if isinstance(raw_uuid, str) else ""
    shown = form.get("shown_at")
    shown_at = int(shown) if isinstance(shown, str) and shown.isdigit() else None
    stored = player.stored_review(principal, review_uuid)
    if stored is not None and stored.item_id == found.item_id:
        context = _item_context(
            system,
            principal,
            found,
            flow,
            review_uuid=review_uuid,
            outcome=stored,
            picked=picked_choices(found.item, form),
        )
        return _render_item(request, context)
    try:
        answer = answer_from_form(found.item, form)
        tz = form.get("tz")
        submission = ReviewSubmission(
            uuid=review_uuid,
            item_id=found.item_id,
            reviewed_at=system.clock(),
            tz=tz if isinstance(tz, str) and tz else system.learner_settings.get(principal).timezone,
            answer=answer,
            response_ms=response_ms_from_form(form, _now_ms(system)),
            self_grade=answer if found.item.kind is ItemKind.FLASHCARD else None,
        )
        outcome = system.reviews.submit(principal, [submission])[0]
    except (AnswerFormatError, InvalidInput) as error:
        message = error.message if isinstance(error, ServiceError) else str(error)
        context = _item_context(
            system,
            principal,
            found,
            flow,
            review_uuid=review_uuid or None,
            shown_at=shown_at,
            reveal=True,
            error=message,
        )
        return _render_item(request, context, status_code=422)
    except Conflict:
        # A parallel copy of this form (double click) was stored first: show what it stored.
        stored = player.stored_review(principal, review_uuid)
        if stored is None or stored.item_id != found.item_id:
            raise
        outcome = stored
    context = _item_context(
        system,
        principal,
        found,
        flow,
        review_uuid=review_uuid,
        outcome=outcome,
        picked=picked_choices(found.item, form),
    )
    return _render_item(request, context)


@router.get("/learn/review", response_class=HTMLResponse)
def review(request: Request, principal: PrincipalDep, system: SystemDep, player: PlayerDep) -> Response:
    """The next due item, one at a time; answering it reschedules it, so the next visit shows the next."""
    plan = system.sessions.today(principal, 120)
    if not plan.reviews:
        return render(request, "learn/review_done.html", principal=principal)
    found = player.item(principal, plan.reviews[0].item_id)
    context = _item_context(system, principal, found, Flow(mode="review"))
    context["due_left"] = len(plan.reviews)
    return _render_item(request, context)


def _end_screen(
    request: Request, system: System, principal: Principal, player: PlayerDep, steps: tuple[Step, ...]
) -> Response:
    """What was learned (the session's lessons) and when each comes back (its items' earliest due)."""
    now, tz = system.clock(), system.learner_settings.get(principal).timezone
    item_ids = [s.id for s in steps if s.kind in ("i", "r")]
    due = player.comes_back(principal, item_ids)
    lessons: dict[int, dict[str, Any]] = {}
    for step in steps:
        if step.kind == "l":
            found = player.lesson(principal, step.id)
            lessons[found.lesson_id] = {"title": found.lesson.title, "items": found.item_ids}
    reviewed = [s.id for s in steps if s.kind == "r"]
    learned = []
    for entry in lessons.values():
        dues = [due[i] for i in entry["items"] if i in due]
        learned.append(
            {"title": entry["title"], "comes_back": when_text(min(dues), now, tz) if dues else None}
        )
    review_dues = [due[i] for i in reviewed if i in due]
    return render(
        request,
        "learn/end.html",
        principal=principal,
        learned=learned,
        reviewed=len(reviewed),
        reviews_back=when_text(min(review_dues), now, tz) if review_dues else None,
        answered=len([i for i in item_ids if i in due]),
    )
