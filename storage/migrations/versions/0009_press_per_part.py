"""A merged nudge message has a button set per part: remember a press per part.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 20:00:00

Presses recorded before this revision keep the kind "" and stand for the whole message,
so a button pressed before the upgrade still acts no more after it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("button_presses", recreate="always") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=24), nullable=False, server_default="")
        )
        batch.drop_constraint("pk_button_presses", type_="primary")
        batch.create_primary_key("pk_button_presses", ["user_id", "message_id", "kind"])


def downgrade() -> None:
    """Revert this revision: one press per message again (the first part's is kept)."""
    op.execute(
        "DELETE FROM button_presses WHERE kind <> '' AND EXISTS (SELECT 1 FROM button_presses"
        " AS other WHERE other.user_id = button_presses.user_id"
        " AND other.message_id = button_presses.message_id AND other.kind < button_presses.kind)"
    )
    with op.batch_alter_table("button_presses", recreate="always") as batch:
        batch.drop_constraint("pk_button_presses", type_="primary")
        batch.drop_column("kind")
        batch.create_primary_key("pk_button_presses", ["user_id", "message_id"])
