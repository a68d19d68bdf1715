"""What each update does for its sender, and what to answer: every flow returns one `Reply`.

A handler runs one flow in one transaction (a `Visit`), reschedules the sender's nudges
when the reply says its flow changed them, and shows the reply. Where onboarding stands,
and which typed answer is expected, are read from and written to the user's row, so any
bot process can take the next update.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import assert_never

from sqlalchemy.ext.asyncio import AsyncSession

from bot import pending, wording
from bot.callbacks import (
    AskFor,
    Callback,
    ConfirmDrink,
    Do,
    NudgeAction,
    NudgeButton,
    OpenMenu,
    SettingsButton,
    SetValue,
    StartFlareWithPain,
    Toggle,
    Vote,
)
from bot.wording.common import SILENCE, Screen
from guidance import Answer, Guide
from guidance.guide import CHECK_QUESTION
from guidance.reading import AfterUrgent, Asked, Reading, Said, Situation, replies
from guidance.reading.intents import Act, Drink, Intent
from guidance.reading.intents import read as read_intent
from guidance.reading.triage import CALM, Finding, Level
from jobs.delivery.outbox import Outbox
from jobs.documents.export import render_export
from jobs.documents.report import render_report
from jobs.pure import planning
from jobs.pure.nudges import NudgeMessage, NudgeTexts, OpenNudge, session_of
from jobs.pure.person import Person, person_of
from jobs.pure.planning import DAILY_KINDS, Facts, zone_of
from jobs.pure.progress import Progress
from jobs.pure.time_input import InputError
from jobs.services import care, questions, schedule
from jobs.services import progress as progress_service
from jobs.services.profile import (
    Change,
    Pause,
    Resume,
    SetEnabled,
    SetStretchTime,
    SetWaking,
    SetZone,
    apply_change,
    parse_field,
)
from storage.models import NudgeKind, Treatment, User
from storage.repositories import UserRepository, first_press

# Onboarding: each step, the field it asks for, and the step after it.
_STEPS = {
    "timezone": ("tz", "hours"),
    "hours": ("hours", "nudges"),
    # Only when the work hours fall outside the waking hours chosen (a night or evening).
    "work": ("work", "nudges"),
}
# The menu a settings command with nothing after it shows (`/water` shows the goal's).
_MENU_OF_COMMAND = {"timezone": "tz", "water": "goal", "posture": "every"}
# A typed answer this long that is not a valid setting is read as a sentence, not a slip.
SENTENCE_WORDS = 4
# The same first-aid steps are not sent again within this long (BackCare's own rule).
FIRST_AID_EVERY = timedelta(hours=6)


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


def onboarding_screen(user: User) -> Screen:
    """Show the open onboarding step, and wait for its typed answer if it takes one."""
    step = user.onboarding_step
    if step == "work":
        user.awaiting = "work"
        return wording.settings.work_outside_waking(person_of(user))
    if step in _STEPS:
        user.awaiting = _STEPS[step][0]
        return wording.settings.question(_STEPS[step][0], onboarding=True)
    user.awaiting = None
    return wording.settings.nudge_choice(person_of(user))


def _set_up_first(user: User) -> Screen | None:
    """Return the onboarding screen if someone has not finished setting up, else None."""
    if user.onboarding_step is None:
        return None
    return wording.settings.set_up_first(onboarding_screen(user))


def _advance(user: User, field: str) -> None:
    step = _STEPS.get(user.onboarding_step or "")
    if step and step[0] == field:
        user.onboarding_step = step[1]
        if field == "hours" and not _work_fits(person_of(user)):
            user.onboarding_step = "work"  # a night or evening: ask when they work


def _first_nudge(person: Person, now: datetime) -> tuple[NudgeKind, datetime] | None:
    """Return the first everyday nudge someone just set up will get, and when."""
    planned = [
        (due, kind)
        for kind in DAILY_KINDS
        if (due := planning.next_due(person, kind, Facts(), now=now)) is not None
    ]
    if not planned:
        return None
    due, kind = min(planned)
    return kind, due


def _work_fits(person: Person) -> bool:
    """Tell whether the work hours lie inside the waking hours (else no break would come)."""
    last_minute = (datetime.combine(date.min, person.work.end) - timedelta(minutes=1)).time()
    return person.waking.contains(person.work.start) and person.waking.contains(last_minute)


def _after_change(user: User, *, now: datetime) -> Screen:
    if user.onboarding_step:
        return onboarding_screen(user)
    return wording.settings.settings_menu(person_of(user), now=now)


async def start(visit: Visit) -> Reply:
    """Welcome and onboard a newcomer, or show a returning person their plan."""
    user = visit.user
    screen = (
        onboarding_screen(user)
        if user.onboarding_step
        else wording.settings.summary(person_of(user), now=visit.now)
    )
    match visit.arrival:
        case Arrival.NEW:
            return Reply(Screen(wording.common.WELCOME), then=(screen,))
        case Arrival.BACK:
            return Reply(Screen(wording.common.WELCOME_BACK), then=(screen,))
        case Arrival.KNOWN:
            return Reply(screen)
        case _:
            assert_never(visit.arrival)


async def settings_menu(visit: Visit) -> Reply:
    """Show the settings menu."""
    visit.user.awaiting = None
    return Reply(wording.settings.settings_menu(person_of(visit.user), now=visit.now))


async def command_menu(_visit: Visit, command: str) -> Reply:
    """Show the choices for a settings command sent with nothing after it (`/hours`)."""
    return Reply(
        wording.settings.question(_MENU_OF_COMMAND.get(command, command), onboarding=False)
    )


async def command(visit: Visit, change: Change) -> Reply:
    """Apply a change typed as a command (`/hours 07:30-22:30`)."""
    return Reply(Screen(apply_command(visit.user, change, now=visit.now)), reschedule=True)


def change_setting(user: User, field: str, text: str, *, now: datetime) -> Reply:
    """Apply a typed or picked value of one field; InputError leaves everything unchanged."""
    change = parse_field(field, text)
    apply_change(user, change, now=now)
    user.awaiting = None
    _advance(user, field)
    screen = _noting_a_quiet_stretch(user, change, _after_change(user, now=now))
    return Reply(screen, wording.settings.SAVED, reschedule=True)


def _noting_a_quiet_stretch(user: User, change: Change, screen: Screen) -> Screen:
    """Put a note above the screen when a change leaves the stretch in quiet hours (it then
    comes at the wake-up)."""
    if isinstance(change, SetStretchTime | SetWaking) or change == SetEnabled(
        NudgeKind.STRETCH, True
    ):
        note = wording.settings.quiet_stretch_note(person_of(user))
        return screen.under(note) if note else screen
    return screen


def press(user: User, button: SettingsButton, *, now: datetime) -> Reply:
    """Carry out a settings button for its sender."""
    match button:
        case SetValue(field, value):
            return change_setting(user, field, value, now=now)
        case Toggle(kind):
            enabled = not getattr(user.preferences, f"{kind.value}_enabled")
            apply_change(user, SetEnabled(kind, enabled), now=now)
            screen = _noting_a_quiet_stretch(
                user, SetEnabled(kind, enabled), _after_change(user, now=now)
            )
            return Reply(screen, wording.settings.SAVED, reschedule=True)
        case OpenMenu("close"):
            user.awaiting = None
            return Reply(wording.settings.summary(person_of(user), now=now))
        case OpenMenu("main"):
            user.awaiting = None
            return Reply(wording.settings.settings_menu(person_of(user), now=now))
        case OpenMenu(name):
            return Reply(wording.settings.question(name, onboarding=False))
        case AskFor(field):
            user.awaiting = field
            return Reply(wording.settings.typing_prompt(field))
        case Do.FINISH:
            user.onboarding_step = user.awaiting = None
            person = person_of(user)
            plan = wording.settings.summary(person, now=now)
            first = _first_nudge(person, now)
            return Reply(
                wording.settings.all_set(plan, first, person.zone, now=now), reschedule=True
            )
        case Do.NO_BREAKS:
            apply_change(user, SetEnabled(NudgeKind.POSTURE, False), now=now)
            user.awaiting = None
            _advance(user, "work")
            return Reply(_after_change(user, now=now), wording.settings.SAVED, reschedule=True)
        case Do.RESUME:
            apply_change(user, Resume(), now=now)
            menu = wording.settings.settings_menu(person_of(user), now=now)
            return Reply(menu, wording.settings.RESUMED, reschedule=True)
        case _:
            assert_never(button)


async def pressed(
    visit: Visit,
    button: Callback,
    texts: NudgeTexts,
    *,
    message_id: int,
    guide: Guide,
    per_minute: int,
    outbox: Outbox | None = None,
) -> Reply:
    """Carry out any button press for its sender."""
    session, user, now = visit.session, visit.user, visit.now
    match button:
        case SetValue() | Toggle() | OpenMenu() | AskFor() | Do.FINISH | Do.RESUME | Do.NO_BREAKS:
            return press(user, button, now=now)
        case NudgeButton():
            return await nudge_pressed(visit, button, texts, message_id=message_id)
        case Vote(question_id, helpful):
            if not await questions.vote(session, user, question_id, helpful=helpful):
                raise StaleButton(wording.common.EXPIRED_BUTTON)
            return Reply(SILENCE, wording.questions.THANKS_FOR_VOTE, shown=Shown.BUTTONS_OFF)
        case Do.FLARE:
            return await start_flare(visit, texts)
        case Do.REDFLAG_YES:
            return await flare_signs(visit, texts, present=True)
        case Do.REDFLAG_NO:
            return await flare_signs(visit, texts, present=False)
        case Do.SIGN_YES:
            return signs_yes(visit, texts)
        case Do.SIGN_NO:
            return await signs_no(visit, guide, texts, per_minute=per_minute)
        case Do.SEEN:
            return await been_seen(visit, tapped=True)
        case Do.NO_FLARE:
            return Reply(Screen(wording.flare.NO_FLARE))
        case StartFlareWithPain(score):
            return await start_flare_with_pain(visit, score, texts)
        case ConfirmDrink(ml):
            logged = await schedule.log_water(session, user, ml=ml, now=now, confirmed=True)
            return Reply(Screen(wording.today.water_logged(logged, zone=user.timezone, now=now)))
        case Do.KEEP_WATER:
            return Reply(Screen(wording.today.NOT_LOGGED))
        case Do.FORGET:
            return await forget(visit, outbox=outbox)
        case Do.KEEP:
            return Reply(Screen(wording.settings.KEPT))
        case Do.COMMANDS:
            return Reply(wording.help.all_commands())
        case Do.HELP:
            return Reply(wording.help.help_screen())
        case Do.MONTH:
            shown = await progress(visit, days=progress_service.MONTH)
            return replace(shown, shown=Shown.NEW)
        case _:
            assert_never(button)


def pressed_by_stranger(button: Callback) -> Reply:
    """Answer a button pressed by someone the bot keeps nothing about, making nobody.

    Help needs nobody and is given; the 🆘 of /help says to send /flare; any other button
    is from before /forget (nothing else reaches someone never stored) and says so.
    """
    match button:
        case Do.HELP:
            return Reply(wording.help.help_screen())
        case Do.COMMANDS:
            return Reply(wording.help.all_commands())
        case Do.FLARE:
            return Reply(Screen(wording.flare.FLARE_BY_MESSAGE), refused=True)
        case _:
            return Reply(Screen(wording.common.FORGOTTEN_BUTTON), refused=True)


async def nudge_pressed(
    visit: Visit,
    button: NudgeButton,
    texts: NudgeTexts,
    *,
    message_id: int,
    delay: timedelta | None = None,
) -> Reply:
    """Carry out a button on a nudge: log, start or take off, snooze, or skip.

    A nudge message's buttons act once, however often (or however fast) they are pressed.
    The nudge keeps its text and says below it what happened.
    """
    session, user, now = visit.session, visit.user, visit.now
    if not await first_press(session, user.id, message_id, kind=button.kind.value, now=now):
        raise StaleButton(wording.common.ALREADY_NOTED)
    kind, zone = button.kind, user.timezone
    asks = button.asks
    match asks:
        case NudgeAction.NOTE_PAIN:
            logged = await care.log_pain(session, user, int(button.action), now=now)
            if logged is None:
                raise StaleButton(wording.flare.OLD_CHECK_IN)
            text, notice = wording.flare.pain_logged(logged, texts), wording.flare.NOTED
        case NudgeAction.REST:
            due = await schedule.rest_today(session, user, kind, now=now)
            text, notice = wording.today.rested(due, zone=zone, now=now), wording.today.PAUSED
        case NudgeAction.BETTER:
            ended = await care.end_flare(session, user, now=now)
            if ended is None:
                raise StaleButton(wording.flare.OLD_CHECK_IN)
            text, notice = wording.flare.flare_ended(ended), wording.flare.NOTED
        case NudgeAction.TAKE_OFF:
            off = await care.take_off(session, user, now=now, session_id=session_of(button.action))
            if off is None:  # not a session of theirs
                raise StaleButton(wording.flare.EXPIRED_SESSION)
            text, notice = wording.flare.TAKEN_OFF, wording.flare.NOTED
        case NudgeAction.START:
            if await care.open_flare(session, user) is None:
                raise StaleButton(wording.flare.EXPIRED_OFFER)
            started = await care.start_session(session, user, Treatment(button.action), now=now)
            text = wording.flare.session_started(started, texts, zone=zone, now=now)
            notice = wording.flare.STARTED
        case NudgeAction.DRINK:
            try:
                water = await schedule.log_water(session, user, now=now)
            except schedule.NeedsConfirmation:
                raise StaleButton(wording.today.TOO_MUCH_WATER_ON_A_NUDGE) from None
            text, notice = (
                wording.today.water_logged(water, zone=zone, now=now),
                wording.today.GLASS_ADDED,
            )
        case NudgeAction.DONE:
            due = await schedule.log_done(session, user, kind, now=now)
            text, notice = wording.today.done(kind, due, zone=zone, now=now), wording.today.LOGGED
        case NudgeAction.SNOOZE:
            due = await schedule.snooze(session, user, kind, now=now, delay=delay)
            text, notice = wording.today.snoozed(due, zone=zone, now=now), wording.today.SNOOZED
        case NudgeAction.SKIP:
            due = await schedule.skip(session, user, kind, now=now)
            text, notice = wording.today.skipped(due, zone=zone, now=now), wording.today.SKIPPED
        case _:
            assert_never(asks)
    return Reply(Screen(text), notice, shown=Shown.APPENDED)


async def start_flare(visit: Visit, texts: NudgeTexts) -> Reply:
    """Start an episode (first aid and the red-flag question), or say where it stands."""
    session, user, now = visit.session, visit.user, visit.now
    episode, new = await care.start_flare(session, user, now=now)
    if new:
        questions.set_asked(user, Asked.FLARE_SIGNS, now=now)
        user.first_aid_at = now
        return Reply(wording.flare.flare_started(texts))
    scores = await care.pain_scores(session, episode)
    status = wording.flare.flare_status(
        schedule.plan_of(episode), scores, now=now, zone=user.timezone
    )
    return Reply(Screen(wording.flare.flare_going(status)))


async def start_flare_with_pain(visit: Visit, score: int, texts: NudgeTexts) -> Reply:
    """Start care mode from `/pain` outside it: note the score, then first aid and the question.

    A 9 or 10 got its urgent advice with the `/pain` command already.
    """
    started = await start_flare(visit, texts)
    logged = await care.log_pain(visit.session, visit.user, score, now=visit.now, start=True)
    assert logged is not None  # care mode was just started
    noted = wording.flare.pain_logged(replace(logged, urgent=False), texts)
    return Reply(wording.flare.pain_noted_then(noted, started.screen))


async def flare(visit: Visit, option: tuple[str, int | bool] | None, texts: NudgeTexts) -> Reply:
    """Start care mode for a spasm, or change its plan (`/flare acute 72h`)."""
    if option is None:
        return await start_flare(visit, texts)
    session, user, now = visit.session, visit.user, visit.now
    episode = await care.set_flare_option(session, user, *option, now=now)
    scores = await care.pain_scores(session, episode)
    plan = schedule.plan_of(episode)
    return Reply(Screen(wording.flare.flare_status(plan, scores, now=now, zone=user.timezone)))


async def better(visit: Visit) -> Reply:
    """End care mode with a summary of the episode."""
    summary = await care.end_flare(visit.session, visit.user, now=visit.now)
    return Reply(Screen(wording.flare.flare_ended(summary)))


async def start_session(visit: Visit, treatment: Treatment, texts: NudgeTexts) -> Reply:
    """Start an ice or heat session now, timed in the database."""
    started = await care.start_session(visit.session, visit.user, treatment, now=visit.now)
    said = wording.flare.session_started(started, texts, zone=visit.user.timezone, now=visit.now)
    return Reply(Screen(said))


async def pain(visit: Visit, score: int, texts: NudgeTexts) -> Reply:
    """Log today's pain; outside care mode, ask to start it first.

    A 9 or 10 got its urgent advice before this ran.
    """
    logged = await care.log_pain(visit.session, visit.user, score, now=visit.now)
    if logged is None:
        return Reply(wording.flare.pain_outside_flare(score))
    return Reply(Screen(wording.flare.pain_logged(replace(logged, urgent=False), texts)))


async def drank(visit: Visit, amount: int | Drink) -> Reply:
    """Log a drink (millilitres, or glasses of their size), asking first if it takes the
    day far past any sensible amount."""
    user = visit.user
    ml = amount.ml(person_of(user).water_glass_ml) if isinstance(amount, Drink) else amount
    set_up_first = _set_up_first(user)
    if set_up_first is not None:
        return Reply(set_up_first)
    try:
        logged = await schedule.log_water(visit.session, user, ml=ml, now=visit.now)
    except schedule.NeedsConfirmation as asked:
        return Reply(wording.today.confirm_drink(asked.ml, asked.total_ml))
    return Reply(Screen(wording.today.water_logged(logged, zone=user.timezone, now=visit.now)))


async def today(visit: Visit) -> Reply:
    """Show today's water, breaks and stretch, when each next nudge is due, and any flare."""
    session, user, now = visit.session, visit.user, visit.now
    set_up_first = _set_up_first(user)
    if set_up_first is not None:
        return Reply(set_up_first)
    report = await schedule.today(session, user, now=now)
    status = None
    episode = await care.open_flare(session, user)
    if episode is not None:
        scores = await care.pain_scores(session, episode)
        plan = schedule.plan_of(episode)
        status = wording.flare.flare_status(plan, scores, now=now, zone=user.timezone)
    return Reply(wording.today.today(report, person_of(user), now=now, flare=status))


