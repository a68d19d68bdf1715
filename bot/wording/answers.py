"""The answers' words: what the guide (`guidance.knowledge.guide`) puts around the knowledge
entries when it answers a question or a warning sign: get help now, see a doctor, the
caution under a treatment, the sources, and the honest "I don't cover that".
"""

from __future__ import annotations

from bot.i18n import _
from guidance.knowledge.words import AnswerWords

EXAMPLE_QUESTIONS: tuple[str, ...] = (
    _("How long should I keep ice on my back?"),
    _("Is heat or ice better for a back spasm?"),
    _("How do I do the hamstring stretch?"),
    _("What should I do during a spasm?"),
    _("How much water should I drink?"),
    _("When should I see a doctor?"),
)
# Under an answer about treating a spasm.
CAUTION = _(
    "ℹ️ Not a doctor: numbness, a weak leg or arm, bladder or bowel trouble, or pain so bad "
    "you can't move mean get help now."
)
# Under "see a doctor": the signs that mean more than that.
AT_ONCE = _(
    "Get help at once if you can't move or stand at all, or have numbness, a weak leg or arm, "
    "or bladder or bowel trouble."
)
NOT_A_DOCTOR = _(
    "I'm a bot, not a doctor: I share general guidance from my sources and cannot examine or "
    "diagnose you."
)
# Asked when triage is not sure a message describes a warning sign: a few words, two buttons.
CHECK_QUESTION = _(
    "Before I answer: is any of these happening to you now?\n"
    "• numbness or tingling in your groin, bottom, legs or feet\n"
    "• trouble peeing or pooing, or not feeling it\n"
    "• a leg that gives way, a foot that drags, or poor balance\n"
    "• pain so bad you can't move, a fever, or chest pain"
)
# Put before the warning signs when someone describes another person's.
FOR_SOMEONE_ELSE = _("If this is happening to them now, they need medical help now.")

ANSWER_WORDS = AnswerWords(
    caution=CAUTION,
    at_once=AT_ONCE,
    not_a_doctor=NOT_A_DOCTOR,
    check_question=CHECK_QUESTION,
    for_someone_else=FOR_SOMEONE_ELSE,
    example_questions=EXAMPLE_QUESTIONS,
    urgent=_(
        "⚠️ Please get medical help now.\n"
        "{noticed} With back pain this can be a sign of something serious: call your local "
        "emergency number or see a doctor straight away. Don't wait to see whether it "
        "settles.{notes}\n"
        "\n"
        "{not_a_doctor}\n"
        "\n"
        "{sources}"
    ),
    you_mentioned=_("You mentioned {signs}."),
    doctor_today=_("🩺 Please see a doctor today."),
    doctor_soon=_("🩺 Please see a doctor soon."),
    doctor=_(
        "{heading}\n"
        "You mentioned {signs}; my sources say that needs a doctor's look.{notes}\n"
        "{at_once}{meanwhile}\n"
        "\n"
        "{not_a_doctor}\n"
        "\n"
        "{sources}"
    ),
    meanwhile=_("Meanwhile: {unsaid}{advice}"),
    sources=_("Sources: {names}"),
    sources_joiner="; ",
    not_covered=_("My sources don't cover {thing}."),
    own_back=_(
        "I don't have guidance on exactly that, but I can help with your back. If it has just "
        "gone into spasm, tap below and I'll walk you through it. You can also ask me things "
        "like:\n"
        "{examples}"
    ),
    decline=_(
        "Sorry, I only have guidance on back spasm care, so I can't answer that. You could "
        "ask me:\n"
        "{examples}"
    ),
    signs_joined=_("{some} and {last}"),
)
