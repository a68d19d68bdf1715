"""The report for a physiotherapist or doctor in words: what `jobs.documents.report` lays
out as a PDF. Its core fonts hold Latin-1 only, so these words avoid emoji (the layout
turns typographic dashes and arrows into plain ones)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import _, ngettext
from bot.wording.common import SHORT_MONTHS, SHORT_WEEKDAYS, WEEKDAYS, dated
from bot.wording.nudges import why_a_doctor
from jobs.documents.report import Block, Page, PainChart, Style
from jobs.rules.person import Person
from jobs.rules.progress import Progress
from jobs.rules.report import CareSessionLine, Episode, Report
from storage.kinds import Treatment

SELF_REPORTED = _(
    "Everything in this report was self-reported by the person through BackCare, a "
    "self-care companion app. BackCare is not a doctor: it gives no diagnosis, and this "
    "report is no medical record."
)
# Said last, in small print.
FOOTER = _(
    "BackCare gives no advice beyond its guidance documents; nothing here is a diagnosis "
    "or a treatment plan. Everything in this report was self-reported by the person "
    "through BackCare, a self-care companion app."
)
# What the report's chart shows, said under it: a chart is read without the app beside it.
CHART_CAPTION = _(
    "Chart: each pain check-in of the episode (0 = no pain, 10 = the worst imaginable) by"
    " date; below it, on a row of its own, when each ice and heat session started."
)
NO_EPISODE = _("No care episode recorded (care mode, /flare, was never started).")
# The most sessions listed one by one (the rest are in /export).
LISTED_SESSIONS = 12


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    return "-" if moment is None else dated(moment.astimezone(zone), "%a %d %b %Y %H:%M")


def _day(moment: datetime, zone: ZoneInfo) -> str:
    return dated(moment.astimezone(zone), "%a %d %b %Y")


def _days(count: int) -> str:
    return ngettext("{count} day", "{count} days", count).format(count=count)


def habits_heading(habits: Progress) -> str:
    """Name the days the habits cover: since joining, or the last 30."""
    days = habits.days
    first, last = days[0].day, days[-1].day
    if habits.since_joined:
        return _("Habits since starting BackCare on {first} ({days})").format(
            first=dated(first, "%a %d %b %Y"), days=_days(len(days))
        )
    return _("Habits, last {count} days ({first} - {last})").format(
        count=len(days), first=dated(first, "%d %b"), last=dated(last, "%d %b %Y")
    )


def habit_lines(habits: Progress) -> list[str]:
    """Say the habits in sentences, each count with the days it is out of."""
    days = len(habits.days)
    average = habits.water_average
    today = habits.days[-1].water_ml
    water = _("Water: the goal of {goal} ml a day was met on {met} of {days}").format(
        goal=habits.water_goal_ml, met=habits.goal_days, days=_days(days)
    )
    if average is None:
        water += _("; {today} ml logged so far today (the first day).").format(today=today)
    else:
        water += _(
            "; {average} ml a day on average over the {days} before today ({today} ml so far"
            " today)."
        ).format(average=average, days=_days(len(habits.finished_days)), today=today)
    ice = sum(d.ice for d in habits.days)
    heat = sum(d.heat for d in habits.days)
    return [
        water,
        _("Posture breaks: {taken} taken of {offered} offered by BackCare.").format(
            taken=habits.breaks_taken, offered=habits.breaks_offered
        ),
        _("Stretches: done on {stretched} of {days}.").format(
            stretched=habits.stretch_days, days=_days(days)
        ),
        _("Ice: {ice}; heat: {heat} (sessions counted on the day they started).").format(
            ice=_times(ice), heat=_times(heat)
        ),
    ]


def _times(count: int) -> str:
    if count == 0:
        return _("no sessions")
    return ngettext("{count} session", "{count} sessions", count).format(count=count)


def sessions_sentence(episode: Episode) -> str:
    """Sum up the episode's ice and heat sessions in one sentence."""
    kinds = (
        (Treatment.ICE, _("{count} with ice")),
        (Treatment.HEAT, _("{count} with heat")),
        (Treatment.ALTERNATE, _("{count} alternating ice and heat (ice first, then heat)")),
    )
    said = []
    for treatment, words in kinds:
        count = sum(1 for s in episode.sessions if s.treatment is treatment)
        if count:
            said.append(words.format(count=count))
    if not said:
        return _("No ice or heat sessions were logged in this episode.")
    total = len(episode.sessions)
    listed = (
        said[0]
        if len(said) == 1
        else _("{some} and {last}").format(some=", ".join(said[:-1]), last=said[-1])
    )
    return ngettext(
        "{count} ice or heat session logged: {listed}.",
        "{count} ice or heat sessions logged: {listed}.",
        total,
    ).format(count=total, listed=listed)


