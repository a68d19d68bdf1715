"""The bot's last reply to a typed message, for answering a burst once

Several messages typed within seconds ("drank a glass", "and did the stretch") are answered
in one reply: the next message's answer is added to the reply right above it. Kept on the
person's row so that any bot process can take the next message.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("burst_reply_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("burst_message_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("burst_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("burst_said", sa.Text(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("burst_said")
        batch_op.drop_column("burst_at")
        batch_op.drop_column("burst_message_id")
        batch_op.drop_column("burst_reply_id")
