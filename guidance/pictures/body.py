"""The figure and its props as geometry: a pose (joint angles) to 3-D points to flat shapes.

Pure Python (no matplotlib): `guidance.pictures.draw` paints what `scene` returns.

Units are metres; world axes: x forward (to the right in a side view), y up, z towards the
viewer of a side view (the figure's near side). A segment's direction is an angle in the
x-y plane (0 = forward, 90 = up), optionally with a second angle out of that plane (towards
+z), so a side-view pose is a list of plain angles. Segment lengths are fixed (an adult's
proportions), so every pose keeps the same body.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Vec = tuple[float, float, float]
Point2 = tuple[float, float]

LENGTHS = {
    "upper_arm": 0.29,
    "forearm": 0.27,
    "thigh": 0.44,
    "shin": 0.43,
    "foot": 0.14,
}
TORSO = 0.52  # hip joint to the shoulder line
NECK = 0.2  # shoulder line to the centre of the head
HEAD_RADIUS = 0.11
SHOULDER_HALF = 0.17
HIP_HALF = 0.09
# Stroke widths, metres.
WIDTH = {"torso": 0.19, "neck": 0.075, "arm": 0.07, "leg": 0.085, "hand": 0.095}
LIMBS = {
    "arm_near": ("upper_arm", "forearm"),
    "arm_far": ("upper_arm", "forearm"),
    "leg_near": ("thigh", "shin", "foot"),
    "leg_far": ("thigh", "shin", "foot"),
}
JOINTS = {
    "arm": ("shoulder", "elbow", "hand"),
    "leg": ("hip", "knee", "ankle", "toe"),
}


@dataclass(frozen=True, slots=True)
class Shape:
    """One flat thing to paint: a stroke, or a closed outline with a fill.

    `role` names the colour (ink, far, accent, accent_far, prop, prop_fill, mat, card);
    `width` is the stroke width in metres (0: no stroke). Shapes are painted in `depth`
    order, nearest last; `halo` draws a card-coloured rim first, to part crossing strokes.
    """

    points: tuple[Point2, ...]
    role: str
    width: float
    depth: float
    fill: str | None = None
    halo: bool = True
    arrow: bool = False
    dashed: bool = False
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Camera:
    """Orthographic: turn the world `azimuth` degrees about the vertical, then tilt it
    `elevation` degrees (looking down)."""

    azimuth: float = 0.0
    elevation: float = 0.0

    def project(self, p: Vec) -> tuple[float, float, float]:
        """Return (across, up, depth) on the page, depth growing towards the viewer."""
        a, e = math.radians(self.azimuth), math.radians(self.elevation)
        x = p[0] * math.cos(a) + p[2] * math.sin(a)
        z = -p[0] * math.sin(a) + p[2] * math.cos(a)
        up = p[1] * math.cos(e) - z * math.sin(e)
        depth = z * math.cos(e) + p[1] * math.sin(e)
        return x, up, depth


def add(a: Vec, b: Vec, k: float = 1.0) -> Vec:
    return (a[0] + k * b[0], a[1] + k * b[1], a[2] + k * b[2])


def scale(v: Vec, k: float) -> Vec:
    return (v[0] * k, v[1] * k, v[2] * k)


def direction(spec: float | Sequence[float]) -> Vec:
    """A unit vector from an angle in the x-y plane, or [angle, angle out towards +z]."""
    angle, out = (float(spec), 0.0) if isinstance(spec, int | float) else map(float, spec)
    a, o = math.radians(angle), math.radians(out)
    return (math.cos(o) * math.cos(a), math.cos(o) * math.sin(a), math.sin(o))


def rotate(v: Vec, axis: Vec, degrees: float) -> Vec:
    """Rodrigues' rotation of v about a unit axis."""
    t = math.radians(degrees)
    c, s = math.cos(t), math.sin(t)
    dot = v[0] * axis[0] + v[1] * axis[1] + v[2] * axis[2]
    cross = (
        axis[1] * v[2] - axis[2] * v[1],
        axis[2] * v[0] - axis[0] * v[2],
        axis[0] * v[1] - axis[1] * v[0],
    )
    return add(add(scale(v, c), cross, s), axis, dot * (1 - c))


