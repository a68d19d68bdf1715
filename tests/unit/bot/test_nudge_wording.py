"""The nudges said at the edge: content kept as data, every button named, lines said once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.wording.nudges import MISSED, SLOWER, NudgeTexts
from jobs.composer.content import (
    CareOffer,
    Content,
    FlareClosed,
    GentlePosture,
    GentleStretch,
    PainCheck,
    Posture,
    SessionAlarm,
    Stretch,
    Topic,
    Water,
    WeeklySummary,
    Written,
    from_data,
    to_data,
)
from jobs.composer.nudge import ACTIONS, REST_TODAY, NudgeMessage, offering_rest
from jobs.rules.flare import CarePlan, DoctorReason
from storage.kinds import NudgeKind, Treatment

MONDAY_10 = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
PLAN = CarePlan(started_at=MONDAY_10)

EVERY_KIND_OF_CONTENT: list[Content] = [
    Water(2, 8, 3),
    Posture(1),
    GentlePosture(),
    Stretch(("hamstring-stretch", "pelvic-tilt")),
    GentleStretch(),
    CareOffer(Treatment.ALTERNATE, 15, 20),
    SessionAlarm("check_heat", Treatment.HEAT, 20),
    PainCheck(DoctorReason.WORSE, ask_if_better=True),
    PainCheck("your pain has got worse three days running"),  # an earlier release's words
    FlareClosed(5, 4, 1, 0, (7, 5, 3)),
    WeeklySummary(Topic.STRETCH, stretch="pelvic-tilt"),
    WeeklySummary(Topic.DOCTOR, doctor=DoctorReason.LASTING),
    Written("💧 Drink up.", ("+1 glass",)),
]


@pytest.mark.parametrize("content", EVERY_KIND_OF_CONTENT)
def test_every_kind_of_content_survives_the_outbox(content: Content) -> None:
    assert from_data(to_data(content)) == content


def test_every_button_a_nudge_offers_has_a_name(texts: NudgeTexts) -> None:
    for kind, actions in ACTIONS.items():
        for action in (*actions, REST_TODAY):
            [(label, said)] = texts.buttons(NudgeMessage(kind, PainCheck(), (action,)))
            assert said == action
            assert label != action or action.isdigit(), (kind, action)


def test_a_pause_names_what_an_offer_offers(texts: NudgeTexts) -> None:
    heat = offering_rest(texts.choices.care_offer(PLAN, Treatment.HEAT), NudgeKind.CARE_OFFER)
    assert texts.buttons(heat)[-1] == ("⏸ Pause heat for today", REST_TODAY)
    assert texts.say(heat).endswith(SLOWER)


def test_a_line_an_earlier_part_says_is_said_once_and_a_missed_part_says_so(
    texts: NudgeTexts,
) -> None:
    ice = texts.choices.care_offer(PLAN, Treatment.ICE)
    both = texts.choices.care_offer(PLAN, Treatment.ALTERNATE)
    message = ice.with_part(both)
    assert texts.say(message).count(texts.ice_safety) == 1
    retired = NudgeMessage.of_parts([replace(part, missed=True) for part in message.parts])
    assert [text.endswith(MISSED) for text in texts.part_texts(retired)] == [True, True]
