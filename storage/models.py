"""The tables: people, their nudge preferences, the schedule, the outbox and their log."""

from __future__ import annotations

import enum
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from storage.kinds import DeliveryStatus as DeliveryStatus
from storage.kinds import EventKind as EventKind
from storage.kinds import NudgeKind as NudgeKind
from storage.kinds import Treatment as Treatment

# Stable constraint names, so migrations can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC timestamp on every backend (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes and store the UTC instant."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC one is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self,
        value: datetime | None,
        dialect: Dialect,  # noqa: ARG002 - fixed signature
    ) -> datetime | None:
        """Return the stored instant as an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base: every timestamp is stored with its zone, in UTC."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime(),
        time: Time(),
        dict[str, Any]: JSON(),
    }


def _enum(kind: type[enum.StrEnum]) -> Enum:
    # Plain strings in the database (no native ENUM types), validated on the way in.
    return Enum(
        kind,
        native_enum=False,
        create_constraint=False,
        length=24,
        values_callable=lambda members: [member.value for member in members],
    )


class User(Base):
    """A person using the bot, with their time zone, hours and where onboarding stands."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    timezone: Mapped[str | None] = mapped_column(String(64))
    wake_time: Mapped[time]
    sleep_time: Mapped[time]
    work_start: Mapped[time]
    work_end: Mapped[time]
    work_days: Mapped[int] = mapped_column(SmallInteger)
    paused_until: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Which onboarding step is open (None once finished), and which typed answer the
    # bot waits for: kept here so that any bot process can serve the next update.
    onboarding_step: Mapped[str | None] = mapped_column(String(16))
    awaiting: Mapped[str | None] = mapped_column(String(24))
    # When the bot last told this person they were asking too fast (one notice per flood).
    question_notice_at: Mapped[datetime | None]
    # The question the bot waits for an answer to in words (guidance.reading.Asked), when it
    # asked, and the message that made it ask the warning-sign question (answered on "no").
    asked: Mapped[str | None] = mapped_column(String(16))
    asked_at: Mapped[datetime | None]
    asked_text: Mapped[str | None] = mapped_column(Text)
    # When triage last asked the warning-sign question because it was unsure, and about what.
    checked_at: Mapped[datetime | None]
    checked_about: Mapped[str | None] = mapped_column(String(64))
    # Told to get medical help now and not yet said they were seen: self-care waits.
    held_for_help_since: Mapped[datetime | None]
    # When the bot last sent the first-aid steps: not again within six hours.
    first_aid_at: Mapped[datetime | None]
    # The bot's last reply to a typed message, so that the next message of a burst (typed
    # within seconds, right below it) is answered in that same reply: its Telegram id, the
    # person's latest message it answers, when, and what it says (JSON: html and buttons).
    burst_reply_id: Mapped[int | None] = mapped_column(BigInteger)
    burst_message_id: Mapped[int | None] = mapped_column(BigInteger)
    burst_at: Mapped[datetime | None]
    burst_said: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    preferences: Mapped[NudgePreferences] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True, lazy="joined"
    )


class NudgePreferences(Base):
    """Which nudges someone wants, and how."""

    __tablename__ = "nudge_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    water_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    water_goal_ml: Mapped[int]
    water_glass_ml: Mapped[int]
    # How water amounts are shown: "ml" or "oz" (stored in millilitres either way).
    water_unit: Mapped[str] = mapped_column(String(2), default="ml", server_default="ml")
    posture_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    posture_every_minutes: Mapped[int]
    stretch_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    stretch_time: Mapped[time]
    # The weekly summary: on or off, the local weekday (0 = Monday ... 6 = Sunday) and time.
    weekly_summary_enabled: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=true()
    )
    weekly_summary_day: Mapped[int] = mapped_column(SmallInteger, default=6, server_default="6")
    weekly_summary_time: Mapped[time] = mapped_column(default=time(18), server_default="18:00:00")

    user: Mapped[User] = relationship(back_populates="preferences")


