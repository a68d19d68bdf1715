"""Properties of the reminder timing rules over random zones, windows, pauses and moments."""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from jobs.rules.rules import (
    POSTURE_MINUTES,
    Rhythm,
    WaterPrefs,
    local_to_utc,
    next_posture_break,
    next_stretch,
    next_valid_slot,
    next_water_nudge,
    stable_offset,
    waking_period_start,
)
from jobs.rules.windows import TimeWindow, WorkDays

ZONE_NAMES = (
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/St_Johns",
    "Pacific/Chatham",
    "Asia/Kathmandu",
)
EARLIEST = datetime(2025, 1, 1, tzinfo=UTC)
LATEST = datetime(2026, 12, 31, 23, 59, tzinfo=UTC)
MINUTES_PER_DAY = 24 * 60

PROPERTY = settings(max_examples=200, deadline=None)


@dataclass(frozen=True)
class Scene:
    """A user's rhythm and the moment a rule is asked about it."""

    rhythm: Rhythm
    now: datetime


@functools.cache
def clock_changes(zone_name: str) -> tuple[datetime, ...]:
    """Return instants within six hours after each clock change of a zone in 2025-2026."""
    zone, step = ZoneInfo(zone_name), timedelta(hours=6)
    changes, moment = [], EARLIEST
    while moment < LATEST:
        if (moment + step).astimezone(zone).utcoffset() != moment.astimezone(zone).utcoffset():
            changes.append(moment + step)
        moment += step
    return tuple(changes)


