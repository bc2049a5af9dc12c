"""Problems found in a pack, and the report that collects them all.

A problem says what is wrong, where (the file relative to the pack root, the line, the field) and how
to fix it. Its text form is the one compilers use, so editors and CI logs turn it into a link:

    lessons/git-undo.md:14: error: item git-undo.q1 has no accepted answer (answers) -- add answers: ["..."]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    severity: Severity
    file: str
    """Posix path relative to the pack root, e.g. `lessons/git-undo.md`."""
    line: int | None
    """1-based line in `file`; None when the problem is the file as a whole (missing, unused, not read)."""
    field: str | None
    """The field at fault, e.g. `skills[2].prerequisites`, or None for the file as a whole."""
    message: str
    hint: str = ""
    """How to fix it."""

    @property
    def location(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"

    def format(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        if self.field:
            text += f" ({self.field})"
        if self.hint:
            text += f" -- {self.hint}"
        return text

    def __str__(self) -> str:
        return self.format()


def _sort_key(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.file, problem.line or 0, 0 if problem.severity == "error" else 1, problem.message)


@dataclass
class ValidationReport:
    """Every problem of a pack, errors and warnings, in the order they were found."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def error(
        self, file: str, line: int | None, message: str, *, field: str | None = None, hint: str = ""
    ) -> None:
        self.add(Problem("error", file, line, field, message, hint))

    def warning(
        self, file: str, line: int | None, message: str, *, field: str | None = None, hint: str = ""
    ) -> None:
        self.add(Problem("warning", file, line, field, message, hint))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def sorted(self) -> list[Problem]:
        """By file, then line, errors before warnings on the same line."""
        return sorted(self.problems, key=_sort_key)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self.problems)

    def summary(self) -> str:
        """E.g. `2 errors, 1 warning in 2 files` or `no problems`."""
        if not self.problems:
            return "no problems"
        files = len({p.file for p in self.problems})
        return (
            f"{_plural(len(self.errors), 'error')}, {_plural(len(self.warnings), 'warning')} "
            f"in {_plural(files, 'file')}"
        )

    def format(self) -> str:
        """One line per problem, sorted, then the summary line."""
        return "\n".join([*(p.format() for p in self.sorted()), self.summary()])


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
