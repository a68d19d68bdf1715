"""Read a time zone from what a person types: names, places, offsets."""
