"""Text analysis shared by indexing and querying: tokens, stop words and Snowball (Porter 2) stems.

Both backends index text that this module has already analysed (space-separated stems), so SQLite FTS5
and PostgreSQL (`simple` configuration) see the same terms and agree on what matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

# Words that carry no intent in a request ("how do I ...", "show me the ..."). Deliberately short: verbs such
# as "show", "list", "find" are content words here, because they often name what the learner wants.
_STOP_WORD_LINES = (
    "a about above after again against all am an and any are as at be because been before being below",
    "between both but by can could did do does doing down during each few for from further had has have",
    "having he her here hers herself him himself his how i if in into is it its itself just me more most",
    "my myself no nor not of off on once only or other our ours ourselves out over own same she should so",
    "some such than that the their theirs them themselves then there these they this those through to too",
    "under until up very was we were what when where which while who whom why will with would you your",
    "yours yourself yourselves want wanna need please way e.g i.e etc using use given specified",
)
STOP_WORDS: frozenset[str] = frozenset(word for line in _STOP_WORD_LINES for word in line.split())

# Tokens: words with inner hyphens, dots, pluses or underscores (`git-reset`, `apt-get`, `base64`, `c++`),
# or bare operators that are whole command names (`[`, `!`), matched only when they stand alone.
_TOKEN = re.compile(r"[a-z0-9]+(?:[-_.+][a-z0-9+]+)*\+*")
# tldr-pages marks mnemonics with brackets inside words: "E[x]tract", "[c]reate" -> "Extract", "create".
_MNEMONIC = re.compile(r"(?<=\w)\[(\w)\]|\[(\w)\](?=\w)")
# `{{path/to/file}}` placeholders: keep their words, drop the braces.
_PLACEHOLDER_BRACES = re.compile(r"\{\{|\}\}")

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball English stem of a lowercase word; words with digits or symbols are kept as they are."""
    if not word.isalpha():
        return word
    return str(_stemmer.stemWord(word))


def clean(text: str) -> str:
    """Lowercase text with tldr-style mnemonic brackets and placeholder braces removed."""
    text = _MNEMONIC.sub(lambda m: m.group(1) or m.group(2), text)
    return _PLACEHOLDER_BRACES.sub(" ", text).lower()


def words(text: str) -> list[str]:
    """Surface words of `text`, lowercased, in order (stop words included)."""
    return _TOKEN.findall(clean(text))


@dataclass(frozen=True)
class Token:
    """One query or document word: its surface form, its stem, and whether it sat inside quotes."""

    surface: str
    stem: str
    quoted: bool = False


def word_terms(word: str) -> list[str]:
    """Index terms for one surface word: its stem, plus the stems of its parts when it is a compound.

    `git-reset` gives `git-reset`, `git`, `reset`; `file.txt` gives `file.txt`, `file`, `txt`.
    """
    terms = [stem(word)]
    parts = [p for p in re.split(r"[-_.]", word) if p]
    if len(parts) > 1:
        terms.extend(stem(p) for p in parts if p not in STOP_WORDS)
    return terms


def analyze(text: str) -> list[str]:
    """Index terms of a text: stop words dropped, compounds split, words stemmed."""
    terms: list[str] = []
    for word in words(text):
        if word in STOP_WORDS:
            continue
        terms.extend(word_terms(word))
    return terms


def analyze_joined(text: str) -> str:
    """`analyze` as one space-separated string, the form both backends store and match."""
    return " ".join(analyze(text))


_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'|`[^`]*`")


def query_tokens(query: str) -> list[Token]:
    """Content words of a query, in order, each marked when it sat inside quotes or backticks.

    Quoted text in a request is usually a value (a file name, a pattern), not the intent, so ranking gives
    it less weight, except when it names a command.
    """
    tokens: list[Token] = []
    position = 0
    for match in _QUOTED.finditer(query):
        tokens.extend(_plain_tokens(query[position : match.start()], quoted=False))
        tokens.extend(_plain_tokens(match.group(0)[1:-1], quoted=True))
        position = match.end()
    tokens.extend(_plain_tokens(query[position:], quoted=False))
    return tokens


def _plain_tokens(text: str, *, quoted: bool) -> list[Token]:
    return [Token(w, stem(w), quoted) for w in words(text) if w not in STOP_WORDS]
