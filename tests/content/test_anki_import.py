"""Anki packages built with genanki (both legacy collection names) become packs, items and reviews."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import genanki
import pytest

from skillbite.content.importers.anki import (
    AnkiImportError,
    AnkiReview,
    AnkiReviewKind,
    item_id_for,
    read_apkg,
)
from skillbite.domain.content import Cloze, Flashcard, ItemKind, Pack

try:
    from .anki_packages import Review, basic_note, build_apkg, cloze_note, collection_bytes, deck, zip_package
except ImportError:  # tests/content is not a package: pytest put this folder on sys.path
    from anki_packages import Review, basic_note, build_apkg, cloze_note, collection_bytes, deck, zip_package

MEDIA = {"dog.png": b"\x89PNG fake", "perro.mp3": b"ID3 fake", "my map (v2).svg": b"<svg/>"}


def sample_decks() -> list[genanki.Deck]:
    return [
        deck(
            1001,
            "Languages::Spanish",
            [
                basic_note(
                    'perro <img src="dog.png">', "dog [sound:perro.mp3]", "note-perro", ["es", "animals"]
                ),
                basic_note("gato", "cat", "note-gato", model=genanki.BASIC_AND_REVERSED_CARD_MODEL),
            ],
        ),
        deck(
            1002,
            "Geography",
            [
                cloze_note(
                    "{{c1::Paris}} is the capital of {{c2::France::country}}.", "In Europe.", "note-paris"
                ),
                basic_note(
                    "Where is this? <img src='my map (v2).svg'>", "Lisbon <b>Portugal</b>", "note-map"
                ),
            ],
        ),
    ]


def items_of(pack: Pack) -> dict[str, object]:
    return {item.id: item.body for lesson in pack.lessons for item in lesson.items}


@pytest.mark.parametrize("collection_name", ["collection.anki2", "collection.anki21"])
def test_notes_become_flashcards_and_clozes_with_their_media(tmp_path: Path, collection_name: str) -> None:
    archive = build_apkg(
        tmp_path / "Spanish and more.apkg", sample_decks(), media=MEDIA, collection_name=collection_name
    )
    imported = read_apkg(archive, tmp_path / "work")
    pack = imported.pack

    assert pack.id == "spanish-and-more"
    assert [(s.id, s.title) for s in pack.skills] == [
        ("geography", "Geography"),
        ("languages.spanish", "Languages / Spanish"),
    ]
    assert [(lesson.id, lesson.skills) for lesson in pack.lessons] == [
        ("spanish-and-more.geography", ("geography",)),
        ("spanish-and-more.languages-spanish", ("languages.spanish",)),
    ]
    assert items_of(pack) == {
        item_id_for("note-paris", 0): Cloze("{{c1::Paris}} is the capital of France."),
        item_id_for("note-paris", 1): Cloze("Paris is the capital of {{c2::France::country}}."),
        item_id_for("note-map", 0): Flashcard(
            "Where is this? ![](<media/my map (v2).svg>)", "Lisbon <b>Portugal</b>"
        ),
        item_id_for("note-perro", 0): Flashcard(
            "perro ![](media/dog.png)", "dog ![audio: perro.mp3](media/perro.mp3)"
        ),
        item_id_for("note-gato", 0): Flashcard("gato", "cat"),
        item_id_for("note-gato", 1): Flashcard("cat", "gato"),  # the reversed card
    }
    cloze_item = pack.lessons[0].items[0]
    assert cloze_item.kind is ItemKind.CLOZE and cloze_item.explanation == "In Europe."
    assert pack.lessons[1].items[0].tags == ("es", "animals")
    assert pack.media == ("media/dog.png", "media/my map (v2).svg", "media/perro.mp3")
    for relative in pack.media:
        assert (imported.pack_root / relative).read_bytes() == MEDIA[relative.removeprefix("media/")]
    assert imported.warnings == ()
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["pack"]


def test_anki21_is_preferred_over_the_legacy_placeholder(tmp_path: Path) -> None:
    # Anki 2.1 exports put a "please update" note in collection.anki2 and the real cards in .anki21.
    placeholder = [deck(1, "Default", [basic_note("Please update to the latest Anki", "", "placeholder")])]
    archive = zip_package(
        tmp_path / "both.apkg",
        {
            "collection.anki2": collection_bytes(tmp_path, placeholder),
            "collection.anki21": collection_bytes(tmp_path, sample_decks()),
            "media": b"{}",
        },
    )
    imported = read_apkg(archive, tmp_path / "work")
    assert item_id_for("note-gato", 0) in items_of(imported.pack)
    assert item_id_for("placeholder", 0) not in items_of(imported.pack)
    assert "dog.png" in " ".join(imported.warnings)  # referenced, but this package ships no media


def test_review_history_becomes_reviews(tmp_path: Path) -> None:
    reviews = [
        Review("note-perro", 0, at_ms=1_700_000_100_000, ease=1, time_ms=12_000, type=0),
        Review("note-perro", 0, at_ms=1_700_086_400_000, ease=3, time_ms=3_500, type=1),
        Review("note-gato", 1, at_ms=1_700_090_000_000, ease=2, time_ms=60_000, type=2),
        Review("note-paris", 1, at_ms=1_700_100_000_000, ease=4, time_ms=2_000, type=3),
        Review("note-paris", 0, at_ms=1_700_200_000_000, ease=0, time_ms=0, type=4),  # rescheduled: no answer
    ]
    archive = build_apkg(tmp_path / "history.apkg", sample_decks(), media=MEDIA, reviews=reviews)
    imported = read_apkg(archive, tmp_path / "work")
    assert imported.reviews == (
        AnkiReview(
            item_id_for("note-perro", 0),
            datetime(2023, 11, 14, 22, 15, tzinfo=UTC),
            1,
            12_000,
            AnkiReviewKind.LEARN,
        ),
        AnkiReview(
            item_id_for("note-perro", 0),
            datetime(2023, 11, 15, 22, 13, 20, tzinfo=UTC),
            3,
            3_500,
            AnkiReviewKind.REVIEW,
        ),
        AnkiReview(
            item_id_for("note-gato", 1),
            datetime(2023, 11, 15, 23, 13, 20, tzinfo=UTC),
            2,
            60_000,
            AnkiReviewKind.RELEARN,
        ),
        AnkiReview(
            item_id_for("note-paris", 1),
            datetime(2023, 11, 16, 2, 0, 0, tzinfo=UTC),
            4,
            2_000,
            AnkiReviewKind.FILTERED,
        ),
    )
    assert all(review.reviewed_at.tzinfo is UTC for review in imported.reviews)


def test_old_scheduler_learning_answers_map_to_good_and_easy(tmp_path: Path) -> None:
    # Scheduler v1 showed Again/Good/Easy as ease 1/2/3 while learning; reviews always had four buttons.
    reviews = [
        Review("note-gato", 0, 1_700_000_000_000 + i, ease, type=kind)
        for i, (ease, kind) in enumerate([(2, 0), (3, 0), (2, 2), (2, 1), (4, 1)])
    ]
    archive = build_apkg(tmp_path / "v1.apkg", sample_decks(), reviews=reviews, scheduler_version=None)
    imported = read_apkg(archive, tmp_path / "work")
    assert [review.grade for review in imported.reviews] == [3, 4, 3, 2, 4]


def test_review_of_a_card_not_in_the_package_is_skipped_with_a_warning(tmp_path: Path) -> None:
    reviews = [Review("gone", 0, 1_700_000_000_000, 3), Review("note-gato", 0, 1_700_000_000_001, 3)]
    archive = build_apkg(tmp_path / "gone.apkg", sample_decks(), media=MEDIA, reviews=reviews)
    imported = read_apkg(archive, tmp_path / "work")
    assert [review.item_id for review in imported.reviews] == [item_id_for("note-gato", 0)]
    assert imported.warnings == (
        "the review history of 1 cards was skipped: those cards are not in the package or were skipped",
    )


def test_reimport_keeps_item_ids_when_the_text_changes(tmp_path: Path) -> None:
    first = read_apkg(build_apkg(tmp_path / "v1.apkg", sample_decks(), media=MEDIA), tmp_path / "work1")
    edited = sample_decks()
    edited[0].notes[1] = basic_note(
        "el gato", "the cat", "note-gato", model=genanki.BASIC_AND_REVERSED_CARD_MODEL
    )
    second = read_apkg(build_apkg(tmp_path / "v2.apkg", edited, media=MEDIA), tmp_path / "work2")
    assert set(items_of(first.pack)) == set(items_of(second.pack))
    assert items_of(second.pack)[item_id_for("note-gato", 0)] == Flashcard("el gato", "the cat")


def test_a_big_deck_is_cut_into_bites(tmp_path: Path) -> None:
    notes = [basic_note(f"word {i}", f"meaning {i}", f"n{i}") for i in range(45)]
    imported = read_apkg(build_apkg(tmp_path / "big.apkg", [deck(7, "Vocabulary", notes)]), tmp_path / "work")
    lessons = imported.pack.lessons
    assert [(lesson.id, lesson.title, len(lesson.items), lesson.minutes) for lesson in lessons] == [
        ("big.vocabulary-1", "Vocabulary (1/3)", 15, 4.0),
        ("big.vocabulary-2", "Vocabulary (2/3)", 15, 4.0),
        ("big.vocabulary-3", "Vocabulary (3/3)", 15, 4.0),
    ]
    assert [item.body for item in lessons[0].items][:2] == [
        Flashcard("word 0", "meaning 0"),
        Flashcard("word 1", "meaning 1"),
    ]
    assert imported.pack.title == "Vocabulary"


def test_pack_id_can_be_chosen(tmp_path: Path) -> None:
    imported = read_apkg(
        build_apkg(tmp_path / "x.apkg", sample_decks(), media=MEDIA), tmp_path / "work", pack_id="spanish"
    )
    assert imported.pack.id == "spanish"
    assert imported.pack.lessons[0].id == "spanish.geography"


def test_newer_package_format_is_refused_with_the_fix(tmp_path: Path) -> None:
    archive = zip_package(
        tmp_path / "new.apkg", {"collection.anki21b": b"\x28\xb5\x2f\xfd zstd", "media": b""}
    )
    with pytest.raises(AnkiImportError, match="tick 'Support older Anki versions'"):
        read_apkg(archive, tmp_path / "work")
    assert not (tmp_path / "work").exists()


def test_card_in_a_filtered_deck_belongs_to_its_home_deck(tmp_path: Path) -> None:
    db_path = tmp_path / "collection.sqlite"
    db_path.write_bytes(collection_bytes(tmp_path, sample_decks()))
    with closing(sqlite3.connect(db_path)) as db:
        # Custom study moved the gato cards to filtered deck 9999 (not even listed); odid remembers home.
        db.execute(
            "UPDATE cards SET odid = did, did = 9999 WHERE nid = (SELECT id FROM notes WHERE guid = ?)",
            ("note-gato",),
        )
        db.commit()
    archive = zip_package(
        tmp_path / "filtered.apkg", {"collection.anki2": db_path.read_bytes(), "media": b"{}"}
    )
    lessons = read_apkg(archive, tmp_path / "work").pack.lessons
    spanish = next(lesson for lesson in lessons if lesson.skills == ("languages.spanish",))
    assert item_id_for("note-gato", 1) in {item.id for item in spanish.items}
    assert len(lessons) == 2


def test_package_without_cards_is_refused(tmp_path: Path) -> None:
    archive = zip_package(
        tmp_path / "empty.apkg", {"collection.anki2": collection_bytes(tmp_path, []), "media": b"{}"}
    )
    with pytest.raises(AnkiImportError, match=r"empty\.apkg: holds no card that can be imported"):
        read_apkg(archive, tmp_path / "work")
    assert not (tmp_path / "work").exists()
