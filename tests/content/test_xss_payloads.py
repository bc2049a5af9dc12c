"""No author-controlled text can run script in a learner's browser.

Every known payload (tests/content/xss_payloads.py) goes into every author-controlled text field of a
pack, one field at a time, and the whole learner page is rendered the way the player does it:
`lesson_view`/`item_view` and the `render_*` functions, then a Jinja2 template with autoescape. The
page is parsed with the standard library's HTML parser and checked for anything that could execute.
Test ids read `p<n>of<payloads>-<payload>-x-f<m>of<fields>-<field>`, so the report shows the
payloads x fields coverage (at the time of writing 104 x 43 = 4,472 pages).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Collection
from dataclasses import fields, is_dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, StrictUndefined

from skillbite.content.item_view import lesson_view
from skillbite.content.render import plain_text, render_inline, render_markdown, render_plain
from skillbite.domain import content as domain
from skillbite.domain.content import (
    Choice,
    Cloze,
    Course,
    Flashcard,
    Item,
    ItemBody,
    Lesson,
    Matching,
    MatchPair,
    Module,
    MultipleChoice,
    Ordering,
    Pack,
    Skill,
    TrueFalse,
    TypedAnswer,
)
from skillbite.domain.ids import CourseId, ItemId, LessonId, ModuleId, PackId, SkillId

if __package__:  # tests/content is a package
    from .html_dangers import find_dangers
    from .xss_payloads import PAYLOADS, Payload
else:  # rootdir-relative imports (pytest's default "prepend" mode without __init__.py files)
    from html_dangers import find_dangers
    from xss_payloads import PAYLOADS, Payload

# ---------------------------------------------------------------------------------------------------
# A pack with every author-controlled field, and the page the player would show
# ---------------------------------------------------------------------------------------------------

BENIGN: dict[str, str] = {
    "Pack.id": "git-in-the-flow",
    "Pack.title": "Git *in* the flow",
    "Pack.version": "1.2.0",
    "Pack.licence": "CC-BY-4.0",
    "Pack.authors": "Ada Lovelace",
    "Pack.description": "Learn **git** while you work.",
    "Pack.media": "media/reset.mp3",
    "Skill.id": "git.commit",
    "Skill.title": "Record a `commit`",
    "Skill.description": "Stage and commit with a *useful* message.",
    "Skill.prerequisites": "git.stage",
    "Skill.tags": "git",
    "Course.id": "git-basics",
    "Course.title": "Git basics",
    "Course.description": "Start here.",
    "Module.id": "undo",
    "Module.title": "Undoing things",
    "Module.lessons": "git-undo-last-commit",
    "Lesson.id": "git-undo-last-commit",
    "Lesson.title": "Undo your last commit",
    "Lesson.skills": "git.undo-commit",
    "Lesson.body": (
        "Move HEAD back:\n\n```bash\ngit reset --soft HEAD~1 # a < b\n```\n\n"
        "![audio: The idea in 60 seconds](media/reset.mp3)\n\nSee [the docs](https://git-scm.com/docs)."
    ),
    "Lesson.tags": "undo",
    "Lesson.source": "pages/common/git-reset.md",
    "Item.id": "git-undo-last-commit.q",
    "Item.explanation": "`--soft` keeps the index.",
    "Item.tags": "reset",
    "MultipleChoice.prompt": "Which command undoes the commit?",
    "Choice.text": "`git reset --soft HEAD~1`",
    "Choice.feedback": "Yes: HEAD moves, the index stays.",
    "TrueFalse.prompt": "`git revert` rewrites history.",
    "Cloze.text": "Undo with `git reset --soft`:",
    "Cloze.text#answer": "reset",
    "Cloze.text#hint": "verb",
    "TypedAnswer.prompt": "Undo the last commit, keeping changes staged.",
    "TypedAnswer.answers": "git reset --soft HEAD~1",
    "Ordering.prompt": "Put the steps in order.",
    "Ordering.steps": "Stage",
    "Matching.prompt": "Match the flags.",
    "MatchPair.left": "`--soft`",
    "MatchPair.right": "keeps the index",
    "Flashcard.front": "What does `HEAD~1` mean?",
    "Flashcard.back": "The *parent* of HEAD.",
}
FIELDS: tuple[str, ...] = tuple(BENIGN)


def build_pack(payload_fields: Collection[str] = (), payload: str = "") -> Pack:
    """A pack whose every text field is benign, except `payload_fields`, which hold `payload`.

    `Cloze.text#answer` and `Cloze.text#hint` are the answer and hint inside a cloze deletion.
    """

    def text(name: str) -> str:
        return payload if name in payload_fields else BENIGN[name]

    def texts(name: str) -> tuple[str, ...]:
        return (BENIGN[name], payload) if name in payload_fields else (BENIGN[name],)

    answer, hint = text("Cloze.text#answer"), text("Cloze.text#hint")
    cloze = f"{text('Cloze.text')} {{{{c1::{answer}|revert::{hint}}}}} then {{{{c2::commit}}}}."
    bodies: tuple[ItemBody, ...] = (
        MultipleChoice(
            text("MultipleChoice.prompt"),
            (Choice(text("Choice.text"), True, text("Choice.feedback")), Choice("`git push`", False)),
        ),
        TrueFalse(text("TrueFalse.prompt"), False),
        Cloze(cloze),
        TypedAnswer(text("TypedAnswer.prompt"), texts("TypedAnswer.answers")),
        Ordering(text("Ordering.prompt"), (*texts("Ordering.steps"), "Commit")),
        Matching(text("Matching.prompt"), (MatchPair(text("MatchPair.left"), text("MatchPair.right")),)),
        Flashcard(text("Flashcard.front"), text("Flashcard.back")),
    )
    items = tuple(
        Item(ItemId(f"{text('Item.id')}{n}"), body, text("Item.explanation"), texts("Item.tags"))
        for n, body in enumerate(bodies)
    )
    lesson = Lesson(
        id=LessonId(text("Lesson.id")),
        title=text("Lesson.title"),
        skills=tuple(SkillId(s) for s in texts("Lesson.skills")),
        minutes=3,
        body=text("Lesson.body"),
        items=items,
        tags=texts("Lesson.tags"),
        source=text("Lesson.source"),
    )
    skill = Skill(
        SkillId(text("Skill.id")),
        text("Skill.title"),
        text("Skill.description"),
        tuple(SkillId(s) for s in texts("Skill.prerequisites")),
        texts("Skill.tags"),
    )
    module = Module(
        ModuleId(text("Module.id")), text("Module.title"), tuple(LessonId(x) for x in texts("Module.lessons"))
    )
    course = Course(CourseId(text("Course.id")), text("Course.title"), text("Course.description"), (module,))
    return Pack(
        id=PackId(text("Pack.id")),
        title=text("Pack.title"),
        version=text("Pack.version"),
        licence=text("Pack.licence"),
        authors=texts("Pack.authors"),
        description=text("Pack.description"),
        skills=(skill,),
        courses=(course,),
        lessons=(lesson,),
        media=texts("Pack.media"),
    )


# Shaped like the lesson player: Markup fields in element content, `*_text` and ids in attributes.
PAGE = """<!doctype html>
<html lang="en"><head><title>{{ lesson.title_text }} - {{ pack.title_text }}</title></head>
<body data-pack="{{ pack.id }}">
<header><h1 title="{{ pack.title_text }}">{{ pack.title }}</h1>
<p>v{{ pack.version }} {{ pack.licence }} {% for a in pack.authors %}<span>{{ a }}</span>{% endfor %}</p>
{{ pack.description }}<ul>{% for m in pack.media %}<li>{{ m }}</li>{% endfor %}</ul></header>
{% for course in courses %}<nav aria-label="{{ course.title_text }}" data-course="{{ course.id }}">
<h2>{{ course.title }}</h2>{{ course.description }}
{% for module in course.modules %}<h3 id="module-{{ module.id }}">{{ module.title }}</h3><ol>
{% for lid in module.lessons %}<li><a href="/lessons/{{ lid|urlencode }}">{{ lid }}</a></li>{% endfor %}
</ol>{% endfor %}</nav>{% endfor %}
{% for skill in skills %}<aside data-skill="{{ skill.id }}">
<h4 title="{{ skill.title_text }}">{{ skill.title }}</h4>
{{ skill.description }}<ul>{% for p in skill.prerequisites %}
<li><a href="/skills/{{ p|urlencode }}">{{ p }}</a></li>{% endfor %}</ul>
{% for tag in skill.tags %}<span class="tag">{{ tag }}</span>{% endfor %}</aside>{% endfor %}
<article data-lesson="{{ lesson.id }}"><h1>{{ lesson.title }}</h1>
<p>{{ lesson.minutes }} min{% if lesson.source %} - {{ lesson.source }}{% endif %}</p>
{% for s in lesson_skills %}<a href="/skills/{{ s|urlencode }}">{{ s }}</a>{% endfor %}
{% for tag in lesson.tags %}<span class="tag">{{ tag }}</span>{% endfor %}
<div class="body">{{ lesson.body }}</div>
{% for item in lesson.items %}<section class="item" data-item="{{ item.id }}" data-kind="{{ item.kind }}">
<div class="prompt">{{ item.prompt }}</div>
{% for choice in item.choices %}<label><input type="{{ 'checkbox' if item.multiple else 'radio' }}"
 name="answer-{{ item.id }}" value="{{ choice.index }}">{{ choice.text }}</label>
