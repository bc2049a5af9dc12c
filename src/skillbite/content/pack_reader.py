"""Read a pack folder (or a .zip of it) into a `Pack`, with every problem found on the way.

`read_pack` parses each file (pack.md, skills.md, courses/, lessons/, media/), then runs the cross-file
checks of `pack_checks`. The Pack is returned only when there is no error; warnings do not block it.
"""

from __future__ import annotations

import posixpath
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from skillbite.content.archives import ArchiveError, safe_extract
from skillbite.content.front_matter import MarkdownFile, read_markdown_file
from skillbite.content.lesson_reader import body_without, read_lesson
from skillbite.content.pack_checks import check_pack
from skillbite.content.problems import ValidationReport
from skillbite.content.source_index import SourceIndex
from skillbite.content.yaml_fields import Fields
from skillbite.domain.content import Course, Lesson, Module, Pack, Skill
from skillbite.domain.ids import CourseId, LessonId, ModuleId, PackId, SkillId

PACK_FIELDS = frozenset({"id", "title", "version", "licence", "authors"})
SKILL_FIELDS = frozenset({"id", "title", "description", "prerequisites", "tags"})
COURSE_FIELDS = frozenset({"id", "title", "modules"})
MODULE_FIELDS = frozenset({"id", "title", "lessons"})
KNOWN_ROOT_FILES = frozenset(
    {"pack.md", "skills.md", "readme.md", "changelog.md", "licence.md", "license.md"}
)


class PackSourceError(Exception):
    """The path given is neither a pack folder nor a readable archive of one."""

    def __init__(self, message: str, hint: str = "pass a pack folder (with pack.md) or a .zip of it") -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class _Header:
    id: str = ""
    title: str = ""
    version: str = ""
    licence: str = ""
    authors: tuple[str, ...] = ()
    description: str = ""


@dataclass
class _Parsed:
    report: ValidationReport = field(default_factory=ValidationReport)
    index: SourceIndex = field(default_factory=SourceIndex)
    header: _Header = field(default_factory=_Header)
    skills: list[Skill] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)
    media: list[str] = field(default_factory=list)


def read_pack(path: Path) -> tuple[Pack | None, ValidationReport]:
    """The pack at `path` (a folder, or a .zip of a folder) and the report of all its problems.

    The pack is None when the report has errors. For a zip, media files are gone once this returns; to
    keep them (the import service copies them), use `open_pack_folder` and read the folder it yields.
    """
    try:
        with open_pack_folder(path) as root:
            return read_pack_folder(root)
    except PackSourceError as exc:
        report = ValidationReport()
        report.error(path.name, None, str(exc).removeprefix(f"{path.name}: "), hint=exc.hint)
        return None, report


@contextmanager
def open_pack_folder(path: Path) -> Iterator[Path]:
    """Yield the pack folder of `path`: the folder itself, or a .zip safely extracted to a temporary
    folder removed on exit. Raises PackSourceError with a message fit for the author."""
    if path.is_dir():
        yield path
        return
    if not path.exists():
        raise PackSourceError(f"no such file or folder: {path}", hint="check the path")
    if path.suffix.lower() != ".zip":
        raise PackSourceError(f"a pack is a folder or a .zip file, not a {path.suffix or 'plain'} file")
    with tempfile.TemporaryDirectory(prefix="skillbite-pack-") as temp:
        try:
            extracted = safe_extract(path, Path(temp) / "pack")
        except ArchiveError as exc:
            raise PackSourceError(str(exc), hint="") from exc
        yield _pack_root_in(extracted)


def _pack_root_in(extracted: Path) -> Path:
    """A zip of the folder itself (one top folder holding pack.md) is accepted as well as a zip of its
    contents, since both are what people make."""
    if (extracted / "pack.md").exists():
        return extracted
    children = [c for c in extracted.iterdir() if not c.name.startswith(".") and c.name != "__MACOSX"]
    if len(children) == 1 and children[0].is_dir() and (children[0] / "pack.md").exists():
        return children[0]
    return extracted


def read_pack_folder(root: Path) -> tuple[Pack | None, ValidationReport]:
    parsed = _Parsed()
    if not root.is_dir():
        parsed.report.error(root.name, None, "not a folder", hint="pass the pack folder that holds pack.md")
        return None, parsed.report
    _read_header(root, parsed)
    _read_skills(root, parsed)
    for file, text in _markdown_files(root, "courses", parsed.report):
        course = _read_course(file, text, parsed)
        if course is not None:
            parsed.courses.append(course)
    lesson_files = _markdown_files(root, "lessons", parsed.report)
    if not lesson_files:
        parsed.report.warning(
            "lessons", None, "the pack has no lesson", hint="add lessons/<lesson-id>.md files"
        )
    for file, text in lesson_files:
        lesson = read_lesson(text, file, parsed.report, parsed.index)
        if lesson is not None:
            parsed.lessons.append(lesson)
    parsed.media = _media_files(root)
    _warn_about_stray_files(root, parsed.report)
    pack = _assemble(parsed)
    check_pack(pack, parsed.index, parsed.report)
    return (pack if parsed.report.ok else None), parsed.report


def _assemble(parsed: _Parsed) -> Pack:
    header = parsed.header
    return Pack(
        id=PackId(header.id),
        title=header.title,
        version=header.version,
        licence=header.licence,
        authors=header.authors,
        description=header.description,
        skills=tuple(parsed.skills),
        courses=tuple(sorted(parsed.courses, key=lambda c: c.id)),
        lessons=tuple(sorted(parsed.lessons, key=lambda lesson: lesson.id)),
        media=tuple(parsed.media),
    )


