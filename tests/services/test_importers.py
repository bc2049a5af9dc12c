"""Importers into the database: tldr-pages (a tarball and the real corpus), CSV flashcards, Anki .apkg."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from skillbite.content.importers.anki import item_id_for
from skillbite.domain.content import Cloze, Flashcard, TypedAnswer
from skillbite.domain.ids import OrgId
from skillbite.services.content import PackInvalid
from skillbite.services.errors import InvalidInput
from skillbite.settings import Settings
from skillbite.wiring import System, build_system
from tests.conftest import SHARED, TEST_SECRET, FakeClock
from tests.services.db_counts import row_counts
from tests.services.import_files import ANKI_MEDIA, good_csv, malformed_csv, spanish_apkg, tldr_tarball

TLDR_CORPUS = SHARED / "data" / "corpora" / "tldr-pages-en.tar.gz"


def default_org(system: System) -> OrgId:
    return OrgId(system.organisations.get(system.settings.default_org_slug).id)


def test_a_tldr_tarball_becomes_one_lesson_per_page(system: System, tmp_path: Path) -> None:
    org = default_org(system)
    summary = system.importers.tldr(org, tldr_tarball(tmp_path / "tldr.tar.gz"))
    assert summary.created and summary.pack_key == "tldr-pages"
    assert summary.lessons["added"] == 3 and summary.items["added"] == 7

    pack = system.content.pack(org, "tldr-pages")
    lessons = {lesson.source: lesson for lesson in pack.lessons}
    assert set(lessons) == {"pages/common/tar.md", "pages/common/git-status.md", "pages/linux/apt.md"}
    apt = lessons["pages/linux/apt.md"]
    assert apt.title == "apt" and apt.tags == ("linux",)
    assert "Package management utility" in apt.body
    first = apt.items[0].body
    assert first == TypedAnswer(
        prompt="Update the list of available packages and versions",
        answers=("sudo apt update",),
        placeholders_any=True,
    )
    assert [i.body.answers[0] for i in lessons["pages/common/tar.md"].items] == [  # type: ignore[union-attr]
        "tar cf {{path/to/target.tar}} {{path/to/file1 path/to/file2 ...}}",
        "tar xf {{path/to/source.tar}}",
    ]
    assert [view.key for view in system.content.packs(org)] == ["tldr-pages"]

    again = system.importers.tldr(org, tldr_tarball(tmp_path / "tldr.tar.gz"))
    assert not again.created and again.items["unchanged"] == 7 and again.items["added"] == 0


def test_a_broken_tldr_page_imports_nothing(system: System, tmp_path: Path) -> None:
    before = row_counts(system)
    broken = tldr_tarball(
        tmp_path / "tldr.tar.gz",
        {
            "pages/common/ok.md": "# ok\n\n> Fine.\n\n- Run it:\n\n`ok`\n",
            "pages/common/bad.md": "# bad\n\n> No description before the command.\n\n`bad --flag`\n",
        },
    )
    with pytest.raises(InvalidInput, match=r"pages/common/bad\.md:5"):
        system.importers.tldr(default_org(system), broken)
    with pytest.raises(InvalidInput, match="not a readable tar archive"):
        system.importers.tldr(default_org(system), tmp_path / "missing.tar.gz")
    assert row_counts(system) == before


@pytest.fixture
def sqlite_system(tmp_path: Path, sqlite_template: Path, clock: FakeClock) -> Iterator[System]:
    """The real corpus takes 15-50 s to store: it runs on SQLite only (the small tarball covers both)."""
    path = tmp_path / "corpus.sqlite3"
    shutil.copyfile(sqlite_template, path)
    settings = Settings(
        database_url=f"sqlite:///{path}",
        environment="test",
        secret_key=TEST_SECRET,
        base_url="http://testserver",
        password_hash_profile="owasp-minimum",
    )
    system = build_system(settings, clock=clock)
    system.schema.ensure_default_org()
    yield system
    system.close()


def test_the_whole_english_tldr_corpus_imports(sqlite_system: System) -> None:
    if not TLDR_CORPUS.is_file():
        pytest.skip(f"tldr-pages corpus not found at {TLDR_CORPUS} (see ../shared/README.md)")
    org = default_org(sqlite_system)
    summary = sqlite_system.importers.tldr(org, TLDR_CORPUS)
    assert summary.lessons["added"] == 7425
    pack = sqlite_system.content.pack(org, "tldr-pages")
    assert len(pack.lessons) == 7425
    git_reset = [lesson for lesson in pack.lessons if lesson.title == "git reset"]
    assert [lesson.source for lesson in git_reset] == ["pages/common/git-reset.md"]
    assert all(isinstance(item.body, TypedAnswer) for item in git_reset[0].items)
    assert any(item.body.prompt == "Unstage everything" for item in git_reset[0].items)  # type: ignore[union-attr]


def test_csv_rows_become_flashcards(system: System, tmp_path: Path) -> None:
    org = default_org(system)
    summary = system.importers.csv(org, good_csv(tmp_path / "http-codes.csv"))
    assert summary.created and summary.pack_key == "http-codes" and summary.items["added"] == 3
    pack = system.content.pack(org, "http-codes")
    items = [item for lesson in pack.lessons for item in lesson.items]
    assert [item.body for item in items] == [
        Flashcard("What does HTTP 404 mean?", "Not Found"),
        Flashcard("What does HTTP 503 mean?", "Service Unavailable"),
        Flashcard("Which port does HTTPS use, by default?", "443"),
    ]
    assert items[0].explanation == "The server has no resource at that URL."
    assert items[1].tags == ("http", "ops")
    named = system.importers.csv(org, tmp_path / "http-codes.csv", pack_id="status-codes")
    assert named.pack_key == "status-codes"


def test_a_malformed_csv_row_is_reported_with_its_line_and_nothing_is_imported(
    system: System, tmp_path: Path
) -> None:
    before = row_counts(system)
    with pytest.raises(PackInvalid) as raised:
        system.importers.csv(default_org(system), malformed_csv(tmp_path / "cards.csv"))
    errors = raised.value.report.errors
    assert [(p.file, p.line) for p in errors] == [("cards.csv", 3)]
    assert "column" in errors[0].message
    assert row_counts(system) == before


def test_an_anki_package_becomes_flashcards_and_clozes_with_media(system: System, tmp_path: Path) -> None:
    org = default_org(system)
    summary, imported = system.importers.apkg(org, spanish_apkg(tmp_path / "Spanish words.apkg"))
    assert summary.created and summary.pack_key == "spanish-words"
    assert summary.items["added"] == 3 and summary.media == 2
    pack = system.content.pack(org, "spanish-words")
    bodies = {item.id: item.body for lesson in pack.lessons for item in lesson.items}
    assert bodies == {
        item_id_for("note-perro", 0): Flashcard(
            "perro ![](media/dog.png)", "dog ![audio: perro.mp3](media/perro.mp3)"
        ),
        item_id_for("note-gato", 0): Flashcard("gato", "cat"),
        item_id_for("note-madrid", 0): Cloze("{{c1::Madrid}} is the capital of Spain."),
    }
    for name, data in ANKI_MEDIA.items():
        assert system.content.media(org, "spanish-words", f"media/{name}").data == data
    assert system.content.media(org, "spanish-words", "media/perro.mp3").content_type == "audio/mpeg"
    assert imported.warnings == ()
    assert not imported.pack_root.exists(), "the package's temporary files are removed"


def test_a_broken_anki_package_imports_nothing(system: System, tmp_path: Path) -> None:
    before = row_counts(system)
    broken = tmp_path / "broken.apkg"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InvalidInput):
        system.importers.apkg(default_org(system), broken)
    assert row_counts(system) == before
