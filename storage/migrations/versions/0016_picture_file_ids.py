"""Keep the file id Telegram gives each stretch picture, so it is uploaded only once

After the first send of a picture, every process sends it by its file id; the digest of
the picture's bytes says which drawing the id stands for (a redrawn one is uploaded again).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "picture_file_ids",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("file_id", sa.String(length=255), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_picture_file_ids")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("picture_file_ids")
