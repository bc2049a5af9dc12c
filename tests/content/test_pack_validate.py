"""validate_pack: one test per kind of problem, each pinned to its file, line and field, plus one test
that a pack with many problems gets all of them reported in one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillbite.content.pack_validate import validate_pack
from skillbite.content.problems import Problem, ValidationReport

PACK_MD = """---
id: demo
title: Demo
version: 1.0.0
licence: CC-BY-4.0
authors: [Ada]
---
A demo pack.
"""

SKILLS_MD = """---
skills:
  - id: basics
    title: Basics
  - id: commit
    title: Commit
    prerequisites: [basics]
---
"""

COURSE_MD = """---
id: starter
title: Starter
modules:
  - id: first
    title: First steps
    lessons: [intro]
---
"""

LESSON_MD = """---
id: intro
title: Intro
skills: [basics, commit]
minutes: 3
---
Some text.

![A diagram](media/diagram.svg)

```item
id: intro.q1
type: typed_answer
prompt: Type it
answers: [yes]
explanation: Because.
```
"""

BASE = {
    "pack.md": PACK_MD,
    "skills.md": SKILLS_MD,
    "courses/starter.md": COURSE_MD,
    "lessons/intro.md": LESSON_MD,
    "media/diagram.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
}


def make_pack(root: Path, changes: dict[str, str | None] | None = None) -> Path:
    files: dict[str, str | None] = {**BASE, **(changes or {})}
    for name, text in files.items():
        if text is not None:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
    return root


def edit(file: str, old: str, new: str) -> dict[str, str | None]:
    text = BASE[file]
    assert old in text, f"{old!r} not in {file}"
    return {file: text.replace(old, new, 1)}


def line_of(text: str, needle: str) -> int:
    lines = [number for number, line in enumerate(text.split("\n"), start=1) if needle in line]
    assert len(lines) == 1, f"{needle!r} found on lines {lines}"
    return lines[0]


def only(report: ValidationReport, fragment: str) -> Problem:
    found = [p for p in report.problems if fragment in p.message]
    assert len(found) == 1, f"{fragment!r} matched {len(found)} problems:\n{report.format()}"
    return found[0]


def validate(tmp_path: Path, changes: dict[str, str | None]) -> ValidationReport:
    return validate_pack(make_pack(tmp_path, changes))


def test_the_base_pack_is_valid(tmp_path: Path) -> None:
    report = validate(tmp_path, {})
    assert report.problems == [], report.format()
    assert report.ok


def test_invalid_yaml_names_its_line(tmp_path: Path) -> None:
    changes = edit("lessons/intro.md", "title: Intro", "title: Intro: the start")
    report = validate(tmp_path, changes)
    problem = only(report, "invalid YAML")
    assert (problem.file, problem.line) == ("lessons/intro.md", 3)
    assert "must be quoted" in problem.hint
    assert not report.ok


def test_invalid_yaml_inside_an_item_names_the_file_line(tmp_path: Path) -> None:
    changes = edit("lessons/intro.md", "prompt: Type it", "prompt: Type: it")
    problem = only(validate(tmp_path, changes), "invalid YAML")
    assert (problem.file, problem.line) == (
        "lessons/intro.md",
        line_of(changes["lessons/intro.md"], "prompt:"),
    )


def test_missing_required_field(tmp_path: Path) -> None:
    changes = edit("pack.md", "licence: CC-BY-4.0\n", "")
    problem = only(validate(tmp_path, changes), "missing field 'licence'")
    assert (problem.severity, problem.file, problem.line) == ("error", "pack.md", 1)
    assert problem.hint == "add `licence: ...`"


def test_wrong_type(tmp_path: Path) -> None:
    changes = edit("lessons/intro.md", "minutes: 3", "minutes: three")
    problem = only(validate(tmp_path, changes), "'minutes' must be a number, not text")
    assert (problem.file, problem.line, problem.field) == ("lessons/intro.md", 5, "minutes")


def test_unknown_field_suggests_the_known_one(tmp_path: Path) -> None:
    changes = edit("lessons/intro.md", "explanation: Because.", "explaination: Because.")
    report = validate(tmp_path, changes)
    problem = only(report, "unknown field 'explaination'")
    assert problem.line == line_of(changes["lessons/intro.md"], "explaination")
    assert problem.hint == "did you mean 'explanation'?"
    assert only(report, "missing field 'explanation'").severity == "error"


def test_field_written_twice(tmp_path: Path) -> None:
    changes = edit("pack.md", "title: Demo\n", "title: Demo\ntitle: Other\n")
    problem = only(validate(tmp_path, changes), "written twice")
    assert (problem.file, problem.line, problem.field) == ("pack.md", 4, "title")


def test_invalid_id(tmp_path: Path) -> None:
    changes = edit("skills.md", "id: commit", "id: Git Commit")
    problem = only(validate(tmp_path, changes), "id 'Git Commit' is not valid")
    assert (problem.file, problem.line) == ("skills.md", 5)
    assert "'git-commit'" in problem.hint


DUPLICATES = {
    "skill": ("skills.md", "  - id: commit\n", "  - id: basics\n", "basics", 5),
    "course": ("courses/zz-again.md", None, None, "starter", 2),
    "lesson": ("lessons/zz-again.md", None, None, "intro", 2),
    "item": ("lessons/intro.md", None, None, "intro.q1", 20),
    "module": (
        "courses/starter.md",
        "    lessons: [intro]\n",
        "    lessons: [intro]\n  - id: first\n    title: B\n    lessons: [intro]\n",
        "first",
        8,
    ),
}


@pytest.mark.parametrize("kind", sorted(DUPLICATES))
def test_duplicate_ids(tmp_path: Path, kind: str) -> None:
    file, old, new, duplicate, line = DUPLICATES[kind]
    if kind == "course":
        changes: dict[str, str | None] = {file: COURSE_MD}
    elif kind == "lesson":
        changes = {file: LESSON_MD.replace("intro.q1", "again.q1")}
    elif kind == "item":
        second = "\n```item\nid: intro.q1\ntype: true_false\nprompt: P\nanswer: true\nexplanation: E\n```\n"
        changes = {file: LESSON_MD + second}
    else:
        assert old is not None and new is not None
        changes = edit(file, old, new)
    problem = only(validate(tmp_path, changes), f"duplicate {kind} id '{duplicate}'")
    assert (problem.file, problem.line) == (file, line)
    assert "first declared at" in problem.message


def test_cycle_is_printed_as_a_path(tmp_path: Path) -> None:
    skills = SKILLS_MD.replace("    title: Basics\n", "    title: Basics\n    prerequisites: [commit]\n")
    problem = only(validate(tmp_path, {"skills.md": skills}), "cycle")
    assert problem.message == "skill prerequisites form a cycle: basics -> commit -> basics"
    assert (problem.file, problem.line, problem.field) == ("skills.md", 5, "skills[0].prerequisites[0]")


def test_every_cycle_is_reported(tmp_path: Path) -> None:
    skills = """---
