"""Draw every stretch and resting-position picture from `poses.toml`: `python -m
guidance.pictures.draw [--out DIR] [NAME ...]`.

One style for all (docs/users/stretch-pictures.md): an opaque off-white card, dark thick
rounded strokes for the figure (the far-side limbs lighter), one blue accent for arrows and
the moving part, grey props; one fixed scale and line width, so the figures match from
picture to picture. matplotlib's Agg backend draws; Pillow cuts the result to a small
palette and writes a PNG without dates or a software stamp, so the same source gives the
same bytes.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import time
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidance.pictures.body import Camera, Shape
from guidance.pictures.scene import panel_shapes

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

HERE = Path(__file__).parent
POSES = HERE / "poses.toml"
DPI = 150
WIDTH_PX = 1080
HEIGHT_PX = 720  # unless a picture says `height = ...`
TITLE_PX = 96
CAPTION_PX = 112  # room for two lines
CAPTION_PT = 16
BADGE_PX = 22
MARGIN_PX = 24
FLOOR_WIDTH = 0.025  # metres
SCALE = 265.0  # pixels per metre at most: every figure is drawn the same size
HALO = 0.016  # metres of card colour around each stroke
COLOURS = {
    "card": "#f4f4f0",
    "ink": "#1d1d1f",
    "far": "#7c7c80",
    "accent": "#2a6fdb",
    "accent_far": "#86aaea",
    "prop": "#8c8c86",
    "prop_fill": "#dcdcd3",
    "mat": "#dedbd1",
    "strap": "#5a5a56",
    "floor": "#8c8c86",
}
PALETTE_SIZE = 48
# The DejaVu Sans files inside matplotlib, by path: not a system font of the same name.
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}


def load_poses(path: Path = POSES) -> dict[str, dict[str, Any]]:
    """Read the picture definitions: one table per picture, by knowledge entry id."""
    with path.open("rb") as file:
        return tomllib.load(file)


def _font(size: float, *, bold: bool = False) -> FontProperties:
    import matplotlib
    from matplotlib.font_manager import FontProperties

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / FONT_FILES[bold]
    return FontProperties(fname=path, size=size)


def _bounds(shapes: Sequence[Shape]) -> tuple[float, float, float, float]:
    """The box round all the shapes, strokes and rims included."""
    boxes = []
    for shape in shapes:
        pad = shape.width / 2 + HALO
        xs, ys = [p[0] for p in shape.points], [p[1] for p in shape.points]
        boxes.append((min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad))
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _paint(ax: Axes, shapes: Sequence[Shape], points_per_metre: float) -> None:
    from matplotlib.patches import FancyArrowPatch, Polygon
    from matplotlib.path import Path as MplPath
    from matplotlib.patheffects import withStroke

    card = COLOURS["card"]
    for order, shape in enumerate(shapes):
        z = 10 + 2 * order
        colour = COLOURS[shape.role]
        width = shape.width * points_per_metre
        halo = 2 * HALO * points_per_metre
        xs, ys = [p[0] for p in shape.points], [p[1] for p in shape.points]
        if shape.text is not None:
            ax.text(
                xs[0],
                ys[0],
                shape.text,
                ha="center",
                va="center",
                fontproperties=_font(15, bold=True),
                color=colour,
                zorder=z,
            )
        elif shape.arrow:
            patch = FancyArrowPatch(
                path=MplPath(list(shape.points)),
                arrowstyle="-|>,head_length=0.7,head_width=0.45",
                mutation_scale=width * 3.2,
                linewidth=width,
                color=colour,
                capstyle="round",
                joinstyle="round",
                zorder=z,
            )
            patch.set_path_effects([withStroke(linewidth=width + halo, foreground=card)])
            ax.add_patch(patch)
        elif shape.fill is not None:
            polygon = Polygon(
                list(shape.points),
                closed=True,
                facecolor=COLOURS[shape.fill],
                edgecolor=colour if shape.width else "none",
                linewidth=width,
                joinstyle="round",
                zorder=z,
            )
            if shape.halo:
                polygon.set_path_effects(
                    [withStroke(linewidth=width + halo, foreground=card, joinstyle="round")]
                )
            ax.add_patch(polygon)
        else:
            if shape.halo:
                ax.plot(
                    xs,
                    ys,
                    color=card,
                    linewidth=width + halo,
                    solid_capstyle="round",
                    solid_joinstyle="round",
                    zorder=z - 1,
                )
            ax.plot(
                xs,
                ys,
                color=colour,
                linewidth=width,
                linestyle=(0, (1.2, 1.6)) if shape.dashed else "-",
                solid_capstyle="round",
                dash_capstyle="round",
                solid_joinstyle="round",
                zorder=z,
            )


def _text(
    figure: Figure, x: float, y: float, text: str, size: float, *, bold: bool = False, **style: Any
) -> None:
    """Write text at (x, y) pixels from the bottom left."""
    figure.text(
        x / DPI,
        y / DPI,
        text,
        transform=figure.dpi_scale_trans,
        fontproperties=_font(size, bold=bold),
        **{"color": COLOURS["ink"], **style},
    )


def _badge(figure: Figure, x: float, y: float, number: int) -> None:
    """The panel's number in a blue disc centred at (x, y) pixels."""
    from matplotlib.patches import Circle

    disc = Circle(
        (x / DPI, y / DPI),
        BADGE_PX / DPI,
        transform=figure.dpi_scale_trans,
        facecolor=COLOURS["accent"],
        edgecolor="none",
    )
    figure.patches.append(disc)
    _text(
        figure,
        x,
        y,
        str(number),
        15,
        bold=True,
        ha="center",
        va="center_baseline",
        color=COLOURS["card"],
    )


