"""learning: review log, item states, learner profiles and parameters, goals, jobs

Revision ID: 0006_learning
Revises: 0005_content
Create Date: 2026-11-29 06:15:31.068293
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_learning"
down_revision: str | None = "0005_content"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_jobs_org_id_organisations"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jobs_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_jobs_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_jobs_status"), ["status"], unique=False)

    op.create_table(
        "learner_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=400), nullable=False),
        sa.Column("assigned_by", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by"],
            ["users.id"],
            name=op.f("fk_learner_goals_assigned_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_learner_goals_org_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_learner_goals_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learner_goals")),
        sa.UniqueConstraint(
            "org_id", "user_id", "kind", "target", name=op.f("uq_learner_goals_org_id_user_id_kind_target")
        ),
    )
    with op.batch_alter_table("learner_goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_learner_goals_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_learner_goals_user_id"), ["user_id"], unique=False)

    op.create_table(
        "learner_params",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("scored_reviews", sa.Integer(), nullable=False),
        sa.Column("log_loss_default", sa.Float(), nullable=True),
        sa.Column("log_loss_fitted", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_learner_params_org_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_learner_params_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learner_params")),
        sa.UniqueConstraint(
            "org_id", "user_id", "version", name=op.f("uq_learner_params_org_id_user_id_version")
        ),
    )
    with op.batch_alter_table("learner_params", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_learner_params_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_learner_params_user_id"), ["user_id"], unique=False)

    op.create_table(
        "learner_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("desired_retention", sa.Float(), nullable=True),
        sa.Column("daily_goal_minutes", sa.Integer(), nullable=False),
        sa.Column("reminder_time", sa.String(length=5), nullable=True),
        sa.Column("day_start_hour", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_learner_profiles_org_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_learner_profiles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learner_profiles")),
        sa.UniqueConstraint("org_id", "user_id", name=op.f("uq_learner_profiles_org_id_user_id")),
    )
    with op.batch_alter_table("learner_profiles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_learner_profiles_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_learner_profiles_user_id"), ["user_id"], unique=False)

    op.create_table(
        "org_learning_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("default_retention", sa.Float(), nullable=True),
        sa.Column("tag_retention", sa.JSON(), nullable=False),
        sa.Column("min_retention", sa.Float(), nullable=False),
        sa.Column("max_retention", sa.Float(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_org_learning_settings_org_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_learning_settings")),
        sa.UniqueConstraint("org_id", name=op.f("uq_org_learning_settings_org_id")),
    )
    with op.batch_alter_table("org_learning_settings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_learning_settings_org_id"), ["org_id"], unique=False)

    op.create_table(
        "item_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("stability", sa.Float(), nullable=False),
        sa.Column("difficulty", sa.Float(), nullable=False),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_review", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("last_tz", sa.String(length=64), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_item_states_item_id_items"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["users.id"], name=op.f("fk_item_states_learner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_item_states_org_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_states")),
        sa.UniqueConstraint(
            "org_id", "learner_id", "item_id", name=op.f("uq_item_states_org_id_learner_id_item_id")
        ),
    )
    with op.batch_alter_table("item_states", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_states_due"), ["due"], unique=False)
        batch_op.create_index(batch_op.f("ix_item_states_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_item_states_learner_id"), ["learner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_item_states_org_id"), ["org_id"], unique=False)

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("response_ms", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("due_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("params_version", sa.String(length=64), nullable=False),
        sa.Column("body_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_reviews_item_id_items"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["users.id"], name=op.f("fk_reviews_learner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_reviews_org_id_organisations"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("org_id", "uuid", name=op.f("uq_reviews_org_id_uuid")),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviews_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reviews_learner_id"), ["learner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reviews_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviews_org_id"))
        batch_op.drop_index(batch_op.f("ix_reviews_learner_id"))
        batch_op.drop_index(batch_op.f("ix_reviews_item_id"))

    op.drop_table("reviews")
    with op.batch_alter_table("item_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_states_org_id"))
        batch_op.drop_index(batch_op.f("ix_item_states_learner_id"))
        batch_op.drop_index(batch_op.f("ix_item_states_item_id"))
        batch_op.drop_index(batch_op.f("ix_item_states_due"))

    op.drop_table("item_states")
    with op.batch_alter_table("org_learning_settings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_learning_settings_org_id"))

    op.drop_table("org_learning_settings")
    with op.batch_alter_table("learner_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learner_profiles_user_id"))
        batch_op.drop_index(batch_op.f("ix_learner_profiles_org_id"))

    op.drop_table("learner_profiles")
    with op.batch_alter_table("learner_params", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learner_params_user_id"))
        batch_op.drop_index(batch_op.f("ix_learner_params_org_id"))

    op.drop_table("learner_params")
    with op.batch_alter_table("learner_goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learner_goals_user_id"))
        batch_op.drop_index(batch_op.f("ix_learner_goals_org_id"))

    op.drop_table("learner_goals")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobs_status"))
        batch_op.drop_index(batch_op.f("ix_jobs_org_id"))
        batch_op.drop_index(batch_op.f("ix_jobs_kind"))

    op.drop_table("jobs")
