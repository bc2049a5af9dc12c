"""Building Anki packages for tests: genanki writes the collection, we add review history and zip it.

genanki's own `write_to_file` leaves temporary files behind and always names the collection
`collection.anki2`, so we call its `write_to_db` on a file of our own, add `revlog` rows with sqlite3,
and zip the result under either legacy name, with the numbered media and the `media` manifest.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import genanki

BUILD_TIME = 1_700_000_000.0
"""Fixed, so note and card ids are the same on every run."""


@dataclass(frozen=True)
class Review:
    guid: str
    ord: int
    at_ms: int
    ease: int
    time_ms: int = 4000
    type: int = 1


def collection_bytes(
    folder: Path,
    decks: Sequence[genanki.Deck],
    reviews: Iterable[Review] = (),
    scheduler_version: int | None = 2,
) -> bytes:
    """A schema-11 collection holding `decks`, with `reviews` in its revlog."""
    db_path = folder / f"collection-{len(list(folder.iterdir()))}.sqlite"
    with closing(sqlite3.connect(db_path)) as db:
        genanki.Package(list(decks)).write_to_db(db.cursor(), BUILD_TIME, _ids())
        if scheduler_version is not None:
            conf = json.loads(db.execute("SELECT conf FROM col").fetchone()[0])
            conf["schedVer"] = scheduler_version
            db.execute("UPDATE col SET conf = ?", (json.dumps(conf),))
        for review in reviews:
            card_id = db.execute(
                "SELECT cards.id FROM cards JOIN notes ON notes.id = cards.nid "
                "WHERE notes.guid = ? AND cards.ord = ?",
                (review.guid, review.ord),
            ).fetchone()
            cid = card_id[0] if card_id else 999_999
            db.execute(
                "INSERT INTO revlog VALUES (?, ?, -1, ?, 1, 0, 2500, ?, ?)",
                (review.at_ms, cid, review.ease, review.time_ms, review.type),
            )
        db.commit()
    data = db_path.read_bytes()
    db_path.unlink()
    return data


def zip_package(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def build_apkg(
    path: Path,
    decks: Sequence[genanki.Deck],
    *,
    media: dict[str, bytes] | None = None,
    reviews: Iterable[Review] = (),
    collection_name: str = "collection.anki2",
    scheduler_version: int | None = 2,
) -> Path:
    """An .apkg like Anki exports: the collection, `media` (number -> name) and numbered media entries."""
    media = media or {}
    entries = {
        collection_name: collection_bytes(path.parent, decks, reviews, scheduler_version),
        "media": json.dumps({str(i): name for i, name in enumerate(media)}).encode(),
    }
    entries.update({str(i): data for i, data in enumerate(media.values())})
    return zip_package(path, entries)


def _ids() -> Iterator[int]:
    next_id = int(BUILD_TIME * 1000)
    while True:
        yield next_id
        next_id += 1


def basic_note(
    front: str, back: str, guid: str, tags: Sequence[str] = (), model: genanki.Model = genanki.BASIC_MODEL
) -> genanki.Note:
    return genanki.Note(model=model, fields=[front, back], guid=guid, tags=list(tags))


def cloze_note(text: str, extra: str, guid: str) -> genanki.Note:
    return genanki.Note(model=genanki.CLOZE_MODEL, fields=[text, extra], guid=guid)


def deck(deck_id: int, name: str, notes: Sequence[genanki.Note]) -> genanki.Deck:
    built = genanki.Deck(deck_id, name)
    for note in notes:
        built.add_note(note)
    return built
