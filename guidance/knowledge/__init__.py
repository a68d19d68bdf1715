"""The knowledge: the entries, their index, and the guide that answers."""
