"""Lease deliveries, not schedule rows

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 11:48:15.158281
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_deliveries_status_lease_until", ["status", "lease_until"], unique=False
        )

    with op.batch_alter_table("scheduled_nudges", schema=None) as batch_op:
        batch_op.drop_column("lease_until")


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("scheduled_nudges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_status_lease_until")
        batch_op.drop_column("lease_until")
