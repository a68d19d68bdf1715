"""What the bot says, by feature, so wording can be reviewed without reading code.

`common` holds the screen type and what every feature shares (local times, the welcome,
button notices, errors); `settings`, `today`, `flare`, `progress`, `questions` and `talk`
(answers to plain messages) and `warning` (the unsure question, and what follows "get
help now") hold their own feature's texts and button layouts; `help` holds
the help and the answers to what the bot cannot take (a command it does not have, a voice
note, a sticker). `nudges` says the composer's nudges (`jobs.composer.content`, what each
nudge holds as data) in words when they are sent.
"""

from bot.wording import (
    common,
    export,
    flare,
    guided,
    help,
    inputs,
    nudges,
    progress,
    questions,
    settings,
    talk,
    today,
    warning,
)

__all__ = [
    "common",
    "export",
    "flare",
    "guided",
    "help",
    "inputs",
    "nudges",
    "progress",
    "questions",
    "settings",
    "talk",
    "today",
    "warning",
]
