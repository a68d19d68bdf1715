"""What a person has done: today, progress, the report, export."""

from __future__ import annotations

import functools

from bot import wording
from bot.flows.onboarding import _set_up_first
from bot.flows.reply import Document, Reply, Visit
from bot.wording.common import Screen
from bot.wording.nudges import NudgeTexts
from bot.wording.report import report_page
from jobs.delivery.outbox import Outbox
from jobs.documents.export import render_export
from jobs.documents.report import render_report
from jobs.rules.person import person_of
from jobs.services import care, facts, schedule, undo
from jobs.services import export as progress_export
from jobs.services import progress as progress_service
from storage.repositories import UserRepository


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
        plan = facts.plan_of(episode)
        status = wording.flare.flare_status(plan, scores, now=now, zone=user.timezone)
    return Reply(wording.today.today(report, person_of(user), now=now, flare=status))


async def undo_last(visit: Visit) -> Reply:
    """Take back the last thing logged in the last ten minutes, and say what it was."""
    undone = await undo.undo_last(visit.session, visit.user, now=visit.now)
    if undone is None:
        return Reply(Screen(wording.today.NOTHING_TO_UNDO))
    return Reply(Screen(wording.today.undone(undone)))


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
        f"backcare-report-{local:%Y-%m-%d}.pdf",
        functools.partial(render_report, report_page(made)),
    )
    return Reply(wording.progress.report(made), document=document)


async def export(visit: Visit, texts: NudgeTexts) -> Reply:
    """Hand back everything stored about someone: one CSV per kind of record, in a zip."""
    tables = wording.export.tables(await progress_export.records(visit.session, visit.user), texts)
    local = visit.now.astimezone(person_of(visit.user).tz)
    document = Document(
        f"backcare-export-{local:%Y-%m-%d}.zip",
        functools.partial(render_export, tables, wording.export.INTRO),
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
