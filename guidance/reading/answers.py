"""Answers in words to the bot's own questions, and what people say after "get help now".

"yeah", "nope none of those", "not sure": the warning-sign question answered without its
buttons. "is that bad?", "my wife is driving me to A&E", "been seen, it's muscular": what
follows an urgent answer. Pure: words in, one value out; the phrases live in answers.toml.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from rapidfuzz.distance import OSA

from guidance.reading.foreign import english_words
from guidance.reading.triage.concepts import compile_phrases, expand
from guidance.reading.triage.words import real_words

ANSWERS = Path(__file__).parent / "answers.toml"
# An answer is short: longer messages are read for what they say, not as a yes or no
# (unless they open with one and a stop: "no, none of those. my back is just stiff").
ANSWER_WORDS = 16
# A message after "get help now" is read as a follow-up only while it is about that.
FOLLOW_UP_WORDS = 30
# Emoji people answer with, as the word they stand for: a grimace is a hedge ("hmm": not
# sure, alone), an eye-roll or an upside-down smile says the words before it were not meant.
_EMOJI = {
    "✅": " yes ",
    "✔": " yes ",
    "☑": " yes ",
    "❌": " no ",
    "✖": " no ",
    "👎": " no ",
    "👍": " yes ",
    "👌": " yes ",
    "🙋": " yes ",
    "🙅": " no ",
    "🚫": " no ",
    "🤷": " not sure ",
    "🤔": " not sure ",
    "😬": " hmm ",
    "😕": " hmm ",
    "🫤": " hmm ",
    "😟": " hmm ",
    "🙄": " jk ",
    "🙃": " jk ",
}
# What ends a short answer of its own ("no, none of those. my back is just stiff").
_STOPS = (".", ",", "!", ";", ":")
# A slip in an answer word is read as the word from this many letters ("nonw": none).
_TYPO_FROM = 4


class Said(StrEnum):
    """A typed answer to a yes-or-no question."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


class AfterUrgent(StrEnum):
    """What someone says after being told to get medical help now."""

    WORRY = "worry"  # "is that bad?": the get-help line again
    GOING = "going"  # on their way: good, and the hold stays until seen
    SEEN = "seen"  # a doctor has seen them: care resumes


@dataclass(frozen=True, slots=True)
class _Phrases:
    fillers: re.Pattern[str]  # one word that is no answer of its own
    compound: tuple[tuple[Said, re.Pattern[str]], ...]
    said: tuple[tuple[Said, re.Pattern[str]], ...]
    anywhere: tuple[tuple[Said, re.Pattern[str]], ...]
    asks: frozenset[str]  # the words a question opens with
    pain: re.Pattern[str]  # a clause that tells ordinary back pain
    cue: re.Pattern[str]  # what shows it is the ordinary pain
    ordinary: re.Pattern[str]  # a clause that tells it, or says it lightly
    severe: re.Pattern[str]
    sarcasm: re.Pattern[str]
    marks: re.Pattern[str]  # sarcasm, or a correction
    typos: tuple[str, ...]
    signs: re.Pattern[str]  # a sign of the question, named
    denied: re.Pattern[str]  # what, just before a named sign, denies it
    fine_after: re.Pattern[str]  # what, just after a named sign, says it is fine
    over: re.Pattern[str]  # a sign said to be over now
    others_before: re.Pattern[str]  # what, just before a named sign, makes it another's
    others_after: re.Pattern[str]  # what, just after a named sign, makes it another's
    past: re.Pattern[str]
    now: re.Pattern[str]
    after: tuple[tuple[AfterUrgent, re.Pattern[str]], ...]
    refusal: re.Pattern[str]  # not going
    barrier: re.Pattern[str]  # can't get there
    later: re.Pattern[str]  # going, but not now
    not_yet: re.Pattern[str]  # before a seen phrase: not seen yet
    sent_on: re.Pattern[str]  # after a seen phrase: told to go on somewhere


