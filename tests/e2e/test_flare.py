"""End to end: a back spasm cared for over four days on a driven clock, with a restart.

Ana lives in Berlin, is awake 07:00-22:00 and sends /flare at 08:00 on Monday 2 June 2025.
The real bot process reads the time from a file that this test moves on a five-minute grid,
stopping at each time the bot's schedule names, and after each move the test waits until
the bot has sent everything due (the clock file and the database barrier of driven.py).
Four simulated days take about ten seconds: ice offered every two hours while she is awake,
each session ended by "take it off now" on time (at night and across a restart too), heat
after the acute phase with its "is the pad off?" reminders, a pain check-in each morning,
gentle breaks and stretches while the spasm is fresh, and /better to close the episode.
Two shorter tests cover red flags (urgent help first) and pain that stays high (a doctor).
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from time import monotonic

import pytest

from jobs.composer.decisions import MERGE_WINDOW
from jobs.composer.nudge import REST_TODAY
from storage.models import DeliveryStatus
from tests.support.botapi_stub import BotApiStub, JsonDict, buttons, describe
from tests.support.driven import (
    BERLIN,
    BotDatabase,
    DrivenBot,
    Nudge,
    Person,
    SharedBot,
    local,
    nudge_kinds,
    part_buttons,
    when_said,
)

pytestmark = pytest.mark.e2e

log = logging.getLogger(__name__)

ANA = 707070  # the whole episode
BEA = 717171  # red flags
CARL = 727272  # pain that stays high
DAN = 737373  # answers the warning-sign question in words, then types a warning sign
SESSION = timedelta(minutes=15)
OFFER_EVERY = timedelta(hours=2)
HEAT_CHECK_EVERY = timedelta(minutes=5)
LEEWAY = timedelta(minutes=1)  # a nudge for a chat that just got one waits a second

FLARE_AT = local("Mon 08:00")  # Ana's, on a bot of her own (on the shared bot: flare_at())
ACUTE_UNTIL = local("Wed 08:00")  # 48 hours after the start
REST_UNTIL = local("Tue 08:00")  # a day of rest first
TIMERS = ("ice_off", "heat_off", "heat_check")
FLARE_DAYS, FLARE_DAY_BUDGET, DAILY_BUDGET = ("Mon", "Tue", "Wed"), 12, 16

ICE_SAFETY = "wrap the pack in a towel"
HEAT_SAFETY = "never fall asleep on a heating pad"
TAKEN_OFF = "✅ Noted, it's off. Give your skin a break before the next session."
SEE_A_DOCTOR = "🩺 Please see a doctor: "
FULL_STRETCHES = ("Hamstring", "Pelvic tilt", "Cat-cow", "Child's pose", "twist", "Shoulder")
EVERYDAY = ("water", "posture", "gentle_posture", "stretch", "gentle_stretch")
CARE = ("ice_offer", "heat_offer", "ice_off", "heat_off", "heat_check", "pain_check")

NUDGE_BUTTONS = {
    "water": ["+1 glass", "Snooze 30 min", "Skip"],
    "posture": ["Done", "Snooze 10 min", "Skip"],
    "gentle_posture": ["Done", "Snooze 10 min", "Skip"],
    "stretch": ["▶️ Start", "Done", "Skip today"],
    "gentle_stretch": ["▶️ Start", "Done", "Skip today"],
    "ice_offer": ["Start ice", "Skip"],
    "heat_offer": ["Start heat", "Skip"],
    "ice_off": ["Done, it's off"],
    "heat_off": ["Done, it's off"],
    "heat_check": ["It's off"],
    "pain_check": [str(score) for score in range(11)],
}

# What Ana presses on care nudges, unless ANA_EXCEPTIONS says otherwise; she lets the
# everyday nudges be.
ANA_PRESSES = {
    "ice_offer": "Start ice",
    "heat_offer": "Start heat",
    "ice_off": "Done, it's off",
    "heat_off": "Done, it's off",
    "heat_check": "It's off",
}
ANA_EXCEPTIONS: dict[tuple[str, int], str | None] = {
    ("ice_offer", 2): "Skip",  # Monday 12:00
    ("ice_offer", 5): None,  # Monday 18:00: she lets it be
    ("heat_off", 1): None,  # Wednesday morning she forgets the heating pad...
    ("heat_check", 1): None,
    ("heat_check", 2): None,  # ...and switches it off at the third reminder
}
ANA_PAIN = {1: "7", 2: "6", 3: "3"}  # the morning check-ins, Tuesday to Thursday


def topic_of(message: JsonDict, kind: str) -> str:
    """Name one nudge in a bot message: `ice_offer`, `heat_check`, `water`...

    A message holds at most one nudge of each kind, so its text tells the variant apart.
    """
    text = str(message["text"])
    if kind == "care_offer":
        actions = [data for _, data in part_buttons(message, kind)]
        return "heat_offer" if "nud:care_offer:heat" in actions else "ice_offer"
    if kind == "session_end":
        if "🔥 Is the heating pad off?" in text:
            return "heat_check"
        return "heat_off" if "⏰ Time's up: take the heat off now" in text else "ice_off"
    if kind == "posture" and "🚶 Time to move a little, gently." in text:
        return "gentle_posture"
    if kind == "stretch" and "🧘 Gentle care today" in text:
        return "gentle_stretch"
    return kind


@dataclass(frozen=True)
class Started:
    """An ice or heat session the patient started, and when."""

    treatment: str
    at: datetime


@dataclass(frozen=True)
class Promise:
    """A skipped offer's "next one at ...", and when it was made."""

    made_at: datetime
    when: str


