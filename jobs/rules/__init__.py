"""The pure rules: a person's settings, windows, plans, flares and progress."""
