"""Flares, care sessions and pain check-ins

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 11:57:39.428987
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "flares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acute_hours", sa.Integer(), nullable=False),
        sa.Column("ice_minutes", sa.Integer(), nullable=False),
        sa.Column("ice_every_minutes", sa.Integer(), nullable=False),
        sa.Column("heat_minutes", sa.Integer(), nullable=False),
        sa.Column("heat_per_day", sa.Integer(), nullable=False),
        sa.Column("alternate", sa.Boolean(), nullable=False),
        sa.Column("red_flags", sa.Boolean(), nullable=True),
        sa.Column("doctor_advised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("doctor_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_flares_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flares")),
    )
    with op.batch_alter_table("flares", schema=None) as batch_op:
        batch_op.create_index("ix_flares_user_id_ended_at", ["user_id", "ended_at"], unique=False)

    op.create_table(
        "care_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("flare_id", sa.Integer(), nullable=True),
        sa.Column(
            "treatment",
            sa.Enum("ice", "heat", "alternate", name="treatment", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("step", sa.SmallInteger(), nullable=False),
        sa.Column("step_ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_off_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checks_sent", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["flare_id"],
            ["flares.id"],
            name=op.f("fk_care_sessions_flare_id_flares"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_care_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_sessions")),
    )
    with op.batch_alter_table("care_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_care_sessions_user_id_started_at", ["user_id", "started_at"], unique=False
        )

    op.create_table(
        "pain_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("flare_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["flare_id"],
            ["flares.id"],
            name=op.f("fk_pain_checkins_flare_id_flares"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_pain_checkins_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pain_checkins")),
    )
    with op.batch_alter_table("pain_checkins", schema=None) as batch_op:
        batch_op.create_index("ix_pain_checkins_flare_id_at", ["flare_id", "at"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("pain_checkins", schema=None) as batch_op:
        batch_op.drop_index("ix_pain_checkins_flare_id_at")

    op.drop_table("pain_checkins")
    with op.batch_alter_table("care_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_care_sessions_user_id_started_at")

    op.drop_table("care_sessions")
    with op.batch_alter_table("flares", schema=None) as batch_op:
        batch_op.drop_index("ix_flares_user_id_ended_at")

    op.drop_table("flares")
