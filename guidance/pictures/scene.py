"""One panel of a picture as flat shapes: the figure, its props and the movement's arrows.

Pure Python; `guidance.pictures.draw` paints the shapes with matplotlib.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from guidance.pictures.body import (
    HEAD_RADIUS,
    JOINTS,
    LIMBS,
    WIDTH,
    Body,
    Camera,
    Point2,
    Shape,
    Vec,
    add,
    arc_points,
    direction,
    vec,
)

FAR_BY = 0.03  # a limb whose root is this far behind the girdle's middle is drawn lighter
FRONT = 100.0  # the depth of things painted over the figure (arrows, straps)
BACK = -100.0  # and under it (floor, mat, bed)
PROP_EDGE = 0.022
ARROW_WIDTH = 0.032
NOSE = 0.032  # radius


def _flat(camera: Camera, points: Sequence[Vec]) -> tuple[tuple[Point2, ...], float]:
    """Project points; return them on the page and their mean depth."""
    projected = [camera.project(p) for p in points]
    depth = sum(p[2] for p in projected) / len(projected)
    return tuple((p[0], p[1]) for p in projected), depth


def _circle(centre: Point2, radius: float, steps: int = 40) -> tuple[Point2, ...]:
    return tuple(
        (
            centre[0] + radius * math.cos(2 * math.pi * i / steps),
            centre[1] + radius * math.sin(2 * math.pi * i / steps),
        )
        for i in range(steps)
    )


def _hull(points: Sequence[Point2]) -> tuple[Point2, ...]:
    """The convex hull (Andrew's monotone chain), anticlockwise."""
    pts = sorted(set(points))

    def cross(o: Point2, a: Point2, b: Point2) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point2] = []
    upper: list[Point2] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return tuple(lower[:-1] + upper[:-1])


def _box_corners(centre: Vec, size: Sequence[float]) -> list[Vec]:
    dx, dy, dz = (float(s) / 2 for s in size)
    return [
        (centre[0] + sx * dx, centre[1] + sy * dy, centre[2] + sz * dz)
        for sx in (-1, 1)
        for sy in (-1, 1)
        for sz in (-1, 1)
    ]


def _squircle(box: Sequence[Point2], power: float = 4.0) -> tuple[Point2, ...]:
    """A soft, pillow-like outline filling the bounding box of some points."""
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    a, b = (max(xs) - min(xs)) / 2, (max(ys) - min(ys)) / 2
    out = []
    for i in range(48):
        t = 2 * math.pi * i / 48
        c, s = math.cos(t), math.sin(t)
        out.append(
            (
                cx + a * math.copysign(abs(c) ** (2 / power), c),
                cy + b * math.copysign(abs(s) ** (2 / power), s),
            )
        )
    return tuple(out)


def figure_shapes(body: Body, camera: Camera, accent: Sequence[str]) -> list[Shape]:
    """The figure: torso, neck and head, four limbs, hands; nearest painted last."""
    shapes: list[Shape] = []
    spine, spine_depth = _flat(camera, body.spine)
    torso_role = "accent" if "torso" in accent else "ink"
    outline, _ = _flat(camera, body.torso_edges())
    shapes.append(Shape(outline, torso_role, WIDTH["arm"], spine_depth, fill=torso_role))
    inset = spine[1:-1]  # so the round caps stay inside the hip and the shoulder
    shapes.append(Shape(inset, torso_role, WIDTH["torso"], spine_depth + 1e-3, halo=False))
    head = camera.project(body.points["head"])
    neck, _ = _flat(camera, [body.points["shoulder"], body.points["head"]])
    shapes.append(Shape(neck, "ink", WIDTH["neck"], head[2] - 1e-3))
    shapes.append(Shape(_circle(head[:2], HEAD_RADIUS), "ink", 0.0, head[2], fill="ink"))
    if "face" in body.pose:
        # A small round nose says where the face looks (hidden when it points away).
        tip = add(body.points["head"], direction(body.pose["face"]), HEAD_RADIUS * 0.92)
        p = camera.project(tip)
        if p[2] > head[2] - HEAD_RADIUS * 0.3:
            nose = _circle(p[:2], NOSE)
            shapes.append(Shape(nose, "ink", 0.0, head[2] + 1e-4, fill="ink", halo=False))
    for limb in LIMBS:
        kind, side = limb.split("_")
        joints = [body.points[f"{name}_{side}"] for name in JOINTS[kind]]
        line, depth = _flat(camera, joints)
        # Lighter when its shoulder (or hip) is behind the other one.
        girdle = camera.project(body.points["shoulder" if kind == "arm" else "hip"])[2]
        far = camera.project(joints[0])[2] < girdle - FAR_BY
        role = "accent" if limb in accent else "ink"
        role = f"{role}_far" if far and role == "accent" else ("far" if far else role)
        shapes.append(Shape(line, role, WIDTH[kind], depth))
        if kind == "arm":
            shapes.append(Shape(_circle(line[-1], WIDTH["hand"] / 2), role, 0.0, depth, fill=role))
    return shapes


