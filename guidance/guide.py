"""The bot's guide: answers questions and supplies nudge texts from the knowledge base."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from guidance.knowledge_base import Entry, KnowledgeBase, KnowledgeBaseError
from guidance.retrieval import SearchIndex
from guidance.triage import NOT_A_DOCTOR, RED_FLAGS, RedFlag, Triage, urgent_answer

# Longer questions are cut, not refused: the start of a message says what it is about.
MAX_QUESTION_CHARS = 500

EXAMPLE_QUESTIONS: tuple[str, ...] = (
    "How long should I keep ice on my back?",
    "Is heat or ice better for a back spasm?",
    "How do I do the hamstring stretch?",
    "What should I do during a spasm?",
    "How much water should I drink?",
    "When should I see a doctor?",
)

RED_FLAGS_ENTRY = "red-flags"
ICE_SAFETY_ENTRY = "ice-safety"
HEAT_SAFETY_ENTRY = "heat-safety"
STRETCH_CAUTION_ENTRY = "stretch-caution"
POSTURE_ENTRY = "posture-breaks"
FIRST_AID_ENTRY = "during-a-spasm"
POSITIONS_ENTRY = "positions-for-relief"
BREATHING_ENTRY = "breathing"
WALK_ENTRY = "rest-and-movement"
DOCTOR_ENTRY = "when-to-see-doctor"


@dataclass(frozen=True)
class Answer:
    """The reply to one question, with where it came from."""

    question: str
    answer: str
    sources: tuple[str, ...]
    urgent: bool
    matched: bool
    entry_id: str | None


@dataclass(frozen=True)
class Stretch:
    """One stretch for the daily stretch nudge."""

    name: str
    how: str
    dose: str
    sources: tuple[str, ...]


class Guide:
    """Answer back-spasm questions and hand out nudge texts, all from one knowledge base."""

    def __init__(self, knowledge: KnowledgeBase, index: SearchIndex) -> None:
        _check_nudge_entries(knowledge)
        self._knowledge = knowledge
        self._index = index
        self._triage = Triage(known_words=index.known_words)

    @classmethod
    def load(cls, directory: Path | None = None) -> Guide:
        """Load the knowledge base (the packaged one by default) and build its search index."""
        knowledge = KnowledgeBase.load(directory)
        return cls(knowledge, SearchIndex.build(knowledge.entries))

    @property
    def knowledge(self) -> KnowledgeBase:
        """Return the knowledge base the guide answers from."""
        return self._knowledge

    @property
    def knowledge_words(self) -> frozenset[str]:
        """Return the words the guide takes as correctly spelt."""
        return self._index.known_words

    def red_flags(self, question: str) -> list[RedFlag]:
        """Return the red flags a question describes, reading it as `answer` does."""
        return self._triage.check(_cut(question))

    def answer(self, question: str) -> Answer:
        """Answer a question: red flags first, then the best entry, else an honest decline."""
        text = _cut(question)
        flags = self._triage.check(text)
        if flags:
            warning = self._knowledge.get(RED_FLAGS_ENTRY)
            reply = urgent_answer(flags, warning_signs=warning.body, sources=warning.sources)
            return Answer(text, reply, warning.sources, True, True, warning.id)
        match = self._index.search(text)
        if match is None:
            return Answer(text, decline_text(), (), False, False, None)
        entry = match.entry
        return Answer(text, entry_text(entry), entry.sources, False, True, entry.id)

    def stretches(self) -> list[Stretch]:
        """Return the stretches of the daily routine, in knowledge-base order."""
        return [
            Stretch(entry.title, entry.how or "", entry.dose or "", entry.sources)
            for entry in self._knowledge.in_category("stretch")
        ]

    def posture_tips(self) -> list[str]:
        """Return short tips for the hourly posture nudge."""
        return list(self._knowledge.get(POSTURE_ENTRY).tips)

    def ice_safety(self) -> str:
        """Return the reminder shown when an ice session starts."""
        return self._nudge(ICE_SAFETY_ENTRY)

    def heat_safety(self) -> str:
        """Return the reminder shown when a heat session starts."""
        return self._nudge(HEAT_SAFETY_ENTRY)

    def stretch_caution(self) -> str:
        """Return the caution that goes with every stretch nudge."""
        return self._nudge(STRETCH_CAUTION_ENTRY)

    def urgent_advice(self, *keys: str) -> str:
        """Return the urgent "get medical help now" reply for the named red flags."""
        flags = [flag for flag in RED_FLAGS if flag.key in keys]
        if not flags:
            raise ValueError(f"no red flags called {keys}")
        warning = self._knowledge.get(RED_FLAGS_ENTRY)
        return urgent_answer(flags, warning_signs=warning.body, sources=warning.sources)

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
        return NOT_A_DOCTOR

    def _nudge(self, entry_id: str) -> str:
        return self._knowledge.get(entry_id).nudge or ""


def _cut(question: str) -> str:
    return question.strip()[:MAX_QUESTION_CHARS]


def entry_text(entry: Entry) -> str:
    """Render an entry as a reply: title, body, and a final line naming its sources."""
    return f"{entry.title}\n\n{entry.body}\n\nSources: {', '.join(entry.sources)}"


def decline_text() -> str:
    """Write the reply for a question the knowledge base does not cover."""
    examples = "\n".join(f"- {question}" for question in EXAMPLE_QUESTIONS[:3])
    return (
        "Sorry, I only have guidance on back spasm care, so I can't answer that. "
        f"You could ask me:\n{examples}"
    )


def _check_nudge_entries(knowledge: KnowledgeBase) -> None:
    """Fail at start-up, naming the entry, if a text the nudges rely on is missing."""
    needs = {
        RED_FLAGS_ENTRY: None,
        ICE_SAFETY_ENTRY: "nudge",
        HEAT_SAFETY_ENTRY: "nudge",
        STRETCH_CAUTION_ENTRY: "nudge",
        POSTURE_ENTRY: "tips",
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