Choice = Callable[[Nudge], str | None]


class Patient(Person):
    """Someone in a flare: presses what `choose` says, keeps sessions, skips and pain scores."""

    def __init__(self, user_id: int, botapi: BotApiStub, bot: DrivenBot, choose: Choice) -> None:
        super().__init__(user_id, botapi, bot)
        self.choose = choose
        self.sessions: list[Started] = []
        self.promises: list[Promise] = []
        self.pain_replies: list[str] = []

    def topic_of(self, message: JsonDict, kind: str) -> str | None:
        """Name a nudge by what it asks for: `ice_offer`, `heat_check`, `gentle_posture`..."""
        return topic_of(message, kind)

    def react(self, nudge: Nudge) -> None:
        """Check a nudge's buttons, then press what the patient chooses, if anything."""
        buttons = part_buttons(nudge.message, nudge.kind)
        # Left unanswered three times in a row, a kind also offers a pause for today
        # ("⏸ Pause ice for today" on an ice offer).
        usual = [label for label, data in buttons if not data.endswith(f":{REST_TODAY}")]
        assert usual == NUDGE_BUTTONS[nudge.topic], describe(nudge.message)
        label = self.choose(nudge)
        if label is None:
            self.note(f"lets {nudge} be")
            return
        self.check_reply(label, self.press(nudge, label))

    def check_reply(self, label: str, reply: str) -> None:
        """Check what the bot said to a press on a nudge, and keep what it started or promised."""
        if label in ("Start ice", "Start heat"):
            self.check_started(label.removeprefix("Start ").lower(), reply)
        elif label in ("Done, it's off", "It's off"):
            assert reply == TAKEN_OFF, reply
        elif label == "Skip":
            assert reply.startswith("Skipped: next one "), reply
            self.promises.append(
                Promise(self.clock.now, reply.removeprefix("Skipped: next one ").rstrip("."))
            )
        elif label.isdigit():
            assert f"📝 Pain {label}/10 noted. So far: " in reply, reply
            self.pain_replies.append(reply)

    def check_started(self, treatment: str, reply: str) -> None:
        """Check a session's confirmation names its take-off time; remember the session."""
        ends = self.clock.now + SESSION
        icon, safety = ("🧊", ICE_SAFETY) if treatment == "ice" else ("🔥", HEAT_SAFETY)
        opening = f"{icon} {treatment.capitalize()} on: 15 minutes. I'll tell you "
        assert reply.startswith(opening), reply
        said = reply.removeprefix(opening).partition(" to take it off.")[0]
        assert when_said(said, now=self.clock.now) == ends.replace(second=0, microsecond=0), reply
        assert safety in reply, reply
        self.sessions.append(Started(treatment, self.clock.now))


