"""goal kind: a learner's daily goal counts minutes or XP

Revision ID: 0008_goal_kind
Revises: 0007_org_tracing_params
Create Date: 2026-11-29 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_goal_kind"
down_revision: str | None = "0007_org_tracing_params"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing learners keep a goal in minutes; the XP target starts at the domain's default (50).
    with op.batch_alter_table("learner_profiles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("daily_goal_kind", sa.String(length=10), nullable=False, server_default="minutes")
        )
        batch_op.add_column(sa.Column("daily_goal_xp", sa.Integer(), nullable=False, server_default="50"))
    with op.batch_alter_table("learner_profiles", schema=None) as batch_op:
        batch_op.alter_column("daily_goal_kind", server_default=None)
        batch_op.alter_column("daily_goal_xp", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("learner_profiles", schema=None) as batch_op:
        batch_op.drop_column("daily_goal_xp")
        batch_op.drop_column("daily_goal_kind")
