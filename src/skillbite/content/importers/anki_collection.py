"""Reading an Anki collection (`collection.anki2` / `collection.anki21`, schema 11) from SQLite, read-only.

The file comes from an untrusted package, so it is opened with `mode=ro` and `PRAGMA query_only`, checked
with `PRAGMA quick_check`, and every JSON blob is checked for the shape we use. The rows become plain
values; turning them into lessons and items is `anki.py`'s job.

Schema 11 in brief: `col` holds one row whose `models` (note types) and `decks` columns are JSON keyed by
id; `notes.flds` joins a note's fields with U+001F; `cards` has one row per card (`ord` picks the template,
or the cloze number minus one); `revlog` has one row per answer (`id` is its time in ms).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIELD_SEPARATOR = "\x1f"
REQUIRED_TABLES = ("col", "notes", "cards")
_CLOZE_MODEL_TYPE = 1
_RE_EXPORT = "re-export it from Anki (File > Export > Anki Deck Package)"


class AnkiImportError(ValueError):
    """The package cannot be imported; the message names the package, what is wrong and what to do."""


@dataclass(frozen=True)
class NoteType:
    id: int
    name: str
    is_cloze: bool
    field_names: tuple[str, ...]


@dataclass(frozen=True)
class AnkiDeck:
    id: int
    name: str
    """Anki's full name, parents joined by `::`."""


@dataclass(frozen=True)
class AnkiNote:
    id: int
    guid: str
    note_type_id: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class AnkiCard:
    id: int
    note_id: int
    deck_id: int
    """The card's home deck (its original deck when it sits in a filtered deck)."""
    ord: int


@dataclass(frozen=True)
class RevlogRow:
    id: int
    """When the answer was given, in ms since the epoch."""
    card_id: int
    ease: int
    time_ms: int
    type: int


@dataclass(frozen=True)
class AnkiCollection:
    scheduler_version: int
    note_types: dict[int, NoteType]
    decks: dict[int, AnkiDeck]
    notes: tuple[AnkiNote, ...]
    cards: tuple[AnkiCard, ...]
    revlog: tuple[RevlogRow, ...]


def read_collection(db_path: Path, where: str) -> AnkiCollection:
    """Read the collection at `db_path`; `where` names it in errors (e.g. `deck.apkg: collection.anki2`)."""
    with _read_only(db_path, where) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [table for table in REQUIRED_TABLES if table not in tables]
        if missing:
            raise AnkiImportError(
                f"{where}: not an Anki collection, it has no {', '.join(missing)} table; {_RE_EXPORT}"
            )
        if "notetypes" in tables:
            raise AnkiImportError(
                f"{where}: uses the newer Anki collection schema, which is not supported; "
                "in Anki tick 'Support older Anki versions' when exporting"
            )
        scheduler_version, note_types, decks = _read_col_row(db, where)
        notes = tuple(
            AnkiNote(nid, str(guid), mid, tuple(str(tags).split()), tuple(str(flds).split(FIELD_SEPARATOR)))
            for nid, guid, mid, tags, flds in db.execute(
                "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
            )
        )
        cards = tuple(
            AnkiCard(cid, nid, odid or did, ord_)
            for cid, nid, did, odid, ord_ in db.execute(
                "SELECT id, nid, did, odid, ord FROM cards ORDER BY nid, ord, id"
            )
        )
        revlog: tuple[RevlogRow, ...] = ()
        if "revlog" in tables:
            revlog = tuple(
                RevlogRow(*row)
                for row in db.execute("SELECT id, cid, ease, time, type FROM revlog ORDER BY id")
            )
    return AnkiCollection(scheduler_version, note_types, decks, notes, cards, revlog)


@contextmanager
def _read_only(db_path: Path, where: str) -> Iterator[sqlite3.Connection]:
    try:
        with closing(sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            db.execute("PRAGMA query_only = ON")
            verdict = db.execute("PRAGMA quick_check").fetchone()
            if verdict is None or verdict[0] != "ok":
                raise AnkiImportError(
                    f"{where}: the SQLite database is damaged ({verdict and verdict[0]}); {_RE_EXPORT}"
                )
            yield db
    except sqlite3.DatabaseError as exc:
        raise AnkiImportError(
            f"{where}: not a readable SQLite database ({exc}); the package is damaged, {_RE_EXPORT}"
        ) from exc


def _read_col_row(db: sqlite3.Connection, where: str) -> tuple[int, dict[int, NoteType], dict[int, AnkiDeck]]:
    row = db.execute("SELECT conf, models, decks FROM col LIMIT 1").fetchone()
    if row is None:
        raise AnkiImportError(
            f"{where}: the col table is empty, so note types and decks are missing; {_RE_EXPORT}"
        )
    conf = _json_object(row[0], where, "col.conf")
    models = _json_object(row[1], where, "col.models")
    decks = _json_object(row[2], where, "col.decks")
    scheduler_version = conf.get("schedVer", 1)
    note_types = {}
    for key, model in models.items():
        note_type = _note_type(key, model, where)
        note_types[note_type.id] = note_type
    anki_decks = {}
    for key, deck in decks.items():
        if not isinstance(deck, dict) or not isinstance(deck.get("name"), str):
            raise AnkiImportError(f"{where}: deck {key} in col.decks has no name; {_RE_EXPORT}")
        anki_decks[int(key)] = AnkiDeck(int(key), deck["name"])
    return (scheduler_version if isinstance(scheduler_version, int) else 1), note_types, anki_decks


def _note_type(key: str, model: Any, where: str) -> NoteType:
    fields = model.get("flds") if isinstance(model, dict) else None
    if not isinstance(fields, list) or not all(
        isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields
    ):
        raise AnkiImportError(
            f"{where}: note type {key} in col.models has no list of named fields; {_RE_EXPORT}"
        )
    ordered = sorted(fields, key=lambda f: f.get("ord", 0) if isinstance(f.get("ord"), int) else 0)
    return NoteType(
        int(key),
        str(model.get("name", key)),
        model.get("type") == _CLOZE_MODEL_TYPE,
        tuple(f["name"] for f in ordered),
    )


def _json_object(raw: object, where: str, column: str) -> dict[str, Any]:
    try:
        value = json.loads(raw) if isinstance(raw, str | bytes) else None
    except json.JSONDecodeError as exc:
        raise AnkiImportError(f"{where}: {column} is not valid JSON ({exc}); {_RE_EXPORT}") from exc
    if not isinstance(value, dict) or not all(_is_int_key(k) for k in value if column != "col.conf"):
        raise AnkiImportError(f"{where}: {column} is not a JSON object keyed by id; {_RE_EXPORT}")
    return value


def _is_int_key(key: str) -> bool:
    return key.lstrip("-").isdigit()
