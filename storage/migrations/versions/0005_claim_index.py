"""Index schedule rows by kind and due time, for claiming time-critical ones first.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 13:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_index("ix_scheduled_nudges_kind_due_at", "scheduled_nudges", ["kind", "due_at"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_scheduled_nudges_kind_due_at", table_name="scheduled_nudges")
