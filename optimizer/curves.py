"""The nonlinear effects of the model and their exact linear forms.

Vulnerability: a service of W FTE stands empty with probability p^W, and its work is then covered at
a premium. seta uses piecewise-linear interpolants on adaptive grids, convex so that a minimisation
represents them exactly as the maximum of their segment lines, within `VULNERABILITY_TOLERANCE` of
the true curve. A department kept in house is charged for its own W p^W, a constant. A pool's charge
W p^W is convex from W = 2 / ln(1/p) on; below that a pool is charged by the convex envelope of the
curve from its host's own work on (`cover_curve`), which is at most the true charge. Model and
evaluator use the same curves, so they agree exactly.

Coordination: a municipality that depends on m matrix units has m(m-1)/2 interfaces between them.
m is an integer, so the convex piecewise-linear function through the integer points is exact.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from functools import cache, cached_property

#: Largest difference between the interpolant and p^S (a probability), anywhere on S >= 0.
VULNERABILITY_TOLERANCE = 1e-4


@dataclass(frozen=True)
class ConvexCurve:
    """A convex piecewise-linear curve given by breakpoints, clamped at zero from below."""

    points: tuple[tuple[float, float], ...]

    def value(self, x: float) -> float:
        """The maximum of the segment lines at x, and 0 (a curve of one point is 0: it starts where the
        true curve is already within the tolerance of 0). The curve is convex, so that maximum is the
        line of the segment x lies on (the first or last one beyond the ends), found by bisection."""
        lines = self._lines
        if not lines:
            return 0.0
        segment = min(max(bisect.bisect_right(self._starts, x) - 1, 0), len(lines) - 1)
        intercept, slope = lines[segment]
        return max(0.0, intercept + slope * x)

    @cached_property
    def _lines(self) -> tuple[tuple[float, float], ...]:
        return tuple(self.lines())

    @cached_property
    def _starts(self) -> tuple[float, ...]:
        return tuple(x0 for x0, _y0 in self.points[:-1])

    def lines(self, from_x: float = -math.inf) -> list[tuple[float, float]]:
        """(intercept, slope) of every segment whose right end lies beyond `from_x`.

        Segments left of `from_x` lie below the curve there (convexity), so a model whose
        argument never drops below `from_x` needs only the returned lines.
        """
        result = []
        for (x0, y0), (x1, y1) in zip(self.points, self.points[1:], strict=False):
            if x1 <= from_x:
                continue
            slope = (y1 - y0) / (x1 - x0)
            result.append((y0 - slope * x0, slope))
        return result


@cache
def vulnerability_curve(absence_share: float, tolerance: float = VULNERABILITY_TOLERANCE) -> ConvexCurve:
    """Interpolant of p^S with chord error at most `tolerance`.

    The chord error of a step h starting at S is at most h^2/8 * max f'' = h^2/8 * a^2 p^S with
    a = -ln p, so the step is chosen as sqrt(8 * tolerance / (a^2 p^S)). The last breakpoint is the
    first S with p^S <= tolerance; beyond it the last line falls to zero and the curve stays at 0,
    which is within the tolerance of p^S there too.
    """
    p = absence_share
    a = -math.log(p)
    points = [(0.0, 1.0)]
    s = 0.0
    while p**s > tolerance:
        step = math.sqrt(8 * tolerance / (a * a * p**s))
        s = s + step
        points.append((s, p**s))
    return ConvexCurve(tuple(points))


def _cover(p: float, w: float) -> float:
    return w * p**w


@cache
def cover_curve(absence_share: float, from_w: float, tolerance: float = VULNERABILITY_TOLERANCE) -> ConvexCurve:
    """Expected FTE-years of work left uncovered by a pool of W FTE, W p^W, as a convex curve from
    `from_w` on (the least work the pool can do: its host's own).

    W p^W rises to W = 1/a (a = ln 1/p), falls after, and is convex from W = 2/a. From `from_w` below
    that, the curve is its convex envelope: the line from (from_w, g(from_w)) that touches the convex
    part, then the interpolant of the convex part (chord error at most `tolerance`, as for
    `vulnerability_curve`)."""
    p = absence_share
    a = -math.log(p)
    inflection = 2 / a
    start = max(from_w, 0.0)
    points = [(start, _cover(p, start))]
    if start == 0:
        return ConvexCurve(tuple(points))  # zero at 0 and at infinity: the envelope is zero throughout
    if start < inflection:
        # the tangent point t >= 2/a of the line through (start, g(start)): g(t) - g(s) = g'(t)(t - s)
        g0 = _cover(p, start)

        def gap(t: float) -> float:
            return _cover(p, t) - g0 - p**t * (1 - a * t) * (t - start)

        low, high = inflection, inflection
        while gap(high) > 0 and high < 200 / a:
            high *= 2
        for _ in range(100):
            middle = (low + high) / 2
            if gap(middle) > 0:
                low = middle
            else:
                high = middle
        points.append((high, _cover(p, high)))

    def curvature(x: float) -> float:  # g'' on the convex part, largest at x = 3/a
        return p**x * a * (a * x - 2)

    w = points[-1][0]
    while _cover(p, w) > tolerance:
        step = 1 / a
        for _ in range(3):  # the largest curvature over the step bounds the chord error
            peak = max(curvature(w), curvature(min(w + step, max(w, 3 / a))), curvature(w + step))
            step = math.sqrt(8 * tolerance / peak) if peak > 0 else 1 / a
        w += step
        points.append((w, _cover(p, w)))
    return ConvexCurve(tuple(points))


#: Largest difference between the quality interpolant and its curve (on the 0-1 quality scale).
QUALITY_TOLERANCE = 1e-2
#: the quality curve's rate: size has added 1 - e^-3 (95 %) of what it can at the critical mass
QUALITY_RATE = 3.0


@dataclass(frozen=True)
class ConcaveCurve:
    """A concave piecewise-linear curve given by breakpoints, flat beyond the last one."""

    points: tuple[tuple[float, float], ...]

    def lines(self) -> list[tuple[float, float]]:
        """(intercept, slope) of every segment and of the flat line beyond the last breakpoint: the
        curve is their minimum, so a maximisation represents it exactly with one row per line."""
        result = []
        for (x0, y0), (x1, y1) in zip(self.points, self.points[1:], strict=False):
            slope = (y1 - y0) / (x1 - x0)
            result.append((y0 - slope * x0, slope))
        result.append((self.points[-1][1], 0.0))
        return result

    @cached_property
    def _lines(self) -> tuple[tuple[float, float], ...]:
        return tuple(self.lines())

    @property
    def saturation(self) -> float:
        """The work from which the curve is flat."""
        return self.points[-1][0]

    def value(self, x: float) -> float:
        return min(intercept + slope * x for intercept, slope in self._lines)


@cache
def quality_curve(floor: float, critical_mass: float, tolerance: float = QUALITY_TOLERANCE) -> ConcaveCurve:
    """Interpolant of the quality a unit of W FTE delivers, floor + (1 - floor)(1 - e^(-3 W / CM)):
    diminishing returns to size, bounded by 1, and never below the floor.

    The chord error of a step h from W is at most h^2/8 max |q''| = h^2/8 (1 - floor) r^2 e^(-r W)
    with r = 3 / CM, so the step is sqrt(8 tolerance / ((1 - floor) r^2 e^(-r W))). The last
    breakpoint is the first W where the curve is within the tolerance of 1; it is flat beyond."""
    gain = 1.0 - floor
    rate = QUALITY_RATE / critical_mass
    points = [(0.0, floor)]
    w = 0.0
    while gain * math.exp(-rate * w) > tolerance:
        w += math.sqrt(8 * tolerance / (gain * rate * rate * math.exp(-rate * w)))
        points.append((w, floor + gain * (1 - math.exp(-rate * w))))
    if len(points) == 1:  # no gain to give: a flat curve at the floor
        points.append((critical_mass, floor))
    return ConcaveCurve(tuple(points))


def interfaces(units: int) -> int:
    """Coordination interfaces between the matrix units one municipality depends on."""
    return units * (units - 1) // 2


def coordination_curve(max_units: int) -> ConvexCurve:
    return ConvexCurve(tuple((float(m), float(interfaces(m))) for m in range(max_units + 1)))
