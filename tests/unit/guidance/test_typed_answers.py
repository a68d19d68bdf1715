"""Typed answers to the warning-sign question and to "get medical help now", by category.

The reader (`guidance.reading.answers`) reads what is left once triage has found no sign:
a yes, a no or "not sure" to "Do you have any of these now? …", and worry, going or seen
after "Please get medical help now". A yes is never read as a no; "not sure" asks again.
"""

from __future__ import annotations

import pytest

from guidance.reading.answers import AfterUrgent, Said, after_urgent, said, with_emoji_as_words
from guidance.reading.triage.words import tokens


def _said(text: str) -> Said | None:
    return said(tokens(with_emoji_as_words(text)))


def _after(text: str) -> AfterUrgent | None:
    return after_urgent(tokens(with_emoji_as_words(text)))


def _reads(texts: tuple[str, ...], meant: Said | None) -> None:
    misread = {text: _said(text) for text in texts if _said(text) is not meant}
    assert misread == {}


# ---------------------------------------------------------------- the warning-sign question


def test_hindi_and_hinglish_answers_are_read() -> None:
    _reads(("haan", "haan ji", "ji haan", "hanji", "ji", "haa"), Said.YES)
    _reads(("nahi", "nahin", "nhi", "ji nahi", "bilkul nahi"), Said.NO)
    _reads(
        ("pata nahi", "pta nhi", "shayad", "pata nahi, thoda sa kuch feel ho raha"), Said.UNSURE
    )


def test_dialect_answers_are_read() -> None:
    _reads(("aye", "yis", "reckon so", "i reckon so", "fraid so", "och aye"), Said.YES)
    _reads(("nar, nowt like that", "nowt", "nae, nane o that", "nothin", "nada"), Said.NO)
    _reads(("mebbe", "mibbe", "maybee", "well I don't rightly know"), Said.UNSURE)
    _reads(("ah I wouldn't know now, maybe", "cant tell", "couldnt say"), Said.UNSURE)


def test_a_double_negative_is_a_yes() -> None:
    _reads(
        ("can't say I haven't", "couldnt tell you I dont have it", "wouldnt say I dont"), Said.YES
    )


def test_an_item_of_the_list_by_its_place_or_number_is_a_yes() -> None:
    texts = ("the 2nd one", "number 3", "1 and 5", "3", "2, 4", "the last one", "the first")
    _reads((*texts, "✅ number 2", "yup 1 and 5", "the third one."), Said.YES)
    # A number that is not an item of the list is no answer on its own.
    _reads(("0", "10"), None)


def test_a_yes_that_only_restates_ordinary_back_pain_is_asked_again_never_a_no() -> None:
    texts = (
        "yes my back hurts lol",
        "yeah it kills when I bend to put my socks on, otherwise ok",
        "yes it spreads into my hip and one bum cheek a bit",
        "yep my lower back aches when I sit, thats it",
    )
    _reads(texts, Said.UNSURE)


def test_a_yes_about_the_pain_stays_a_yes_unless_it_is_plainly_ordinary() -> None:
    # Said lightly alone, or about pain that may be the question's "so bad you can't move":
    # no cue that it is the ordinary pain, or something severe said, so the yes stands.
    texts = (
        "yes a bit",
        "yes lol",
        "yeah a little",
        "yes my back is killing me",
        "yes it hurts",
        "yes the pain",
        "yes it hurts so much i cant move when i bend",
        "yes my back hurts and i cant feel my bum",
        "yes my leg hurts when I walk",
    )
    _reads(texts, Said.YES)


def test_a_no_that_puts_the_sign_on_someone_else_or_long_ago_stays_a_no() -> None:
    texts = (
        "nah the fever's my husband not me lol, I'm fine",
        "no, my wife has the fever",
        "nope. had the tingles last year but thats long gone",
        "no, had a fever years ago",
    )
    _reads(texts, Said.NO)


def test_a_sign_that_is_theirs_now_makes_a_no_a_yes() -> None:
    # Still there, ongoing since, seen on them by someone else: a yes is never read as a no.
    texts = (
        "no, had numbness last year and its still there",
        "not really, tingling since last year",
        "nope, my wife says im wobbly",
        "no fever, but numb since yesterday",
        "no, just the numbness",
    )
    _reads(texts, Said.YES)


def test_both_at_once_or_asking_what_counts_is_unsure() -> None:
    texts = (
        "yes and no",
        "yeah but no",
        "no and yes",
        "how would i know if i have a fever, no thermometer. i feel a bit warm",
        "what counts as a fever?",
        "is 37.8 a fever",
        "does tingling count?",
        "cant tell if my leg is weak or just sore tbh",
        "I think I need to pee more often but not sure if thats just all the tea",
    )
    _reads(texts, Said.UNSURE)


def test_not_having_checked_yet_is_unsure_not_no() -> None:
    texts = ("ngl I haven't checked, hang on let me stand up and see", "havent checked my temp")
    _reads((*texts, "ill check", "hang on", "give me a sec"), Said.UNSURE)


def test_a_slip_in_an_answer_word_is_read_as_the_word() -> None:
    _reads(("nonw of them", "noen", "nopw", "nothng"), Said.NO)
    _reads(("yeha", "yse"), Said.YES)
    _reads(("mabye", "dunnoo"), Said.UNSURE)


