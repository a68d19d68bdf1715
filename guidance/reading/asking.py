"""Tell whether a reply asks something: "is a 7 bad?", "ice for how long", "any tips".

A sentence that opens with a question word and ends with "?", or opens as only a question
does ("whats the difference", "how cold"), or asks in other words ("not sure if ice or heat
is better"). `guidance.reading.replies` reads a reply's answer and its question apart. Pure.
"""

from __future__ import annotations

import re

from guidance.reading.reply_words import plain

# A sentence that asks: a question word first (after a filler), with a "?" or an opening
# that only a question has ("whats the difference", "how long do i").
_QUESTION_WORD = re.compile(
    r"^(?:(?:wait|ok|so|hmm+|um+|and|but|sorry|oh|also|btw)\W+)?"
    r"(?:how|what|whats|why|when|where|which|who|is|are|can|could|should|shall|would|do|does|"
    r"am|will)\b"
)
_ONLY_A_QUESTION = re.compile(
    r"^(?:(?:wait|ok|so|hmm+|um+)\W+)?(?:what(?:s| s| is| are| does| if| about)|how (?:do|does|"
    r"long|much|many|often|bad|cold|hot|warm|far|come)|why|which (?:is|one|ones|do|should)|"
    r"should i|can i|do i|is (?:it|that|this)|does (?:it|that)|"
    r"(?:where|when) (?:do|does|should|can|is|would))\b"
)
# A question asked at the end, after what it is about: "ice for how long", "which side".
_ASKED_LAST = re.compile(
    r"(?:^|\s)(?:for )?(?:how long|how often|how many times|what for)\W*(?:tho|though)?\W*$"
    r"|^which (?:side|one|way|bit|part)\W*$"
)
# Asking in other words: "not sure if ice or heat is better", "any tips", "tell me more".
_ASKS_AROUND = re.compile(
    r"(?:wondering|not sure|unsure|dont know|dunno|idk) (?:which|how|what|where)\b"
    r"|(?:wondering|not sure|unsure|dont know|dunno|idk) (?:if|whether)\b.*\b(?:better|worse|ok|"
    r"okay|safe|right|should|instead|or)\b"
    r"|^(?:how|why|what|when|where|which)\W*$|^(?:and |so )?(?:then what|what then|what next)\b"
    r"|^(?:any (?:tips|advice|ideas|suggestions)|tell me (?:more|why|how)|explain\w*)\b"
    r"|^(?:ice|heat)(?: \w+)? instead\b"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|[^\w\s,'’?.!:/+\-]+")


def sentences(text: str) -> list[str]:
    """The reply's sentences; an emoji ends one too ("on 😬 is my skin ok?")."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def asks(text: str) -> bool:
    """Tell whether a reply asks something: a sentence that opens with a question word and
    ends with "?", or opens as only a question does."""
    for part in sentences(text):
        words = plain(part).replace("'", "").replace("’", "")
        clauses = [clause.strip() for clause in words.split(",")]
        if part.rstrip().endswith("?") and any(_QUESTION_WORD.match(c) for c in clauses):
            return True
        if _ONLY_A_QUESTION.match(words) or _ASKED_LAST.search(words):
            return True
        if _ASKS_AROUND.search(words):
            return True
    return False
