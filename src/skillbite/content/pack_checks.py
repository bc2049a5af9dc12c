"""Checks across the files of a pack: duplicate ids, references to nothing, cycles, media.

They run after every file is parsed, on the parsed pack and the `SourceIndex` of where each id was
declared and referred to, so each problem points at the line that has to change.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Collection

from skillbite.content.problems import ValidationReport
from skillbite.content.source_index import Declaration, Reference, SourceIndex
from skillbite.domain.content import Pack
from skillbite.domain.ids import SkillId
from skillbite.domain.skill_graph import SkillGraph


def check_pack(pack: Pack, index: SourceIndex, report: ValidationReport) -> None:
    """Add to `report` every cross-file problem of `pack`."""
    _check_duplicates(index, report)
    skills_readable = "skills.md" not in index.unreadable
    lessons_readable = not any(f.startswith("lessons/") for f in index.unreadable)
    if skills_readable:
        _check_skill_references(index, report)
        _check_cycles(pack, index, report)
        if lessons_readable:
            _check_untaught_skills(index, report)
    _check_lesson_references(index, report)
    _check_media(pack, index, report)


def _check_skill_references(index: SourceIndex, report: ValidationReport) -> None:
    skill_ids = {d.id for d in index.declared("skill")}
    for ref in index.referring("prerequisite"):
        if ref.target == ref.owner:
            report.error(
                ref.file,
                ref.line,
                f"skill {ref.owner} lists itself as a prerequisite",
                field=ref.field,
                hint="remove it",
            )
        elif not _is_other_pack(ref.target) and ref.target not in skill_ids:
            report.error(
                ref.file,
                ref.line,
                f"skill {ref.owner}: prerequisite '{ref.target}' is not a skill of this pack",
                field=ref.field,
                hint=_fix(ref.target, skill_ids, "declare it in skills.md"),
            )
    for ref in index.referring("skill"):
        if not _is_other_pack(ref.target) and ref.target not in skill_ids:
            report.error(
                ref.file,
                ref.line,
                f"lesson {ref.owner}: skill '{ref.target}' is not declared in skills.md",
                field=ref.field,
                hint=_fix(ref.target, skill_ids, "add it to skills.md"),
            )


def _check_lesson_references(index: SourceIndex, report: ValidationReport) -> None:
    lesson_ids = {d.id for d in index.declared("lesson")}
    # A lesson file whose front matter is broken may well hold the lesson a course names.
    lesson_ids |= {posixpath.splitext(posixpath.basename(f))[0] for f in index.unreadable}
    for ref in index.referring("lesson"):
        if ref.target not in lesson_ids:
            report.error(
                ref.file,
                ref.line,
                f"course {ref.owner}: lesson '{ref.target}' does not exist",
                field=ref.field,
                hint=_fix(ref.target, lesson_ids, f"create lessons/{ref.target}.md"),
            )


def _is_other_pack(skill_id: str) -> bool:
    """`pack-id:skill-id` names a skill of a pack already imported; the import service checks it."""
    return ":" in skill_id


def _close(target: str, known: Collection[str]) -> list[str]:
    return difflib.get_close_matches(target, list(known), n=1, cutoff=0.6)


def _fix(target: str, known: Collection[str], otherwise: str) -> str:
    close = _close(target, known)
    return f"did you mean '{close[0]}'? otherwise {otherwise}" if close else otherwise


def _check_duplicates(index: SourceIndex, report: ValidationReport) -> None:
    first: dict[tuple[str, str, str], Declaration] = {}
    for declaration in index.declarations:
        key = (declaration.kind, declaration.scope, declaration.id)
        if key not in first:
            first[key] = declaration
            continue
        earlier = first[key]
        scope = f" in course {declaration.scope}" if declaration.kind == "module" else ""
        where = "" if earlier.file == declaration.file else f"{earlier.file}:"
        report.error(
            declaration.file,
            declaration.line,
            f"duplicate {declaration.kind} id '{declaration.id}'{scope} "
            f"(first declared at {where}line {earlier.line})",
            field=declaration.field,
            hint=f"give each {declaration.kind} its own id"
            + (" (unique within its course)" if declaration.kind == "module" else " (unique in the pack)"),
        )


def _check_cycles(pack: Pack, index: SourceIndex, report: ValidationReport) -> None:
    """Report every cycle: after reporting one, drop its closing edge and look again."""
    prerequisites: dict[SkillId, list[SkillId]] = {}
    for skill in pack.skills:
        prerequisites.setdefault(skill.id, [])
        prerequisites[skill.id].extend(
            p for p in skill.prerequisites if p != skill.id
        )  # self-loops reported above
    edges: dict[tuple[str, str], Reference] = {
        (ref.owner, ref.target): ref for ref in index.referring("prerequisite")
    }
    for _ in range(sum(len(p) for p in prerequisites.values())):
        cycle = SkillGraph(prerequisites).find_cycle()
        if cycle is None:
            return
        ref = edges.get((cycle[0], cycle[1]))
        report.error(
            ref.file if ref else "skills.md",
            ref.line if ref else 1,
            "skill prerequisites form a cycle: " + " -> ".join(cycle),
            field=ref.field if ref else None,
            hint="a skill cannot (even indirectly) require itself; remove one prerequisite of the cycle",
        )
        prerequisites[cycle[0]] = [p for p in prerequisites[cycle[0]] if p != cycle[1]]


def _check_media(pack: Pack, index: SourceIndex, report: ValidationReport) -> None:
    shipped = set(pack.media)
    used = set()
    for ref in index.referring("media"):
        used.add(ref.target)
        if ref.target in shipped:
            continue
        same_but_case = [m for m in shipped if m.lower() == ref.target.lower()]
        hint = (
            f"the file is {same_but_case[0]}; names are case-sensitive once imported"
            if same_but_case
            else _fix(ref.target, shipped, f"add the file {ref.target} to the pack")
        )
        report.error(
            ref.file, ref.line, f"media file '{ref.target}' does not exist", field=ref.field, hint=hint
        )
    for media in sorted(shipped - used):
        report.warning(
            media, None, "no lesson uses this media file", hint="link it from a lesson or delete it"
        )


def _check_untaught_skills(index: SourceIndex, report: ValidationReport) -> None:
    declared = [d.id for d in index.declared("skill")]
    taught = {ref.target for ref in index.referring("skill")}
    # A misspelt skill in a lesson is already an error naming the skill it probably meant; warning that
    # this skill is untaught as well would only repeat it.
    taught |= {match for ref in index.referring("skill") for match in _close(ref.target, declared)}
    for declaration in index.declared("skill"):
        if declaration.id not in taught:
            report.warning(
                declaration.file,
                declaration.line,
                f"no lesson teaches skill {declaration.id}, so learners who need it have nowhere to go",
                field=declaration.field,
                hint=f"add skills: [{declaration.id}] to a lesson, or remove the skill",
            )