async def cancel(visit: Visit) -> Reply:
    """Stop waiting for a typed setting; with nothing to cancel, say how to stop the nudges.

    Setting up is not cancelled: its step stays open, and /start shows it again.
    """
    user = visit.user
    if user.awaiting is not None and user.onboarding_step is None:
        user.awaiting = None
        return Reply(Screen(wording.help.CANCELLED))
    return Reply(wording.help.stop())


async def progress(visit: Visit, *, days: int = progress_service.WEEK) -> Reply:
    """Show someone's last days as a chart, captioned in words; nothing yet, say so."""
    user = visit.user
    set_up_first = _set_up_first(user)
    if set_up_first is not None:
        return Reply(set_up_first)
    shown = await progress_service.progress(
        visit.session, person_of(user), now=visit.now, days=days
    )
    if shown.empty:
        return Reply(Screen(wording.progress.NOTHING_YET))
    return Reply(wording.progress.chart(shown), picture=shown)


async def report(visit: Visit) -> Reply:
    """Make the report for a physiotherapist or doctor (a PDF), or say there is nothing yet."""
    made = await progress_service.report(visit.session, visit.user, now=visit.now)
    if made.empty:
        return Reply(Screen(wording.progress.NOTHING_TO_REPORT))
    local = visit.now.astimezone(person_of(visit.user).tz)
    document = Document(
        f"backcare-report-{local:%Y-%m-%d}.pdf", functools.partial(render_report, made)
    )
    return Reply(wording.progress.report(made), document=document)


