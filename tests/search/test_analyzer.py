"""Text analysis: stems, stop words, tldr mnemonics, compounds and quoted values."""

from __future__ import annotations

from skillbite.search.analyzer import analyze, query_tokens, words


def test_stems_and_stop_words() -> None:
    assert analyze("How do I list the running processes?") == ["list", "run", "process"]


def test_tldr_mnemonics_and_placeholders_are_plain_words() -> None:
    assert words("E[x]tract a [c]ompressed {{path/to/file}}") == [
        "extract",
        "a",
        "compressed",
        "path",
        "to",
        "file",
    ]


def test_compounds_keep_the_whole_and_the_parts() -> None:
    assert analyze("apt-get file.txt c++") == ["apt-get", "apt", "get", "file.txt", "file", "txt", "c++"]


def test_quoted_words_are_marked() -> None:
    tokens = query_tokens('Search "needle" in `haystack.log` and print lines')
    assert [(t.surface, t.quoted) for t in tokens] == [
        ("search", False),
        ("needle", True),
        ("haystack.log", True),
        ("print", False),
        ("lines", False),
    ]
    assert tokens[-1].stem == "line"
