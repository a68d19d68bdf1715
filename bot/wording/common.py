"""What every feature shares: screens, local times, the welcome, button notices and errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import Callback, encode
from bot.i18n import N_, _
from bot.wording.answers import NOT_A_DOCTOR as NOT_A_DOCTOR_LINE
from guidance.reading.intents.reader import FLUID_OUNCE_ML
from jobs.rules.planning import zone_of

Row = list[tuple[str, Callback]]


def as_html(text: str) -> str:
    """Return plain text as Telegram HTML, which the bot sends by default: escaped, so that a
    `<` or `&` (a person's own words in an error, an answer) reads as itself."""
    return escape(text, quote=False)


@dataclass(frozen=True, slots=True)
class Screen:
    """A message: its text, the lines of it that are headings, and rows of buttons.

    The text is plain: what a person reads, and what an alert or a test compares. It goes
    out as Telegram HTML (`html()`), every character of it escaped there, in one place, so
    no answer from the knowledge base or anything a person typed can be read as markup.
    """

    text: str
    rows: list[Row] = field(default_factory=list)
    # Lines of the text shown in bold (`📅 Today`); a line is matched whole.
    headings: tuple[str, ...] = ()

    def html(self) -> str:
        """Return the text as Telegram HTML: escaped, with its headings in bold."""
        return "\n".join(
            f"<b>{as_html(line)}</b>" if line.strip() and line in self.headings else as_html(line)
            for line in self.text.split("\n")
        )

    def under(self, above: str) -> Screen:
        """Return this screen below a line (`Saved ✓`), keeping its headings and buttons."""
        return Screen(f"{above}\n\n{self.text}", self.rows, self.headings)

    def markup(self) -> InlineKeyboardMarkup | None:
        """Return the Telegram keyboard for the buttons, if any."""
        if not self.rows:
            return None
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label, callback_data=encode(data)) for label, data in row]
                for row in self.rows
            ]
        )


# No message at all: the reply only acts (a rated answer loses its buttons), or a question
# waits out a flood.
SILENCE = Screen("")


def at(moment: datetime | None, zone: str | None, *, now: datetime) -> str:
    """Say when, in someone's local time, with its day: `today at 15:00`, `tomorrow at 07:00`,
    `Mon 7 Dec at 10:20`.

    A weekday alone misleads: "until Mon 10:20" said on a Monday a week ahead reads as today.
    So today and tomorrow are named, and any other day gets its date.
    """
    if moment is None:
        return _("not scheduled")
    where = zone_of(zone)
    local, today = moment.astimezone(where), now.astimezone(where).date()
    if local.date() == today:
        return _("today at {time}").format(time=f"{local:%H:%M}")
    if local.date() == today + timedelta(days=1):
        return _("tomorrow at {time}").format(time=f"{local:%H:%M}")
    return _("{weekday} {day} {month} at {time}").format(
        weekday=dated(local, "%a"), day=local.day, month=dated(local, "%b"), time=f"{local:%H:%M}"
    )


def volume(ml: int, unit: str) -> str:
    """Say an amount of water in someone's unit: `2000 ml`, or `68 oz` (US fluid ounces)."""
    if unit == "oz":
        return _("{amount} oz").format(amount=round(ml / FLUID_OUNCE_ML))
    return _("{amount} ml").format(amount=ml)


def on_day(moment: datetime, zone: str | None, *, now: datetime) -> str:
    """Say which day, in someone's local time: `tomorrow`, or `Fri 4 Dec`."""
    where = zone_of(zone)
    local, today = moment.astimezone(where).date(), now.astimezone(where).date()
    if local == today + timedelta(days=1):
        return _("tomorrow")
    return _("{weekday} {day} {month}").format(
        weekday=dated(local, "%a"), day=local.day, month=dated(local, "%b")
    )


NOT_A_DOCTOR = _(
    "{not_a_doctor} After a fall or injury, see a doctor. If the pain "
    "is so bad you can't move, or comes with numbness, leg weakness or "
    "trouble controlling your bladder or bowels, get medical help at once."
).format(not_a_doctor=NOT_A_DOCTOR_LINE)

WELCOME = _(
    "Hi, I'm BackCare 👋\n"
    "I help you look after your back: I remind you to drink water, to get up "
    "and move while you work, and to stretch once a day, always in your own "
    "time zone and never at night. You can also ask me quick questions about "
    "back spasms.\n"
    "\n"
    "{not_a_doctor}\n"
    "\n"
    "Let's set you up; it takes three taps."
).format(not_a_doctor=NOT_A_DOCTOR)
WELCOME_BACK = _("Welcome back 👋 Your nudges are on again, as you left them.")

# Answers to a button press that does nothing.
EXPIRED_BUTTON = _("That button is no longer valid. Send /settings for a fresh menu.")
# A button pressed by someone the bot keeps nothing about (after /forget): an alert.
FORGOTTEN_BUTTON = _(
    "That button is from before you deleted your data, so it does nothing "
    "now. Send /start to begin again."
)
NOT_YOURS = _("This button isn't yours: it belongs to someone else's chat with me.")
ALREADY_NOTED = _("Already noted ✓")

# Outside a private chat.
PRIVATE_ONLY_BUTTON = _("I only work in a private chat: open one with me to use buttons.")
URGENT_IN_A_GROUP = _(
    "⚠️ If you have a warning sign (numbness, weakness, trouble with your "
    "bladder or bowels, severe pain), get medical help now."
)


def private_only(link: str, *, urgent: bool = False) -> str:
    """Answer a command or mention in a group: health data stays in a private chat.

    A message there that describes a warning sign gets "get help now" first.
    """
    text = _(
        "🔒 I keep health data private, so I only talk one to one. Open our "
        "private chat here: {link}"
    ).format(link=link)
    return f"{URGENT_IN_A_GROUP}\n\n{text}" if urgent else text


SOMETHING_WENT_WRONG = _("Sorry, something went wrong on my side. Please try again in a moment.")
# The store takes no writes (read-only or full): said to a message and, as an alert (at most
# 200 characters), to a button. Warning signs were answered before anything was stored.
CANNOT_SAVE = _(
    "💾 I can't save right now, so that didn't go through: please try again "
    "later. Warning signs still get an answer at once; with numbness, leg "
    "weakness or bladder or bowel trouble, get medical help now."
)


# Day and month names as strftime says them in English, said in the language in use.
WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
SHORT_WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)
SHORT_MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)


def dated(moment: date, pattern: str) -> str:
    """Write a date (or a date and time) with a strftime pattern, its day and month names
    (`%a`, `%A`, `%b`, `%B`) in the language in use: `Mon 07 Dec`, `Montag 07 Dez`."""
    names = {
        "%a": _(SHORT_WEEKDAYS[moment.weekday()]),
        "%A": _(WEEKDAYS[moment.weekday()]),
        "%b": _(SHORT_MONTHS[moment.month - 1]),
        "%B": _(MONTHS[moment.month - 1]),
    }
    for code, name in names.items():
        pattern = pattern.replace(code, name.replace("%", "%%"))
    return moment.strftime(pattern)