async def export(visit: Visit) -> Reply:
    """Hand back everything stored about someone: one CSV per kind of record, in a zip."""
    tables = await progress_service.export(visit.session, visit.user)
    local = visit.now.astimezone(person_of(visit.user).tz)
    document = Document(
        f"backcare-export-{local:%Y-%m-%d}.zip", functools.partial(render_export, tables)
    )
    return Reply(Screen(wording.progress.EXPORT), document=document)


async def forget(visit: Visit, *, outbox: Outbox | None = None) -> Reply:
    """Delete everything stored about someone, their claimed nudges too: none leaves after.

    Their schedule and outbox go with them by cascade, in this transaction; the outbox of
    this process (None where there is none) drops what it claimed for them and has not sent.
    """
    await UserRepository(visit.session).delete(visit.user)
    if outbox is not None:
        outbox.forget(visit.user.id)
    return Reply(Screen(wording.settings.FORGOTTEN))


def apply_command(user: User, change: Change, *, now: datetime) -> str:
    """Apply a change typed as a command and say what it did."""
    apply_change(user, change, now=now)
    for field, kind in (("tz", SetZone), ("hours", SetWaking)):
        if isinstance(change, kind):
            user.awaiting = None
            _advance(user, field)
    text = wording.settings.confirmation(change, person_of(user), now=now)
    if user.onboarding_step:
        return wording.settings.still_setting_up(text)
    return text


