"""The words stored data is made of: kinds of nudge, event, treatment and delivery status.

Plain enums with no database code, so the pure rules in `jobs/` can use them without
importing the ORM; `storage.models` maps them to columns.
"""

from __future__ import annotations

import enum


class NudgeKind(enum.StrEnum):
    """What a nudge is about."""

    WATER = "water"
    POSTURE = "posture"
    STRETCH = "stretch"
    # During a flare: an offered ice or heat session, the end of a running one (and, for
    # heat, asking again until the pad is off), and the morning pain check-in.
    CARE_OFFER = "care_offer"
    SESSION_END = "session_end"
    PAIN_CHECK = "pain_check"
    # Once a week on the person's chosen evening: their progress chart and a few lines.
    WEEKLY_SUMMARY = "weekly_summary"


class DeliveryStatus(enum.StrEnum):
    """Where a delivery stands in the outbox."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Treatment(enum.StrEnum):
    """What goes on the back in a care session."""

    ICE = "ice"
    HEAT = "heat"
    ALTERNATE = "alternate"  # ice, then heat


class EventKind(enum.StrEnum):
    """What a person logged."""

    WATER = "water"
    STRETCH = "stretch"
    POSTURE_BREAK = "posture_break"
