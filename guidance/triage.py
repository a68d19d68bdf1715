"""Warning-sign triage: spot what needs a doctor, now or soon, before any other answer.

Two steps, the way clinical text processing does it (ConText, Harkema et al. 2009, itself
built on NegEx):

1. **Targets**: each warning sign of the guidance documents has patterns over the
   message's words, after typos in body parts and symptoms are corrected.
2. **Context**: trigger phrases modify the targets in their scope: negation ("no", "not",
   "haven't had"), history ("years ago", "went away"), hypotheticals and questions ("what
   if", "can a spasm cause"), and a harmless cause ("from the ice pack"). A scope runs
   forward (or backward) from its trigger and ends at a terminator: "but", "however",
   "just", a new clause, punctuation, or a few words' distance.

A sign that survives its context sets the level: `urgent` (get medical help now),
`doctor` (see a doctor soon) or `none`. A sign only asked about ("is numbness a bad
sign?") sets no level but is reported, so the answer can list the warning signs without
telling the person they have one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from guidance.language import Speller, word_set

NOT_A_DOCTOR = (
    "I'm a bot, not a doctor: I share general guidance from my sources and cannot examine or "
    "diagnose you."
)


class Level(StrEnum):
    """How soon someone needs a doctor."""

    NONE = "none"
    DOCTOR = "doctor"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """Order the levels: none < doctor < urgent."""
        return _RANK[self]


_RANK = {Level.NONE: 0, Level.DOCTOR: 1, Level.URGENT: 2}


@dataclass(frozen=True, slots=True)
class Sign:
    """A warning sign from the guidance documents, with the patterns that reveal it.

    `sources` names the documents that give the sign; an empty tuple marks a caution of
    BackCare's own, which the answers label as such.
    """

    key: str
    level: Level
    label: str
    sources: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]

    @property
    def own_caution(self) -> bool:
        """Tell whether this sign is BackCare's own addition, not the documents'."""
        return not self.sources


# -- targets -------------------------------------------------------------------------------

_LEGS = (
    r"(?:legs?|thighs?|knees?|calf|calves|shins?|ankles?|feet|foot|toes?|heels?|hips?"
    r"|lower body|lower half)"
)
_ARMS = r"(?:arms?|hands?|fingers?|wrists?|grip)"
_SADDLE = (
    r"(?:groin|saddle(?: area)?|crotch|genitals?|genital area|privates|private parts|buttocks?"
    r"|bum|butt|butt cheeks?|backside|bottom|inner thighs?|between my legs|perineum|down there"
    r"|nether regions|bits|anus|rectum|vagina|penis|tailbone)"
)
_SIDE = (
    r"(?:(?:one|left|right|whole|same|1) side(?: of (?:my|the) (?:body|face))?"
    r"|side of (?:my|the) (?:body|face)|half (?:of )?(?:my|the) (?:body|face)|one half)"
)
_LIMB = rf"(?:{_LEGS}|{_ARMS}|{_SADDLE})"
_CANT = (
    r"(?:cant|cannot|can not|couldnt|unable to|not able to|havent been able to|hasnt been able to"
    r"|struggling to|struggle to|trouble|difficulty|hard to|can barely|can hardly|barely|hardly)"
)
_WORDS = r"(?: [a-z0-9,]+)"
_FEEL = (
    r"(?:cant|cannot|can not|couldnt|dont|barely|hardly|not able to|unable to)"
    r"(?: really| properly| even| quite)? feel"
)
_PEE = r"(?:pee|peeing|wee|weeing|urinate|urinating|piss|pissing|poo|pooing|poop|pooping)"
_SUBJECT = r"(?:the |my |this |it |its |these |those )?"

_SOURCES_SERIOUS = ("004_52c7d0054d712191.txt",)
_SOURCES_SERIOUS_NERVES = ("002_ff3d92e87014b7ae.txt", "004_52c7d0054d712191.txt")
_SOURCES_WHEN_TO_SEE = ("000_d2b0186c90413261.txt",)


def _sign(key: str, level: Level, label: str, sources: Sequence[str], *patterns: str) -> Sign:
    compiled = tuple(
        re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])") for pattern in patterns
    )
    return Sign(key, level, label, tuple(sources), compiled)


SIGNS: tuple[Sign, ...] = (
    _sign(
        "bladder-bowel",
        Level.URGENT,
        "trouble with bladder or bowel control",
        _SOURCES_SERIOUS,
        r"(?P<k>incontinen\w*|urinary retention|retaining urine|retention)",
        rf"(?P<k>(?:lost|lose|losing|loss of|no|cant|cannot|couldnt|unable to|trouble"
        rf"|problems?|difficulty)(?: \w+){{0,2}} control){_WORDS}{{0,3}} (?:bladder|bowels?"
        r"|pee|peeing|urine|wee|poo|poop|toilet|number (?:one|two))",
        r"(?P<k>(?:bladder|bowels?)(?: \w+){0,3} (?:control|problems?|issues?|accidents?"
        r"|leak\w*|wont|isnt emptying|not emptying|full|feels? full|feeling full|not working"
        r"|isnt working|stopped working|gone weird|gone funny|cant go|wont empty|weird|funny"
        r"|strange|wrong|not right))",
        r"(?P<k>(?:bladder|pee|wee|toilet|loo|urine)(?: \w+){0,4} (?:cant|cannot) go)",
        r"(?P<k>dribbl\w*(?: \w+){0,2} (?:pee|wee|urine))",
        r"(?P<k>(?:messed|soiled|wet) (?:the|my) (?:bed|sheets)|bowels?(?: \w+){0,2} (?:went"
        r"|opened"
        r"|let go|gave way|emptied)|without (?:any )?warning)",
        r"(?P<k>(?:havent|hasnt|have not|not) managed (?:to )?(?:a )?(?:pee|wee|go|urinate|poo))",
        r"(?P<k>(?:havent|hasnt|have not|cant|cannot|couldnt|not)(?: \w+){0,4} go (?:since"
        r"|for (?:\d+|a day|two days|hours|ages)|all day|in (?:\d+|hours)|today))",
        r"(?P<k>(?:keep|keeps) needing to (?:go|pee|wee)(?: \w+){0,3} (?:cant|nothing|not able))",
        r"(?P<k>(?:undies|pants|knickers|underwear|boxers)(?: \w+){0,2} (?:damp|wet|soaked))",
        r"(?P<k>leak\w*(?: \w+){0,3} (?:not noticing|without noticing|without knowing"
        r"|without realising|without realizing|and not notic\w*))",
        r"(?P<k>(?:pants|trousers|underwear|knickers|bed|sheets|jeans) (?:were|was|is|are|got)"
        r" (?:wet|soaked|soiled|damp))",
        r"(?P<k>(?:cant|cannot|couldnt) stop (?:it|peeing|weeing|myself|the pee|the wee))",
        rf"(?P<k>(?:pee|wee|go|urinate|toilet|loo){_WORDS}{{0,6}} nothing (?:happens|happened"
        r"|comes|coming|came|will come))",
        rf"(?P<k>{_CANT}(?: \w+){{0,2}} (?:{_PEE}|empty my bladder|go to the (?:toilet|loo"
        r"|bathroom)|pass (?:urine|water)|hold (?:it|my (?:pee|wee|bladder|bowels?))))",
        r"(?<!nearly )(?<!almost )(?P<k>(?:wet|wetting|peed|peeing|weeing|weed|pissed|pissing"
        r"|pooed|pooing|pooped"
        r"|soiled|soiling|shat|shit)"
        r" (?:myself|himself|herself|themselves|themself|the bed"
        r"|(?:my|his|her|their) (?:pants|trousers|knickers|underwear|pyjamas|pajamas|bed|self)))",
        r"(?P<k>(?:had|have|having|keep having) (?:an |a little |little |some )?accidents?)"
        r"(?: \w+){0,2} (?:in|with) (?:my |the )?(?:pants|trousers|bed|underwear|knickers|toilet)",
        r"(?P<k>leak\w* (?:urine|pee|wee|poo)|(?:urine|pee|wee) (?:is )?leak\w*)",
        rf"(?P<k>{_FEEL}|dont know|didnt know|cant tell|couldnt tell|didnt notice)"
        r"(?: \w+){0,3} (?:when|if|that) i (?:need|needed|have|had|want|wanted) (?:to"
        r" (?:go|pee|wee|poo|urinate)|the (?:toilet|loo|bathroom))",
        r"(?P<k>(?:no|lost (?:the |my )?|loss of (?:the )?)(?:urge|need|sensation) to"
        r" (?:pee|wee|go|urinate|poo))",
        r"(?P<k>(?:bladder|pee|wee|urine|toilet|loo)(?: \w+){0,6} nothing (?:comes|coming|came"
        r"|will come) out)",
        r"(?P<k>nothing (?:comes|coming|came) out(?: \w+){0,4} (?:pee|wee|toilet|loo|bathroom"
        r"|bladder))",
        r"(?P<k>(?:pee|peeing|wee|weeing|urine|stream)(?: \w+){0,2} (?:wont|doesnt|does not"
        r"|will not|isnt going to) (?:come|start|flow))",
        r"(?P<k>(?:havent|hasnt|have not|not) (?:peed|weed|urinated|been able to go"
        r"|had a (?:pee|wee)|been for a (?:pee|wee)))(?: \w+){0,3} (?:all day|since|for \w+ hours"
        r"|in \w+ hours|today|all night|hours)",
    ),
    _sign(
        "numbness",
        Level.URGENT,
        "numbness, tingling or loss of feeling",
        _SOURCES_SERIOUS_NERVES,
        r"(?P<k>numbness|numbnes|tingling|tingles|tingle|tingly|(?<!on )pins and needles"
        r"|pins n needles|pins needles|prickling)",
        rf"(?P<k>numb|numbed|gone numb|going numb|went numb){_WORDS}{{0,5}} {_LIMB}",
        rf"{_LIMB}{_WORDS}{{0,5}} (?P<k>numb|numbed)",
        rf"(?P<k>{_FEEL}){_WORDS}{{0,3}} {_LIMB}",
        r"(?P<k>(?:lost|lose|losing|loss of|no) (?:all |the |any )?(?:sensation|feeling))",
        rf"(?P<k>dead) {_LIMB}",
        r"(?P<k>(?:dead|numb) (?:patch|spot|area|bit))",
        rf"(?P<k>{_FEEL})(?: \w+){{0,3}} (?:when i wipe|wiping|the toilet paper|toilet roll)",
        rf"{_LIMB}{_WORDS}{{0,4}} (?P<k>dead|asleep|fell asleep|falling asleep)",
        rf"(?P<k>(?:abnormal|strange|weird|odd|funny|tingly|electric|buzzing) (?:sensation"
        rf"|feeling)s?){_WORDS}{{0,4}} {_LIMB}",
    ),
    _sign(
        "weakness",
        Level.URGENT,
        "weakness in the legs or arms",
        _SOURCES_SERIOUS_NERVES,
        rf"(?P<k>weak|weakness|weaker|weakened|no strength|no power){_WORDS}{{0,4}}"
        rf" (?:{_LEGS}|{_ARMS})",
        rf"(?:{_LEGS}|{_ARMS}){_WORDS}{{0,4}} (?P<k>weak|weakness|weaker|like jelly|jelly"
        r"|jello|like rubber|rubbery|like noodles|noodles|wobbly|useless|heavy|like lead|floppy"
        r"|no power|no strength)",
        rf"(?:{_LEGS}|{_ARMS}){_WORDS}{{0,2}} (?P<k>(?:wont|doesnt|will not|wouldnt|isnt) (?:do"
        r" what|work|listen|respond|cooperate|obey))",
        r"(?P<k>(?:wouldnt|wont|couldnt|cant|will not|cannot) (?:take|hold|bear|support|carry)"
        r" my weight)",
        rf"(?:{_LEGS}){_WORDS}{{0,3}} (?P<k>(?:gave|gives|give|giving|went|goes|going|keep"
        r" giving|keeps giving) (?:way|out|from under me)|buckl\w*|collaps\w*"
        r"|wont (?:hold|support|carry) me|not holding me up|cant hold me)",
        rf"(?P<k>jelly|wobbly|rubbery|noodle) (?:{_LEGS})",
        rf"(?P<k>{_CANT}(?: even)? (?:lift|move|raise|bend|straighten|wiggle|grip|hold|stand on"
        r"|push off|put weight on)) (?:with |on )?(?:my |either |both |the |one |of my )?"
        r"(?:left |right |good |bad )?(?:legs?|foot"
        r"|feet|toes?|arms?|hands?|knees?)",
    ),
    _sign(
        "one-side",
        Level.URGENT,
        "an odd feeling, numbness or weakness down one side of the body",
        _SOURCES_SERIOUS,
        rf"(?P<k>numb\w*|tingl\w*|weak\w*|sensation|feeling|dead|heavy|droop\w*|paraly\w*)"
        rf"{_WORDS}{{0,6}} {_SIDE}",
        rf"{_SIDE}{_WORDS}{{0,5}} (?P<k>numb\w*|tingl\w*|weak\w*|dead|heavy|droop\w*|funny"
        r"|strange|weird|not working|paraly\w*|useless|asleep|buzz\w*|fuzzy|not mine"
        r"|not my own|pins and needles|odd)",
        r"(?P<k>face(?: \w+){0,2} droop\w*|droop\w* face|slurr\w*(?: \w+){0,2} (?:speech"
        r"|words)|cant (?:talk|speak) properly)",
    ),
    _sign(
        "balance",
        Level.URGENT,
        "trouble with balance, coordination or a dragging foot",
        _SOURCES_SERIOUS,
        r"(?P<k>(?:lost|lose|losing|loss of|no|poor|bad|impaired|trouble with|problems? with"
        r"|off|cant keep|struggling with|struggle with|messed up|terrible|awful|keep losing)"
        r" (?:my |the |of |all )?(?:balance|coordination|co ordination))",
        r"(?:balance|coordination)(?: is| feels| has been| has| seems| s)?(?: all| really| totally"
        r"| completely| just)? (?P<k>off|gone|bad|poor|awful|terrible|shot|wrong|weird|all over)",
        r"(?P<k>unsteady|off balance|wobbly on my feet|keep falling over|keeps falling over"
        r"|keep falling down|falling over|stumbl\w*|topple\w*|toppling|keel\w* over|stagger\w*"
        r"|wobbl\w+ (?:about|around|all over)|feel drunk|walk\w* into (?:the |door|walls|things)"
        r"|keeps? tripping(?! over (?:my )?words)"
        r"|tripping over (?:my own feet|my feet|nothing)|clumsy|uncoordinated|cant walk straight"
        r"|veering"
        r"|walk(?:ing)? like (?:i m |im |a |i am )?drunk)",
        r"(?P<k>foot drop|drop foot|dropfoot|dropped foot)",
        r"(?P<k>(?:foot|feet|toes?)(?: \w+){0,3} (?:slap\w*|drag\w*|flop\w*|flap\w*|catch\w*"
        r"|caught"
        r"|scuff\w*"
        r"|dangl\w*|floppy|snag\w*))",
        r"(?P<k>slap\w*(?: \w+){0,2} (?:on )?the (?:ground|floor))",
        r"(?P<k>(?:drag|scuff|shuffl)\w*(?: \w+){0,2} (?:my |one |the |a )?(?:left |right )?"
        r"(?:leg|foot|feet))(?! (?:on|about|over|with|when it comes))",
        r"(?P<k>(?:leg|foot)(?: \w+){0,2} (?:wont|doesnt|will not|cant|wouldnt) (?:lift|come up"
        r"|clear the))",
        r"(?P<k>(?:leg|foot) (?:drags|dragging|is dragging|trails|trailing))",
        r"(?P<k>(?:cant|cannot|unable to|trouble|struggling to) (?:lift|raise|pick up|flex)"
        r"(?: \w+){0,1} (?:my |the )?(?:foot|toes|front of my foot))",
    ),
    _sign(
        "severe-pain",
        Level.URGENT,
        "severe pain, or trouble moving",
        _SOURCES_WHEN_TO_SEE,
        r"(?P<k>unbearabl\w*|excruciating|agony(?! of| aunt)|agonis\w*|agoniz\w*|intolerable"
        r"|crippling|debilitating|worst pain|screaming in pain|screaming with pain|off the charts"
        r"|through the roof|off the scale|pain is too much|too much pain"
        r"|(?:frozen|stuck|locked) in (?:one|the same|this|that) position)",
        r"(?P<k>worst)(?: \w+){0,3} (?:ever|of my life|in my life|ive ever|i have ever|i ve ever)",
        r"(?P<k>(?:cant|cannot|can not) (?:bear|stand|take|handle|cope with) (?:the|this|it)"
        r"(?: pain)?)",
        r"(?P<k>(?:severe|extreme|horrendous|horrific|unbelievable|insane|crazy|intense"
        r"|excruciating)(?: \w+){0,2} (?:pain|spasms?))",
        r"pain(?: is| s| feels)?(?: so| really)? (?P<k>severe|extreme)",
        r"(?P<k>(?:crying|in tears|screaming|sobbing)(?: \w+){0,3} (?:pain|hurts|hurting))",
        r"(?P<k>(?:9|10|11|12|nine|ten|eleven|twelve|100) (?:/|out of|outta|of|over|on a scale"
        r" of) (?:10|ten))",
        r"(?:pain|pains|it|its|im|i m|i am)(?: \w+){0,3} (?:is|at|a|an|level|score|about|around|of"
        r"|was|s) (?:a |an |at |like a |solid )?(?P<k>9|10|nine|ten)"
        r"(?! (?:minutes|mins|hours|days|weeks|am|pm|ml|glasses|times|years|/ (?:[0-8]|20|100)))",
        r"(?P<k>(?:9|10) on the (?:pain )?scale)",
        rf"(?P<k>{_CANT}(?: even| really| at all)? (?:move|moving|walk|walking|get up"
        r"|getting up|stand(?! up straight| straight)|standing(?! up straight| straight)"
        r"|get out of bed|getting out of bed|get off (?:the |my )?\w+|getting off (?:the |my )?\w+"
        r"|roll over|turn over|sit up|get dressed|crawl|get out))",
        r"(?P<k>(?:stuck|trapped|lying) (?:on|in) (?:the |my )?(?:floor|ground|bathroom floor)"
        r"(?: \w+){0,3} (?:cant|cannot|unable))",
        r"(?P<k>(?:stuck|frozen) (?:on|in) (?:the |my )?(?:floor|ground))",
        r"(?P<k>(?:cant|cannot|can not) move(?: \w+){0,2} at all)",
    ),
    _sign(
        "fever",
        Level.URGENT,
        "a fever",
        (),  # not in the documents: BackCare's own caution
        r"(?P<k>(?<!cabin )(?<!night )(?<!cup )(?<!spring )(?<!baby )(?<!hay )(?<!gold )"
        r"(?<!football )fever(?! pitch)\w*|high temperature|high temp"
        r"|running a (?:temperature|temp)"
        r"|(?:got|have|has|had) a (?:temperature|temp)(?! setting| dial| control)"
        r"|(?:temperature|temp) (?:is |of |at )?(?:38|39|40|41|100|101|102|103|104|105)\w*"
        r"|chills and sweats|hot and shivery|burning up"
        r"|(?:chills|shivers|shivering|shaking)(?: \w+){0,3} (?:temperature|temp|fever)"
        r"|(?:thermometer|temp|temperature)(?: \w+){0,3} (?:38|39|40|41|100|101|102|103|104))",
    ),
    _sign(
        "chest-pain",
        Level.URGENT,
        "chest pain or trouble breathing",
        (),  # not in the documents: BackCare's own caution (the heart can hurt in the back)
        r"(?P<k>chest (?:pain|pains|hurts?|hurting|is tight|tightness|pressure|feels tight)"
        r"|pain(?:s)?(?: \w+){0,2} (?:in|across|through) (?:my |the )?chest"
        r"|(?:tight|tightness|pressure|crushing|squeezing)(?: \w+){0,2} (?:in|on|across)"
        r" (?:my |the )?chest"
        r"|crushing chest|heart attack"
        r"|short(?:ness)? of breath|(?:cant|cannot|can not|struggling to|hard to) breathe)",
    ),
    _sign(
        "injury",
        Level.DOCTOR,
        "a spasm after a fall, accident or injury",
        ("000_d2b0186c90413261.txt", "002_ff3d92e87014b7ae.txt", "003_2632873957398a24.txt"),
        r"(?P<k>fell|fallen|falling)(?! asleep| behind| back asleep| apart| for| through| in love"
        r"| off the wagon| into (?:a |the |my )?(?:routine|habit|rhythm)| out of"
        r"| off (?:my|the) (?:routine|radar|wagon))",
        r"(?:a|the|after|since|from|my|bad|nasty|hard|big|heavy|that) (?P<k>fall)(?! asleep)",
        r"(?P<k>fall) (?:down|off|over|from|on|onto|backwards|flat)",
        r"(?P<k>tripped|slipped)(?! (?:a |my |the )?discs?)",
        r"(?P<k>accident|accidents|car crash|crash|crashed|collision|rear ended|rearended"
        r"|whiplash|car wreck|hit by|got hit|was hit|been hit|knocked (?:down|over|off)"
        r"|tackl\w*|landed (?:on|hard on) my (?:back|bum|butt|tailbone|bottom|side)"
        r"|injur\w*|trauma\w*|sports injury|hurt it (?:playing|in a|during)|fender bender"
        r"|thrown (?:off|from)|threw me|tumble|took a spill|went flying|bucked off"
        r"|came off (?:my |the |a )?(?:bike|horse|ladder"
        r"|skateboard|scooter)"
        r"|(?:fell|fallen|falling|tumbled|slipped|tripped) down the stairs)",
    ),
    _sign(
        "long-lasting",
        Level.DOCTOR,
        "pain that has lasted more than two weeks",
        ("000_d2b0186c90413261.txt",),
        r"(?P<k>(?:more than|over|for|past|nearly|almost|about|around|going on|at least|since"
        r"|for the past|for the last|in|after)(?: the| a)? (?:two|2|three|3|four|4|five|5|six|6"
        r"|seven|7|eight|8|several|a few|few|a couple of|couple of|couple|many|ten|10)"
        r" (?:weeks|wks|months))",
        r"(?P<k>(?:two|2|three|3|four|4|five|5|six|6|several|a few|few|many) (?:weeks|months)"
        r" (?:now|already|straight|and counting|long|of this|of pain))",
        r"(?P<k>(?:two|2|three|3|four|4|five|5|six|6|seven|7|eight|8|several|a few|few|many"
        r"|ten|10) (?:weeks|wks|months))(?! ago)",
        r"(?P<k>(?:two|2|three|3|four|4|five|5|six|6|seven|7|eight|8|several|a few|few|many"
        r"|ten|10) (?:weeks|wks|months) ago)(?= .*(?:still|ever since|and counting|hasnt|not gone"
        r"|isnt gone|since then))",
        r"(?P<k>(?:third|fourth|fifth|sixth|3rd|4th|5th|6th) week|week (?:three|four|five|six|3"
        r"|4|5|6)|day (?:1[4-9]|[2-9]\d)|start of last month)",
        r"(?P<k>(?:since|for|over|about|almost|nearly) (?:1|one|a|a whole|a full) month"
        r"|for (?:weeks|months|ages)|weeks and weeks|since last month|over a month"
        r"|for a month|a month now|a month already|(?:1[4-9]|[2-9]\d) days)",
        r"(?P<k>(?:wont|doesnt|isnt|not|hasnt|never) go(?:ing|ne)? away)",
    ),
    _sign(
        "worsening",
        Level.DOCTOR,
        "pain that keeps getting worse",
        ("003_2632873957398a24.txt",),
        r"(?P<k>from (?:a )?(?P<a>\d+) (?:to|up to) (?:a )?(?P<b>\d+))",
        r"(?P<k>(?:at"
        r"|was) (?:like )?(?:a )?(?P<a>\d+)(?: \w+){0,2} now (?:like )?(?:a )?(?P<b>\d+))",
        r"(?P<k>(?:ramping|building|creeping|climbing|going) up (?:each|every|day|by)"
        r"|(?:getting|gotten|got|gets) (?:steadily|progressively|gradually|slowly|a bit|even)"
        r" worse|(?:going|gone|went) downhill|worse again)",
        r"(?P<k>(?:getting|gets|got|gotten|growing|becoming|going) worse|worse and worse"
        r"|worsening|worsened|worse (?:every|each) (?:day|morning|night|week)|worse by the day"
        r"|worse day by day|worse than (?:yesterday|last week|before|ever|it was)"
        r"|more and more (?:painful|sore)|(?:increasing|escalating|intensifying|spreading)"
        r"|(?:keeps|keep) (?:getting )?worse|(?:much|lot|bit|even|way|far|lots) worse"
        r"|worse (?:today|now|tonight|this morning|than the day before)"
        r"|(?:getting|got|gets) (?:stronger|more frequent|more intense|more painful)"
        r"|more (?:frequent|often|intense) and|(?<![a-z] )worse(?= today| now))"
        r"(?! (?:when|if|after|whenever|while|as i|at night|in the morning|during|with|on the))",
    ),
    _sign(
        "no-relief",
        Level.DOCTOR,
        "no relief from home care or painkillers",
        ("000_d2b0186c90413261.txt",),
        r"(?P<k>(?:nothing|none of (?:it|them|this))(?: \w+){0,2} (?:helps|helping|helped"
        r"|works|working|worked|touches it|touching it|makes a difference|seems to help))",
        r"(?P<k>no relief|not getting (?:any )?(?:better|relief)|isnt getting better"
        r"|hasnt got(?:ten)? better|not improving|isnt improving|no better|no improvement"
        r"|tried everything|not any better|still no better|(?:no|zero|little|barely any"
        r"|hardly any|not much|not any) (?:relief|difference|improvement|effect)"
        r"|(?:do|does|did|doing) (?:nothing|zilch|sod all|bugger all|jack)"
        r"|(?:not|isnt|arent) cutting it|(?:dont|doesnt|didnt|dont even|wont) touch (?:it"
        r"|the pain)|nothing(?: \w+){0,4} (?:helps|helped|has helped"
        r"|works|worked|has worked)|(?:no|not) difference)",
        r"(?P<k>(?:painkillers|pain killers|pain meds|meds|medication|medicine|tablets|pills"
        r"|ibuprofen|paracetamol|acetaminophen|tylenol|advil|naproxen|aleve|nurofen|co codamol"
        r"|codeine|aspirin|ice|icing|heat|heat pad|heating pad|stretching|stretches|rest|resting"
        r"|home remedies|home care|treatment|physio|massage|cream|hot water bottle|bath)"
        r"(?: \w+){0,4} (?:arent|isnt|not|doesnt|dont|didnt|wont|havent|hasnt|no longer|barely"
        r"|hardly|never)(?: \w+){0,2} (?:help\w*|work\w*|touch\w*|doing (?:anything|a thing|much)"
        r"|do (?:anything|a thing|much)|did (?:anything|a thing|much)|make (?:a|any) difference"
        r"|making (?:a|any) difference|effect\w*))",
        r"(?P<k>(?:painkillers|pain killers|pills|tablets|meds|medication|cream|gel|heat|ice"
        r"|hot water bottle|stretches|stretching|physio|massage)(?: [a-z0-9,=]+){0,4}"
        r" (?:useless|no use|no good|pointless|a waste of time|not worth it))",
    ),
    _sign(
        "recurring",
        Level.DOCTOR,
        "spasms that keep coming back",
        ("001_c26b4f9eeb9e9c5a.txt", "002_ff3d92e87014b7ae.txt"),
        r"(?P<k>(?:keeps?|kept) (?:coming|going) back|came back again|comes back (?:again|every"
        r"|all the time)|again and again|over and over|(?:recurring|recurrent|repeated|frequent"
        r"|constant|regular) (?:back )?(?:spasms?|pain)|persist\w*"
        r"|(?:second|third|fourth|fifth|2nd|3rd|4th|5th) (?:time|spasm|one|flare)(?: \w+){0,2}"
        r" (?:this|in a|in the) (?:week|month|year|weeks|months)"
        r"|same (?:place|spot|side)(?: \w+){0,3} (?:again|every time)"
        r"|(?:every|each) (?:few|couple of) (?:weeks|months)"
        r"|spasms? (?:keep|keeps) (?:happening|returning|recurring|coming)"
        r"|(?:keep|keeps) (?:getting|having) (?:spasms?|them|these)|(?:wont|doesnt) settle"
        r"|(?<!feeling )(?<!sensation )(?:comes|coming|came|come) back|returns|returning|recurs"
        r"|recurring"
        r"|keeps? (?:spasming|cramping|seizing)|same (?:spasm|pain)|same (?:place|spot) as"
        r"|(?:every|each) (?:single )?(?:few days|week|month|couple of weeks)"
        r"|(?:back|again) in (?:exactly )?the same (?:place|spot)|keeps happening|keep happening"
        r"|(?:its|it s|it is|theyre|spasms?) back again)",
    ),
)

SIGNS_BY_KEY = {sign.key: sign for sign in SIGNS}

# A message that says what the long-lasting sign is about: pain, not a habit.
_ABOUT_PAIN = re.compile(
    r"(?<![a-z])(?:pain\w*|hurt\w*|\w*ach(?:e|es|ing|y)|spasm\w*|backs?|sore\w*|stiff\w*|sciatica|it|its|this"
    r"|flare\w*)(?![a-z])"
)

# -- context -------------------------------------------------------------------------------


class Context(StrEnum):
    """What a trigger phrase says about the signs in its scope."""

    NEGATED = "negated"
    HISTORICAL = "historical"
    HYPOTHETICAL = "hypothetical"
    HARMLESS = "harmless"  # a harmless cause: "numb from the ice pack"
    RECENT_PAST = "recent-past"  # "on Monday", "last week": over, for pain that has eased
    OTHER_PERSON = "other-person"  # "my dad has…": told about, not felt
    ELSEWHERE = "elsewhere"  # the words are about something else: "the film was 10/10"


@dataclass(frozen=True, slots=True)
class _Rule:
    context: Context
    forward: bool
    pattern: re.Pattern[str]


# Word groups the trigger phrases share, written `<name>` inside a phrase.
_GROUPS = {
    "ice": r"(?:ice|ice pack|icepack|cold pack|icing|frozen peas|cold|cold compress|gel pack)",
    "rub": (
        r"(?:ice|ice pack|icepack|cold pack|frozen peas|icing|menthol|gel|cream|rub|balm"
        r"|deep heat|tiger balm|tens machine|tens|patch|heat rub|muscle rub)"
    ),
    "kin": (
        r"(?:son|daughter|kid|kids|child|baby|husband|wife|partner|boyfriend|girlfriend|mum|mom"
        r"|mother|dad|father|nan|nans|gran|grandma|grandad|grandpa|grandmother|grandfather"
        r"|brother|sister|friend|friends|colleague|coworker|boss|cat|dog|neighbour|neighbor|aunt"
        r"|uncle|patient|client|boy|girl|lad|lass|toddler|mate|flatmate|housemate|roommate"
        r"|little boy|little girl|little one)s?"
    ),
    "thing": (
        r"(?:movie|film|video|show|book|song|game|meal|app|class|episode|series|traffic"
        r"|weather|queue|noise|exam|interview|meeting|boss|wait|match|concert|view|food|dinner"
        r"|restaurant)s?"
    ),
    "young": r"(?:young|a kid|a child|younger|pregnant|a teenager|\d+|a baby|little|at school)",
    "done": r"(?:sorted|fixed|treated|resolved|better|fine|normal|gone)",
    "sitting": (
        r"(?:sitting|sat|kneeling|crossing my legs|sitting cross legged|being cross legged"
        r"|squatting|leaning on it|lying on it|sleeping on it)"
    ),
    "slip": (
        r"(?:laced|tied|slept|sat|knelt|crossed|leaned|leant|was sitting|was kneeling|had my"
        r"|shoe|shoes|laces)"
    ),
    "snag": (
        r"(?:shoelace|shoelaces|laces|rug|step|kerb|curb|toy|dog|cat|cable|wire|wet floor|ice"
        r"|uneven)"
    ),
    "cause": r"(?:cause|causes|lead to|give you|make you|mean|come with|be)",
    "anyone": r"(?:a |an |the |my |back |this |that |it |spasms? )?(?:\w+ )?(?:\w+ )?",
    "worry": r"(?:worried|afraid|scared|frightened|nervous|anxious)",
    "handling": r"(?:holding |using |having |putting on )?",
    "day": r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
}
_GROUP = re.compile(r"<(\w+)>")


def _rules(context: Context, *, forward: bool, phrases: str) -> list[_Rule]:
    """Compile one trigger phrase per line, with `<group>` standing for a word group."""
    rules = []
    for phrase in phrases.strip().splitlines():
        pattern = _GROUP.sub(lambda found: _GROUPS[found[1]], phrase)
        rules.append(
            _Rule(context, forward, re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])"))
        )
    return rules


CONTEXT_RULES: tuple[_Rule, ...] = (
    *_rules(
        Context.NEGATED,
        forward=True,
        phrases=r"""
