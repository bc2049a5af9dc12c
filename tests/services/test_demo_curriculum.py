"""The demo curriculum: three packs that validate, with enough lessons, items, item kinds and skill depth."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillbite.content.demo_packs import demo_pack_paths
from skillbite.content.pack_reader import read_pack
from skillbite.content.pack_validate import validate_pack
from skillbite.domain.content import ItemKind, Pack, Skill
from skillbite.domain.ids import OrgId
from skillbite.domain.skill_graph import SkillGraph
from skillbite.store.tables.content import ItemRow, LessonRow, SkillRow
from skillbite.wiring import System


def demo_packs() -> list[Pack]:
    packs = []
    for path in demo_pack_paths():
        pack, report = read_pack(path)
        assert pack is not None, "\n".join(p.format() for p in report.problems)
        packs.append(pack)
    return packs


def test_there_are_three_demo_packs() -> None:
    assert [p.name for p in demo_pack_paths()] == ["git-in-the-flow", "sql-everyday", "useful-feedback"]


@pytest.mark.parametrize("path", demo_pack_paths(), ids=lambda p: p.name)
def test_each_demo_pack_validates_without_errors(path: Path) -> None:
    report = validate_pack(path)
    assert report.errors == [], "\n".join(p.format() for p in report.errors)


def test_the_curriculum_is_big_enough() -> None:
    packs = demo_packs()
    lessons = [lesson for pack in packs for lesson in pack.lessons]
    items = [item for lesson in lessons for item in lesson.items]
    skills = [skill for pack in packs for skill in pack.skills]
    assert len(lessons) >= 30
    assert len(items) >= 120
    assert len(skills) >= 40
    assert {item.kind for item in items} == set(ItemKind)
    assert len({skill.id for skill in skills}) == len(skills), "skill ids are unique across the demo packs"


def test_every_demo_lesson_is_a_bite() -> None:
    for pack in demo_packs():
        for lesson in pack.lessons:
            assert 1 <= lesson.minutes <= 10, f"{pack.id}/{lesson.id}: {lesson.minutes} minutes"
            assert lesson.items, f"{pack.id}/{lesson.id} has no practice item"


def test_the_prerequisite_graph_is_at_least_four_levels_deep() -> None:
    skills: list[Skill] = [skill for pack in demo_packs() for skill in pack.skills]
    graph = SkillGraph.from_skills(skills)
    assert graph.find_cycle() is None
    assert graph.missing_prerequisites() == []
    assert graph.depth() >= 4
    per_pack = [SkillGraph.from_skills(pack.skills).depth() for pack in demo_packs()]
    assert max(per_pack) >= 4, per_pack


def test_the_demo_packs_import(system: System) -> None:
    org = OrgId(system.organisations.get(system.settings.default_org_slug).id)
    packs = demo_packs()
    for path in demo_pack_paths():
        system.content.import_pack(org, path)
    listed = {view.key: view for view in system.content.packs(org)}
    assert set(listed) == {pack.id for pack in packs}
    for pack in packs:
        assert listed[pack.id].lessons == len(pack.lessons)
        assert listed[pack.id].items == sum(len(lesson.items) for lesson in pack.lessons)
    with system.db.transaction() as session:
        assert session.query(LessonRow).filter_by(org_id=org).count() == sum(len(p.lessons) for p in packs)
        assert session.query(ItemRow).filter_by(org_id=org).count() == sum(
            len(lesson.items) for p in packs for lesson in p.lessons
        )
        assert session.query(SkillRow).filter_by(org_id=org).count() == sum(len(p.skills) for p in packs)
