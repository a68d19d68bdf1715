"""A guided stretch session: each exercise's card (the caption under its picture), the
countdown of a hold, and the lines that end a session.

Every step, dose and "what to feel" line is the knowledge entry's own; what BackCare adds
of its own (a shorter hold under Easier) says so.
"""

from __future__ import annotations

from bot.i18n import _
from guidance.exercises import Exercise
from jobs.rules.guided import Move

# The buttons under every card, in one row.
BUTTONS: tuple[tuple[str, Move], ...] = (
    (_("⏭ Next"), Move.NEXT),
    (_("🪶 Easier"), Move.EASIER),
    (_("↷ Skip"), Move.SKIP),
    (_("⏹ Stop"), Move.STOP),
)
OWN_STEPS = _("My own steps: my sources give none.")
GENTLE_NOTE = _("🌿 Care mode: gentle only, no full stretches while the spasm is fresh.")
SWAPPED = _("🪶 The gentlest I have: a resting position in its place.")
GENTLEST = _("This is already the gentlest I have: stay as long as it's comfortable.")
STOPPED = _("⏹ Stopped. Nothing logged; the stretch prompt's Done still works if you stretched.")
# What the Stop button says it did, briefly, as it is pressed.
STOPPED_NOTICE = _("Stopped")
ALL_SKIPPED = _("Session over: every exercise was skipped, so nothing is logged.")
ALREADY_LOGGED = _("✅ Session done: today's stretch was already logged ✓")
EXPIRED = _("That session is over: tap ▶️ Start on a stretch prompt, or send /stretch show.")
NO_SUCH_STRETCH = _(
    "I don't have a picture of that one. My stretches: {names}. For "
    "example: /stretch show child's pose"
)


def heading(exercise: Exercise, at: int, of: int) -> str:
    """The card's first line: the exercise's name, and where it is in the session."""
    return (
        _("{title} ({number} of {of})").format(title=exercise.title, number=at + 1, of=of)
        if of > 1
        else exercise.title
    )


def hold_line(exercise: Exercise, *, easier: bool) -> str:
    """The dose, as the entry says it; under Easier a timed hold is halved, said as ours."""
    hold = exercise.hold_seconds
    if easier and hold is not None:
        return _(
            "⏱ Hold {shorter_hold} seconds instead of {hold}: a shorter hold is my "
            "own caution, not from my sources."
        ).format(shorter_hold=shorter_hold(hold), hold=hold)
    return f"⏱ {exercise.dose[:1].upper()}{exercise.dose[1:]}" if exercise.dose else ""


def shorter_hold(seconds: int) -> int:
    """BackCare's own easier hold: half as long, at least 5 seconds."""
    return max(5, seconds // 2)


def card(
    exercise: Exercise,
    *,
    at: int,
    of: int,
    sources: str,
    easier: bool = False,
    easier_line: str = "",
    gentle: bool = False,
    swapped: bool = False,
    timer: str = "",
) -> tuple[str, str]:
    """Return an exercise's caption and its heading line: name, steps, hold (or `timer`, the
    countdown where it stands), what to feel and when to stop, its sources."""
    title = heading(exercise, at, of)
    lines = [title]
    if swapped:
        lines.append(SWAPPED)
    if gentle and at == 0:
        lines.append(GENTLE_NOTE)
    if exercise.own_steps:
        lines.append(OWN_STEPS)
    lines.extend(f"{number}. {step}" for number, step in enumerate(exercise.steps, start=1))
    if easier:
        lines.append(
            _("🪶 Easier: {easier_line} (from my sources)").format(easier_line=easier_line)
        )
    hold = timer or hold_line(exercise, easier=easier)
    if hold:
        lines.append(hold)
    if exercise.feel:
        lines.append(exercise.feel)
    lines.append(sources)
    return "\n".join(lines), title


def get_ready(seconds: int) -> str:
    """Before a timed hold: time to get into position."""
    return _("⏱ The timer starts in {seconds} s: get into position.").format(seconds=seconds)


def countdown(left: int, *, side: int = 0, sides: int = 1) -> str:
    """Say how long a hold has to go: `⏱ 20 s left`, with the side when there are two."""
    which = (
        " " + _("(side {side} of {sides})").format(side=side + 1, sides=sides) if sides > 1 else ""
    )
    return _("⏱ {left} s left{which}").format(left=left, which=which)


def switch_sides(seconds: int) -> str:
    """Between the two sides of a hold."""
    return _("⏱ Now the other side: get ready, {seconds} s starts in a moment.").format(
        seconds=seconds
    )


def hold_over(sides: int) -> str:
    """The hold is over: on to the next."""
    return _("✅ Both sides held: tap ⏭ Next.") if sides > 1 else _("✅ Held: tap ⏭ Next.")


def finished(title: str, done_line: str, walk: str = "") -> str:
    """The last card's caption once the session is done and logged."""
    lines = [
        f"{title} ✓",
        "",
        _("✅ Session done and logged. {done_line}").format(done_line=done_line),
    ]
    if walk:
        lines.append(f"🚶 {walk}")
    return "\n".join(lines)


def ended(title: str, line: str) -> str:
    """The card's caption once the session ends without logging."""
    return f"{title}\n\n{line}"


def rest_first(positions: str, breathing: str) -> str:
    """Start pressed on an episode's first day: rest comes first (001)."""
    return _(
        "🛌 Not today: the first day of a spasm is for rest, then gentle "
        "movement, my sources say. {positions}\n"
        "{breathing}\n"
        "The gentle session comes from tomorrow."
    ).format(positions=positions, breathing=breathing)


__all__ = [
    "ALL_SKIPPED",
    "ALREADY_LOGGED",
    "BUTTONS",
    "EXPIRED",
    "GENTLEST",
    "GENTLE_NOTE",
    "NO_SUCH_STRETCH",
    "OWN_STEPS",
    "STOPPED",
    "STOPPED_NOTICE",
    "SWAPPED",
    "card",
    "countdown",
    "ended",
    "finished",
    "get_ready",
    "heading",
    "hold_line",
    "hold_over",
    "rest_first",
    "shorter_hold",
    "switch_sides",
]