@cache
def _phrases(path: Path = ANSWERS) -> _Phrases:
    with path.open("rb") as file:
        data = tomllib.load(file)
    groups: dict[str, str] = data["groups"]

    def words(phrases: list[str] | str) -> re.Pattern[str]:
        return compile_phrases([phrases] if isinstance(phrases, str) else phrases, groups)

    def opening(phrases: list[str]) -> re.Pattern[str]:
        return re.compile(rf"^(?:{words(phrases).pattern})")

    def plain(pattern: str) -> re.Pattern[str]:
        return re.compile(expand(pattern, groups))

    signs, urgent = data["signs"], data["after_urgent"]
    return _Phrases(
        fillers=re.compile(data["fillers"]["words"]),
        compound=tuple(
            (kind, opening(data["compound"][kind.value])) for kind in (Said.YES, Said.NO)
        ),
        said=tuple(
            (kind, opening(data[kind.value]["phrases"]))
            for kind in (Said.UNSURE, Said.NO, Said.YES)
        ),
        anywhere=tuple(
            (kind, words(data[kind.value]["anywhere"])) for kind in (Said.NO, Said.UNSURE)
        ),
        asks=frozenset(data["unsure"]["asks"]),
        pain=words(data["yes"]["ordinary"][0]),
        cue=words(data["yes"]["cue"]),
        ordinary=words(data["yes"]["ordinary"]),
        severe=words(data["yes"]["severe"]),
        sarcasm=words(data["sarcasm"]["phrases"]),
        marks=words([*data["sarcasm"]["phrases"], *data["sarcasm"]["correction"]]),
        typos=tuple(data["typos"]["words"]),
        signs=words(signs["named"]),
        denied=re.compile(signs["denied"]),
        fine_after=re.compile(signs["fine_after"]),
        over=words(signs["over"]),
        others_before=plain(signs["others_before"]),
        others_after=plain(signs["others_after"]),
        past=words(signs["past"]),
        now=words(signs["now"]),
        after=tuple(
            (kind, words(urgent[kind.value]["phrases"]))
            for kind in (AfterUrgent.SEEN, AfterUrgent.GOING, AfterUrgent.WORRY)
        ),
        refusal=words(urgent["worry"]["refusal"]),
        barrier=words(urgent["worry"]["barrier"]),
        later=words(urgent["worry"]["later"]),
        not_yet=plain(urgent["seen"]["not_yet"]),
        sent_on=plain(urgent["seen"]["sent_on"]),
    )


# A short answer that names signs only to deny them is a no ("never had numbness").
_DENIED_WORDS = 6


def _names_a_sign(text: str, phrases: _Phrases, *, after_no: bool = False) -> bool:
    """Tell whether an answer names a sign of the question as the person's own now: not
    denied ("no numbness or anything"), and, after a no, not someone else's ("nah the
    fever's my husband") nor long past ("had the tingles last year, long gone")."""
    now = phrases.now.search(text) is not None
    if after_no and not now and phrases.past.search(text):
        return False
    for match in phrases.signs.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        if phrases.denied.search(before) or phrases.fine_after.search(after):
            continue
        theirs = phrases.others_before.search(before) or phrases.others_after.search(after)
        if after_no and not now and theirs:
            continue
        return True
    return False


def _only_ordinary(rest: str, phrases: _Phrases) -> bool:
    """Tell whether what follows a yes only tells ordinary back pain ("my back hurts lol",
    "it kills when I bend, otherwise ok"): then the yes was to the pain, not to a sign."""
    clauses = [clause.strip() for clause in re.split(r"[.,;:!?]", rest) if clause.strip()]
    return (
        any(phrases.pain.fullmatch(clause) for clause in clauses)
        and phrases.cue.search(rest) is not None
        and not phrases.severe.search(rest)
        and not phrases.signs.search(rest)
        and all(phrases.ordinary.fullmatch(clause) for clause in clauses)
    )


@cache
def _real_words() -> frozenset[str]:
    return english_words() | real_words()


def _unslipped(word: str, phrases: _Phrases) -> str:
    """Read a slip in an answer word as the word ("nonw": none); a real word stays."""
    if len(word) < _TYPO_FROM or not word.isalpha() or word in _real_words():
        return word
    near = [known for known in phrases.typos if OSA.distance(word, known) == 1]
    return near[0] if len(near) == 1 else word


def with_emoji_as_words(text: str) -> str:
    """Write the emoji people answer with as words ("✅" is yes)."""
    for emoji, word in _EMOJI.items():
        text = text.replace(emoji, word)
    return text


