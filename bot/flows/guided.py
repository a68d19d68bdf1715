"""A guided stretch session: ▶️ Start, then one picture message per exercise, changed in
place by Next / Easier / Skip / Stop; the last Next logs the stretch as Done would.

The session travels in its buttons (`pack`): a restart of the bot, or another process,
carries it on. Which exercises a session may show is `jobs.rules.flare.stretch_set`'s
decision (care mode: the gentle set; an episode's first day: none); the moves are
`jobs.rules.guided`'s.
"""

from __future__ import annotations

import re
import string

from bot import wording
from bot.callbacks import GuidedPress
from bot.flows.reply import Reply, Shown, StaleButton, Visit
from bot.wording.common import Row, Screen
from bot.wording.nudges import GET_CHECKED, NudgeTexts
from guidance import Guide
from guidance.exercises import Exercise, Exercises
from jobs.rules import guided as rules
from jobs.rules.guided import (
    Finished,
    Gentlest,
    HeldForHelp,
    Move,
    RestFirst,
    Session,
    Show,
    Stopped,
)
from jobs.rules.planning import zone_of
from jobs.services import guided as service
from storage.models import NudgeKind

_CODES = string.ascii_lowercase
# The caption counts a timed hold down from this long after the card shows (time to get
# into position), with an edit at most every `_STEP` seconds (Telegram's edit limits).
LEAD_SECONDS = 15
SWITCH_SECONDS = 5
# A hold shorter than this is not counted down (an edit every few seconds at most).
MIN_COUNTED = 15
_TWO_SIDES = re.compile(r"\b(?:switch legs|swap sides|each side|other leg)\b", re.IGNORECASE)


def pack(session: Session, exercises: Exercises) -> str:
    """Write a session as its buttons carry it: `prompt.codes.at.done.easier`."""
    catalogue = exercises.ids()
    if len(catalogue) > len(_CODES):
        raise ValueError("more exercises than one letter each can name")
    codes = "".join(_CODES[catalogue.index(one)] for one in session.plan)
    return f"{session.prompt}.{codes}.{session.at}.{session.done}.{int(session.easier)}"


def unpack(state: str, exercises: Exercises) -> Session:
    """Read a session back from its buttons; a stale or forged one is a StaleButton."""
    catalogue = exercises.ids()
    try:
        prompt, codes, at, done, easier = state.split(".")
        plan = tuple(catalogue[_CODES.index(code)] for code in codes)
        return Session(plan, int(at), int(done), easier == "1", int(prompt))
    except (ValueError, IndexError):
        raise StaleButton(wording.guided.EXPIRED) from None


async def pressed(
    visit: Visit, button: GuidedPress, texts: NudgeTexts, guide: Guide, *, message_id: int
) -> Reply:
    """Carry out a press: Start a session, or move the one on this message."""
    exercises = texts.exercises
    if button.move is Move.START:
        return await start(visit, texts, guide, prompt=message_id)
    session = unpack(button.state, exercises)
    outcome = rules.step(session, button.move, exercises.gentle_ids)
    match outcome:
        case Show(shown, swapped):
            return card(shown, texts, guide, shown=Shown.REPLACED, swapped=swapped)
        case Gentlest():
            return Reply(Screen(wording.guided.GENTLEST), refused=True)
        case Stopped(ended):
            title = exercises[ended.current].title
            text = wording.guided.ended(title, wording.guided.STOPPED)
            notice = wording.guided.STOPPED_NOTICE
            return Reply(Screen(text, headings=(title,)), notice, shown=Shown.CAPTION)
        case Finished(ended, logged):
            return await _finish(visit, ended, texts, logged=logged, message_id=message_id)


async def start(visit: Visit, texts: NudgeTexts, guide: Guide, *, prompt: int = 0) -> Reply:
    """Begin a session with the exercises that fit now, as a new picture message."""
    exercises, now = texts.exercises, visit.now
    allowed = await service.stretch_set_now(visit.session, visit.user, now=now)
    routine = [
        entry_id
        for entry_id in texts.choices.routine(due_at=now, zone=zone_of(visit.user.timezone))
        if entry_id in exercises
    ]
    begun = rules.start(allowed, routine, exercises.gentle_ids, prompt=prompt)
    if isinstance(begun, RestFirst):
        text = wording.guided.rest_first(texts.positions, texts.breathing)
        return Reply(Screen(text), shown=Shown.NEW)
    if isinstance(begun, HeldForHelp):
        return Reply(Screen(GET_CHECKED), shown=Shown.NEW)
    return card(begun.session, texts, guide, shown=Shown.NEW)


