"""tldr-pages importer: a checkout folder or a tarball of `pages*/<platform>/<command>.md` becomes lessons.

One lesson per page: the title is the command, the body the page's description and examples in Markdown,
the source the page path inside the corpus (`pages/common/git-reset.md`). Each example becomes a typed-answer
item (prompt: the example's description; answer: its command, where `{{placeholders}}` accept any value).
Item ids hash the example's description, so re-importing a newer tldr release keeps the history of every
example whose description did not change, wherever it moved on the page.

Tarballs are read member by member (streaming): only regular files under a `pages*` folder ending in `.md`
are read, each at most `MAX_PAGE_BYTES`; an absolute name or a `..` component rejects the whole archive.
"""

from __future__ import annotations

import hashlib
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from skillbite.domain.content import Item, Lesson, Pack, Skill, TypedAnswer
from skillbite.domain.ids import ItemId, LessonId, PackId, SkillId

MAX_PAGE_BYTES = 256 * 1024
MINUTES_PER_EXAMPLE = 0.5
MIN_MINUTES = 2.0
DEFAULT_PACK_ID = PackId("tldr-pages")

_SAFE_ID_CHARACTER = re.compile(r"[a-z0-9_-]")


class TldrImportError(ValueError):
    """The corpus cannot be imported; the message names the file (and line) and how to fix it."""


@dataclass(frozen=True)
class TldrExample:
    description: str
    command: str


@dataclass(frozen=True)
class TldrPage:
    path: str
    """Path inside the corpus, e.g. `pages/common/git-reset.md`."""
    language: str
    """"" for English (`pages/`), else the suffix of `pages.<language>/`."""
    platform: str
    command: str
    description: str
    examples: tuple[TldrExample, ...]


def _id_part(name: str) -> str:
    """A command name as an id part: letters, digits, '-', '_' and inner '.' kept; others as `~xx` (hex)."""
    return "".join(
        c if _SAFE_ID_CHARACTER.fullmatch(c) or (c == "." and i > 0) else f"~{ord(c):02x}"
        for i, c in enumerate(name.lower())
    )


def page_lesson_id(language: str, platform: str, file_stem: str) -> LessonId:
    parts = ["tldr", *([language] if language else []), _id_part(platform), _id_part(file_stem)]
    return LessonId(".".join(parts))


def parse_page(path: str, text: str) -> TldrPage:
    """Parse one page in the tldr-pages format (title, `>` description, `- description:` + `command`)."""
    corpus_path = PurePosixPath(path)
    folder, platform, _ = corpus_path.parts[-3:]
    language = folder.partition(".")[2]
    title = ""
    description: list[str] = []
    examples: list[TldrExample] = []
    pending: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("# ") and not title:
            title = line[2:].strip()
        elif line.startswith(">"):
            description.append(line[1:].strip())
        elif line.startswith("- "):
            pending = line[2:].strip().rstrip(":").strip()
        elif line.startswith("`") and line.endswith("`") and len(line) >= 2:
            if pending is None:
                raise TldrImportError(
                    f"{path}:{number}: a command without a `- description:` line before it; "
                    "add the example's description above the command"
                )
            examples.append(TldrExample(pending, line[1:-1]))
            pending = None
    if not title:
        raise TldrImportError(f"{path}:1: no `# command` title line; start the page with `# <command>`")
    return TldrPage(
        path=str(corpus_path),
        language=language,
        platform=platform,
        command=title,
        description="\n".join(description),
        examples=tuple(examples),
    )


