"""When each nudge is next due: pure rules over a user's rhythm, their last events and now.

Every `next_*` rule takes `now` and returns an aware UTC datetime strictly after it (a
posture break may be None); nothing here reads a clock, a database or Telegram.

The user's day is a sequence of *waking periods*: the waking window laid on each local date
(a window that crosses midnight ends on the next date). Its start and end are converted with
`local_to_utc`, so a boundary in a spring-forward gap moves to the end of the gap and one in a
repeated (fall-back) hour takes its first occurrence. Quiet hours are everything outside the
waking periods; this is what "inside quiet hours" means throughout, so someone who woke at
01:30 before the clocks went back stays awake through the repeated half hour, and someone who
went to sleep at the first 01:30 stays asleep.

Interval nudges (water, posture) step through elapsed time in UTC; the daily stretch is a
local wall-clock time. The per-user `offset_seconds` spreads slot-based times (wake time, the
water grid, the start of a work session, the stretch time) so users sharing a wall-clock time
do not arrive as one wave; it is capped at half of what is left of the waking period or work
session, so it never pushes a time into quiet hours. Times anchored on something the user did
(a glass logged, a break taken) are not shifted, and neither is a nudge moved to a pause's end.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Iterator
from dataclasses import KW_ONLY, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from jobs.rules.windows import TimeWindow, WorkDays

OFFSET_SPREAD_SECONDS: Final = 600
DEFAULT_POSTURE_MINUTES: Final = 60
POSTURE_MINUTES: Final = range(30, 121)
DEFAULT_STRETCH_TIME: Final = time(19, 0)

# How far ahead a posture break is looked for: two weeks covers every weekly work pattern.
_POSTURE_LOOKAHEAD_DAYS: Final = 15

_ONE_DAY: Final = timedelta(days=1)
_ONE_SECOND: Final = timedelta(seconds=1)

Span = tuple[datetime, datetime]
"""A half-open stretch of time `[start, end)` in UTC."""


@dataclass(frozen=True, slots=True)
class Rhythm:
    """The parts of a user's day that decide when they may be nudged."""

    zone: ZoneInfo
    waking: TimeWindow
    work: TimeWindow
    work_days: WorkDays
    _: KW_ONLY
    paused_until: datetime | None = None
    offset_seconds: int = 0

    def __post_init__(self) -> None:
        if self.paused_until is not None and self.paused_until.utcoffset() is None:
            raise ValueError("paused_until must be an aware datetime")
        if self.offset_seconds < 0:
            raise ValueError("offset_seconds must not be negative")


@dataclass(frozen=True, slots=True)
class WaterPrefs:
    """A daily drinking goal and the size of one glass."""

    goal_ml: int = 2000
    glass_ml: int = 250

    def __post_init__(self) -> None:
        if self.goal_ml <= 0 or self.glass_ml <= 0:
            raise ValueError("the water goal and glass size must be positive")

    @property
    def glasses_per_day(self) -> int:
        """Return how many glasses reach the goal, rounding up."""
        return math.ceil(self.goal_ml / self.glass_ml)