skills:
  - id: basics
    title: Basics
    prerequisites: [commit]
  - id: commit
    title: Commit
    prerequisites: [basics]
  - id: x
    title: X
    prerequisites: [y]
  - id: y
    title: Y
    prerequisites: [x]
---
"""
    report = validate(tmp_path, {"skills.md": skills})
    cycles = sorted((p.message, p.line) for p in report.errors if "cycle" in p.message)
    assert cycles == [
        ("skill prerequisites form a cycle: basics -> commit -> basics", 5),
        ("skill prerequisites form a cycle: x -> y -> x", 11),
    ]


def test_prerequisite_that_does_not_exist(tmp_path: Path) -> None:
    changes = edit("skills.md", "prerequisites: [basics]", "prerequisites: [basic]")
    problem = only(validate(tmp_path, changes), "prerequisite 'basic' is not a skill of this pack")
    assert (problem.file, problem.line, problem.field) == ("skills.md", 7, "skills[1].prerequisites[0]")
    assert problem.hint.startswith("did you mean 'basics'?")


def test_prerequisite_in_another_pack_is_left_to_the_import(tmp_path: Path) -> None:
    changes = edit("skills.md", "prerequisites: [basics]", "prerequisites: [basics, shell-pack:cd]")
    assert validate(tmp_path, changes).problems == []


NO_RIGHT_ANSWER = {
    "multiple_choice": ("choices:\n  - text: A\n  - text: B\n", "no choice is marked correct", "choices"),
    "cloze": ("text: Nothing to hide\n", "has no deletion", "text"),
    "typed_answer": ("prompt: P\nanswers: []\n", "no accepted answer", "answers: []"),
    "ordering": ("prompt: P\nsteps: [only one]\n", "at least 2 steps", "steps"),
    "matching": ("prompt: P\npairs:\n  - left: a\n    right: b\n", "at least 2 pairs", "pairs"),
    "flashcard": ("front: F\n", "missing field 'back'", None),
}


@pytest.mark.parametrize("kind", sorted(NO_RIGHT_ANSWER))
def test_item_without_a_right_answer(tmp_path: Path, kind: str) -> None:
    fields, message, field = NO_RIGHT_ANSWER[kind]
    if kind == "multiple_choice":
        fields = "prompt: P\n" + fields
    block = f"```item\nid: intro.q2\ntype: {kind}\n{fields}explanation: E\n```\n"
    lesson = LESSON_MD + "\n" + block
    problem = only(validate(tmp_path, {"lessons/intro.md": lesson}), message)
    needle = field if field and ":" in field else f"{field}:"
    expected_line = line_of(lesson, needle) if field else line_of(lesson, f"type: {kind}") - 2
    assert (problem.file, problem.line) == ("lessons/intro.md", expected_line)
    assert problem.field == (field.split(":")[0] if field else None)
    assert problem.message.startswith("item intro.q2: ")
    assert problem.hint


def test_item_without_explanation(tmp_path: Path) -> None:
    changes = edit("lessons/intro.md", "explanation: Because.\n", "")
    problem = only(validate(tmp_path, changes), "missing field 'explanation'")
    assert (problem.file, problem.line) == (
        "lessons/intro.md",
        line_of(changes["lessons/intro.md"], "```item"),
    )


def test_choice_feedback_can_stand_in_for_the_explanation(tmp_path: Path) -> None:
    block = (
        "```item\nid: intro.q2\ntype: multiple_choice\nprompt: P\nchoices:\n  - text: A\n    correct: true\n"
        "    feedback: Yes\n  - text: B\n    feedback: No, because\n```\n"
    )
    assert validate(tmp_path, {"lessons/intro.md": LESSON_MD + "\n" + block}).problems == []


def test_lesson_skill_not_declared(tmp_path: Path) -> None:
    changes = edit("lessons/intro.md", "skills: [basics, commit]", "skills: [basics, comit]")
    problem = only(validate(tmp_path, changes), "skill 'comit' is not declared in skills.md")
    assert (problem.file, problem.line, problem.field) == ("lessons/intro.md", 4, "skills[1]")
    assert problem.hint.startswith("did you mean 'commit'?")


def test_course_lesson_that_does_not_exist(tmp_path: Path) -> None:
    changes = edit("courses/starter.md", "lessons: [intro]", "lessons: [intro, zebra, intr]")
    report = validate(tmp_path, changes)
    problem = only(report, "lesson 'zebra' does not exist")
    assert (problem.file, problem.line, problem.field) == ("courses/starter.md", 7, "modules[0].lessons[1]")
    assert problem.hint == "create lessons/zebra.md"
    assert only(report, "lesson 'intr'").hint == "did you mean 'intro'? otherwise create lessons/intr.md"


def test_missing_media_file(tmp_path: Path) -> None:
    changes = edit("lessons/intro.md", "media/diagram.svg", "media/Diagram.svg")
    report = validate(tmp_path, changes)
    problem = only(report, "media file 'media/Diagram.svg' does not exist")
    assert (problem.file, problem.line) == ("lessons/intro.md", 9)
    assert "the file is media/diagram.svg" in problem.hint


def test_media_path_relative_to_the_lesson(tmp_path: Path) -> None:
    changes = edit("lessons/intro.md", "(media/diagram.svg)", "(../media/diagram.svg)")
    problem = only(validate(tmp_path, changes), "is not inside media/")
    assert problem.hint.startswith("write media/diagram.svg")


def test_long_lesson_is_a_warning(tmp_path: Path) -> None:
    changes = edit("lessons/intro.md", "minutes: 3", "minutes: 12")
    report = validate(tmp_path, changes)
    problem = only(report, "12 minutes")
    assert (problem.severity, problem.file, problem.line) == ("warning", "lessons/intro.md", 5)
    assert report.ok, "warnings do not block the import"


def test_unclosed_item_block(tmp_path: Path) -> None:
    lesson = LESSON_MD + "\n```item\nid: intro.q2\ntype: flashcard\nfront: F\nback: B\n"
    problem = only(validate(tmp_path, {"lessons/intro.md": lesson}), "never closed")
    assert problem.line == line_of(lesson, "id: intro.q2") - 1


def test_missing_file(tmp_path: Path) -> None:
    problem = only(validate(tmp_path, {"skills.md": None}), "the pack has no skills.md")
    assert (problem.file, problem.line) == ("skills.md", None)
    assert (
        problem.format()
        == "skills.md: error: the pack has no skills.md -- create skills.md; see docs/pack-format.md"
    )


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    changes = {
        **edit("pack.md", "version: 1.0.0\n", ""),
        **edit("skills.md", "prerequisites: [basics]", "prerequisites: [nothing]"),
        **edit("courses/starter.md", "lessons: [intro]", "lessons: [nowhere]"),
        "lessons/intro.md": LESSON_MD.replace("minutes: 3", "minutes: 30").replace(
            "answers: [yes]", "answers: []"
        ),
        "lessons/broken.md": "---\nid: broken\ntitle: [unclosed\n---\n",
    }
    report = validate(tmp_path, changes)
    where = sorted((p.file, p.line, p.severity) for p in report.problems)
    assert where == [
        ("courses/starter.md", 7, "error"),
        ("lessons/broken.md", 3, "error"),
        ("lessons/intro.md", 5, "warning"),
        ("lessons/intro.md", 15, "error"),
        ("pack.md", 1, "error"),
        ("skills.md", 7, "error"),
    ], report.format()
    assert report.summary() == "5 errors, 1 warning in 5 files"
    assert (
        report.format()
        .splitlines()[0]
        .startswith("courses/starter.md:7: error: course starter: lesson 'nowhere'")
    )


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    make_pack(tmp_path)
    (tmp_path / "lessons" / "latin1.md").write_bytes(b"---\nid: latin1\ntitle: Caf\xe9\n---\n")
    problem = only(validate_pack(tmp_path), "not UTF-8")
    assert (problem.file, problem.line) == ("lessons/latin1.md", 3)


def test_a_path_that_is_not_a_pack(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    problem = only(validate_pack(tmp_path / "notes.txt"), "a pack is a folder or a .zip")
    assert problem.file == "notes.txt"


def test_media_used_only_by_an_item_counts_as_used(tmp_path: Path) -> None:
    changes = edit("lessons/intro.md", "![A diagram](media/diagram.svg)\n", "")
    assert "no lesson uses this media file" in validate(tmp_path, changes).format()
    moved = LESSON_MD.replace("![A diagram](media/diagram.svg)\n", "").replace(
        "prompt: Type it", 'prompt: "Type what ![the diagram](media/diagram.svg) shows"'
    )
    report = validate(tmp_path, {"lessons/intro.md": moved})
    assert report.problems == [], report.format()


def test_a_missing_media_file_in_an_item_names_its_line(tmp_path: Path) -> None:
    text = LESSON_MD.replace("prompt: Type it", "prompt: |\n    Look: ![chart](media/chart.png)")
    report = validate(tmp_path, {"lessons/intro.md": text})
    problem = only(report, "media file 'media/chart.png' does not exist")
    expected = ("lessons/intro.md", line_of(text, "chart.png"), "item")
    assert (problem.file, problem.line, problem.field) == expected
