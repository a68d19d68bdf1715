"""Telegram handlers: read the sender, run one flow in one transaction, render the reply."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import flows, gate, render
from bot.arguments import parse_command, parse_drank, parse_pain, parse_resume
from bot.callbacks import (
    CallbackDataError,
    ConfirmDrink,
    Do,
    NudgeButton,
    StartFlareWithPain,
    Vote,
    decode,
)
from bot.context import AppContext, BackCareApp
from bot.render import Screen
from guidance import Finding, Level
from jobs.pure import flare
from jobs.pure.person import person_of
from jobs.pure.time_input import InputError, clean_typed
from jobs.services import care, questions, schedule
from jobs.services.profile import find_or_create_user
from storage.models import Treatment, User
from storage.repositories import UserRepository

log = logging.getLogger(__name__)

MAX_MESSAGE_LENGTH = 1000
# A typed answer this long that is not a valid setting is read as a sentence, not a slip.
SENTENCE_WORDS = 4
FLARE_ACTIONS = frozenset({"flare", "redflag_yes", "redflag_no", "seen", "no_flare"})


class NotForThisHandler(RuntimeError):
    """An update reached a handler whose filters should have kept it away."""


def _text(update: Update) -> tuple[Message, str]:
    """Return a text message and its text, normalised as every typed input is."""
    message = update.effective_message
    if message is None or message.text is None:
        raise NotForThisHandler("expected a text message")
    return message, clean_typed(message.text)


# How a person arrives with an update: first contact, back after blocking the bot, or known.
Arrival = Literal["new", "back", "known"]


async def _user(
    context: AppContext, update: Update, session: AsyncSession
) -> tuple[User, Arrival]:
    # The sender is always taken from the update, never from button data; `gate` lets
    # through private chats only, so their chat is theirs.
    sender, chat = update.effective_user, update.effective_chat
    if sender is None or chat is None:
        raise NotForThisHandler("expected an update from a person in a chat")
    user, new = await find_or_create_user(
        session, telegram_id=sender.id, chat_id=chat.id, defaults=context.bot_data.defaults
    )
    if new:
        return user, "new"
    if not user.active:
        # They blocked the bot once and are back: their nudges resume.
        user.active = True
        await schedule.reschedule(session, user, now=context.clock.now())
        return user, "back"
    return user, "known"


def _set_up_first(user: User) -> Screen | None:
    """Return the onboarding screen if someone has not finished setting up, else None."""
    if user.onboarding_step is None:
        return None
    screen = flows.onboarding_screen(user)
    return Screen(f"{render.NOT_SET_UP}\n\n{screen.text}", screen.rows)


async def _rescheduled(context: AppContext, session: AsyncSession, user: User) -> None:
    """Bring someone's scheduled nudges in line with their settings, at once."""
    await schedule.reschedule(session, user, now=context.clock.now())


async def _send(message: Message, screen: Screen) -> None:
    await message.reply_text(screen.text, reply_markup=screen.markup())


async def _show(query: CallbackQuery, screen: Screen) -> None:
    try:
        await query.edit_message_text(screen.text, reply_markup=screen.markup())
    except BadRequest as error:
        # Pressing a button that changes nothing leaves the text as it was.
        if "not modified" not in str(error).lower():
            raise


async def triage_first(update: Update, context: AppContext) -> None:
    """Answer a warning sign before anything else reads the message; refuse overlong ones.

    Runs before every other handler: before the rate limit, an awaited settings answer,
    or any parsing. A message that describes a warning sign is answered at once, and
    nothing else happens to it.
    """
    message = update.effective_message
    if message is None or message.text is None:
        return
    typed = message.text
    if typed.startswith("/"):
        typed = typed.partition(" ")[2]  # a command's own words are read too
    finding = context.bot_data.guide.triage(typed)
    if finding.level is not Level.NONE:
        await answer_warning(update, context, message, typed, finding)
        raise ApplicationHandlerStop
    if len(message.text) > MAX_MESSAGE_LENGTH:
        await message.reply_text(render.TOO_LONG.format(limit=MAX_MESSAGE_LENGTH))
        raise ApplicationHandlerStop


async def answer_warning(
    update: Update, context: AppContext, message: Message, typed: str, finding: Finding
) -> None:
    """Send the warning-sign answer first, then keep it; a storage failure cannot stop it."""
    reply = context.bot_data.guide.answer(typed, finding=finding)
    await message.reply_text(reply.answer)
    try:
        async with context.transaction() as session:
            user, _ = await _user(context, update, session)
            await questions.record(session, user, reply, now=context.clock.now())
    except Exception:
        log.exception("a warning-sign answer was sent but could not be stored")