def stable_offset(user_id: int, spread_seconds: int = OFFSET_SPREAD_SECONDS) -> int:
    """Return a per-user offset in `[0, spread_seconds)` that is the same in every process."""
    if spread_seconds <= 0:
        raise ValueError("spread_seconds must be positive")
    digest = hashlib.blake2b(str(user_id).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % spread_seconds


# A pure function of values that recur (people share zones, days and wake times), asked
# about twenty times per nudge sent; the bound keeps memory flat.
@functools.lru_cache(maxsize=1 << 15)
def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """Return the UTC instant of a local wall-clock time on a day in a zone."""
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    instant = wall.replace(tzinfo=zone).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall:
        # Exists; fold=0 is the first occurrence when the hour repeats.
        return instant
    # In a gap, fold=0 and fold=1 read the wall time with the offsets from before and after
    # the transition, landing on either side of it; the transition is the first valid instant.
    other = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    return _transition_between(min(instant, other), max(instant, other), zone)


def in_quiet_hours(rhythm: Rhythm, instant: datetime) -> bool:
    """Tell whether an instant falls outside the user's waking periods."""
    instant = _utc(instant)
    start, _end = next(_waking_spans_from(rhythm, instant))
    return instant < start


def waking_period_start(rhythm: Rhythm, now: datetime) -> datetime:
    """Return when the user's current waking "day" began (the latest wake time not after now)."""
    now = _utc(now)
    day = now.astimezone(rhythm.zone).date() + _ONE_DAY
    while (start := local_to_utc(day, rhythm.waking.start, rhythm.zone)) > now:
        day -= _ONE_DAY
    return start


def next_valid_slot(rhythm: Rhythm, candidate_utc: datetime) -> datetime:
    """Move a due time out of a pause (to its end) and out of quiet hours (to the wake time)."""
    candidate = _utc(candidate_utc)
    if rhythm.paused_until is not None and candidate < rhythm.paused_until:
        candidate = _utc(rhythm.paused_until)
    start, end = next(_waking_spans_from(rhythm, candidate))
    if candidate < start:
        return _spread(rhythm, start, end)
    return candidate


def next_water_nudge(
    rhythm: Rhythm,
    water_prefs: WaterPrefs,
    glasses_today: int,
    last_drink_at: datetime | None,
    now: datetime,
) -> datetime:
    """Return when to next remind the user to drink.

    The day's glasses are spread evenly over the waking period (wake time plus offset, then
    one interval apart); a logged glass restarts that rhythm one interval after the drink.
    Once `glasses_today` (counted since `waking_period_start`) meets the goal, the next nudge
    is the first slot of the next waking period; during quiet hours the count is ignored.
    """
    now = _utc(now)
    drink = None if last_drink_at is None else _utc(last_drink_at)
    glasses = water_prefs.glasses_per_day
    spans = _waking_spans_from(rhythm, now)
    start, end = next(spans)
    if start <= now and glasses_today >= glasses:
        start, end = next(spans)
    while True:
        # Whole seconds keep the slots tidy; flooring keeps the last one inside the period.
        interval = max(timedelta(seconds=(end - start) // glasses // _ONE_SECOND), _ONE_SECOND)
        first = _spread(rhythm, start, end)
        if drink is not None and drink + interval > first:
            due = _first_step_after(drink, interval, now, minimum_steps=1)
        else:
            due = _first_step_after(first, interval, now, minimum_steps=0)
        if due < end:
            return next_valid_slot(rhythm, due)
        start, end = next(spans)


def next_posture_break(
    rhythm: Rhythm,
    interval_minutes: int,
    last_break_at: datetime | None,
    now: datetime,
) -> datetime | None:
    """Return when to next remind the user to get up, or None if no work session allows one.

    Breaks fall only in work sessions: the work window on a work day (a night shift belongs
    to the day it starts), within waking hours and outside a pause. The first break of a
    session (which a pause's end also starts) comes one interval plus the offset after it
    starts, later ones one interval after the last break or, if none was taken, after the
    previous one due; a session shorter than that gets none. None means no session in the
    next two weeks is long enough, e.g. when work hours never overlap waking hours.
    """
    if interval_minutes not in POSTURE_MINUTES:
        raise ValueError(
            f"posture interval must be {POSTURE_MINUTES.start}-{POSTURE_MINUTES.stop - 1} minutes"
        )
    now = _utc(now)
    last_break = None if last_break_at is None else _utc(last_break_at)
    interval = timedelta(minutes=interval_minutes)
    for start, end in _work_sessions_from(rhythm, now):
        if last_break is not None and last_break >= start:
            due = _first_step_after(last_break, interval, now, minimum_steps=1)
        else:
            due = _first_step_after(_spread(rhythm, start, end), interval, now, minimum_steps=1)
        if due < end:
            return due
    return None


def next_stretch(rhythm: Rhythm, stretch_time: time, done_today: bool, now: datetime) -> datetime:
    """Return when to next prompt the daily stretch.

    The prompt is at the local `stretch_time` each day (moved to the wake time if that is in
    quiet hours), at most once per waking period. `done_today` means done since
    `waking_period_start`: it skips the current waking period's prompt (in quiet hours that
    period is over, so it skips nothing). A prompt inside a pause
    moves to the pause end if that is in the same waking period, and is dropped otherwise.
    """
    now = _utc(now)
    paused_until = None if rhythm.paused_until is None else _utc(rhythm.paused_until)
    not_before = now
    if done_today:
        start, end = next(_waking_spans_from(rhythm, now))
        if start <= now:
            not_before = end
    if paused_until is not None:
        not_before = max(not_before, paused_until)
    first_day = not_before.astimezone(rhythm.zone).date() - _ONE_DAY
    return next(
        due
        for due in _stretch_prompts(rhythm, stretch_time, first_day, paused_until)
        if due > now and due >= not_before
    )


def next_weekly(rhythm: Rhythm, weekday: int, at: time, now: datetime) -> datetime:
    """Return the next local `weekday` (0 = Monday) at `at` after now, once a week.

    A time inside quiet hours or a pause moves to the next valid slot (the wake time, the
    pause's end); the week's slot is never repeated or piled up.
    """
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
    now = _utc(now)
    day = now.astimezone(rhythm.zone).date() - _ONE_DAY
    while True:
        if day.weekday() == weekday:
            due = next_valid_slot(rhythm, local_to_utc(day, at, rhythm.zone))
            if due > now:
                return due
        day += _ONE_DAY


def waking_periods(rhythm: Rhythm, instant: datetime) -> Iterator[Span]:
    """Yield the user's waking periods in order, from the one holding `instant` or the next."""
    return _waking_spans_from(rhythm, _utc(instant))


def work_sessions(rhythm: Rhythm, instant: datetime) -> Iterator[Span]:
    """Yield the user's work sessions in order, from the one holding `instant` or the next."""
    return _work_sessions_from(rhythm, _utc(instant))


def in_work_session(rhythm: Rhythm, instant: datetime) -> bool:
    """Tell whether an instant falls in a work session (work hours, awake, not paused)."""
    instant = _utc(instant)
    start, _end = next(_work_sessions_from(rhythm, instant), (instant, instant))
    return start <= instant


def _utc(moment: datetime) -> datetime:
    if moment.utcoffset() is None:
        raise ValueError("times must be aware datetimes")
    return moment.astimezone(UTC)


def _transition_between(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    offset_before = before.astimezone(zone).utcoffset()
    low, high = math.floor(before.timestamp()), math.ceil(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(zone).utcoffset() == offset_before:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


def _span_on(day: date, window: TimeWindow, zone: ZoneInfo) -> Span:
    end_day = day + _ONE_DAY if window.crosses_midnight else day
    return local_to_utc(day, window.start, zone), local_to_utc(end_day, window.end, zone)


def _waking_spans(rhythm: Rhythm, first_day: date) -> Iterator[Span]:
    day = first_day
    while True:
        start, end = _span_on(day, rhythm.waking, rhythm.zone)
        # A window lying wholly inside a spring-forward gap is empty that day.
        if start < end:
            yield start, end
        day += _ONE_DAY


def _waking_spans_from(rhythm: Rhythm, instant: datetime) -> Iterator[Span]:
    """Yield waking periods in order, from the one holding `instant` or else the next."""
    # Two days back catches a period from the day before that is still running.
    first_day = instant.astimezone(rhythm.zone).date() - 2 * _ONE_DAY
    return (span for span in _waking_spans(rhythm, first_day) if span[1] > instant)


def _work_sessions_from(rhythm: Rhythm, now: datetime) -> Iterator[Span]:
    """Yield the work sessions ending after now, in order: work ∩ waking hours, minus a pause."""
    paused_until = None if rhythm.paused_until is None else _utc(rhythm.paused_until)
    not_before = now if paused_until is None else max(now, paused_until)
    first_day = not_before.astimezone(rhythm.zone).date() - _ONE_DAY
    for day in (first_day + step * _ONE_DAY for step in range(_POSTURE_LOOKAHEAD_DAYS)):
        if day.weekday() not in rhythm.work_days:
            continue
        work_start, work_end = _span_on(day, rhythm.work, rhythm.zone)
        for waking_day in (day - _ONE_DAY, day, day + _ONE_DAY):
            waking_start, waking_end = _span_on(waking_day, rhythm.waking, rhythm.zone)
            start = max(work_start, waking_start)
            if paused_until is not None:
                # The end of a pause starts a session afresh, like the start of work.
                start = max(start, paused_until)
            end = min(work_end, waking_end)
            if start < end and end > now:
                yield start, end


def _stretch_prompts(
    rhythm: Rhythm, stretch_time: time, first_day: date, paused_until: datetime | None
) -> Iterator[datetime]:
    day = first_day
    while True:
        slot = local_to_utc(day, stretch_time, rhythm.zone)
        next_slot = local_to_utc(day + _ONE_DAY, stretch_time, rhythm.zone)
        start, end = next(_waking_spans_from(rhythm, slot))
        due = _spread(rhythm, max(slot, start), end)
        if paused_until is not None and due < paused_until < end:
            due = paused_until
        # A slot moved to the wake time yields to the period's own slot, if it has one (a
        # waking window ending in a spring-forward gap can swallow that day's slot).
        moved_onto_a_slot = slot < start and next_slot < end
        if not moved_onto_a_slot and (paused_until is None or due >= paused_until):
            yield due
        day += _ONE_DAY


def _spread(rhythm: Rhythm, slot: datetime, end: datetime) -> datetime:
    """Shift a slot by the user's offset, by at most half of what remains before `end`."""
    return slot + min(timedelta(seconds=rhythm.offset_seconds), (end - slot) / 2)


def _first_step_after(
    anchor: datetime, step: timedelta, now: datetime, *, minimum_steps: int
) -> datetime:
    """Return the first `anchor + k * step` strictly after now, with k at least minimum_steps."""
    steps = max(minimum_steps, (now - anchor) // step + 1)
    return anchor + steps * step
