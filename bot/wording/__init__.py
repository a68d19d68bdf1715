"""What the bot says, by feature, so wording can be reviewed without reading code.

`common` holds the screen type and what every feature shares (local times, the welcome,
button notices, errors); `settings`, `today`, `flare`, `progress` and `questions` hold their own
feature's texts and button layouts. The nudges' own texts live with the nudges, in
`jobs.pure.nudges`.
"""

from bot.wording import common, flare, progress, questions, settings, today

__all__ = ["common", "flare", "progress", "questions", "settings", "today"]