async def cmd_start(update: Update, context: AppContext) -> None:
    """Welcome and onboard a newcomer, or show a returning person their plan."""
    message, _ = _text(update)
    async with context.transaction() as session:
        user, arrival = await _user(context, update, session)
        screen = (
            flows.onboarding_screen(user)
            if user.onboarding_step
            else render.summary(person_of(user), now=context.clock.now())
        )
    if arrival == "new":
        await message.reply_text(render.WELCOME)
    elif arrival == "back":
        await message.reply_text(render.WELCOME_BACK)
    await _send(message, screen)


async def cmd_settings(update: Update, context: AppContext) -> None:
    """Show the settings menu."""
    message, _ = _text(update)
    async with context.transaction() as session:
        user, _ = await _user(context, update, session)
        user.awaiting = None
        screen = render.settings_menu(person_of(user), now=context.clock.now())
    await _send(message, screen)


async def cmd_setting(update: Update, context: AppContext) -> None:
    """Apply a settings command such as `/hours 07:30-22:30`, or show its menu."""
    message, typed = _text(update)
    command, _, text = typed.partition(" ")
    name = command.lstrip("/").split("@")[0].lower()
    try:
        change = parse_command(name, text)
        async with context.transaction() as session:
            user, _ = await _user(context, update, session)
            if change is None:
                field = {"timezone": "tz", "water": "goal", "posture": "every"}.get(name, name)
                reply = render.question(field, onboarding=False)
            else:
                reply = Screen(flows.apply_command(user, change, now=context.clock.now()))
                await _rescheduled(context, session, user)
    except InputError as error:
        await message.reply_text(str(error))
        return
    await _send(message, reply)


async def cmd_resume(update: Update, context: AppContext) -> None:
    """Release a pause."""
    message, typed = _text(update)
    try:
        change = parse_resume(typed.partition(" ")[2])
    except InputError as error:
        await message.reply_text(str(error))
        return
    async with context.transaction() as session:
        user, _ = await _user(context, update, session)
        text = flows.apply_command(user, change, now=context.clock.now())
        await _rescheduled(context, session, user)
    await message.reply_text(text)


async def cmd_drank(update: Update, context: AppContext) -> None:
    """Log a glass of water, or an amount: `/drank`, `/drank 500`."""
    message, typed = _text(update)
    try:
        ml = parse_drank(typed.partition(" ")[2])
    except InputError as error:
        await message.reply_text(str(error))
        return
    async with context.transaction() as session:
        user, _ = await _user(context, update, session)
        screen = _set_up_first(user)
        if screen is None:
            try:
                logged = await schedule.log_water(session, user, ml=ml, now=context.clock.now())
                screen = Screen(render.water_logged(logged, zone=user.timezone))
            except schedule.NeedsConfirmation as asked:
                screen = render.confirm_drink(asked.ml, asked.total_ml)
    await _send(message, screen)


async def cmd_today(update: Update, context: AppContext) -> None:
    """Show today's water, breaks and stretch, and when each next nudge is due."""
    message, _ = _text(update)
    async with context.transaction() as session:
        user, _ = await _user(context, update, session)
        screen = _set_up_first(user)
        if screen is None:
            now = context.clock.now()
            report = await schedule.today(session, user, now=now)
            text = render.today(report, person_of(user), now=now)
            episode = await care.open_flare(session, user)
            if episode is not None:
                scores = await care.pain_scores(session, episode)
                plan = schedule.plan_of(episode)
                text += "\n" + render.flare_status(plan, scores, now=now, zone=user.timezone)
            screen = Screen(text)
    await _send(message, screen)


async def cmd_help(update: Update, _context: AppContext) -> None:
    """List what the bot does and every command."""
    message, _ = _text(update)
    await _send(message, render.help_screen())


async def cmd_flare(update: Update, context: AppContext) -> None:
    """Start care mode for a spasm, or change its plan: `/flare acute 72h`."""
    message, typed = _text(update)
    options = typed.partition(" ")[2]
    now = context.clock.now()
    try:
        option = care.parse_flare_option(options) if options.strip() else None
        async with context.transaction() as session:
            user, _ = await _user(context, update, session)
            if option is None:
                screen = await flows.start_flare(session, user, context.bot_data.texts, now=now)
            else:
                episode = await care.set_flare_option(session, user, *option, now=now)
                scores = await care.pain_scores(session, episode)
                plan = schedule.plan_of(episode)
                screen = Screen(render.flare_status(plan, scores, now=now, zone=user.timezone))
    except InputError as error:
        await message.reply_text(str(error))
        return
    await _send(message, screen)