async def typed(
    visit: Visit,
    reading: Reading,
    guide: Guide,
    texts: NudgeTexts,
    *,
    per_minute: int,
    replying_to: int | None = None,
) -> Reply:
    """Take a typed message by its one reading: an answer to the bot's own question first,
    then what follows "get help now", then a typed setting, then what the words ask for.

    A first message (after /forget, too) starts setting up, after its answer. Warning
    signs never come here: they were answered before anything else read the message.
    """
    user, text = visit.user, reading.text
    reading = guide.reader.finish(reading, situation_of(user, now=visit.now))
    intent = reading.intent or Intent(Act.QUESTION)
    if visit.arrival is Arrival.NEW:
        welcome = onboarding_screen(user)
        if intent.act is Act.DISTRESS:
            first = Reply(wording.talk.distress(texts))
        else:
            first = await ask(visit, text, guide, per_minute=per_minute, finding=reading.finding)
        return replace(first, then=(Screen(wording.common.WELCOME), welcome))
    if reading.said is not None and questions.waiting_answer(user, now=visit.now) is not None:
        return await answer_signs(visit, reading.said, guide, texts, per_minute=per_minute)
    if reading.after_urgent is not None and user.held_for_help_since is not None:
        return await after_urgent(visit, reading.after_urgent)
    if user.awaiting is None:
        in_context = await answer_in_context(
            visit, reading, intent, texts, replying_to=replying_to
        )
        if in_context is not None:
            return in_context
        return await talk(
            visit,
            text,
            intent,
            guide,
            texts,
            per_minute=per_minute,
            replying_to=replying_to,
            finding=reading.finding,
        )
    try:
        saved = change_setting(
            user, user.awaiting, _setting_said(user.awaiting, text), now=visit.now
        )
    except InputError as error:
        # Not a valid answer: a question, or a sentence, gets its answer (or the honest
        # "I only know back care"); a short slip gets the one-line error with an example.
        if intent.act is not Act.QUESTION:
            return await talk(
                visit, text, intent, guide, texts, per_minute=per_minute, finding=reading.finding
            )
        answer = guide.answer(text, finding=reading.finding)
        if answer.matched or len(text.split()) >= SENTENCE_WORDS:
            return await ask(visit, text, guide, per_minute=per_minute, answer=answer)
        return Reply(Screen(str(error)))
    return Reply(wording.settings.saved(saved.screen), reschedule=saved.reschedule)


