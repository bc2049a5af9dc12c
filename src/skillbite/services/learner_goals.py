"""A learner's goals: the courses, skills or lessons they work toward; new bites in a session come from them.

A goal is `{"kind": "course" | "skill" | "lesson", "target": "pack-key/key"}`, checked against the stored
content when it is set. Goals assigned by a manager come first in a session (services/sessions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from skillbite.services.clock import Clock
from skillbite.services.errors import Conflict, NotFound
from skillbite.services.goal_targets import check_target, parse_goal_kind, split_target
from skillbite.services.principal import Principal
from skillbite.store.database import Database
from skillbite.store.repositories.learning import LearnerGoalRepository
from skillbite.store.tables.learning import LearnerGoalRow

MAX_GOALS = 50


@dataclass(frozen=True)
class GoalView:
    kind: str
    target: str
    assigned: bool
    """Set by a manager (not removable by the learner)."""
    due_on: datetime | None
    created_at: datetime


def _view(row: LearnerGoalRow) -> GoalView:
    return GoalView(row.kind, row.target, row.assigned_by is not None, row.due_on, row.created_at)


class LearnerGoalService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def list(self, principal: Principal) -> list[GoalView]:
        with self.db.transaction() as session:
            return [
                _view(r) for r in LearnerGoalRepository(session, principal.org_id).of_user(principal.user_id)
            ]

    def add(self, principal: Principal, kind: str, target: str) -> GoalView:
        goal_kind = parse_goal_kind(kind)
        with self.db.transaction() as session:
            normalised = check_target(session, principal.org_id, goal_kind, target)
            goals = LearnerGoalRepository(session, principal.org_id)
            if goals.find(principal.user_id, goal_kind.value, normalised) is not None:
                raise Conflict(f"you have the {goal_kind.value} goal {normalised!r} already", field="target")
            if len(goals.of_user(principal.user_id)) >= MAX_GOALS:
                raise Conflict(
                    f"you have {MAX_GOALS} goals; remove one before adding another", field="target"
                )
            row = goals.add(
                LearnerGoalRow(
                    user_id=principal.user_id,
                    kind=goal_kind.value,
                    target=normalised,
                    assigned_by=None,
                    created_at=self.clock(),
                )
            )
            return _view(row)

    def remove(self, principal: Principal, kind: str, target: str) -> None:
        goal_kind = parse_goal_kind(kind)
        pack_key, key = split_target(target)
        with self.db.transaction() as session:
            row = LearnerGoalRepository(session, principal.org_id).find(
                principal.user_id, goal_kind.value, f"{pack_key}/{key}"
            )
            if row is None:
                raise NotFound(f"you have no {goal_kind.value} goal {target!r}", field="target")
            if row.assigned_by is not None:
                raise Conflict(
                    "this goal was assigned to you by a manager; ask them to remove it", field="target"
                )
            session.delete(row)
