"""A lesson's summary in plain words (its first paragraph), for the semantic stage's lesson passages.

The search index stores analysed stems, which a sentence-embedding model reads poorly, so the plain text is
read from the content tables: the first paragraph of the lesson body after any heading (for tldr-pages: the
page description, "Archiving utility. Supports .tar.gz ..."), Markdown marks and links removed; a line
that held a URL and keeps fewer than `MIN_WORDS` words without it is dropped (tldr's "More information:
<url>"); at most `MAX_WORDS` words.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

from skillbite.domain.ids import OrgId

MIN_WORDS = 3
MAX_WORDS = 64

_SUMMARIES = text(
    "SELECT p.key, l.key, l.body FROM lessons l JOIN packs p ON p.id = l.pack_id "
    "WHERE l.org_id = :org AND l.retired_at IS NULL"
)
_URL = re.compile(r"<?https?://\S+>?")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"^[\s>*#-]+|[`*_]+")


def summary_of(body: str) -> str:
    """The first paragraph of a Markdown lesson body, as plain words."""
    lines: list[str] = []
    for raw in body.strip().splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):  # headings repeat the title
            if lines:
                break
            continue
        without_urls = _URL.sub("", _LINK.sub(r"\1", raw))
        line = _MARKS.sub("", without_urls).strip()
        if line and (without_urls == raw or len(line.split()) >= MIN_WORDS):
            lines.append(line)
    return " ".join(" ".join(lines).split()[:MAX_WORDS])


def lesson_summaries(conn: Connection, org_id: OrgId) -> dict[tuple[str, str], str]:
    """Summary of every active lesson of the organisation, keyed by (pack key, lesson key)."""
    return {
        (str(pack), str(lesson)): summary_of(str(body))
        for pack, lesson, body in conn.execute(_SUMMARIES, {"org": org_id})
    }
