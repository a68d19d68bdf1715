"""The weekly summary's setting: on by default, Sunday 18:00 local.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("nudge_preferences") as batch:
        batch.add_column(
            sa.Column(
                "weekly_summary_enabled", sa.Boolean(), nullable=False, server_default=sa.true()
            )
        )
        batch.add_column(
            sa.Column("weekly_summary_day", sa.SmallInteger(), nullable=False, server_default="6")
        )
        batch.add_column(
            sa.Column("weekly_summary_time", sa.Time(), nullable=False, server_default="18:00:00")
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("nudge_preferences") as batch:
        batch.drop_column("weekly_summary_time")
        batch.drop_column("weekly_summary_day")
        batch.drop_column("weekly_summary_enabled")