no|not|nor|never|without|none|zero|neither|free of|absence of|ruled out
dont|doesnt|didnt|isnt|arent|wasnt|werent|havent|hasnt|hadnt|wont|aint
do not|does not|did not|is not|are not|was not|have not|has not|had not|will not
deny|denies|nothing like|not any|no sign of|no signs of|not a hint of|no more
""",
    ),
    *_rules(
        Context.NEGATED,
        forward=False,
        phrases=r"""
(?:is|are|has|have) gone(?= [.,;:!?]| but| and|$)|gone now|went away|has passed|is fine
are fine|fine now|ok now|okay now|is ok|are ok|not an issue|not a problem|ruled out
no|nope|nah|none|not really|thankfully not|luckily not|at all no|negative
""",
    ),
    *_rules(
        Context.HISTORICAL,
        forward=True,
        phrases=r"""
history of|used to|years ago i|in the past|previously|once had|back in \d+|as a (?:kid|child)
when i was <young>|last year|a few years back
""",
    ),
    *_rules(
        Context.HISTORICAL,
        forward=False,
        phrases=r"""
(?:\w+ )?years ago|(?:a |\w+ )?months ago|last year|last month|years back|in the past
in \d{4}|as a (?:kid|child|teenager)|when i was <young>
(?:but )?(?:that|it|they|this) (?:was|were|got|has been|have been|is) (?:all )?<done>
back to normal|normal again|fine again|all gone|gone now
(?:it |they |that )?(?:went|has gone|have gone|cleared|cleared up|resolved|settled) (?:away|up|off)
(?:it |they |that )?(?:resolved|settled|cleared)
long gone|back then|ages ago|at the time|(?:it |that )?(?:went|got) better
(?:ive|i ve|i have|i) ever had
""",
    ),
    *_rules(
        Context.HYPOTHETICAL,
        forward=True,
        phrases=r"""
