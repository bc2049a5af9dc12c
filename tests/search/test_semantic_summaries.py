"""Lesson summaries for the semantic stage: the first paragraph of a lesson, in plain words."""

from __future__ import annotations

import pytest

from skillbite.content.demo_packs import demo_pack_paths
from skillbite.domain.ids import OrgId
from skillbite.search.lesson_summaries import MAX_WORDS, lesson_summaries, summary_of
from skillbite.wiring import System

TLDR_TAR = (
    "> Archiving utility.\n> Often combined with a compression method, such as `gzip` or `bzip2`.\n"
    "> More information: <https://www.gnu.org/software/tar>.\n\n"
    "- [c]reate an archive and write it to a [f]ile:\n\n`tar cf {{path/to/target.tar}} {{path/to/file1}}`"
)


@pytest.mark.parametrize(
    ("body", "summary"),
    [
        (TLDR_TAR, "Archiving utility. Often combined with a compression method, such as gzip or bzip2."),
        ("# Undo\n\nUse [git reset](https://x.org) to *move* HEAD.\n\nMore.", "Use git reset to move HEAD."),
        ("> See also: <https://example.com/a>.\n> Remove files.", "Remove files."),
        ("", ""),
        ("word " * 200, " ".join(["word"] * MAX_WORDS)),
    ],
)
def test_summary_is_the_first_paragraph_in_plain_words(body: str, summary: str) -> None:
    assert summary_of(body) == summary


@pytest.mark.storage
def test_every_lesson_of_the_organisation_has_its_summary(system: System) -> None:
    org = OrgId(system.organisations.get("default").id)
    for path in demo_pack_paths():
        system.content.import_pack(org, path)
    with system.db.engine.connect() as conn:
        summaries = lesson_summaries(conn, org)
        other = lesson_summaries(conn, OrgId(org + 1000))
    assert summaries and other == {}
    assert all(isinstance(key, tuple) and len(key) == 2 for key in summaries)
    assert sum(1 for text in summaries.values() if len(text.split()) >= 3) >= 0.9 * len(summaries)