<p class="feedback">{{ choice.feedback }}</p>{% endfor %}
{% if item.true_false_answer is not none %}<p>{{ item.true_false_answer }}</p>{% endif %}
{% for blank in item.blanks %}<label>{{ blank.hint }}<input name="blank-{{ item.id }}-{{ blank.index }}"
 aria-label="{{ blank.hint }}"></label>
{% for a in blank.answers %}<span>{{ a }}</span>{% endfor %}{% endfor %}
{% for a in item.accepted_answers %}<code>{{ a }}</code>{% endfor %}
<ol>{% for step in item.steps %}<li draggable="true">{{ step }}</li>{% endfor %}</ol>
<table>{% for pair in item.pairs %}
<tr><td>{{ pair.left }}</td><td>{{ pair.right }}</td></tr>{% endfor %}</table>
<div class="answer">{{ item.answer }}</div><div class="explanation">{{ item.explanation }}</div>
{% for tag in item.tags %}<span class="tag">{{ tag }}</span>{% endfor %}</section>{% endfor %}
</article></body></html>
"""
_TEMPLATE = Environment(autoescape=True, undefined=StrictUndefined).from_string(PAGE)


def render_page(pack: Pack, media_base_url: str | None = "/media/packs/p/1/") -> str:
    lesson = pack.lessons[0]
    return _TEMPLATE.render(
        pack={
            "id": pack.id,
            "title": render_inline(pack.title),
            "title_text": plain_text(pack.title),
            "version": render_plain(pack.version),
            "licence": render_plain(pack.licence),
            "authors": [render_plain(a) for a in pack.authors],
            "description": render_markdown(pack.description, media_base_url),
            "media": [render_plain(m) for m in pack.media],
        },
        courses=[
            {
                "id": c.id,
                "title": render_inline(c.title),
                "title_text": plain_text(c.title),
                "description": render_markdown(c.description, media_base_url),
                "modules": [
                    {"id": m.id, "title": render_inline(m.title), "lessons": m.lessons} for m in c.modules
                ],
            }
            for c in pack.courses
        ],
        skills=[
            {
                "id": s.id,
                "title": render_inline(s.title),
                "title_text": plain_text(s.title),
                "description": render_markdown(s.description, media_base_url),
                "prerequisites": s.prerequisites,
                "tags": [render_plain(t) for t in s.tags],
            }
            for s in pack.skills
        ],
        lesson=lesson_view(lesson, media_base_url),
        lesson_skills=lesson.skills,
    )


# ---------------------------------------------------------------------------------------------------
# The checker and the matrix are trustworthy
# ---------------------------------------------------------------------------------------------------


def test_checker_catches_a_raw_onerror_image() -> None:
    assert find_dangers("<img src=x onerror=alert(1)>") == [
        "event handler attribute <img onerror='alert(1)'>"
    ]


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<p style='color:red'>x</p>",
        "<a href='&#106;avascript:alert(1)'>x</a>",
        "<a href='java\tscript:alert(1)'>x</a>",
        "<a href=' VBScript:msgbox(1)'>x</a>",
        "<img src='data:image/png;base64,AAAA'>",
        "<button formaction='/x'>x</button>",
        "<svg><a xlink:href='javascript:alert(1)'>x</a></svg>",
        "<iframe src='https://example.org'></iframe>",
    ],
)
def test_checker_catches_known_dangers(html: str) -> None:
    assert find_dangers(html)


def test_benign_page_passes_and_keeps_its_formatting() -> None:
    page = render_page(build_pack())
    assert find_dangers(page) == []
    for expected in (
        '<code class="language-bash">git reset --soft HEAD~1 # a &lt; b',
        "<figcaption>The idea in 60 seconds</figcaption>",
        'src="/media/packs/p/1/media/reset.mp3"',
        'rel="noopener noreferrer nofollow"',
        "<em>in</em>",
        '<span class="cloze-blank" data-slot="0">[verb]</span>',
    ):
        assert expected in page


def test_payloads_are_dangerous_when_not_sanitised() -> None:
    """Most payloads do trip the checker when put on the page raw, so passing tests mean something."""
    flagged = [p.name for p in PAYLOADS if find_dangers(p.text)]
    assert len(PAYLOADS) >= 60
    assert len(flagged) >= 70, f"only {len(flagged)} of {len(PAYLOADS)} payloads are dangerous raw"


def _is_text(hint: Any) -> bool:
    if hint is str or getattr(hint, "__supertype__", None) is str:
        return True
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_is_text(arg) for arg in typing.get_args(hint) if arg is not type(None))
    if origin is tuple:
        return _is_text(typing.get_args(hint)[0])
    return False


def test_matrix_covers_every_text_field_of_the_content_model() -> None:
    """A text field added to the domain without joining this matrix fails here."""
    text_fields = {
        f"{cls.__name__}.{f.name}"
        for cls in vars(domain).values()
        if isinstance(cls, type) and is_dataclass(cls) and cls.__module__ == domain.__name__
        for f in fields(cls)
        if _is_text(typing.get_type_hints(cls)[f.name])
    }
    assert text_fields <= set(FIELDS), sorted(text_fields - set(FIELDS))


# ---------------------------------------------------------------------------------------------------
# The matrix: every payload in every field
# ---------------------------------------------------------------------------------------------------

_CASES = [
    pytest.param(
        payload,
        field,
        id=f"p{p:03d}of{len(PAYLOADS)}-{payload.name}-x-f{f:02d}of{len(FIELDS)}-{field}",
    )
    for p, payload in enumerate(PAYLOADS, start=1)
    for f, field in enumerate(FIELDS, start=1)
]


@pytest.mark.parametrize(("payload", "field"), _CASES)
def test_payload_in_one_field_is_inert(payload: Payload, field: str) -> None:
    page = render_page(build_pack({field}, payload.text))
    assert find_dangers(page) == [], page


@pytest.mark.parametrize("media_base_url", [None, "/media/packs/p/1/"])
@pytest.mark.parametrize("payload", PAYLOADS, ids=[p.name for p in PAYLOADS])
def test_payload_in_every_field_at_once_is_inert(payload: Payload, media_base_url: str | None) -> None:
    page = render_page(build_pack(FIELDS, payload.text), media_base_url)
    assert find_dangers(page) == [], page


@pytest.mark.parametrize("payload", PAYLOADS, ids=[p.name for p in PAYLOADS])
def test_each_renderer_alone_is_inert(payload: Payload) -> None:
    for html in (
        render_markdown(payload.text),
        render_markdown(payload.text, "/m/"),
        render_inline(payload.text),
        render_plain(payload.text),
        render_plain(plain_text(payload.text)),  # what autoescape makes of plain_text in an attribute
    ):
        assert find_dangers(html) == [], html


_FRAGMENTS = [p.text for p in PAYLOADS] + [
    "\n\n", "\n", " ", "*", "_", "`", "```", "[", "]", "(", ")", "<", ">", "!", "#", "- ", "> ", "|",
    "{{c1::", "}}", "::", "&#", ";", "&quot;", '"', "'", "javascript:", "media/x.mp3", "x.png",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=8), st.text(max_size=20))
def test_mixed_fragments_are_inert(parts: list[str], noise: str) -> None:
    text = noise.join(parts)
    assert find_dangers(render_markdown(text, "/m/")) == []
    assert find_dangers(render_inline(text)) == []
