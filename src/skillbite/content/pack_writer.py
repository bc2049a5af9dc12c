"""Write a `Pack` out in the folder format (or as a .zip of it), the inverse of `read_pack`.

`read_pack(write_pack(pack, dest, media))` gives back an equal Pack, given the canonical forms the
reader produces: lessons and courses in id order, bodies without leading or trailing blank lines.
Fields that hold their default value are left out, so a written pack reads like a hand-written one.
The zip is reproducible: entries sorted by path, fixed timestamps and permissions.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

import yaml

from skillbite.domain.content import (
    Cloze,
    Course,
    Flashcard,
    Item,
    Lesson,
    Matching,
    MultipleChoice,
    Ordering,
    Pack,
    Skill,
    TrueFalse,
    TypedAnswer,
)

_ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: no build time leaks into the bytes


class _PackDumper(yaml.SafeDumper):
    """Writes YAML the way the docs show it: `skills: [a, b]` for short lists, indented `- ` entries
    for lists of mappings, and block style (`|`) for multi-line text so it stays readable in diffs."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_list(dumper: yaml.SafeDumper, values: list[object]) -> yaml.SequenceNode:
    scalars = all(isinstance(v, str) and "\n" not in v for v in values)
    short = scalars and sum(len(str(v)) for v in values) < 60
    return dumper.represent_sequence("tag:yaml.org,2002:seq", values, flow_style=short)


_PackDumper.add_representer(str, _represent_text)
_PackDumper.add_representer(list, _represent_list)


def to_yaml(data: object) -> str:
    return yaml.dump(data, Dumper=_PackDumper, sort_keys=False, allow_unicode=True, width=100)


def write_pack(pack: Pack, dest: Path, media_source: Path | None = None) -> Path:
    """Write `pack` to the folder `dest` (new or empty), or to a zip when `dest` ends in `.zip`.

    `media_source` is a folder holding the files of `pack.media` at the same relative paths (for
    example the folder the pack was read from). Returns `dest`.
    """
    if pack.media and media_source is None:
        raise ValueError(
            f"pack {pack.id} lists {len(pack.media)} media files; pass media_source, the folder "
            "that holds them (e.g. the pack folder it was read from)"
        )
    if dest.suffix.lower() == ".zip":
        with tempfile.TemporaryDirectory(prefix="skillbite-write-") as temp:
            folder = _write_folder(pack, Path(temp) / "pack", media_source)
            _zip_folder(folder, dest)
        return dest
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise FileExistsError(f"{dest}: the destination must be a new or empty folder")
    return _write_folder(pack, dest, media_source)


def lesson_text(lesson: Lesson) -> str:
    """The Markdown file of one lesson: front matter, body, then its items in order."""
    front: dict[str, object] = {
        "id": lesson.id,
        "title": lesson.title,
        "skills": list(lesson.skills),
        "minutes": _number(lesson.minutes),
    }
    if lesson.tags:
        front["tags"] = list(lesson.tags)
    if lesson.source is not None:
        front["source"] = lesson.source
    parts = [lesson.body] if lesson.body else []
    parts.extend(item_block(item) for item in lesson.items)
    return _markdown_file(front, "\n\n".join(parts))


def item_block(item: Item) -> str:
    """An ```item fence holding the item's YAML; the fence is longer than any backtick run inside."""
    content = to_yaml(item_fields(item))
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}item\n{content}{fence}"


def item_fields(item: Item) -> dict[str, object]:
    fields: dict[str, object] = {"id": item.id, "type": item.kind.value}
    fields.update(_body_fields(item))
    if item.explanation:
        fields["explanation"] = item.explanation
    if item.tags:
        fields["tags"] = list(item.tags)
    return fields


def _body_fields(item: Item) -> dict[str, object]:
    body = item.body
    if isinstance(body, MultipleChoice):
        choices = []
        for choice in body.choices:
            entry: dict[str, object] = {"text": choice.text}
            if choice.correct:
                entry["correct"] = True
            if choice.feedback:
                entry["feedback"] = choice.feedback
            choices.append(entry)
        return {"prompt": body.prompt, "choices": choices}
    if isinstance(body, TrueFalse):
        return {"prompt": body.prompt, "answer": body.answer}
    if isinstance(body, Cloze):
        return {"text": body.text}
    if isinstance(body, TypedAnswer):
        fields: dict[str, object] = {"prompt": body.prompt, "answers": list(body.answers)}
        flags = {
            "case": body.normalize_case,
            "spaces": body.normalize_spaces,
            "punctuation": body.normalize_punctuation,
        }
        if not all(flags.values()):
            fields["normalize"] = {name: value for name, value in flags.items() if not value}
        if body.placeholders_any:
            fields["placeholders_any"] = True
        return fields
    if isinstance(body, Ordering):
        return {"prompt": body.prompt, "steps": list(body.steps)}
    if isinstance(body, Matching):
        return {"prompt": body.prompt, "pairs": [{"left": p.left, "right": p.right} for p in body.pairs]}
    if isinstance(body, Flashcard):
        return {"front": body.front, "back": body.back}
    raise TypeError(f"unknown item body {type(body).__name__}")


def _write_folder(pack: Pack, dest: Path, media_source: Path | None) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    header = {
        "id": pack.id,
        "title": pack.title,
        "version": pack.version,
        "licence": pack.licence,
        "authors": list(pack.authors),
    }
    _write(dest / "pack.md", _markdown_file(header, pack.description))
    _write(dest / "skills.md", _markdown_file({"skills": [_skill_fields(s) for s in pack.skills]}, ""))
    for course in pack.courses:
        _write(dest / "courses" / f"{course.id}.md", _course_text(course))
    for lesson in pack.lessons:
        _write(dest / "lessons" / f"{lesson.id}.md", lesson_text(lesson))
    for media in pack.media:
        relative = _safe_media_path(media)
        assert media_source is not None
        source = media_source / relative
        if not source.is_file():
            raise FileNotFoundError(f"media file {media} is not in {media_source}; the pack lists it")
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return dest


def _skill_fields(skill: Skill) -> dict[str, object]:
    fields: dict[str, object] = {"id": skill.id, "title": skill.title}
    if skill.description:
        fields["description"] = skill.description
    if skill.prerequisites:
        fields["prerequisites"] = list(skill.prerequisites)
    if skill.tags:
        fields["tags"] = list(skill.tags)
    return fields


def _course_text(course: Course) -> str:
    modules = [{"id": m.id, "title": m.title, "lessons": list(m.lessons)} for m in course.modules]
    return _markdown_file({"id": course.id, "title": course.title, "modules": modules}, course.description)


def _markdown_file(front: Mapping[str, object], body: str) -> str:
    text = f"---\n{to_yaml(front)}---\n"
    return text + (f"{body}\n" if body else "")


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _safe_media_path(media: str) -> PurePosixPath:
    path = PurePosixPath(media)
    if path.is_absolute() or ".." in path.parts or not media.startswith("media/"):
        raise ValueError(f"media path {media!r} must be relative and inside media/")
    return path


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _zip_folder(folder: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=_ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
