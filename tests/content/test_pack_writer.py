"""write_pack writes files an author would have written, and refuses what it cannot write safely."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillbite.content.pack_reader import read_pack
from skillbite.content.pack_writer import item_block, lesson_text, write_pack
from skillbite.domain.content import Flashcard, Item, Lesson, Pack, TypedAnswer
from skillbite.domain.ids import ItemId, LessonId, PackId, SkillId

LESSON = Lesson(
    id=LessonId("undo"),
    title="Undo",
    skills=(SkillId("git.undo"),),
    minutes=3.0,
    body="Text with `code`.",
    items=(
        Item(
            ItemId("undo.q1"),
            TypedAnswer("Undo?", ("git reset --soft HEAD~1",), normalize_case=False),
            "Line one.\nLine two.",
        ),
    ),
)


def test_a_lesson_reads_like_the_docs() -> None:
    assert lesson_text(LESSON) == (
        "---\nid: undo\ntitle: Undo\nskills: [git.undo]\nminutes: 3\n---\nText with `code`.\n\n"
        "```item\nid: undo.q1\ntype: typed_answer\nprompt: Undo?\nanswers: [git reset --soft HEAD~1]\n"
        "normalize:\n  case: false\nexplanation: |-\n  Line one.\n  Line two.\n```\n"
    )


def test_the_fence_is_longer_than_any_backticks_inside() -> None:
    block = item_block(Item(ItemId("q"), Flashcard("What does ```` start?", "A fence")))
    assert block.startswith("`````item\n") and block.endswith("\n`````")


def test_media_need_a_source(tmp_path: Path) -> None:
    pack = Pack(PackId("p"), "P", "1.0.0", "CC0-1.0", ("A",), media=("media/x.png",))
    with pytest.raises(ValueError, match="pass media_source"):
        write_pack(pack, tmp_path / "out")
    with pytest.raises(FileNotFoundError, match=r"media/x\.png"):
        write_pack(pack, tmp_path / "out", tmp_path / "empty")


def test_media_paths_cannot_escape_the_pack(tmp_path: Path) -> None:
    pack = Pack(PackId("p"), "P", "1.0.0", "CC0-1.0", ("A",), media=("media/../../etc/passwd",))
    with pytest.raises(ValueError, match="inside media/"):
        write_pack(pack, tmp_path / "out", tmp_path)


def test_an_existing_folder_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError, match="new or empty folder"):
        write_pack(Pack(PackId("p"), "P", "1.0.0", "CC0-1.0", ("A",)), tmp_path / "out")


def test_written_lesson_reads_back(tmp_path: Path) -> None:
    pack = Pack(PackId("p"), "P", "1.0.0", "CC0-1.0", ("A",), lessons=(LESSON,))
    again, report = read_pack(write_pack(pack, tmp_path / "out"))
    assert again is None, "the skill is not declared"
    assert [p.message for p in report.errors] == [
        "lesson undo: skill 'git.undo' is not declared in skills.md"
    ]