def test_a_real_word_is_never_read_as_a_slip() -> None:
    # "nine" and "nose" are one slip from "none", "nope"; "sore" from "sure": words of
    # their own, never read as an answer.
    _reads(("nine", "nose", "sore", "note"), None)


def test_emoji_alone_are_read() -> None:
    _reads(("😬", "🤷", "🤷‍♀️", "😕", "hmm", "erm"), Said.UNSURE)
    _reads(("👍", "✅", "😬 yeah", "yep 😬"), Said.YES)
    _reads(("👎", "❌", "🙅", "Nope 🙂"), Said.NO)


def test_fillers_before_an_answer_are_no_answer_but_answers_of_their_own_stay() -> None:
    _reads(("lol no im fine", "ngl nope", "och no", "ah no, I'm grand"), Said.NO)
    _reads(("uh huh", "mm hmm", "hmm yes", "tbh yeah"), Said.YES)
    _reads(("lowkey maybe the balance one but I'm also on strong painkillers",), Said.UNSURE)


def test_what_is_said_in_jest_is_not_the_answer() -> None:
    _reads(("lol yes I'm dying 🙄 no, none of that, just a grumpy back", "yes jk no"), Said.NO)
    _reads(("no jk yes", "🙃 yes, numb down there"), Said.YES)
    # A yes or a no said only in jest may be either: ask again, never a no.
    _reads(("yes jk", "yes 🙃", "no 🙄", "yes I'm dying 🙄"), Said.UNSURE)


def test_a_correction_puts_what_follows_in_place_of_what_came_before() -> None:
    _reads(("no wait, yes", "no actually I do", "nah actually the tingling one"), Said.YES)
    _reads(("yes actually", "i mean yes"), Said.YES)
    _reads(("no, actually", "yeah wait no, none of them"), Said.NO)


@pytest.mark.parametrize(
    "opening", ["yes", "yeah", "yep", "aye", "haan", "ya", "uh huh", "i do", "number 2", "lol yes"]
)
@pytest.mark.parametrize(
    "tail",
    [
        "",
        ", a bit",
        " my back is killing me",
        " the tingling",
        " cant feel my bum",
        " my leg gives way",
        " fever",
        " pain so bad i cant move",
        " since last year",
        " my husband says im wobbly",
        " it hurts when i walk and my legs are numb",
        " jk no wait yes",
    ],
)
def test_a_yes_is_never_read_as_a_no(opening: str, tail: str) -> None:
    assert _said(opening + tail) is not Said.NO


# ---------------------------------------------------------------- after "get medical help now"


def _after_reads(texts: tuple[str, ...], meant: AfterUrgent | None) -> None:
    misread = {text: _after(text) for text in texts if _after(text) is not meant}
    assert misread == {}


def test_on_the_way_is_going() -> None:
    texts = (
        "ok going now",
        "leaving now will let u know",
        "fixin to head to the ER, my son's on his way to get me",
        "will do",
        "ok on my way",
        "heading in tonight",
        "seeing the gp this afternoon",
        "they're sending an ambulance",
        "the doctor is coming to see me",
        "doctor called back, said come in at 4",
        "im in hospital now",
    )
    _after_reads(texts, AfterUrgent.GOING)


def test_seen_is_seen() -> None:
    texts = (
        "paramedics came out and checked me over, said I'm ok to stay home",
        "had the MRI yesterday, nothing pressing on the nerves apparently",
        "im literally in hospital now, theyve already examined me",
        "dr saw me tuesday and said go back if the numbness spreads, it hasnt",
        "the nurse said to come back if it gets worse",
        "doc examined me and sent me home",
        "they discharged me",
    )
    _after_reads(texts, AfterUrgent.SEEN)


def test_not_seen_yet_is_never_seen() -> None:
    # Reading these as seen would lift the hold on self-care before anyone has looked.
    texts = (
        "still waiting to see a doctor",
        "the doctor hasn't seen me yet",
        "no doctor has seen me",
        "nobody has checked me yet",
        "rang 111, they said to go to A&E",
        "they said I need to go in",
        "im in the waiting room, not been seen yet",
    )
    _after_reads(texts, AfterUrgent.GOING)
    for text in (
        "can i just see my gp tomorrow",
        "ill see a doctor tomorrow",
        "when should I see a doctor?",
    ):
        assert _after(text) is not AfterUrgent.SEEN, text


def test_doubt_cost_waiting_and_not_going_are_worry() -> None:
    texts = (
        "can it not wait till my GP opens Monday",
        "I can't afford an ER bill, is urgent care ok instead?",
        "r u sure? its only a bit of tingling",
        "och is that no a bit over the top",
        "is the walk in centre ok",
        "do I really need to go tonight, it's 2am",
        "im not going",
        "not going, ill sleep it off",
        "i dont want to see a doctor",
        "no one can take me",
        "i cant drive",
        "my gp is shut",
        "i'll go tomorrow",
        "booked a gp appointment for monday",
    )
    _after_reads(texts, AfterUrgent.WORRY)


def test_other_messages_after_get_help_are_none_of_these() -> None:
    texts = (
        "cheers 🙏",
        "how do I turn off the daily reminders",
        "are you a real person?",
        "my cat just knocked my tea over 😂",
        "the muscle next to my spine feels like a hard knot, tender when I press on it",
        "got hit with a massive vet bill today lol",
        "sat on the loo scrolling for too long",
    )
    _after_reads(texts, None)
