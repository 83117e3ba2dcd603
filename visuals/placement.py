"""Where a chart's text labels go so that no two overlap, decided before the chart is drawn.

Vega-Lite has no label layout of its own, so the boxes are estimated here from the text: each
character's advance width in DejaVu Sans (the widest of the common sans-serif faces, and the one a
Linux browser falls back to), so the estimate is never narrower than the text a browser draws with
Arial, Helvetica or Liberation Sans. A test measures the real boxes in Chromium.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: advance widths in em of DejaVu Sans, rounded up; a character not listed counts as WIDE
_NARROW = dict.fromkeys("il.,:;'|!`", 0.29) | dict.fromkeys("jI ", 0.33) | dict.fromkeys("ftr()[]-/", 0.42)
_CAPITALS = dict.fromkeys("ABCDEFGHJKLNOPQRSTUVXYZ", 0.78) | {"M": 0.87, "W": 1.0}
_LOWER = dict.fromkeys("abcdeghknopqsuvxyz", 0.64) | {"m": 0.98, "w": 0.83}
_DIGITS = dict.fromkeys("0123456789", 0.64)
WIDTHS = _NARROW | _CAPITALS | _LOWER | _DIGITS
WIDE = 0.8
#: bold DejaVu Sans is this much wider than its regular face, at most
BOLD = 1.12
#: a line of text takes this many times its font size, from the top of an accent to below a descender
LINE = 1.25


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in pixels that `text` takes at font size `size`, never less than a browser draws."""
    width = sum(WIDTHS.get(character, WIDE) for character in text) * size
    return width * (BOLD if bold else 1.0)


def text_height(size: float) -> float:
    return size * LINE


@dataclass(frozen=True)
class Box:
    """A label's box: centre and size, in pixels."""

    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return (
            abs(self.x - other.x) * 2 < self.width + other.width + 2 * gap
            and abs(self.y - other.y) * 2 < self.height + other.height + 2 * gap
        )


def zoom_to_part(first: Box, second: Box, gap: float) -> float:
    """The zoom (distances between the centres multiplied by it, boxes keep their size) from which
    the two boxes stand apart; infinite when they share a centre."""
    dx, dy = abs(first.x - second.x), abs(first.y - second.y)
    across = (first.width + second.width) / 2 + gap
    down = (first.height + second.height) / 2 + gap
    needed = min(across / dx if dx else math.inf, down / dy if dy else math.inf)
    return max(needed, 1.0)


def shown_from(boxes: Sequence[Box], gap: float = 2.0) -> list[float]:
    """For each label (most important first), the zoom from which it is shown: the first label always
    (1.0); a later one once it stands apart from every earlier label shown at that zoom. Labels shown
    at zoom z never overlap at any zoom from z on."""
    starts: list[float] = []
    for index, box in enumerate(boxes):
        start = 1.0
        for earlier, earlier_start in zip(boxes[:index], starts, strict=True):
            parted = zoom_to_part(box, earlier, gap)
            if earlier_start < parted:  # the earlier label is shown before the two stand apart
                start = max(start, parted)
        starts.append(start)
    return starts


#: where a label may stand beside its point: (dx, dy, align), the first that is free is taken
AROUND = (
    (1, 0, "left"),
    (-1, 0, "right"),
    (0, -1, "center"),
    (0, 1, "center"),
    (1, -1, "left"),
    (1, 1, "left"),
    (-1, -1, "right"),
    (-1, 1, "right"),
)


@dataclass(frozen=True)
class Placed:
    """A label beside its point: the offset of its anchor from the point and its alignment."""

    dx: float
    dy: float
    align: str
    fits: bool


def beside_points(
    points: Sequence[tuple[float, float]],
    texts: Sequence[str],
    size: float,
    radius: float,
    area: tuple[float, float],
) -> list[Placed]:
    """A place for each point's label (in pixels, y downward) beside its point, clear of every other
    label and point and inside the `area` (width, height); the first free place of `AROUND`, then
    twice and three times as far off, or to the right when none is free (`fits` False)."""
    height = text_height(size)
    taken = [Box(x, y, 2 * radius, 2 * radius) for x, y in points]
    placed: list[Placed] = []
    for (x, y), text in zip(points, texts, strict=True):
        width = text_width(text, size)
        choice = Placed(radius + 3, 0, "left", False)
        for distance, (horizontal, vertical, align) in ((d, place) for d in (1, 2, 3) for place in AROUND):
            # a label that finds no room beside its point stands farther off (crowded points)
            dx = horizontal * (radius + 3) * distance
            dy = vertical * (radius + height / 2 + 1) * distance
            centre_x = x + dx + {"left": width / 2, "right": -width / 2, "center": 0}[align]
            box = Box(centre_x, y + dy, width, height)
            left, top = box.x - width / 2, box.y - height / 2
            inside = left >= 0 and top >= 0 and left + width <= area[0] and top + height <= area[1]
            if inside and not any(box.overlaps(other, 1.0) for other in taken):
                choice = Placed(dx, dy, align, True)
                taken.append(box)
                break
        placed.append(choice)
    return placed