async def _finish(
    visit: Visit, ended: Session, texts: NudgeTexts, *, logged: bool, message_id: int
) -> Reply:
    """End the session: the stretch is logged as the prompt's Done logs it, once."""
    title = texts.exercises[ended.current].title
    if not logged:
        text = wording.guided.ended(title, wording.guided.ALL_SKIPPED)
        return Reply(Screen(text, headings=(title,)), shown=Shown.CAPTION)
    user, now = visit.user, visit.now
    done = await service.log_session(
        visit.session, user, message_id=message_id, prompt=ended.prompt, now=now
    )
    if not done.logged:
        text = wording.guided.ended(title, wording.guided.ALREADY_LOGGED)
        return Reply(Screen(text, headings=(title,)), shown=Shown.CAPTION)
    line = wording.today.done(NudgeKind.STRETCH, done.next_due, zone=user.timezone, now=now)
    gentle = all(texts.exercises[one].gentle for one in ended.plan)
    text = wording.guided.finished(title, line, walk=texts.walk if gentle else "")
    return Reply(Screen(text, headings=(f"{title} ✓",)), wording.today.LOGGED, shown=Shown.CAPTION)


def card(
    session: Session, texts: NudgeTexts, guide: Guide, *, shown: Shown, swapped: bool = False
) -> Reply:
    """Show the session's current exercise: its picture, its card, the buttons, and the
    caption as its hold counts down."""
    exercises = texts.exercises
    exercise = exercises[session.current]
    state = pack(session, exercises)
    row: Row = [(label, GuidedPress(move, state)) for label, move in wording.guided.BUTTONS]
    gentle = all(exercises[one].gentle for one in session.plan)
    added = exercises.easier_sources if session.easier else ()
    sources = tuple(dict.fromkeys((*exercise.sources, *added)))

    def screen(timer: str = "") -> Screen:
        text, title = wording.guided.card(
            exercise,
            at=session.at,
            of=len(session.plan),
            sources=guide.sources_line(sources),
            easier=session.easier,
            easier_line=exercises.easier_line,
            gentle=gentle,
            swapped=swapped,
            timer=timer,
        )
        return Screen(text, [row], headings=(title,))

    hold = _hold(exercise, easier=session.easier)
    if hold is None:
        return Reply(screen(), shown=shown, photo=exercise.id)
    first = wording.guided.hold_line(exercise, easier=session.easier)
    ready = f"{first}\n{wording.guided.get_ready(LEAD_SECONDS)}"
    ticks = tuple((at, screen(said)) for at, said in countdown(exercise, hold))
    return Reply(screen(ready), shown=shown, photo=exercise.id, ticks=ticks)


def _hold(exercise: Exercise, *, easier: bool) -> int | None:
    """The seconds to count down, if the hold is long enough to count."""
    hold = exercise.hold_seconds
    if hold is None:
        return None
    hold = wording.guided.shorter_hold(hold) if easier else hold
    return hold if hold >= MIN_COUNTED else None


def countdown(exercise: Exercise, hold: int) -> list[tuple[float, str]]:
    """When the caption changes as a hold counts down, and what its timer line says then.

    Every 10 seconds (5 for a hold under 20), after a lead-in to get into position; a hold
    done on each side (`then switch legs`) counts down twice, with a moment to switch.
    """
    every = 10 if hold >= 20 else 5
    sides = 2 if _TWO_SIDES.search(f"{exercise.dose} {' '.join(exercise.steps)}") else 1
    said: list[tuple[float, str]] = []
    begin = float(LEAD_SECONDS)
    for side in range(sides):
        said.append((begin, wording.guided.countdown(hold, side=side, sides=sides)))
        said.extend(
            (begin + passed, wording.guided.countdown(hold - passed, side=side, sides=sides))
            for passed in range(every, hold, every)
        )
        begin += hold
        if side < sides - 1:
            said.append((begin, wording.guided.switch_sides(hold)))
            begin += SWITCH_SECONDS
    said.append((begin, wording.guided.hold_over(sides)))
    return said


def show_one(exercise: Exercise, guide: Guide) -> Reply:
    """Show one exercise with its picture, as its knowledge entry answers it."""
    entry = next((one for one in guide.knowledge if one.id == exercise.id), None)
    if entry is None:  # a resting position: its card
        text, title = wording.guided.card(
            exercise, at=0, of=1, sources=guide.sources_line(exercise.sources)
        )
        return Reply(Screen(text, headings=(title,)), photo=exercise.id)
    return Reply(Screen(guide.entry_text(entry), headings=(entry.title,)), photo=exercise.id)


async def stretch_command(visit: Visit, words: str, texts: NudgeTexts, guide: Guide) -> Reply:
    """`/stretch show`: start a session now; `/stretch show child's pose`: show that one."""
    name = words.strip()
    if not name:
        return await start(visit, texts, guide)
    exercise = texts.exercises.by_title(name)
    if exercise is None:
        names = ", ".join(one.title for one in texts.exercises if not one.gentle)
        return Reply(Screen(wording.guided.NO_SUCH_STRETCH.format(names=names)))
    return show_one(exercise, guide)
