"""Integration tests: databases, the Bot API stand-in, in-process bots, CLIs."""