def minute_of_day(minute: int) -> time:
    """Return the time of day a number of minutes after midnight."""
    return time(minute // 60, minute % 60)


windows = st.builds(
    lambda start, length: TimeWindow(
        minute_of_day(start), minute_of_day((start + length) % MINUTES_PER_DAY)
    ),
    st.integers(0, MINUTES_PER_DAY - 1),
    st.integers(1, MINUTES_PER_DAY - 1),
)


@st.composite
def moments_in(draw: st.DrawFn, zone_name: str) -> datetime:
    """Draw a moment in 2025-2026, often within a day and a half of a clock change."""
    changes = clock_changes(zone_name)
    near_a_change = draw(st.booleans())
    if changes and near_a_change:
        change = draw(st.sampled_from(changes))
        return change + timedelta(minutes=draw(st.integers(-36 * 60, 36 * 60)))
    return draw(st.datetimes(EARLIEST.replace(tzinfo=None), LATEST.replace(tzinfo=None))).replace(
        tzinfo=UTC
    )


@st.composite
def scenes(draw: st.DrawFn) -> Scene:
    """Draw a random rhythm (zone, windows, work days, pause, offset) and a moment."""
    zone_name = draw(st.sampled_from(ZONE_NAMES))
    now = draw(moments_in(zone_name))
    pause = draw(st.one_of(st.none(), st.integers(-3 * MINUTES_PER_DAY, 7 * MINUTES_PER_DAY)))
    rhythm = Rhythm(
        ZoneInfo(zone_name),
        draw(windows),
        draw(windows),
        WorkDays(draw(st.frozensets(st.integers(0, 6), min_size=1))),
        paused_until=None if pause is None else now + timedelta(minutes=pause),
        offset_seconds=draw(st.integers(0, 599)),
    )
    return Scene(rhythm, now)


def span_holds(start: datetime, end: datetime, instant: datetime) -> bool:
    """Tell whether `[start, end)` holds an instant."""
    return start <= instant < end


def in_window(rhythm: Rhythm, window: TimeWindow, instant: datetime, *, days: WorkDays) -> bool:
    """Tell whether an instant falls in a window laid on one of the given days."""
    local = instant.astimezone(rhythm.zone)
    held = False
    for back in range(3):
        day = local.date() - timedelta(days=back)
        end_day = day + timedelta(days=1) if window.crosses_midnight else day
        start = local_to_utc(day, window.start, rhythm.zone)
        end = local_to_utc(end_day, window.end, rhythm.zone)
        held = held or (day.weekday() in days and span_holds(start, end, instant))
    if local.fold == 0:
        # Away from a repeated hour, the wall clock alone must agree.
        starts_on = local.date()
        if window.crosses_midnight and local.time() < window.end:
            starts_on -= timedelta(days=1)
        assert held == (window.contains(local.time()) and starts_on.weekday() in days)
    return held


EVERY_DAY = WorkDays(frozenset(range(7)))


def assert_valid(rhythm: Rhythm, due: datetime, now: datetime) -> None:
    """Check a due time is later than now, in UTC, in waking hours and outside a pause."""
    assert due > now
    assert due.tzinfo is UTC
    assert in_window(rhythm, rhythm.waking, due, days=EVERY_DAY), "due in quiet hours"
    assert rhythm.paused_until is None or due >= rhythm.paused_until, "due inside a pause"


def assert_increasing(times: list[datetime]) -> None:
    """Check a sequence of due times never repeats or goes back."""
    assert all(earlier < later for earlier, later in itertools.pairwise(times))


@PROPERTY
@given(
    scene=scenes(),
    prefs=st.builds(WaterPrefs, st.integers(250, 4000), st.integers(100, 500)),
    glasses=st.integers(0, 12),
    drank_minutes_ago=st.one_of(st.none(), st.integers(0, 2 * MINUTES_PER_DAY)),
)
def test_water_nudge_is_after_now_and_never_in_quiet_hours_or_a_pause(
    scene: Scene, prefs: WaterPrefs, glasses: int, drank_minutes_ago: int | None
) -> None:
    last_drink = (
        None if drank_minutes_ago is None else scene.now - timedelta(minutes=drank_minutes_ago)
    )

    due = next_water_nudge(scene.rhythm, prefs, glasses, last_drink, scene.now)

    assert_valid(scene.rhythm, due, scene.now)


@PROPERTY
@given(scene=scenes(), drinks_every_time=st.booleans())
def test_water_nudges_iterated_from_their_own_result_never_repeat(
    scene: Scene, drinks_every_time: bool
) -> None:
    now, glasses, last_drink, nudges = scene.now, 0, None, []
    for _ in range(10):
        due = next_water_nudge(scene.rhythm, WaterPrefs(), glasses, last_drink, now)
        assert_valid(scene.rhythm, due, now)
        nudges.append(now := due)
        if drinks_every_time:
            glasses, last_drink = glasses + 1, due

    assert_increasing(nudges)


@PROPERTY
@given(
    scene=scenes(),
    interval=st.integers(POSTURE_MINUTES.start, POSTURE_MINUTES.stop - 1),
    broke_minutes_ago=st.one_of(st.none(), st.integers(0, 300)),
)
def test_posture_break_falls_only_in_work_hours_on_work_days(
    scene: Scene, interval: int, broke_minutes_ago: int | None
) -> None:
    last_break = (
        None if broke_minutes_ago is None else scene.now - timedelta(minutes=broke_minutes_ago)
    )

    due = next_posture_break(scene.rhythm, interval, last_break, scene.now)

    if due is not None:
        assert_valid(scene.rhythm, due, scene.now)
        assert in_window(scene.rhythm, scene.rhythm.work, due, days=scene.rhythm.work_days)


@PROPERTY
@given(
    scene=scenes(),
    interval=st.integers(POSTURE_MINUTES.start, POSTURE_MINUTES.stop - 1),
    takes_every_break=st.booleans(),
)
def test_posture_breaks_iterated_from_their_own_result_never_repeat(
    scene: Scene, interval: int, takes_every_break: bool
) -> None:
    now, last_break, breaks = scene.now, None, []
    for _ in range(10):
        due = next_posture_break(scene.rhythm, interval, last_break, now)
        if due is None:
            break
        assert_valid(scene.rhythm, due, now)
        assert in_window(scene.rhythm, scene.rhythm.work, due, days=scene.rhythm.work_days)
        breaks.append(now := due)
        if takes_every_break:
            last_break = due

    assert_increasing(breaks)


@PROPERTY
@given(
    scene=scenes(),
    stretch_minute=st.integers(0, MINUTES_PER_DAY - 1),
    done_every_time=st.booleans(),
)
def test_stretch_prompts_come_once_per_waking_period_and_never_repeat(
    scene: Scene, stretch_minute: int, done_every_time: bool
) -> None:
    at = minute_of_day(stretch_minute)

    now, prompts = scene.now, list[datetime]()
    for _ in range(6):
        due = next_stretch(scene.rhythm, at, done_every_time and bool(prompts), now)
        assert_valid(scene.rhythm, due, now)
        prompts.append(now := due)

    assert_increasing(prompts)
    periods = [waking_period_start(scene.rhythm, prompt) for prompt in prompts]
    assert len(set(periods)) == len(periods)


@PROPERTY
@given(scene=scenes(), ahead_minutes=st.integers(-MINUTES_PER_DAY, 3 * MINUTES_PER_DAY))
def test_valid_slot_is_never_earlier_in_quiet_hours_or_in_a_pause_and_stays_put(
    scene: Scene, ahead_minutes: int
) -> None:
    candidate = scene.now + timedelta(minutes=ahead_minutes)

    slot = next_valid_slot(scene.rhythm, candidate)

    assert_valid(scene.rhythm, slot, candidate - timedelta(microseconds=1))
    assert next_valid_slot(scene.rhythm, slot) == slot


@PROPERTY
@given(scene=scenes())
def test_waking_period_start_is_a_wake_time_not_after_now(scene: Scene) -> None:
    start = waking_period_start(scene.rhythm, scene.now)
    local = start.astimezone(scene.rhythm.zone)

    assert start <= scene.now < start + timedelta(days=1, hours=1)
    assert start == local_to_utc(local.date(), scene.rhythm.waking.start, scene.rhythm.zone)


@PROPERTY
@given(
    zone_name=st.sampled_from(ZONE_NAMES),
    day=st.dates(date(2025, 1, 1), date(2026, 12, 31)),
    near_change=st.booleans(),
    minute=st.integers(0, MINUTES_PER_DAY - 1),
)
def test_local_time_is_kept_or_moved_just_past_a_gap(
    zone_name: str, day: date, near_change: bool, minute: int
) -> None:
    zone, at = ZoneInfo(zone_name), minute_of_day(minute)
    changes = clock_changes(zone_name)
    if near_change and changes:
        day = changes[day.toordinal() % len(changes)].astimezone(zone).date()
    wall = datetime.combine(day, at)

    instant = local_to_utc(day, at, zone)
    seen = instant.astimezone(zone).replace(tzinfo=None)
    seen_a_second_before = (instant - timedelta(seconds=1)).astimezone(zone).replace(tzinfo=None)

    assert instant.tzinfo is UTC
    if seen == wall:
        # When the wall time happens twice, the first occurrence wins.
        assert instant <= datetime.combine(day, at, tzinfo=zone).replace(fold=1).astimezone(UTC)
    else:
        assert seen_a_second_before < wall < seen, "not moved to the end of the gap"


@PROPERTY
@given(user_id=st.integers(0, 2**63), spread=st.integers(1, 3600))
def test_stable_offset_stays_within_its_spread(user_id: int, spread: int) -> None:
    assert 0 <= stable_offset(user_id, spread) < spread
