"""Importing a pack into an organisation: what is stored, all-or-nothing, the re-import rules, tenancy."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from skillbite.domain.ids import OrgId
from skillbite.services import content as content_module
from skillbite.services.content import PackInvalid
from skillbite.services.errors import InvalidInput
from skillbite.store.tables.content import CourseRow, ItemRow, LessonRow, MediaRow, PackRow, SkillRow
from skillbite.wiring import System
from tests.conftest import FakeClock
from tests.services.db_counts import row_counts

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "packs" / "hello-skillbite"


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """A copy of the example pack that a test may edit."""
    target = tmp_path / "hello-skillbite"
    shutil.copytree(EXAMPLE, target)
    return target


def default_org(system: System) -> OrgId:
    return OrgId(system.organisations.get(system.settings.default_org_slug).id)


def edit(path: Path, old: str, new: str) -> None:
    text_before = path.read_text(encoding="utf-8")
    assert old in text_before, f"{old!r} not in {path}"
    path.write_text(text_before.replace(old, new), encoding="utf-8")


def items_by_key(system: System, org: OrgId) -> dict[str, ItemRow]:
    with system.db.transaction() as session:
        rows = session.scalars(select(ItemRow).where(ItemRow.org_id == org)).all()
        session.expunge_all()
        return {row.key: row for row in rows}


def lessons_by_key(system: System, org: OrgId) -> dict[str, LessonRow]:
    with system.db.transaction() as session:
        rows = session.scalars(select(LessonRow).where(LessonRow.org_id == org)).all()
        session.expunge_all()
        return {row.key: row for row in rows}


def count(system: System, table: Any, org: OrgId) -> int:
    with system.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(table).where(table.org_id == org)) or 0


def test_import_stores_skills_courses_lessons_items_and_media(system: System, pack_dir: Path) -> None:
    org = default_org(system)
    summary = system.content.import_pack(org, pack_dir)
    assert summary.created and summary.pack_key == "hello-skillbite" and summary.version == "1.0.0"
    assert summary.lessons == {"added": 2, "updated": 0, "retired": 0}
    assert summary.items["added"] == 7 and summary.skills == 3 and summary.courses == 1 and summary.media == 1
    assert count(system, PackRow, org) == 1
    assert count(system, SkillRow, org) == 3
    assert count(system, CourseRow, org) == 1
    assert count(system, LessonRow, org) == 2
    assert count(system, ItemRow, org) == 7
    media = system.content.media(org, "hello-skillbite", "media/pack-layout.svg")
    assert media.data == (EXAMPLE / "media" / "pack-layout.svg").read_bytes()
    assert media.content_type == "image/svg+xml"
    lessons = lessons_by_key(system, org)
    assert [lessons[k].position for k in ("pack-layout", "practice-items")] == [0, 1]
    assert lessons["pack-layout"].skills == ["pack.layout"]
    items = items_by_key(system, org)
    assert items["practice-items.validate"].kind == "typed_answer"
    assert items["practice-items.validate"].lesson_id == lessons["practice-items"].id


def test_a_pack_with_one_error_imports_nothing(system: System, pack_dir: Path) -> None:
    org = default_org(system)
    before = row_counts(system)
    edit(
        pack_dir / "lessons" / "practice-items.md",
        'answers: ["skillbite pack validate {{path/to/pack}}"]',
        "answers: []",
    )
    with pytest.raises(PackInvalid) as raised:
        system.content.import_pack(org, pack_dir)
    assert [p.file for p in raised.value.report.errors] == ["lessons/practice-items.md"]
    assert row_counts(system) == before


def test_a_failure_while_storing_keeps_the_previous_version(
    system: System, pack_dir: Path, monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    org = default_org(system)
    system.content.import_pack(org, pack_dir)
    before_counts = row_counts(system)
    before_items = {k: (r.id, r.body, r.retired_at) for k, r in items_by_key(system, org).items()}
    before_pack = system.content.pack(org, "hello-skillbite")

    edit(pack_dir / "pack.md", "version: 1.0.0", "version: 2.0.0")
    edit(pack_dir / "lessons" / "practice-items.md", "Why must an item keep", "Why should an item keep")
    (pack_dir / "lessons" / "pack-layout.md").unlink()
    edit(
        pack_dir / "courses" / "hello-skillbite.md",
        "lessons: [pack-layout, practice-items]",
        "lessons: [practice-items]",
    )

    class BrokenIndex:
        def replace_documents(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("search index is down")

    monkeypatch.setattr(content_module, "index_for", lambda *a, **k: BrokenIndex())
    clock.advance(days=1)
    with pytest.raises(RuntimeError, match="search index is down"):
        system.content.import_pack(org, pack_dir)

    assert row_counts(system) == before_counts
    assert {k: (r.id, r.body, r.retired_at) for k, r in items_by_key(system, org).items()} == before_items
    assert system.content.pack(org, "hello-skillbite") == before_pack


def test_reimporting_the_same_pack_changes_nothing(system: System, pack_dir: Path, clock: FakeClock) -> None:
    org = default_org(system)
    system.content.import_pack(org, pack_dir)
    items_before = {
        k: (r.id, r.content_fingerprint, r.answer_changed_at) for k, r in items_by_key(system, org).items()
    }
    lessons_before = {k: r.id for k, r in lessons_by_key(system, org).items()}
    counts_before = row_counts(system)
    clock.advance(days=3)
    summary = system.content.import_pack(org, pack_dir)
    assert not summary.created
    assert summary.items == {"added": 0, "unchanged": 7, "reworded": 0, "answer_changed": 0, "retired": 0}
    assert summary.lessons == {"added": 0, "updated": 2, "retired": 0}
    assert {
        k: (r.id, r.content_fingerprint, r.answer_changed_at) for k, r in items_by_key(system, org).items()
    } == items_before
    assert {k: r.id for k, r in lessons_by_key(system, org).items()} == lessons_before
    assert row_counts(system) == counts_before


def test_a_reworded_item_keeps_its_row(system: System, pack_dir: Path, clock: FakeClock) -> None:
    org = default_org(system)
    system.content.import_pack(org, pack_dir)
    before = items_by_key(system, org)["practice-items.validate"]
    edit(
        pack_dir / "lessons" / "practice-items.md",
        "Which command checks the pack in the folder my-pack?",
        "What do you type to check the pack in the folder my-pack?",
    )
    clock.advance(days=1)
    summary = system.content.import_pack(org, pack_dir)
    assert summary.items["reworded"] == 1 and summary.items["unchanged"] == 6
    after = items_by_key(system, org)["practice-items.validate"]
    assert after.id == before.id
    assert after.content_fingerprint != before.content_fingerprint
    assert after.answer_fingerprint == before.answer_fingerprint
    assert after.answer_changed_at is None
    assert after.body["prompt"] == "What do you type to check the pack in the folder my-pack?"


def test_a_changed_answer_is_marked(system: System, pack_dir: Path, clock: FakeClock) -> None:
    org = default_org(system)
    system.content.import_pack(org, pack_dir)
    before = items_by_key(system, org)["pack-layout.media-root"]
    edit(pack_dir / "lessons" / "pack-layout.md", "answer: false", "answer: true")
    clock.advance(days=2)
    summary = system.content.import_pack(org, pack_dir)
    assert summary.items["answer_changed"] == 1 and summary.items["reworded"] == 0
    after = items_by_key(system, org)["pack-layout.media-root"]
    assert after.id == before.id
    assert after.answer_changed_at == clock.now


def test_removed_items_and_lessons_are_retired_then_revived(
    system: System, pack_dir: Path, clock: FakeClock
) -> None:
    org = default_org(system)
    system.content.import_pack(org, pack_dir)
    ids_before = {k: r.id for k, r in items_by_key(system, org).items()}
    lesson_ids_before = {k: r.id for k, r in lessons_by_key(system, org).items()}
    original_practice = (pack_dir / "lessons" / "practice-items.md").read_text(encoding="utf-8")
    original_layout = (pack_dir / "lessons" / "pack-layout.md").read_bytes()
    original_course = (pack_dir / "courses" / "hello-skillbite.md").read_bytes()

    # version 2: the lesson pack-layout (4 items) and the flashcard of practice-items are gone
    (pack_dir / "lessons" / "pack-layout.md").unlink()
    edit(
        pack_dir / "courses" / "hello-skillbite.md",
        "lessons: [pack-layout, practice-items]",
        "lessons: [practice-items]",
    )
    flashcard = original_practice[original_practice.index("```item\nid: practice-items.stable-ids") :]
    (pack_dir / "lessons" / "practice-items.md").write_text(original_practice.replace(flashcard, ""), "utf-8")
    (pack_dir / "media" / "pack-layout.svg").unlink()
    clock.advance(days=1)
    retired_at = clock.now
    summary = system.content.import_pack(org, pack_dir)
    assert summary.lessons == {"added": 0, "updated": 1, "retired": 1}
    assert summary.items["retired"] == 5 and summary.items["unchanged"] == 2

    items = items_by_key(system, org)
    assert {k: r.id for k, r in items.items()} == ids_before  # rows kept
    retired = {k for k, r in items.items() if r.retired_at is not None}
    assert retired == {
        "pack-layout.where-skills",
        "pack-layout.media-root",
        "pack-layout.order",
        "pack-layout.files",
        "practice-items.stable-ids",
    }
    assert all(items[k].retired_at == retired_at for k in retired)
    lessons = lessons_by_key(system, org)
    assert lessons["pack-layout"].retired_at == retired_at and lessons["practice-items"].retired_at is None

    [listed] = system.content.packs(org)
    assert (listed.lessons, listed.items) == (1, 2)  # retired rows are not counted
    exported = system.content.pack(org, "hello-skillbite")
    assert [lesson.id for lesson in exported.lessons] == ["practice-items"]
    assert [i.id for i in exported.lessons[0].items] == ["practice-items.fence", "practice-items.validate"]
    out = system.content.export_pack(org, "hello-skillbite", pack_dir.parent / "export")
    assert not (out / "lessons" / "pack-layout.md").exists()
    assert "stable-ids" not in (out / "lessons" / "practice-items.md").read_text(encoding="utf-8")

    # version 3: both come back, on the same rows
    (pack_dir / "lessons" / "practice-items.md").write_text(original_practice, "utf-8")
    (pack_dir / "lessons" / "pack-layout.md").write_bytes(original_layout)
    (pack_dir / "courses" / "hello-skillbite.md").write_bytes(original_course)
    shutil.copy(EXAMPLE / "media" / "pack-layout.svg", pack_dir / "media" / "pack-layout.svg")
    clock.advance(days=1)
    summary = system.content.import_pack(org, pack_dir)
    assert summary.lessons == {"added": 0, "updated": 2, "retired": 0}
    assert summary.items["added"] == 0 and summary.items["unchanged"] == 7
    items = items_by_key(system, org)
    assert {k: r.id for k, r in items.items()} == ids_before
    assert all(r.retired_at is None for r in items.values())
    assert {k: r.id for k, r in lessons_by_key(system, org).items()} == lesson_ids_before
    assert lessons_by_key(system, org)["pack-layout"].retired_at is None
    assert [lesson.id for lesson in system.content.pack(org, "hello-skillbite").lessons] == [
        "pack-layout",
        "practice-items",
    ]


def test_an_organisation_never_touches_another_organisations_pack(
    system: System, pack_dir: Path, clock: FakeClock
) -> None:
    org_a = OrgId(system.organisations.create("org-a").id)
    org_b = OrgId(system.organisations.create("org-b").id)
    system.content.import_pack(org_b, pack_dir)
    b_items = {
        k: (r.id, r.body, r.retired_at, r.answer_changed_at) for k, r in items_by_key(system, org_b).items()
    }
    b_pack = system.content.pack(org_b, "hello-skillbite")

    # org A imports a different version under the same key: an item reworded, an answer changed, a lesson gone
    edit(pack_dir / "pack.md", "version: 1.0.0", "version: 2.0.0")
    edit(pack_dir / "lessons" / "practice-items.md", "Which command checks", "What checks")
    edit(pack_dir / "lessons" / "practice-items.md", "type: flashcard", "type: flashcard\ntags: [a-only]")
    clock.advance(days=1)
    summary_a = system.content.import_pack(org_a, pack_dir)
    assert summary_a.created  # a new pack for A, not an update of B's
    (pack_dir / "lessons" / "pack-layout.md").unlink()
    edit(
        pack_dir / "courses" / "hello-skillbite.md",
        "lessons: [pack-layout, practice-items]",
        "lessons: [practice-items]",
    )
    system.content.import_pack(org_a, pack_dir)

    assert {
        k: (r.id, r.body, r.retired_at, r.answer_changed_at) for k, r in items_by_key(system, org_b).items()
    } == b_items
    assert system.content.pack(org_b, "hello-skillbite") == b_pack
    assert system.content.pack(org_a, "hello-skillbite").version == "2.0.0"
    assert [p.key for p in system.content.packs(org_b)] == ["hello-skillbite"]
    assert count(system, MediaRow, org_a) == count(system, MediaRow, org_b) == 1


def test_a_missing_path_is_a_clear_error(system: System, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as raised:
        system.content.import_pack(default_org(system), tmp_path / "nowhere")
    assert "nowhere" in raised.value.message
