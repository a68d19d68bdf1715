"""The words the guide's answers are made of, as data: the guide knows none of its own."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AnswerWords:
    """The words the guide's answers are made of, in the language in use: `bot.wording.answers`
    gives them (the guide knows no words of its own; it puts these together with the
    knowledge entries). Each template's placeholders are named in braces."""

    # Under an answer about treating a spasm: the signs that mean get help now.
    caution: str
    # Under "see a doctor": the signs that mean more than that.
    at_once: str
    not_a_doctor: str
    # Asked when triage is not sure a message describes a warning sign.
    check_question: str
    # Put before the warning signs when someone describes another person's.
    for_someone_else: str
    example_questions: tuple[str, ...]
    # "Get medical help now": {noticed} {notes} {not_a_doctor} {sources}.
    urgent: str
    # What was noticed in a message: {signs}.
    you_mentioned: str
    doctor_today: str
    doctor_soon: str
    # "See a doctor": {heading} {signs} {notes} {at_once} {meanwhile} {not_a_doctor} {sources}.
    doctor: str
    # Under "see a doctor", what helps meanwhile: {unsaid}{advice}.
    meanwhile: str
    # The sources of an answer: {names}, joined by `sources_joiner`.
    sources: str
    sources_joiner: str
    # Asked about something the documents never mention: {thing}.
    not_covered: str
    # A message about someone's own back that no entry answers: {examples}.
    own_back: str
    # A question the knowledge base does not cover: {examples}.
    decline: str
    # Signs named together: {some} and {last}.
    signs_joined: str
