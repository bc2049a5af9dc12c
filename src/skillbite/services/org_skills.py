"""An organisation's skill graph across its packs, with qualified skill ids `pack-key/skill-key`.

Inside a pack, skills and lessons name skills by their key; a prerequisite of another pack is written
`other-pack:skill`. Here every skill is qualified, so the graph spans packs without clashes.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillbite.domain.ids import SkillId
from skillbite.store.repositories.content import PackRepository, SkillRepository
from skillbite.store.tables.content import ItemRow, LessonRow, PackRow


def qualify(pack_key: str, skill_key: str) -> SkillId:
    if ":" in skill_key:
        other_pack, other_skill = skill_key.split(":", 1)
        return SkillId(f"{other_pack}/{other_skill}")
    return SkillId(f"{pack_key}/{skill_key}")


def org_prerequisites(session: Session, org_id: int) -> dict[SkillId, tuple[SkillId, ...]]:
    packs = {p.id: p.key for p in PackRepository(session, org_id).all()}
    graph: dict[SkillId, tuple[SkillId, ...]] = {}
    for skill in SkillRepository(session, org_id).all():
        pack_key = packs[skill.pack_id]
        graph[qualify(pack_key, skill.key)] = tuple(qualify(pack_key, p) for p in skill.prerequisites)
    known = set(graph)
    # A prerequisite of a pack that is not imported (yet) is left out rather than breaking the graph.
    return {skill: tuple(p for p in prereqs if p in known) for skill, prereqs in graph.items()}


def prerequisite_subgraph(
    session: Session, org_id: int, targets: list[SkillId]
) -> dict[SkillId, tuple[SkillId, ...]]:
    """The targets and everything they require, loaded skill by skill (one query per level of the graph),
    so that a question about one skill never reads an organisation's thousands of skills."""
    packs = {p.key: p.id for p in PackRepository(session, org_id).all()}
    keys = {p_id: key for key, p_id in packs.items()}
    repo = SkillRepository(session, org_id)
    graph: dict[SkillId, tuple[SkillId, ...]] = {}
    frontier = set(targets)
    while frontier:
        wanted = [
            (packs[s.split("/", 1)[0]], s.split("/", 1)[1]) for s in frontier if s.split("/", 1)[0] in packs
        ]
        found = {
            qualify(keys[pack_id], key): tuple(qualify(keys[pack_id], p) for p in prerequisites)
            for pack_id, key, prerequisites in repo.prerequisites_by_pack_and_keys(wanted)
        }
        for skill in frontier:
            graph[skill] = found.get(skill, ())
        frontier = {p for prereqs in graph.values() for p in prereqs} - graph.keys()
    known = set(graph)
    return {skill: tuple(p for p in prereqs if p in known) for skill, prereqs in graph.items()}


def skill_titles(session: Session, org_id: int) -> dict[SkillId, str]:
    packs = {p.id: p.key for p in PackRepository(session, org_id).all()}
    return {qualify(packs[s.pack_id], s.key): s.title for s in SkillRepository(session, org_id).all()}


def item_skills(session: Session, org_id: int, item_ids: Iterable[int]) -> dict[int, tuple[SkillId, ...]]:
    """The qualified skills each item practises (those of its lesson), in one query of three small columns:
    loading whole item and lesson rows would parse every item's body and every lesson's text."""
    wanted = sorted(set(item_ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(ItemRow.id, LessonRow.skills, PackRow.key)
        .join(LessonRow, LessonRow.id == ItemRow.lesson_id)
        .join(PackRow, PackRow.id == LessonRow.pack_id)
        .where(
            ItemRow.org_id == org_id,
            LessonRow.org_id == org_id,
            PackRow.org_id == org_id,
            ItemRow.id.in_(wanted),
        )
    )
    return {item_id: tuple(qualify(pack_key, s) for s in skills) for item_id, skills, pack_key in rows}