async def cmd_better(update: Update, context: AppContext) -> None:
    """End care mode with a summary of the episode."""
    message, _ = _text(update)
    async with context.transaction() as session:
        user, _ = await _user(context, update, session)
        summary = await care.end_flare(session, user, now=context.clock.now())
    await message.reply_text(render.flare_ended(summary))


async def cmd_session(update: Update, context: AppContext) -> None:
    """Start an ice (`/ice`) or heat (`/heat`) session now, timed in the database."""
    message, typed = _text(update)
    treatment = Treatment.ICE if typed.lower().startswith("/ice") else Treatment.HEAT
    try:
        async with context.transaction() as session:
            user, _ = await _user(context, update, session)
            started = await care.start_session(session, user, treatment, now=context.clock.now())
            text = render.session_started(started, context.bot_data.texts, zone=user.timezone)
    except InputError as error:
        await message.reply_text(str(error))
        return
    await message.reply_text(text)


async def cmd_pain(update: Update, context: AppContext) -> None:
    """Log today's pain, 0 to 10: `/pain 6`; outside care mode, ask to start it first."""
    message, typed = _text(update)
    texts = context.bot_data.texts
    try:
        score = care.check_pain(parse_pain(typed.partition(" ")[2]))
    except InputError as error:
        await message.reply_text(str(error))
        return
    if flare.pain_is_severe(score):
        await message.reply_text(texts.urgent_for_pain)  # help first, whatever follows
    async with context.transaction() as session:
        user, _ = await _user(context, update, session)
        logged = await care.log_pain(session, user, score, now=context.clock.now())
    if logged is None:
        await _send(message, render.pain_outside_flare(score))
    else:
        await message.reply_text(render.pain_logged(replace(logged, urgent=False), texts))


async def cmd_forget(update: Update, _context: AppContext) -> None:
    """Offer to delete everything stored about the sender."""
    message, _ = _text(update)
    await _send(message, render.forget_question())


async def on_button(update: Update, context: AppContext) -> None:
    """Carry out a button press for the person who pressed it."""
    query = update.callback_query
    if query is None:
        raise NotForThisHandler("expected a button press")
    if not isinstance(query.message, Message):
        await query.answer(render.EXPIRED_BUTTON, show_alert=True)  # too old to edit
        return
    if query.message.chat.id != query.from_user.id:
        await query.answer(render.NOT_YOURS, show_alert=True)
        return
    try:
        action = decode(query.data if isinstance(query.data, str) else None)
    except CallbackDataError:
        await query.answer(render.EXPIRED_BUTTON, show_alert=True)
        return
    try:
        async with context.transaction() as session:
            user, _ = await _user(context, update, session)
            if isinstance(action, NudgeButton):
                result = await flows.nudge_pressed(
                    session,
                    user,
                    action,
                    context.bot_data.texts,
                    message_id=query.message.message_id,
                    now=context.clock.now(),
                )
                reply = None
            elif isinstance(action, Vote):
                counted = await questions.vote(
                    session, user, action.question_id, helpful=action.helpful
                )
                reply = None
            elif isinstance(action, Do) and action.action in FLARE_ACTIONS:
                reply = flows.Reply(
                    await flows.flare_pressed(
                        session,
                        user,
                        action.action,
                        context.bot_data.texts,
                        now=context.clock.now(),
                    )
                )
            elif isinstance(action, ConfirmDrink):
                confirmed = await schedule.log_water(
                    session, user, ml=action.ml, now=context.clock.now(), confirmed=True
                )
                reply = flows.Reply(Screen(render.water_logged(confirmed, zone=user.timezone)))
            elif action == Do("keep_water"):
                reply = flows.Reply(Screen(render.NOT_LOGGED))
            elif isinstance(action, StartFlareWithPain):
                reply = flows.Reply(
                    await flows.start_flare_with_pain(
                        session,
                        user,
                        action.score,
                        context.bot_data.texts,
                        now=context.clock.now(),
                    )
                )
            elif action == Do("forget"):
                reply = flows.Reply(await flows.forget(session, user))
            elif action == Do("keep"):
                reply = flows.Reply(Screen(render.KEPT))
            else:
                reply = flows.press(user, action, now=context.clock.now())
                if reply.changed:
                    await _rescheduled(context, session, user)
    except (InputError, flows.StaleButton) as error:
        await query.answer(str(error)[:200], show_alert=True)
        return
    if isinstance(action, NudgeButton):  # the nudge keeps its text and says what happened
        await query.answer(result.notice)
        original = query.message.text if isinstance(query.message, Message) else None
        await _show(query, Screen(f"{original or ''}\n\n{result.screen.text}".strip()))
        return
    if reply is None:  # a vote: keep the answer, drop its buttons (if it was theirs)
        if not counted:
            await query.answer(render.EXPIRED_BUTTON, show_alert=True)
            return
        await query.answer(render.THANKS_FOR_VOTE)
        await query.edit_message_reply_markup(reply_markup=None)
        return
    await query.answer(reply.notice)
    await _show(query, reply.screen)