def _treatment(treatment: Treatment) -> str:
    match treatment:
        case Treatment.ICE:
            return _("Ice")
        case Treatment.HEAT:
            return _("Heat")
        case Treatment.ALTERNATE:
            return _("Ice then heat")


def session_sentence(line: CareSessionLine, zone: ZoneInfo) -> str:
    """Say one session: when it went on and when it came off, or that nobody said so."""
    what = _treatment(line.treatment)
    started = line.started_at.astimezone(zone)
    on = dated(started, "%a %d %b %H:%M")
    if line.taken_off_at is None:
        return _(
            "{what} put on {on}; when it came off was not recorded (the person did not"
            " confirm it)."
        ).format(what=what, on=on)
    off = line.taken_off_at.astimezone(zone)
    minutes = round((line.taken_off_at - line.started_at).total_seconds() / 60)
    ended = f"{off:%H:%M}" if off.date() == started.date() else dated(off, "%a %d %b %H:%M")
    return _("{what} on {on}, off at {off} ({minutes} min).").format(
        what=what, on=on, off=ended, minutes=minutes
    )


def _warning_answer(episode: Episode, zone: ZoneInfo) -> str:
    if episode.warning_signs is None:
        return _("not answered")
    if not episode.warning_signs:
        return _("no (none of the warning signs)")
    if episode.seen_at is None:
        return _("yes: told to get medical help at once; not yet said they were seen")
    return _(
        "yes: told to get medical help at once; said they were seen by a doctor {when}"
    ).format(when=_when(episode.seen_at, zone))


def report_page(report: Report) -> Page:
    """Put the report into words: the care episode with its chart, the habits, the settings,
    each said plainly and marked as self-reported."""
    person, episode = report.person, report.episode
    zone = person.tz
    made = _("Made {when} ({zone}).").format(
        when=_when(report.made_at, zone), zone=person.zone or "UTC"
    )
    heading = _("Care episode (ongoing)") if episode and episode.ongoing else _("Care episode")
    blocks = [
        Block(Style.TEXT, made),
        Block(Style.NOTE, SELF_REPORTED),
        Block(Style.HEADING, heading),
        *(_episode_blocks(episode, zone) if episode else [Block(Style.TEXT, NO_EPISODE)]),
        Block(Style.HEADING, habits_heading(report.habits)),
        *(Block(Style.TEXT, text) for text in habit_lines(report.habits)),
        Block(Style.HEADING, _("BackCare's settings for this person")),
        *(Block(Style.TEXT, text) for text in _settings_lines(report.person)),
        Block(Style.FOOTER, FOOTER),
    ]
    return Page(
        _("BackCare report"),
        _("BackCare report for a physiotherapist or doctor"),
        tuple(blocks),
        pain_chart(episode, zone),
    )


