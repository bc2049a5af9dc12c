"""An Anki package's review history into a learner's review log: once, whatever how often it is imported."""

from __future__ import annotations

import re
from pathlib import Path

import genanki
import pytest

from skillbite.domain.ids import OrgId
from skillbite.services.errors import InvalidInput, NotFound
from skillbite.services.principal import Principal
from skillbite.wiring import System
from tests.content.anki_packages import Review, basic_note, build_apkg, cloze_note, deck
from tests.services.learning_helpers import learner_in, new_member, review_rows, state_rows

DAY_MS = 86_400_000
T0 = 1_700_000_000_000


def decks() -> list[genanki.Deck]:
    return [
        deck(
            2001,
            "Spanish",
            [
                basic_note("perro", "dog", "note-perro"),
                basic_note("gato", "cat", "note-gato"),
                cloze_note("{{c1::Madrid}} is the capital of Spain.", "", "note-madrid"),
            ],
        )
    ]


HISTORY = [
    Review("note-perro", 0, T0, 1, 12_000, 0),
    Review("note-perro", 0, T0 + 600_000, 3, 5_000, 0),
    Review("note-perro", 0, T0 + DAY_MS, 3, 4_000, 1),
    Review("note-perro", 0, T0 + 5 * DAY_MS, 4, 3_000, 1),
    Review("note-gato", 0, T0 + DAY_MS + 1_000, 2, 9_000, 0),
    Review("note-gato", 0, T0 + 4 * DAY_MS, 1, 20_000, 1),
    Review("note-madrid", 0, T0 + 2 * DAY_MS, 3, 7_000, 0),
    Review("not-in-the-package", 0, T0 + 3 * DAY_MS, 3, 1_000, 1),
]


@pytest.fixture
def ada(system: System) -> Principal:
    return new_member(system)


def import_with_history(system: System, org: int, path: Path, email: str) -> int:
    _, imported = system.importers.apkg(OrgId(org), path)
    return system.importers.apkg_history(OrgId(org), email, imported)


def test_the_history_goes_into_the_learners_log(system: System, ada: Principal, tmp_path: Path) -> None:
    package = build_apkg(tmp_path / "spanish.apkg", decks(), reviews=HISTORY)
    assert import_with_history(system, ada.org_id, package, ada.email) == 7
    rows = review_rows(system, ada.org_id)
    assert len(rows) == 7 and {r.learner_id for r in rows} == {ada.user_id}
    assert {r.source for r in rows} == {"anki"}
    assert [r.grade for r in rows] == [1, 3, 3, 2, 3, 1, 4]
    assert [r.correct for r in rows] == [g > 1 for g in [1, 3, 3, 2, 3, 1, 4]]
    assert [r.response_ms for r in rows][:3] == [12_000, 5_000, 4_000]
    assert len({r.uuid for r in rows}) == 7
    states = state_rows(system, ada.org_id)
    assert len(states) == 3 and {s[0] for s in states} == {ada.user_id}
    assert system.recompute.recompute(ada.org_id).changed == []


def test_importing_again_adds_nothing_and_a_newer_export_adds_only_the_new_answers(
    system: System, ada: Principal, tmp_path: Path
) -> None:
    package = build_apkg(tmp_path / "spanish.apkg", decks(), reviews=HISTORY)
    import_with_history(system, ada.org_id, package, ada.email)
    before_reviews = [(r.uuid, r.body_hash) for r in review_rows(system, ada.org_id)]
    before_states = state_rows(system, ada.org_id)

    assert import_with_history(system, ada.org_id, package, ada.email) == 0
    assert [(r.uuid, r.body_hash) for r in review_rows(system, ada.org_id)] == before_reviews
    assert state_rows(system, ada.org_id) == before_states

    (tmp_path / "later").mkdir()
    newer = build_apkg(  # the same file name: the pack id comes from it
        tmp_path / "later" / "spanish.apkg",
        decks(),
        reviews=[*HISTORY, Review("note-gato", 0, T0 + 9 * DAY_MS, 3, 6_000, 1)],
    )
    assert import_with_history(system, ada.org_id, newer, ada.email) == 1
    assert len(review_rows(system, ada.org_id)) == 8


def test_each_learner_gets_their_own_copy(system: System, ada: Principal, tmp_path: Path) -> None:
    bea = learner_in(system, ada, "bea@example.com")
    package = build_apkg(tmp_path / "spanish.apkg", decks(), reviews=HISTORY)
    assert import_with_history(system, ada.org_id, package, ada.email) == 7
    assert import_with_history(system, ada.org_id, package, "BEA@example.com") == 7
    rows = review_rows(system, ada.org_id)
    assert sorted({r.learner_id for r in rows}) == sorted({ada.user_id, bea.user_id})


def test_the_learner_must_be_a_member(system: System, ada: Principal, tmp_path: Path) -> None:
    outsider = new_member(system, "olga@other.example", "other-org")
    package = build_apkg(tmp_path / "spanish.apkg", decks(), reviews=HISTORY)
    _, imported = system.importers.apkg(OrgId(ada.org_id), package)
    with pytest.raises(NotFound, match="not a member of this organisation"):
        system.importers.apkg_history(OrgId(ada.org_id), "nobody@example.com", imported)
    with pytest.raises(NotFound, match=re.escape("olga@other.example is not a member")):
        system.importers.apkg_history(OrgId(ada.org_id), outsider.email, imported)
    with pytest.raises(InvalidInput, match="not an email address"):
        system.importers.apkg_history(OrgId(ada.org_id), "not-an-email", imported)
    assert review_rows(system, ada.org_id) == [] and review_rows(system, outsider.org_id) == []


def test_the_history_needs_its_deck_stored_first(system: System, ada: Principal, tmp_path: Path) -> None:
    package = build_apkg(tmp_path / "spanish.apkg", decks(), reviews=HISTORY)
    other = new_member(system, "carl@c.example", "org-c")
    _, imported = system.importers.apkg(OrgId(other.org_id), package)
    with pytest.raises(InvalidInput, match="import the deck before its history"):
        system.importers.apkg_history(OrgId(ada.org_id), ada.email, imported)