def picture_figure(spec: Mapping[str, Any]) -> Figure:
    """Lay out one picture: title, one or two panels side by side, a caption under each.

    Every panel of every picture has the same scale (SCALE, unless the picture would not
    fit) and the same view box, so the floor lines and the figure's size match.
    """
    from matplotlib.figure import Figure

    camera = Camera(**spec.get("camera", {}))
    panels = spec["panels"]
    count = len(panels)
    height = int(spec.get("height", HEIGHT_PX))
    figure = Figure(figsize=(WIDTH_PX / DPI, height / DPI), dpi=DPI, facecolor=COLOURS["card"])
    _text(
        figure,
        MARGIN_PX,
        height - 22,
        spec["title"],
        20,
        bold=True,
        ha="left",
        va="top",
    )
    all_shapes = [panel_shapes(panel, camera) for panel in panels]
    floor = bool(spec.get("floor", camera.elevation == 0))
    left, bottom, right, top = _bounds([s for shapes in all_shapes for s in shapes])
    panel_w = (WIDTH_PX - MARGIN_PX * (count + 1)) / count
    panel_h = height - TITLE_PX - CAPTION_PX
    scale = min(SCALE, panel_w / (right - left), panel_h / (top - bottom))
    centre = ((left + right) / 2, (bottom + top) / 2)
    points_per_metre = scale * 72 / DPI
    for index, (panel, shapes) in enumerate(zip(panels, all_shapes, strict=True)):
        x0 = MARGIN_PX + index * (panel_w + MARGIN_PX)
        ax = figure.add_axes(
            (x0 / WIDTH_PX, CAPTION_PX / height, panel_w / WIDTH_PX, panel_h / height)
        )
        ax.set_axis_off()
        half_w, half_h = panel_w / scale / 2, panel_h / scale / 2
        ax.set_xlim(centre[0] - half_w, centre[0] + half_w)
        ax.set_ylim(centre[1] - half_h, centre[1] + half_h)
        if floor:
            ax.plot(
                [centre[0] - half_w * 0.96, centre[0] + half_w * 0.96],
                [0, 0],
                color=COLOURS["floor"],
                linewidth=FLOOR_WIDTH * points_per_metre,
                solid_capstyle="round",
                zorder=1,
            )
        _paint(ax, shapes, points_per_metre)
        if count > 1:
            _badge(figure, x0 + BADGE_PX + 4, height - TITLE_PX - BADGE_PX, index + 1)
        if caption := panel.get("caption"):
            # Lines break where the caption says (a newline), else to fit the panel.
            if "\n" not in caption:
                caption = textwrap.fill(caption, int(panel_w / (CAPTION_PT * DPI / 72 * 0.52)))
            _text(
                figure,
                x0 + panel_w / 2,
                CAPTION_PX - 12,
                caption,
                CAPTION_PT,
                ha="center",
                va="top",
                linespacing=1.3,
            )
    return figure


def render(spec: Mapping[str, Any]) -> bytes:
    """Draw one picture and return PNG bytes: a small palette, no metadata."""
    import io

    import matplotlib.style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    raw = io.BytesIO()
    # matplotlib's defaults, whatever a matplotlibrc on this machine says.
    with matplotlib.style.context("default"):
        figure = picture_figure(spec)
        FigureCanvasAgg(figure)  # the Agg backend draws it
        figure.savefig(raw, format="rgba", dpi=DPI)
    size = (WIDTH_PX, int(spec.get("height", HEIGHT_PX)))
    image = Image.frombytes("RGBA", size, raw.getvalue()).convert("RGB")
    image = image.quantize(PALETTE_SIZE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def draw_all(out: Path = HERE, names: Sequence[str] = ()) -> list[Path]:
    """Write `<name>.png` for each picture in `poses.toml` (or just those named) to out."""
    poses = load_poses()
    unknown = sorted(set(names) - set(poses))
    if unknown:
        raise KeyError(f"no such picture in {POSES.name}: {', '.join(unknown)}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, spec in poses.items():
        if names and name not in names:
            continue
        target = out / f"{name}.png"
        target.write_bytes(render(spec))
        written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m guidance.pictures.draw", description=__doc__)
    parser.add_argument("names", nargs="*", help="pictures to draw (default: all)")
    parser.add_argument("--out", type=Path, default=HERE, help="directory (default: beside)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    written = draw_all(args.out, args.names)
    for path in written:
        sys.stdout.write(f"{path}  {path.stat().st_size / 1024:.0f} KB\n")
    sys.stdout.write(f"{len(written)} pictures in {time.perf_counter() - started:.1f} s\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
