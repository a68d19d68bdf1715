"""Triage levels on questions; when someone who said yes to a warning sign was seen.

A question keeps its triage level (`urgent`, `doctor` or `none`) instead of a yes/no
`urgent`. A flare keeps when the person told the bot they had been seen after saying yes
to a warning sign: until then, ice and heat offers, stretches and posture breaks wait.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("questions") as batch:
        batch.add_column(sa.Column("level", sa.String(8), nullable=False, server_default="none"))
    op.execute("UPDATE questions SET level = 'urgent' WHERE urgent")
    with op.batch_alter_table("questions") as batch:
        batch.drop_column("urgent")
    with op.batch_alter_table("flares") as batch:
        batch.add_column(sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("flares") as batch:
        batch.drop_column("seen_at")
    with op.batch_alter_table("questions") as batch:
        batch.add_column(
            sa.Column("urgent", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute("UPDATE questions SET urgent = (level = 'urgent')")
    with op.batch_alter_table("questions") as batch:
        batch.drop_column("level")
