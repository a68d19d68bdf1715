"""The patterns the intent reader matches."""

from __future__ import annotations

import re


def _pattern(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


_DISTRESS_ALONE = re.compile(
    r"^(?:help|help me|sos|please help|pls help|help please|help pls|ow+|o+w+|ouch|agony"
    r"|what do i do|what should i do|what do i do now|what now|spasm|back spasm"
    r"|it'?s happening again|it hurts|hurts)$|^o+w+\b|^ou+ch\b"
    r"|^help\b(?! me (?:with|to|find|understand))"
    r"|\b(?:please|pls|plz) help\b|\bhelp (?:me )?(?:please|pls|plz)\b"
)
# Something happening to their back now, not a topic: "it just went", "back is locked".
_SPASM = _pattern(
    r"(?:went|gone|going|go) into (?:a )?spasm",
    r"spasming",
    r"in spasm",
    r"seiz(?:ed|ing)(?: up)?",
    r"lock(?:ed|ing)?(?: up)?",
    r"put (?:my|it) back out",
    r"threw (?:my|out my) back",
    r"(?:done|did) my back in",
    r"(?:it|something|back|everything)(?: \w+){0,3}"
    r" (?:went|gone|snapped|popped|gave out|gave way)",
    r"pulled my back",
    r"tweaked my back",
    r"happening again",
    r"frozen",
    r"(?:spasms?|cramps?|cramping) (?:again|now|right now|started|starting|just)",
    r"(?:just|now|again)(?: \w+){0,2} (?:spasm\w*|cramp\w*)",
)
_PAIN_NOW = _pattern(
    r"hurts? (?:so|really|a lot|too|like hell|bad)\w*",
    r"so much pain",
    r"in (?:so much|a lot of|agony|pain)",
    r"agony",
    r"killing me",
    r"can'?t (?:move|stand|sit|get up|walk|bend|straighten|even)",
    r"cannot (?:move|stand|sit|get up|walk|bend|straighten)",
    r"unable to (?:move|stand|sit|get up|walk)",
    r"stuck (?:on|in) (?:the |my )?(?:sofa|couch|bed|floor|chair)",
    r"sharp pain",
    r"(?:pain|it) is (?:like )?(?:[789]|10) ?(?:/|out of) ?10",
    r"(?:[789]|10) ?(?:/|out of) ?10",
    r"excruciating",
    r"unbearable",
    r"very pain",
    r"(?:cramping|spasming|hurting|aching|throbbing)(?: up)? (?:really |so |very )?(?:bad|badly)",
    r"stuck (?:halfway|bent|like this)",
)
_URGE = _pattern(r"now", r"right now", r"again", r"just", r"help", r"please", r"what do i do")
_QUESTION_START = re.compile(
    r"^(?:is|are|should|can|could|does|do|how|why|when|which|will|would|what|whats|what's"
    r"|where|may)(?=\s)"
)
# A request in question form is still a request: "can you remind me…", "could u change…".
_REQUEST = re.compile(r"^(?:can|could|would|will) (?:you|ya) |^please |\bremind me\b")

_STOP = _pattern(
    r"stop",
    r"unsubscribe",
    r"leave me alone",
    r"too many (?:messages|reminders|nudges|notifications)",
    r"(?:do not|don'?t) want (?:these|the|any|your)? ?(?:reminders|nudges|messages)",
    r"stop (?:messaging|sending|texting|reminding|bugging)",
    r"no more (?:reminders|nudges|messages)",
    r"turn (?:it|everything|all) off",
    r"go away",
    r"leave me be",
)
_PAUSE = _pattern(
    r"pause",
    r"mute",
    r"silence",
    r"hold (?:the |my |all )?(?:reminders|nudges|messages)",
    r"no (?:reminders|nudges|messages)",
    r"(?:stop|quiet) (?:the |my )?(?:reminders|nudges|messages)",
    r"on holiday",
    r"on vacation",
    r"away",
    r"days? off",
    r"break from (?:the |these |your )?(?:reminders|nudges|messages|msgs|texts)",
    r"hold off",
    r"give it a rest",
    r"gone",
    r"(?:not|don'?t|do not) send",
    r"off to",
    r"off from (?:the )?(?:reminders|nudges)",
)
_RESUME = _pattern(
    r"resume",
    r"unpause",
    r"un-pause",
    r"start (?:again|over|back up|them again|the reminders|the nudges)",
    r"i'?m back",
    r"im back",
    r"back from",
    r"(?:turn|switch) (?:the |my )?(?:reminders|nudges|them|it) (?:back )?on",
    r"(?:turn|switch) (?:it|them|the reminders|the nudges) back on",
    r"(?:reminders|nudges) (?:back )?on",
    r"you can start",
    r"carry on",
)
_BUSY = _pattern(
    r"busy",
    r"meetings?",
    r"driving",
    r"on (?:a |the )?(?:call|phone|plane|train|shift|the road)",
    r"in (?:a |the )?(?:call|class|car|lecture|session|meeting|workshop|exam)",
    r"exam",
    r"presenting",
    r"rehearsal",
    r"at (?:work|the dentist|the doctors?|the gym|school|uni)",
    r"popping out",
    r"out (?:for|until|till)",
    r"back (?:at|by|in)",
    r"free (?:after|around|at|from|by|in)",
    r"working",
    r"cooking",
    r"can'?t (?:now|right now|rn)",
    r"(?:we )?land",
    r"got (?:stuff|things|something|a lot) on",
    r"tied up",
    r"occupied",
    r"swamped",
)
_SNOOZE = _pattern(
    r"later",
    r"not now",
    r"not right now",
    r"in a (?:bit|while|minute|min|sec|moment)",
    r"snooze\w*",
    r"remind me",
    r"ask me again",
    r"try me again",
    r"ping me",
    r"nudge me (?:again|later|in)",
    r"give me",
    r"gimme",
    r"more mins?",
    r"more minutes",
    r"after this",
    r"one sec",
    r"hold on",
)
_SKIP = _pattern(
    r"skip\w*",
    r"pass",
    r"not this (?:time|one)",
    r"no thanks",
    r"no thank you",
    r"nah",
    r"not today",
    r"sit this one out",
    r"give (?:it|this one) a miss",
)
_DONE = _pattern(
    r"done",
    r"did (?:it|that|this|them|my \w+|the \w+)",
    r"finished",
    r"completed",
    r"all good",
    r"already did",
    r"sorted",
    r"(?:that'?s|it'?s) done",
    r"have done",
    r"i did",
)
_BREAK = _pattern(
    r"walk(?:ed|ing)?",
    r"got up",
    r"get up",
    r"stood up",
    r"standing",
    r"stretched my legs",
    r"stretch(?:ed)? (?:my )?legs",
    r"had a break",
    r"took a break",
    r"(?:took|had|taking) a (?:short |quick |little )?(?:walk|stroll|break)",
    r"kitchen and back",
    r"up and (?:moving|about)",
    r"moving",
    r"went (?:outside|out|for a walk|to the)",
    r"moved around",
    r"round the block",
    r"around the block",
    r"(?:a )?lap (?:of|around|round)",
    r"dog out",
    r"walked the dog",
)
# A break already taken ("took the dog out for 10 min"): read before any "for 10 min".
# Pain after moving, or asking whether to: a question to answer, never a break logged.
_HURT = _pattern(
    r"hurt\w*",
    r"worse",
    r"pain\w*",
    r"sore\w*",
    r"agony",
    r"ach(?:e|es|ing|y)",
    r"should i",
    r"is it ok",
    r"can i",
    r"spasm\w*",
)
_BREAK_TAKEN = _pattern(
    r"walked",
    r"took (?:a walk|a break|the dog out|a stroll)",
    r"went (?:round|around|for a walk|outside|to the)",
    r"did a lap",
    r"got up",
    r"stood up",
    r"stretched my legs",
)
_TODAY = _pattern(
    r"today",
    r"my day",
    r"so far",
    r"how much (?:have i|did i|water have)",
    r"how many glasses (?:so far|today|have i|did i)",
)
_PROGRESS = _pattern(
    r"streaks?",
    r"history",
    r"stats",
    r"statistics",
    r"progress",
    r"this week",
    r"last (?:7|seven|30|thirty) days",
    r"days in a row",
    r"how (?:did|have) i (?:done|do|been)",
    r"chart",
)
_HELP = re.compile(
    r"\b(?:what (?:can|do) (?:you|u) (?:do|offer)|commands?\b|how (?:does|do) (?:this |the )?"
    r"(?:bot |thing |app )?(?:this |it |you |u )?work|how do i use|what (?:is|are) (?:this|you)"
    r"|what do (?:you|u) do|how to use|menu"
    r"|instructions|features)"
)
_SETTINGS = _pattern(
    r"change (?:my|the)",
    r"set (?:my|the)",
    r"settings?",
    r"time ?zone",
    r"moved to",
    r"i live in",
    r"wake (?:up )?(?:at|time)",
    r"wake up time",
    r"go to bed",
    r"bed ?time",
    r"(?:glasses|glass) (?:bigger|smaller|size)",
    r"my glass is",
    r"(?:turn|switch) (?:off|on) (?:the )?(?:stretch|water|posture|break|ice|heat|care)\w*",
    r"(?:stretch|water|posture|break|ice|heat) (?:reminders|nudges) (?:off|on)",
    r"instead of",
    r"(?:start|begin|finish|end) (?:at|from) \d",
    r"work hours",
    r"goal",
)
_THANKS = _pattern(
    r"thanks?",
    r"thank (?:you|u)",
    r"thx",
    r"ty",
    r"cheers",
    r"ta",
    r"appreciate it",
    r"you'?re (?:great|the best|amazing|awesome)",
    r"ur (?:great|the best)",
    r"love (?:it|this|you)",
    r"lifesaver",
    r"legend",
    r"you rock",
)
_HELLO = _pattern(
    r"how are (?:you|u|ya)",
    r"hi+",
    r"hello",
    r"hey+",
    r"hiya",
    r"good (?:morning|afternoon|evening|night)",
    r"morning",
    r"yo",
    r"sup",
)
_OK = _pattern(
    r"ok+",
    r"okay",
    r"k",
    r"cool",
    r"nice",
    r"great",
    r"lol",
    r"haha\w*",
    r"sure",
    r"alright",
    r"got it",
    r"fine",
    r"yes",
    r"yep",
    r"yeah",
    r"no",
    r"nope",
    r"good",
    r"awesome",
    r"perfect",
)
_WATER_AMOUNT = re.compile(
    r"(?<![\w.])(?P<amount>\d{1,6}(?:[.,]\d{1,3})?|a|an|one|two|three|four|five"
    r"|half a|half an|half)\s*"
    r"(?:(?:whole|full|big|large|small|little|tall) )?"
    r"(?P<unit>fl\.? ?oz|oz|ounces?|ml|millilit(?:re|er)s?|l|lit(?:re|er)s?|glass(?:es)?|glas"
    r"|cups?|mugs?|bottles?|pints?)(?![a-z])"
)
# "mug of tea", "glass of water": one, when the message starts with the vessel.
_WATER_ALONE = re.compile(
    r"^(?:just |had |drank )?(?P<amount>)(?P<unit>glass|cup|mug|bottle|pint)s?(?: of)?\b"
)
_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


_PAIN_WORDS = _pattern(r"pain\w*", r"hurt\w*", r"ache\w*", r"aching", r"sore", r"ow+")


_CARE_TOPIC = _pattern(
    r"pain\w*", r"back", r"spasm\w*", r"ice", r"heat\w*", r"stretch\w*", r"hurt\w*", r"sore"
)
_ASKING = _pattern(
    r"recommend",
    r"translate",
    r"tell me",
    r"show me",
    r"write",
    r"explain",
    r"what",
    r"why",
    r"where",
    r"which",
    r"who",
    r"posture",
    r"brace",
    r"tips?",
)
