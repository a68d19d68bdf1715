"""The composer: what to send to one person now, as pure functions."""
