"""The stretch and resting-position pictures: one for each, small valid PNGs, reproducible."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from guidance import KnowledgeBase
from guidance.pictures import DIRECTORY, PICTURES, picture_for
from guidance.pictures.body import Body
from guidance.pictures.draw import WIDTH_PX, draw_all, load_poses

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_BYTES = 200 * 1024
RESTING_POSITIONS = ("positions-side-lying", "positions-legs-raised", "positions-floor-cushions")
# Named by issue 28 before it has a knowledge entry.
EXTRA_STRETCHES = ("stretch-knee-to-chest",)


@pytest.fixture(scope="module")
def redrawn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Draw every picture again, into a directory of its own."""
    out = tmp_path_factory.mktemp("pictures")
    draw_all(out)
    return out


def test_every_stretch_in_the_knowledge_base_has_a_picture() -> None:
    stretches = KnowledgeBase.load().in_category("stretch")
    assert len(stretches) >= 7
    missing = [entry.id for entry in stretches if picture_for(entry.id) is None]
    assert missing == []


@pytest.mark.parametrize("name", RESTING_POSITIONS + EXTRA_STRETCHES)
def test_each_resting_position_and_knee_to_chest_has_a_picture(name: str) -> None:
    path = picture_for(name)
    assert path is not None
    assert path.is_file()


def test_an_entry_without_a_picture_gets_none() -> None:
    assert picture_for("red-flags") is None
    assert picture_for("positions-for-relief") is None


def test_the_shipped_pictures_are_exactly_those_poses_toml_defines() -> None:
    assert sorted(PICTURES) == sorted(load_poses())
    assert all(path.parent == DIRECTORY for path in PICTURES.values())


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_each_picture_is_a_valid_png_under_200_kb(name: str) -> None:
    path = PICTURES[name]
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) < MAX_BYTES, f"{path.name}: {len(data)} bytes"
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.width == WIDTH_PX
        assert 500 <= image.height <= 720
        # Opaque: it must read the same on Telegram's dark and light themes.
        assert "transparency" not in image.info
        assert image.mode in {"P", "RGB", "L"}


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_redrawing_gives_byte_identical_files(redrawn: Path, name: str) -> None:
    # Fails when poses.toml or the drawing code changed without redrawing: run
    # `python -m guidance.pictures.draw` and commit the pictures with the change.
    assert (redrawn / f"{name}.png").read_bytes() == PICTURES[name].read_bytes()


def test_drawing_writes_no_metadata(redrawn: Path) -> None:
    for path in redrawn.glob("*.png"):
        with Image.open(path) as image:
            assert not {"Software", "Creation Time", "date:create"} & set(image.info), path.name


def test_no_joint_sinks_into_the_floor() -> None:
    for name, spec in load_poses().items():
        if spec.get("floor") is False:  # drawn from above: the page is the bed
            continue
        for number, panel in enumerate(spec["panels"], start=1):
            body = Body(panel["body"])
            low = min(point[1] for point in body.points.values())
            assert low >= 0.0, f"{name} panel {number}: a joint at y={low:.3f}"


def test_importing_the_pictures_loads_neither_matplotlib_nor_telegram() -> None:
    code = (
        "import sys, guidance.pictures as p; p.picture_for('stretch-hamstring'); "
        "print(sorted(m for m in ('matplotlib', 'telegram', 'PIL') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
