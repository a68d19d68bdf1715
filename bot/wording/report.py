"""The report for a physiotherapist or doctor in words: what `jobs.documents.report` lays
out as a PDF. Its core fonts hold Latin-1 only, so these words avoid emoji (the layout
turns typographic dashes and arrows into plain ones)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.wording.nudges import why_a_doctor
from jobs.documents.report import Block, Page, PainChart, Style
from jobs.rules.person import Person
from jobs.rules.progress import Progress
from jobs.rules.report import CareSessionLine, Episode, Report
from storage.kinds import Treatment

SELF_REPORTED = (
    "Everything in this report was self-reported by the person through BackCare, a self-care"
    " companion app. BackCare is not a doctor: it gives no diagnosis, and this report is no"
    " medical record."
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    return "-" if moment is None else f"{moment.astimezone(zone):%a %d %b %Y %H:%M}"


def _day(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%a %d %b %Y}"


# What the report's chart shows, said under it: a chart is read without the app beside it.
CHART_CAPTION = (
    "Chart: each pain check-in of the episode (0 = no pain, 10 = the worst imaginable) by"
    " date; below it, on a row of its own, when each ice and heat session started."
)


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def habits_heading(habits: Progress) -> str:
    """Name the days the habits cover: since joining, or the last 30."""
    days = habits.days
    if habits.since_joined:
        return f"Habits since starting BackCare on {days[0].day:%a %d %b %Y} ({_days(len(days))})"
    return f"Habits, last {len(days)} days ({days[0].day:%d %b} - {days[-1].day:%d %b %Y})"


def habit_lines(habits: Progress) -> list[str]:
    """Say the habits in sentences, each count with the days it is out of."""
    days = len(habits.days)
    average = habits.water_average
    over = len(habits.finished_days)
    water = (
        f"Water: the goal of {habits.water_goal_ml} ml a day was met on {habits.goal_days} of"
        f" {_days(days)}"
    )
    if average is None:
        water += f"; {habits.days[-1].water_ml} ml logged so far today (the first day)."
    else:
        water += (
            f"; {average} ml a day on average over the {_days(over)} before today"
            f" ({habits.days[-1].water_ml} ml so far today)."
        )
    ice = sum(d.ice for d in habits.days)
    heat = sum(d.heat for d in habits.days)
    return [
        water,
        f"Posture breaks: {habits.breaks_taken} taken of {habits.breaks_offered} offered"
        " by BackCare.",
        f"Stretches: done on {habits.stretch_days} of {_days(days)}.",
        f"Ice: {_times(ice)}; heat: {_times(heat)} (sessions counted on the day they started).",
    ]


def _times(count: int) -> str:
    return "no sessions" if count == 0 else ("1 session" if count == 1 else f"{count} sessions")


def sessions_sentence(episode: Episode) -> str:
    """Sum up the episode's ice and heat sessions in one sentence."""
    counts = [
        (sum(1 for s in episode.sessions if s.treatment is treatment), name)
        for treatment, name in (
            (Treatment.ICE, "with ice"),
            (Treatment.HEAT, "with heat"),
            (Treatment.ALTERNATE, "alternating ice and heat (ice first, then heat)"),
        )
    ]
    said = [f"{count} {name}" for count, name in counts if count]
    if not said:
        return "No ice or heat sessions were logged in this episode."
    total = len(episode.sessions)
    listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    return f"{total} ice or heat {'session' if total == 1 else 'sessions'} logged: {listed}."


_TREATMENT_NAMES = {
    Treatment.ICE: "Ice",
    Treatment.HEAT: "Heat",
    Treatment.ALTERNATE: "Ice then heat",
}


def session_sentence(line: CareSessionLine, zone: ZoneInfo) -> str:
    """Say one session: when it went on and when it came off, or that nobody said so."""
    what = _TREATMENT_NAMES[line.treatment]
    started = line.started_at.astimezone(zone)
    if line.taken_off_at is None:
        return (
            f"{what} put on {started:%a %d %b %H:%M}; when it came off was not recorded"
            " (the person did not confirm it)."
        )
    off = line.taken_off_at.astimezone(zone)
    minutes = round((line.taken_off_at - line.started_at).total_seconds() / 60)
    ended = f"{off:%H:%M}" if off.date() == started.date() else f"{off:%a %d %b %H:%M}"
    return f"{what} on {started:%a %d %b %H:%M}, off at {ended} ({minutes} min)."


def _warning_answer(episode: Episode, zone: ZoneInfo) -> str:
    if episode.warning_signs is None:
        return "not answered"
    if not episode.warning_signs:
        return "no (none of the warning signs)"
    seen = "; not yet said they were seen" if episode.seen_at is None else ""
    if episode.seen_at is not None:
        seen = f"; said they were seen by a doctor {_when(episode.seen_at, zone)}"
    return f"yes: told to get medical help at once{seen}"