if|what if|in case|even if|unless|whether|suppose|supposing|imagine|say i|should i (?:get|have)
(?:can|could|does|do|would|will|might|may) <anyone><cause>
(?:what|which|how) (?:are|is|do|does|would|should|could|causes?|about)
(?:signs?|symptoms?) (?:of|like|such as)|warning signs?|red flags?|(?:look|watch) (?:out )?for
when (?:should|do|would|to)|how (?:do|would|can|will) (?:i|you) (?:know|tell)|tell me about
<worry> (?:about|of) (?:getting|developing|having)
(?:could|might|can|may) (?:i|you|it|this|that) (?:get|develop|have|end up)
risk of|chance of|prevent|avoid
""",
    ),
    *_rules(
        Context.HYPOTHETICAL,
        forward=False,
        phrases=r"""
(?:a |an )?(?:bad |serious |warning |worrying |dangerous )?(?:sign|signs|symptom|symptoms)
(?:serious|dangerous|normal|an emergency|something to worry about|worrying|worth worrying about)
(?:mean|means)|a red flag|red flags|should i worry|when should i
""",
    ),
    *_rules(
        Context.RECENT_PAST,
        forward=False,
        phrases=r"""
on <day>|last (?:week|night|weekend)
yesterday|the other day|a (?:few )?days? ago|at the weekend|at first|earlier this week
""",
    ),
    *_rules(
        Context.RECENT_PAST,
        forward=True,
        phrases=r"""
