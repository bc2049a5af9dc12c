"""A lesson's prior: how likely it is to be what someone asks about, before reading the question.

BM25 favours obscure lessons: a rare word in a question matches few lessons, and those are often niche tools
that happen to use it, ahead of the core tool that answers. People mostly ask about core tools. Three kinds
of evidence, all read from the pack itself:

- **code mentions**: how many other lessons of the pack write the lesson's title as inline code (`` `wc` ``,
  `` `git reset` ``, a command line `ls -1` names `ls -1`, not `ls`): a link count, as in PageRank's first
  step. Core tools are named by many other lessons ("See also: `awk`", "Similar to `grep`");
- **a system manual**: the lesson links to a manual page (`manned.org`, `man7.org`, `man.openbsd.org`,
  the GNU manuals, Apple's man pages, Microsoft's Windows commands reference), i.e. it documents a tool that
  ships with an operating system rather than a project of its own;
- **general scope**: the lesson's source sits in a `common` folder (tldr-pages keeps there the commands
  that work the same on every platform; platform folders hold the specialised ones).

The weights were chosen on the tuning half of the just-in-time benchmark's dev set and checked on the other
half and on a split by command (docs/benchmarks-jit.md). The prior is added as a multiple of the question's
informative mass, so it weighs the same against the text whatever the question's length. At its largest
(named by 50 lessons, a manual link, `common`) it is about half that mass: enough to reorder close matches,
not to lift a lesson that matches little of the question over one that matches most of it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath

MENTION_WEIGHT = 0.06
"""Per unit of log(1 + code mentions)."""
MANUAL_WEIGHT = 0.12
"""For a lesson that links to a system manual page."""
GENERAL_WEIGHT = 0.12
"""For a lesson whose source sits in a `common` folder."""

GENERAL_FOLDERS = frozenset({"common"})

_CODE_SPAN = re.compile(r"`([^`{}\n]+)`")
MAX_NAME_WORDS = 2
"""Code spans of more words are command lines or values, not names of a lesson."""

_MANUAL_TERMS = frozenset({"man", "manual", "manned.org", "man7.org", "windows-commands"})
"""Analysed body terms that come from a link to a manual page (the analyser keeps `manned.org` whole and
splits `man.openbsd.org` into `man`, `openbsd`, `org`)."""


def inline_code_names(text: str) -> frozenset[str]:
    """Lowercased names written as inline code in Markdown text (one or two words, no placeholders)."""
    names = set()
    for match in _CODE_SPAN.finditer(text):
        name = " ".join(match.group(1).split()).lower()
        if name and len(name.split()) <= MAX_NAME_WORDS:
            names.add(name)
    return frozenset(names)


def code_mentions(titles: Sequence[str], names_per_lesson: Sequence[Iterable[str]]) -> list[int]:
    """For each lesson (by title), how many *other* lessons name it in inline code.

    `names_per_lesson[i]` are the code names of lesson i (`inline_code_names`). Lessons sharing a title (the
    same command on two platforms) do not count each other.
    """
    counts: Counter[str] = Counter()
    for title, names in zip(titles, names_per_lesson, strict=True):
        counts.update(set(names) - {title.lower()})
    return [counts.get(title.lower(), 0) for title in titles]


def links_to_manual(body_terms: str) -> bool:
    """Whether a lesson's analysed body carries a link to a manual page."""
    return any(
        term in _MANUAL_TERMS or term.startswith("man.") or "-man-" in term for term in body_terms.split()
    )


def is_general(source: str | None) -> bool:
    """Whether the lesson's source path sits in a general (platform-independent) folder."""
    return source is not None and any(part in GENERAL_FOLDERS for part in PurePosixPath(source).parts[:-1])


def lesson_prior(mentions: int, body_terms: str, source: str | None) -> float:
    """The lesson's prior, in multiples of a question's informative mass (0 for a lesson with no evidence)."""
    prior = MENTION_WEIGHT * math.log1p(max(mentions, 0))
    if links_to_manual(body_terms):
        prior += MANUAL_WEIGHT
    if is_general(source):
        prior += GENERAL_WEIGHT
    return prior
