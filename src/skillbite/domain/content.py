"""Content entities: packs, skills, courses, lessons (bites) and practice items.

These are plain immutable values. The content layer parses pack files into them, the store persists
them, and the learning engine schedules the items. Authored ids (pack, skill, course, module, lesson,
item) are strings chosen by the author and stay stable across versions of a pack, which is what lets a
re-import keep the learners' history of unchanged items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from skillbite.domain.ids import CourseId, ItemId, LessonId, ModuleId, PackId, SkillId


class ItemKind(StrEnum):
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    CLOZE = "cloze"
    TYPED_ANSWER = "typed_answer"
    ORDERING = "ordering"
    MATCHING = "matching"
    FLASHCARD = "flashcard"


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class MultipleChoice:
    """One or several correct choices; `multiple` tells the player to allow several selections."""

    prompt: str
    choices: tuple[Choice, ...]

    @property
    def multiple(self) -> bool:
        return sum(1 for c in self.choices if c.correct) > 1


@dataclass(frozen=True)
class TrueFalse:
    prompt: str
    answer: bool


@dataclass(frozen=True)
class Cloze:
    """Text with Anki-style deletions: `{{c1::answer}}` or `{{c1::answer::hint}}`.

    Alternatives for one deletion are separated by `|` inside the answer: `{{c1::reset|revert}}`.
    """

    text: str


@dataclass(frozen=True)
class TypedAnswer:
    """A free-text answer checked against accepted variants after normalisation.

    `normalize_case`, `normalize_spaces` and `normalize_punctuation` say which differences are
    forgiven. With `placeholders_any`, a `{{placeholder}}` in an accepted answer matches any value
    (tldr-pages style commands).
    """

    prompt: str
    answers: tuple[str, ...]
    normalize_case: bool = True
    normalize_spaces: bool = True
    normalize_punctuation: bool = True
    placeholders_any: bool = False


@dataclass(frozen=True)
class Ordering:
    """Steps given in their correct order; the player shows them shuffled."""

    prompt: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class MatchPair:
    left: str
    right: str


@dataclass(frozen=True)
class Matching:
    prompt: str
    pairs: tuple[MatchPair, ...]


@dataclass(frozen=True)
class Flashcard:
    """Front and back; the learner grades themself (Again/Hard/Good/Easy)."""

    front: str
    back: str


ItemBody = MultipleChoice | TrueFalse | Cloze | TypedAnswer | Ordering | Matching | Flashcard

KIND_OF_BODY: dict[type, ItemKind] = {
    MultipleChoice: ItemKind.MULTIPLE_CHOICE,
    TrueFalse: ItemKind.TRUE_FALSE,
    Cloze: ItemKind.CLOZE,
    TypedAnswer: ItemKind.TYPED_ANSWER,
    Ordering: ItemKind.ORDERING,
    Matching: ItemKind.MATCHING,
    Flashcard: ItemKind.FLASHCARD,
}


@dataclass(frozen=True)
class Item:
    """A practice item. `explanation` is shown after answering, right or wrong."""

    id: ItemId
    body: ItemBody
    explanation: str = ""
    tags: tuple[str, ...] = ()

    @property
    def kind(self) -> ItemKind:
        return KIND_OF_BODY[type(self.body)]


@dataclass(frozen=True)
class Skill:
    id: SkillId
    title: str
    description: str = ""
    prerequisites: tuple[SkillId, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lesson:
    """A bite: one skill (sometimes a few), a few minutes, Markdown text and practice items.

    `body` is the lesson's Markdown without its item blocks; images, audio and video are Markdown
    images whose file extension says which (see docs/pack-format.md). `source` says where the text
    came from (for tldr-pages, the page path inside the corpus).
    """

    id: LessonId
    title: str
    skills: tuple[SkillId, ...]
    minutes: float
    body: str
    items: tuple[Item, ...] = ()
    tags: tuple[str, ...] = ()
    source: str | None = None


@dataclass(frozen=True)
class Module:
    id: ModuleId
    title: str
    lessons: tuple[LessonId, ...]


@dataclass(frozen=True)
class Course:
    id: CourseId
    title: str
    description: str = ""
    modules: tuple[Module, ...] = ()


@dataclass(frozen=True)
class Pack:
    id: PackId
    title: str
    version: str
    licence: str
    authors: tuple[str, ...]
    description: str = ""
    skills: tuple[Skill, ...] = ()
    courses: tuple[Course, ...] = ()
    lessons: tuple[Lesson, ...] = ()
    media: tuple[str, ...] = field(default=())
    """Relative paths (posix) of the media files the pack ships, e.g. `media/branching.svg`."""
