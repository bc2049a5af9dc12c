"""read_pack: a pack folder or zip becomes the domain entities, with every item type and media."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from skillbite.content.pack_reader import open_pack_folder, read_pack
from skillbite.domain.content import (
    Choice,
    Cloze,
    Course,
    Flashcard,
    ItemKind,
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

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "packs" / "hello-skillbite"


def read_ok(path: Path) -> Pack:
    pack, report = read_pack(path)
    assert report.ok, report.format()
    assert pack is not None
    return pack


def test_pack_header_skills_and_courses() -> None:
    pack = read_ok(EXAMPLE)
    assert (pack.id, pack.title, pack.version, pack.licence) == (
        "hello-skillbite",
        "Hello, skillbite",
        "1.0.0",
        "CC-BY-4.0",
    )
    assert pack.authors == ("The skillbite authors",)
    assert pack.description.startswith("A tiny pack that teaches how a skillbite pack is built")
    assert pack.skills[1] == Skill(
        id="pack.items",
        title="Write practice items",
        description="Add multiple choice, cloze, typed-answer and other items to a lesson.",
        prerequisites=("pack.layout",),
        tags=("authoring",),
    )
    assert [s.id for s in pack.skills] == ["pack.layout", "pack.items", "pack.validate"], "authored order"
    assert pack.courses == (
        Course(
            id="hello-skillbite",
            title="Your first pack",
            description="Two bites, ten minutes: from an empty folder to a pack that validates.",
            modules=(Module(id="basics", title="The basics", lessons=("pack-layout", "practice-items")),),
        ),
    )
    assert pack.media == ("media/pack-layout.svg",)


def test_lessons_are_in_id_order_with_items_taken_out_of_the_body() -> None:
    pack = read_ok(EXAMPLE)
    assert [lesson.id for lesson in pack.lessons] == ["pack-layout", "practice-items"]
    layout = pack.lessons[0]
    assert (layout.title, layout.skills, layout.minutes, layout.tags, layout.source) == (
        "What is in a pack",
        ("pack.layout",),
        3.0,
        ("authoring",),
        None,
    )
    assert layout.body.startswith("A pack is a folder of Markdown files.")
    assert layout.body.endswith("- `media/` holds the images, audio and video the lessons show.")
    assert "```item" not in layout.body
    practice = pack.lessons[1]
    assert "```text\nlessons/practice-items.md:25: error" in practice.body, (
        "other code fences stay in the body"
    )


def test_every_item_type_is_parsed() -> None:
    items = {item.id: item for lesson in read_ok(EXAMPLE).lessons for item in lesson.items}
    assert {item.kind for item in items.values()} == set(ItemKind)
    choice = items["pack-layout.where-skills"]
    assert isinstance(choice.body, MultipleChoice)
    assert choice.body.choices[0] == Choice("skills.md", True, "Yes, in its front matter, under `skills:`.")
    assert [c.correct for c in choice.body.choices] == [True, False, False]
    assert items["pack-layout.media-root"].body == TrueFalse(
        "Media paths in a lesson are relative to the lesson file.", False
    )
    ordering = items["pack-layout.order"].body
    assert isinstance(ordering, Ordering) and ordering.steps[0] == "Write the lessons and their items"
    matching = items["pack-layout.files"].body
    assert isinstance(matching, Matching)
    assert matching.pairs[1] == MatchPair("skills.md", "The skills and their prerequisites")
    cloze = items["practice-items.fence"].body
    assert isinstance(cloze, Cloze) and "{{c2::YAML|yml::a data format}}" in cloze.text
    assert items["practice-items.validate"].body == TypedAnswer(
        prompt="Which command checks the pack in the folder my-pack?",
        answers=("skillbite pack validate {{path/to/pack}}",),
        normalize_punctuation=False,
        placeholders_any=True,
    )
    card = items["practice-items.stable-ids"]
    assert isinstance(card.body, Flashcard) and card.explanation == ""
    assert items["pack-layout.media-root"].explanation.startswith("They are relative to the pack root")


def make_zip(folder: Path, archive: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, prefix + path.relative_to(folder).as_posix())
    return archive


def test_a_zip_of_the_folder_contents_reads_like_the_folder(tmp_path: Path) -> None:
    assert read_ok(make_zip(EXAMPLE, tmp_path / "hello.zip")) == read_ok(EXAMPLE)


def test_a_zip_holding_the_folder_itself_is_accepted(tmp_path: Path) -> None:
    assert read_ok(make_zip(EXAMPLE, tmp_path / "hello.zip", "hello-skillbite/")) == read_ok(EXAMPLE)


def test_open_pack_folder_keeps_media_until_the_block_ends(tmp_path: Path) -> None:
    with open_pack_folder(make_zip(EXAMPLE, tmp_path / "hello.zip")) as root:
        assert (root / "media" / "pack-layout.svg").read_bytes() == (
            EXAMPLE / "media/pack-layout.svg"
        ).read_bytes()
    assert not root.exists()


def test_a_hostile_zip_is_refused_with_the_archive_message(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../escape.md", "x")
    pack, report = read_pack(archive)
    assert pack is None
    [problem] = report.errors
    assert problem.file == "evil.zip"
    assert "../escape.md" in problem.message, "the archive check names the bad entry"


def test_unicode_and_crlf_files(tmp_path: Path) -> None:
    (tmp_path / "lessons").mkdir()
    (tmp_path / "pack.md").write_bytes(
        "---\r\nid: uni\r\ntitle: Ünïcødé 漢字 🎉\r\nversion: 1.0.0\r\n"
        "licence: CC0-1.0\r\nauthors: [Zoë]\r\n---\r\n".encode()
    )
    (tmp_path / "skills.md").write_text(
        "---\nskills:\n  - id: s\n    title: Ça marche\n---\n", encoding="utf-8"
    )
    (tmp_path / "lessons" / "l.md").write_text(
        "---\nid: l\ntitle: Leçon\nskills: [s]\nminutes: 2.5\n---\nTexte — « guillemets »\n\n"
        "```item\nid: l.q\ntype: flashcard\nfront: 日本語\nback: にほんご\n```\n",
        encoding="utf-8",
    )
    pack = read_ok(tmp_path)
    assert pack.title == "Ünïcødé 漢字 🎉"
    assert pack.lessons[0].body == "Texte — « guillemets »"
    assert pack.lessons[0].minutes == 2.5
    assert pack.lessons[0].items[0].body == Flashcard("日本語", "にほんご")


@pytest.mark.parametrize("name", ["missing", "file.txt"])
def test_paths_that_are_not_packs(tmp_path: Path, name: str) -> None:
    if name.endswith(".txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    pack, report = read_pack(tmp_path / name)
    assert pack is None
    assert report.errors[0].file == name
