"""What the lesson player shows: lessons and items with every author-controlled text rendered safely.

The player's Jinja2 templates (autoescape on) print the `Markup` fields as they are: each was
rendered by `skillbite.content.render`, which sanitises with an allow-list, so no template needs
`|safe` and nothing is escaped twice. `Markup` fields are HTML for element content only; for an
attribute or `<title>` use the `*_text` fields, which are plain strings that Jinja2 escapes.

Which renderer each field gets:
- block Markdown (`render_markdown`): lesson body, prompts, cloze text, flashcard sides, explanations;
- inline Markdown (`render_inline`): titles, choice texts and feedback, ordering steps, matching sides;
- plain text (`render_plain`): tags and accepted typed answers (shown verbatim, as the learner types).

Views keep the authored order; shuffling ordering steps and matching sides is the player's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import assert_never

from markupsafe import Markup

from skillbite.content.render import (
    plain_text,
    remove_slot_markers,
    render_inline,
    render_markdown,
    render_markdown_with_slots,
    render_plain,
    slot_marker,
)
from skillbite.domain.content import (
    Cloze,
    Flashcard,
    Item,
    ItemKind,
    Lesson,
    Matching,
    MultipleChoice,
    Ordering,
    TrueFalse,
    TypedAnswer,
)

_NOTHING = Markup("")
BLANK_PLACEHOLDER = "[...]"
"""Shown for a cloze deletion without a hint; one with a hint shows `[hint]`."""

# `{{c1::answer}}`, `{{c1::answer::hint}}`, alternatives `{{c1::reset|revert}}` (docs/pack-format.md).
_CLOZE_DELETION = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


@dataclass(frozen=True)
class ChoiceView:
    """One multiple-choice option; `index` is its authored position (what the answer form sends)."""

    index: int
    text: Markup
    correct: bool
    feedback: Markup


@dataclass(frozen=True)
class ClozeBlankView:
    """One deletion, in reading order: `number` is the author's `cN`, `answers` its alternatives."""

    index: int
    number: int
    hint: Markup
    answers: tuple[Markup, ...]


@dataclass(frozen=True)
class PairView:
    index: int
    left: Markup
    right: Markup


@dataclass(frozen=True)
class ItemView:
    """One practice item ready for the player; fields that a kind does not use stay empty.

    `prompt` is what is shown first: the question (multiple choice, true/false, typed answer,
    ordering, matching), the cloze text with `<span class="cloze-blank" data-slot="i">[...]</span>`
    for each blank, or the flashcard's front. `answer` is what is revealed after answering: the
    cloze text with `<span class="cloze-answer" data-slot="i">answer</span>`, or the flashcard's back.
    """

    id: str
    kind: ItemKind
    prompt: Markup
    explanation: Markup
    tags: tuple[Markup, ...] = ()
    answer: Markup = _NOTHING
    choices: tuple[ChoiceView, ...] = ()
    multiple: bool = False
    true_false_answer: bool | None = None
    blanks: tuple[ClozeBlankView, ...] = ()
    accepted_answers: tuple[Markup, ...] = ()
    steps: tuple[Markup, ...] = ()
    pairs: tuple[PairView, ...] = ()


@dataclass(frozen=True)
class LessonView:
    """A lesson ready for the player. `title_text` is the title without markup, for `<title>`."""

    id: str
    title: Markup
    title_text: str
    body: Markup
    minutes: float
    items: tuple[ItemView, ...]
    tags: tuple[Markup, ...] = ()
    source: Markup | None = None


def lesson_view(lesson: Lesson, media_base_url: str | None = None) -> LessonView:
    """Render a lesson and its items; relative media paths go under `media_base_url` when given."""
    return LessonView(
        id=lesson.id,
        title=render_inline(lesson.title, media_base_url),
        title_text=plain_text(lesson.title),
        body=render_markdown(lesson.body, media_base_url),
        minutes=lesson.minutes,
        items=tuple(item_view(item, media_base_url) for item in lesson.items),
        tags=_plain_all(lesson.tags),
        source=None if lesson.source is None else render_plain(lesson.source),
    )


def item_view(item: Item, media_base_url: str | None = None) -> ItemView:
    """Render every author-controlled field of `item` for the player."""
    base = ItemView(
        id=item.id,
        kind=item.kind,
        prompt=_NOTHING,
        explanation=render_markdown(item.explanation, media_base_url),
        tags=_plain_all(item.tags),
    )
    body = item.body
    if isinstance(body, MultipleChoice):
        choices = tuple(
            ChoiceView(
                index=index,
                text=render_inline(choice.text, media_base_url),
                correct=choice.correct,
                feedback=render_inline(choice.feedback, media_base_url),
            )
            for index, choice in enumerate(body.choices)
        )
        prompt = render_markdown(body.prompt, media_base_url)
        return replace(base, prompt=prompt, choices=choices, multiple=body.multiple)
    if isinstance(body, TrueFalse):
        prompt = render_markdown(body.prompt, media_base_url)
        return replace(base, prompt=prompt, true_false_answer=body.answer)
    if isinstance(body, Cloze):
        return _cloze_view(body, media_base_url, base)
    if isinstance(body, TypedAnswer):
        prompt = render_markdown(body.prompt, media_base_url)
        return replace(base, prompt=prompt, accepted_answers=_plain_all(body.answers))
    if isinstance(body, Ordering):
        steps = tuple(render_inline(step, media_base_url) for step in body.steps)
        return replace(base, prompt=render_markdown(body.prompt, media_base_url), steps=steps)
    if isinstance(body, Matching):
        pairs = tuple(
            PairView(
                index, render_inline(pair.left, media_base_url), render_inline(pair.right, media_base_url)
            )
            for index, pair in enumerate(body.pairs)
        )
        return replace(base, prompt=render_markdown(body.prompt, media_base_url), pairs=pairs)
    if isinstance(body, Flashcard):
        front = render_markdown(body.front, media_base_url)
        return replace(base, prompt=front, answer=render_markdown(body.back, media_base_url))
    assert_never(body)


def _cloze_view(body: Cloze, media_base_url: str | None, base: ItemView) -> ItemView:
    """Blanks before answering, answers after; the deletions never reach the page unmarked."""
    blanks: list[ClozeBlankView] = []
    placeholders: list[str] = []
    revealed: list[str] = []

    def mark(match: re.Match[str]) -> str:
        index = len(blanks)
        alternatives = tuple(a.strip() for a in match.group(2).split("|"))
        hint = (match.group(3) or "").strip()
        blanks.append(
            ClozeBlankView(
                index=index,
                number=int(match.group(1)),
                hint=render_plain(hint),
                answers=_plain_all(alternatives),
            )
        )
        placeholders.append(f"[{hint}]" if hint else BLANK_PLACEHOLDER)
        revealed.append(" / ".join(alternatives))
        return slot_marker(index)

    marked = _CLOZE_DELETION.sub(mark, remove_slot_markers(body.text))
    return replace(
        base,
        prompt=render_markdown_with_slots(marked, placeholders, "cloze-blank", media_base_url),
        answer=render_markdown_with_slots(marked, revealed, "cloze-answer", media_base_url),
        blanks=tuple(blanks),
    )


def _plain_all(texts: tuple[str, ...]) -> tuple[Markup, ...]:
    return tuple(render_plain(text) for text in texts)