# What a settings screen asks, in the words of the reader of replies; and how each of its
# meanings is written for the setting's own parser.
_SETTING_ASKED = {"tz": "timezone", "hours": "wake_sleep", "goal": "water_goal"}
# A typed value this long or longer is a sentence, and read as one.
_SETTING_WORDS = 5
_QUESTION = re.compile(
    r"(?:what|how|why|when|where|which|who|is|are|can|could|should|do|does)\b|.*\?$"
)


def _setting_said(field: str, text: str) -> str:
    """Return a typed setting as its parser reads it: as typed when the parser takes it,
    else as the reader of replies understood it ("8am to 11pm", "new yrok", "2 litres")."""
    if len(text.split()) > _SETTING_WORDS or _QUESTION.match(text.strip().lower()):
        return text  # a sentence or a question is not a value ("what is the capital of France")
    try:
        parse_field(field, text)
    except InputError:
        asked = _SETTING_ASKED.get(field)
        meaning = replies.understand(asked, text) if asked is not None else ""
        kind, _, value = meaning.partition(":")
        if kind in ("zone", "ml", "time", "range") and value:
            return value
    return text


def situation_of(user: User, *, now: datetime) -> Situation:
    """What the bot knows of someone when their message comes: where its reading goes on."""
    waiting = questions.waiting_answer(user, now=now)
    return Situation(
        now=now,
        zone=zone_of(user.timezone),
        glass_ml=person_of(user).water_glass_ml,
        asked=Asked(waiting) if waiting is not None else None,
        told_to_get_help=user.held_for_help_since is not None,
    )


