"""Worked examples of the reminder timing rules, including the DST days users live through."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from jobs.rules.planning import GRACE, is_stale
from jobs.rules.rules import (
    DEFAULT_STRETCH_TIME,
    Rhythm,
    WaterPrefs,
    in_quiet_hours,
    local_to_utc,
    next_posture_break,
    next_stretch,
    next_valid_slot,
    next_water_nudge,
    stable_offset,
    waking_period_start,
)
from jobs.rules.windows import MONDAY_TO_FRIDAY, TimeWindow, WorkDays
from storage.kinds import NudgeKind

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
KOLKATA = ZoneInfo("Asia/Kolkata")

DAYTIME = TimeWindow(time(8), time(22))
OFFICE = TimeWindow(time(9), time(17))
NIGHT_WAKING = TimeWindow(time(22), time(6))
LATE_WAKING = TimeWindow(time(6), time(1))
EVERY_DAY = WorkDays(frozenset(range(7)))

# 2025-06-02 is a Monday.
MONDAY = date(2025, 6, 2)


def local(zone: ZoneInfo, day: date, hour: int, minute: int = 0, *, fold: int = 0) -> datetime:
    """Return the UTC instant of a local wall time; fold=1 picks the second of a repeat."""
    wall = datetime.combine(day, time(hour, minute, fold=fold), tzinfo=zone)
    return wall.astimezone(UTC)


def rhythm(
    zone: ZoneInfo = BERLIN,
    *,
    waking: TimeWindow = DAYTIME,
    work: TimeWindow = OFFICE,
    work_days: WorkDays = MONDAY_TO_FRIDAY,
    paused_until: datetime | None = None,
    offset_seconds: int = 0,
) -> Rhythm:
    """Build a rhythm with office-worker defaults."""
    return Rhythm(
        zone, waking, work, work_days, paused_until=paused_until, offset_seconds=offset_seconds
    )


def days(count: int) -> timedelta:
    """Return a number of days."""
    return timedelta(days=count)


# local_to_utc


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        (BERLIN, date(2025, 3, 30), time(2, 30), datetime(2025, 3, 30, 1, 0, tzinfo=UTC)),
        (NEW_YORK, date(2025, 3, 9), time(2, 30), datetime(2025, 3, 9, 7, 0, tzinfo=UTC)),
        (LORD_HOWE, date(2025, 10, 5), time(2, 15), datetime(2025, 10, 4, 15, 30, tzinfo=UTC)),
    ],
    ids=["berlin", "new-york", "lord-howe-half-hour"],
)
def test_local_time_in_spring_forward_gap_moves_to_end_of_gap(
    zone: ZoneInfo, day: date, at: time, expected: datetime
) -> None:
    assert local_to_utc(day, at, zone) == expected


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        (BERLIN, date(2025, 10, 26), time(2, 30), datetime(2025, 10, 26, 0, 30, tzinfo=UTC)),
        (NEW_YORK, date(2025, 11, 2), time(1, 30), datetime(2025, 11, 2, 5, 30, tzinfo=UTC)),
        (LORD_HOWE, date(2025, 4, 6), time(1, 45), datetime(2025, 4, 5, 14, 45, tzinfo=UTC)),
    ],
    ids=["berlin", "new-york", "lord-howe-half-hour"],
)
def test_repeated_local_time_takes_its_first_occurrence(
    zone: ZoneInfo, day: date, at: time, expected: datetime
) -> None:
    assert local_to_utc(day, at, zone) == expected


def test_local_time_in_kolkata_is_five_and_a_half_hours_ahead_all_year() -> None:
    assert local_to_utc(date(2025, 1, 15), time(7), KOLKATA) == datetime(
        2025, 1, 15, 1, 30, tzinfo=UTC
    )
    assert local_to_utc(date(2025, 7, 15), time(7), KOLKATA) == datetime(
        2025, 7, 15, 1, 30, tzinfo=UTC
    )


def test_local_time_is_returned_in_utc() -> None:
    assert local_to_utc(MONDAY, time(12), BERLIN).tzinfo is UTC


# stable_offset and the value objects


def test_stable_offset_is_the_same_in_every_process() -> None:
    # Fixed values: a salted hash() would change with each interpreter start.
    assert stable_offset(42) == 138
    assert stable_offset(1) == 110


def test_stable_offset_stays_within_its_spread() -> None:
    assert all(0 <= stable_offset(user, 60) < 60 for user in range(1000))


def test_stable_offset_rejects_an_empty_spread() -> None:
    with pytest.raises(ValueError, match="positive"):
        stable_offset(1, 0)


def test_rhythm_rejects_a_naive_pause_end() -> None:
    with pytest.raises(ValueError, match="aware"):
        rhythm(paused_until=datetime(2025, 6, 2, 12))  # noqa: DTZ001


def test_rhythm_rejects_a_negative_offset() -> None:
    with pytest.raises(ValueError, match="offset"):
        rhythm(offset_seconds=-1)


def test_water_glasses_per_day_round_up() -> None:
    assert WaterPrefs().glasses_per_day == 8
    assert WaterPrefs(goal_ml=2000, glass_ml=300).glasses_per_day == 7


def test_water_prefs_reject_an_empty_glass() -> None:
    with pytest.raises(ValueError, match="positive"):
        WaterPrefs(glass_ml=0)


# quiet hours and waking periods


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [(12, 0, True), (21, 59, True), (22, 0, False), (2, 0, False), (5, 59, False), (6, 0, True)],
)
def test_quiet_hours_of_a_night_worker_fall_in_the_day(
    hour: int, minute: int, quiet: bool
) -> None:
    assert (
        in_quiet_hours(rhythm(waking=NIGHT_WAKING), local(BERLIN, MONDAY, hour, minute)) is quiet
    )


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [(0, 30, False), (0, 59, False), (1, 0, True), (5, 59, True), (6, 0, False), (23, 0, False)],
)
def test_quiet_hours_start_after_midnight_for_a_late_sleeper(
    hour: int, minute: int, quiet: bool
) -> None:
    assert in_quiet_hours(rhythm(waking=LATE_WAKING), local(BERLIN, MONDAY, hour, minute)) is quiet


def test_waking_period_of_a_night_worker_starts_the_evening_before() -> None:
    night_worker = rhythm(waking=NIGHT_WAKING)

    start = waking_period_start(night_worker, local(BERLIN, MONDAY + days(1), 3))

    assert start == local(BERLIN, MONDAY, 22)


def test_waking_period_start_during_quiet_hours_is_the_last_wake_time() -> None:
    late_sleeper = rhythm(waking=LATE_WAKING)

    start = waking_period_start(late_sleeper, local(BERLIN, MONDAY, 3))

    assert start == local(BERLIN, MONDAY - days(1), 6)


def test_waking_period_that_began_before_clocks_go_back_lasts_through_repeated_hour() -> None:
    early_riser = rhythm(NEW_YORK, waking=TimeWindow(time(1, 30), time(23)))
    second_ten_past_one = local(NEW_YORK, date(2025, 11, 2), 1, 10, fold=1)

    assert not in_quiet_hours(early_riser, second_ten_past_one)


def test_quiet_hours_that_began_before_clocks_go_back_last_through_repeated_hour() -> None:
    late_sleeper = rhythm(NEW_YORK, waking=TimeWindow(time(6), time(1, 30)))
    second_ten_past_one = local(NEW_YORK, date(2025, 11, 2), 1, 10, fold=1)

    assert in_quiet_hours(late_sleeper, second_ten_past_one)


# next_valid_slot


def test_slot_in_waking_hours_stays_put() -> None:
    noon = local(BERLIN, MONDAY, 12)

    assert next_valid_slot(rhythm(offset_seconds=120), noon) == noon


def test_slot_at_night_moves_to_wake_time_plus_offset() -> None:
    slot = next_valid_slot(rhythm(offset_seconds=120), local(BERLIN, MONDAY, 23, 30))

    assert slot == local(BERLIN, MONDAY + days(1), 8, 2)


def test_slot_in_the_day_moves_to_a_night_workers_wake_time() -> None:
    slot = next_valid_slot(rhythm(waking=NIGHT_WAKING), local(BERLIN, MONDAY, 12))

    assert slot == local(BERLIN, MONDAY, 22)


def test_slot_in_a_pause_moves_to_pause_end() -> None:
    paused = rhythm(paused_until=local(BERLIN, MONDAY, 14), offset_seconds=120)

    assert next_valid_slot(paused, local(BERLIN, MONDAY, 12)) == local(BERLIN, MONDAY, 14)


def test_slot_in_a_pause_that_ends_at_night_moves_to_wake_time() -> None:
    paused = rhythm(paused_until=local(BERLIN, MONDAY, 23))

    assert next_valid_slot(paused, local(BERLIN, MONDAY, 12)) == local(BERLIN, MONDAY + days(1), 8)


def test_offset_never_pushes_wake_slot_into_quiet_hours() -> None:
    short_day = rhythm(waking=TimeWindow(time(8), time(8, 4)), offset_seconds=599)

    slot = next_valid_slot(short_day, local(BERLIN, MONDAY, 7))

    assert slot == local(BERLIN, MONDAY, 8, 2)
    assert not in_quiet_hours(short_day, slot)


# water


def test_water_nudges_spread_the_days_glasses_evenly_over_waking_hours() -> None:
    # 14 waking hours / 8 glasses = 105 minutes apart, from the wake time.
    office_worker = rhythm()
    expected = [local(BERLIN, MONDAY, 8) + step * timedelta(minutes=105) for step in range(8)]
    expected.append(local(BERLIN, MONDAY + days(1), 8))

    due, nudges = local(BERLIN, MONDAY, 6), []
    for _ in range(9):
        due = next_water_nudge(office_worker, WaterPrefs(), 0, None, due)
        nudges.append(due)

    assert nudges == expected


def test_water_nudges_are_shifted_by_the_users_offset() -> None:
    spread_out = rhythm(offset_seconds=300)

    first = next_water_nudge(spread_out, WaterPrefs(), 0, None, local(BERLIN, MONDAY, 6))
    second = next_water_nudge(spread_out, WaterPrefs(), 0, None, first)

    assert (first, second) == (local(BERLIN, MONDAY, 8, 5), local(BERLIN, MONDAY, 9, 50))


def test_logged_glass_pushes_the_next_water_nudge_back() -> None:
    drink = local(BERLIN, MONDAY, 10)

    due = next_water_nudge(rhythm(), WaterPrefs(), 2, drink, drink)

    assert due == local(BERLIN, MONDAY, 11, 45)


def test_water_nudges_after_a_glass_keep_its_rhythm() -> None:
    drink = local(BERLIN, MONDAY, 10)

    due = next_water_nudge(rhythm(), WaterPrefs(), 2, drink, local(BERLIN, MONDAY, 11, 45))

    assert due == local(BERLIN, MONDAY, 13, 30)


def test_water_nudge_moves_to_wake_time_when_due_at_night() -> None:
    late_drink = local(BERLIN, MONDAY, 21)

    due = next_water_nudge(rhythm(offset_seconds=120), WaterPrefs(), 5, late_drink, late_drink)

    assert due == local(BERLIN, MONDAY + days(1), 8, 2)


def test_no_more_water_nudges_once_the_goal_is_met_today() -> None:
    due = next_water_nudge(rhythm(), WaterPrefs(), 8, None, local(BERLIN, MONDAY, 15))

    assert due == local(BERLIN, MONDAY + days(1), 8)


def test_night_worker_who_met_the_goal_is_nudged_again_the_next_evening() -> None:
    night_worker = rhythm(waking=NIGHT_WAKING)
    tuesday_3am = local(BERLIN, MONDAY + days(1), 3)

    due = next_water_nudge(night_worker, WaterPrefs(), 8, None, tuesday_3am)

    assert due == local(BERLIN, MONDAY + days(1), 22)


def test_water_count_of_a_finished_waking_period_does_not_skip_the_next() -> None:
    night_worker = rhythm(waking=NIGHT_WAKING)

    due = next_water_nudge(night_worker, WaterPrefs(), 8, None, local(BERLIN, MONDAY, 12))

    assert due == local(BERLIN, MONDAY, 22)


def test_water_nudge_waits_for_the_end_of_a_pause() -> None:
    paused = rhythm(paused_until=local(BERLIN, MONDAY, 12, 20))

    due = next_water_nudge(paused, WaterPrefs(), 1, None, local(BERLIN, MONDAY, 10))

    assert due == local(BERLIN, MONDAY, 12, 20)


def test_water_nudge_in_kolkata_follows_local_wake_time() -> None:
    due = next_water_nudge(rhythm(KOLKATA), WaterPrefs(), 0, None, local(KOLKATA, MONDAY, 5))

    assert due == datetime(2025, 6, 2, 2, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "evening", "waking_hours"),
    [
        (NEW_YORK, date(2025, 3, 8), 7),
        (NEW_YORK, date(2025, 11, 1), 9),
        (BERLIN, date(2025, 3, 29), 7),
        (BERLIN, date(2025, 10, 25), 9),
        (LORD_HOWE, date(2025, 4, 5), 8.5),
        (LORD_HOWE, date(2025, 10, 4), 7.5),
    ],
    ids=["ny-spring", "ny-fall", "berlin-spring", "berlin-fall", "lh-fall", "lh-spring"],
)
def test_water_slots_stay_inside_waking_hours_on_a_night_with_a_clock_change(
    zone: ZoneInfo, evening: date, waking_hours: float
) -> None:
    night_worker = rhythm(zone, waking=NIGHT_WAKING)
    start, end = local(zone, evening, 22), local(zone, evening + days(1), 6)

    due, nudges = start - timedelta(minutes=1), []
    while (due := next_water_nudge(night_worker, WaterPrefs(), 0, None, due)) < end:
        nudges.append(due)

    assert end - start == timedelta(hours=waking_hours)
    assert len(nudges) == 8
    assert nudges[0] == start
    assert {later - earlier for earlier, later in itertools.pairwise(nudges)} == {
        (end - start) / 8
    }
    assert not any(in_quiet_hours(night_worker, nudge) for nudge in nudges)


# posture


def test_posture_breaks_come_every_interval_during_work_hours() -> None:
    office_worker = rhythm()
    expected = [local(BERLIN, MONDAY, hour) for hour in range(10, 17)]
    expected.append(local(BERLIN, MONDAY + days(1), 10))

    due, breaks = local(BERLIN, MONDAY, 7), []
    for _ in range(8):
        next_break = next_posture_break(office_worker, 60, None, due)
        assert next_break is not None
        breaks.append(due := next_break)

    assert breaks == expected


def test_posture_break_follows_the_last_break_by_the_interval() -> None:
    last_break = local(BERLIN, MONDAY, 10, 20)

    due = next_posture_break(rhythm(), 45, last_break, local(BERLIN, MONDAY, 10, 25))

    assert due == local(BERLIN, MONDAY, 11, 5)


def test_first_posture_break_of_the_day_is_shifted_by_the_users_offset() -> None:
    due = next_posture_break(rhythm(offset_seconds=240), 60, None, local(BERLIN, MONDAY, 7))

    assert due == local(BERLIN, MONDAY, 10, 4)


def test_posture_breaks_skip_days_off() -> None:
    friday = MONDAY + days(4)

    due = next_posture_break(rhythm(), 60, local(BERLIN, friday, 16), local(BERLIN, friday, 16))

    assert due == local(BERLIN, MONDAY + days(7), 10)


def test_posture_breaks_stop_when_waking_hours_end_before_work_does() -> None:
    early_sleeper = rhythm(waking=TimeWindow(time(7), time(12)))

    due = next_posture_break(early_sleeper, 60, None, local(BERLIN, MONDAY, 11))

    assert due == local(BERLIN, MONDAY + days(1), 10)


def test_posture_break_waits_a_full_interval_after_a_pause() -> None:
    paused = rhythm(paused_until=local(BERLIN, MONDAY, 13))

    due = next_posture_break(paused, 60, local(BERLIN, MONDAY, 9, 30), local(BERLIN, MONDAY, 10))

    assert due == local(BERLIN, MONDAY, 14)


def test_no_posture_break_when_work_never_overlaps_waking_hours() -> None:
    mismatched = rhythm(waking=TimeWindow(time(18), time(23)))

    assert next_posture_break(mismatched, 60, None, local(BERLIN, MONDAY, 7)) is None


@pytest.mark.parametrize("minutes", [29, 121])
def test_posture_interval_outside_half_an_hour_to_two_hours_is_rejected(minutes: int) -> None:
    with pytest.raises(ValueError, match="30-120"):
        next_posture_break(rhythm(), minutes, None, local(BERLIN, MONDAY, 7))


@pytest.mark.parametrize(
    ("zone", "transition"),
    [
        (NEW_YORK, datetime(2025, 3, 9, 7, tzinfo=UTC)),
        (NEW_YORK, datetime(2025, 11, 2, 6, tzinfo=UTC)),
        (BERLIN, datetime(2025, 3, 30, 1, tzinfo=UTC)),
        (BERLIN, datetime(2025, 10, 26, 1, tzinfo=UTC)),
        (LORD_HOWE, datetime(2025, 4, 5, 15, tzinfo=UTC)),
        (LORD_HOWE, datetime(2025, 10, 4, 15, 30, tzinfo=UTC)),
    ],
    ids=["ny-spring", "ny-fall", "berlin-spring", "berlin-fall", "lh-fall", "lh-spring"],
)
def test_posture_breaks_keep_elapsed_spacing_across_a_clock_change(
    zone: ZoneInfo, transition: datetime
) -> None:
    night_shift = rhythm(
        zone,
        waking=TimeWindow(time(20), time(8)),
        work=TimeWindow(time(22), time(6)),
        work_days=EVERY_DAY,
    )
    shift_start = local(zone, transition.astimezone(zone).date() - days(1), 22)
    shift_end = local(zone, transition.astimezone(zone).date(), 6)

    due, breaks = shift_start, []
    while (
        next_break := next_posture_break(night_shift, 60, None, due)
    ) and next_break < shift_end:
        breaks.append(due := next_break)
    last_break = transition - timedelta(minutes=30)

    assert {later - earlier for earlier, later in itertools.pairwise(breaks)} == {
        timedelta(minutes=60)
    }
    assert shift_end - breaks[-1] <= timedelta(minutes=60)
    assert next_posture_break(night_shift, 60, last_break, last_break) == transition + timedelta(
        minutes=30
    )


# stretch


def test_stretch_comes_daily_at_local_time() -> None:
    first = next_stretch(rhythm(), DEFAULT_STRETCH_TIME, False, local(BERLIN, MONDAY, 12))
    second = next_stretch(rhythm(), DEFAULT_STRETCH_TIME, False, first)

    assert first == datetime(2025, 6, 2, 17, tzinfo=UTC)
    assert second == first + days(1)


def test_stretch_is_skipped_for_today_once_done() -> None:
    due = next_stretch(rhythm(), DEFAULT_STRETCH_TIME, True, local(BERLIN, MONDAY, 12))

    assert due == local(BERLIN, MONDAY + days(1), 19)


def test_stretch_done_by_a_night_worker_counts_for_the_whole_waking_period() -> None:
    night_worker = rhythm(waking=NIGHT_WAKING)
    tuesday_1am = local(BERLIN, MONDAY + days(1), 1)

    done = next_stretch(night_worker, time(2), True, tuesday_1am)
    not_done = next_stretch(night_worker, time(2), False, tuesday_1am)

    assert done == local(BERLIN, MONDAY + days(2), 2)
    assert not_done == local(BERLIN, MONDAY + days(1), 2)


def test_stretch_in_quiet_hours_moves_to_wake_time() -> None:
    due = next_stretch(rhythm(), time(6), False, local(BERLIN, MONDAY, 1))

    assert due == local(BERLIN, MONDAY, 8)


def test_stretch_in_kolkata_is_at_local_time() -> None:
    due = next_stretch(rhythm(KOLKATA), DEFAULT_STRETCH_TIME, False, local(KOLKATA, MONDAY, 12))

    assert due == datetime(2025, 6, 2, 13, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        (BERLIN, date(2025, 3, 30), time(2, 30), datetime(2025, 3, 30, 1, tzinfo=UTC)),
        (NEW_YORK, date(2025, 3, 9), time(2, 30), datetime(2025, 3, 9, 7, tzinfo=UTC)),
        (LORD_HOWE, date(2025, 10, 5), time(2, 15), datetime(2025, 10, 4, 15, 30, tzinfo=UTC)),
    ],
    ids=["berlin-0300", "new-york-0300", "lord-howe-0230"],
)
def test_stretch_in_spring_forward_gap_fires_when_the_gap_ends(
    zone: ZoneInfo, day: date, at: time, expected: datetime
) -> None:
    night_worker = rhythm(zone, waking=NIGHT_WAKING)

    due = next_stretch(night_worker, at, False, local(zone, day - days(1), 23))

    assert due == expected


@pytest.mark.parametrize(
    ("zone", "day", "at"),
    [
        (BERLIN, date(2025, 10, 26), time(2, 30)),
        (NEW_YORK, date(2025, 11, 2), time(1, 30)),
        (LORD_HOWE, date(2025, 4, 6), time(1, 45)),
    ],
    ids=["berlin", "new-york", "lord-howe"],
)
def test_stretch_in_repeated_hour_fires_once(zone: ZoneInfo, day: date, at: time) -> None:
    night_worker = rhythm(zone, waking=NIGHT_WAKING)

    first = next_stretch(night_worker, at, False, local(zone, day - days(1), 23))
    second = next_stretch(night_worker, at, False, first)

    assert first == local(zone, day, at.hour, at.minute, fold=0)
    assert second == local(zone, day + days(1), at.hour, at.minute)


def test_stretch_offset_never_pushes_it_into_quiet_hours() -> None:
    ends_soon = rhythm(waking=TimeWindow(time(8), time(19, 2)), offset_seconds=599)

    due = next_stretch(ends_soon, DEFAULT_STRETCH_TIME, False, local(BERLIN, MONDAY, 12))

    assert due == local(BERLIN, MONDAY, 19, 1)


def test_stretch_inside_a_short_pause_moves_to_the_pause_end() -> None:
    paused = rhythm(paused_until=local(BERLIN, MONDAY, 19, 30))

    due = next_stretch(paused, DEFAULT_STRETCH_TIME, False, local(BERLIN, MONDAY, 18))

    assert due == local(BERLIN, MONDAY, 19, 30)


def test_stretch_is_dropped_on_a_day_paused_until_bedtime() -> None:
    paused = rhythm(paused_until=local(BERLIN, MONDAY, 23))

    due = next_stretch(paused, DEFAULT_STRETCH_TIME, False, local(BERLIN, MONDAY, 18))

    assert due == local(BERLIN, MONDAY + days(1), 19)


def test_stretch_after_a_pause_of_several_days_comes_once() -> None:
    paused = rhythm(paused_until=local(BERLIN, MONDAY + days(3), 10))

    first = next_stretch(paused, DEFAULT_STRETCH_TIME, False, local(BERLIN, MONDAY, 18))
    second = next_stretch(paused, DEFAULT_STRETCH_TIME, False, first)

    assert first == local(BERLIN, MONDAY + days(3), 19)
    assert second == local(BERLIN, MONDAY + days(4), 19)


# grace


@pytest.mark.parametrize("kind", [NudgeKind.WATER, NudgeKind.POSTURE, NudgeKind.STRETCH])
def test_nudge_within_its_grace_is_still_sent(kind: NudgeKind) -> None:
    due = local(BERLIN, MONDAY, 12)

    assert not is_stale(kind, due, due + GRACE[kind])


@pytest.mark.parametrize("kind", [NudgeKind.WATER, NudgeKind.POSTURE, NudgeKind.STRETCH])
def test_nudge_later_than_its_grace_is_stale(kind: NudgeKind) -> None:
    due = local(BERLIN, MONDAY, 12)

    assert is_stale(kind, due, due + GRACE[kind] + timedelta(seconds=1))


def test_water_nudge_is_stale_after_half_an_hour() -> None:
    due = local(BERLIN, MONDAY, 12)

    assert is_stale(NudgeKind.WATER, due, due + timedelta(minutes=31))
    assert not is_stale(NudgeKind.WATER, due, due + timedelta(minutes=29))


def test_stretch_swallowed_by_a_spring_forward_gap_at_bedtime_does_not_come_twice_next_day() -> (
    None
):
    # Waking 00:00-02:01 ends at 03:00 EDT on 2025-03-09, where the 02:00 stretch also lands.
    early_sleeper = rhythm(NEW_YORK, waking=TimeWindow(time(0), time(2, 1)))

    first = next_stretch(early_sleeper, time(2), False, local(NEW_YORK, date(2025, 3, 9), 0))
    second = next_stretch(early_sleeper, time(2), False, first)

    assert first == local(NEW_YORK, date(2025, 3, 10), 2)
    assert second == local(NEW_YORK, date(2025, 3, 11), 2)
