"""Submitted answer forms -> the answer shapes of domain/answers.py (which is authoritative for them).

Field names, by item kind (the templates in templates/learn/ and static/app.js use the same ones):

- multiple_choice: `choice` = authored choice index; repeated (checkboxes) when several are correct.
- true_false: `tf` = `true` or `false`.
- cloze: `blank`, one per deletion in reading order.
- typed_answer: `typed`.
- ordering: `order`, one per position, each an authored step index.
- matching: `match-<left index>` = the authored index of the chosen right side.
- flashcard: `self_grade` = 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), from the button pressed.

A malformed form (a missing or repeated value) raises `AnswerFormatError` with a message for the learner.
"""

from __future__ import annotations

import random
from typing import Any, assert_never

from starlette.datastructures import FormData

from skillbite.domain.answers import AnswerFormatError
from skillbite.domain.content import (
    Cloze,
    Flashcard,
    Item,
    Matching,
    MultipleChoice,
    Ordering,
    TrueFalse,
    TypedAnswer,
)

MAX_RESPONSE_MS = 3_600_000


def _strings(form: FormData, name: str) -> list[str]:
    return [value for value in form.getlist(name) if isinstance(value, str)]


def _index(value: str, size: int, what: str) -> int:
    try:
        index = int(value)
    except ValueError:
        raise AnswerFormatError(f"choose {what}") from None
    if not 0 <= index < size:
        raise AnswerFormatError(f"{what} {value} is not one of the options; reload the page")
    return index


def answer_from_form(item: Item, form: FormData) -> Any:
    """The learner's answer in the shape `check_answer` takes (flashcards: the self-grade)."""
    body = item.body
    if isinstance(body, MultipleChoice):
        picked = [_index(v, len(body.choices), "an answer") for v in _strings(form, "choice")]
        if not picked:
            raise AnswerFormatError("choose an answer")
        return sorted(set(picked)) if body.multiple else picked[0]
    if isinstance(body, TrueFalse):
        value = form.get("tf")
        if value not in ("true", "false"):
            raise AnswerFormatError("choose true or false")
        return value == "true"
    if isinstance(body, Cloze):
        return _strings(form, "blank")
    if isinstance(body, TypedAnswer):
        typed = form.get("typed")
        return typed if isinstance(typed, str) else ""
    if isinstance(body, Ordering):
        order = [_index(v, len(body.steps), "a step") for v in _strings(form, "order")]
        if sorted(order) != list(range(len(body.steps))):
            raise AnswerFormatError("put every step in exactly one position")
        return order
    if isinstance(body, Matching):
        answer: dict[str, str] = {}
        for left_index, pair in enumerate(body.pairs):
            value = form.get(f"match-{left_index}")
            if not isinstance(value, str) or value == "":
                raise AnswerFormatError(f"choose a match for “{pair.left}”")
            answer[pair.left] = body.pairs[_index(value, len(body.pairs), "a match")].right
        return answer
    if isinstance(body, Flashcard):
        grade = form.get("self_grade")
        if grade not in ("1", "2", "3", "4"):
            raise AnswerFormatError("grade yourself: Again, Hard, Good or Easy")
        return int(grade)
    assert_never(body)


def picked_choices(item: Item, form: FormData) -> set[int]:
    """The choice indices a multiple-choice form sent (for marking them in the feedback)."""
    if not isinstance(item.body, MultipleChoice):
        return set()
    return {int(v) for v in _strings(form, "choice") if v.isdigit()}


def response_ms_from_form(form: FormData, now_ms: int) -> int:
    """The client's own measure when sent (app.js, immune to clock skew), else now minus the time shown."""
    measured, shown_at = form.get("response_ms"), form.get("shown_at")
    if isinstance(measured, str) and measured.isdigit():
        elapsed = int(measured)
    elif isinstance(shown_at, str) and shown_at.isdigit():
        elapsed = now_ms - int(shown_at)
    else:
        return 0
    return max(0, min(MAX_RESPONSE_MS, elapsed))


def shuffled(count: int, seed: str) -> list[int]:
    """A stable shuffle of range(count) for one rendered form (seeded by its review uuid): a reload shows
    the same order, a new form a new one. Never the authored order when another exists, which would give
    an ordering item away."""
    order = list(range(count))
    rng = random.Random(seed)
    for _ in range(5):
        rng.shuffle(order)
        if count < 2 or order != sorted(order):
            break
    return order
