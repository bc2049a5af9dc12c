"""What the index stores per lesson: analysed fields plus the examples a snippet is chosen from.

Fields, from most to least telling: `title` (the lesson title, for tldr-pages the command name), `body`
(lesson text, skill titles and descriptions, tags), `examples` (practice-item prompts and explanations) and
`commands` (the answers: the commands or facts an item checks). Body lines that repeat an item's prompt or
answer are left to the item fields, so the same words are not counted twice. Names a lesson writes as inline
code are kept too (not indexed: they give other lessons their prior, see prior.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from skillbite.domain.content import (
    Cloze,
    Flashcard,
    Item,
    Lesson,
    Matching,
    MultipleChoice,
    Ordering,
    Pack,
    TrueFalse,
    TypedAnswer,
)
from skillbite.domain.ids import LessonId, PackId, SkillId
from skillbite.search.analyzer import analyze_joined
from skillbite.search.prior import inline_code_names

FIELDS: tuple[str, ...] = ("title", "body", "examples", "commands")


@dataclass(frozen=True)
class Example:
    """One practice item seen as an answer to a question: its text, its answer, and analysed terms."""

    item_id: str
    text: str
    answer: str
    terms: str


@dataclass(frozen=True)
class SearchDocument:
    """One lesson as the index sees it. The `*_terms` fields are analysed, space-separated stems;
    `example_terms` holds one line per example, in the order of `examples`."""

    lesson_id: LessonId
    title: str
    source: str | None
    minutes: float
    skills: tuple[SkillId, ...]
    title_terms: str
    body_terms: str
    example_terms: str
    command_terms: str
    examples: tuple[Example, ...]
    code_names: frozenset[str] = frozenset()
    """Names the lesson writes as inline code (`wc`, `git reset`), lowercased: links to other lessons."""

    def field_terms(self) -> dict[str, str]:
        return {
            "title": self.title_terms,
            "body": self.body_terms,
            "examples": self.example_terms,
            "commands": self.command_terms,
        }


def item_question_and_answer(item: Item) -> tuple[str, str]:
    """The question an item asks and the answer it checks, as plain text."""
    body = item.body
    if isinstance(body, TypedAnswer):
        return body.prompt, body.answers[0] if body.answers else ""
    if isinstance(body, MultipleChoice):
        return body.prompt, " ".join(c.text for c in body.choices if c.correct)
    if isinstance(body, TrueFalse):
        return body.prompt, "true" if body.answer else "false"
    if isinstance(body, Cloze):
        return re.sub(r"\{\{c\d+::([^}]*?)(?:::[^}]*)?\}\}", r"\1", body.text), ""
    if isinstance(body, Ordering):
        return body.prompt, " ".join(body.steps)
    if isinstance(body, Matching):
        return body.prompt, " ".join(f"{p.left} {p.right}" for p in body.pairs)
    if isinstance(body, Flashcard):
        return body.front, body.back
    raise TypeError(f"unknown item body {type(body).__name__}")


_MARKDOWN_NOISE = re.compile(r"^[\s>*#`-]+|[`*_]+|\s+$")


def _plain_line(line: str) -> str:
    return _MARKDOWN_NOISE.sub("", line).rstrip(":").strip()


def document_from_lesson(lesson: Lesson, skill_text: str = "") -> SearchDocument:
    """Analyse a lesson into a search document. `skill_text`: titles and descriptions of its skills."""
    examples: list[Example] = []
    item_lines: set[str] = set()
    for item in lesson.items:
        question, answer = item_question_and_answer(item)
        item_lines.update({_plain_line(question), _plain_line(answer)})
        text = f"{question} {item.explanation}" if item.explanation != answer else question
        examples.append(Example(str(item.id), question, answer, analyze_joined(text)))
    body_lines = [
        line for line in lesson.body.splitlines() if line.strip() and _plain_line(line) not in item_lines
    ]
    body_text = "\n".join([*body_lines, skill_text, " ".join(lesson.tags)])
    return SearchDocument(
        lesson_id=lesson.id,
        title=lesson.title,
        source=lesson.source,
        minutes=lesson.minutes,
        skills=lesson.skills,
        title_terms=analyze_joined(lesson.title),
        body_terms=analyze_joined(body_text),
        example_terms="\n".join(e.terms for e in examples),
        command_terms=" ".join(analyze_joined(e.answer) for e in examples),
        examples=tuple(examples),
        code_names=inline_code_names(lesson.body),
    )


def documents_from_pack(pack: Pack) -> tuple[PackId, list[SearchDocument]]:
    """Every lesson of a pack as a search document, with its skills' titles and descriptions folded in."""
    skills = {s.id: s for s in pack.skills}
    documents = []
    for lesson in pack.lessons:
        skill_text = " ".join(
            f"{skills[s].title} {skills[s].description}" for s in lesson.skills if s in skills
        )
        documents.append(document_from_lesson(lesson, skill_text))
    return pack.id, documents
