"""The example pack of docs/pack-format.md is valid, complete, and shown in the docs exactly as it is."""

from __future__ import annotations

from pathlib import Path

from skillbite.content.pack_reader import read_pack
from skillbite.content.pack_validate import validate_pack
from skillbite.domain.content import ItemKind

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "packs" / "hello-skillbite"
DOC = REPO / "docs" / "pack-format.md"


def test_the_example_validates_without_a_single_problem() -> None:
    report = validate_pack(EXAMPLE)
    assert report.problems == [], report.format()


def test_the_example_has_what_the_docs_promise() -> None:
    pack, _ = read_pack(EXAMPLE)
    assert pack is not None
    assert (len(pack.skills), len(pack.courses), len(pack.lessons)) == (3, 1, 2)
    kinds = sorted(item.kind for lesson in pack.lessons for item in lesson.items)
    assert kinds == sorted(ItemKind), "exactly one item of each type"
    assert pack.media == ("media/pack-layout.svg",)
    assert (EXAMPLE / pack.media[0]).read_text(encoding="utf-8").startswith("<svg")


def test_the_docs_show_every_file_of_the_example_verbatim() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for path in sorted(EXAMPLE.rglob("*.md")):
        relative = path.relative_to(EXAMPLE).as_posix()
        assert f"`{relative}`:" in doc, f"docs/pack-format.md does not show {relative}"
        assert path.read_text(encoding="utf-8") in doc, f"docs/pack-format.md shows an outdated {relative}"


def test_the_error_sample_in_the_example_lesson_is_real(tmp_path: Path) -> None:
    """The lesson quotes the message a missing explanation gives; removing one must produce exactly it."""
    lesson = (EXAMPLE / "lessons" / "practice-items.md").read_text(encoding="utf-8")
    quoted = lesson.split("```text\n", 1)[1].split("\n```", 1)[0]
    copy = tmp_path / "pack"
    for path in EXAMPLE.rglob("*"):
        if path.is_file():
            target = copy / path.relative_to(EXAMPLE)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    broken = lesson.replace("explanation: It exits with status 1", "# explanation removed: It exits")
    (copy / "lessons" / "practice-items.md").write_text(broken, encoding="utf-8")
    assert [p.format() for p in validate_pack(copy).errors] == [quoted]


MISTAKES = {
    "lessons/pack-layout.md": [
        ("skills: [pack.layout]", "skills: [pack.layuot]"),
        ("(media/pack-layout.svg)", "(../media/pack-layout.svg)"),
        ("  - text: skills.md\n    correct: true\n", "  - text: skills.md\n"),
        ("explanation: Validation lists", "explaination: Validation lists"),
    ],
    "lessons/practice-items.md": [("text: An item is", "text: {{c1::An}} item is")],
    "skills.md": [
        (
            "    prerequisites: [pack.layout]\n    tags: [authoring, cli]",
            "    prerequisites: [pack.layout, pack.items]\n    tags: [authoring, cli]",
        ),
        (
            "    title: Find your way around a pack\n",
            "    title: Find your way around a pack\n    prerequisites: [pack.validate]\n",
        ),
    ],
    "courses/hello-skillbite.md": [
        ("lessons: [pack-layout, practice-items]", "lessons: [pack-layout, practise-items]")
    ],
}


def test_the_sample_report_in_the_docs_is_what_validate_prints(tmp_path: Path) -> None:
    copy = tmp_path / "hello-skillbite"
    for path in EXAMPLE.rglob("*"):
        if path.is_file():
            target = copy / path.relative_to(EXAMPLE)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    for file, edits in MISTAKES.items():
        text = (copy / file).read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text
            text = text.replace(old, new, 1)
        (copy / file).write_text(text, encoding="utf-8")
    printed = validate_pack(copy).format()
    sample = (
        DOC.read_text(encoding="utf-8")
        .split("a prerequisite cycle):\n\n```text\n", 1)[1]
        .split("\n```", 1)[0]
    )
    assert printed == sample
