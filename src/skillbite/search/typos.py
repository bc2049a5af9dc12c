"""Typo tolerance: candidate corrections of a query word against the index vocabulary.

Only words missing from the vocabulary are corrected. Distance 1 is found by generating every one-edit
variant and asking the index which exist (one indexed lookup); distance 2 is checked, for longer words,
against vocabulary terms sharing the word's first two letters, which keeps the comparison set small.
"""

from __future__ import annotations

from string import ascii_lowercase

MIN_LENGTH_TO_CORRECT = 4
MIN_LENGTH_FOR_ANY_EDIT = 6
"""Shorter words are only corrected for swapped neighbours ("lsit"): one other edit turns a short English word
the index does not know into an unrelated one ("bread" -> "read")."""
MIN_LENGTH_FOR_TWO_EDITS = 8


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal-string-alignment distance (insert, delete, substitute, swap neighbours), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        row_min = current[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous_previous[j - 2] + 1)
            current[j] = value
            row_min = min(row_min, value)
        if row_min > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return min(previous[len(b)], limit + 1)


def one_edit_variants(word: str) -> set[str]:
    """Every string one deletion, swap, substitution or insertion away from `word` (lowercase a-z)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    swaps = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    substitutions = {left + c + right[1:] for left, right in splits if right for c in ascii_lowercase}
    inserts = {left + c + right for left, right in splits for c in ascii_lowercase}
    return (deletes | swaps | substitutions | inserts) - {word}


def correctable(word: str) -> bool:
    """Only plain alphabetic words long enough to be mistyped are corrected (not file names or numbers)."""
    return word.isalpha() and len(word) >= MIN_LENGTH_TO_CORRECT


def is_swap(a: str, b: str) -> bool:
    """True when b is a with two neighbouring letters swapped."""
    if len(a) != len(b):
        return False
    differ = [i for i in range(len(a)) if a[i] != b[i]]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and a[differ[0]] == b[differ[1]]
        and a[differ[1]] == b[differ[0]]
    )


def best_correction(word: str, candidates: dict[str, int]) -> str | None:
    """The closest candidate (then the most frequent, then alphabetical) within the allowed distance.

    `candidates` maps vocabulary terms to their document frequency. The allowed distance grows with the
    length of the word: swaps only below MIN_LENGTH_FOR_ANY_EDIT letters, two edits from
    MIN_LENGTH_FOR_TWO_EDITS.
    """
    limit = 2 if len(word) >= MIN_LENGTH_FOR_TWO_EDITS else 1
    scored = []
    for term, df in candidates.items():
        if len(word) < MIN_LENGTH_FOR_ANY_EDIT:
            if is_swap(word, term):
                scored.append((1, -df, term))
            continue
        distance = edit_distance(word, term, limit)
        if distance <= limit:
            scored.append((distance, -df, term))
    return min(scored)[2] if scored else None
