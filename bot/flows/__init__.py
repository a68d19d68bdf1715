"""What each update does for its sender, and what to answer: every flow returns one `Reply`.

A handler runs one flow in one transaction (a `Visit`), reschedules the sender's nudges
when the reply says its flow changed them, and shows the reply. Where onboarding stands,
and which typed answer is expected, are read from and written to the user's row, so any
bot process can take the next update.

The flows are split by feature: `reply` (the `Reply` value), `onboarding`, `settings`,
`nudges`, `care`, `records`, `signs`, `questions` and `conversation` (typed messages and
pressed buttons, which call each other); the handlers (`bot.handlers`, `bot.commands`) run
them and `bot.render` shows their replies.
"""
