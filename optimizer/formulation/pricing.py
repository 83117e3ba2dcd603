"""Pricing a unit's pools without listing them: the cheapest member set as a small MIP.

Where a unit has more candidate members than its member sets can be listed (`pools.MAX_CANDIDATES`:
a tax office in Limburg may draw on 30 municipalities, 2^30 sets), the pool of most negative reduced
cost is found by HiGHS over one binary per candidate:

    min  pool cost(z) + sum_i dual_i z_i + open dual
    s.t. the host in, the structure's member counts, no excluded pair together

where the pool cost is written with the textbook model's rows for one open unit, which are exact at
integer z: the overhead and the uncovered work are convex in the pool's work (their epigraphs), and
a member's quality shortfall m_i >= z_i - q with q at most each line of the concave quality curve
is (1 - q) where i is in and 0 where not. The model is built once per unit; a round of pricing
changes the members' costs and solves again. Every pool it returns is costed again by
`pools.pool_cost` (the one costing of a pool), so the columns are what listing would have given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from inputs.labels import says
from optimizer.formulation.candidates import (
    Candidate,
    Unit,
    charges_vulnerability,
    fixed_pool_quality,
    has_overhead,
)
from optimizer.formulation.coefficients import cover_cost, overhead_price, running_factor, shortfall_value
from optimizer.instance import Instance
from optimizer.solve import quiet_stdout


def _capped(work: np.ndarray, cap: float | None) -> np.ndarray:
    return work if cap is None else np.minimum(work, cap)


def unpriceable(instance: Instance, units: Sequence[Unit | Candidate], members: tuple[str, ...]) -> str | None:
    """Why the pricing MIP cannot represent these units' pools exactly, or None when it can: a pool
    whose quality line may fall below zero (a weak host's drag on a small pool) is clamped at zero,
    which no row of a minimisation represents, and a pool that must be one piece of the map needs
    connectivity rows it does not have."""
    if instance.scenario.limits.connected_pools:
        return says(
            "pools must be one piece of the map (limits.connected_pools)",
            "pools moeten één stuk van de kaart zijn (limits.connected_pools)",
        )
    weights = instance.scenario.weights
    for unit in units:
        if weights.quality == 0 or unit.structure.quality_share == 0:
            continue
        if fixed_pool_quality(instance, unit.structure, unit.host, unit.domain) is not None:
            continue
        curve = instance.quality_curve(unit.domain)
        lift = instance.host_lift(unit.structure, unit.host, unit.domain)
        least = min(instance.workload[unit.host, unit.domain], curve.saturation) if unit.host in members else 0.0
        if min(intercept + lift + slope * least for intercept, slope in curve.lines()) < 0:
            return says(
                f"the quality of a pool hosted by {unit.host} may fall below zero",
                f"de kwaliteit van een pool met {unit.host} als gastheer kan onder nul zakken",
            )
    return None


class PricingProblem:
    """The pricing MIP of one set of member variables (a unit, or an all-domain body's units)."""

    def __init__(self, instance: Instance, units: tuple[Unit, ...], members: tuple[str, ...]) -> None:
        import highspy

        self.members = members
        self.count = len(members)
        with quiet_stdout():  # its banner
            highs: Any = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("threads", 1)
        highs.setOptionValue("mip_rel_gap", 0.0)
        highs.setOptionValue("mip_abs_gap", 1e-7)
        highs.setOptionValue("presolve", "off")  # 5.8 ms a solve against 7.9 ms on Limburg's tax units
        self.highs = highs
        inf = highspy.kHighsInf
        unit = units[0]
        weights = instance.scenario.weights
        host_in = unit.host in members
        for code in members:
            fixed = 1.0 if host_in and code == unit.host else 0.0
            highs.addVar(fixed, 1.0)
        highs.changeColsIntegrality(
            self.count, np.arange(self.count, dtype=np.int32), np.full(self.count, highspy.HighsVarType.kInteger)
        )
        self._columns = self.count

        def variable(cost: float, lower: float = 0.0, upper: float = inf) -> int:
            highs.addVar(lower, upper)
            highs.changeColCost(self._columns, cost)
            self._columns += 1
            return self._columns - 1

        def row(lower: float, upper: float, entries: dict[int, float]) -> None:
            index = np.array(list(entries), dtype=np.int32)
            values = np.array(list(entries.values()), dtype=np.float64)
            highs.addRow(lower, upper, len(index), index, values)

        def member_terms(weight: np.ndarray) -> dict[int, float]:
            return {n: float(w) for n, w in enumerate(weight) if w != 0}

        for part in units:
            params = instance.domains[part.domain]
            work = np.array([instance.workload[code, part.domain] for code in members])
            if has_overhead(instance, part) and weights.cost != 0:
                price = running_factor(instance, part.host, part.structure) * overhead_price(instance, part)
                overhead = variable(weights.cost * price)
                scale = params.scale_fte
                lines: list[tuple[float, float, float | None]] = [
                    (params.diseconomy_share, -params.diseconomy_share * scale, None)
                ]
                if scale > 0:
                    lines.append((-params.core_fte / scale, params.core_fte, scale))
                for slope, intercept, cap in lines:
                    if slope == 0 and intercept == 0:
                        continue
                    # overhead - slope * W >= intercept
                    row(intercept, inf, {overhead: 1.0, **member_terms(-slope * _capped(work, cap))})
            quality_counts = part.structure.quality_share != 0 and weights.quality != 0
            if quality_counts and fixed_pool_quality(instance, part.structure, part.host, part.domain) is None:
                curve = instance.quality_curve(part.domain)
                lift = instance.host_lift(part.structure, part.host, part.domain)
                quality = variable(0.0, 0.0, 1.0)
                pooled = _capped(work, curve.saturation)
                for intercept, slope in curve.lines():
                    # q - slope * W <= intercept + lift
                    row(-inf, intercept + lift, {quality: 1.0, **member_terms(-slope * pooled)})
                for n, code in enumerate(members):
                    value = shortfall_value(instance, part, code)
                    if value == 0:
                        continue
                    shortfall = variable(weights.quality * value)
                    row(0.0, inf, {shortfall: 1.0, n: -1.0, quality: 1.0})  # m_i >= z_i - q
            cover = instance.cover(part.host, part.domain) if part.structure.transfers_staff else None
            cover_lines = cover.lines() if cover is not None else []
            if cover_lines and charges_vulnerability(instance, part):
                last_intercept, last_slope = cover_lines[-1]
                pooled = _capped(work, -last_intercept / last_slope if last_slope < 0 else None)
                uncovered = variable(weights.vulnerability * cover_cost(instance, part))
                for intercept, slope in cover_lines:
                    row(intercept, inf, {uncovered: 1.0, **member_terms(-slope * pooled)})
        size = np.ones(self.count)
        least = max(1, instance.min_members(unit.structure, unit.host))
        row(float(least), float(unit.structure.max_members), member_terms(size))
        position = {code: n for n, code in enumerate(members)}
        for a, b in sorted(instance.excluded_pairs):
            if a in position and b in position:
                row(-inf, 1.0, {position[a]: 1.0, position[b]: 1.0})
        self._fixed_rows = highs.getNumRow()
        self._host = members.index(unit.host) if host_in else None
        self._most = unit.structure.max_members
        # every term of a pool's cost is at least zero (overhead, quality shortfall, uncovered work)
        self._cost_floor = 0.0 if min(getattr(weights, c) for c in ("cost", "quality", "vulnerability")) >= 0 else None

    def floor(self, duals: np.ndarray) -> float:
        """A bound below what `cheapest` can find, at no solve: the least cost (zero) plus the host's
        dual and the most negative of the others', as many as may join. Where it is not below the
        limit, no pool is, and the MIP is spared."""
        if self._cost_floor is None:
            return -np.inf
        others = np.delete(duals, self._host) if self._host is not None else duals
        joining = self._most - (self._host is not None)
        negative = np.sort(others[others < 0])[:joining]
        return self._cost_floor + (duals[self._host] if self._host is not None else 0.0) + float(negative.sum())

    def cheapest(self, duals: np.ndarray, limit: float, most: int, known: np.ndarray | None = None) -> list[np.ndarray]:
        """Member sets (boolean rows over `members`) whose pool cost plus their members' `duals` is
        below `limit`: the cheapest, then the next cheapest, up to `most` of them, other than the
        `known` ones; none where even the cheapest is not below. Each is cut off before the next is
        sought, and the cuts are removed."""
        import highspy

        if self.floor(duals) >= limit:
            return []
        highs = self.highs
        highs.changeColsCost(self.count, np.arange(self.count, dtype=np.int32), np.asarray(duals, dtype=np.float64))
        found: list[np.ndarray] = []
        try:
            for chosen in known if known is not None else ():
                self._cut_off(chosen)
            while len(found) < most:
                with quiet_stdout():
                    highs.run()
                if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                    break
                if highs.getInfo().objective_function_value >= limit:
                    break
                chosen = np.asarray(highs.getSolution().col_value[: self.count]) > 0.5
                found.append(chosen)
                self._cut_off(chosen)
        finally:
            extra = highs.getNumRow() - self._fixed_rows
            if extra:
                highs.deleteRows(extra, np.arange(self._fixed_rows, self._fixed_rows + extra, dtype=np.int32))
        return found

    def _cut_off(self, chosen: np.ndarray) -> None:
        """sum_{i in N} z_i - sum_{i not in N} z_i <= |N| - 1: every member set but N."""
        import highspy

        self.highs.addRow(
            -highspy.kHighsInf,
            float(chosen.sum() - 1),
            self.count,
            np.arange(self.count, dtype=np.int32),
            np.where(chosen, 1.0, -1.0),
        )
