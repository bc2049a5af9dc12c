"""Checking a learner's answer to a practice item.

`check_answer(item, answer)` says whether the answer is right, how much of it is right (the score the
grading rules turn into a memory grade) and what to tell the learner about their answer. The item's
`explanation` is not repeated in `feedback`: the player shows it after every answer.

Answer shapes, by item kind:

- multiple_choice: a choice index (int), a choice text (str), or a collection of them when several
  choices are correct; indices refer to the authored order, whatever order the player showed.
- true_false: a bool.
- cloze: one string per deletion, in the order the deletions appear in the text (a plain string when
  the text has a single deletion).
- typed_answer: a string.
- ordering: the steps as the learner ordered them, as authored indices (ints) or step texts.
- matching: a mapping from each left text to the right text the learner chose.
- flashcard: the learner's self-grade, 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import assert_never

from skillbite.domain.content import (
    Cloze,
    Flashcard,
    Item,
    Matching,
    MultipleChoice,
    Ordering,
    TrueFalse,
    TypedAnswer,
)

SENTENCE_PUNCTUATION = frozenset(".,;:!?'\"‘’“”«»„‚¿¡…")
"""What `normalize_punctuation` forgives. Symbols such as - ~ / | $ are kept on purpose: in commands and
code they change the meaning (`--soft` is not `soft`)."""

_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_PLACEHOLDER = re.compile(r"\{\{(.+?)\}\}")
_ALTERNATIVE_SEPARATOR = re.compile(r"(?<!\\)\|")


class AnswerFormatError(ValueError):
    """The answer does not have the shape the item kind expects (a client bug, not a wrong answer)."""


@dataclass(frozen=True)
class AnswerResult:
    correct: bool
    score: float
    """Share of the answer that is right, 0.0 to 1.0."""
    feedback: str
    """About this answer (the expected answer, the chosen choice's feedback); may be empty."""


@dataclass(frozen=True)
class ClozeDeletion:
    """One `{{cN::answer::hint}}` of a cloze text; `start`/`end` are its character span in the text."""

    number: int
    answers: tuple[str, ...]
    hint: str | None
    start: int
    end: int


def cloze_deletions(text: str) -> list[ClozeDeletion]:
    """The deletions of a cloze text in reading order. Alternatives are split on `|` (`\\|` is a literal
    pipe, for shell answers such as `ls \\| wc -l`)."""
    deletions = []
    for match in _CLOZE.finditer(text):
        alternatives = tuple(
            part.replace("\\|", "|").strip() for part in _ALTERNATIVE_SEPARATOR.split(match.group(2))
        )
        deletions.append(
            ClozeDeletion(
                number=int(match.group(1)),
                answers=tuple(a for a in alternatives if a),
                hint=match.group(3),
                start=match.start(),
                end=match.end(),
            )
        )
    return deletions


def normalize_text(text: str, *, case: bool = True, spaces: bool = True, punctuation: bool = True) -> str:
    """The form two answers are compared in. Unicode is always NFC-normalised and the ends stripped."""
    return _normalize_part(text, case=case, spaces=spaces, punctuation=punctuation).strip()


def check_answer(item: Item, answer: object) -> AnswerResult:
    body = item.body
    if isinstance(body, MultipleChoice):
        return _check_multiple_choice(body, answer)
    if isinstance(body, TrueFalse):
        return _check_true_false(body, answer)
    if isinstance(body, Cloze):
        return _check_cloze(body, answer)
    if isinstance(body, TypedAnswer):
        return _check_typed(body, answer)
    if isinstance(body, Ordering):
        return _check_ordering(body, answer)
    if isinstance(body, Matching):
        return _check_matching(body, answer)
    if isinstance(body, Flashcard):
        return _check_flashcard(body, answer)
    assert_never(body)


def typed_answer_matches(item: TypedAnswer, answer: str) -> bool:
    """Whether `answer` matches one of the item's accepted answers under the item's flags."""
    flags = {
        "case": item.normalize_case,
        "spaces": item.normalize_spaces,
        "punctuation": item.normalize_punctuation,
    }
    given = normalize_text(answer, **flags)
    for accepted in item.answers:
        if item.placeholders_any:
            if _matches_with_placeholders(accepted, given, flags):
                return True
        elif given == normalize_text(accepted, **flags):
            return True
    return False


def _normalize_part(text: str, *, case: bool, spaces: bool, punctuation: bool) -> str:
    text = unicodedata.normalize("NFC", text)
    if case:
        text = text.casefold()
    if punctuation:
        text = "".join(ch for ch in text if ch not in SENTENCE_PUNCTUATION)
    if spaces:
        text = re.sub(r"\s+", " ", text)
    return text


def _matches_with_placeholders(accepted: str, given: str, flags: dict[str, bool]) -> bool:
    """Glob-style match where each `{{...}}` stands for one or more characters.

    A dynamic-programming match rather than a regex, so that an answer full of near misses cannot make
    the check backtrack for seconds.
    """
    tokens: list[str | None] = []  # a character, or None for a placeholder
    pieces = _PLACEHOLDER.split(accepted)
    for index, piece in enumerate(pieces):
        if index % 2 == 1:
            tokens.append(None)
        else:
            literal = _normalize_part(piece, **flags)
            if index == 0:
                literal = literal.lstrip()
            if index == len(pieces) - 1:
                literal = literal.rstrip()
            tokens.extend(literal)
    # row[j]: tokens seen so far match given[:j]
    row = [True] + [False] * len(given)
    for token in tokens:
        new = [False] * (len(given) + 1)
        if token is None:
            reachable = False  # some row[k] with k < j is True: the placeholder takes given[k:j]
            for j in range(1, len(given) + 1):
                reachable = reachable or row[j - 1]
                new[j] = reachable
        else:
            for j in range(1, len(given) + 1):
                new[j] = row[j - 1] and given[j - 1] == token
        row = new
    return row[len(given)]


def _check_multiple_choice(body: MultipleChoice, answer: object) -> AnswerResult:
    picked = _choice_indices(body, answer)
    right = {i for i, choice in enumerate(body.choices) if choice.correct}
    hits = len(picked & right)
    false_picks = len(picked - right)
    score = max(0, hits - false_picks) / len(right) if right else 0.0
    correct = picked == right
    notes = [body.choices[i].feedback for i in sorted(picked) if body.choices[i].feedback]
    if not correct:
        expected = "; ".join(body.choices[i].text for i in sorted(right))
        notes.append(f"Right answer{'s' if len(right) > 1 else ''}: {expected}")
    return AnswerResult(correct, 1.0 if correct else score, "\n".join(notes))


def _choice_indices(body: MultipleChoice, answer: object) -> set[int]:
    raw: list[object]
    if isinstance(answer, int | str):
        raw = [answer]
    elif isinstance(answer, Sequence | set | frozenset):
        raw = list(answer)
    else:
        raise AnswerFormatError(
            f"multiple_choice answer must be a choice index or a list of them, not {type(answer).__name__}"
        )
    texts = [choice.text for choice in body.choices]
    picked: set[int] = set()
    for value in raw:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise AnswerFormatError(f"multiple_choice answer {value!r} is neither a choice index nor a text")
        if isinstance(value, str):
            if value not in texts:
                raise AnswerFormatError(f"{value!r} is not one of the choices")
            picked.add(texts.index(value))
        elif 0 <= value < len(texts):
            picked.add(value)
        else:
            raise AnswerFormatError(f"choice index {value} is out of range 0..{len(texts) - 1}")
    return picked


def _check_true_false(body: TrueFalse, answer: object) -> AnswerResult:
    if not isinstance(answer, bool):
        raise AnswerFormatError(f"true_false answer must be true or false, not {answer!r}")
    correct = answer == body.answer
    return AnswerResult(correct, float(correct), "" if correct else f"It is {str(body.answer).lower()}.")


def _check_cloze(body: Cloze, answer: object) -> AnswerResult:
    deletions = cloze_deletions(body.text)
    given = [answer] if isinstance(answer, str) else answer
    if not isinstance(given, Sequence) or not all(isinstance(g, str) for g in given):
        raise AnswerFormatError("cloze answer must be a list of strings, one per deletion")
    if len(given) != len(deletions):
        raise AnswerFormatError(f"cloze answer has {len(given)} parts but the text has {len(deletions)} gaps")
    right = 0
    misses = []
    for deletion, text in zip(deletions, given, strict=True):
        assert isinstance(text, str)
        if normalize_text(text) in {normalize_text(a) for a in deletion.answers}:
            right += 1
        else:
            misses.append(deletion.answers[0] if deletion.answers else "")
    score = right / len(deletions) if deletions else 0.0
    feedback = "" if not misses else "Expected: " + ", ".join(misses)
    return AnswerResult(not misses and bool(deletions), score, feedback)


def _check_typed(body: TypedAnswer, answer: object) -> AnswerResult:
    if not isinstance(answer, str):
        raise AnswerFormatError(f"typed_answer answer must be a string, not {type(answer).__name__}")
    correct = typed_answer_matches(body, answer)
    feedback = "" if correct or not body.answers else f"Expected: {body.answers[0]}"
    return AnswerResult(correct, float(correct), feedback)


def _check_ordering(body: Ordering, answer: object) -> AnswerResult:
    if isinstance(answer, str) or not isinstance(answer, Sequence):
        raise AnswerFormatError("ordering answer must be a list of step indices or step texts")
    positions: list[int] = []
    for value in answer:
        if isinstance(value, str) and value in body.steps:
            positions.append(body.steps.index(value))
        elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(body.steps):
            positions.append(value)
        else:
            raise AnswerFormatError(f"{value!r} is not one of the steps")
    if sorted(positions) != list(range(len(body.steps))):
        raise AnswerFormatError("ordering answer must list every step exactly once")
    pairs = len(positions) - 1
    right_pairs = sum(1 for a, b in pairwise(positions) if b == a + 1)
    correct = positions == list(range(len(body.steps)))
    score = 1.0 if correct else (right_pairs / pairs if pairs > 0 else 0.0)
    feedback = "" if correct else "Right order: " + " → ".join(body.steps)
    return AnswerResult(correct, score, feedback)


def _check_matching(body: Matching, answer: object) -> AnswerResult:
    if not isinstance(answer, Mapping):
        raise AnswerFormatError("matching answer must map each left text to a right text")
    expected = {pair.left: pair.right for pair in body.pairs}
    unknown = [left for left in answer if left not in expected]
    if unknown:
        raise AnswerFormatError(f"{unknown[0]!r} is not a left-hand side of this matching item")
    wrong = [left for left, right in expected.items() if answer.get(left) != right]
    score = (len(expected) - len(wrong)) / len(expected) if expected else 0.0
    feedback = "\n".join(f"{left} → {expected[left]}" for left in wrong)
    return AnswerResult(not wrong and bool(expected), score, feedback)


def _check_flashcard(body: Flashcard, answer: object) -> AnswerResult:
    if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= 4:
        raise AnswerFormatError("flashcard answer is a self-grade: 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)")
    correct = answer >= 2
    return AnswerResult(correct, float(correct), body.back)