def ana_presses(nudge: Nudge) -> str | None:
    """Return what Ana presses on a nudge (None: she lets it be)."""
    key = (nudge.topic, nudge.ordinal)
    if key in ANA_EXCEPTIONS:
        return ANA_EXCEPTIONS[key]
    if nudge.topic == "pain_check":
        return ANA_PAIN[nudge.ordinal]
    return ANA_PRESSES.get(nudge.topic)


def due_of(database: BotDatabase, kind: str) -> datetime:
    """Return when the bot's schedule next has a nudge of this kind due, in Berlin."""
    found = [when for name, when in database.schedule() if name == kind]
    assert len(found) == 1, database.schedule()
    return found[0].astimezone(BERLIN)


def awake(moment: datetime) -> bool:
    """Tell whether a moment falls in Berlin waking hours, 07:00-22:00."""
    return time(7) <= moment.astimezone(BERLIN).time() < time(22)


def flare_at() -> datetime:
    """When the flare starts, in the test's week."""
    return local("Mon 08:00")


def start_patient(
    user_id: int, botapi: BotApiStub, tmp_path: Path, start: datetime, choose: Choice
) -> Patient:
    """Prepare a patient with a clock file at `start` and a bot with a fresh database."""
    return Patient(user_id, botapi, DrivenBot.prepare(botapi, tmp_path, start), choose)


