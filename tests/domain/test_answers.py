"""check_answer: what counts as right for each item kind, with scores and feedback."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillbite.domain.answers import AnswerFormatError, check_answer, cloze_deletions, normalize_text
from skillbite.domain.content import (
    Choice,
    Cloze,
    Flashcard,
    Item,
    ItemBody,
    Matching,
    MatchPair,
    MultipleChoice,
    Ordering,
    TrueFalse,
    TypedAnswer,
)
from skillbite.domain.ids import ItemId


def item(body: ItemBody) -> Item:
    return Item(id=ItemId("q"), body=body, explanation="why")


SINGLE = item(
    MultipleChoice("Which?", (Choice("soft", True, "Yes."), Choice("hard", False, "That deletes.")))
)
SEVERAL = item(
    MultipleChoice("Which?", (Choice("HEAD~1", True), Choice("HEAD^", True), Choice("HEAD", False)))
)


def test_single_choice_by_index_or_text() -> None:
    assert check_answer(SINGLE, 0).correct
    assert check_answer(SINGLE, "soft").correct
    wrong = check_answer(SINGLE, 1)
    assert (wrong.correct, wrong.score) == (False, 0.0)
    assert wrong.feedback == "That deletes.\nRight answer: soft"


def test_several_correct_choices_need_the_exact_set() -> None:
    assert check_answer(SEVERAL, [0, 1]).correct
    assert check_answer(SEVERAL, {1, 0}).score == 1.0
    partial = check_answer(SEVERAL, [0])
    assert (partial.correct, partial.score) == (False, 0.5)
    assert check_answer(SEVERAL, [0, 1, 2]).correct is False
    assert check_answer(SEVERAL, [0, 2]).score == 0.0, "a wrong pick cancels a right one"
    assert "Right answers: HEAD~1; HEAD^" in partial.feedback


@pytest.mark.parametrize("answer", [5, -1, "nope", True, 1.5, None])
def test_multiple_choice_refuses_answers_that_name_no_choice(answer: object) -> None:
    with pytest.raises(AnswerFormatError):
        check_answer(SINGLE, answer)


def test_true_false() -> None:
    statement = item(TrueFalse("HEAD~1 and HEAD^ name the same commit here.", True))
    assert check_answer(statement, True).correct
    assert check_answer(statement, False).feedback == "It is true."
    with pytest.raises(AnswerFormatError):
        check_answer(statement, "true")


def test_cloze_deletions_with_hints_and_alternatives() -> None:
    deletions = cloze_deletions("Use {{c1::reset|revert::undo}} then {{c2::ls \\| wc -l}}.")
    assert [(d.number, d.answers, d.hint) for d in deletions] == [
        (1, ("reset", "revert"), "undo"),
        (2, ("ls | wc -l",), None),
    ]
    assert cloze_deletions("no gaps") == []


def test_cloze_needs_one_answer_per_deletion() -> None:
    cloze = item(Cloze("git {{c1::reset|revert}} --{{c2::soft}} HEAD~1"))
    assert check_answer(cloze, ["Revert", " soft "]).correct
    half = check_answer(cloze, ["reset", "hard"])
    assert (half.correct, half.score, half.feedback) == (False, 0.5, "Expected: soft")
    with pytest.raises(AnswerFormatError, match="2 gaps"):
        check_answer(cloze, ["reset"])
    assert check_answer(item(Cloze("{{c1::commit}} it")), "commit").correct


def test_typed_answer_forgives_case_spaces_and_sentence_punctuation_by_default() -> None:
    typed = item(TypedAnswer("Capital of France?", ("Paris",)))
    assert check_answer(typed, "  paris. ").correct
    assert check_answer(typed, "PARIS!").correct
    assert not check_answer(typed, "Pariss").correct
    assert check_answer(typed, "Lyon").feedback == "Expected: Paris"


def test_typed_answer_keeps_symbols_that_change_a_command() -> None:
    typed = item(TypedAnswer("Undo, keep staged", ("git reset --soft HEAD~1",)))
    assert check_answer(typed, "git  reset --soft   HEAD~1").correct
    assert not check_answer(typed, "git reset soft HEAD1").correct


def test_typed_answer_flags_turn_forgiveness_off() -> None:
    strict = item(
        TypedAnswer(
            "Env var?", ("PATH",), normalize_case=False, normalize_punctuation=False, normalize_spaces=False
        )
    )
    assert not check_answer(strict, "path").correct
    assert not check_answer(strict, "PATH.").correct
    assert check_answer(strict, " PATH ").correct, "the ends are always trimmed"
    spaced = item(TypedAnswer("Two words", ("a b",), normalize_spaces=False))
    assert not check_answer(spaced, "a  b").correct


def test_typed_answer_accepts_unicode_in_either_normal_form() -> None:
    typed = item(TypedAnswer("Café?", ("café",)))
    assert check_answer(typed, "cafe\u0301").correct


def test_placeholders_match_any_non_empty_value() -> None:
    tldr = item(
        TypedAnswer(
            "Extract", ("tar xf {{path/to/file.tar}}",), placeholders_any=True, normalize_punctuation=False
        )
    )
    assert check_answer(tldr, "tar xf backup.tar").correct
    assert check_answer(tldr, "tar xf my dir/backup.tar").correct
    assert not check_answer(tldr, "tar xf ").correct, "a placeholder needs a value"
    assert not check_answer(tldr, "tar cf backup.tar").correct
    two = item(TypedAnswer("Copy", ("cp {{source}} {{target}}",), placeholders_any=True))
    assert check_answer(two, "cp a.txt b.txt").correct
    assert not check_answer(two, "cp a.txt").correct


def test_without_the_flag_placeholders_are_literal() -> None:
    literal = item(TypedAnswer("Braces", ("echo {{x}}",)))
    assert check_answer(literal, "echo {{x}}").correct
    assert not check_answer(literal, "echo hello").correct


def test_placeholder_matching_stays_fast_on_long_near_misses() -> None:
    many = item(TypedAnswer("Many", ("{{a}} {{b}} {{c}} {{d}} {{e}} end",), placeholders_any=True))
    assert not check_answer(many, "x " * 2000).correct  # a backtracking regex would take minutes


@settings(deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_normalising_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


ORDER = item(Ordering("Order", ("edit", "stage", "commit", "push")))


def test_ordering_needs_the_exact_order_and_scores_adjacent_pairs() -> None:
    assert check_answer(ORDER, [0, 1, 2, 3]).correct
    assert check_answer(ORDER, ["edit", "stage", "commit", "push"]).correct
    swapped = check_answer(ORDER, [0, 1, 3, 2])  # edit-stage right; stage-push, push-commit wrong
    assert (swapped.correct, swapped.score) == (False, pytest.approx(1 / 3))
    assert swapped.feedback == "Right order: edit → stage → commit → push"
    with pytest.raises(AnswerFormatError, match="exactly once"):
        check_answer(ORDER, [0, 0, 1, 2])


def test_matching_maps_left_to_right() -> None:
    matching = item(Matching("Match", (MatchPair("--soft", "staged"), MatchPair("--hard", "gone"))))
    assert check_answer(matching, {"--soft": "staged", "--hard": "gone"}).correct
    crossed = check_answer(matching, {"--soft": "gone", "--hard": "gone"})
    assert (crossed.correct, crossed.score, crossed.feedback) == (False, 0.5, "--soft → staged")
    assert check_answer(matching, {"--soft": "staged"}).score == 0.5, "an unanswered pair is wrong"
    with pytest.raises(AnswerFormatError):
        check_answer(matching, {"--mixed": "unstaged"})


@pytest.mark.parametrize(("grade", "correct"), [(1, False), (2, True), (3, True), (4, True)])
def test_flashcard_is_self_graded(grade: int, correct: bool) -> None:
    card = item(Flashcard("HEAD~1?", "The parent commit"))
    result = check_answer(card, grade)
    assert result.correct is correct
    assert result.score == float(correct)
    assert result.feedback == "The parent commit"


@pytest.mark.parametrize("grade", [0, 5, "3", True])
def test_flashcard_refuses_grades_outside_1_to_4(grade: object) -> None:
    with pytest.raises(AnswerFormatError, match="self-grade"):
        check_answer(item(Flashcard("f", "b")), grade)


@settings(deadline=None)
@given(st.lists(st.integers(0, 3), min_size=4, max_size=4, unique=True))
def test_scores_stay_between_0_and_1(order: list[int]) -> None:
    result = check_answer(ORDER, order)
    assert 0.0 <= result.score <= 1.0
    assert result.correct == (result.score == 1.0)
