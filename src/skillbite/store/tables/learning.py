"""Learning: the append-only review log, the memory state folded from it, learner settings and parameters.

The review log is the source of truth. `item_states` is a cache of the fold of each (learner, item)'s reviews
in time order; `skillbite recompute` rebuilds it from the log and must give identical rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from skillbite.store.tables.base import Base, TenantOwned, UTCDateTime


class ReviewRow(TenantOwned, Base):
    """One answer. Never updated or deleted; a repeat of its uuid with the same body is a no-op."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("org_id", "uuid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), nullable=False)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    tz: Mapped[str] = mapped_column(String(64), nullable=False)
    answer: Mapped[Any] = mapped_column(JSON, nullable=True)
    correct: Mapped[bool] = mapped_column(Boolean, nullable=False)
    response_ms: Mapped[int] = mapped_column(Integer, nullable=False)
    score: Mapped[float] = mapped_column(Float, nullable=False)
    grade: Mapped[int] = mapped_column(Integer, nullable=False)
    due_after: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    """The due date this answer produced, returned again when the same review is posted again."""
    params_version: Mapped[str] = mapped_column(String(64), nullable=False)
    body_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    """SHA-256 of the submitted body, to tell an identical repeat (no-op) from a conflicting one (409)."""
    source: Mapped[str] = mapped_column(String(20), nullable=False, default="app")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class ItemStateRow(TenantOwned, Base):
    """The memory state of one item for one learner: the fold of its reviews (a cache of the log)."""

    __tablename__ = "item_states"
    __table_args__ = (UniqueConstraint("org_id", "learner_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    stability: Mapped[float] = mapped_column(Float, nullable=False)
    difficulty: Mapped[float] = mapped_column(Float, nullable=False)
    due: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    last_review: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    reps: Mapped[int] = mapped_column(Integer, nullable=False)
    lapses: Mapped[int] = mapped_column(Integer, nullable=False)
    last_tz: Mapped[str] = mapped_column(String(64), nullable=False)


class LearnerProfileRow(TenantOwned, Base):
    """A learner's own settings within an organisation."""

    __tablename__ = "learner_profiles"
    __table_args__ = (UniqueConstraint("org_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="UTC")
    desired_retention: Mapped[float | None] = mapped_column(Float, nullable=True)
    daily_goal_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=5)
    daily_goal_kind: Mapped[str] = mapped_column(String(10), nullable=False, default="minutes")
    """`minutes` or `xp`: what the daily goal counts (domain/daily_goal.GoalKind)."""
    daily_goal_xp: Mapped[int] = mapped_column(Integer, nullable=False, default=50)
    reminder_time: Mapped[str | None] = mapped_column(String(5), nullable=True)
    day_start_hour: Mapped[int] = mapped_column(Integer, nullable=False, default=4)


class LearnerParamsRow(TenantOwned, Base):
    """A learner's FSRS parameters, one row per version; the newest is used for new reviews."""

    __tablename__ = "learner_params"
    __table_args__ = (UniqueConstraint("org_id", "user_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(String(64), nullable=False)
    params: Mapped[list[float]] = mapped_column(JSON, nullable=False)
    scored_reviews: Mapped[int] = mapped_column(Integer, nullable=False)
    log_loss_default: Mapped[float | None] = mapped_column(Float, nullable=True)
    log_loss_fitted: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class OrgTracingParamsRow(TenantOwned, Base):
    """An organisation's adopted knowledge-tracing parameters, one row per adoption; the newest is used.

    `params` is `domain.tracing_params_json`'s dict. The holdout figures are on the newest answers of each
    learner at fitting time: the fitted set against the set in use then (the defaults before any fit)."""

    __tablename__ = "org_tracing_params"
    __table_args__ = (UniqueConstraint("org_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    """1 for the organisation's first adopted set, then one more per adoption."""
    fitted_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    answers_used: Mapped[int] = mapped_column(Integer, nullable=False)
    """Answers (one per skill an item practises) the set was fitted on."""
    skills_fitted: Mapped[int] = mapped_column(Integer, nullable=False)
    """Skills with their own terms (MIN_ANSWERS_PER_SKILL answers or more)."""
    holdout_answers: Mapped[int] = mapped_column(Integer, nullable=False)
    log_loss_fitted: Mapped[float] = mapped_column(Float, nullable=False)
    log_loss_previous: Mapped[float] = mapped_column(Float, nullable=False)
    auc_fitted: Mapped[float | None] = mapped_column(Float, nullable=True)
    auc_previous: Mapped[float | None] = mapped_column(Float, nullable=True)


class OrgLearningSettingsRow(TenantOwned, Base):
    """An organisation's retention policy: a default and overrides per content tag (e.g. safety: 0.95)."""

    __tablename__ = "org_learning_settings"
    __table_args__ = (UniqueConstraint("org_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    default_retention: Mapped[float | None] = mapped_column(Float, nullable=True)
    tag_retention: Mapped[dict[str, float]] = mapped_column(JSON, nullable=False)
    min_retention: Mapped[float] = mapped_column(Float, nullable=False, default=0.7)
    max_retention: Mapped[float] = mapped_column(Float, nullable=False, default=0.97)


class LearnerGoalRow(TenantOwned, Base):
    """What a learner is working toward: a course or a skill, chosen by them or assigned by a manager."""

    __tablename__ = "learner_goals"
    __table_args__ = (UniqueConstraint("org_id", "user_id", "kind", "target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    """`course`, `skill` or `lesson`."""
    target: Mapped[str] = mapped_column(String(400), nullable=False)
    """`pack-key/course-key` (or skill, lesson)."""
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_on: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class JobRow(TenantOwned, Base):
    """A background job (e.g. optimising a learner's parameters), run by the worker outside requests."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="queued", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
