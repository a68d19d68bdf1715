"""What the bot asked each person, and a hold on self-care while they get help

`asked` names the question the bot waits for an answer to (the warning-sign question, as
care mode starts or when triage is unsure), `asked_at` when, and `asked_text` the message
that made it ask (answered in full once they say no). `checked_at` and `checked_about`
keep the unsure question to once an hour unless something new is said.
`held_for_help_since` is set when the bot tells someone to get medical help now: posture
breaks, stretches and ice or heat offers wait until they say they have been seen.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("asked", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("asked_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("checked_about", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("held_for_help_since", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        for column in (
            "held_for_help_since",
            "checked_about",
            "checked_at",
            "asked_text",
            "asked_at",
            "asked",
        ):
            batch_op.drop_column(column)
