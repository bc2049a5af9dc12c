"""Mastery per skill for a learner: now and in 30 days (domain/mastery), from recall and practice.

Item recall comes from the memory states (FSRS retrievability now and 30 days ahead); practice results
from the review log (each answer counts for the skills its lesson teaches); prerequisites from the
organisation's skill graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from skillbite.domain.ids import ItemId, SkillId
from skillbite.domain.mastery import PracticeResult, SkillMastery, estimate_mastery, is_mastered
from skillbite.domain.memory import retrievability
from skillbite.services.clock import Clock
from skillbite.services.learner_context import learner_context
from skillbite.services.memory_states import memory_state
from skillbite.services.org_skills import org_prerequisites, qualify, skill_titles
from skillbite.services.principal import Principal
from skillbite.store.database import Database
from skillbite.store.repositories.content import ItemRepository, LessonRepository, PackRepository
from skillbite.store.repositories.learning import ItemStateRepository, ReviewRepository

FORECAST = timedelta(days=30)


@dataclass(frozen=True)
class SkillMasteryView:
    skill: str
    title: str
    now: float
    in_30_days: float
    mastered: bool
    answers: int
    limited_by: str | None


def learner_mastery(
    session: Session,
    org_id: int,
    user_id: int,
    now: datetime,
    graph: dict[SkillId, tuple[SkillId, ...]] | None = None,
) -> dict[SkillId, SkillMastery]:
    """Mastery of the skills of `graph` (default: the organisation's whole skill graph) and of every skill the
    learner has practised."""
    context = learner_context(session, org_id, user_id)
    packs = {p.id: p.key for p in PackRepository(session, org_id).all()}
    reviews = ReviewRepository(session, org_id).of_learner(user_id)
    states = ItemStateRepository(session, org_id).of_learner(user_id)
    item_ids = sorted({r.item_id for r in reviews} | {s.item_id for s in states})
    items = ItemRepository(session, org_id).by_ids(item_ids)
    lessons = LessonRepository(session, org_id).by_ids(sorted({i.lesson_id for i in items.values()}))

    def skills_of(item_id: int) -> list[SkillId]:
        item = items.get(item_id)
        lesson = lessons.get(item.lesson_id) if item else None
        return [qualify(packs[lesson.pack_id], s) for s in lesson.skills] if lesson else []

    practice = [
        PracticeResult(skill=s, correct=r.correct, at=r.reviewed_at)
        for r in reviews
        for s in skills_of(r.item_id)
    ]
    item_recall: dict[ItemId, tuple[float, float]] = {}
    items_by_skill: dict[SkillId, list[ItemId]] = {}
    for row in states:
        state = memory_state(row)
        assert state is not None
        key = ItemId(str(row.item_id))
        item_recall[key] = (
            retrievability(state, now, context.params),
            retrievability(state, now + FORECAST, context.params),
        )
        for skill in skills_of(row.item_id):
            items_by_skill.setdefault(skill, []).append(key)
    if graph is None:
        graph = org_prerequisites(session, org_id)
    return estimate_mastery(
        prerequisites=graph,
        practice=practice,
        item_recall=item_recall,
        items_by_skill=items_by_skill,
        now=now,
    )


class MasteryService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def of_learner(self, principal: Principal) -> list[SkillMasteryView]:
        with self.db.transaction() as session:
            mastery = learner_mastery(session, principal.org_id, principal.user_id, self.clock())
            titles = skill_titles(session, principal.org_id)
        return [
            SkillMasteryView(
                skill=m.skill,
                title=titles.get(m.skill, m.skill),
                now=round(m.now, 4),
                in_30_days=round(m.in_30_days, 4),
                mastered=is_mastered(m),
                answers=m.answers,
                limited_by=m.limited_by,
            )
            for m in sorted(mastery.values(), key=lambda m: m.skill)
            if m.answers or m.items
        ]
