"""A CSV file of `question,answer[,explanation,tags]` rows becomes a pack of flashcards.

All or nothing: every malformed row is reported with its line number, and if there is one, nothing is
imported. A header row is optional (recognised when its cells are column names: question/front,
answer/back, explanation, tags, in any order). UTF-8 with or without a BOM; `.tsv` files are read
tab-separated. Tags are separated by spaces or `;`. Item ids hash the question (case and spacing
ignored), so re-importing an edited file keeps the history of every card whose question is unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from skillbite.content.importers.bite_sizing import chunks, lesson_title, minutes_for
from skillbite.domain.content import Flashcard, Item, Lesson, Pack, Skill
from skillbite.domain.ids import ItemId, LessonId, PackId, SkillId

MAX_CSV_BYTES = 50 * 1024 * 1024
COLUMNS = ("question", "answer", "explanation", "tags")
_HEADER_NAMES = {
    "question": "question",
    "front": "question",
    "answer": "answer",
    "back": "answer",
    "explanation": "explanation",
    "tags": "tags",
}
_PACK_ID = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
_TAG_SEPARATORS = re.compile(r"[\s;]+")
_COLUMN_HINT = "expected 2 to 4 columns (question,answer[,explanation,tags])"


@dataclass(frozen=True)
class CsvProblem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class CsvImportError(ValueError):
    """Every problem of the file, each with its line; nothing was imported."""

    def __init__(self, problems: list[CsvProblem]) -> None:
        self.problems = tuple(problems)
        count = len(problems)
        heading = f"{problems[0].file}: {count} problem{'s' if count > 1 else ''}, nothing was imported"
        super().__init__("\n".join([heading, *(str(problem) for problem in problems)]))


@dataclass(frozen=True)
class _Card:
    line: int
    question: str
    answer: str
    explanation: str
    tags: tuple[str, ...]


def read_csv_cards(path: Path, pack_id: str) -> Pack:
    """Read the flashcards in `path` into a pack with one skill and lessons of about 20 cards."""
    name = path.name
    if not _PACK_ID.match(pack_id):
        raise CsvImportError(
            [
                CsvProblem(
                    name,
                    None,
                    f"{pack_id!r} is not a valid pack id; use lowercase letters, digits, '-' and '.'",
                )
            ]
        )
    cards = _read_cards(path, name)
    title = re.sub(r"[-_]+", " ", path.stem).strip().capitalize() or pack_id
    skill = Skill(SkillId(pack_id), title, f"Flashcards imported from {name}.")
    runs = chunks(cards)
    lessons = tuple(
        Lesson(
            id=LessonId(f"{pack_id}.cards" + (f"-{part}" if len(runs) > 1 else "")),
            title=lesson_title(title, part, len(runs)),
            skills=(skill.id,),
            minutes=minutes_for(len(run)),
            body=f"Flashcards from *{name}*.",
            items=tuple(
                Item(
                    card_item_id(pack_id, card.question),
                    Flashcard(card.question, card.answer),
                    explanation=card.explanation,
                    tags=card.tags,
                )
                for card in run
            ),
        )
        for part, run in enumerate(runs, start=1)
    )
    return Pack(
        id=PackId(pack_id),
        title=title,
        version="1.0.0",
        licence="unspecified",
        authors=(),
        description=f"{len(cards)} flashcards imported from {name}.",
        skills=(skill,),
        lessons=lessons,
    )


def card_item_id(pack_id: str, question: str) -> ItemId:
    """Stable for a question whatever its case and spacing."""
    digest = hashlib.sha256(_question_key(question).encode("utf-8")).hexdigest()[:16]
    return ItemId(f"{pack_id}.{digest}")


def _question_key(question: str) -> str:
    return " ".join(unicodedata.normalize("NFC", question).casefold().split())


def _read_cards(path: Path, name: str) -> list[_Card]:
    text = _decode(path, name)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    problems: list[CsvProblem] = []
    cards: list[_Card] = []
    first_line_of_question: dict[str, int] = {}
    columns: tuple[str, ...] | None = None
    previous_end = 0
    while True:
        line = previous_end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(CsvProblem(name, line, f"malformed CSV ({exc}); check the quotes on this line"))
            if reader.line_num == previous_end:
                break
            previous_end = reader.line_num
            continue
        previous_end = reader.line_num
        cells = [cell.strip() for cell in row]
        while len(cells) > 2 and not cells[-1]:  # spreadsheets pad rows with empty cells
            cells.pop()
        if not any(cells):
            continue
        if columns is None and not cards and not problems:
            columns = _header(cells)
            if columns is not None:
                continue
        card = _card(name, line, cells, columns or COLUMNS, problems)
        if card is None:
            continue
        key = _question_key(card.question)
        if key in first_line_of_question:
            problems.append(
                CsvProblem(
                    name,
                    line,
                    f"same question as line {first_line_of_question[key]}; "
                    "merge the two rows or reword one question",
                )
            )
            continue
        first_line_of_question[key] = line
        cards.append(card)
    if not problems and not cards:
        problems.append(CsvProblem(name, None, "no cards found; write one question,answer row per card"))
    if problems:
        raise CsvImportError(problems)
    return cards


def _decode(path: Path, name: str) -> str:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise CsvImportError(
            [
                CsvProblem(
                    name,
                    None,
                    f"the file is {size} bytes, over the limit of "
                    f"{MAX_CSV_BYTES}; split it into several files",
                )
            ]
        )
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvImportError(
            [
                CsvProblem(
                    name,
                    line,
                    f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the "
                    "file as UTF-8 (CSV UTF-8 in Excel)",
                )
            ]
        ) from exc


def _header(cells: list[str]) -> tuple[str, ...] | None:
    names = [_HEADER_NAMES.get(cell.casefold()) for cell in cells]
    if None in names or "question" not in names or "answer" not in names or len(set(names)) != len(names):
        return None
    return tuple(name for name in names if name is not None)


def _card(
    name: str, line: int, cells: list[str], columns: tuple[str, ...], problems: list[CsvProblem]
) -> _Card | None:
    if not 2 <= len(cells) <= len(columns):
        expected = _COLUMN_HINT if columns == COLUMNS else _expected_columns(columns)
        problems.append(
            CsvProblem(name, line, f"{expected}, found {len(cells)} — quote fields containing commas")
        )
        return None
    values = dict(zip(columns, cells, strict=False))
    missing = [column for column in ("question", "answer") if not values.get(column)]
    if missing:
        problems.append(
            CsvProblem(
                name,
                line,
                f"the {' and the '.join(missing)} "
                f"{'are' if len(missing) > 1 else 'is'} empty; fill "
                f"{'them' if len(missing) > 1 else 'it'} in or delete the row",
            )
        )
        return None
    tags = tuple(dict.fromkeys(tag for tag in _TAG_SEPARATORS.split(values.get("tags", "")) if tag))
    return _Card(line, values["question"], values["answer"], values.get("explanation", ""), tags)


def _expected_columns(columns: tuple[str, ...]) -> str:
    count = "2" if len(columns) == 2 else f"2 to {len(columns)}"
    return f"expected {count} columns ({','.join(columns)})"
