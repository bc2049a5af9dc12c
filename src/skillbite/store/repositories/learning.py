"""Tenant-scoped repositories for the review log, memory states, learner profiles, parameters and jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import Executable

from skillbite.store.repositories.tenant import TenantRepository
from skillbite.store.tables.base import Base
from skillbite.store.tables.content import ItemRow
from skillbite.store.tables.learning import (
    ItemStateRow,
    JobRow,
    LearnerGoalRow,
    LearnerParamsRow,
    LearnerProfileRow,
    OrgLearningSettingsRow,
    ReviewRow,
)


def insert_ignoring_duplicates(session: Session, model: type[Base], values: dict[str, Any]) -> Executable:
    """INSERT ... ON CONFLICT DO NOTHING on both backends: a concurrent first request may insert it first."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(model).values(**values).on_conflict_do_nothing()


class ReviewRepository(TenantRepository[ReviewRow]):
    model = ReviewRow

    def by_uuid(self, uuid: str) -> ReviewRow | None:
        return self.session.scalars(self._select().where(ReviewRow.uuid == uuid)).one_or_none()

    def by_uuids(self, uuids: list[str]) -> dict[str, ReviewRow]:
        if not uuids:
            return {}
        rows = self.session.scalars(self._select().where(ReviewRow.uuid.in_(uuids)))
        return {row.uuid: row for row in rows}

    def of_item(self, learner_id: int, item_id: int) -> list[ReviewRow]:
        query = self._select().where(ReviewRow.learner_id == learner_id, ReviewRow.item_id == item_id)
        return list(self.session.scalars(query.order_by(ReviewRow.reviewed_at, ReviewRow.uuid)))

    def of_learner(self, learner_id: int) -> list[ReviewRow]:
        query = self._select().where(ReviewRow.learner_id == learner_id)
        return list(self.session.scalars(query.order_by(ReviewRow.reviewed_at, ReviewRow.uuid)))

    def all_in_order(self) -> list[ReviewRow]:
        query = self._select().order_by(ReviewRow.learner_id, ReviewRow.item_id, ReviewRow.reviewed_at)
        return list(self.session.scalars(query))

    def learners(self) -> list[int]:
        query = select(ReviewRow.learner_id).where(ReviewRow.org_id == self.org_id).distinct()
        return sorted(self.session.scalars(query))

    def count_for(self, learner_id: int) -> int:
        query = select(func.count()).where(
            ReviewRow.org_id == self.org_id, ReviewRow.learner_id == learner_id
        )
        return int(self.session.scalar(query) or 0)

    def right_answer_timings(
        self, learner_id: int, kind: str, limit: int = 200, *, before: datetime | None = None
    ) -> list[int]:
        """The learner's most recent timed right answers to items of one kind (for grading and planning),
        only those answered before `before` when it is given."""
        query = (
            select(ReviewRow.response_ms)
            .join(ItemRow, ItemRow.id == ReviewRow.item_id)
            .where(
                ReviewRow.org_id == self.org_id,
                ReviewRow.learner_id == learner_id,
                ReviewRow.correct.is_(True),
                ItemRow.kind == kind,
            )
            .order_by(ReviewRow.reviewed_at.desc())
            .limit(limit)
        )
        if before is not None:
            query = query.where(ReviewRow.reviewed_at < before)
        return list(self.session.scalars(query))


class ItemStateRepository(TenantRepository[ItemStateRow]):
    model = ItemStateRow

    def of(self, learner_id: int, item_id: int) -> ItemStateRow | None:
        query = self._select().where(ItemStateRow.learner_id == learner_id, ItemStateRow.item_id == item_id)
        return self.session.scalars(query).one_or_none()

    def of_learner(self, learner_id: int) -> list[ItemStateRow]:
        return list(self.session.scalars(self._select().where(ItemStateRow.learner_id == learner_id)))

    def due(self, learner_id: int, now: datetime) -> list[ItemStateRow]:
        query = self._select().where(ItemStateRow.learner_id == learner_id, ItemStateRow.due <= now)
        return list(self.session.scalars(query.order_by(ItemStateRow.due)))

    def all(self) -> list[ItemStateRow]:
        query = self._select().order_by(ItemStateRow.learner_id, ItemStateRow.item_id)
        return list(self.session.scalars(query))

    def delete_all(self) -> None:
        self.session.execute(delete(ItemStateRow).where(ItemStateRow.org_id == self.org_id))