def _item_id(lesson_id: str, description: str, taken: set[str]) -> ItemId:
    digest = hashlib.sha1(description.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    candidate, suffix = f"{lesson_id}.{digest}", 2
    while candidate in taken:  # the same description twice on one page
        candidate, suffix = f"{lesson_id}.{digest}-{suffix}", suffix + 1
    taken.add(candidate)
    return ItemId(candidate)


def page_lesson(page: TldrPage) -> Lesson:
    lesson_id = page_lesson_id(page.language, page.platform, PurePosixPath(page.path).stem)
    taken: set[str] = set()
    items = tuple(
        Item(
            id=_item_id(lesson_id, example.description, taken),
            body=TypedAnswer(prompt=example.description, answers=(example.command,), placeholders_any=True),
            explanation=f"`{example.command}`",
        )
        for example in page.examples
    )
    quoted = "\n".join(f"> {line}" for line in page.description.splitlines())
    example_blocks = "\n\n".join(f"- {e.description}:\n\n`{e.command}`" for e in page.examples)
    minutes = max(MIN_MINUTES, MINUTES_PER_EXAMPLE * len(page.examples))
    return Lesson(
        id=lesson_id,
        title=page.command,
        skills=(SkillId(lesson_id),),
        minutes=minutes,
        body=f"{quoted}\n\n{example_blocks}".strip(),
        items=items,
        tags=(page.platform,),
        source=page.path,
    )


def _corpus_path(name: str, where: str) -> str | None:
    """The path inside the corpus (`pages/...`) for an archive or folder entry, or None to skip it.

    A leading top folder (a `tldr-main/` checkout tarball) is allowed. Unsafe names raise.
    """
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith(("/", "\\")) or ".." in path.parts:
        raise TldrImportError(
            f"{where}: entry {name!r} has an absolute path or a '..' component; "
            "only relative paths inside the corpus are allowed, rebuild the archive from the checkout"
        )
    parts = path.parts
    for start in (0, 1):
        if len(parts) - start == 3 and (parts[start] == "pages" or parts[start].startswith("pages.")):
            return str(PurePosixPath(*parts[start:])) if path.suffix == ".md" else None
    return None


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TldrImportError(f"{where}: not UTF-8 at byte {error.start}; save the page as UTF-8") from error


def read_tldr_pages(path: Path) -> Iterator[TldrPage]:
    """Pages of a tldr-pages checkout folder or tarball (.tar, .tar.gz, .tgz), in corpus order."""
    if path.is_dir():
        for file in sorted(path.rglob("*.md")):
            relative = file.relative_to(path).as_posix()
            corpus_path = _corpus_path(relative, str(path))
            if corpus_path is None or file.is_symlink() or not file.is_file():
                continue
            if file.stat().st_size > MAX_PAGE_BYTES:
                raise TldrImportError(
                    f"{file}: page larger than {MAX_PAGE_BYTES} bytes; is this a tldr page?"
                )
            yield parse_page(corpus_path, _decode(file.read_bytes(), str(file)))
        return
    try:
        with tarfile.open(path, mode="r|*") as archive:
            for member in archive:
                corpus_path = _corpus_path(member.name, str(path))
                if corpus_path is None or not member.isreg():
                    continue
                if member.size > MAX_PAGE_BYTES:
                    raise TldrImportError(
                        f"{path}: {member.name} is {member.size} bytes, over {MAX_PAGE_BYTES}; "
                        "is this a tldr-pages archive?"
                    )
                stream = archive.extractfile(member)
                if stream is None:
                    continue
                yield parse_page(corpus_path, _decode(stream.read(MAX_PAGE_BYTES), f"{path}:{member.name}"))
    except (tarfile.TarError, EOFError, OSError) as error:
        raise TldrImportError(
            f"{path}: not a readable tar archive ({error}); "
            "pass a tldr-pages checkout folder or a .tar.gz of it"
        ) from error


def read_tldr(path: Path) -> Iterator[Lesson]:
    """One lesson per page of a tldr-pages checkout folder or tarball."""
    for page in read_tldr_pages(path):
        yield page_lesson(page)


def tldr_pack(path: Path, pack_id: PackId = DEFAULT_PACK_ID, version: str = "1.0.0") -> Pack:
    """The whole corpus as one pack: a skill per page (titled by the command), a lesson per page."""
    lessons = tuple(read_tldr(path))
    skills = tuple(Skill(id=lesson.skills[0], title=lesson.title, tags=lesson.tags) for lesson in lessons)
    return Pack(
        id=pack_id,
        title="tldr-pages: command-line examples",
        version=version,
        licence="CC-BY-4.0",
        authors=("tldr-pages contributors",),
        description="Simplified, community-driven man pages (https://tldr.sh), one bite per command.",
        skills=skills,
        lessons=lessons,
    )
