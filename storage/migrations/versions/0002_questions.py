"""Questions asked, their votes, and the flood notice

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 11:40:38.986680
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=True),
        sa.Column("matched", sa.Boolean(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("vote", sa.SmallInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_questions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
    )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_questions_user_id_asked_at", ["user_id", "asked_at"], unique=False
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("question_notice_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("question_notice_at")

    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_user_id_asked_at")

    op.drop_table("questions")