class LearnerProfileRepository(TenantRepository[LearnerProfileRow]):
    model = LearnerProfileRow

    def of_user(self, user_id: int) -> LearnerProfileRow | None:
        return self.session.scalars(self._select().where(LearnerProfileRow.user_id == user_id)).one_or_none()

    def get_or_create(self, user_id: int) -> LearnerProfileRow:
        """The learner's profile, created on first use. Two first requests may race (a service worker
        fetches a whole session at once): the second insert is ignored and both read the same row."""
        existing = self.of_user(user_id)
        if existing is not None:
            return existing
        values = {
            "org_id": self.org_id,
            "user_id": user_id,
            "timezone": "UTC",
            "daily_goal_minutes": 5,
            "daily_goal_kind": "minutes",
            "daily_goal_xp": 50,
            "day_start_hour": 4,
        }
        self.session.execute(insert_ignoring_duplicates(self.session, LearnerProfileRow, values))
        found = self.of_user(user_id)
        assert found is not None
        return found

    def all(self) -> list[LearnerProfileRow]:
        return list(self.session.scalars(self._select().order_by(LearnerProfileRow.user_id)))


class LearnerParamsRepository(TenantRepository[LearnerParamsRow]):
    model = LearnerParamsRow

    def latest(self, user_id: int) -> LearnerParamsRow | None:
        query = (
            self._select()
            .where(LearnerParamsRow.user_id == user_id)
            .order_by(LearnerParamsRow.created_at.desc(), LearnerParamsRow.id.desc())
            .limit(1)
        )
        return self.session.scalars(query).one_or_none()

    def by_version(self, user_id: int, version: str) -> LearnerParamsRow | None:
        query = self._select().where(LearnerParamsRow.user_id == user_id, LearnerParamsRow.version == version)
        return self.session.scalars(query).one_or_none()


class OrgLearningSettingsRepository(TenantRepository[OrgLearningSettingsRow]):
    model = OrgLearningSettingsRow

    def current(self) -> OrgLearningSettingsRow | None:
        return self.session.scalars(self._select()).one_or_none()

    def get_or_create(self) -> OrgLearningSettingsRow:
        existing = self.current()
        if existing is not None:
            return existing
        values = {"org_id": self.org_id, "tag_retention": {}, "min_retention": 0.7, "max_retention": 0.97}
        self.session.execute(insert_ignoring_duplicates(self.session, OrgLearningSettingsRow, values))
        found = self.current()
        assert found is not None
        return found


class LearnerGoalRepository(TenantRepository[LearnerGoalRow]):
    model = LearnerGoalRow

    def of_user(self, user_id: int) -> list[LearnerGoalRow]:
        query = self._select().where(LearnerGoalRow.user_id == user_id)
        return list(self.session.scalars(query.order_by(LearnerGoalRow.created_at, LearnerGoalRow.id)))

    def find(self, user_id: int, kind: str, target: str) -> LearnerGoalRow | None:
        query = self._select().where(
            LearnerGoalRow.user_id == user_id, LearnerGoalRow.kind == kind, LearnerGoalRow.target == target
        )
        return self.session.scalars(query).one_or_none()


class JobRepository(TenantRepository[JobRow]):
    model = JobRow

    def queued(self, kind: str, payload_key: str, payload_value: object) -> list[JobRow]:
        query = self._select().where(JobRow.kind == kind, JobRow.status == "queued")
        return [job for job in self.session.scalars(query) if job.payload.get(payload_key) == payload_value]

    def of_kind(self, kind: str, payload_key: str, payload_value: object) -> list[JobRow]:
        """Jobs of `kind`, any status, whose payload holds `payload_key` = `payload_value`, oldest first."""
        query = self._select().where(JobRow.kind == kind).order_by(JobRow.created_at, JobRow.id)
        return [job for job in self.session.scalars(query) if job.payload.get(payload_key) == payload_value]

    def all(self) -> list[JobRow]:
        return list(self.session.scalars(self._select().order_by(JobRow.created_at, JobRow.id)))


def next_queued_job(session: Session) -> JobRow | None:
    """The oldest queued job of any organisation: the worker runs jobs for every tenant.

    On PostgreSQL the row is locked and locked rows are skipped, so two workers never take the same job
    (SQLite has one writer at a time and ignores the clause).
    """
    query = (
        select(JobRow)
        .where(JobRow.status == "queued")
        .order_by(JobRow.created_at, JobRow.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return session.scalars(query).one_or_none()
