"""Plain words people use, mapped to the words the knowledge base uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from guidance.reading.language import words

# Each comma-separated phrase on the right stands for the words on the left. A one-word phrase
# keeps its word and adds the others; a longer phrase is replaced ("hot water bottle" is not
# about drinking water). Phrases match whole words, after typo repair.
_GROUPS: dict[str, str] = {
    # Openers that say nothing about the topic.
    "": (
        "tell me about, tell me, can you tell me, i want to know, i wanna know, do you know, "
        "what do you know about, what about, how about, any advice, any tips, got any tips, "
        "good morning, good afternoon, good evening, good night, hi there, hello there, "
        "so sick of it, sick of it, sick and tired, fed up"
    ),
    "ice": (
        "cold pack, ice pack, ice packs, icepack, frozen peas, bag of peas, peas, frozen veg, "
        "frozen vegetables, cold compress, freezer pack, gel pack, icing, iced, cold, freezing, "
        "ice cubes"
    ),
    "heat": (
        "hot water bottle, warm compress, hot compress, heat pack, hot pack, wheat bag, "
        "electric blanket, warmth, warm, hot, heated, heating, sauna, steam room, hot shower"
    ),
    "heating pad": "heat pad, heatpad, heating pads, heat pads, electric heat pad",
    "hydration water": (
        "water, drink, drinking, drinks, fluid, fluids, thirsty, dehydrated, dehydration, "
        "hydrated, hydrate, litres, liters, electrolytes"
    ),
    "spasm": (
        "cramp, cramps, cramping, knot, knots, seized up, seized, locked up, twinge, twinges, "
        "spasms, spasming, threw my back out, put my back out, back went, back gave out, "
        "tweaked my back, pulled my back, back gone, backs gone, back has gone, back is gone"
    ),
    # A spasm happening now, and what to do about it.
    "during attack": (
        "right now, happening now, at the moment, this minute, currently, just now, what now, "
        "now what, back locked, back has locked, back seized, as we speak, middle of a spasm, "
        "during a spasm, during the spasm, the moment, first hits, "
        "just cramped, its seized, it seized, has seized, "
        "what do i do now, what do i do, what should i do now, what should i do, "
        "first thing to do, first thing i should do, first thing you should do, mid spasm, "
        "while its spasming, while it is spasming, in spasm, "
        "went into spasm, goes into spasm, gone into spasm, just went, just gone, just locked, "
        "killing me, in agony, when it grabs, when it happens, when it locks, threw my back out, "
        "put my back out, back went, back gave out, back gone, backs gone, back has gone, "
        "back is gone, mins ago, minutes ago, just hit, just started, its just started, "
        "started spasming, first hour, first few hours, first ever"
    ),
    "fast": "quick, quickly, quickest, fastest, asap, speed up",
    "minutes": "mins, min, minute",
    "seconds": "secs, sec, second",
    "hours": "hrs, hr, hour",
    "doctor": "doc, gp, physician, dr, medic, clinic, hospital",
    "doctor appointment describe": (
        "tell my doctor, tell the doctor, tell my gp, tell the gp, tell my doc, tell the doc, "
        "say to my doctor, say to the doctor, ask my doctor, ask the doctor, doctors appointment"
    ),
    "physical therapist": "physio, physiotherapist, physiotherapy, pt, physical therapy",
    # Things rubbed on the skin, and where they are bought.
    "cream gel": (
        "rub on, rub in, rub-on, ointment, ointments, balm, deep heat, deep freeze, biofreeze, "
        "tiger balm, ibuleve, lotion, liniment, creams, gels"
    ),
    "over the counter": "chemist, chemists, pharmacy, drugstore, drug store, boots",
    "medicine painkillers": (
        "meds, medication, medications, pills, tablets, painkiller, pain killers, pain killer, "
        "drugs, tylenol, paracetamol, acetaminophen"
    ),
    "ibuprofen": "advil, motrin, nurofen",
    "nsaids": "naproxen, aleve, anti inflammatory, anti inflammatories",
    "muscle relaxants": "relaxers, muscle relaxers, diazepam, valium",
    "pregnancy pregnant": (
        "expecting, baby, bump, trimester, pregnant, weeks pregnant, weeks gone, due date, "
        "contractions, braxton hicks, my waters"
    ),
    "massage": "massage gun, theragun, rubbing, rub, knead, kneading",
    "foam roller": "foam rolling, roller",
    "bath": "tub, bathtub, soak, soaking, jacuzzi, hot tub, epsom",
    "sleep": (
        "asleep, nap, overnight, bedtime, doze, sleeping, waking me up, wakes me up, "
        "woke me up, keeps waking, before bed"
    ),
    "exercise": "workout, work out, working out, training, exercising",
    "posture sitting": (
        "slouching, slouch, hunched, sitting all day, desk job, sit all day, office job, laptop"
    ),
    "lifting": (
        "lift, carry, carrying, picking up, pick up, heavy boxes, shifting boxes, moving boxes, "
        "moving house, moving flat, moving home, boxes"
    ),
    "last duration": (
        "lasting, go away, goes away, gone, heal, healing, recover, still hurts, still sore, "
        "still stiff, still cant, still can t, not getting better, no better, day 3, day 4, "
        "day 5, day 6, day 7, days later, days now, a week now, a week later"
    ),
    "prevent": (
        "avoid, stop it happening, stop them happening, happening again, stop getting, "
        "stop them coming, stop it coming"
    ),
    "prevent come back": (
        "coming back, keep coming back, keeps coming back, come back, comes back, recurring, "
        "recur, keep happening, keeps happening"
    ),
    "emergency hospital": "a e, a and e, er, emergency room, urgent care, ambulance",
    "xray": "x ray, xrays, x rays",
    "scan": "mri, ct, scans",
    "chiropractor": "chiro, chiropractors, back cracking",
    "electrotherapy": (
        "tens, tens machine, electrode, electrodes, electrode pads, electrical stimulation, "
        "e stim, estim, muscle stimulator"
    ),
    "shoes": "heels, high heels, trainers, sneakers, footwear",
    # On your feet all day at work: posture and footwear.
    "standing posture shoes": (
        "on my feet, on your feet, on their feet, standing all day, stand all day, "
        "stood all day, on my feet all day"
    ),
    # Lying in bed for days: the documents' "rest a day, not longer".
    "bed rest immobile": (
        "stay in bed, staying in bed, stayed in bed, flat in bed, lie flat, lying flat, "
        "stay flat, laid up, bedridden, in bed all day, lying down since, lying in bed"
    ),
    "driving": "motorway, highway, freeway, behind the wheel, road trip, at the wheel",
    # How a spasm feels to the hand.
    "hard to the touch symptoms": (
        "rock hard, hard as a rock, hard lump, hard muscle, under the skin, twisted under"
    ),
    "twinge symptoms": "twitch, twitches, twitching, twitchy, flutter, fluttering, flickering",
    "duration last": (
        "these things last, do they last, does it last, will it last, do these last, "
        "usually last, it normally last, days ago, a week ago, weeks ago"
    ),
    "activity aggravate": (
        "hoovering, hoover, vacuuming, vacuum, housework, chores, cleaning, gardening, "
        "ironing, mowing, washing up, diy, decorating"
    ),
    "sport sports football": (
        "footy, soccer, five a side, 5 a side, rugby, netball, tennis, squash, basketball, "
        "cricket, hockey, badminton"
    ),
    "position positions lying": (
        "way to lie, how to lie, how should i lie, position to lie, best way to lie, "
        "least painful way to lie, what position, which position, hurts the least, hurts least, "
        "least painful, comfiest"
    ),
    "positions knees pillow": (
        "legs up, put my legs up, feet up, legs on a pillow, legs up or down"
    ),
    "immobile all day": "days straight, for days, all week, days on end, weeks on end",
    "rest immobile stiffness": (
        "resting too long, rest too long, too much rest, too much bed rest, rested too long"
    ),
    "calm activity distract": (
        "stir crazy, bored, boredom, pass the time, keep busy, keep myself busy, distraction"
    ),
    "duration last heal": (
        "feel normal again, back to normal, until i feel normal, how long until, be better by"
    ),
    "force stretch": "push it, push through it, push myself, full twist, full stretch, full range",
    "causes cause": "what causes, what caused, what actually causes, why did it happen",
    "trigger": (
        "set off, sets off, setting off, set my back off, setting my back off, sets my back off, "
        "set it off, sets it off, setting it off"
    ),
    "massage pressure fingers": (
        "thumbs, dig in, dig his thumbs, dig my thumbs, press on it, pressing on it, "
        "trigger point, trigger points"
    ),
    "keep moving active rest": (
        "push on, carry on, keep going, soldier on, power through, stop everything"
    ),
    "underlying keeps coming back": (
        "than it used to, than they used to, more often now, more and more often, "
        "more frequent, more frequently, getting more often"
    ),
    "together combine": (
        "at the same time, same time, together with, along with, alongside, mix, mixing"
    ),
    "older adults arthritis": (
        "older, elderly, getting older, old age, aging, ageing, pensioner, my age, "
        "used to at my age"
    ),
    "sciatica": (
        "shooting pain, shooting down, pain down my leg, down my leg, down the back of my leg, "
        "down the back of my thigh, radiating down"
    ),
    "definition involuntary": (
        "what is a back spasm, what even is a back spasm, what is a spasm, whats a spasm, "
        "what actually is, going on in there, what is happening in there"
    ),
    "work job": (
        "go into work, go in to work, go to work, go back to work, back to work, into work"
    ),
    "stress": "stressed, anxious, anxiety, nervous",
    "back pain": "lumbago, backache, back ache, sore back",
    "breathing": "breathe, breath, breaths, inhale, exhale",
    "hamstring": "hammy, hamstrings, back of my thigh, back of thigh",
    "stretch": "stretches, stretching, stretchy, yoga",
    "shoulder rolls": "roll my shoulders, rolling shoulders, shoulder circles",
    "child's pose": "childs pose, child pose, kids pose",
    "surgery": "operation, op, surgical",
}


def _build(groups: Mapping[str, str]) -> dict[tuple[str, ...], tuple[str, ...]]:
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for expansion, phrases in groups.items():
        added = tuple(words(expansion))
        for phrase in phrases.split(","):
            key = tuple(words(phrase))
            table[key] = table.get(key, ()) + added
    return table


SYNONYMS: dict[tuple[str, ...], tuple[str, ...]] = _build(_GROUPS)
LONGEST_PHRASE = max(len(phrase) for phrase in SYNONYMS)
# Ice and heat named together as a choice ("ice pack or heat pad?"): which to choose, not
# how to use either. Each keeps its own words, and adds "choose".
_ICE = ("ice", "ice pack", "cold", "cold pack", "frozen peas")
_HEAT = ("heat", "heat pad", "heating pad", "hot", "warm", "hot water bottle", "heat pack")


def expand(tokens: Sequence[str]) -> list[str]:
    """Swap known phrases for the knowledge base's words, longest phrase first."""
    expanded: list[str] = []
    start = 0
    while start < len(tokens):
        for size in range(min(LONGEST_PHRASE, len(tokens) - start), 0, -1):
            phrase = tuple(tokens[start : start + size])
            if phrase in SYNONYMS:
                kept = phrase if size == 1 else ()
                expanded.extend((*kept, *SYNONYMS[phrase]))
                start += size
                break
        else:
            expanded.append(tokens[start])
            start += 1
    return expanded


def _choices() -> dict[tuple[str, ...], tuple[str, ...]]:
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for one in _ICE:
        for other in _HEAT:
            for first, second in ((one, other), (other, one)):
                said = (*words(first), "or", *words(second))
                table[said] = (*expand(words(first)), *expand(words(second)), "choose")
    return table


SYNONYMS.update(_choices())
LONGEST_PHRASE = max(len(phrase) for phrase in SYNONYMS)


def phrase_words() -> set[str]:
    """Return every word that appears in a synonym phrase or expansion."""
    found: set[str] = set()
    for phrase, expansion in SYNONYMS.items():
        if expansion:
            found.update(phrase)
            found.update(expansion)
    return found


def synonym_terms() -> set[str]:
    """Return the one-word synonyms and every word they stand for: words a question may use."""
    found: set[str] = set()
    for phrase, expansion in SYNONYMS.items():
        if len(phrase) == 1 and expansion:
            found.update(phrase)
        found.update(expansion)
    return found