async def ask_signs_if_due(visit: Visit, reading: Reading, guide: Guide) -> Reply:
    """Ask the warning-sign question about an unsure message, unless it was asked within
    the hour about the same, or the message answers the bot's own question (silence then:
    the message is read on as calm)."""
    user, now = visit.user, visit.now
    about = reading.finding.unsure
    finished = guide.reader.finish(reading, situation_of(user, now=now))
    if finished.said is not None or not questions.may_check(
        user.checked_at, user.checked_about, about, now=now
    ):
        return Reply(SILENCE)
    return await ask_signs(visit, reading.text, about)


async def ask_signs(visit: Visit, text: str, about: frozenset[str]) -> Reply:
    """Ask the warning-sign question, in a few words with buttons, when triage is unsure."""
    user, now = visit.user, visit.now
    questions.set_asked(user, Asked.CHECK_SIGNS, now=now, text=text)
    questions.note_check(user, about, now=now)
    asked = Answer(text, CHECK_QUESTION, (), Level.CHECK, True, None)
    await questions.record(visit.session, user, asked, now=now)
    screen = wording.warning.check()
    if visit.arrival is Arrival.NEW:
        return Reply(screen, then=(Screen(wording.common.WELCOME), onboarding_screen(user)))
    return Reply(screen)


async def answer_signs(
    visit: Visit, said: Said, guide: Guide, texts: NudgeTexts, *, per_minute: int
) -> Reply:
    """Act on a typed yes, no or "not sure" to the warning-sign question, as its buttons do."""
    if questions.waiting_answer(visit.user, now=visit.now) == Asked.FLARE_SIGNS:
        match said:
            case Said.YES:
                return await flare_signs(visit, texts, present=True)
            case Said.NO:
                return await flare_signs(visit, texts, present=False)
            case Said.UNSURE:
                return Reply(wording.warning.unsure(wording.flare.RED_FLAG_BUTTONS))
            case _:
                assert_never(said)
    match said:
        case Said.YES:
            return signs_yes(visit, texts)
        case Said.NO:
            return await signs_no(visit, guide, texts, per_minute=per_minute)
        case Said.UNSURE:
            return Reply(wording.warning.unsure(wording.warning.SIGN_BUTTONS))
        case _:
            assert_never(said)


async def flare_signs(visit: Visit, texts: NudgeTexts, *, present: bool) -> Reply:
    """The warning-sign question of care mode answered: help first, or the plan."""
    session, user, now = visit.session, visit.user, visit.now
    questions.set_asked(user, None, now=now)
    episode = await care.answer_red_flags(session, user, present=present, now=now)
    if present:
        care.hold_for_help(user, now=now)
        return Reply(wording.flare.seeking_help(texts))
    plan = schedule.plan_of(episode)
    return Reply(wording.flare.flare_plan(plan, zone=user.timezone, now=now))


def signs_yes(visit: Visit, texts: NudgeTexts) -> Reply:
    """Yes to the unsure warning-sign question: get help now, and hold self-care until seen."""
    questions.set_asked(visit.user, None, now=visit.now)
    care.hold_for_help(visit.user, now=visit.now)
    return Reply(wording.warning.yes(texts.urgent_if_yes))


async def signs_no(visit: Visit, guide: Guide, texts: NudgeTexts, *, per_minute: int) -> Reply:
    """No to the unsure warning-sign question: answer the message that made the bot ask."""
    user = visit.user
    text = user.asked_text
    questions.set_asked(user, None, now=visit.now)
    if not text:
        return Reply(Screen(wording.warning.NO_SIGNS_NOTHING_ASKED))
    intent = read_intent(
        text, now=visit.now, zone=zone_of(user.timezone), glass_ml=person_of(user).water_glass_ml
    )
    answered = await talk(visit, text, intent, guide, texts, per_minute=per_minute, finding=CALM)
    return replace(answered, screen=answered.screen.under(wording.warning.NO_SIGNS))


