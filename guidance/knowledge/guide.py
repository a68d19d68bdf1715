"""The bot's guide: answers questions and supplies nudge texts from the knowledge base, in
the words `bot.wording.answers` gives it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from guidance.knowledge.knowledge_base import Entry, KnowledgeBase, KnowledgeBaseError
from guidance.knowledge.retrieval import Match, SearchIndex
from guidance.knowledge.words import AnswerWords
from guidance.reading import Reader
from guidance.reading.language import word_set
from guidance.reading.triage import Finding, Level, Sign, Triage, When
from guidance.reading.triage.words import tokens

# Longer questions are cut, not refused: the start of a message says what it is about.
MAX_QUESTION_CHARS = 500
# No reply is longer than this: it must fit a phone screen (issue 24).
MAX_REPLY_CHARS = 700

RED_FLAGS_ENTRY = "red-flags"
ICE_SAFETY_ENTRY = "ice-safety"
HEAT_SAFETY_ENTRY = "heat-safety"
STRETCH_CAUTION_ENTRY = "stretch-caution"
POSTURE_ENTRY = "posture-breaks"
HYDRATION_ENTRY = "hydration"
FIRST_AID_ENTRY = "during-a-spasm"
POSITIONS_ENTRY = "positions-for-relief"
BREATHING_ENTRY = "breathing"
WALK_ENTRY = "rest-and-movement"
DOCTOR_ENTRY = "when-to-see-doctor"

# A spasm happening now, asked about in words another entry shares: first aid, when it
# scores at least this share of the best.
NOW_SHARE = 0.9

# Answers about treating a spasm carry one line of caution (`AnswerWords.caution`).
TREATMENT_CATEGORIES = frozenset({"relief", "ice-heat", "medicine", "stretch", "stretch-advice"})


@dataclass(frozen=True)
class Answer:
    """The reply to one question, with where it came from.

    `own_back` marks a reply to a message about the person's own back that no entry
    answers: it is never declined, the bot offers what it can do instead.
    """

    question: str
    answer: str
    sources: tuple[str, ...]
    level: Level
    matched: bool
    entry_id: str | None
    own_back: bool = False

    @property
    def urgent(self) -> bool:
        """Tell whether the answer is "get medical help now"."""
        return self.level is Level.URGENT


@dataclass(frozen=True)
class Stretch:
    """One stretch for the daily stretch nudge."""

    name: str
    how: str
    dose: str
    sources: tuple[str, ...]
    entry_id: str = ""  # the knowledge entry (and picture) it comes from


_OPENER = 30  # the longest opener a one-line summary may have before its colon


class Guide:
    """Answer back-spasm questions and hand out nudge texts, all from one knowledge base."""

    def __init__(
        self, knowledge: KnowledgeBase, index: SearchIndex, *, words: AnswerWords | None = None
    ) -> None:
        _check_nudge_entries(knowledge)
        self._knowledge = knowledge
        self._index = index
        self._words = words
        self._triage = Triage(known_words=index.known_words)
        self._reader = Reader(self._triage)

    @classmethod
    def load(cls, directory: Path | None = None, *, words: AnswerWords | None = None) -> Guide:
        """Load the knowledge base (the packaged one by default) and build its search index.

        Without `words` it reads messages and hands out the knowledge, but cannot answer.
        """
        knowledge = KnowledgeBase.load(directory)
        return cls(knowledge, SearchIndex.build(knowledge.entries), words=words)

    @property
    def words(self) -> AnswerWords:
        """Return the words answers are made of."""
        if self._words is None:
            raise RuntimeError("the guide answers only with its words (bot.wording.answers)")
        return self._words

    @property
    def knowledge(self) -> KnowledgeBase:
        """Return the knowledge base the guide answers from."""
        return self._knowledge

    @property
    def knowledge_words(self) -> frozenset[str]:
        """Return the words the guide takes as correctly spelt."""
        return self._index.known_words

    @property
    def reader(self) -> Reader:
        """Return the reader of messages: each read once, warning signs first."""
        return self._reader

    def triage(self, message: str, *, rules_only: bool = False) -> Finding:
        """Return the warning signs a message describes or asks about, wherever they are."""
        return self._triage.check(message, rules_only=rules_only)

    def answer(self, question: str, *, finding: Finding | None = None) -> Answer:
        """Answer a message: warning signs first, then the best entry, else an honest reply.

        `finding` is the message's one reading by triage (`guidance.reading`); without it
        (the command line, tests) the message is triaged here.
        """
        text = _cut(question)
        found = finding if finding is not None else self.triage(question)
        if found.told:
            return self.warning_answer(text, found)
        if found.level is Level.CHECK:
            return Answer(text, self.check_question(), (), Level.CHECK, True, None)
        if found.asked_about or any(sign.level is Level.URGENT for sign in found.asked):
            # A question about a warning sign, or someone else's: the signs, without
            # "you have one".
            return self._signs_answer(text, found)
        match = self._index.search(text)
        if match is None:
            if found.asked:  # "what if it lasts for weeks?": when to see a doctor
                return self._entry_answer(text, self._knowledge.get(DOCTOR_ENTRY))
            if about_own_back(text) or (found.about_body and not found.others):
                own = self._with_examples(self.words.own_back)
                return Answer(text, own, (), Level.NONE, False, None, own_back=True)
            declined = self._with_examples(self.words.decline)
            return Answer(text, declined, (), Level.NONE, False, None)
        match = self._first_aid_when_now(text, match)
        return self._entry_answer(text, match.entry, unsaid=match.unsaid)

    def _first_aid_when_now(self, text: str, match: Match) -> Match:
        """A spasm happening now, asked what to do or in words first aid names and another
        entry shares ("it hit ten minutes ago: keep moving or lie down?"): first aid, when
        it scores nearly as well."""
        if match.unsaid or match.entry.id == FIRST_AID_ENTRY:
            return match
        reading, first_aid_entry = self._index.read(text), self._knowledge.get(FIRST_AID_ENTRY)
        asked = reading.asks_now or self._index.own_words(reading, first_aid_entry)
        if not (reading.now and asked):
            return match
        ranked = self._index.rank(text, limit=len(self._knowledge.entries))
        first_aid = next((found for found in ranked if found.entry.id == FIRST_AID_ENTRY), None)
        return first_aid if first_aid and first_aid.score >= NOW_SHARE * match.score else match

    def warning_answer(self, text: str, finding: Finding) -> Answer:
        """Write the reply to a described warning sign: help now, or a doctor today or soon."""
        if finding.level is Level.URGENT:
            urgent = [sign for sign in finding.signs if sign.level is Level.URGENT]
            noticed = self.words.you_mentioned.format(signs=self._labels(urgent))
            reply = self.urgent_advice(noticed, own=urgent)
            entry = self._knowledge.get(RED_FLAGS_ENTRY)
        else:
            reply = self.doctor_advice(finding.signs, question=text)
            entry = self._knowledge.get(DOCTOR_ENTRY)
        return Answer(text, reply, entry.sources, finding.level, True, entry.id)

    def urgent_advice(self, noticed: str, *, own: Sequence[Sign] = ()) -> str:
        """Write "get medical help now": what was noticed, and what BackCare adds of its own."""
        warning = self._knowledge.get(RED_FLAGS_ENTRY)
        notes = "".join(f"\n({sign.own})" for sign in own if sign.own)
        return self.words.urgent.format(
            noticed=noticed,
            notes=notes,
            not_a_doctor=self.words.not_a_doctor,
            sources=self.sources_line(warning.sources),
        )

    def doctor_advice(self, signs: Sequence[Sign], *, question: str = "") -> str:
        """Write "see a doctor today" or "soon" for what was described, with any disagreement
        between the documents, when to get help at once, and what helps meanwhile."""
        words = self.words
        entry = self._knowledge.get(DOCTOR_ENTRY)
        today = [sign for sign in signs if sign.when is When.TODAY]
        notes = "".join(f"\n{sign.disagreement}" for sign in today if sign.disagreement)
        meanwhile = self._meanwhile(question, signs)
        sources = [*entry.sources, *(meanwhile.entry.sources if meanwhile else ())]
        reply = words.doctor.format(
            heading=words.doctor_today if today else words.doctor_soon,
            signs=self._labels(signs),
            notes=notes,
            at_once=words.at_once,
            meanwhile=self._meanwhile_line(meanwhile),
            not_a_doctor=words.not_a_doctor,
            sources=self.sources_line(list(dict.fromkeys(sorted(sources)))),
        )
        if meanwhile is not None and len(reply) > MAX_REPLY_CHARS:
            # Short enough for a phone: the doctor comes first, the self-care line goes.
            return self.doctor_advice(signs)
        return reply

    def _meanwhile(self, question: str, signs: Sequence[Sign] = ()) -> Match | None:
        """The self-care entry a doctor-level message also asks about ("I'm pregnant and it
        keeps spasming, what can I do?"), if it has a one-line summary; else the one its
        signs name (first aid for severe pain)."""
        match = self._index.search(question) if question else None
        if match and match.entry.nudge and match.entry.id not in (DOCTOR_ENTRY, RED_FLAGS_ENTRY):
            return match
        named = next((sign.meanwhile for sign in signs if sign.meanwhile), None)
        return Match(self._knowledge.get(named), 0.0) if question and named else None

    def check_question(self) -> str:
        """Ask the warning-sign question in a few words, when triage is not sure."""
        return self.words.check_question

    def _signs_answer(self, text: str, finding: Finding) -> Answer:
        """Answer a question about the warning signs, or about someone else's."""
        entry = self._knowledge.get(RED_FLAGS_ENTRY)
        reply = self.entry_text(entry)
        if finding.others:
            reply = f"{self.words.for_someone_else}\n\n{reply}"
        return Answer(text, reply, entry.sources, Level.NONE, True, entry.id)

    def sources_line(self, sources: Sequence[str]) -> str:
        """Name the documents behind an answer by their short names."""
        names = self.words.sources_joiner.join(self._knowledge.names(sources))
        return self.words.sources.format(names=names)

    def _entry_answer(self, text: str, entry: Entry, *, unsaid: str | None = None) -> Answer:
        reply = self.entry_text(entry, unsaid=unsaid)
        level = Level.DOCTOR if entry.see_doctor else Level.NONE
        return Answer(text, reply, entry.sources, level, True, entry.id)

    def entry_text(self, entry: Entry, *, unsaid: str | None = None) -> str:
        """Render an entry as a reply: title, body, a caution on treatments, its sources.
        Asked about something the documents never mention (`unsaid`), it says so first,
        in place of the title."""
        head = self.words.not_covered.format(thing=unsaid) if unsaid else entry.title
        caution = f"\n\n{self.words.caution}" if entry.category in TREATMENT_CATEGORIES else ""
        return f"{head}\n\n{entry.body}{caution}\n\n{self.sources_line(entry.sources)}"

    def stretches(self) -> list[Stretch]:
        """Return the stretches of the daily routine, in knowledge-base order."""
        return [
            Stretch(entry.title, entry.how or "", entry.dose or "", entry.sources, entry.id)
            for entry in self._knowledge.in_category("stretch")
        ]

    def posture_tips(self) -> list[str]:
        """Return short tips for the hourly posture nudge."""
        return list(self._knowledge.get(POSTURE_ENTRY).tips)

    def water_tips(self) -> list[str]:
        """Return short reasons to drink, for the water nudge (they take turns)."""
        return list(self._knowledge.get(HYDRATION_ENTRY).tips)

    def ice_safety(self) -> str:
        """Return the reminder shown when an ice session starts."""
        return self._nudge(ICE_SAFETY_ENTRY)

    def heat_safety(self) -> str:
        """Return the reminder shown when a heat session starts."""
        return self._nudge(HEAT_SAFETY_ENTRY)

    def stretch_caution(self) -> str:
        """Return the caution that goes with every stretch nudge."""
        return self._nudge(STRETCH_CAUTION_ENTRY)

    def flare_first_aid(self) -> str:
        """Return what to do in the first minutes of a spasm."""
        return self._nudge(FIRST_AID_ENTRY)

    def relief_positions(self) -> str:
        """Return the positions that ease a spasm."""
        return self._nudge(POSITIONS_ENTRY)

    def breathing(self) -> str:
        """Return the slow-breathing instruction."""
        return self._nudge(BREATHING_ENTRY)

    def gentle_walk(self) -> str:
        """Return the advice to take slow, short walks during a flare."""
        return self._nudge(WALK_ENTRY)

    def see_a_doctor(self) -> str:
        """Return why lasting or worsening pain needs a doctor."""
        return self._nudge(DOCTOR_ENTRY)

    def sources_of(self, *entry_ids: str) -> tuple[str, ...]:
        """Return the source files behind some entries, each once, in order."""
        found: dict[str, None] = {}
        for entry_id in entry_ids:
            found.update(dict.fromkeys(self._knowledge.get(entry_id).sources))
        return tuple(found)

    def not_a_doctor(self) -> str:
        """Return the reminder that the bot gives guidance, not diagnosis."""
        return self.words.not_a_doctor

    def _labels(self, signs: Sequence[Sign]) -> str:
        """Name the signs together: "a fever and numbness, tingling or loss of feeling"."""
        names = [sign.label for sign in signs]
        if len(names) == 1:
            return names[0]
        return self.words.signs_joined.format(some=", ".join(names[:-1]), last=names[-1])

    def _meanwhile_line(self, match: Match | None) -> str:
        """The self-care line under "see a doctor", without an opener it already has; first
        "my sources don't cover" when the question names something they never mention."""
        if match is None or match.entry.nudge is None:
            return ""
        # "Right now: …", "Positions that ease it: …": after "Meanwhile:" the opener goes.
        opener, colon, rest = match.entry.nudge.partition(": ")
        short = colon and len(opener) <= _OPENER and "." not in opener
        nudge = rest if short else match.entry.nudge
        unsaid = ""
        if match.unsaid:
            unsaid = self.words.not_covered.format(thing=match.unsaid) + " "
        advice = f"{nudge[0].upper()}{nudge[1:]}"
        return "\n\n" + self.words.meanwhile.format(unsaid=unsaid, advice=advice)

    def _with_examples(self, template: str) -> str:
        """Fill in a reply's example questions, one a line."""
        examples = "\n".join(f"- {question}" for question in self.words.example_questions[:3])
        return template.format(examples=examples)

    def _nudge(self, entry_id: str) -> str:
        return self._knowledge.get(entry_id).nudge or ""


def _cut(question: str) -> str:
    return question.strip()[:MAX_QUESTION_CHARS]


# A message about the person's own back: a back word, and nobody else's ("his back").
_BACK = word_set(
    """
    back backs spine spinal spasm spasms spasming spasmed sciatica lumbar disc discs hip hips
    pain painful hurts hurt hurting ache aches aching achy sore stiff stiffness cramp cramps
    cramping twinge twinges seized locked pulled tweaked flare flared flaring neck shoulder
    """
)
_SOMEONE_ELSE = word_set("he she his her hers him they their them hes shes")


def about_own_back(text: str) -> bool:
    """Tell whether a message speaks of the person's own back or its pain, not another's."""
    words = set(tokens(text))
    return bool(words & _BACK) and not words & _SOMEONE_ELSE


def _check_nudge_entries(knowledge: KnowledgeBase) -> None:
    """Fail at start-up, naming the entry, if a text the nudges rely on is missing."""
    needs = {
        RED_FLAGS_ENTRY: None,
        ICE_SAFETY_ENTRY: "nudge",
        HEAT_SAFETY_ENTRY: "nudge",
        STRETCH_CAUTION_ENTRY: "nudge",
        POSTURE_ENTRY: "tips",
        HYDRATION_ENTRY: "tips",
        FIRST_AID_ENTRY: "nudge",
        POSITIONS_ENTRY: "nudge",
        BREATHING_ENTRY: "nudge",
        WALK_ENTRY: "nudge",
        DOCTOR_ENTRY: "nudge",
    }
    for entry_id, field in needs.items():
        try:
            entry = knowledge.get(entry_id)
        except KeyError:
            raise KnowledgeBaseError(
                f"{knowledge.directory}: an entry with id {entry_id!r} is required"
            ) from None
        if field is not None and not getattr(entry, field):
            name = entry.path.name if entry.path else entry_id
            raise KnowledgeBaseError(f"{name}: {field!r} is required in the front matter")
    if not knowledge.in_category("stretch"):
        raise KnowledgeBaseError(
            f"{knowledge.directory}: at least one entry with category 'stretch' is required"
        )
