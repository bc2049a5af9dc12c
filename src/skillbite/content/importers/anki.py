"""Anki packages (.apkg) become a pack: one skill per deck, lessons of about 20 notes, one item per card.

- The package is extracted with `safe_extract` (every archive check applies), then `collection.anki21`
  is read if present, else `collection.anki2` (both schema 11, opened read-only). A package that only
  has the newer `collection.anki21b` is refused with the export option that fixes it.
- Cloze notes become `Cloze` items, one per card: card `ord` k asks deletion c(k+1), and the other
  deletions of the note are shown answered, as Anki does. Anki's `{{c1::...}}` syntax is kept.
- Other notes become `Flashcard` items: front = first field, back = second (swapped for the second
  template, "Basic (and reversed card)"); further fields become the explanation.
- Field HTML is kept as-is (the renderer sanitises it); `<img src>` and `[sound:]` references to the
  package's media become Markdown media under `media/`.
- Item ids hash the note guid and add the card ord, so importing a newer export updates items in place.
- The `revlog` table becomes `AnkiReview`s (card -> item id, UTC time, grade 1-4, duration, kind).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from skillbite.content.archives import first_missing_folder, safe_extract
from skillbite.content.importers.anki_collection import (
    AnkiCard,
    AnkiCollection,
    AnkiDeck,
    AnkiImportError,
    AnkiNote,
    NoteType,
    RevlogRow,
    read_collection,
)
from skillbite.content.importers.anki_media import move_media, read_manifest, rewrite_media_references
from skillbite.content.importers.bite_sizing import chunks, lesson_title, minutes_for, slug, unique
from skillbite.domain.content import Cloze, Flashcard, Item, Lesson, Pack, Skill
from skillbite.domain.ids import ItemId, LessonId, PackId, SkillId

__all__ = ["AnkiImport", "AnkiImportError", "AnkiReview", "AnkiReviewKind", "item_id_for", "read_apkg"]

PACKAGE_FOLDER = "package"
PACK_FOLDER = "pack"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_REVIEW_KINDS = {0: "learn", 1: "review", 2: "relearn", 3: "filtered"}
"""revlog.type; 4 (manual reschedule) and 5 (set due date) are not answers and are skipped."""


class AnkiReviewKind(StrEnum):
    LEARN = "learn"
    REVIEW = "review"
    RELEARN = "relearn"
    FILTERED = "filtered"
    """Answered in a filtered (custom study) deck, possibly ahead of schedule."""


@dataclass(frozen=True)
class AnkiReview:
    """One answer from Anki's review log, ready for the learner's review log."""

    item_id: ItemId
    reviewed_at: datetime
    """UTC."""
    grade: int
    """1 Again, 2 Hard, 3 Good, 4 Easy (Anki's old scheduler had no Hard while learning; mapped)."""
    duration_ms: int
    kind: AnkiReviewKind


@dataclass(frozen=True)
class AnkiImport:
    pack: Pack
    pack_root: Path
    """Folder holding the pack's media: `pack_root / p` exists for every `p` in `pack.media`."""
    reviews: tuple[AnkiReview, ...]
    """Every answer of the package's review log, oldest first."""
    warnings: tuple[str, ...]
    """What was left out and why (empty cloze cards, unknown note types, media missing from the package)."""


def item_id_for(guid: str, card_ord: int) -> ItemId:
    """Stable across exports of the same note: the note guid never changes in Anki."""
    return ItemId(f"anki.{hashlib.blake2b(guid.encode('utf-8'), digest_size=8).hexdigest()}.{card_ord}")


def read_apkg(path: Path, workdir: Path, *, pack_id: str | None = None) -> AnkiImport:
    """Read the Anki package at `path`, using `workdir` (new or empty) for its files.

    The pack id defaults to a slug of the file name. Raises `ArchiveError` for an unsafe or broken
    archive and `AnkiImportError` for a package that is not a usable Anki collection; either way
    nothing is left behind (`workdir` and its parents are removed if this call created them).
    """
    package_root = workdir / PACKAGE_FOLDER
    pack_root = workdir / PACK_FOLDER
    for folder in (package_root, pack_root):
        if folder.exists():
            raise AnkiImportError(f"{folder}: already exists; import into a new or empty work folder")
    created_root = first_missing_folder(workdir)
    try:
        safe_extract(path, package_root)
        collection_file = _collection_file(package_root, path.name)
        collection = read_collection(collection_file, f"{path.name}: {collection_file.name}")
        media = read_manifest(package_root, path.name)
        pack_root.mkdir(parents=True)
        media_paths = move_media(package_root, pack_root, media)
        converter = _Converter(collection, frozenset(m.name for m in media))
        pack = converter.pack(PackId(pack_id or slug(path.stem, "anki")), path.name, media_paths)
        if not pack.lessons:
            raise AnkiImportError(
                f"{path.name}: holds no card that can be imported; "
                + ("; ".join(converter.warnings) or "export a deck that has cards")
            )
        reviews, review_warnings = _reviews(collection, converter.item_of_card)
    except BaseException:
        shutil.rmtree(created_root or pack_root, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(package_root, ignore_errors=True)
    return AnkiImport(pack, pack_root, reviews, tuple(converter.warnings + review_warnings))


def _collection_file(package_root: Path, name: str) -> Path:
    for candidate in ("collection.anki21", "collection.anki2"):
        if (package_root / candidate).is_file():
            return package_root / candidate
    if (package_root / "collection.anki21b").is_file():
        raise AnkiImportError(
            f"{name}: uses the newer Anki package format (collection.anki21b), which is "
            "not supported; in Anki export again and tick 'Support older Anki versions'"
        )
    raise AnkiImportError(
        f"{name}: has no collection.anki2 or collection.anki21, so it is not an Anki deck "
        "package; export the deck from Anki as an 'Anki Deck Package (.apkg)'"
    )


class _Converter:
    """Turns a collection's notes and cards into skills, lessons and items, remembering card -> item."""

    def __init__(self, collection: AnkiCollection, media_names: frozenset[str]) -> None:
        self.collection = collection
        self.media_names = media_names
        self.item_of_card: dict[int, ItemId] = {}
        self.warnings: list[str] = []
        self._missing_media: set[str] = set()

    def pack(self, pack_id: PackId, file_name: str, media_paths: tuple[str, ...]) -> Pack:
        items_by_deck = self._items_by_deck()
        skills: list[Skill] = []
        lessons: list[Lesson] = []
        taken_slugs: set[str] = set()
        taken_skills: set[str] = set()
        for deck_id in sorted(items_by_deck, key=lambda d: (self._deck(d).name.casefold(), d)):
            deck = self._deck(deck_id)
            fallback = f"deck-{deck.id}"
            deck_slug = unique(slug(deck.name.replace("::", "-"), fallback), taken_slugs)
            skill_id = unique(".".join(slug(part, fallback) for part in deck.name.split("::")), taken_skills)
            skill = Skill(
                SkillId(skill_id), _display(deck.name), f"Cards of the Anki deck {_display(deck.name)}."
            )
            skills.append(skill)
            notes = list(items_by_deck[deck_id].values())
            runs = chunks(notes)
            for part, run in enumerate(runs, start=1):
                items = tuple(item for note_items in run for item in note_items)
                lessons.append(
                    Lesson(
                        id=LessonId(f"{pack_id}.{deck_slug}" + (f"-{part}" if len(runs) > 1 else "")),
                        title=lesson_title(_display(deck.name), part, len(runs)),
                        skills=(skill.id,),
                        minutes=minutes_for(len(items)),
                        body=f"Cards from the Anki deck *{_display(deck.name)}*.",
                        items=items,
                    )
                )
        for name in sorted(self._missing_media):
            self.warnings.append(
                f"{file_name}: a note references media {name!r}, which the package does not "
                "contain; the reference was left as it is"
            )
        only_deck = len(items_by_deck) == 1
        title = _display(self._deck(next(iter(items_by_deck))).name) if only_deck else Path(file_name).stem
        return Pack(
            id=pack_id,
            title=title,
            version="1.0.0",
            licence="unspecified",
            authors=(),
            description=(
                f"Imported from the Anki package {file_name}: {len(self.item_of_card)} cards "
                f"in {len(skills)} deck{'' if len(skills) == 1 else 's'}."
            ),
            skills=tuple(skills),
            lessons=tuple(lessons),
            media=media_paths,
        )

    def _deck(self, deck_id: int) -> AnkiDeck:
        return self.collection.decks.get(deck_id) or AnkiDeck(deck_id, f"Deck {deck_id}")

    def _items_by_deck(self) -> dict[int, dict[int, list[Item]]]:
        """deck id -> note id -> that note's items in the deck, in note creation order."""
        notes = {note.id: note for note in self.collection.notes}
        by_deck: dict[int, dict[int, list[Item]]] = defaultdict(dict)
        seen_ids: set[ItemId] = set()
        for card in self.collection.cards:
            note = notes.get(card.note_id)
            note_type = self.collection.note_types.get(note.note_type_id) if note else None
            if note is None or note_type is None:
                self.warnings.append(
                    f"card {card.id} was skipped: its note or note type is missing from the collection"
                )
                continue
            item = self._item(note, note_type, card)
            if item is None:
                continue
            if item.id in seen_ids:
                self.warnings.append(
                    f"card {card.id} was skipped: another note has the same guid {note.guid!r}"
                )
                continue
            seen_ids.add(item.id)
            self.item_of_card[card.id] = item.id
            by_deck[card.deck_id].setdefault(note.id, []).append(item)
        return by_deck

    def _item(self, note: AnkiNote, note_type: NoteType, card: AnkiCard) -> Item | None:
        fields = dict(zip(note_type.field_names, note.fields, strict=False))
        values = [self._media(value) for value in note.fields]
        item_id = item_id_for(note.guid, card.ord)
        if note_type.is_cloze:
            text = self._media(fields.get("Text", note.fields[0]))
            extra = self._media(fields.get("Back Extra", note.fields[1] if len(note.fields) > 1 else ""))
            asked = _only_deletion(text, card.ord + 1)
            if asked is None:
                self.warnings.append(f"card {card.id} was skipped: its note has no deletion c{card.ord + 1}")
                return None
            return Item(item_id, Cloze(asked), explanation=extra, tags=note.tags)
        front, back = [*values, "", ""][:2]
        if card.ord == 1:
            front, back = back, front
        if not front.strip():
            self.warnings.append(f"card {card.id} was skipped: its front is empty")
            return None
        explanation = "\n\n".join(value for value in values[2:] if value.strip())
        return Item(item_id, Flashcard(front, back), explanation=explanation, tags=note.tags)

    def _media(self, text: str) -> str:
        return rewrite_media_references(text, self.media_names, self._missing_media)


def _only_deletion(text: str, number: int) -> str | None:
    """The cloze text asking deletion `number` only; the others shown answered. None if it has no such one."""
    if not any(int(match.group(1)) == number for match in _CLOZE.finditer(text)):
        return None
    return _CLOZE.sub(lambda m: m.group(0) if int(m.group(1)) == number else m.group(2), text)


def _reviews(
    collection: AnkiCollection, item_of_card: dict[int, ItemId]
) -> tuple[tuple[AnkiReview, ...], list[str]]:
    reviews: list[AnkiReview] = []
    skipped_cards: set[int] = set()
    for row in collection.revlog:
        kind = _REVIEW_KINDS.get(row.type)
        item_id = item_of_card.get(row.card_id)
        if kind is None or not 1 <= row.ease <= 4:
            continue
        if item_id is None:
            skipped_cards.add(row.card_id)
            continue
        reviews.append(
            AnkiReview(
                item_id,
                _EPOCH + timedelta(milliseconds=row.id),
                _grade(row, collection.scheduler_version),
                max(0, row.time_ms),
                AnkiReviewKind(kind),
            )
        )
    warnings = (
        [
            f"the review history of {len(skipped_cards)} cards was skipped: those cards are not in the "
            "package or were skipped"
        ]
        if skipped_cards
        else []
    )
    return tuple(reviews), warnings


def _grade(row: RevlogRow, scheduler_version: int) -> int:
    """Anki's scheduler v1 showed Again/Good/Easy (ease 1-3) for cards in (re)learning; later ones 1-4."""
    learning = row.type in (0, 2)
    if scheduler_version == 1 and learning and row.ease in (2, 3):
        return row.ease + 1
    return row.ease


def _display(deck_name: str) -> str:
    return " / ".join(part.strip() for part in deck_name.split("::"))
