"""Parse one practice item (the YAML of an ```item block) into an `Item`, checking it can be answered.

Besides types and required fields, an item must have a right answer a learner can reach (a correct
choice, a cloze deletion, an accepted answer, two steps or pairs, a flashcard back) and must say why
(the explanation; see ITEM_NEEDS_EXPLANATION for the two exceptions).
"""

from __future__ import annotations

import difflib
import re

from skillbite.content.yaml_fields import Fields
from skillbite.domain.answers import cloze_deletions, normalize_text
from skillbite.domain.content import (
    Choice,
    Cloze,
    Flashcard,
    Item,
    ItemBody,
    ItemKind,
    Matching,
    MatchPair,
    MultipleChoice,
    Ordering,
    TrueFalse,
    TypedAnswer,
)
from skillbite.domain.ids import ItemId

COMMON_FIELDS = frozenset({"id", "type", "explanation", "tags"})
KIND_FIELDS: dict[ItemKind, frozenset[str]] = {
    ItemKind.MULTIPLE_CHOICE: frozenset({"prompt", "choices"}),
    ItemKind.TRUE_FALSE: frozenset({"prompt", "answer"}),
    ItemKind.CLOZE: frozenset({"text"}),
    ItemKind.TYPED_ANSWER: frozenset({"prompt", "answers", "normalize", "placeholders_any"}),
    ItemKind.ORDERING: frozenset({"prompt", "steps"}),
    ItemKind.MATCHING: frozenset({"prompt", "pairs"}),
    ItemKind.FLASHCARD: frozenset({"front", "back"}),
}
NORMALIZE_FIELDS = frozenset({"case", "spaces", "punctuation"})
_BROKEN_CLOZE = re.compile(r"\{\{(?!c\d+::)[^}]*\}\}")


def parse_item(fields: Fields) -> Item | None:
    """The item, or None when it has errors (all of them reported)."""
    errors_before = len(fields.report.errors)
    item_id = fields.identifier("id")
    fields.subject = f"item {item_id}" if item_id else "item"
    kind = _kind(fields)
    if kind is None:
        return None
    fields.check_keys(COMMON_FIELDS | KIND_FIELDS[kind], what=f"this {kind.value} item")
    body = _BODY_PARSERS[kind](fields)
    explanation = fields.text("explanation", required=False)
    tags = fields.text_list("tags", what="tag")
    if not explanation.strip() and _needs_explanation(body):
        fields.error(
            None,
            "missing field 'explanation' (shown after answering, right or wrong)",
            "add `explanation: ...` saying why the right answer is right",
        )
    if len(fields.report.errors) > errors_before or body is None:
        return None
    return Item(id=ItemId(item_id), body=body, explanation=explanation, tags=tags)


def _needs_explanation(body: ItemBody | None) -> bool:
    """A flashcard's back is its explanation; a multiple choice whose every choice has feedback
    already explains each answer."""
    if isinstance(body, Flashcard):
        return False
    if isinstance(body, MultipleChoice) and body.choices:
        return not all(choice.feedback.strip() for choice in body.choices)
    return True