def prop_shapes(body: Body, camera: Camera, props: Sequence[Mapping[str, Any]]) -> list[Shape]:
    """Mats, beds, pillows, cushions, chairs and straps, from a panel's `props`."""
    shapes: list[Shape] = []
    for prop in props:
        kind = prop["kind"]
        if kind in ("mat", "bed", "box"):
            corners = _box_corners(vec(prop["at"]), prop["size"])
            flat, depth = _flat(camera, corners)
            width = 0.0 if kind == "mat" else PROP_EDGE
            fill = "mat" if kind == "mat" else "prop_fill"
            layer = BACK + (depth + 1 if kind == "box" else 0)
            shapes.append(Shape(_hull(flat), "prop", width, layer, fill=fill))
        elif kind in ("pillow", "cushion"):
            corners = _box_corners(vec(prop["at"]), prop["size"])
            flat, depth = _flat(camera, corners)
            shapes.append(
                Shape(_squircle(flat), "prop", PROP_EDGE, BACK + depth + 1, fill="prop_fill")
            )
        elif kind == "chair":
            shapes.extend(_chair(camera, prop))
        elif kind == "strap":
            hand = body.point(prop["from"])
            a, b = (body.point(name) for name in prop["along"].split(".."))
            t = float(prop.get("at", 0.5))
            on = add(a, add(b, a, -1.0), t)
            line, _ = _flat(camera, [hand, on])
            shapes.append(Shape(line, "strap", 0.03, FRONT - 1))
            ends, _ = _flat(camera, [a, b])
            ux, uy = ends[1][0] - ends[0][0], ends[1][1] - ends[0][1]
            size = math.hypot(ux, uy) or 1.0
            nx, ny = -uy / size * 0.065, ux / size * 0.065
            band = ((line[1][0] + nx, line[1][1] + ny), (line[1][0] - nx, line[1][1] - ny))
            shapes.append(Shape(band, "strap", 0.045, FRONT - 1))
        else:
            raise ValueError(f"unknown prop kind {kind!r}")
    return shapes


def _chair(camera: Camera, prop: Mapping[str, Any]) -> list[Shape]:
    """A plain chair: x is its front edge, facing +x; a seat, four legs and a backrest."""
    x, z = float(prop["at"][0]), float(prop["at"][1]) if len(prop["at"]) > 1 else 0.0
    seat, depth, half = float(prop.get("seat", 0.46)), 0.42, 0.22
    back = float(prop.get("back", 0.45))
    shapes: list[Shape] = []
    for lx in (x - 0.03, x - depth + 0.03):
        for lz in (z - half + 0.03, z + half - 0.03):
            line, d = _flat(camera, [(lx, 0.0, lz), (lx, seat, lz)])
            shapes.append(Shape(line, "prop", 0.035, BACK + 1 + d))
    slab = _box_corners((x - depth / 2, seat, z), (depth, 0.05, 2 * half))
    flat, d = _flat(camera, slab)
    shapes.append(Shape(_hull(flat), "prop", PROP_EDGE, BACK + 2 + d, fill="prop_fill"))
    rest = _box_corners((x - depth + 0.02, seat + back / 2 + 0.05, z), (0.04, back, 2 * half))
    flat, d = _flat(camera, rest)
    shapes.append(Shape(_hull(flat), "prop", PROP_EDGE, BACK + 1 + d, fill="prop_fill"))
    return shapes


def _bulge(a: Point2, b: Point2, bend: float) -> tuple[Point2, ...]:
    """A curve from a to b bowing `bend` times its length to the left (negative: right)."""
    mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    control = (mid[0] - (b[1] - a[1]) * bend * 2, mid[1] + (b[0] - a[0]) * bend * 2)
    steps = 24
    return tuple(
        (
            (1 - t) ** 2 * a[0] + 2 * t * (1 - t) * control[0] + t**2 * b[0],
            (1 - t) ** 2 * a[1] + 2 * t * (1 - t) * control[1] + t**2 * b[1],
        )
        for t in (i / steps for i in range(steps + 1))
    )


def arrow_shapes(body: Body, camera: Camera, arrows: Sequence[Mapping[str, Any]]) -> list[Shape]:
    """The movement: arcs about a joint or a point, or straight arrows, painted on top."""
    shapes: list[Shape] = []
    for arrow in arrows:
        if "around" in arrow:
            centre = add(body.point(arrow["around"]), vec(arrow.get("offset", [0, 0, 0])))
            points = arc_points(
                centre,
                float(arrow["radius"]),
                arrow.get("plane", "side"),
                float(arrow["from"]),
                float(arrow["to"]),
            )
        else:
            points = [body.point(arrow["from"]), body.point(arrow["to"])]
        line, _ = _flat(camera, points)
        if bend := float(arrow.get("bend", 0)):
            line = _bulge(line[0], line[-1], bend)
        head, dashed = bool(arrow.get("head", True)), bool(arrow.get("dashed", False))
        # A guide line `behind` the figure shows only where the body does not cover it.
        depth = BACK + 50 if arrow.get("behind") else FRONT
        shapes.append(Shape(line, "accent", ARROW_WIDTH, depth, arrow=head, dashed=dashed))
        if "label" in arrow:
            at, _ = _flat(camera, [body.point(arrow["label_at"])])
            shapes.append(Shape(at, "accent", 0.0, FRONT, halo=False, text=arrow["label"]))
    return shapes


def panel_shapes(panel: Mapping[str, Any], camera: Camera) -> list[Shape]:
    """Everything in one panel, sorted for painting (furthest first)."""
    body = Body(panel["body"])
    shapes = prop_shapes(body, camera, panel.get("props", []))
    shapes += figure_shapes(body, camera, panel.get("accent", []))
    shapes += arrow_shapes(body, camera, panel.get("arrows", []))
    return sorted(shapes, key=lambda shape: shape.depth)
