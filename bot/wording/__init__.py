"""What the bot says, by feature, so wording can be reviewed without reading code.

`common` holds the screen type and what every feature shares (local times and dates, the
welcome, button notices, errors); `asking` and `settings` the settings' questions, menu
and confirmations; `today`, `flare`, `progress`, `questions`, `talk` (answers to plain
messages), `warning` (the unsure question, and what follows "get help now") and `guided`
their own feature's texts and buttons; `help` the help and the answers to what the bot
cannot take; `inputs` the refusals of what was typed; `nudges` says the composer's nudges
(`jobs.composer.content`) as they are sent; `report` and `export` the documents' words.

Every string a person reads is marked with `_` (bot/i18n.py) and kept in
locale/messages.pot (`make messages`): see docs/architecture/wording.md.
"""

from bot.wording import (
    answers,
    asking,
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
    "answers",
    "asking",
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