async def after_urgent(visit: Visit, said: AfterUrgent) -> Reply:
    """What follows "get help now": the advice again, good luck, or care back on."""
    match said:
        case AfterUrgent.WORRY:
            return Reply(wording.warning.worry())
        case AfterUrgent.GOING:
            return Reply(wording.warning.going())
        case AfterUrgent.SEEN:
            return await been_seen(visit)
        case _:
            assert_never(said)


async def been_seen(visit: Visit, *, tapped: bool = False) -> Reply:
    """They have been seen: self-care held for help resumes (and care mode's plan, if on).

    The button of a hold already released is stale; said in words, it gets a plain answer.
    """
    user, now = visit.user, visit.now
    seen = await care.seen(visit.session, user, now=now)
    if tapped and not seen.released:
        raise StaleButton(wording.common.EXPIRED_BUTTON)
    if seen.episode is not None and seen.released:
        plan = schedule.plan_of(seen.episode)
        return Reply(wording.flare.care_resumed(plan, zone=user.timezone, now=now))
    return Reply(Screen(wording.warning.SEEN if seen.released else wording.warning.NOTHING_HELD))


async def talk(
    visit: Visit,
    text: str,
    intent: Intent,
    guide: Guide,
    texts: NudgeTexts,
    *,
    per_minute: int,
    replying_to: int | None = None,
    finding: Finding = CALM,
) -> Reply:
    """Answer a plain message by what it asks for (warning signs were answered already)."""
    user, now = visit.user, visit.now
    match intent.act:
        case Act.DISTRESS:
            again = user.first_aid_at is not None and now - user.first_aid_at < FIRST_AID_EVERY
            episode = await care.open_flare(visit.session, user)
            if episode is None:
                if again:
                    return Reply(wording.talk.DISTRESS_AGAIN)
                user.first_aid_at = now
                return Reply(wording.talk.distress(texts))
            scores = await care.pain_scores(visit.session, episode)
            plan = schedule.plan_of(episode)
            status = wording.flare.flare_status(plan, scores, now=now, zone=user.timezone)
            if not again:
                user.first_aid_at = now
            return Reply(wording.talk.distress_in_care(texts, status, first_aid=not again))
        case Act.DONE | Act.SNOOZE | Act.SKIP:
            return await reply_to_nudge(visit, intent, texts, replying_to=replying_to)
        case Act.WATER:
            assert intent.ml is not None  # a drink always names its amount
            return await drank(visit, intent.ml)
        case Act.BREAK:
            due = await schedule.log_done(visit.session, user, NudgeKind.POSTURE, now=now)
            said = wording.today.done(NudgeKind.POSTURE, due, zone=user.timezone, now=now)
            return Reply(Screen(said))
        case Act.BUSY if intent.until is not None:
            await schedule.hold_until(visit.session, user, intent.until)
            return Reply(Screen(wording.talk.busy(intent.until, user.timezone, now=now)))
        case Act.PAUSE if intent.until is not None:
            apply_change(user, Pause(intent.until), now=now)
            said = wording.talk.paused(
                intent.until, user.timezone, day_only=intent.day_only, now=now
            )
            return Reply(Screen(said), reschedule=True)
        case Act.BUSY | Act.PAUSE:
            return Reply(wording.settings.question("pause", onboarding=False))
        case Act.RESUME:
            return await command(visit, Resume())
        case Act.STOP:
            return Reply(wording.talk.STOP)
        case Act.SMALL_TALK:
            assert intent.chat is not None  # small talk always says which
            return Reply(Screen(wording.talk.SMALL_TALK[intent.chat]))
        case Act.TODAY:
            return await today(visit)
        case Act.PROGRESS:
            return await progress(visit)
        case Act.HELP:
            return Reply(wording.help.help_screen())
        case Act.SETTINGS:
            return await settings_menu(visit)
        case Act.FOREIGN:
            return Reply(wording.talk.FOREIGN)
        case Act.QUESTION:
            return await ask(visit, text, guide, per_minute=per_minute, finding=finding)
        case _:
            assert_never(intent.act)


async def reply_to_nudge(
    visit: Visit, intent: Intent, texts: NudgeTexts, *, replying_to: int | None = None
) -> Reply:
    """Carry out "done", "later" or "skip" on the nudge replied to, or else the latest still
    waiting, as its buttons would; the message then loses the buttons of the parts answered."""
    waiting = await schedule.waiting_nudge(
        visit.session, visit.user, now=visit.now, replying_to=replying_to
    )
    if waiting is None:
        return Reply(Screen(wording.talk.NOTHING_WAITING[intent.act]))
    buttons = [
        NudgeButton(part.kind, action)
        for part in waiting.message.parts
        if (action := _action_for(waiting, part, intent.act)) is not None
    ]
    pressed = await press_for_words(visit, waiting, buttons, texts, delay=intent.delay)
    return pressed or Reply(Screen(wording.talk.NOT_THAT_NUDGE))


