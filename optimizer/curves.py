"""The two nonlinear effects of the model and their exact linear forms.

Vulnerability: a unit of S staff stands empty with probability p^S. seta uses the piecewise-linear
interpolant of p^S on an adaptive grid (convex, so a minimisation represents it exactly as the
maximum of its segment lines); the grid keeps the interpolant within `VULNERABILITY_TOLERANCE` of
p^S everywhere. Model and evaluator both use the interpolant, so they agree exactly; the tolerance
is the stated approximation error against the true curve.

Coordination: a municipality that depends on m matrix units has m(m-1)/2 interfaces between them.
m is an integer, so the convex piecewise-linear function through the integer points is exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

#: Largest difference between the interpolant and p^S (a probability), anywhere on S >= 0.
VULNERABILITY_TOLERANCE = 1e-4


@dataclass(frozen=True)
class ConvexCurve:
    """A convex piecewise-linear curve given by breakpoints, clamped at zero from below."""

    points: tuple[tuple[float, float], ...]

    def value(self, x: float) -> float:
        return max(0.0, *(a + b * x for a, b in self.lines()))

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


def interfaces(units: int) -> int:
    """Coordination interfaces between the matrix units one municipality depends on."""
    return units * (units - 1) // 2


def coordination_curve(max_units: int) -> ConvexCurve:
    return ConvexCurve(tuple((float(m), float(interfaces(m))) for m in range(max_units + 1)))