def report_page(report: Report) -> Page:
    """Put the report into words: the care episode with its chart, the habits, the settings,
    each said plainly and marked as self-reported."""
    person, episode = report.person, report.episode
    zone = person.tz
    ongoing = " (ongoing)" if episode and episode.ongoing else ""
    blocks = [
        Block(Style.TEXT, f"Made {_when(report.made_at, zone)} ({person.zone or 'UTC'})."),
        Block(Style.NOTE, SELF_REPORTED),
        Block(Style.HEADING, f"Care episode{ongoing}"),
        *(_episode_blocks(episode, zone) if episode else [Block(Style.TEXT, NO_EPISODE)]),
        Block(Style.HEADING, habits_heading(report.habits)),
        *(Block(Style.TEXT, text) for text in habit_lines(report.habits)),
        Block(Style.HEADING, "BackCare's settings for this person"),
        *(Block(Style.TEXT, text) for text in _settings_lines(report.person)),
        Block(Style.FOOTER, FOOTER),
    ]
    return Page(
        "BackCare report",
        "BackCare report for a physiotherapist or doctor",
        tuple(blocks),
        pain_chart(episode, zone),
    )


FOOTER = (
    "BackCare gives no advice beyond its guidance documents; nothing here is a diagnosis"
    " or a treatment plan. " + SELF_REPORTED.split(". ", 1)[0] + "."
)


def _settings_lines(person: Person) -> list[str]:
    """Say the person's settings, one line each."""

    def on(setting: bool) -> str:
        return "on" if setting else "off"

    return [
        f"Time zone {person.zone or 'UTC'}; awake {person.waking} (no messages outside).",
        f"Water nudges {on(person.water)}: {person.water_goal_ml} ml a day in"
        f" {person.water_glass_ml} ml glasses.",
        f"Posture breaks {on(person.posture)}: every {person.posture_every_minutes} min,"
        f" {str(person.work_days).title()} {person.work}.",
        f"Daily stretch {on(person.stretch)} at {person.stretch_time:%H:%M}.",
        f"Weekly summary {on(person.weekly_summary)}:"
        f" {_WEEKDAYS[person.summary_day]} {person.summary_time:%H:%M}.",
    ]


NO_EPISODE = "No care episode recorded (care mode, /flare, was never started)."


def _episode_blocks(episode: Episode, zone: ZoneInfo) -> list[Block]:
    """The care episode: its dates, pain, chart, sessions, the warning-sign answer and any
    doctor's advice, and the mornings without a check-in."""
    ended = "ongoing" if episode.ended_at is None else _day(episode.ended_at, zone)
    scores = ", ".join(f"{at.astimezone(zone):%d %b} {score}" for at, score in episode.pain)
    blocks = [
        Block(Style.TEXT, f"Started {_day(episode.started_at, zone)}; ended: {ended}."),
        Block(Style.TEXT, f"Pain check-ins (0 = none, 10 = worst): {scores or 'none given'}."),
    ]
    if episode.pain:
        blocks += [Block(Style.CHART, ""), Block(Style.CAPTION, CHART_CAPTION)]
    blocks.append(Block(Style.TEXT, sessions_sentence(episode)))
    blocks += [
        Block(Style.TEXT, f"  {session_sentence(one, zone)}") for one in episode.sessions[:12]
    ]
    if len(episode.sessions) > 12:
        more = len(episode.sessions) - 12
        blocks.append(Block(Style.TEXT, f"  ... and {more} more (all in /export)."))
    blocks.append(Block(Style.TEXT, f"Warning-sign question: {_warning_answer(episode, zone)}."))
    if episode.doctor_advised_at is not None:
        reason = (
            why_a_doctor(episode.doctor_reason) if episode.doctor_reason else "see the guidance"
        )
        advised = _when(episode.doctor_advised_at, zone)
        blocks.append(Block(Style.TEXT, f"BackCare advised seeing a doctor {advised}: {reason}."))
    missed = episode.missed_checkins
    if missed:
        listed = ", ".join(f"{day:%a %d %b}" for day in missed)
        said = f"Days without a morning pain check-in: {len(missed)} ({listed})."
    else:
        said = "A morning pain check-in was given on every day of the episode after the first."
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
        pain_title="Pain check-ins",
        pain_axis="pain 0-10",
        care_title="Ice and heat sessions (when each started)",
        ice="ice",
        heat="heat",
        dates=f"date ({zone.key})",
    )
