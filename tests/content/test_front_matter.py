"""Front matter splitting keeps the file line of every field and says where YAML breaks."""

from __future__ import annotations

import pytest

from skillbite.content.front_matter import YamlSyntaxError, load_yaml, split_front_matter


def test_fields_body_and_line_numbers() -> None:
    document = split_front_matter("---\nid: x\nskills:\n  - id: a\n    prerequisites: [b, c]\n---\nBody\n")
    assert document.front.data == {"id": "x", "skills": [{"id": "a", "prerequisites": ["b", "c"]}]}
    assert document.front.line(("id",)) == 2
    assert document.front.line(("skills", 0, "prerequisites", 1)) == 5
    assert document.front.line(("skills", 0, "missing")) == 4, "falls back to the nearest ancestor"
    assert document.front.line(()) == 1
    assert (document.body, document.body_line) == ("Body\n", 7)


def test_plain_scalars_keep_the_authors_spelling() -> None:
    front = split_front_matter("---\nversion: 1.10\nanswers: [yes, 'no']\n---\n").front
    assert front.data == {"version": 1.1, "answers": [True, "no"]}
    assert front.raw[("version",)] == "1.10"
    assert front.raw[("answers", 0)] == "yes"
    assert ("answers", 1) not in front.raw, "quoted scalars are already text"


def test_a_key_written_twice_is_recorded() -> None:
    front = split_front_matter("---\nid: a\ntitle: T\nid: b\n---\n").front
    assert [(d.path, d.first_line, d.line) for d in front.duplicate_keys] == [(("id",), 2, 4)]


def test_byte_order_mark_and_empty_front_matter() -> None:
    document = split_front_matter("\ufeff---\n---\ntext")
    assert document.front.data == {}
    assert document.body == "text"


@pytest.mark.parametrize(
    ("text", "line", "message", "hint"),
    [
        ("no front matter\n", 1, "does not start with front matter", "first line `---`"),
        ("---\nid: x\n", 1, "never closed", "add a line `---`"),
        ("---\nid: x\nprompt: Run: git status\n---\n", 3, "mapping values are not allowed", "must be quoted"),
        ("---\nid: x\ntext: {{c1::a}} b\n---\n", 3, "invalid YAML", "starts with `{{` must be quoted"),
        ("---\nid: x\ntitle: 'open\nmore: y\nend: z\n---\n", 3, "invalid YAML", "not closed"),
        ("---\nid: x\ntitle T\nmore: y\n---\n", 4, "could not find expected ':'", "`name: value`"),
    ],
)
def test_errors_point_at_the_line_and_say_how_to_fix(text: str, line: int, message: str, hint: str) -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        split_front_matter(text)
    assert caught.value.line == line
    assert message in caught.value.message
    assert hint in caught.value.hint


def test_yaml_offsets_for_item_blocks() -> None:
    doc = load_yaml("id: q\ntype: cloze\n", first_line=12, root_line=11)
    assert doc.line(("type",)) == 13
    assert doc.line(("absent",)) == 11
