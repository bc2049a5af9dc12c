"""Mastery per skill for a learner: now and in 30 days (domain/mastery), from recall and practice.

Item recall comes from the memory states (FSRS retrievability now and 30 days ahead); practice results
from the review log (each answer counts for the skills its lesson teaches); prerequisites from the
organisation's skill graph; the knowledge-tracing parameters are the organisation's adopted set
(services/org_tracing_params: fitted by the background job, the defaults until then).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillbite.domain.ids import ItemId, SkillId
from skillbite.domain.mastery import PracticeResult, SkillMastery, estimate_mastery, is_mastered
from skillbite.domain.memory import retrievability
from skillbite.services.clock import Clock
from skillbite.services.learner_context import learner_context
from skillbite.services.learner_view_cache import LearnerViewCache
from skillbite.services.memory_states import memory_state
from skillbite.services.org_skills import item_skills, org_prerequisites, skill_titles
from skillbite.services.org_tracing_params import org_mastery_params
from skillbite.services.principal import Principal
from skillbite.services.watermarks import ContentVersion
from skillbite.store.database import Database
from skillbite.store.repositories.learning import ItemStateRepository
from skillbite.store.tables.learning import ReviewRow

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
    # Only the three columns mastery needs, in the log's order: whole rows would parse every stored answer.
    reviews = session.execute(
        select(ReviewRow.item_id, ReviewRow.correct, ReviewRow.reviewed_at)
        .where(ReviewRow.org_id == org_id, ReviewRow.learner_id == user_id)
        .order_by(ReviewRow.reviewed_at, ReviewRow.uuid)
    ).all()
    states = ItemStateRepository(session, org_id).of_learner(user_id)
    skills_by_item = item_skills(session, org_id, [r.item_id for r in reviews] + [s.item_id for s in states])

    def skills_of(item_id: int) -> tuple[SkillId, ...]:
        return skills_by_item.get(item_id, ())

    practice = [
        PracticeResult(skill=s, correct=correct, at=at)
        for item_id, correct, at in reviews
        for s in skills_of(item_id)
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
        params=org_mastery_params(session, org_id),
    )


def org_skill_graph(
    views: LearnerViewCache | None, session: Session, org_id: int, version: ContentVersion | None
) -> tuple[dict[SkillId, tuple[SkillId, ...]], dict[SkillId, str]]:
    """The organisation's skill graph and skill titles, kept per content version when a cache is given."""

    def read() -> tuple[dict[SkillId, tuple[SkillId, ...]], dict[SkillId, str]]:
        return org_prerequisites(session, org_id), skill_titles(session, org_id)

    if views is None or version is None:
        return read()
    return views.org_view("skill-graph", org_id, version, read)


class MasteryService:
    def __init__(self, db: Database, clock: Clock, views: LearnerViewCache | None = None) -> None:
        self.db = db
        self.clock = clock
        self.views = views

    def of_learner(self, principal: Principal) -> list[SkillMasteryView]:
        if self.views is None:
            return self._of_learner(principal, None)
        return list(
            self.views.view("mastery", principal, lambda mark: self._of_learner(principal, mark.content))
        )

    def _of_learner(self, principal: Principal, version: ContentVersion | None) -> list[SkillMasteryView]:
        with self.db.transaction() as session:
            graph, titles = org_skill_graph(self.views, session, principal.org_id, version)
            mastery = learner_mastery(session, principal.org_id, principal.user_id, self.clock(), graph)
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
