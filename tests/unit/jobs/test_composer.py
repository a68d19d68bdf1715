"""The composer: examples, and properties over random people, logs, flares and moments."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.wording.nudges import MISSED, NudgeTexts
from jobs.composer.budget import Budget
from jobs.composer.core import compose
from jobs.composer.decisions import MOVING, Due, RunningSession, Verdict
from jobs.composer.nudge import OpenNudge
from jobs.rules import flare, planning, rules
from jobs.rules.person import Person
from jobs.rules.planning import Facts
from jobs.rules.windows import TimeWindow
from storage.kinds import NudgeKind, Treatment
from tests.support.factories import a_person as person
from tests.support.factories import said

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_10 = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)  # 10:00 in Berlin, at work
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham")
PROPERTY = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def due(kind: NudgeKind, at: datetime = MONDAY_10, row: int = 1, **kw: object) -> Due:
    """A row of this kind due at a moment."""
    return Due(row, kind, at, **kw)  # type: ignore[arg-type]


def test_a_due_water_nudge_is_sent_and_moves_on(texts: NudgeTexts) -> None:
    [decision] = compose(
        person(), Facts(), [due(NudgeKind.WATER)], now=MONDAY_10, choices=texts.choices
    )
    assert decision.verdict is Verdict.SEND
    assert decision.message is not None
    assert "0 of 8 glasses" in said(decision.message).text
    assert decision.next_due is not None
    assert decision.next_due >= MONDAY_10 + planning.MIN_GAP[NudgeKind.WATER]


def test_what_is_due_goes_out_as_one_message_the_timer_first(texts: NudgeTexts) -> None:
    started = MONDAY_10 - timedelta(days=1, minutes=20)
    plan = flare.CarePlan(started_at=started)
    running = RunningSession(
        3, flare.start_session(plan, Treatment.ICE, MONDAY_10 - timedelta(minutes=20))
    )
    rows = [
        due(NudgeKind.WATER, row=1),
        due(NudgeKind.SESSION_END, row=3, session=running),
    ]
    soon = [due(NudgeKind.STRETCH, MONDAY_10 + timedelta(minutes=10), row=4)]
    roomy = Budget(100, 100)
    decisions = compose(
        person(),
        Facts(plan=plan),
        rows,
        now=MONDAY_10,
        choices=texts.choices,
        budget=roomy,
        soon=soon,
    )
    verdicts = {decision.kind: decision.verdict for decision in decisions}
    assert verdicts == {
        NudgeKind.SESSION_END: Verdict.SEND,
        NudgeKind.WATER: Verdict.MERGED,
        NudgeKind.STRETCH: Verdict.MERGED,
    }
    timer = next(d for d in decisions if d.verdict is Verdict.SEND)
    assert timer.session is not None
    assert timer.session.state.checks_sent == 1
    assert timer.message is not None
    assert [part.kind for part in timer.message.parts] == [
        NudgeKind.SESSION_END,
        NudgeKind.WATER,
        NudgeKind.STRETCH,
    ]
    assert said(timer.message).text.startswith("⏰ Time's up")
    for decision in decisions:
        if decision.verdict is Verdict.MERGED:
            assert decision.message is None
            assert decision.next_due is not None
            assert decision.next_due > MONDAY_10


def test_nothing_joins_when_nothing_goes_out(texts: NudgeTexts) -> None:
    night = datetime(2025, 6, 2, 23, 0, tzinfo=UTC)  # 01:00 in Berlin
    soon = [due(NudgeKind.WATER, night + timedelta(minutes=5), row=2)]
    decisions = compose(
        person(),
        Facts(),
        [due(NudgeKind.POSTURE, night)],
        now=night,
        choices=texts.choices,
        soon=soon,
    )
    assert [(d.row_id, d.verdict) for d in decisions] == [(1, Verdict.HOLD)]


def test_a_timer_for_a_session_that_is_gone_ends(texts: NudgeTexts) -> None:
    [decision] = compose(
        person(), Facts(), [due(NudgeKind.SESSION_END)], now=MONDAY_10, choices=texts.choices
    )
    assert decision.verdict is Verdict.END


def test_care_offers_end_with_the_flare(texts: NudgeTexts) -> None:
    rows = [due(NudgeKind.CARE_OFFER, row=1), due(NudgeKind.PAIN_CHECK, row=2)]
    decisions = compose(person(), Facts(), rows, now=MONDAY_10, choices=texts.choices)
    assert [d.verdict for d in decisions] == [Verdict.END, Verdict.END]


def test_while_getting_help_only_water_goes_out(texts: NudgeTexts) -> None:
    plan = flare.CarePlan(started_at=MONDAY_10 - timedelta(hours=1))
    known = Facts(plan=plan, seeking_help=True)
    for kind in planning.HELD_WHILE_SEEKING_HELP:
        [decision] = compose(person(), known, [due(kind)], now=MONDAY_10, choices=texts.choices)
        assert decision.verdict is Verdict.HOLD, kind
    [water] = compose(
        person(), known, [due(NudgeKind.WATER)], now=MONDAY_10, choices=texts.choices
    )
    assert water.verdict is Verdict.SEND


def test_the_morning_check_in_carries_the_two_week_advice_once_a_day(texts: NudgeTexts) -> None:
    plan = flare.CarePlan(started_at=MONDAY_10 - timedelta(days=15))
    row = [due(NudgeKind.PAIN_CHECK)]
    answered = ((MONDAY_10 - timedelta(days=1), 5),)  # they answer: care mode stays open
    [first] = compose(
        person(), Facts(plan=plan, checkins=answered), row, now=MONDAY_10, choices=texts.choices
    )
    assert first.doctor_reason is flare.DoctorReason.LASTING
    assert first.message is not None
    assert "Please see a doctor" in said(first.message).text
    advised = Facts(plan=plan, checkins=answered, doctor_advised_at=MONDAY_10 - timedelta(hours=3))
    [again] = compose(person(), advised, row, now=MONDAY_10, choices=texts.choices)
    assert again.doctor_reason is None
    assert again.message is not None
    assert "Please see a doctor" not in said(again.message).text


def test_heat_is_never_offered_in_the_hour_before_sleep(texts: NudgeTexts) -> None:
    plan = flare.CarePlan(started_at=MONDAY_10 - timedelta(days=4))  # heat phase
    late = datetime(2025, 6, 2, 20, 30, tzinfo=UTC)  # 22:30 in Berlin, sleep at 23:00
    [decision] = compose(
        person(),
        Facts(plan=plan),
        [due(NudgeKind.CARE_OFFER, late)],
        now=late,
        choices=texts.choices,
    )
    assert decision.verdict is Verdict.HOLD
    assert decision.message is None


# -- properties -----------------------------------------------------------------------------

KINDS = tuple(NudgeKind)


@st.composite
def scenes(draw: st.DrawFn) -> tuple[Person, Facts, list[Due], datetime]:
    """A random person, log, flare and a set of their due rows, at a random moment."""
    wake = draw(st.integers(0, 23))
    length = draw(st.integers(6, 20))
    who = person(
        zone=draw(st.sampled_from(ZONES)),
        waking=TimeWindow(time(wake), time((wake + length) % 24)),
        water=draw(st.booleans()),
        posture=draw(st.booleans()),
        stretch=draw(st.booleans()),
        paused_until=draw(st.none() | st.just(MONDAY_10 + timedelta(hours=2))),
    )
    now = MONDAY_10 + timedelta(minutes=draw(st.integers(0, 7 * 24 * 60)))
    plan = None
    if draw(st.booleans()):
        plan = flare.CarePlan(started_at=now - timedelta(hours=draw(st.integers(0, 24 * 20))))
    session = None
    if plan is not None and draw(st.booleans()):
        began = now - timedelta(minutes=draw(st.integers(0, 90)))
        session = flare.start_session(plan, draw(st.sampled_from(tuple(Treatment))), began)
    known = Facts(
        drunk_ml_today=draw(st.integers(0, 3000)),
        plan=plan,
        session=session,
        seeking_help=plan is not None and draw(st.booleans()),
        checkins=tuple(
            (now - timedelta(days=day), score)
            for day, score in enumerate(draw(st.lists(st.integers(0, 10), max_size=4)))
        )[::-1],
    )
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=len(KINDS), unique=True))
    rows = []
    for row_id, kind in enumerate(kinds, start=1):
        # Negative: coming due within the merge window, not due yet.
        late = timedelta(minutes=draw(st.integers(-15, 180)))
        running = None
        if kind is NudgeKind.SESSION_END and draw(st.booleans()):
            began = now - late - timedelta(minutes=15)
            state = flare.start_session(
                plan or flare.CarePlan(started_at=began), Treatment.HEAT, began
            )
            running = RunningSession(row_id, state)
        rows.append(Due(row_id, kind, now - late, running))
    return who, known, rows, now


def split(rows: list[Due], now: datetime) -> tuple[list[Due], list[Due]]:
    """Return the rows due now, and those coming due soon."""
    return [r for r in rows if r.due_at <= now], [r for r in rows if r.due_at > now]


@PROPERTY
@given(scenes())
def test_every_row_gets_one_decision_and_at_most_one_message_goes_out(
    texts: NudgeTexts, scene: tuple[Person, Facts, list[Due], datetime]
) -> None:
    who, known, rows, now = scene
    due, soon = split(rows, now)
    decisions = compose(who, known, due, now=now, choices=texts.choices, soon=soon)
    decided = [d.row_id for d in decisions]
    assert len(decided) == len(set(decided))  # one decision per row
    assert {row.row_id for row in due} <= set(decided)  # every due row gets one
    for decision in decisions:
        if decision.row_id in {row.row_id for row in soon}:
            assert decision.verdict in (Verdict.MERGED, Verdict.HOLD)  # it joins, or waits
    assert sum(d.verdict is Verdict.SEND for d in decisions) <= 1
    sent = [d for d in decisions if d.verdict is Verdict.SEND]
    joined = [d for d in decisions if d.verdict is Verdict.MERGED]
    for decision in sent:
        assert decision.row_id in {row.row_id for row in due}  # a due row carries it
    if sent and sent[0].message is not None:
        # One message holds exactly the rows that go out: none that is held or ended.
        assert len(sent[0].message.parts) == 1 + len(joined)
        lines = [line for line in said(sent[0].message).text.splitlines() if line]
        assert len(lines) == len(set(lines))  # nothing (no safety line) said twice
    else:
        assert not joined
    for decision in decisions:
        assert (decision.message is not None) == (decision.verdict is Verdict.SEND)
        if decision.next_due is not None:
            assert decision.next_due > now
        if decision.verdict is Verdict.END:
            assert decision.next_due is None


@PROPERTY
@given(scenes())
def test_only_timers_go_out_at_night_in_a_pause_late_or_while_getting_help(
    texts: NudgeTexts, scene: tuple[Person, Facts, list[Due], datetime]
) -> None:
    who, known, rows, now = scene
    by_id = {row.row_id: row for row in rows}
    night = rules.in_quiet_hours(planning.rhythm(who), now)
    paused = who.paused_until is not None and who.paused_until > now
    due, soon = split(rows, now)
    for decision in compose(who, known, due, now=now, choices=texts.choices, soon=soon):
        if decision.verdict not in (Verdict.SEND, Verdict.MERGED):
            continue
        row = by_id[decision.row_id]
        assert not planning.is_stale(row.kind, row.due_at, now)
        if row.due_at > now:
            assert row.kind not in planning.TIME_CRITICAL  # a timer never rings early
        if row.kind in planning.TIME_CRITICAL:
            continue
        assert not night
        assert not paused
        assert not (known.seeking_help and row.kind in planning.HELD_WHILE_SEEKING_HELP)
        if row.kind in planning.FLARE_KINDS:
            assert known.plan is not None


@PROPERTY
@given(scenes())
def test_a_sendable_timer_always_goes_first(
    texts: NudgeTexts, scene: tuple[Person, Facts, list[Due], datetime]
) -> None:
    who, known, rows, now = scene
    due, soon = split(rows, now)
    decisions = compose(who, known, due, now=now, choices=texts.choices, soon=soon)
    timers = [d for d in decisions if d.kind is NudgeKind.SESSION_END]
    if any(d.verdict is Verdict.SEND for d in timers):
        sent = [d for d in decisions if d.verdict is Verdict.SEND]
        assert sent[0].kind is NudgeKind.SESSION_END


@PROPERTY
@given(scenes())
def test_nothing_asks_to_move_on_a_flares_first_day_or_with_ice_or_heat_on(
    texts: NudgeTexts, scene: tuple[Person, Facts, list[Due], datetime]
) -> None:
    who, known, rows, now = scene
    if known.plan is None:
        return
    still = flare.resting(known.plan, now) or flare.on_skin(known.plan, known.session, now)
    due, soon = split(rows, now)
    for decision in compose(who, known, due, now=now, choices=texts.choices, soon=soon):
        if decision.kind in MOVING and still:
            assert decision.verdict not in (Verdict.SEND, Verdict.MERGED)


def live_a_day(
    texts: NudgeTexts, who: Person, plan: flare.CarePlan | None, start: datetime, budget: Budget
) -> list[tuple[datetime, NudgeKind]]:
    """Run the composer minute by minute for a day and two; return what was sent, when."""
    known = Facts(plan=plan)
    kinds = [kind for kind in NudgeKind if kind is not NudgeKind.SESSION_END]
    rows: dict[NudgeKind, datetime | None] = {
        kind: planning.next_due(who, kind, known, now=start) for kind in kinds
    }
    sent: list[tuple[datetime, NudgeKind]] = []
    now = start
    while now < start + timedelta(hours=36):
        now += timedelta(minutes=1)
        known = planning.facts(who, [], now=now, care=Facts(plan=plan), sent=sent)
        due = [
            Due(index, kind, at)
            for index, (kind, at) in enumerate(rows.items())
            if at is not None and at <= now
        ]
        for decision in compose(who, known, due, now=now, choices=texts.choices, budget=budget):
            rows[decision.kind] = decision.next_due
            if decision.verdict is Verdict.SEND:
                sent.append((now, decision.kind))
    return sent


@settings(max_examples=25, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    wake=st.integers(5, 10),
    in_a_flare=st.booleans(),
    limit=st.integers(4, 20),
)
def test_the_daily_budget_is_never_exceeded(
    texts: NudgeTexts, zone: str, wake: int, in_a_flare: bool, limit: int
) -> None:
    who = person(zone=zone, waking=TimeWindow(time(wake), time((wake + 15) % 24)))
    plan = flare.CarePlan(started_at=MONDAY_10 - timedelta(days=1)) if in_a_flare else None
    budget = Budget(ordinary=limit, flare_day=limit)
    sent = live_a_day(texts, who, plan, MONDAY_10, budget)
    day = planning.rhythm(who)
    per_day: dict[datetime, int] = {}
    for at, _kind in sent:
        start = rules.waking_period_start(day, at)
        per_day[start] = per_day.get(start, 0) + 1
    assert all(count <= limit for count in per_day.values()), per_day


def test_a_short_budget_keeps_water_and_drops_the_stretch(texts: NudgeTexts) -> None:
    who = person()  # 07:00-23:00, 8 glasses, hourly breaks 09:00-17:00, stretch at 19:00
    start = datetime(2025, 6, 2, 4, 0, tzinfo=UTC)  # Monday 06:00 in Berlin
    sent = live_a_day(texts, who, None, start, Budget(ordinary=10, flare_day=10))
    monday = [kind for at, kind in sent if at.astimezone(BERLIN).day == 2]
    assert len(monday) == 10
    assert monday.count(NudgeKind.WATER) == 8
    assert NudgeKind.STRETCH not in monday
    full = live_a_day(texts, who, None, start, Budget())
    assert NudgeKind.STRETCH in [kind for at, kind in full if at.astimezone(BERLIN).day == 2]


def test_a_safety_line_is_said_once_in_a_message(texts: NudgeTexts) -> None:
    plan = flare.CarePlan(started_at=MONDAY_10 - timedelta(hours=3))
    started = MONDAY_10 - timedelta(minutes=15)
    running = RunningSession(3, flare.start_session(plan, Treatment.ICE, started))
    rows = [
        due(NudgeKind.SESSION_END, row=1, session=running),
        due(NudgeKind.CARE_OFFER, row=2),
    ]
    decisions = compose(person(), Facts(plan=plan), rows, now=MONDAY_10, choices=texts.choices)
    [sent] = [d for d in decisions if d.message is not None]
    assert sent.message is not None
    assert [part.kind for part in sent.message.parts] == [
        NudgeKind.SESSION_END,
        NudgeKind.CARE_OFFER,
    ]
    assert said(sent.message).text.count(texts.ice_safety) == 1


def test_after_a_week_the_check_in_offers_to_end_care_mode(texts: NudgeTexts) -> None:
    plan = flare.CarePlan(started_at=MONDAY_10 - timedelta(days=8))
    scores = ((MONDAY_10 - timedelta(days=1), 4),)
    [decision] = compose(
        person(),
        Facts(plan=plan, checkins=scores),
        [due(NudgeKind.PAIN_CHECK)],
        now=MONDAY_10,
        choices=texts.choices,
    )
    assert decision.message is not None
    assert ("🌤 It's better: end care mode", "better") in said(decision.message).buttons
    assert not decision.closes_flare


def test_three_quiet_days_close_care_mode_with_a_summary(texts: NudgeTexts) -> None:
    plan = flare.CarePlan(started_at=MONDAY_10 - timedelta(days=5))
    scores = ((MONDAY_10 - timedelta(days=3), 6),)
    known = Facts(plan=plan, checkins=scores, session_counts=(4, 1, 0))
    [decision] = compose(
        person(), known, [due(NudgeKind.PAIN_CHECK)], now=MONDAY_10, choices=texts.choices
    )
    assert decision.closes_flare
    assert decision.verdict is Verdict.SEND
    assert decision.next_due is None
    assert decision.message is not None
    assert "sessions: 4 ice, 1 heat; pain: 6." in said(decision.message).text


def test_the_next_nudge_retires_the_last_one_left_unanswered(texts: NudgeTexts) -> None:
    earlier = texts.choices.water(glasses=0, goal=8, due_at=MONDAY_10, zone=BERLIN)
    walk = texts.choices.posture(due_at=MONDAY_10, zone=BERLIN)
    merged = earlier.with_part(walk)
    opened = (
        OpenNudge(40, texts.choices.water(glasses=0, goal=8, due_at=MONDAY_10, zone=BERLIN)),
        OpenNudge(41, merged, frozenset({"posture"})),  # the break was done; water left
    )
    [decision] = compose(
        person(),
        Facts(open_nudges=opened),
        [due(NudgeKind.WATER)],
        now=MONDAY_10,
        choices=texts.choices,
    )
    [edit] = decision.edits
    assert edit.message_id == 41  # the latest one still waiting, not the older one
    assert edit.retired == (NudgeKind.WATER,)
    assert not edit.with_text  # a part was answered: its reply is in the text, keep it
    water, posture = edit.message.parts
    assert water.buttons == ()
    assert posture.buttons == ()
    assert MISSED in said(water).text

    answered = (OpenNudge(42, earlier, frozenset({"water"})),)
    [again] = compose(
        person(),
        Facts(open_nudges=answered),
        [due(NudgeKind.WATER)],
        now=MONDAY_10,
        choices=texts.choices,
    )
    assert again.edits == ()


def test_retiring_a_second_part_keeps_the_first_missed_without_buttons(
    texts: NudgeTexts,
) -> None:
    # Stretch and water went out together; water was retired when the next water came.
    stretch = texts.choices.stretch(due_at=MONDAY_10, zone=BERLIN)
    merged = stretch.with_part(
        texts.choices.water(glasses=0, goal=8, due_at=MONDAY_10, zone=BERLIN)
    )
    opened = (OpenNudge(50, merged, frozenset({"water.missed"})),)
    [decision] = compose(
        person(),
        Facts(open_nudges=opened),
        [due(NudgeKind.STRETCH)],
        now=MONDAY_10,
        choices=texts.choices,
    )
    [edit] = decision.edits
    assert edit.retired == (NudgeKind.STRETCH,)
    assert edit.with_text  # nothing answered: only BackCare's own marks are in the text
    assert [part.buttons for part in edit.message.parts] == [(), ()]
    assert [MISSED in part.text for part in said(edit.message).parts] == [True, True]


def test_a_new_day_starts_afresh_for_slowing_down(texts: NudgeTexts) -> None:
    evening = MONDAY_10.replace(hour=20)
    missed = frozenset({"water.missed"})
    last_night = tuple(
        OpenNudge(
            n,
            texts.choices.water(glasses=0, goal=8, due_at=evening, zone=BERLIN),
            missed,
            evening.astimezone(BERLIN) - timedelta(days=1, hours=n),
        )
        for n in (3, 2, 1)
    )
    [decision] = compose(
        person(),
        Facts(open_nudges=last_night),
        [due(NudgeKind.WATER)],
        now=MONDAY_10,
        choices=texts.choices,
    )
    assert decision.message is not None
    assert ("⏸ Pause these for today", "rest") not in said(decision.message).buttons


def test_three_left_in_a_row_slow_a_kind_down_and_offer_a_pause(texts: NudgeTexts) -> None:
    def water(message_id: int, answered: frozenset[str] = frozenset()) -> OpenNudge:
        sent = texts.choices.water(glasses=0, goal=8, due_at=MONDAY_10, zone=BERLIN)
        return OpenNudge(message_id, sent, answered)

    missed = frozenset({"water.missed"})
    ignored = (water(1, frozenset({"water"})), water(2, missed), water(3, missed), water(4))
    [slow] = compose(
        person(),
        Facts(open_nudges=ignored),
        [due(NudgeKind.WATER)],
        now=MONDAY_10,
        choices=texts.choices,
    )
    assert slow.message is not None
    assert ("⏸ Pause these for today", "rest") in said(slow.message).buttons
    assert "these will come less often" in said(slow.message).text
    assert slow.next_due is not None
    assert slow.next_due >= MONDAY_10 + timedelta(hours=2)

    answered = (*ignored[:3], water(4, frozenset({"water"})))  # an answer: the usual rhythm
    [usual] = compose(
        person(),
        Facts(open_nudges=answered),
        [due(NudgeKind.WATER)],
        now=MONDAY_10,
        choices=texts.choices,
    )
    assert usual.message is not None
    assert ("⏸ Pause these for today", "rest") not in said(usual.message).buttons


def test_ice_offers_left_three_times_come_at_most_every_four_hours_with_a_pause(
    texts: NudgeTexts,
) -> None:
    plan = flare.CarePlan(started_at=MONDAY_10 - timedelta(days=1, hours=2))  # acute, day 2
    offer = texts.choices.care_offer(plan, Treatment.ICE)
    missed = frozenset({"care_offer.missed"})
    ignored = tuple(
        OpenNudge(n, offer, missed, MONDAY_10 - timedelta(minutes=40 * n)) for n in (3, 2, 1)
    )
    [slow] = compose(
        person(),
        Facts(plan=plan, open_nudges=ignored),
        [due(NudgeKind.CARE_OFFER)],
        now=MONDAY_10,
        choices=texts.choices,
    )
    assert slow.message is not None
    assert ("⏸ Pause ice for today", "rest") in said(slow.message).buttons
    assert slow.next_due is not None
    assert slow.next_due >= MONDAY_10 + timedelta(hours=4)