def test_a_flare_is_cared_for_with_ice_then_heat_on_time_until_the_back_is_better(
    botapi: BotApiStub, tmp_path: Path
) -> None:
    started = monotonic()
    ana = start_patient(ANA, botapi, tmp_path, local("Mon 07:50"), ana_presses)
    database = ana.database
    try:
        with ana.running():
            ana.onboard()
            ana.run_until(FLARE_AT)

            # /flare: first aid and the red-flag question.
            first = ana.say("/flare", "care mode")
            for words in (
                "stop and rest",
                "Breathe slowly",
                "gently rub the tight spot",
                "ice it in a towel for 15–20 minutes",
                "Do you have any of these?",
                "trouble controlling your bladder or bowels",
                "a foot that drags",
            ):
                assert words in first["text"], first["text"]
            assert [label for label, _ in buttons(first)] == [
                "Yes, one of these",
                "No, none of these",
            ], describe(first)

            # No warning signs: the plan, with ice now.
            plan = ana.tap(first, "No, none of these")
            assert plan["text"].startswith("Good. Here is the plan:"), plan["text"]
            ice_until = "Until Wed 4 Jun at 08:00: ice for 15 minutes, wrapped in a towel"
            assert ice_until in plan["text"], plan["text"]
            assert "every 2 hours while you're awake" in plan["text"], plan["text"]
            assert [label for label, _ in buttons(plan)] == ["🧊 Start ice now"], describe(plan)
            ice_on = ana.tap(plan, "Start ice now")
            # A session started can be taken back for ten minutes: only ↩️ Undo is left.
            assert [label for label, _ in buttons(ice_on)] == ["↩️ Undo"], describe(ice_on)
            ana.check_started("ice", ice_on["text"].removeprefix(plan["text"]).strip())

            today = ana.say("/today", "📅 Today")["text"]
            status = "🩹 Flare: day 1, acute phase: ice, until Wed 4 Jun at 08:00."
            assert f"{status} Pain: no check-ins yet." in today, today

            # Monday: ice every two hours; a session started at 21:55 ends in quiet hours.
            ana.run_until(local("Mon 21:55"))
            late = ana.say("/ice", "Ice on")["text"]
            ana.check_started("ice", late)
            assert "I'll tell you today at 22:10 to take it off." in late, late

            # Tuesday: the second offer's session is running when the bot goes down.
            ana.run_until(local("Tue 08:00"))
            ana.run_until(due_of(database, "care_offer"))
            running = ana.sessions[-1]
            assert running.at == ana.clock.now, ana.timeline()
        restart_at = running.at + SESSION + timedelta(minutes=20)
        ana.clock.move_to(restart_at)

        with ana.running():
            # Back up 20 minutes after the session should have ended: "take it off" at once.
            ana.settle()
            back = ana.arrived()
            assert back, ana.timeline()
            assert (back[0].topic, back[0].at) == ("ice_off", restart_at), ana.timeline()
            for nudge in back:
                ana.react(nudge)
            ana.catch_up()

            # Wednesday: heat from 08:00, never in the hour before sleep.
            ana.run_until(local("Wed 21:10"))
            refused = ana.say("/heat", "too close to your sleep time")["text"]
            assert HEAT_SAFETY in refused, refused

            # Thursday: a typed pain score, the day's summary, and the episode ends.
            ana.run_until(local("Thu 12:00"))
            pain = ana.say("/pain 5", "Pain 5/10")["text"]
            assert pain == "📝 Pain 5/10 noted. So far: 7 → 6 → 3 → 5 (easing).", pain
            today = ana.say("/today", "📅 Today")["text"]
            assert (
                "🩹 Flare: day 4, after the acute phase: heat. Pain: 7 → 6 → 3 → 5 (easing)."
                in today
            ), today
            better_at = ana.clock.now
            better = ana.say("/better", "Glad it's easing")["text"]

            ana.run_until(local("Fri 12:00"))
            schedule_left = database.schedule()
        deliveries = database.deliveries()
    finally:
        database.close()
    elapsed = monotonic() - started
    log.info("Ana's flare (%.1f s):\n%s", elapsed, ana.story(CARE + EVERYDAY))
    timeline = ana.timeline()

    # The summary: days, sessions of each kind, and the pain trend.
    ice = sum(session.treatment == "ice" for session in ana.sessions)
    heat = sum(session.treatment == "heat" for session in ana.sessions)
    assert better == (
        f"🌤 Glad it's easing. This episode: 4 days; sessions: {ice} ice, {heat} heat; "
        "pain: 7 → 6 → 3 → 5 (easing). Your everyday nudges carry on; take it slowly."
    ), better
    assert heat == 4, timeline
    assert 15 <= ice <= 16, timeline  # 16 when an offer rides along with water, early

    # Quiet hours: only a session's end may come at night, and Monday's late one did.
    assert all(awake(n.at) for n in ana.nudges if n.topic not in ("ice_off", "heat_off")), timeline
    assert any(n.topic == "ice_off" and n.at == local("Mon 22:10") for n in ana.nudges), timeline

    # Every session ends with "take it off now" 15 minutes after it started (the one running
    # through the restart: as soon as the bot is back), and only then.
    ends = ana.of_topic("ice_off", "heat_off")
    assert len(ends) == len(ana.sessions), timeline
    for session, end in zip(ana.sessions, ends, strict=True):
        assert end.topic == f"{session.treatment}_off", timeline
        expected = restart_at if session == running else session.at + SESSION
        assert end.at == expected, f"{session} ended at {end}\n{timeline}"
        assert f"⏰ Time's up: take the {session.treatment} off now" in end.text, end.text

    # Ice offers: in the acute phase, two hours after the last session (or offer), and the
    # first of a morning soon after waking; up to a quarter of an hour sooner when one rides
    # along with a water nudge in the same message (and the next one as much later).
    ice_offers = ana.of_topic("ice_offer")
    assert all(offer.at < ACUTE_UNTIL for offer in ice_offers), timeline
    assert len([offer for offer in ice_offers if offer.at.date() == FLARE_AT.date()]) >= 6
    for earlier, later in itertools.pairwise(ice_offers):
        if earlier.at.date() == later.at.date():
            gap = later.at - earlier.at
            assert OFFER_EVERY - MERGE_WINDOW <= gap < OFFER_EVERY + MERGE_WINDOW + LEEWAY, (
                timeline
            )
        else:
            assert time(7) <= later.at.time() <= time(7, 10), timeline
    for offer in ice_offers:
        assert "🧊 Time for ice: 15 minutes on the sore spot." in offer.text, offer.text
        assert ICE_SAFETY in offer.text, offer.text
    for promise in ana.promises:
        following = next(n for n in ice_offers if n.at > promise.made_at)
        promised = when_said(promise.when, now=promise.made_at)
        assert promised - MERGE_WINDOW <= following.at < promised + LEEWAY, (
            f"{promise}\n{timeline}"
        )

    # Heat offers: after the acute phase, a few a day, never in the hour before 22:00.
    heat_offers = ana.of_topic("heat_offer")
    assert heat_offers, timeline
    assert all(ACUTE_UNTIL <= offer.at < better_at for offer in heat_offers), timeline
    assert all(offer.at.time() < time(21) for offer in heat_offers), timeline
    on_wednesday = [offer for offer in heat_offers if offer.at.date() == ACUTE_UNTIL.date()]
    assert len(on_wednesday) == 3, timeline
    for earlier, later in itertools.pairwise(heat_offers):
        assert later.at - earlier.at >= OFFER_EVERY, timeline
    for offer in heat_offers:
        assert "🔥 Time for heat: 15 minutes." in offer.text, offer.text
        assert HEAT_SAFETY in offer.text, offer.text

    # The forgotten heating pad: asked about three times, five minutes apart, then no more.
    forgotten = next(session for session in ana.sessions if session.treatment == "heat")
    checks = ana.of_topic("heat_check")
    assert [check.at for check in checks] == [
        forgotten.at + SESSION + HEAT_CHECK_EVERY * n for n in (1, 2, 3)
    ], timeline
    for check in checks:
        assert "🔥 Is the heating pad off? Please switch it off now." in check.text, check.text
        assert HEAT_SAFETY in check.text, check.text

    # Pain check-ins: each morning at 07:30, from the day after the start until /better.
    checkins = ana.of_topic("pain_check")
    # (plus this user's stable spread, under ten minutes, shared by everyone's check-ins)
    assert len(checkins) == 3, timeline
    for check, day in zip(checkins, ("Tue", "Wed", "Thu"), strict=True):
        early = local(f"{day} 07:30") - MERGE_WINDOW  # riding along with another nudge
        assert early <= check.at < local(f"{day} 07:40"), timeline
    for check in checkins:
        assert "🌅 How is your back today? Tap a number: 0 = no pain" in check.text, check.text
        assert SEE_A_DOCTOR not in check.text, check.text
    assert ana.pain_replies == [
        "📝 Pain 7/10 noted. So far: 7.",
        "📝 Pain 6/10 noted. So far: 7 → 6 (easing).",
        "📝 Pain 3/10 noted. So far: 7 → 6 → 3 (easing).",
    ], timeline

    # Rest first: nothing asks her to move on the first day, nor with ice or heat on.
    moving = ana.of_topic("posture", "gentle_posture", "stretch", "gentle_stretch")
    assert not [n for n in moving if n.at < REST_UNTIL], timeline
    for nudge in moving:
        for session in ana.sessions:
            assert not session.at <= nudge.at < session.at + SESSION, f"{nudge}\n{timeline}"
    # A flare day holds at most 12 nudges (16 once it is over); timers never count. Care
    # offers, the check-in and water come first, so walks and stretches wait their turn.
    # (Messages, that is: nudges due together go out as one; one a timer leads is exempt.)
    messages = {n.message["message_id"]: n for n in ana.nudges}
    per_day = Counter(
        f"{n.at:%a}" for n in messages.values() if nudge_kinds(n.message)[0] != "session_end"
    )
    assert all(count <= FLARE_DAY_BUDGET for day, count in per_day.items() if day in FLARE_DAYS)
    assert all(count <= DAILY_BUDGET for count in per_day.values()), per_day
    for sent in messages.values():  # a safety line (any line) is said once per message
        lines = [line for line in str(sent.message["text"]).splitlines() if line]
        assert len(lines) == len(set(lines)), sent.text
    every = Counter(f"{n.at:%a}" for n in messages.values())
    log.info("Ana's messages per day (all / without timers): %s / %s", dict(every), dict(per_day))
    # Walks are gentle while the spasm is fresh, and the usual breaks after it.
    for nudge in ana.of_topic("posture", "gentle_posture"):
        gentle = nudge.topic.startswith("gentle_")
        assert gentle == (nudge.at < ACUTE_UNTIL), f"{nudge}\n{timeline}"
    # The stretch stays gentle until a check-in says the pain has eased (Thursday's 3).
    gentle_stretches = ana.of_topic("gentle_stretch")
    assert all(n.at < local("Thu 07:31") for n in gentle_stretches), timeline
    for stretch in gentle_stretches:
        for words in (
            "no full stretches",
            "Breathe slowly",
            "lie on your side",
            "slow, easy walk",
        ):
            assert words in stretch.text, stretch.text
        assert not any(name in stretch.text for name in FULL_STRETCHES), stretch.text
    for walk in ana.of_topic("gentle_posture"):
        assert "slow, easy walk" in walk.text, walk.text
    assert ana.of_topic("stretch"), "the usual stretch never came back once the pain eased"

    # After /better: no more care offers or check-ins, and nothing of theirs is scheduled.
    assert not [n for n in ana.of_topic(*CARE) if n.at >= better_at], timeline
    assert not [kind for kind, _ in schedule_left if kind in ("care_offer", "pain_check")]
    assert any(n.at > better_at for n in ana.of_topic("water", "posture")), timeline

    # Once each: every nudge Ana saw is one sent delivery.
    assert [d for d in deliveries if d.status is not DeliveryStatus.SENT] == []
    assert sorted(d.message_id or 0 for d in deliveries) == sorted(
        {n.message["message_id"] for n in ana.nudges}
    )  # parts share a message
    assert ana.log_file.read_text().count("BackCare is up") == 2
    assert botapi.unknown_methods == []
    assert elapsed < 60, f"the flare took {elapsed:.0f} s"


