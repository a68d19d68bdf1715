"""The unit water amounts are shown in: millilitres (the default) or US fluid ounces.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 23:30:00
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
            sa.Column("water_unit", sa.String(length=2), nullable=False, server_default="ml")
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("nudge_preferences") as batch:
        batch.drop_column("water_unit")
