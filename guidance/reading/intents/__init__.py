"""Read what a typed message asks for: an act or a bit of chat."""