def test_a_yes_to_a_warning_sign_gets_help_first_and_holds_self_care_until_seen(
    shared: SharedBot,
) -> None:
    bea = Patient(BEA, shared.botapi, shared.at(local("Mon 07:50")), lambda _: None)
    try:
        with bea.running():
            bea.onboard()
            bea.run_until(flare_at())
            # The spasm button of /help, then "yes" to one of the warning signs.
            help_screen = bea.say("/help", "/flare – my back just went into spasm")
            first = bea.tap(help_screen, "My back just went into spasm")
            assert "I'm sorry your back has gone into spasm" in first["text"], describe(first)
            assert "Right now: stop and rest" in first["text"]
            urgent = bea.tap(first, "Yes, one of these")
            text = urgent["text"]
            assert text.startswith("⚠️ Please get medical help now."), describe(urgent)
            assert "You said yes to one of these warning signs." in text, text
            assert "You described" not in text, text
            assert "mentioned" not in text, text
            assert "call your local emergency number" in text, text
            assert "Here is the plan" not in text, text
            assert [label for label, _ in buttons(urgent)] == ["✅ I've been seen: resume care"]

            # A whole morning: no ice offer, no stretch, no posture break; water goes on.
            seen_at = local("Mon 14:00")
            bea.run_until(seen_at)
            held = bea.of_topic("ice_offer", "heat_offer", "posture", "gentle_posture")
            assert held == [], bea.timeline()
            assert bea.of_topic("water"), bea.timeline()

            # Seen and back: care resumes, with the plan and ice offers again.
            back = bea.tap(urgent, "I've been seen")
            assert "Care mode is back on" in back["text"], describe(back)
            assert "Here is the plan" in back["text"], describe(back)
            bea.run_until(seen_at + OFFER_EVERY + timedelta(minutes=15))
    finally:
        bea.database.close()
    offers = bea.of_topic("ice_offer")
    assert offers, bea.timeline()
    assert all(offer.at > seen_at for offer in offers), bea.timeline()


