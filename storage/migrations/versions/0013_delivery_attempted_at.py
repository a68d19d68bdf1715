"""Mark a delivery as attempted before its request goes out

`attempted_at` is set (in one small UPDATE per group of sends) just before a send, and
cleared when its answer is recorded. A pending delivery that still has it after a crash
was attempted and never answered: it may have been delivered, so it is ambiguous.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 03:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("attempted_at")