def vec(value: Sequence[float]) -> Vec:
    x, y, *rest = (float(v) for v in value)
    return (x, y, rest[0] if rest else 0.0)


class Body:
    """The joints of one pose, in world coordinates, and the curve of the spine."""

    def __init__(self, pose: Mapping[str, Any]) -> None:
        self.pose = pose
        hip = vec(pose["hip"])
        axis = direction(pose["torso"])
        shoulder = add(hip, axis, TORSO)
        # The spine bows `bend` metres, to the left of its hip-to-shoulder direction in the
        # side plane (up, a rounded back, on all fours facing right), most at `bend_at`
        # (0 to 1 from the hip: 0.35 is the lower back).
        normal = rotate(axis, (0.0, 0.0, 1.0), 90)
        bend = float(pose.get("bend", 0.0))
        power = math.log(0.5) / math.log(float(pose.get("bend_at", 0.5)))
        self.spine = [
            add(add(hip, axis, TORSO * t), normal, bend * math.sin(math.pi * t**power))
            for t in (i / 12 for i in range(13))
        ]
        across = (0.0, 0.0, 1.0)
        self.shoulder_side = rotate(across, axis, float(pose.get("twist", 0)))
        self.hip_side = rotate(across, axis, float(pose.get("hips_twist", 0)))
        self.points: dict[str, Vec] = {"hip": hip, "shoulder": shoulder}
        self.points["head"] = add(shoulder, direction(pose.get("head", pose["torso"])), NECK)
        for limb, segments in LIMBS.items():
            kind, side = limb.split("_")
            sign = 1.0 if side == "near" else -1.0
            if kind == "arm":
                # `shrug` moves the shoulder joints off the spine's end: [forward, up].
                lifted = add(shoulder, vec(pose.get("shrug", [0, 0])))
                start = add(lifted, self.shoulder_side, sign * SHOULDER_HALF)
            else:
                start = add(hip, self.hip_side, sign * HIP_HALF)
            names = JOINTS[kind]
            self.points[f"{names[0]}_{side}"] = start
            for name, segment, spec in zip(names[1:], segments, pose[limb], strict=True):
                start = add(start, direction(spec), LENGTHS[segment])
                self.points[f"{name}_{side}"] = start

    def torso_edges(self) -> list[Vec]:
        """The torso's outline as seen from the front: the spine widened from the hips'
        width to the shoulders' (seen from the side it folds onto the spine)."""
        n = len(self.spine) - 1
        half = [
            add(
                scale(self.hip_side, HIP_HALF * (1 - i / n)),
                self.shoulder_side,
                SHOULDER_HALF * i / n,
            )
            for i in range(n + 1)
        ]
        left = [add(p, h) for p, h in zip(self.spine, half, strict=True)]
        right = [add(p, h, -1.0) for p, h in zip(self.spine, half, strict=True)]
        return left + right[::-1]

    def point(self, ref: str | Sequence[float]) -> Vec:
        """A point: coordinates, a joint name, or `a..b@t`, a fraction t of the way a to b."""
        if not isinstance(ref, str):
            return vec(ref)
        if "@" in ref:
            span, fraction = ref.split("@")
            a, b = (self.points[name] for name in span.split(".."))
            return add(a, add(b, a, -1.0), float(fraction))
        return self.points[ref]


PLANES: dict[str, tuple[Vec, Vec]] = {
    "side": ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0)),
    "top": ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0)),
    "front": ((0.0, 0.0, 1.0), (0.0, 1.0, 0.0)),
}


def arc_points(centre: Vec, radius: float, plane: str, start: float, end: float) -> list[Vec]:
    """Points along a circular arc in the side (x-y), top (x-z) or front (z-y) plane,
    from `start` to `end` degrees (0 along the plane's first axis)."""
    e1, e2 = PLANES[plane]
    steps = max(8, int(abs(end - start) / 4))
    out = []
    for i in range(steps + 1):
        t = math.radians(start + (end - start) * i / steps)
        out.append(add(add(centre, e1, radius * math.cos(t)), e2, radius * math.sin(t)))
    return out
