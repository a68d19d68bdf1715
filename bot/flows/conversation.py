"""What a person types or presses: typed messages, the talk, replies to nudges, buttons.

One module, because they call each other: a pressed "no" to the warning-sign question goes
on to the talk, and a typed reply to a nudge presses its button.
"""

from __future__ import annotations

from dataclasses import replace
from typing import assert_never

from bot import pending, wording
from bot.callbacks import (
    AskFor,
    Callback,
    ConfirmDrink,
    Do,
    GuidedPress,
    Mean,
    NudgeButton,
    OpenMenu,
    SetValue,
    StartFlareWithPain,
    Toggle,
    Vote,
)
from bot.flows import guided, short
from bot.flows.care import drank, in_distress, start_flare, start_flare_with_pain
from bot.flows.nudges import _action_for, nudge_pressed, press_for_words
from bot.flows.onboarding import onboarding_screen
from bot.flows.questions import ask
from bot.flows.records import forget, progress, today, undo_last
from bot.flows.reply import Arrival, Reply, Shown, StaleButton, Visit
from bot.flows.settings import change_setting, command, press, setting_said, settings_menu
from bot.flows.signs import after_urgent, been_seen, flare_signs, signs_yes, situation_of
from bot.wording.common import SILENCE, Screen
from bot.wording.nudges import NudgeTexts
from guidance import Guide
from guidance.reading import Asked, Reading, Said
from guidance.reading.intents.reader import Act, Intent
from guidance.reading.intents.reader import read as read_intent
from guidance.reading.times import InputError
from guidance.reading.triage import CALM, Finding
from jobs.delivery.outbox import Outbox
from jobs.rules.changes import (
    Pause,
    Resume,
)
from jobs.rules.person import person_of
from jobs.rules.planning import zone_of
from jobs.services import facts, questions, schedule
from jobs.services import progress as progress_service
from jobs.services.profile import apply_change
from storage.models import NudgeKind

# A typed answer this long that is not a valid setting is read as a sentence, not a slip.
SENTENCE_WORDS = 4
# The same first-aid steps are not sent again within this long (BackCare's own rule).


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
        case GuidedPress():
            return await guided.pressed(visit, button, texts, guide, message_id=message_id)
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
        case Do.UNDO:
            return replace(await undo_last(visit), shown=Shown.APPENDED)
        case Mean(word):  # "Did you mean …?": as if the word were typed
            word_read = guide.reader.first(word)
            said = await typed(visit, word_read, guide, texts, per_minute=per_minute)
            return short.in_place(said)
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
    signs never come here: they were answered before anything else read the message. A
    short one with a slip ("skp") is read as the word meant, and the reply says so.
    """
    original, meant = reading.text, None
    if visit.user.awaiting is None and visit.arrival is not Arrival.NEW:
        reading, meant = short.reread(reading)
    reply = await _typed(
        visit, reading, guide, texts, per_minute=per_minute, replying_to=replying_to
    )
    return short.noted(reply, original, meant)


async def _typed(
    visit: Visit,
    reading: Reading,
    guide: Guide,
    texts: NudgeTexts,
    *,
    per_minute: int,
    replying_to: int | None = None,
) -> Reply:
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
            user, user.awaiting, setting_said(user.awaiting, text), now=visit.now
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
        return Reply(Screen(wording.inputs.refusal(error)))
    return Reply(wording.settings.saved(saved.screen), reschedule=saved.reschedule)


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
            return await in_distress(visit, texts)
        case Act.DONE | Act.SNOOZE | Act.SKIP:
            return await reply_to_nudge(visit, intent, texts, replying_to=replying_to)
        case Act.WATER:
            assert intent.ml is not None  # a drink always names its amount
            return await drank(visit, intent.ml)
        case Act.BREAK:
            due = await schedule.log_done(visit.session, user, NudgeKind.POSTURE, now=now)
            said = wording.today.done(NudgeKind.POSTURE, due, zone=user.timezone, now=now)
            return Reply(Screen(said, [[wording.today.UNDO_BUTTON]]))
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
            return Reply(wording.asking.question("pause", onboarding=False))
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
            # A short message the guide cannot answer: never the stock decline.
            short_said = short.instead_of_decline(text, guide, finding)
            if isinstance(short_said, Reply):
                return short_said
            return await ask(
                visit, text, guide, per_minute=per_minute, finding=finding, answer=short_said
            )
        case _:
            assert_never(intent.act)


async def reply_to_nudge(
    visit: Visit, intent: Intent, texts: NudgeTexts, *, replying_to: int | None = None
) -> Reply:
    """Carry out "done", "later" or "skip" on the nudge replied to, or else the latest still
    waiting, as its buttons would; the message then loses the buttons of the parts answered."""
    waiting = await facts.waiting_nudge(
        visit.session, visit.user, now=visit.now, replying_to=replying_to
    )
    if waiting is None:
        return Reply(Screen(wording.talk.NOTHING_WAITING[intent.act]))
    buttons = [
        NudgeButton(part.kind, action)
        for part in waiting.message.parts
        if (action := _action_for(waiting, part, intent.act)) is not None
    ]
    if intent.act is Act.DONE:
        # "done" under several parts logs the latest only, and says which still wait.
        buttons = buttons[-1:]
    pressed = await press_for_words(visit, waiting, buttons, texts, delay=intent.delay)
    return pressed or Reply(Screen(wording.talk.NOT_THAT_NUDGE))


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
        await facts.waiting_nudges(visit.session, visit.user, now=visit.now),
        now=visit.now,
        replying_to=replying_to,
    )
    waiting, asked, meaning = pending.answered(candidates, reading.text, reading.finding)
    if meaning == "cannot":
        return Reply(wording.talk.cannot())
    if meaning == "undo":
        return await undo_last(visit)
    if waiting is None:
        return None
    if meaning == "not_yet" or (asked == "taken_off" and meaning == "later"):
        return Reply(Screen(wording.talk.NOT_OFF_YET))
    if meaning in ("done", "skip", "later") and intent.act not in pending.SAY_NOTHING_OF_A_NUDGE:
        return None  # the words' own reading keeps its details ("later, in 20 min", "busy")
    presses = pending.buttons_for(meaning, waiting, text=reading.text)
    if presses is None:
        return None
    pressed = await press_for_words(visit, waiting, presses.buttons, texts)
    if pressed is not None and intent.act is Act.DISTRESS:
        # "10 and i literally cannot move": the score is logged, and first aid follows.
        return replace(pressed, then=(*pressed.then, (await in_distress(visit, texts)).screen))
    if pressed is None or not presses.more_glasses:
        return pressed
    more = await drank(visit, presses.more_glasses * person_of(visit.user).water_glass_ml)
    return replace(pressed, screen=Screen(more.screen.text, more.screen.rows))
