"""What a flow returns: the `Reply`, what it shows, and who asked."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.wording.common import Screen
from jobs.composer.nudge import NudgeMessage
from jobs.rules.progress import Progress
from storage.models import User


class StaleButton(Exception):
    """A button whose subject is gone or was never its presser's: nothing is done."""


class Stranger(Exception):
    """An update other than a message from someone the bot keeps nothing about (never
    stored, or forgotten): only a message makes a person."""


class Arrival(enum.Enum):
    """How a person arrives with an update."""

    NEW = enum.auto()  # first contact (or the first since /forget)
    BACK = enum.auto()  # back after blocking the bot: their nudges resumed
    KNOWN = enum.auto()


class Shown(enum.Enum):
    """How the reply to a button press shows on the message that had the button."""

    REPLACED = enum.auto()  # the message becomes the reply's screen
    APPENDED = enum.auto()  # a nudge keeps its text, adds the reply's and loses its buttons
    BUTTONS_OFF = enum.auto()  # a rated answer keeps its text and loses its buttons
    NEW = enum.auto()  # the reply comes as a message of its own (a chart for 30 days)
    CAPTION = enum.auto()  # a picture message keeps its picture; its caption becomes the screen


@dataclass(frozen=True, slots=True)
class Document:
    """A file to send: its name, and how to make its bytes (blocking work, which the
    handler runs off the event loop once the transaction is over)."""

    filename: str
    make: Callable[[], bytes]


@dataclass(frozen=True, slots=True)
class Reply:
    """What to answer an update with: the one type every flow returns."""

    screen: Screen
    # A short notice shown as a button is pressed ("Saved ✓").
    notice: str | None = None
    # Whether settings changed, so the person's nudges must be rescheduled.
    reschedule: bool = False
    shown: Shown = Shown.REPLACED
    # Messages sent after the screen (the welcome and the first step of setting up).
    then: tuple[Screen, ...] = ()
    # Refused (a wrong value, a stale button): nothing changed; a button shows it as an alert.
    refused: bool = False
    # A nudge answered in words ("done"): its message loses the answered parts' buttons.
    edit: NudgeEdit | None = None
    # A chart sent as a picture, with the screen as its caption.
    picture: Progress | None = None
    # A file sent with the screen as its caption.
    document: Document | None = None
    # A stretch picture (by name, `guidance.pictures`) with the screen as its caption; on a
    # press shown REPLACED, the pressed message's picture changes to it in place.
    photo: str | None = None
    # The caption as a hold counts down: (seconds after it shows, the screen then), in order.
    ticks: tuple[tuple[float, Screen], ...] = ()


@dataclass(frozen=True, slots=True)
class NudgeEdit:
    """An earlier nudge message to show with fewer buttons (the parts still waiting)."""

    message_id: int
    message: NudgeMessage


@dataclass(frozen=True, slots=True)
class Visit:
    """One update's sender, in the one transaction it runs in, at one moment."""

    session: AsyncSession
    user: User
    now: datetime
    arrival: Arrival = Arrival.KNOWN
