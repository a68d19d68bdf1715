"""Index deliveries by person and time: the composer counts each person's day of messages.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 21:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_index(
        "ix_deliveries_user_id_created_at", "deliveries", ["user_id", "created_at"], unique=False
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_deliveries_user_id_created_at", table_name="deliveries")