def _settings_lines(person: Person) -> list[str]:
    """Say the person's settings, one line each."""
    water = (
        _("Water nudges on: {goal} ml a day in {glass} ml glasses.")
        if person.water
        else _("Water nudges off: {goal} ml a day in {glass} ml glasses.")
    )
    posture = (
        _("Posture breaks on: every {minutes} min, {days} {hours}.")
        if person.posture
        else _("Posture breaks off: every {minutes} min, {days} {hours}.")
    )
    stretch = (
        _("Daily stretch on at {time}.") if person.stretch else _("Daily stretch off at {time}.")
    )
    summary = (
        _("Weekly summary on: {day} {time}.")
        if person.weekly_summary
        else _("Weekly summary off: {day} {time}.")
    )
    return [
        _("Time zone {zone}; awake {hours} (no messages outside).").format(
            zone=person.zone or "UTC", hours=person.waking
        ),
        water.format(goal=person.water_goal_ml, glass=person.water_glass_ml),
        posture.format(
            minutes=person.posture_every_minutes,
            days=str(person.work_days).title(),
            hours=person.work,
        ),
        stretch.format(time=f"{person.stretch_time:%H:%M}"),
        summary.format(day=_(WEEKDAYS[person.summary_day]), time=f"{person.summary_time:%H:%M}"),
    ]


def _short_day(day: date) -> str:
    return dated(day, "%a %d %b")


def _episode_blocks(episode: Episode, zone: ZoneInfo) -> list[Block]:
    """The care episode: its dates, pain, chart, sessions, the warning-sign answer and any
    doctor's advice, and the mornings without a check-in."""
    ended = _("ongoing") if episode.ended_at is None else _day(episode.ended_at, zone)
    scores = ", ".join(
        f"{dated(at.astimezone(zone), '%d %b')} {score}" for at, score in episode.pain
    )
    blocks = [
        Block(
            Style.TEXT,
            _("Started {started}; ended: {ended}.").format(
                started=_day(episode.started_at, zone), ended=ended
            ),
        ),
        Block(
            Style.TEXT,
            _("Pain check-ins (0 = none, 10 = worst): {scores}.").format(
                scores=scores or _("none given")
            ),
        ),
    ]
    if episode.pain:
        blocks += [Block(Style.CHART, ""), Block(Style.CAPTION, CHART_CAPTION)]
    blocks.append(Block(Style.TEXT, sessions_sentence(episode)))
    for one in episode.sessions[:LISTED_SESSIONS]:
        blocks.append(Block(Style.TEXT, f"  {session_sentence(one, zone)}"))
    if len(episode.sessions) > LISTED_SESSIONS:
        more = len(episode.sessions) - LISTED_SESSIONS
        blocks.append(
            Block(Style.TEXT, "  " + _("... and {more} more (all in /export).").format(more=more))
        )
    warning = _("Warning-sign question: {answer}.").format(answer=_warning_answer(episode, zone))
    blocks.append(Block(Style.TEXT, warning))
    if episode.doctor_advised_at is not None:
        reason = _("see the guidance")
        if episode.doctor_reason:
            reason = why_a_doctor(episode.doctor_reason)
        advised = _("BackCare advised seeing a doctor {when}: {reason}.").format(
            when=_when(episode.doctor_advised_at, zone), reason=reason
        )
        blocks.append(Block(Style.TEXT, advised))
    missed = episode.missed_checkins
    if missed:
        said = _("Days without a morning pain check-in: {count} ({days}).").format(
            count=len(missed), days=", ".join(_short_day(day) for day in missed)
        )
    else:
        said = _("A morning pain check-in was given on every day of the episode after the first.")
    blocks.append(Block(Style.TEXT, said))
    return blocks


def pain_chart(episode: Episode | None, zone: ZoneInfo) -> PainChart | None:
    """The episode's chart with its words, if it has pain check-ins to draw."""
    if episode is None or not episode.pain:
        return None
    return PainChart(
        episode.pain,
        tuple((line.started_at, line.treatment) for line in episode.sessions),
        zone.key,
        pain_title=_("Pain check-ins"),
        pain_axis=_("pain 0-10"),
        care_title=_("Ice and heat sessions (when each started)"),
        ice=_("ice"),
        heat=_("heat"),
        dates=_("date ({zone})").format(zone=zone.key),
        weekdays=tuple(_(name) for name in SHORT_WEEKDAYS),
        months=tuple(_(name) for name in SHORT_MONTHS),
    )
