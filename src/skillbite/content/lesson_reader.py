"""Read one lesson file (a bite): front matter, Markdown body, practice items and media references."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from skillbite.content.front_matter import YamlSyntaxError, load_yaml, read_markdown_file
from skillbite.content.item_parser import parse_item
from skillbite.content.problems import ValidationReport
from skillbite.content.source_index import SourceIndex
from skillbite.content.yaml_fields import Fields
from skillbite.domain.content import Item, ItemKind, Lesson
from skillbite.domain.ids import LessonId, SkillId

LESSON_FIELDS = frozenset({"id", "title", "skills", "minutes", "tags", "source"})
MAX_MINUTES = 10
AUDIO_EXTENSIONS = frozenset({".mp3", ".ogg", ".wav", ".m4a"})
VIDEO_EXTENSIONS = frozenset({".mp4", ".webm"})
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"})
MEDIA_EXTENSIONS = AUDIO_EXTENSIONS | VIDEO_EXTENSIONS | IMAGE_EXTENSIONS
_LOOKS_LIKE_ITEM = re.compile(r"^type:\s*(" + "|".join(k.value for k in ItemKind) + r")\s*$", re.MULTILINE)


def media_kind(path: str) -> str:
    """`audio`, `video` or `image`, from the file extension (see docs/pack-format.md)."""
    extension = posixpath.splitext(path.lower())[1]
    if extension in AUDIO_EXTENSIONS:
        return "audio"
    if extension in VIDEO_EXTENSIONS:
        return "video"
    return "image"


def read_lesson(text: str, file: str, report: ValidationReport, index: SourceIndex) -> Lesson | None:
    """The lesson of `text` (the content of `file`), or None when it has errors (all reported)."""
    errors_before = len(report.errors)
    document = read_markdown_file(text, file, report)
    if document is None:
        index.unreadable.add(file)
        return None
    fields = Fields(document.front, (), file, report)
    fields.check_keys(LESSON_FIELDS, what="a lesson")
    lesson_id = fields.identifier("id")
    index.declare("lesson", lesson_id, file, fields.line("id"), "id")
    _check_file_name(fields, lesson_id, file)
    title = fields.text("title")
    skills = fields.text_list("skills", required=True, what="skill id")
    if "skills" in fields.values and isinstance(fields.values["skills"], list) and not skills:
        fields.error("skills", "a lesson must teach at least one skill", "add skills: [skill-id]")
    for position, skill in enumerate(skills):
        index.refer(
            "skill", skill, lesson_id, file, fields.line(f"skills[{position}]"), f"skills[{position}]"
        )
    minutes = _minutes(fields)
    tags = fields.text_list("tags", what="tag")
    source = fields.text("source", required=False, default="") or None

    tokens = MarkdownIt("commonmark").parse(document.body)
    body_lines = document.body.split("\n")
    items = []
    item_ranges: list[tuple[int, int]] = []
    for token in tokens:
        if token.type != "fence" or token.map is None:
            continue
        info = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
        fence_line = document.body_line + token.map[0]
        if info != "item":
            if info in {"yaml", "yml"} and _LOOKS_LIKE_ITEM.search(token.content):
                report.warning(
                    file,
                    fence_line,
                    "this ```yaml block looks like a practice item but is shown as code",
                    hint="write ```item to make it an item",
                )
            continue
        item_ranges.append((token.map[0], token.map[1]))
        if not _is_closed(token, body_lines):
            report.error(
                file,
                fence_line,
                "this ```item block is never closed, so it swallows the rest of the file",
                hint=f"close it with a line {token.markup}",
            )
        item = _read_item(token.content, fence_line, file, report, index)
        if item is not None:
            items.append(item)
    _read_media(tokens, body_lines, document.body_line, lesson_id, file, report, index)
    if len(report.errors) > errors_before or minutes is None:
        return None
    return Lesson(
        id=LessonId(lesson_id),
        title=title,
        skills=tuple(SkillId(s) for s in skills),
        minutes=minutes,
        body=body_without(body_lines, item_ranges),
        items=tuple(items),
        tags=tags,
        source=source,
    )


def body_without(lines: list[str], ranges: list[tuple[int, int]]) -> str:
    """The body with the item blocks taken out, without the blank lines they leave behind, and with
    leading and trailing blank lines trimmed (the canonical form a round trip preserves)."""
    skipped: set[int] = set()
    for start, end in ranges:
        skipped.update(range(start, end))
    kept: list[str] = []
    after_gap = False
    for number, line in enumerate(lines):
        if number in skipped:
            after_gap = True
            continue
        if after_gap and not line.strip() and (not kept or not kept[-1].strip()):
            continue  # a blank line right after a removed block, already separated by a blank line
        after_gap = after_gap and not line.strip()
        kept.append(line)
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept)


def _minutes(fields: Fields) -> float | None:
    minutes = fields.number("minutes")
    if minutes is None:
        return None
    if minutes <= 0:
        fields.error(
            "minutes", f"minutes must be more than 0, not {minutes:g}", "estimate the time, e.g. minutes: 3"
        )
    elif minutes > MAX_MINUTES:
        fields.warning(
            "minutes",
            f"this bite takes {minutes:g} minutes; bites take 2-5 (over {MAX_MINUTES} is too long)",
            "split it into several lessons, one skill each",
        )
    return minutes


def _check_file_name(fields: Fields, lesson_id: str, file: str) -> None:
    stem = posixpath.splitext(posixpath.basename(file))[0]
    if lesson_id and stem != lesson_id:
        fields.warning(
            "id",
            f"the file is named '{stem}.md' but the lesson id is '{lesson_id}'",
            f"rename the file to {lesson_id}.md so the two are easy to find",
        )


def _read_item(
    content: str, fence_line: int, file: str, report: ValidationReport, index: SourceIndex
) -> Item | None:
    try:
        doc = load_yaml(content, first_line=fence_line + 1, root_line=fence_line)
    except YamlSyntaxError as exc:
        report.error(file, exc.line, f"in this item: {exc.message}", hint=exc.hint)
        return None
    if not isinstance(doc.data, dict):
        report.error(
            file,
            fence_line,
            "an ```item block must hold YAML fields (id, type, ...)",
            hint="see the item table in docs/pack-format.md",
        )
        return None
    fields = Fields(doc, (), file, report)
    item = parse_item(fields)
    item_id = doc.data.get("id")
    if isinstance(item_id, str):
        index.declare("item", item_id, file, doc.line(("id",)), "id")
    return item


def _is_closed(token: Token, lines: list[str]) -> bool:
    assert token.map is not None
    last = lines[token.map[1] - 1].strip() if token.map[1] - 1 < len(lines) else ""
    marker = token.markup[:1]
    return token.map[1] - token.map[0] >= 2 and last.startswith(token.markup) and set(last) == {marker}


def _read_media(
    tokens: list[Token],
    lines: list[str],
    body_line: int,
    lesson_id: str,
    file: str,
    report: ValidationReport,
    index: SourceIndex,
) -> None:
    for token in tokens:
        if token.type == "fence" and token.map is not None and token.info.strip().startswith("item"):
            _read_item_media(token.content, body_line + token.map[0] + 1, lesson_id, file, report, index)
            continue
        if token.type != "inline" or token.map is None:
            continue
        for child in token.children or []:
            if child.type != "image":
                continue
            src = unquote(str(child.attrGet("src") or ""))
            line = body_line + _line_of(src, lines, token.map)
            target = _media_target(src, child.content, file, line, report)
            if target is not None:
                index.refer("media", target, lesson_id, file, line, "body")


_MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)")


def _read_item_media(
    content: str, first_line: int, lesson_id: str, file: str, report: ValidationReport, index: SourceIndex
) -> None:
    """Item fields are Markdown too (a card's picture, a prompt's diagram): their images are uses of media.

    The item block is YAML, where a Markdown image may sit in a quoted or indented string, so images are
    found by their pattern line by line rather than by parsing the block as Markdown."""
    for offset, text in enumerate(content.split("\n")):
        for match in _MARKDOWN_IMAGE.finditer(text):
            src = unquote(match.group(2))
            target = _media_target(src, match.group(1), file, first_line + offset, report)
            if target is not None:
                index.refer("media", target, lesson_id, file, first_line + offset, "item")


def _line_of(src: str, lines: list[str], block: list[int]) -> int:
    for number in range(block[0], min(block[1], len(lines))):
        if src in unquote(lines[number]):
            return number
    return block[0]


def _media_target(src: str, alt: str, file: str, line: int, report: ValidationReport) -> str | None:
    """The pack-relative path a Markdown image points at, or None when it cannot ship (reported)."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.IGNORECASE):
        report.error(
            file,
            line,
            f"media '{src}' is not a file of the pack",
            hint="download it into media/ and link it as media/<name>, so the pack works offline",
        )
        return None
    if src.startswith("/"):
        report.error(file, line, f"media path '{src}' is absolute", hint=f"write it as {src.lstrip('/')}")
        return None
    path = posixpath.normpath(src)
    if not path.startswith("media/"):
        from_lesson = posixpath.normpath(posixpath.join(posixpath.dirname(file), src))
        hint = "put the file in media/ and link it as media/<name> (paths are relative to the pack root)"
        if from_lesson.startswith("media/"):
            hint = f"write {from_lesson}: media paths are relative to the pack root, not to the lesson"
        report.error(file, line, f"media path '{src}' is not inside media/", hint=hint)
        if not from_lesson.startswith("media/"):
            return None
        path = from_lesson  # go on checking the file the author meant, so one mistake gives one error
    extension = posixpath.splitext(path.lower())[1]
    if extension not in MEDIA_EXTENSIONS:
        report.error(
            file,
            line,
            f"'{src}' has an unsupported media type '{extension or '(none)'}'",
            hint="use " + ", ".join(sorted(e.lstrip(".") for e in MEDIA_EXTENSIONS)),
        )
        return None
    kind = media_kind(path)
    if kind != "image" and not alt.lower().startswith(f"{kind}:"):
        report.warning(
            file,
            line,
            f"the caption of {kind} '{src}' does not start with '{kind}:'",
            hint=f"write ![{kind}: what it shows]({src})",
        )
    elif kind == "image" and not alt.strip():
        report.warning(
            file,
            line,
            f"image '{src}' has no alt text, so screen readers cannot describe it",
            hint=f"write ![what the image shows]({src})",
        )
    return path