def test_a_typed_yes_acts_as_the_button_and_what_follows_gets_the_help_line_again(
    shared: SharedBot,
) -> None:
    dan = Patient(DAN, shared.botapi, shared.at(local("Mon 07:50")), lambda _: None)
    try:
        with dan.running():
            dan.onboard()
            dan.run_until(flare_at())
            dan.say("/flare", "Do you have any of these?")
            # "yes i do", typed: the urgent answer and the hold, exactly as the button.
            urgent = dan.say("yes i do", "Please get medical help now")
            assert "You said yes to one of these warning signs." in urgent["text"], describe(
                urgent
            )
            assert [label for label, _ in buttons(urgent)] == ["✅ I've been seen: resume care"]
            assert "👍" not in urgent["text"]
            again = dan.say("is that bad?", "please treat it as serious")
            assert "call your local emergency number" in again["text"], describe(again)
            # Two hours on: no ice offer, no break, no stretch; water goes on.
            dan.run_until(flare_at() + timedelta(hours=2, minutes=5))
            held = dan.of_topic(
                "ice_offer", "heat_offer", "posture", "gentle_posture", "stretch", "gentle_stretch"
            )
            assert held == [], dan.timeline()
    finally:
        dan.database.close()


def carl_presses(nudge: Nudge) -> str | None:
    """Carl answers each morning check-in with 8, 9, then 8 again, and lets the rest be."""
    return {1: "8", 2: "9", 3: "8"}[nudge.ordinal] if nudge.topic == "pain_check" else None