(?:i|it|the pain|pain) (?:was|were|had been)
""",
    ),
    *_rules(
        Context.OTHER_PERSON,
        forward=True,
        phrases=r"""
(?:my|our|his|her|their|a) <kin>
(?:he|she|they) (?:has|have|had|is|was|cant|fell|says|said)
""",
    ),
    *_rules(
        Context.ELSEWHERE,
        forward=True,
        phrases=r"""
(?:the |this |that |a )?<thing>
""",
    ),
    *_rules(
        Context.ELSEWHERE,
        forward=False,
        phrases=r"""
loved it|love it|would recommend|highly recommend|(?:the )?(?:movie|film|video|show|game|match) was
""",
    ),
    *_rules(
        Context.HARMLESS,
        forward=False,
        phrases=r"""
(?:from|after|because of|cause of|due to|with) <handling>(?:the |my |an |a )?<ice>
(?:because|cause|cos|coz|cuz|as) (?:i|id|i d|my) <slip>
(?:because|cause) (?:of )?(?:my |the |a )?<snag>
(?:from|after) (?:holding|using) (?:my |the )?(?:phone|mouse|bag|steering wheel)
i slept on it|slept on it funny|from sleeping on it
(?:from|after) <sitting>
(?:where|under) (?:the )?(?:ice|ice pack|icepack|cold pack)(?: was| is| went)?
""",
    ),
    *_rules(
        Context.HARMLESS,
        forward=True,
        phrases=r"""