async def press_for_words(
    visit: Visit,
    waiting: OpenNudge,
    buttons: Sequence[NudgeButton],
    texts: NudgeTexts,
    *,
    delay: timedelta | None = None,
) -> Reply | None:
    """Press buttons of a waiting message for someone's words, as their taps would; the
    message then loses the buttons of the parts answered. None if none could be pressed."""
    said: list[str] = []
    answered: set[NudgeKind] = set()
    for button in buttons:
        try:
            done = await nudge_pressed(
                visit, button, texts, message_id=waiting.message_id, delay=delay
            )
        except StaleButton:
            continue
        said.append(done.screen.text)
        answered.add(button.kind)
    if not said:
        return None
    keep = _without_buttons(waiting, answered)
    return Reply(Screen("\n".join(said)), edit=NudgeEdit(waiting.message_id, keep))


async def answer_in_context(
    visit: Visit,
    reading: Reading,
    intent: Intent,
    texts: NudgeTexts,
    *,
    replying_to: int | None = None,
) -> Reply | None:
    """Read a typed message as the answer to the nudge still waiting, if it is one: "its
    off", "like a 7", "did the stretch" press the buttons they mean; a request BackCare
    cannot do gets a plain answer. None: the message is read on its own (`talk`)."""
    candidates = pending.candidates(
        await schedule.waiting_nudges(visit.session, visit.user, now=visit.now),
        now=visit.now,
        replying_to=replying_to,
    )
    waiting, asked, meaning = pending.answered(candidates, reading.text, reading.finding)
    if meaning == "cannot":
        return Reply(wording.talk.cannot())
    if waiting is None:
        return None
    if meaning == "not_yet" or (asked == "taken_off" and meaning == "later"):
        return Reply(Screen(wording.talk.NOT_OFF_YET))
    if meaning in ("done", "skip", "later") and intent.act is not Act.QUESTION:
        return None  # the words' own reading keeps its details ("later, in 20 min", "busy")
    presses = pending.buttons_for(meaning, waiting, text=reading.text)
    if presses is None:
        return None
    pressed = await press_for_words(visit, waiting, presses.buttons, texts)
    if pressed is None or not presses.more_glasses:
        return pressed
    more = await drank(visit, presses.more_glasses * person_of(visit.user).water_glass_ml)
    return replace(pressed, screen=Screen(more.screen.text, more.screen.rows))


# What "done", "later" and "skip" press on each part, by the actions its buttons offer.
_WORDS_FOR = {
    Act.DONE: ("drink", "done"),
    Act.SNOOZE: ("snooze",),
    Act.SKIP: ("skip",),
}


def _action_for(waiting: OpenNudge, part: NudgeMessage, act: Act) -> str | None:
    """Return the action of a waiting part's button that a word means, if it has one."""
    if not waiting.waits_on(part.kind):
        return None
    for _label, action in part.buttons:
        if action.partition(".")[0] in _WORDS_FOR.get(act, ()):
            return action
    return None


def _without_buttons(waiting: OpenNudge, answered: set[NudgeKind]) -> NudgeMessage:
    """Return a nudge message as it shows now: only parts still waiting keep their buttons."""
    parts = [
        part
        if waiting.waits_on(part.kind) and part.kind not in answered
        else NudgeMessage(part.kind, part.text, ())
        for part in waiting.message.parts
    ]
    return NudgeMessage.of_parts(parts)


async def ask(
    visit: Visit,
    text: str,
    guide: Guide,
    *,
    per_minute: int,
    answer: Answer | None = None,
    finding: Finding = CALM,
) -> Reply:
    """Answer a question from the guidance, within the rate limit.

    `finding` is the message's one reading by triage; `answer` the guide's answer to `text`
    if the caller has it already.
    """
    asked = await questions.ask(
        visit.session,
        visit.user,
        guide,
        text,
        now=visit.now,
        per_minute=per_minute,
        finding=finding,
        answer=answer,
    )
    if asked.answer is not None and asked.answer.own_back:
        return Reply(wording.warning.own_back(asked.answer))
    if asked.answer is not None:
        return Reply(wording.questions.answer(asked.answer, asked.question_id))
    if asked.slow_down:
        return Reply(Screen(wording.questions.SLOW_DOWN))
    return Reply(SILENCE)


async def record_warning(visit: Visit, answer: Answer) -> Reply:
    """Keep a warning-sign message and its answer, which was sent already; after "get help
    now", hold self-care until they say they have been seen."""
    await questions.record(visit.session, visit.user, answer, now=visit.now)
    if answer.urgent:
        care.hold_for_help(visit.user, now=visit.now)
        questions.set_asked(visit.user, None, now=visit.now)
    return Reply(SILENCE)
