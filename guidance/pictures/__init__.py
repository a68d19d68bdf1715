"""Pictures of the stretches and the resting positions: one PNG per knowledge entry id.

`python -m guidance.pictures.draw` draws them from `poses.toml` (how, and the style rules:
docs/users/stretch-pictures.md). This module only finds the files: no matplotlib, no
telegram. The resting positions of `positions-for-relief` have a picture each,
`positions-side-lying`, `positions-legs-raised` and `positions-floor-cushions`.
"""

from __future__ import annotations

from pathlib import Path

DIRECTORY = Path(__file__).parent

# Every shipped picture, by the knowledge entry id it shows.
PICTURES: dict[str, Path] = {path.stem: path for path in sorted(DIRECTORY.glob("*.png"))}


def picture_for(entry_id: str) -> Path | None:
    """Return the picture of a stretch or a resting position, or None if it has none."""
    return PICTURES.get(entry_id)


__all__ = ["DIRECTORY", "PICTURES", "picture_for"]
