"""Find the knowledge entry that answers a question: BM25 over stemmed, typo-repaired words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import Stemmer

from guidance.knowledge.knowledge_base import Entry, unsaid_name
from guidance.reading.foreign import english_words
from guidance.reading.language import EVERYDAY_WORDS, STOPWORDS, Speller, word_set, words
from guidance.reading.synonyms import expand, phrase_words, synonym_terms

# Titles and keywords say what an entry is about; the body also says much else. They are
# indexed as a separate "head" field whose score counts this many times the body's.
HEAD_WEIGHT = 2.0
TITLE_WEIGHT = 1
# BM25 term saturation and length normalisation: the textbook values.
K1 = 1.2
B = 0.75
# Below this BM25 score the best entry is a guess, and a guess is worse than "I don't know".
MIN_SCORE = 0.3
# A question made only of everyday words the guidance uses must match an entry this well.
MIN_UNANCHORED_SCORE = 3.0
# At least this share of a question's words must be words the knowledge base uses.
MIN_COVERAGE = 0.5
# A corrected word this long is a confident fix and may show what the question is about.
TRUSTED_CORRECTION_LENGTH = 6
# How much an everyday word counts towards a match, next to a word about back care.
GENERIC_TERM_WEIGHT = 0.4
# How much an everyday word counts towards a question's coverage.
GENERIC_COVERAGE = 0.5
# How much a common English word the guidance never uses counts ("shift", "house").
PLAIN_COVERAGE = 0.3
# A word in the titles or keywords of at most this many entries, and in their answers, is
# specific ("menthol", "hamstring"): a question that uses one is about back care even among
# many other words.
SPECIFIC_IN_AT_MOST = 2
SPECIFIC_AND_MORE = 2
# An entry named by a specific word is chosen over a better-scoring one at this share of
# its score or more.
NAMED_SHARE = 0.7
# Words too general to show that a question is about back care at all.
GENERIC_WORDS = word_set(
    """
    long often many time times day days week weeks month months year years minute minutes hour
    hours second seconds after before first right now soon start ask say tell feel feels like
    much way work play make fix stop again future lot lots last night leg legs help helps
    go going come coming down over under keep find both four ten x ray term red set run running
    every mean not without away stay hard lower reason live living see happen option options
    direct different difference enough problem test home care visit choose touch flag glance
    turn fall fit strong calm weight safe better best wake morning today tonight yesterday
    leave leaving left bit
    """
)
# Words nearly every question uses, because every question is about a back spasm: they
# show a question is ours, but say little about which entry answers it, and count as
# much as an everyday word when ranking.
TOPIC_WORDS = word_set("back spasm spasms")
# A question asking what to do about a spasm now: first aid, whatever else it names.
WHAT_NOW = (
    "what do i do now",
    "what should i do now",
    "what do i do",
    "what should i do",
    "what now",
    "now what",
    "anything i can do",
    "what can i do",
    "what helps",
    "what do i do right now",
)
# What the synonyms make of a spasm happening now ("it hit ten minutes ago").
NOW_WORDS = ("during", "attack")
# Words that make a message a question.
QUESTION_WORDS = word_set(
    "what whats how why when where which who can could should is are do does will would"
)


@dataclass(frozen=True, slots=True)
class Match:
    """An entry chosen for a question, with its BM25 score."""

    entry: Entry
    score: float
    # The thing the question names that the documents never mention, as the entry lists it.
    unsaid: str | None = None


class SearchIndex:
    """A BM25 index over the knowledge entries, tolerant of plain words and typos."""

    def __init__(
        self,
        entries: Sequence[Entry],
        *,
        head: Any,
        body: Any,
        speller: Speller,
        stemmer: Any,
        vocabulary: frozenset[str],
        anchors: frozenset[str],
        generic: frozenset[str],
        topic: frozenset[str],
        specific: dict[str, frozenset[int]],
        said: tuple[frozenset[str], ...],
        unsaid: dict[tuple[str, ...], tuple[int, str]],
    ) -> None:
        self._entries = tuple(entries)
        self._head = head
        self._body = body
        self._speller = speller
        self._stemmer = stemmer
        self._vocabulary = vocabulary
        self._anchors = anchors
        self._generic = generic
        self._light = generic | topic
        self._now = frozenset(_stems(stemmer, list(NOW_WORDS)))
        self._specific = specific
        self._said = said
        self._unsaid = unsaid
        self._longest_unsaid = max((len(phrase) for phrase in unsaid), default=0)

    @classmethod
    def build(cls, entries: Sequence[Entry]) -> SearchIndex:
        """Tokenise, stem and index the entries."""
        # Imported here so that importing `guidance` stays cheap (bm25s pulls in numpy).
        import bm25s

        stemmer = Stemmer.Stemmer("english")
        heads: list[list[str]] = []
        bodies: list[list[str]] = []
        surface: list[str] = []
        anchors: set[str] = set()
        heads_of: dict[str, set[int]] = {}
        said_in: list[frozenset[str]] = []
        unsaid: dict[tuple[str, ...], tuple[int, str]] = {}
        for number, entry in enumerate(entries):
            for item in entry.uncovered:
                phrase, shown = unsaid_name(item)
                surface.extend(words(phrase))
                unsaid[tuple(stemmer.stemWords(words(phrase)))] = (number, shown)
            title = words(entry.title)
            keywords = [word for keyword in entry.keywords for word in words(keyword)]
            body = words(entry.body)
            surface.extend([*title, *keywords, *body])
            heads.append(_stems(stemmer, [*title * TITLE_WEIGHT, *keywords]))
            bodies.append(_stems(stemmer, body))
            anchors.update(_stems(stemmer, [*title, *keywords]))
            said = set(_stems(stemmer, body))
            said_in.append(frozenset(said.union(_stems(stemmer, [*title, *keywords]))))
            for stem in _stems(stemmer, [*title, *keywords]):
                if stem in said:  # named in its keywords and spoken of in its answer
                    heads_of.setdefault(stem, set()).add(number)
        generic = frozenset(_stems(stemmer, sorted(GENERIC_WORDS)))
        topic = frozenset(_stems(stemmer, sorted(TOPIC_WORDS)))
        anchors.difference_update(generic)
        synonym_words = phrase_words()
        vocabulary = {stem for document in [*heads, *bodies] for stem in document}
        vocabulary.update(_stems(stemmer, sorted(synonym_terms())))
        head_index = bm25s.BM25(k1=K1, b=B)
        head_index.index(heads, show_progress=False)
        body_index = bm25s.BM25(k1=K1, b=B)
        body_index.index(bodies, show_progress=False)
        return cls(
            entries,
            head=head_index,
            body=body_index,
            speller=Speller(surface, also_known=synonym_words),
            stemmer=stemmer,
            vocabulary=frozenset(vocabulary),
            anchors=frozenset(anchors),
            generic=generic,
            topic=topic,
            specific={
                stem: frozenset(found)
                for stem, found in heads_of.items()
                if len(found) <= SPECIFIC_IN_AT_MOST and stem not in generic
            },
            said=tuple(said_in),
            unsaid=unsaid,
        )

    @property
    def known_words(self) -> frozenset[str]:
        """Return the words the index takes as correctly spelt."""
        return self._speller.known

    def read(self, question: str) -> Reading:
        """Analyse a question: its search terms and how strongly it is about back care."""
        original = words(question)
        # A common English word is spelt as meant: "thinking" is not a slip for "drinking".
        english = english_words()
        corrected = [word if word in english else self._speller.correct(word) for word in original]
        expanded = expand(corrected)
        terms = _stems(self._stemmer, expanded)
        content = set(terms)
        # Everyday words the guidance happens to use ("night", "last") are only half evidence;
        # so are common English words it doesn't ("shift", "house"): a person's own words,
        # not a sign the question is about something else.
        # (only beside a word that says what about the back: "back's a bit meh" says nothing)
        topical = content & self._vocabulary - self._light
        plain = set(
            _stems(
                self._stemmer,
                [word for word in corrected if word in english and word not in EVERYDAY_WORDS],
            )
            if topical
            else ()
        )
        known = sum(
            PLAIN_COVERAGE
            if stem not in self._vocabulary
            else GENERIC_COVERAGE
            if stem in self._generic
            else 1.0
            for stem in content
            if stem in self._vocabulary or stem in plain
        )
        # A guessed correction of a short word ("reset" -> "rest") must not decide the topic.
        trusted = [
            fixed if word == fixed or len(word) >= TRUSTED_CORRECTION_LENGTH else "?"
            for word, fixed in zip(original, corrected, strict=True)
        ]
        trusted_stems = _stems(self._stemmer, expand(trusted))
        named = self._anchors.intersection(trusted_stems)
        # "back" or "spasm" with everyday words only, in a statement, asks nothing ("back's a
        # bit meh today"); a question ("what's a back spasm?") or a word of the guidance does.
        asks = "?" in question or bool(QUESTION_WORDS.intersection(original))
        anchored = bool(named - self._light) or bool(named and (topical or asks))
        specific = frozenset(
            number for stem in trusted_stems for number in self._specific.get(stem, ())
        )
        said = f" {' '.join(original)} "
        return Reading(
            asks_now=any(f" {phrase} " in said for phrase in WHAT_NOW),
            now=f" {' '.join(NOW_WORDS)} " in f" {' '.join(expanded)} ",
            unsaid=self._find_unsaid(corrected),
            terms=tuple(terms),
            coverage=known / len(content) if content else 0.0,
            anchored=anchored,
            about_back=bool(named),
            all_known=bool(content) and content <= self._vocabulary,
            specific=specific,
        )

    def own_words(self, reading: Reading, entry: Entry) -> frozenset[str]:
        """Return the words of a question that an entry's title or keywords name, beyond
        the everyday and topic words and those saying a spasm is happening now."""
        head = _stems(self._stemmer, [*words(entry.title), *words(" ".join(entry.keywords))])
        return frozenset(head).intersection(reading.terms) - self._light - self._now

    def rank(self, question: str, *, limit: int = 3) -> list[Match]:
        """Return the best-scoring entries for a question, best first, whatever their score."""
        return self._rank(self.read(question).terms, limit=limit)

    def search(self, question: str) -> Match | None:
        """Return the entry that answers a question, or None when nothing answers it well."""
        reading = self.read(question)
        if reading.unsaid is not None and reading.about_back and not reading.asks_now:
            # It names something the documents never mention: the entry that says so (not
            # when it asks what to do now: "it went while I was swimming, what do I do now").
            number, thing = reading.unsaid
            home = self._entries[number]
            who = [self._entries[i] for i in sorted(reading.specific) if self._entries[i].context]
            if who and home.category != "doctor":
                home = who[0]  # "is a hot tub ok when I'm pregnant": the pregnancy entry
            ranked = self._rank(reading.terms, limit=len(self._entries))
            score = next((match.score for match in ranked if match.entry is home), 0.0)
            return Match(home, max(score, MIN_SCORE), unsaid=thing)
        best = self._rank(reading.terms, limit=1)
        if not best:
            return None
        best = [self._named_entry(reading, best[0])]
        if reading.anchored:
            # Enough of the question is ours, or it names something only its answer has.
            ours = reading.coverage >= MIN_COVERAGE or self._names_it(reading, best[0])
            sure = ours and best[0].score >= MIN_SCORE
        else:
            # Only everyday words: answer only if all of them are ours and they match strongly.
            sure = reading.all_known and best[0].score >= MIN_UNANCHORED_SCORE
        return best[0] if sure else None

    def _named_entry(self, reading: Reading, best: Match) -> Match:
        """Prefer the entry a question names by a word only it has, in its keywords and its
        answer ("does acupuncture work for back spasms": the entry on acupuncture, not the one
        on back spasms), when it scores at least `NAMED_SHARE` of the best."""
        if not reading.specific or self._entries.index(best.entry) in reading.specific:
            return best
        rare = [
            stem
            for stem in set(reading.terms)
            if stem in self._specific
            and sum(stem in said for said in self._said) <= SPECIFIC_IN_AT_MOST
        ]
        if not rare:
            return best  # "cramp" is named by one entry's keywords but said in many answers
        named = [
            match
            for match in self._rank(reading.terms, limit=len(self._entries))
            if self._entries.index(match.entry) in reading.specific
        ]
        if named and named[0].score >= NAMED_SHARE * best.score:
            return named[0]
        return best

    def _find_unsaid(self, tokens: Sequence[str]) -> tuple[int, str] | None:
        """Find the longest phrase of a question that names something the documents never
        mention ("gabapentin", "dry needling"), matched word by word on stems."""
        stems = list(self._stemmer.stemWords(list(tokens)))
        for size in range(min(self._longest_unsaid, len(stems)), 0, -1):
            for start in range(len(stems) - size + 1):
                found = self._unsaid.get(tuple(stems[start : start + size]))
                if found is not None:
                    return found
        return None

    def _names_it(self, reading: Reading, match: Match) -> bool:
        """Tell whether a question names something specific to the entry and says one more
        of its words ("menthol gels": yes; "the football game last night": no)."""
        number = self._entries.index(match.entry)
        shared = set(reading.terms) & self._said[number] - self._generic
        return number in reading.specific and len(shared) >= SPECIFIC_AND_MORE

    def _rank(self, terms: Sequence[str], *, limit: int) -> list[Match]:
        if not terms:
            return []
        # Score term by term so that everyday words ("day", "work") count for less.
        scores: Any = 0.0
        for term, count in Counter(terms).items():
            weight = count * (GENERIC_TERM_WEIGHT if term in self._light else 1.0)
            head, body = self._head.get_scores([term]), self._body.get_scores([term])
            scores = scores + weight * (HEAD_WEIGHT * head + body)
        order = sorted(range(len(self._entries)), key=lambda i: -float(scores[i]))[:limit]
        return [Match(self._entries[i], float(scores[i])) for i in order if scores[i] > 0]


@dataclass(frozen=True, slots=True)
class Reading:
    """What a question asks, as the index sees it."""

    terms: tuple[str, ...]
    coverage: float
    anchored: bool
    all_known: bool
    # The entries that alone have a word of the question in their titles or keywords.
    specific: frozenset[int] = frozenset()
    # An entry's thing the documents never mention that the question names, and its name.
    unsaid: tuple[int, str] | None = None
    # It names the back, a spasm or another word of the guidance at all.
    about_back: bool = False
    # It asks what to do now, whatever else it names.
    asks_now: bool = False
    # It says a spasm is happening now, or has just begun ("it hit ten minutes ago").
    now: bool = False


def _stems(stemmer: Any, tokens: Sequence[str]) -> list[str]:
    kept = [token for token in tokens if token not in STOPWORDS]
    return list(stemmer.stemWords(kept))
