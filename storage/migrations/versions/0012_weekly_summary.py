"""The weekly summary's setting: on by default, Sunday 18:00 local.

Everyone already set up gets their first summary scheduled for the coming Sunday 18:00 in
their zone (the composer moves it out of quiet hours); a downgrade removes the kind's rows.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 23:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("nudge_preferences") as batch:
        batch.add_column(
            sa.Column(
                "weekly_summary_enabled", sa.Boolean(), nullable=False, server_default=sa.true()
            )
        )
        batch.add_column(
            sa.Column("weekly_summary_day", sa.SmallInteger(), nullable=False, server_default="6")
        )
        batch.add_column(
            sa.Column("weekly_summary_time", sa.Time(), nullable=False, server_default="18:00:00")
        )

    _schedule_the_first_summaries()


def _next_sunday_18(zone: ZoneInfo, now: datetime) -> datetime:
    local = now.astimezone(zone)
    day = local.date() + timedelta(days=(6 - local.weekday()) % 7)
    due = datetime.combine(day, time(18), tzinfo=zone)
    if due <= now:
        due = datetime.combine(day + timedelta(days=7), time(18), tzinfo=zone)
    return due.astimezone(UTC)


def _schedule_the_first_summaries() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    people = bind.execute(
        sa.text(
            "SELECT id, timezone FROM users WHERE active AND timezone IS NOT NULL"
            " AND onboarding_step IS NULL"
        )
    ).all()
    rows = []
    for user_id, zone in people:
        try:
            due = _next_sunday_18(ZoneInfo(zone), now)
        except (KeyError, ValueError):
            continue  # a zone this machine does not know: their next reschedule sets it
        # The column type stores naive UTC on SQLite (see storage.models.UTCDateTime).
        rows.append(
            {
                "user_id": user_id,
                "kind": "weekly_summary",
                "due_at": due.replace(tzinfo=None) if bind.dialect.name == "sqlite" else due,
            }
        )
    if rows:
        bind.execute(
            sa.text(
                "INSERT INTO scheduled_nudges (user_id, kind, due_at)"
                " VALUES (:user_id, :kind, :due_at)"
            ),
            rows,
        )


def downgrade() -> None:
    """Revert this revision."""
    # The code before this revision does not know the kind.
    op.execute("DELETE FROM scheduled_nudges WHERE kind = 'weekly_summary'")
    op.execute("DELETE FROM deliveries WHERE kind = 'weekly_summary'")
    with op.batch_alter_table("nudge_preferences") as batch:
        batch.drop_column("weekly_summary_time")
        batch.drop_column("weekly_summary_day")
        batch.drop_column("weekly_summary_enabled")
