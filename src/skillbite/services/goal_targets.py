"""Learning goals and the lessons they lead to: a course, a skill or a lesson, named `pack-key/key`.

A goal's target is checked against stored content when it is set (`check_target`), and turned into lessons
in teaching order when a session is planned (`goal_lessons`):
- a course: its lessons in module order;
- a lesson: that lesson;
- a skill: the lessons that teach it or one of its prerequisites (transitively), in the organisation's
  course order, so that prerequisites come first wherever the courses put them first.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy.orm import Session

from skillbite.services.errors import InvalidInput, NotFound
from skillbite.store.repositories.content import (
    CourseRepository,
    LessonRepository,
    PackRepository,
    SkillRepository,
)
from skillbite.store.tables.content import LessonRow


class GoalKind(StrEnum):
    COURSE = "course"
    SKILL = "skill"
    LESSON = "lesson"


def parse_goal_kind(kind: str) -> GoalKind:
    try:
        return GoalKind(kind)
    except ValueError:
        allowed = ", ".join(k.value for k in GoalKind)
        raise InvalidInput(f"goal kind {kind!r} is not one of {allowed}", field="kind") from None


def split_target(target: str) -> tuple[str, str]:
    pack_key, _, key = target.strip().partition("/")
    if not pack_key or not key:
        raise InvalidInput(
            f"goal target {target!r} must be `pack-key/key`, e.g. `git-in-the-flow/git-basics`",
            field="target",
        )
    return pack_key, key


def check_target(session: Session, org_id: int, kind: GoalKind, target: str) -> str:
    """The normalised target if it names stored content of this kind; NotFound (naming it) otherwise."""
    pack_key, key = split_target(target)
    pack = PackRepository(session, org_id).by_key(pack_key)
    if pack is None:
        raise NotFound(f"no pack {pack_key!r} in this organisation (goal target {target!r})", field="target")
    found: object
    if kind is GoalKind.COURSE:
        found = CourseRepository(session, org_id).of_pack(pack.id).get(key)
    elif kind is GoalKind.SKILL:
        found = SkillRepository(session, org_id).of_pack(pack.id).get(key)
    else:
        lesson = LessonRepository(session, org_id).of_pack(pack.id).get(key)
        found = lesson if lesson is not None and lesson.retired_at is None else None
    if found is None:
        raise NotFound(f"pack {pack_key!r} has no {kind.value} {key!r}", field="target")
    return f"{pack_key}/{key}"


class _Catalogue:
    """The organisation's active lessons, indexed for goal resolution, and its teaching order."""

    def __init__(self, session: Session, org_id: int) -> None:
        self.pack_keys = {p.id: p.key for p in PackRepository(session, org_id).all()}
        outlines = LessonRepository(session, org_id).active(with_body=False)  # planning needs no bodies
        self.lessons = {(self.pack_keys[row.pack_id], row.key): row for row in outlines}
        self.courses = {
            (self.pack_keys[c.pack_id], c.key): c for c in CourseRepository(session, org_id).all()
        }
        self.prerequisites = {
            (self.pack_keys[s.pack_id], s.key): list(s.prerequisites)
            for s in SkillRepository(session, org_id).all()
        }
        self.order: dict[int, int] = {}
        for (pack_key, _), course in self.courses.items():
            for row in self.course_lessons(pack_key, course.modules):
                self.order.setdefault(row.id, len(self.order))
        # Lessons outside every course follow, in pack order.
        for row in self.lessons.values():
            self.order.setdefault(row.id, len(self.order))

    def course_lessons(self, pack_key: str, modules: list[dict[str, object]]) -> list[LessonRow]:
        found = []
        for module in modules:
            lesson_keys = module.get("lessons", [])
            assert isinstance(lesson_keys, list)
            for lesson_key in lesson_keys:
                row = self.lessons.get((pack_key, str(lesson_key)))
                if row is not None:
                    found.append(row)
        return found

    def skill_closure(self, pack_key: str, skill_key: str) -> set[tuple[str, str]]:
        seen: set[tuple[str, str]] = set()
        stack = [(pack_key, skill_key)]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            for prerequisite in self.prerequisites.get(current, []):
                other_pack, sep, other_key = prerequisite.partition(":")
                stack.append((other_pack, other_key) if sep else (current[0], prerequisite))
        return seen

    def lessons_for(self, kind: GoalKind, target: str) -> list[LessonRow]:
        pack_key, key = split_target(target)
        if kind is GoalKind.COURSE:
            course = self.courses.get((pack_key, key))
            return self.course_lessons(pack_key, course.modules) if course else []
        if kind is GoalKind.LESSON:
            row = self.lessons.get((pack_key, key))
            return [row] if row else []
        skills = self.skill_closure(pack_key, key)
        teaching = [
            row
            for (lesson_pack, _), row in self.lessons.items()
            if any((lesson_pack, skill) in skills for skill in row.skills)
        ]
        return sorted(teaching, key=lambda row: self.order[row.id])

    def everything(self) -> list[LessonRow]:
        """With no goal: every course's lessons in course order, then lessons outside every course."""
        return sorted(self.lessons.values(), key=lambda row: self.order[row.id])


def _unique(rows: Sequence[LessonRow]) -> list[LessonRow]:
    seen: set[int] = set()
    unique = []
    for row in rows:
        if row.id not in seen:
            seen.add(row.id)
            unique.append(row)
    return unique


def goal_lessons(session: Session, org_id: int, goals: Sequence[tuple[str, str]]) -> list[LessonRow]:
    """The lessons toward `goals` ((kind, target) pairs, most urgent first), each once; with no goal, every
    course's lessons in course order. Goals whose content was removed since are skipped."""
    catalogue = _Catalogue(session, org_id)
    if not goals:
        return catalogue.everything()
    rows: list[LessonRow] = []
    for kind, target in goals:
        rows.extend(catalogue.lessons_for(GoalKind(kind), target))
    return _unique(rows)
