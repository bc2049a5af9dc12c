"""Where each id of a pack is declared and where it is referred to, for cross-file checks.

The readers fill it while parsing (they know the lines); the checks in `pack_checks` read it once the
whole pack is parsed, so a problem such as "this course names a lesson that does not exist" can point
at the exact line of the course file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DeclaredKind = Literal["skill", "lesson", "item", "course", "module"]
ReferenceKind = Literal["skill", "prerequisite", "lesson", "media"]


@dataclass(frozen=True)
class Declaration:
    kind: DeclaredKind
    id: str
    file: str
    line: int
    field: str
    scope: str = ""
    """For modules: the course they belong to (module ids are unique within a course)."""


@dataclass(frozen=True)
class Reference:
    kind: ReferenceKind
    target: str
    owner: str
    """Who refers: the skill whose prerequisite this is, the lesson using the skill or media, the course."""
    file: str
    line: int
    field: str


@dataclass
class SourceIndex:
    declarations: list[Declaration] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)
    """Files whose front matter could not be read: their ids are unknown, so references to them are not
    reported as dangling (the file's own error says what to fix)."""

    def declare(
        self, kind: DeclaredKind, id_: str, file: str, line: int, field_: str, scope: str = ""
    ) -> None:
        if id_:
            self.declarations.append(Declaration(kind, id_, file, line, field_, scope))

    def refer(self, kind: ReferenceKind, target: str, owner: str, file: str, line: int, field_: str) -> None:
        if target:
            self.references.append(Reference(kind, target, owner, file, line, field_))

    def declared(self, kind: DeclaredKind) -> list[Declaration]:
        return [d for d in self.declarations if d.kind == kind]

    def referring(self, kind: ReferenceKind) -> list[Reference]:
        return [r for r in self.references if r.kind == kind]
