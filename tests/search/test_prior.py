"""A lesson's prior, computed from the pack itself: code mentions by other lessons, a link to a system manual,
a general (platform-independent) folder."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillbite.search.analyzer import analyze_joined
from skillbite.search.prior import (
    GENERAL_WEIGHT,
    MANUAL_WEIGHT,
    MENTION_WEIGHT,
    code_mentions,
    inline_code_names,
    is_general,
    lesson_prior,
    links_to_manual,
)


def test_inline_code_names_are_short_spans_without_placeholders() -> None:
    text = (
        "> Search text. See also: `Grep`, `git  reset`.\n"
        "- Count lines:\n\n`wc -l {{path/to/file}}`\n\n"
        "- Print a long pipeline:\n\n`ls -la | sort -k 5`\n\n- Unstage:\n\n`git reset`"
    )
    assert inline_code_names(text) == frozenset({"grep", "git reset"})


def test_code_mentions_count_other_lessons_once_each() -> None:
    titles = ["grep", "sed", "awk", "grep"]
    names: list[set[str] | list[str]] = [
        {"grep", "sed"},  # a lesson naming itself does not count
        {"grep", "awk"},
        ["grep", "sed", "grep"],  # named twice, counted once
        {"grep"},  # the same command on another platform does not count for either
    ]
    assert code_mentions(titles, names) == [2, 2, 1, 2]


def test_code_mentions_ignore_case_of_titles() -> None:
    assert code_mentions(["Docker", "ps"], [set(), {"docker"}]) == [1, 0]


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://manned.org/sed.1posix", True),
        ("https://man7.org/linux/man-pages/man1/ls.1.html", True),
        ("https://man.openbsd.org/ls", True),
        ("https://www.gnu.org/software/coreutils/manual/html_node/wc-invocation.html", True),
        ("https://keith.github.io/xcode-man-pages/top.1.html", True),
        ("https://learn.microsoft.com/windows-server/administration/windows-commands/dir", True),
        ("https://github.com/BurntSushi/ripgrep", False),
        ("https://docs.docker.com/engine/reference/commandline/ps/", False),
    ],
)
def test_links_to_manual(link: str, expected: bool) -> None:
    body = analyze_joined(f"> A tool.\n> More information: <{link}>.")
    assert links_to_manual(body) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("pages/common/tar.md", True),
        ("pages/linux/tar.md", False),
        ("pages.fr/common/tar.md", True),
        ("common.md", False),
        (None, False),
    ],
)
def test_is_general(source: str | None, expected: bool) -> None:
    assert is_general(source) is expected


def test_prior_adds_its_three_kinds_of_evidence() -> None:
    manual = analyze_joined("More information: <https://manned.org/wc>.")
    assert lesson_prior(0, "plain text", "pages/linux/x.md") == 0.0
    assert lesson_prior(3, manual, "pages/common/wc.md") == pytest.approx(
        MENTION_WEIGHT * math.log(4) + MANUAL_WEIGHT + GENERAL_WEIGHT
    )


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=100))
def test_prior_grows_with_mentions(mentions: int, more: int) -> None:
    assert lesson_prior(mentions + more, "", None) > lesson_prior(mentions, "", None) >= 0.0