def _kind(fields: Fields) -> ItemKind | None:
    raw = fields.text("type")
    if not raw:
        return None
    try:
        return ItemKind(raw)
    except ValueError:
        kinds = [kind.value for kind in ItemKind]
        close = difflib.get_close_matches(raw.replace("-", "_").lower(), kinds, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else "use one of: " + ", ".join(kinds)
        fields.error("type", f"unknown item type '{raw}'", hint)
        return None


def _required_text(fields: Fields, name: str) -> str:
    return fields.text(name)


def _multiple_choice(fields: Fields) -> MultipleChoice | None:
    prompt = _required_text(fields, "prompt")
    choices: list[Choice] = []
    for entry in fields.mapping_list("choices", what="choice"):
        entry.check_keys({"text", "correct", "feedback"}, what="a choice")
        text = _required_text(entry, "text")
        correct = entry.boolean("correct", default=False)
        feedback = entry.text("feedback", required=False)
        choices.append(Choice(text=text, correct=correct, feedback=feedback))
    if "choices" in fields.values and isinstance(fields.values["choices"], list):
        if len(fields.values["choices"]) < 2:
            fields.error("choices", "a multiple choice needs at least 2 choices", "add the missing choices")
        elif choices and not any(choice.correct for choice in choices):
            fields.error(
                "choices",
                "no choice is marked correct, so no answer can be right",
                "add `correct: true` to the right choice (or to each right choice)",
            )
        _no_duplicates(fields, "choices", [choice.text for choice in choices], "choice text")
    return MultipleChoice(prompt=prompt, choices=tuple(choices))


def _true_false(fields: Fields) -> TrueFalse:
    prompt = _required_text(fields, "prompt")
    answer = fields.boolean("answer", default=False, required=True)
    return TrueFalse(prompt=prompt, answer=answer)


def _cloze(fields: Fields) -> Cloze:
    text = _required_text(fields, "text")
    if text.strip():
        deletions = cloze_deletions(text)
        broken = _BROKEN_CLOZE.search(text)
        if not deletions:
            hint = "mark each answer as {{c1::answer}} (or {{c1::answer::hint}})"
            if broken:
                hint = f"'{broken.group(0)}' is not a deletion; write it as {{{{c1::answer}}}}"
            fields.error("text", "the cloze text has no deletion, so there is nothing to answer", hint)
        elif any(not deletion.answers for deletion in deletions):
            empty = next(d for d in deletions if not d.answers)
            fields.error(
                "text",
                f"deletion c{empty.number} has an empty answer",
                "write the hidden words after `::`, e.g. {{c1::commit}}",
            )
        elif broken:
            fields.warning(
                "text",
                f"'{broken.group(0)}' looks like a deletion but is not one; it will be shown as written",
                "write it as {{c2::answer}}, or remove the braces",
            )
    return Cloze(text=text)


def _typed_answer(fields: Fields) -> TypedAnswer:
    prompt = _required_text(fields, "prompt")
    answers = fields.text_list("answers", required=True, what="answer")
    normalize = {"case": True, "spaces": True, "punctuation": True}
    nested = fields.mapping("normalize", what=str(fields.subject))
    if nested is not None:
        nested.check_keys(NORMALIZE_FIELDS, what="normalize")
        for flag in NORMALIZE_FIELDS:
            normalize[flag] = nested.boolean(flag, default=True)
    placeholders_any = fields.boolean("placeholders_any", default=False)
    if "answers" in fields.values and isinstance(fields.values["answers"], list) and not answers:
        fields.error("answers", "no accepted answer, so no answer can be right", 'add answers: ["..."]')
    for position, answer in enumerate(answers):
        if not normalize_text(answer, **normalize):
            fields.error(
                f"answers[{position}]", "an accepted answer is blank", "remove it or write the answer"
            )
    if not placeholders_any and any("{{" in answer for answer in answers):
        fields.warning(
            "answers",
            "an answer contains {{...}} but placeholders_any is false, so learners must type the braces",
            "add `placeholders_any: true` if {{...}} stands for any value",
        )
    return TypedAnswer(
        prompt=prompt,
        answers=answers,
        normalize_case=normalize["case"],
        normalize_spaces=normalize["spaces"],
        normalize_punctuation=normalize["punctuation"],
        placeholders_any=placeholders_any,
    )


def _ordering(fields: Fields) -> Ordering:
    prompt = _required_text(fields, "prompt")
    steps = fields.text_list("steps", required=True, what="step")
    if "steps" in fields.values and isinstance(fields.values["steps"], list) and len(steps) < 2:
        fields.error("steps", f"an ordering needs at least 2 steps, it has {len(steps)}", "add steps")
    _no_duplicates(fields, "steps", list(steps), "step")
    return Ordering(prompt=prompt, steps=steps)


def _matching(fields: Fields) -> Matching:
    prompt = _required_text(fields, "prompt")
    pairs: list[MatchPair] = []
    for entry in fields.mapping_list("pairs", what="pair"):
        entry.check_keys({"left", "right"}, what="a pair")
        pairs.append(MatchPair(left=_required_text(entry, "left"), right=_required_text(entry, "right")))
    if "pairs" in fields.values and isinstance(fields.values["pairs"], list) and len(pairs) < 2:
        fields.error("pairs", f"a matching needs at least 2 pairs, it has {len(pairs)}", "add pairs")
    _no_duplicates(fields, "pairs", [pair.left for pair in pairs], "left side")
    _no_duplicates(fields, "pairs", [pair.right for pair in pairs], "right side")
    return Matching(prompt=prompt, pairs=tuple(pairs))


def _flashcard(fields: Fields) -> Flashcard:
    front = _required_text(fields, "front")
    back = _required_text(fields, "back")
    return Flashcard(front=front, back=back)


def _no_duplicates(fields: Fields, name: str, values: list[str], what: str) -> None:
    seen: set[str] = set()
    for position, value in enumerate(values):
        if value in seen:
            fields.error(
                f"{name}[{position}]",
                f"the {what} '{value}' appears twice, so learners cannot tell them apart",
                f"make each {what} different",
            )
        seen.add(value)


_BODY_PARSERS = {
    ItemKind.MULTIPLE_CHOICE: _multiple_choice,
    ItemKind.TRUE_FALSE: _true_false,
    ItemKind.CLOZE: _cloze,
    ItemKind.TYPED_ANSWER: _typed_answer,
    ItemKind.ORDERING: _ordering,
    ItemKind.MATCHING: _matching,
    ItemKind.FLASHCARD: _flashcard,
}
