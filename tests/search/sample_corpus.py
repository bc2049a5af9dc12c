"""A small corpus for search tests: tldr-style command lessons plus two workplace bites, written here."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, text

from skillbite.domain.content import Item, Lesson, Pack, Skill, TypedAnswer
from skillbite.domain.ids import ItemId, LessonId, OrgId, PackId, SkillId

ORG = OrgId(1)
OTHER_ORG = OrgId(2)


def _lesson(lesson_id: str, title: str, description: str, examples: list[tuple[str, str]]) -> Lesson:
    items = tuple(
        Item(ItemId(f"{lesson_id}.{i}"), TypedAnswer(prompt, (answer,), placeholders_any=True), f"`{answer}`")
        for i, (prompt, answer) in enumerate(examples)
    )
    body = f"> {description}\n\n" + "\n\n".join(f"- {p}:\n\n`{a}`" for p, a in examples)
    return Lesson(
        LessonId(lesson_id), title, (SkillId(lesson_id),), 2.0, body, items, source=f"pages/common/{title}.md"
    )


LESSONS = (
    _lesson(
        "tldr.common.git-reset",
        "git reset",
        "Reset the current Git HEAD to the specified state.",
        [
            ("Unstage everything", "git reset"),
            ("Revert the last commit, keeping its changes in the working tree", "git reset HEAD~"),
            ("Discard any uncommitted changes", "git reset --hard"),
        ],
    ),
    _lesson(
        "tldr.common.tar",
        "tar",
        "Archiving utility.",
        [
            ("Create an archive from files", "tar cf {{target.tar}} {{file1 file2}}"),
            ("Extract a compressed archive file into the current directory", "tar xf {{source.tar.gz}}"),
            ("List the contents of an archive", "tar tvf {{source.tar}}"),
        ],
    ),
    _lesson(
        "tldr.common.rmdir",
        "rmdir",
        "Remove empty directories.",
        [("Remove specific directories", "rmdir {{path/to/directory}}")],
    ),
    _lesson(
        "tldr.common.ls",
        "ls",
        "List directory contents.",
        [
            ("List files one per line", "ls -1"),
            ("List all files, including hidden files", "ls -a"),
            ("Display the sizes of files in human-readable units", "ls -lh"),
        ],
    ),
    _lesson(
        "tldr.common.lsof",
        "lsof",
        "Lists open files and the corresponding processes.",
        [
            ("Find the processes that have a given network port open", "lsof -i :{{port}}"),
            ("List files opened by the given user", "lsof -u {{username}}"),
        ],
    ),
    _lesson(
        "team.retrospective",
        "Run a short retrospective",
        "Close a sprint by asking what went well, what did not, and what the team will try next.",
        [("Name the three questions of a start-stop-continue retrospective", "start stop continue")],
    ),
)


def sample_pack(lessons: tuple[Lesson, ...] = LESSONS, pack_id: str = "sample") -> Pack:
    skills = tuple(Skill(s, lesson.title) for lesson in lessons for s in lesson.skills)
    return Pack(PackId(pack_id), "Sample", "1.0.0", "CC-BY-4.0", ("Tests",), skills=skills, lessons=lessons)


def create_organisations(engine: Engine) -> None:
    with engine.begin() as conn:
        for org_id in (ORG, OTHER_ORG):
            conn.execute(
                text(
                    "INSERT INTO organisations (id, slug, name, created_at) VALUES (:id, :slug, :slug, :now)"
                ),
                {"id": org_id, "slug": f"org{org_id}", "now": datetime(2026, 1, 1, tzinfo=UTC)},
            )