def said(words: Sequence[str]) -> Said | None:
    """Read a yes, a no or an "I'm not sure" in a short typed answer; None if it is none."""
    phrases = _phrases()
    while words and words[0] in _STOPS:
        words = words[1:]  # ", yes" after "no wait"
    text = " ".join(words)
    short = sum(word.isalnum() for word in words) <= ANSWER_WORDS
    marks = list(phrases.marks.finditer(text)) if short else []
    if marks:
        # "yes I'm dying 🙄 no, none of that", "no wait, yes": what follows is meant.
        meant = said(text[marks[-1].end() :].split())
        if meant is not None:
            return meant
        before = said(text[: marks[-1].start()].split())
        if phrases.sarcasm.fullmatch(marks[-1][0]):
            # A yes or a no said only in jest may be either: ask again.
            return Said.UNSURE if before is not None else None
        return before  # "yes actually"
    # "lol no im fine", "ngl I haven't checked": a filler before the answer is not the answer
    # ("uh huh" and "hmm not sure" are answers as they stand).
    while len(words) > 1 and phrases.fillers.fullmatch(words[0]) and not _opens(text, phrases):
        words = words[1:]
        text = " ".join(words)
    found = _read(text, phrases) if text else None
    if found is None and words:
        # "nonw of them": a slip in the answer word is read as the word.
        slips = [_unslipped(word, phrases) if at < 2 else word for at, word in enumerate(words)]
        found = _read(" ".join(slips), phrases) if slips != list(words) else None
    return found


def _opens(text: str, phrases: _Phrases) -> bool:
    """Tell whether an answer opens with a yes, a no or a "not sure" of its own."""
    openings = (*phrases.compound, *phrases.said)
    return any(pattern.match(text) for _, pattern in openings)


def _read(text: str, phrases: _Phrases) -> Said | None:
    """Read an answer, its fillers and slips dealt with."""
    count = len([word for word in text.split() if word.isalnum()])
    for kind, pattern in phrases.compound:
        if pattern.match(text):
            return kind  # "nah yeah" is a yes, "yeah nah" a no
    found: list[Said] = []
    rest = ""
    for kind, pattern in phrases.said:
        match = pattern.match(text)
        if match is None:
            continue
        after = text[match.end() :].strip()
        if count <= ANSWER_WORDS or after[:1] in _STOPS:
            found.append(kind)
            rest = after if kind is Said.YES else rest
    only_no = Said.NO in found and Said.YES not in found
    # "had some tingling last winter but nothing now": a past sign, said to be over, is none.
    over = not found and phrases.over.search(text) is not None
    if (
        count <= ANSWER_WORDS
        and Said.UNSURE not in found
        and _names_a_sign(text, phrases, after_no=only_no or over)
    ):
        # "only the tingling", "no, just the numbness": a yes, and a yes is never read as a
        # no. Asked about ("how would I know if I have a fever?"): not sure. Unsure stays
        # unsure ("does tingling count?", "a bit of tingling sometimes").
        return Said.UNSURE if text.split()[0] in phrases.asks else Said.YES
    if not found and count <= FOLLOW_UP_WORDS:
        for kind, pattern in phrases.anywhere:
            if (count <= ANSWER_WORDS or kind is Said.UNSURE) and pattern.search(text):
                return kind  # "I can confirm none of those apply to me"
    if not found and phrases.signs.search(text):
        # "never had numbness", "all fine down there": signs named only to deny them, or
        # said to be over, in a few words, are a no (a sign told wins before all this).
        return Said.NO if over or count <= _DENIED_WORDS else None
    if not found:
        return None
    if Said.YES in found and Said.NO in found:
        return Said.UNSURE  # "yes, no actually I'm not sure"
    if found == [Said.YES] and _only_ordinary(rest, phrases):
        # "yes my back hurts lol": most likely a yes to the pain, not to a sign; but a yes is
        # never read as a no (issue 23), so the question is asked again with its buttons.
        return Said.UNSURE
    return found[0]


def after_urgent(words: Sequence[str]) -> AfterUrgent | None:
    """Read what someone says after being told to get help: worried, going, or seen.

    Seen only when nothing around it says not yet ("still waiting to see a doctor", "they
    said to go to A&E": on the way). Not going, not able to get there or going only later
    is worry: the advice again ("I'm not going", "no one can take me", "I'll go tomorrow")."""
    if not words or len(words) > FOLLOW_UP_WORDS:
        return None
    text = " ".join(words)
    phrases = _phrases()
    (_, seen), (_, going), (_, worry) = phrases.after
    not_yet = False
    for match in seen.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        if phrases.not_yet.search(before) or phrases.sent_on.search(after):
            not_yet = True
        else:
            return AfterUrgent.SEEN
    if phrases.refusal.search(text) or phrases.barrier.search(text):
        return AfterUrgent.WORRY  # "I'm not going", "no one can take me"
    if words[0] in phrases.asks and worry.search(text):
        return AfterUrgent.WORRY  # "do I really need to go tonight?"
    if not_yet or going.search(text):
        # "I'll go tomorrow", "got a GP appointment Monday": the advice again.
        return AfterUrgent.WORRY if phrases.later.search(text) else AfterUrgent.GOING
    if worry.search(text):
        return AfterUrgent.WORRY
    return None
