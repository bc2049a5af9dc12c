"""write_pack then read_pack gives back an equal Pack, for generated packs with every item type."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillbite.content.pack_reader import read_pack
from skillbite.content.pack_writer import write_pack
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

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "packs" / "hello-skillbite"

# Any printable text YAML can carry: letters of every script, symbols, emoji, quotes, YAML indicators
# (`: `, `#`, `- `, `{`, `[`, `&`, `*`), leading and trailing spaces. Control characters and Unicode line
# separators are left out: a text field is one line or several separated by "\n".
CHARS = st.characters(
    codec="utf-8", exclude_categories=["Cc", "Cs", "Co", "Cn", "Zl", "Zp"], exclude_characters="\ufeff\x85"
)
line_text = st.text(CHARS, min_size=1, max_size=25).filter(lambda s: s.strip() != "")
free_text = st.one_of(
    line_text,
    st.lists(st.text(CHARS, max_size=15), min_size=2, max_size=3)
    .map("\n".join)
    .filter(lambda s: s.strip() != ""),
    st.sampled_from(
        [
            "yes",
            "no",
            "1.10",
            "null",
            "~",
            "- dash",
            "# hash",
            "key: value",
            "'quoted'",
            "{{c1::x}}",
            "tar xf {{path/to/file}}",
            "```",
            "---",
            "Zoë 漢字 🎉",
            "trailing  ",
            " leading",
        ]
    ),
)
optional_text = st.one_of(st.just(""), free_text)
ids = st.from_regex(r"[a-z][a-z0-9]{0,5}([.-][a-z0-9]{1,4})?", fullmatch=True)
tags = st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), max_size=3).map(tuple)

# Markdown bodies: paragraphs, lists and headings without fences or raw HTML, which could swallow the
# item blocks that follow the text (an unclosed ``` or <pre> runs to the end of the file).
BODY_CHARS = st.characters(
    codec="utf-8", categories=["L", "N", "Zs"], include_characters=".,;:!?()*_#-+'\"é漢🎉"
)
body_line = st.text(BODY_CHARS, max_size=30)


def trim_blank_lines(lines: list[str]) -> str:
    """The canonical body: no whitespace-only line at either end (the reader trims them)."""
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "\n".join(lines)


bodies = st.one_of(st.just(""), st.lists(body_line, min_size=1, max_size=6).map(trim_blank_lines))


def distinct(strategy: st.SearchStrategy[str], size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(strategy, min_size=size, max_size=size + 2, unique=True)


@st.composite
def item_bodies(draw: st.DrawFn) -> ItemBody:
    kind = draw(st.integers(0, 6))
    if kind == 0:
        texts = draw(distinct(line_text, 2))
        correct = draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)).filter(any))
        choices = tuple(Choice(t, c, draw(optional_text)) for t, c in zip(texts, correct, strict=True))
        return MultipleChoice(draw(free_text), choices)
    if kind == 1:
        return TrueFalse(draw(free_text), draw(st.booleans()))
    if kind == 2:
        answer = draw(st.from_regex(r"[A-Za-z0-9 é-]{0,8}[A-Za-z0-9é]", fullmatch=True))
        return Cloze(f"{draw(body_line)} {{{{c1::{answer}}}}} {draw(body_line)}".strip())
    if kind == 3:
        answers = tuple(
            draw(st.lists(line_text.filter(lambda s: any(c.isalnum() for c in s)), min_size=1, max_size=3))
        )
        flags = draw(st.lists(st.booleans(), min_size=4, max_size=4))
        return TypedAnswer(draw(free_text), answers, *flags)
    if kind == 4:
        return Ordering(draw(free_text), tuple(draw(distinct(line_text, 2))))
    if kind == 5:
        lefts, rights = draw(distinct(line_text, 2)), draw(distinct(line_text, 2))
        pairs = tuple(MatchPair(left, right) for left, right in zip(lefts, rights, strict=False))
        return Matching(draw(free_text), pairs)
    return Flashcard(draw(free_text), draw(free_text))


@st.composite
def packs(draw: st.DrawFn) -> Pack:
    skill_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    skills = tuple(
        Skill(
            sid,
            draw(free_text),
            draw(optional_text),
            tuple(draw(st.lists(st.sampled_from(skill_ids[:i]), unique=True, max_size=2))) if i else (),
            draw(tags),
        )
        for i, sid in enumerate(skill_ids)
    )
    lesson_ids = sorted(draw(st.lists(ids, min_size=1, max_size=3, unique=True)))
    media = tuple(sorted(draw(st.sets(st.sampled_from(["media/a.svg", "media/sub/b.png", "media/c d.mp3"])))))
    lessons = []
    for position, lid in enumerate(lesson_ids):
        items = tuple(
            Item(f"{lid}.q{n}", body, draw(free_text), draw(tags))
            for n, body in enumerate(draw(st.lists(item_bodies(), max_size=4)))
        )
        body = draw(bodies)
        if position == 0 and media:
            links = "\n\n".join(
                f"![audio: clip](<{m}>)" if m.endswith(".mp3") else f"![picture]({m})" for m in media
            )
            body = f"{body}\n\n{links}".strip("\n")
        lessons.append(
            Lesson(
                lid,
                draw(free_text),
                tuple(draw(st.lists(st.sampled_from(skill_ids), min_size=1, max_size=2, unique=True))),
                draw(st.sampled_from([1.0, 2.5, 3.0, 5.0, 7.25])),
                body,
                items,
                draw(tags),
                draw(st.one_of(st.none(), line_text)),
            )
        )
    course_ids = sorted(draw(st.lists(ids, max_size=2, unique=True)))
    courses = tuple(
        Course(
            cid,
            draw(free_text),
            draw(bodies),
            tuple(
                Module(mid, draw(free_text), tuple(draw(st.lists(st.sampled_from(lesson_ids), max_size=3))))
                for mid in draw(st.lists(ids, min_size=1, max_size=2, unique=True))
            ),
        )
        for cid in course_ids
    )
    return Pack(
        draw(ids),
        draw(free_text),
        draw(st.from_regex(r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}", fullmatch=True)),
        draw(line_text),
        tuple(draw(st.lists(free_text, min_size=1, max_size=2))),
        draw(bodies),
        skills,
        courses,
        tuple(lessons),
        media,
    )


def media_folder(root: Path, pack: Pack) -> Path:
    for media in pack.media:
        (root / media).parent.mkdir(parents=True, exist_ok=True)
        (root / media).write_bytes(f"bytes of {media}".encode())
    return root


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(packs())
def test_generated_packs_round_trip_through_a_folder(pack: Pack) -> None:
    with tempfile.TemporaryDirectory() as temp:
        media = media_folder(Path(temp) / "source", pack)
        written = write_pack(pack, Path(temp) / "out", media)
        again, report = read_pack(written)
        assert report.ok, report.format()
        assert again == pack
        assert all((written / m).read_bytes() == (media / m).read_bytes() for m in pack.media)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(packs())
def test_generated_packs_round_trip_through_a_zip(pack: Pack) -> None:
    with tempfile.TemporaryDirectory() as temp:
        media = media_folder(Path(temp) / "source", pack)
        again, report = read_pack(write_pack(pack, Path(temp) / "pack.zip", media))
        assert report.ok, report.format()
        assert again == pack


def test_the_example_pack_round_trips_with_its_media(tmp_path: Path) -> None:
    pack, _ = read_pack(EXAMPLE)
    assert pack is not None
    again, report = read_pack(write_pack(pack, tmp_path / "copy", EXAMPLE))
    assert (again, report.problems) == (pack, [])


def test_the_zip_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    pack, _ = read_pack(EXAMPLE)
    assert pack is not None
    first = write_pack(pack, tmp_path / "a.zip", EXAMPLE).read_bytes()
    second = write_pack(pack, tmp_path / "b.zip", EXAMPLE).read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        names = archive.namelist()
    assert names == sorted(names)
    assert names[:3] == ["courses/hello-skillbite.md", "lessons/pack-layout.md", "lessons/practice-items.md"]