class ScheduledNudge(Base):
    """The next nudge of one kind for one person: the database is the schedule."""

    __tablename__ = "scheduled_nudges"
    __table_args__ = (
        UniqueConstraint("user_id", "kind"),
        Index("ix_scheduled_nudges_due_at", "due_at"),
        # Finds the few time-critical rows due without reading the whole backlog.
        Index("ix_scheduled_nudges_kind_due_at", "kind", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NudgeKind] = mapped_column(_enum(NudgeKind))
    due_at: Mapped[datetime]
    payload: Mapped[dict[str, Any] | None]


class Delivery(Base):
    """One attempt to deliver a nudge: the outbox."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_status_created_at", "status", "created_at"),
        Index("ix_deliveries_status_lease_until", "status", "lease_until"),
        # A person's recent messages (the daily budget), without reading everyone's.
        Index("ix_deliveries_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NudgeKind] = mapped_column(_enum(NudgeKind))
    due_at: Mapped[datetime]
    status: Mapped[DeliveryStatus] = mapped_column(
        _enum(DeliveryStatus), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # The process sending a pending delivery holds it until then; after that (a crash, a
    # retry) whichever process sweeps first takes it over.
    lease_until: Mapped[datetime | None]
    # Set just before the request goes out, cleared when its answer is recorded: a pending
    # delivery that has it after a crash was attempted and never answered (ambiguous).
    attempted_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)


class Event(Base):
    """Something a person did and logged: a glass of water, a stretch, a break."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_user_id_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind))
    at: Mapped[datetime]
    amount_ml: Mapped[int | None] = mapped_column(Integer)


class Question(Base):
    """A question someone asked, what answered it, and their 👍/👎 on the answer."""

    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_user_id_asked_at", "user_id", "asked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    asked_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(String(500))
    entry_id: Mapped[str | None] = mapped_column(String(64))
    matched: Mapped[bool] = mapped_column(Boolean)
    # What triage read in it: "urgent" (help now), "doctor" (a doctor soon) or "none".
    level: Mapped[str] = mapped_column(String(8), default="none")
    vote: Mapped[int | None] = mapped_column(SmallInteger)


class Flare(Base):
    """An episode of back spasm, from /flare to /better, with its care plan."""

    __tablename__ = "flares"
    __table_args__ = (Index("ix_flares_user_id_ended_at", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    acute_hours: Mapped[int] = mapped_column(Integer, default=48)
    ice_minutes: Mapped[int] = mapped_column(Integer, default=15)
    ice_every_minutes: Mapped[int] = mapped_column(Integer, default=120)
    heat_minutes: Mapped[int] = mapped_column(Integer, default=15)
    heat_per_day: Mapped[int] = mapped_column(Integer, default=3)
    alternate: Mapped[bool] = mapped_column(Boolean, default=False)
    # The answer to the warning-sign question; after a yes, when they said they were seen.
    red_flags: Mapped[bool | None] = mapped_column(Boolean)
    seen_at: Mapped[datetime | None]
    doctor_advised_at: Mapped[datetime | None]
    doctor_reason: Mapped[str | None] = mapped_column(Text)


class CareSession(Base):
    """Ice or heat on the back: a timer that lives in the database, like every nudge."""

    __tablename__ = "care_sessions"
    __table_args__ = (Index("ix_care_sessions_user_id_started_at", "user_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    flare_id: Mapped[int | None] = mapped_column(ForeignKey("flares.id", ondelete="CASCADE"))
    treatment: Mapped[Treatment] = mapped_column(_enum(Treatment))
    started_at: Mapped[datetime]
    # When the current step ends: the whole session, or the ice half of an alternating one.
    step: Mapped[int] = mapped_column(SmallInteger, default=0)
    step_ends_at: Mapped[datetime]
    # When the person said it is off; heat is asked about again until then.
    taken_off_at: Mapped[datetime | None]
    checks_sent: Mapped[int] = mapped_column(SmallInteger, default=0)


class PainCheckin(Base):
    """How bad the back is, 0 to 10, during a flare."""

    __tablename__ = "pain_checkins"
    __table_args__ = (Index("ix_pain_checkins_flare_id_at", "flare_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    flare_id: Mapped[int] = mapped_column(ForeignKey("flares.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    score: Mapped[int] = mapped_column(SmallInteger)


class ProcessedUpdate(Base):
    """A Telegram update already handled: a webhook retry of it acts no more."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    seen_at: Mapped[datetime] = mapped_column(index=True)


class ButtonPress(Base):
    """A message whose nudge button was already pressed: a second press acts no more."""

    __tablename__ = "button_presses"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # The part of a merged message whose button it was ("" before parts: the whole message).
    kind: Mapped[str] = mapped_column(String(24), primary_key=True, server_default="")
    pressed_at: Mapped[datetime] = mapped_column(index=True)


class PictureFileId(Base):
    """The file id Telegram gave a picture the bot sent: sent again by it, not uploaded.

    Shared by every process of the bot; `digest` names the bytes the id stands for, so a
    redrawn picture is uploaded afresh. Nothing here is about a person.
    """

    __tablename__ = "picture_file_ids"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    file_id: Mapped[str] = mapped_column(String(255))
    saved_at: Mapped[datetime]


# Every table that holds something about a person, in the order a person reads them:
# `/forget` deletes them all (by cascade from `users`) and `/export` hands them all back.
PERSONAL_DATA: tuple[type[Base], ...] = (
    User,
    NudgePreferences,
    Event,
    Flare,
    PainCheckin,
    CareSession,
    Question,
    ScheduledNudge,
    Delivery,
    ButtonPress,
)