def test_a_nine_gets_urgent_help_and_pain_staying_high_a_doctor_at_most_daily(
    shared: SharedBot,
) -> None:
    botapi = shared.botapi
    carl = Patient(CARL, botapi, shared.at(local("Mon 07:50")), carl_presses)
    try:
        with carl.running():
            carl.onboard()
            carl.run_until(flare_at())
            first = carl.say("/flare", "care mode")
            carl.tap(first, "No, none of these")
            carl.run_until(local("Thu 08:00"))
    finally:
        carl.database.close()
    timeline = carl.timeline()

    checkins = carl.of_topic("pain_check")
    # (plus this user's stable spread, under ten minutes, shared by everyone's check-ins)
    assert len(checkins) == 3, timeline
    for check, day in zip(checkins, ("Tue", "Wed", "Thu"), strict=True):
        early = local(f"{day} 07:30") - MERGE_WINDOW  # riding along with another nudge
        assert early <= check.at < local(f"{day} 07:40"), timeline
    # After the 9 and the 8 before it, Thursday's check-in brings the doctor's advice.
    doctor = (
        f"{SEE_A_DOCTOR}your pain has stayed at 8 or more (a cautious rule of my own). Back pain "
        "that lasts more than two weeks, keeps getting worse, or does not ease with home care "
        "needs a doctor's look."
    )
    assert [doctor in check.text for check in checkins] == [False, False, True], timeline
    eight, nine, eight_again = carl.pain_replies
    assert eight == "📝 Pain 8/10 noted. So far: 8.", timeline
    # A 9 is severe pain: help now comes first.
    assert nine.startswith("⚠️ Please get medical help now.\nYou rated your pain 9"), nine
    assert nine.endswith("📝 Pain 9/10 noted. So far: 8 → 9 (worse)."), nine
    # ...and the answer to it does not say it again the same day.
    assert eight_again == "📝 Pain 8/10 noted. So far: 8 → 9 → 8.", timeline
    said = [str(message.get("text", "")) for message in botapi.sent(CARL)]
    assert sum(text.count(SEE_A_DOCTOR) for text in said) == 1, timeline