def _read_markdown(root: Path, file: str, parsed: _Parsed) -> MarkdownFile | None:
    text = _read_text(root / file, file, parsed.report)
    document = None if text is None else read_markdown_file(text, file, parsed.report)
    if document is None:
        parsed.index.unreadable.add(file)
    return document


def _read_text(path: Path, file: str, report: ValidationReport) -> str | None:
    if not path.is_file():
        report.error(file, None, f"the pack has no {file}", hint=f"create {file}; see docs/pack-format.md")
        return None
    data = path.read_bytes()
    try:
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        report.error(file, line, "the file is not UTF-8 text", hint="save it as UTF-8 in your editor")
        return None


def _read_header(root: Path, parsed: _Parsed) -> None:
    document = _read_markdown(root, "pack.md", parsed)
    if document is None:
        return
    fields = Fields(document.front, (), "pack.md", parsed.report)
    fields.check_keys(PACK_FIELDS, what="pack.md")
    version = fields.text("version")
    if version and not _looks_like_semver(version):
        fields.warning(
            "version",
            f"version '{version}' is not MAJOR.MINOR.PATCH",
            "use a version such as 1.2.0, so re-imports can tell which is newer",
        )
    parsed.header = _Header(
        id=fields.identifier("id"),
        title=fields.text("title"),
        version=version,
        licence=fields.text("licence"),
        authors=fields.text_list("authors", required=True, what="author"),
        description=body_without(document.body.split("\n"), []),
    )


def _looks_like_semver(version: str) -> bool:
    parts = version.split("-", 1)[0].split(".")
    return len(parts) == 3 and all(part.isdigit() for part in parts)


def _read_skills(root: Path, parsed: _Parsed) -> None:
    document = _read_markdown(root, "skills.md", parsed)
    if document is None:
        return
    fields = Fields(document.front, (), "skills.md", parsed.report)
    fields.check_keys({"skills"}, what="skills.md")
    for entry in fields.mapping_list("skills", what="skill"):
        entry.check_keys(SKILL_FIELDS, what="a skill")
        skill_id = entry.identifier("id")
        entry.subject = f"skill {skill_id}" if skill_id else ""
        parsed.index.declare("skill", skill_id, "skills.md", entry.line("id"), entry.field_name("id"))
        prerequisites = entry.text_list("prerequisites", what="skill id")
        for position, prereq in enumerate(prerequisites):
            name = f"prerequisites[{position}]"
            parsed.index.refer(
                "prerequisite", prereq, skill_id, "skills.md", entry.line(name), entry.field_name(name)
            )
        parsed.skills.append(
            Skill(
                id=SkillId(skill_id),
                title=entry.text("title"),
                description=entry.text("description", required=False),
                prerequisites=tuple(SkillId(p) for p in prerequisites),
                tags=entry.text_list("tags", what="tag"),
            )
        )


def _read_course(file: str, text: str, parsed: _Parsed) -> Course | None:
    errors_before = len(parsed.report.errors)
    document = read_markdown_file(text, file, parsed.report)
    if document is None:
        parsed.index.unreadable.add(file)
        return None
    fields = Fields(document.front, (), file, parsed.report)
    fields.check_keys(COURSE_FIELDS, what="a course")
    course_id = fields.identifier("id")
    parsed.index.declare("course", course_id, file, fields.line("id"), "id")
    stem = posixpath.splitext(posixpath.basename(file))[0]
    if course_id and stem != course_id:
        fields.warning(
            "id",
            f"the file is named '{stem}.md' but the course id is '{course_id}'",
            f"rename the file to {course_id}.md",
        )
    title = fields.text("title")
    modules = []
    for entry in fields.mapping_list("modules", what="module"):
        entry.check_keys(MODULE_FIELDS, what="a module")
        module_id = entry.identifier("id")
        parsed.index.declare(
            "module", module_id, file, entry.line("id"), entry.field_name("id"), scope=course_id
        )
        lessons = entry.text_list("lessons", required=True, what="lesson id")
        for position, lesson in enumerate(lessons):
            name = f"lessons[{position}]"
            parsed.index.refer("lesson", lesson, course_id, file, entry.line(name), entry.field_name(name))
        modules.append(
            Module(
                id=ModuleId(module_id), title=entry.text("title"), lessons=tuple(LessonId(x) for x in lessons)
            )
        )
    if len(parsed.report.errors) > errors_before:
        return None
    description = body_without(document.body.split("\n"), [])
    return Course(id=CourseId(course_id), title=title, description=description, modules=tuple(modules))


def _markdown_files(root: Path, folder: str, report: ValidationReport) -> list[tuple[str, str]]:
    """(pack-relative posix path, text) of every .md file under `folder`, sorted by path."""
    base = root / folder
    if not base.is_dir():
        return []
    files = []
    for path in sorted(base.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if _is_hidden(relative) or not path.is_file():
            continue
        if path.suffix.lower() != ".md":
            report.warning(
                relative,
                None,
                f"not read: only .md files are read in {folder}/",
                hint="rename it to .md or move it out of the pack",
            )
            continue
        text = _read_text(path, relative, report)
        if text is not None:
            files.append((relative, text))
    return files


def _media_files(root: Path) -> list[str]:
    base = root / "media"
    if not base.is_dir():
        return []
    paths = (p.relative_to(root).as_posix() for p in base.rglob("*") if p.is_file())
    return sorted(p for p in paths if not _is_hidden(p))


def _warn_about_stray_files(root: Path, report: ValidationReport) -> None:
    for path in sorted(root.glob("*.md")):
        if path.name.lower() not in KNOWN_ROOT_FILES:
            report.warning(
                path.name,
                None,
                "not read: Markdown at the pack root other than pack.md and skills.md",
                hint="move a lesson to lessons/ and a course to courses/",
            )


def _is_hidden(relative: str) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in relative.split("/"))
