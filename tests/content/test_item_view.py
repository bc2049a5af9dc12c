"""What the lesson player receives: every author-controlled field of a lesson and its items, rendered."""

from __future__ import annotations

from markupsafe import Markup

from skillbite.content.item_view import BLANK_PLACEHOLDER, item_view, lesson_view
from skillbite.domain.content import (
    Choice,
    Cloze,
    Flashcard,
    Item,
    ItemKind,
    Lesson,
    Matching,
    MatchPair,
    MultipleChoice,
    Ordering,
    TrueFalse,
    TypedAnswer,
)
from skillbite.domain.ids import ItemId, LessonId, SkillId

BASE = "/media/packs/git/1.2.0/"


def _item(body: object, explanation: str = "Because *reasons*.") -> Item:
    return Item(ItemId("q1"), body, explanation, ("git", "<tag>"))  # type: ignore[arg-type]


def test_common_fields_are_rendered() -> None:
    view = item_view(_item(TrueFalse("Is `HEAD~1` the parent?", True)))
    assert view.id == "q1"
    assert view.kind is ItemKind.TRUE_FALSE
    assert view.prompt == "<p>Is <code>HEAD~1</code> the parent?</p>\n"
    assert view.explanation == "<p>Because <em>reasons</em>.</p>\n"
    assert view.tags == ("git", "&lt;tag&gt;")
    assert view.true_false_answer is True


def test_multiple_choice_choices_keep_order_correctness_and_feedback() -> None:
    body = MultipleChoice(
        "Which **two**?",
        (Choice("`reset`", True, "Yes, *it moves HEAD*."), Choice("push", False), Choice("revert", True)),
    )
    view = item_view(_item(body))
    assert view.multiple is True
    assert [(c.index, c.text, c.correct, c.feedback) for c in view.choices] == [
        (0, "<code>reset</code>", True, "Yes, <em>it moves HEAD</em>."),
        (1, "push", False, ""),
        (2, "revert", True, ""),
    ]


def test_cloze_shows_placeholders_before_and_answers_after() -> None:
    view = item_view(_item(Cloze("Run `git {{c1::reset|revert::verb}} --soft` to {{c2::undo}} it.")))
    assert view.prompt == (
        '<p>Run <code>git <span class="cloze-blank" data-slot="0">[verb]</span> --soft</code> to '
        f'<span class="cloze-blank" data-slot="1">{BLANK_PLACEHOLDER}</span> it.</p>\n'
    )
    assert view.answer == (
        '<p>Run <code>git <span class="cloze-answer" data-slot="0">reset / revert</span> --soft</code> to '
        '<span class="cloze-answer" data-slot="1">undo</span> it.</p>\n'
    )
    assert [(b.index, b.number, b.hint, b.answers) for b in view.blanks] == [
        (0, 1, "verb", ("reset", "revert")),
        (1, 2, "", ("undo",)),
    ]


def test_cloze_answer_never_appears_in_the_prompt() -> None:
    view = item_view(_item(Cloze("The secret is {{c1::swordfish}}.")))
    assert "swordfish" not in view.prompt
    assert "swordfish" in view.answer


def test_cloze_ignores_forged_slot_markers() -> None:
    view = item_view(_item(Cloze("a \ue0000\ue001 b {{c1::x}}")))
    assert view.prompt.count("cloze-blank") == 1
    assert 'data-slot="0">[...]' in view.prompt


def test_typed_answer_accepted_answers_are_plain_text() -> None:
    view = item_view(_item(TypedAnswer("Undo it.", ("git reset --soft HEAD~1", "tar -x <file>"))))
    assert view.prompt == "<p>Undo it.</p>\n"
    assert view.accepted_answers == ("git reset --soft HEAD~1", "tar -x &lt;file&gt;")


def test_ordering_steps_keep_the_authored_order() -> None:
    view = item_view(_item(Ordering("Order them.", ("Stage *files*", "Commit", "Push"))))
    assert view.steps == ("Stage <em>files</em>", "Commit", "Push")


def test_matching_pairs_are_inline_markdown() -> None:
    view = item_view(
        _item(Matching("Match.", (MatchPair("`--soft`", "keeps the index"), MatchPair("a", "b"))))
    )
    assert [(p.index, p.left, p.right) for p in view.pairs] == [
        (0, "<code>--soft</code>", "keeps the index"),
        (1, "a", "b"),
    ]


def test_flashcard_front_is_the_prompt_and_back_the_answer() -> None:
    view = item_view(_item(Flashcard("What is `HEAD`?", "```\ngit rev-parse HEAD\n```")))
    assert view.prompt == "<p>What is <code>HEAD</code>?</p>\n"
    assert view.answer == "<pre><code>git rev-parse HEAD\n</code></pre>\n"


def test_media_in_items_goes_under_the_media_base() -> None:
    view = item_view(_item(Flashcard("![audio: say it](media/say.mp3)", "b")), BASE)
    assert f'src="{BASE}media/say.mp3"' in view.prompt


def test_every_item_kind_has_a_view() -> None:
    bodies = [
        MultipleChoice("p", (Choice("a", True),)),
        TrueFalse("p", False),
        Cloze("{{c1::a}}"),
        TypedAnswer("p", ("a",)),
        Ordering("p", ("a", "b")),
        Matching("p", (MatchPair("a", "b"),)),
        Flashcard("f", "b"),
    ]
    kinds = {item_view(_item(body)).kind for body in bodies}
    assert kinds == set(ItemKind)


def test_lesson_view_renders_title_body_and_items() -> None:
    lesson = Lesson(
        id=LessonId("git-undo"),
        title="Undo *your* last commit <now>",
        skills=(SkillId("git.undo"),),
        minutes=3,
        body="Text\n\n![video: Watch it done](media/reset.mp4)",
        items=(_item(TrueFalse("p", True)), _item(Flashcard("f", "b"))),
        tags=("undo",),
        source="pages/common/git-reset.md",
    )
    view = lesson_view(lesson, BASE)
    assert view.id == "git-undo"
    assert view.title == "Undo <em>your</em> last commit &lt;now&gt;"
    assert view.title_text == "Undo your last commit <now>"
    assert f'<video controls="" preload="none" src="{BASE}media/reset.mp4"></video>' in view.body
    assert "<figcaption>Watch it done</figcaption>" in view.body
    assert [i.kind for i in view.items] == [ItemKind.TRUE_FALSE, ItemKind.FLASHCARD]
    assert view.tags == ("undo",)
    assert view.source == "pages/common/git-reset.md"
    assert view.minutes == 3
    assert all(isinstance(f, Markup) for f in (view.title, view.body, *view.tags))
