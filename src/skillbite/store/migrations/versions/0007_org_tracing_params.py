"""org tracing params: each organisation's adopted knowledge-tracing parameters

Revision ID: 0007_org_tracing_params
Revises: 0006_learning
Create Date: 2026-11-29 09:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_org_tracing_params"
down_revision: str | None = "0006_learning"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "org_tracing_params",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("answers_used", sa.Integer(), nullable=False),
        sa.Column("skills_fitted", sa.Integer(), nullable=False),
        sa.Column("holdout_answers", sa.Integer(), nullable=False),
        sa.Column("log_loss_fitted", sa.Float(), nullable=False),
        sa.Column("log_loss_previous", sa.Float(), nullable=False),
        sa.Column("auc_fitted", sa.Float(), nullable=True),
        sa.Column("auc_previous", sa.Float(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_org_tracing_params_org_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_tracing_params")),
        sa.UniqueConstraint("org_id", "version", name=op.f("uq_org_tracing_params_org_id_version")),
    )
    with op.batch_alter_table("org_tracing_params", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_tracing_params_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("org_tracing_params", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_tracing_params_org_id"))

    op.drop_table("org_tracing_params")