(?:the )?<rub>(?: \w+){0,2} (?:made|makes|left|leaves|has made|is making|gives|gave)
""",
    ),
)

# Phrases that look like a trigger but are not one: "not only", "no doubt".
_PSEUDO = re.compile(
    r"(?<![a-z0-9])(?:not only|no doubt|no wonder|not sure|no idea|not just|nothing but"
    r"|no matter|not certain|no clue|if only|dont know if|dont know whether|not to mention"
    r"|not that|wont stop|doesnt stop|dont stop|never stops|wont quit|cant stop)(?![a-z0-9])"
)

# Where a trigger's scope ends: punctuation, a contrast, or a fresh clause.
_TERMINATORS = word_set(
    """
    . , ; : ! ? but however though although yet except apart aside just still now instead
    whereas which while because cos since so then except besides plus anyway
    """
)
# A fresh clause with its own subject also ends a scope: "no fever my legs are numb".
_NEW_SUBJECT = word_set("i im ive id my mine me")
_COORDINATORS = word_set("and or nor")
_NEW_SUBJECT_AFTER_AND = word_set("i im ive id my it its the this there now")
SCOPE_WORDS = 7
_SENTENCE_ENDS = word_set(". ! ?")
_QUESTION_STARTS = word_set(
    """
    is are am does do did can could should would will what when how why which whats hows
    might may shall
    """
)
_FIRST_PERSON = word_set("i im ive id my me myself mine")

# -- words -----------------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z0-9]+|[.,;:!?/]")
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
# "foot's" is "foot s", not the word "foots"; "it's" and "that's" stay whole.
_POSSESSIVE = re.compile(
    r"(?<![a-z])(?!(?:it|that|what|there|here|he|she|who|where|how|let)['\u2019])([a-z]+)"
    r"['\u2019]s(?![a-z])"
)

# Words triage corrects typos into (body parts and symptoms); everyday words stay as typed.
TRIAGE_WORDS = word_set(
    """
    incontinence incontinent bladder bowel bowels control urinate urinating urine toilet
    numbness numb tingling tingly tingle needles sensation feeling weakness weak balance
    coordination unsteady accident crash crashed collision whiplash fever feverish temperature
    unbearable excruciating agony severe groin saddle genitals buttock buttocks perineum
    tripped slipped fallen stairs legs foot feet toes thigh thighs knees ankle ankles calves
    arms hands fingers stumbling stumble dragging drags drag slapping numbing painkillers
    worse worsening getting injury injured falling bladder peeing weeing pooing wetting
    paracetamol ibuprofen relief helping improving persistent recurring coming weeks months
    months tailbone bottom jelly asleep strength collapse collapsed buckled buckling
    """
)
REAL_WORDS = Path(__file__).parent / "real_words.txt"
# Short words one typo away, which the general speller leaves alone: "numm", "legz".
_SHORT_TARGETS = ("numb", "legs", "toes", "feet", "foot", "fever")


@cache
def _real_words() -> frozenset[str]:
    """Read the real words that are never corrected (see guidance/real_words.py)."""
    lines = REAL_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _tokens(text: str) -> list[str]:
    """Split text into lower-case words and the punctuation that ends a scope."""
    lowered = _POSSESSIVE.sub(r"\1 s", text.lower().replace("\n", " . "))
    lowered = _APOSTROPHES.sub("", lowered)
    return _TOKEN.findall(lowered)


# -- the result ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """What triage read in one message."""

    level: Level
    signs: tuple[Sign, ...]  # the warning signs described, most urgent first
    asked: tuple[Sign, ...]  # signs only asked about (a question or "what if")

    @property
    def urgent(self) -> bool:
        """Tell whether the message needs medical help now."""
        return self.level is Level.URGENT


CALM = Finding(Level.NONE, (), ())


class Triage:
    """Read warning signs in plain, misspelt messages, with their context."""

    def __init__(self, *, known_words: Iterable[str] = (), protect: bool = True) -> None:
        real = _real_words() if protect else frozenset()
        self._speller = Speller(TRIAGE_WORDS, also_known=[*known_words, *real])

    def check(self, message: str) -> Finding:
        """Return the level and the warning signs a message describes or asks about."""
        tokens = [self.correct(token) for token in _tokens(message)]
        if not tokens:
            return CALM
        text = " ".join(tokens)
        starts = _token_starts(tokens)
        modifiers = _modifiers(text, starts)
        described: list[Sign] = []
        asked: list[Sign] = []
        for sign in SIGNS:
            verdict = _read_sign(sign, text, tokens, starts, modifiers)
            if verdict == "described":
                described.append(sign)
            elif verdict == "asked":
                asked.append(sign)
        if not described:
            return Finding(Level.NONE, (), tuple(asked)) if asked else CALM
        described.sort(key=lambda sign: -sign.level.rank)
        return Finding(described[0].level, tuple(described), tuple(asked))

    def correct(self, token: str) -> str:
        """Return a word with a typo in a body part or symptom corrected."""
        if len(token) == 4 and token.isalpha() and token not in self._speller.known:
            # Four letters are too short for the general speller ("feel" and "fell"), so
            # they are corrected only into a few body parts and symptoms: "numm", "legz".
            near = process.extractOne(token, _SHORT_TARGETS, scorer=OSA.distance, score_cutoff=1)
            return near[0] if near else token
        return self._speller.correct(token)


def _token_starts(tokens: Sequence[str]) -> list[int]:
    starts, position = [], 0
    for token in tokens:
        starts.append(position)
        position += len(token) + 1
    return starts


def _index_at(starts: Sequence[int], char: int) -> int:
    """Return the index of the token that starts at (or contains) a character offset."""
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= char:
            low = middle
        else:
            high = middle - 1
    return low


@dataclass(frozen=True, slots=True)
class _Modifier:
    context: Context
    forward: bool
    start: int  # token indices, end exclusive
    end: int


def _modifiers(text: str, starts: Sequence[int]) -> list[_Modifier]:
    pseudo = [
        (_index_at(starts, match.start()), _index_at(starts, match.end() - 1) + 1)
        for match in _PSEUDO.finditer(text)
    ]
    found: list[_Modifier] = []
    for rule in CONTEXT_RULES:
        for match in rule.pattern.finditer(text):
            start = _index_at(starts, match.start())
            end = _index_at(starts, match.end() - 1) + 1
            if any(low <= start < high for low, high in pseudo):
                continue
            found.append(_Modifier(rule.context, rule.forward, start, end))
    return found


def _read_sign(
    sign: Sign,
    text: str,
    tokens: Sequence[str],
    starts: Sequence[int],
    modifiers: Sequence[_Modifier],
) -> str | None:
    """Return "described", "asked" or None for one sign in one message."""
    verdict: str | None = None
    if sign.key == "long-lasting" and not _ABOUT_PAIN.search(text):
        return None
    for pattern in sign.patterns:
        for match in pattern.finditer(text):
            if "a" in pattern.groupindex and int(match["b"]) <= int(match["a"]):
                continue  # "from a 6 to a 3" is easing, not worsening
            span = match.span("k") if "k" in pattern.groupindex else match.span()
            start = _index_at(starts, span[0])
            end = _index_at(starts, span[1] - 1) + 1
            context = _context_of(tokens, start, end, modifiers, sign)
            if context is None:
                return "described"
            if context in (Context.HYPOTHETICAL, Context.OTHER_PERSON):
                verdict = "asked"
    return verdict


def _context_of(
    tokens: Sequence[str],
    start: int,
    end: int,
    modifiers: Sequence[_Modifier],
    sign: Sign,
) -> Context | None:
    """Return the context that modifies a target at tokens [start, end), None if affirmed."""
    found: Context | None = None
    for modifier in modifiers:
        if modifier.start < end and start < modifier.end:
            continue  # a trigger inside the target is part of it ("can't feel")
        if modifier.context not in _APPLIES_TO_ALL and sign.key not in _APPLIES[modifier.context]:
            continue
        if modifier.forward and modifier.end <= start:
            in_scope = _reaches(tokens, modifier.end, start)
        elif not modifier.forward and modifier.start >= end:
            in_scope = _reaches_back(tokens, end, modifier.start)
        else:
            in_scope = False
        if in_scope and (found is None or _PRIORITY[modifier.context] > _PRIORITY[found]):
            found = modifier.context
    if found is None and _asked_as_question(tokens, start, end):
        return Context.HYPOTHETICAL
    return found


_PRIORITY = {
    Context.HYPOTHETICAL: 0,
    Context.OTHER_PERSON: 1,
    Context.ELSEWHERE: 2,
    Context.RECENT_PAST: 3,
    Context.HISTORICAL: 4,
    Context.HARMLESS: 5,
    Context.NEGATED: 6,
}
_APPLIES_TO_ALL = frozenset(
    {
        Context.NEGATED,
        Context.HISTORICAL,
        Context.HYPOTHETICAL,
        Context.OTHER_PERSON,
        Context.ELSEWHERE,
    }
)
# The rest apply to some signs only: pain that was severe on Monday may have eased, but
# bladder trouble on Monday still needs help; an ice pack numbs skin, it does not drop a foot.
_APPLIES = {
    Context.HARMLESS: frozenset({"numbness", "one-side", "balance"}),
    Context.RECENT_PAST: frozenset({"severe-pain", "fever"}),
}


def _reaches(tokens: Sequence[str], begin: int, target: int) -> bool:
    """Tell whether a forward scope from `begin` reaches the target at `target`."""
    if target - begin > SCOPE_WORDS:
        return False
    for index in range(begin, target):
        token = tokens[index]
        if token in _TERMINATORS and not _list_comma(tokens, index, target):
            return False
        if token in _NEW_SUBJECT and index > begin and tokens[index - 1] not in _SUBJECT_LEAD:
            return False
        if (
            token in _COORDINATORS
            and index + 1 < target
            and tokens[index + 1] in _NEW_SUBJECT_AFTER_AND
        ):
            return False
    return True


# Words after which "my" or "I" continues the same clause ("no numbness in my legs").
_SUBJECT_LEAD = word_set(
    """
    in on of to from at down around across up under into for with both either and or nor
    that if when where feel feeling felt have had has got move lift think believe say
    """
)


def _list_comma(tokens: Sequence[str], index: int, target: int) -> bool:
    """Tell whether a comma only separates items of one list: "no numbness, tingling or…"."""
    return tokens[index] == "," and index + 1 == target


def _reaches_back(tokens: Sequence[str], target_end: int, trigger: int) -> bool:
    """Tell whether a backward trigger at `trigger` reaches back to a target ending there.

    A one-word answer after a question ("numbness? no") reaches across its question mark.
    """
    if trigger - target_end > SCOPE_WORDS:
        return False
    between = tokens[target_end:trigger]
    if (
        between
        and between[-1] in ("?", ":", "-")
        and all(token not in _TERMINATORS for token in between[:-1])
    ):
        return trigger == len(tokens) - 1 or tokens[trigger + 1] in _SENTENCE_ENDS
    return not any(token in _TERMINATORS for token in between)


def _asked_as_question(tokens: Sequence[str], start: int, end: int) -> bool:
    """Tell whether a target sits in a question that is not about the asker's own body.

    "Is numbness a bad sign?" asks; "Is it normal that my legs are numb?" tells.
    """
    first = start
    while first > 0 and tokens[first - 1] not in _SENTENCE_ENDS:
        first -= 1
    last = end
    while last < len(tokens) and tokens[last] not in _SENTENCE_ENDS:
        last += 1
    sentence = tokens[first:last]
    asked = tokens[first] in _QUESTION_STARTS or (last < len(tokens) and tokens[last] == "?")
    return asked and not _FIRST_PERSON.intersection(sentence)


# -- answers -------------------------------------------------------------------------------


def labels(signs: Sequence[Sign]) -> str:
    """Join the signs' labels: "a fever and numbness, tingling or loss of feeling"."""
    names = [sign.label for sign in signs]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