async def on_text(update: Update, context: AppContext) -> None:
    """Take a typed answer the bot asked for; anything else is a question.

    Warning signs never reach here: `triage_first` answered them already.
    """
    message, typed = _text(update)
    try:
        async with context.transaction() as session:
            user, arrival = await _user(context, update, session)
            # A first message (after /forget, too) starts setting up, after its answer.
            welcome = flows.onboarding_screen(user) if arrival == "new" else None
            field = None if welcome else user.awaiting
            if field is not None:
                reply = flows.change_setting(user, field, typed, now=context.clock.now())
                await _rescheduled(context, session, user)
    except InputError as error:
        # Not a valid answer: a question, or a sentence, gets its answer (or the honest
        # "I only know back care"); a short slip gets the one-line error with an example.
        if context.bot_data.guide.answer(typed).matched or len(typed.split()) >= SENTENCE_WORDS:
            await answer_question(update, context, message, typed)
        else:
            await message.reply_text(str(error))
        return
    if field is not None:
        await _send(message, Screen(f"{reply.notice}\n\n{reply.screen.text}", reply.screen.rows))
        return
    await answer_question(update, context, message, typed)
    if welcome is not None:
        await message.reply_text(render.WELCOME)
        await _send(message, welcome)


async def answer_question(
    update: Update, context: AppContext, message: Message, question: str
) -> None:
    """Answer a question from the guidance (red flags first), within the rate limit."""
    async with context.transaction() as session:
        user, _ = await _user(context, update, session)
        asked = await questions.ask(
            session,
            user,
            context.bot_data.guide,
            question,
            now=context.clock.now(),
            per_minute=context.bot_data.settings.questions.per_minute,
        )
    if asked.answer is not None:
        await _send(message, render.answer(asked.answer, asked.question_id))
    elif asked.slow_down:
        await message.reply_text(render.SLOW_DOWN)


async def on_membership(update: Update, context: AppContext) -> None:
    """Stop nudges at once when someone blocks the bot; welcome them back when they return."""
    change = update.my_chat_member
    if change is None:
        raise NotForThisHandler("expected a change of the bot's membership")
    status = change.new_chat_member.status
    now = context.clock.now()
    async with context.transaction() as session:
        user = await UserRepository(session).by_telegram_id(change.from_user.id)
        if user is None:
            return  # never used the bot: nothing stored, nothing to stop
        if status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
            user.active = False
            await schedule.stop_all(session, user)
            return
        if status != ChatMemberStatus.MEMBER or user.active:
            return
        user.active = True
        await schedule.reschedule(session, user, now=now)
        screen = (
            flows.onboarding_screen(user)
            if user.onboarding_step
            else render.summary(person_of(user), now=now)
        )
    await context.bot.send_message(change.chat.id, render.WELCOME_BACK)
    await context.bot.send_message(change.chat.id, screen.text, reply_markup=screen.markup())


async def on_error(update: object, context: AppContext) -> None:
    """Log an unexpected failure and tell the person something went wrong."""
    log.error("update failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        await update.effective_message.reply_text(
            "Sorry, something went wrong on my side. Please try again in a moment."
        )


SETTINGS_COMMANDS = ("timezone", "hours", "water", "posture", "stretch", "pause")


def register(app: BackCareApp) -> None:
    """Register every handler: the gate, warning signs, replays, then the rest."""
    app.add_handler(TypeHandler(Update, gate.gate), group=-3)
    app.add_handler(MessageHandler(filters.TEXT, triage_first), group=-2)
    app.add_handler(TypeHandler(Update, gate.once), group=-1)
    app.add_handler(ChatMemberHandler(on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(CommandHandler("start", cmd_start))
    app.add_handler(CommandHandler("settings", cmd_settings))
    app.add_handler(CommandHandler(SETTINGS_COMMANDS, cmd_setting))
    app.add_handler(CommandHandler("resume", cmd_resume))
    app.add_handler(CommandHandler("drank", cmd_drank))
    app.add_handler(CommandHandler("today", cmd_today))
    app.add_handler(CommandHandler("flare", cmd_flare))
    app.add_handler(CommandHandler("better", cmd_better))
    app.add_handler(CommandHandler(("ice", "heat"), cmd_session))
    app.add_handler(CommandHandler("pain", cmd_pain))
    app.add_handler(CommandHandler("help", cmd_help))
    app.add_handler(CommandHandler("forget", cmd_forget))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    app.add_error_handler(on_error)
