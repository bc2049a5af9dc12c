"""Validate a pack: every problem at once, each with file:line, field and a fix.

This is what `skillbite pack validate PATH` runs. It reads the pack exactly as the import does (the
same parser, the same checks), so a pack that validates without errors imports.

    report = validate_pack(Path("my-pack"))
    print(report.format())          # `file:line: error: message (field) -- hint` lines and a summary
    exit_code = 0 if report.ok else 1
"""

from __future__ import annotations

from pathlib import Path

from skillbite.content.pack_reader import read_pack
from skillbite.content.problems import ValidationReport


def validate_pack(path: Path) -> ValidationReport:
    """All the problems of the pack folder or .zip at `path`; `report.ok` is False when any is an error."""
    _pack, report = read_pack(path)
    return report
