"""Pure rules: what is due when, and what it says. No session, no clock, no I/O."""
