"""The pool formulation: every pool a column, its cost computed whole (set partitioning).

The textbook model prices a pool through auxiliary variables (its overhead, its quality and what each
member misses of it, its uncovered work) bounded by lines in its members' variables. At integer
memberships these are exact; in the LP relaxation they are weak: a member at one half gets full
quality, not the pool's, so the relaxation promises quality gains no configuration delivers, and the
solver branches for a long time on differences that decide (benchmarks/regions.py).

Here a pool's member set N is a column lambda(u, N), a binary, and what the auxiliary variables
would add at that integer point is its cost, computed exactly from N (the same curves, so the
optimum is the textbook model's, to the solver's tolerance):

    x(i,u) = sum_{N containing i} lambda(u, N)       (y(u) likewise for a provider's unit)

Every other rule of the textbook model (assignment, links, counts, bundles, capacity, pairs,
arrangements, matrix spread, coordination) is kept as it is, on the member variables, so a rule is
written once. The LP relaxation then mixes whole pools, each at its true cost: what a fractional
solution can promise is a convex combination of what real pools deliver.

Columns are listed in full, so this applies where the candidates are few (`pools_apply`): the
built-in regions have 69 to 4,470 columns. Larger regions take the textbook model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pulp

from optimizer.control import Control
from optimizer.instance import Configuration, Instance
from optimizer.model import (
    Forbid,
    Model,
    Unit,
    Variables,
    build_rows,
    candidate_units,
    charges_vulnerability,
    has_overhead,
    objective_terms,
    quality_varies,
    running_factor,
    weighted_objective,
)

#: columns listed at most: above this the textbook model is solved instead (a column is a handful of
#: nonzeros; 50,000 build in about a second)
MAX_COLUMNS = 50_000
#: members of one unit at most whose subsets are listed (2^16 subsets of the others)
MAX_CANDIDATES = 17


@dataclass(frozen=True)
class PoolColumns:
    """The columns of one set of member variables: a unit, or the units of one all-domain body."""

    units: tuple[Unit, ...]
    members: tuple[str, ...]
    #: one row per column: which of `members` it holds
    masks: np.ndarray
    cost: np.ndarray
    variables: tuple[pulp.LpVariable, ...] = ()


def _groups(variables: Variables) -> list[tuple[Unit, ...]]:
    """Units that share member variables: each unit alone, an all-domain body's units together."""
    groups: dict[int, list[Unit]] = {}
    for unit in variables.units:
        key = unit.body_index if unit.structure.scope == "all" else unit.index
        groups.setdefault(key, []).append(unit)
    return [tuple(units) for units in groups.values()]


def _priced(instance: Instance, unit: Unit) -> bool:
    """A unit whose cost is not linear in its members: the textbook model gives it auxiliary variables."""
    return has_overhead(instance, unit) or quality_varies(instance, unit) or charges_vulnerability(instance, unit)


def _masks(instance: Instance, units: tuple[Unit, ...], members: tuple[str, ...]) -> np.ndarray:
    """Every member set a pool may have: the host in it (a municipality's unit), within the
    structure's member counts, no excluded pair together."""
    unit = units[0]
    host_inside = unit.host in members
    others = [code for code in members if code != unit.host]
    count = len(others)
    numbers = np.arange(2**count, dtype=np.int64)
    chosen = ((numbers[:, None] >> np.arange(count)) & 1).astype(bool)
    if host_inside:
        index = members.index(unit.host)
        chosen = np.insert(chosen, index, True, axis=1)
    size = chosen.sum(axis=1)
    keep = (size >= max(1, instance.min_members(unit.structure, unit.host))) & (size <= unit.structure.max_members)
    position = {code: n for n, code in enumerate(members)}
    for a, b in instance.excluded_pairs:
        if a in position and b in position:
            keep &= ~(chosen[:, position[a]] & chosen[:, position[b]])
    return chosen[keep]


def _capped(work: np.ndarray, cap: float | None) -> np.ndarray:
    return work if cap is None else np.minimum(work, cap)


def pool_cost(instance: Instance, unit: Unit, members: tuple[str, ...], masks: np.ndarray) -> np.ndarray:
    """What the textbook model's auxiliary variables add to the weighted objective for each member
    set (a row of `masks`): the least value they can take there, line for line as in
    `optimizer.model.overheads`, `pool_quality` and `vulnerability`."""
    weights = instance.scenario.weights
    params = instance.domains[unit.domain]
    work = np.array([instance.workload[code, unit.domain] for code in members])
    host_share = running_factor(instance, unit.host, unit.structure)
    total = np.zeros(len(masks))
    if has_overhead(instance, unit):
        scale = params.scale_fte
        lines: list[tuple[float, float, float | None]] = [
            (params.diseconomy_share, -params.diseconomy_share * scale, None)
        ]
        if scale > 0:
            lines.append((-params.core_fte / scale, params.core_fte, scale))
        overhead = np.zeros(len(masks))
        for slope, intercept, cap in lines:
            if slope == 0 and intercept == 0:
                continue
            overhead = np.maximum(overhead, intercept + slope * (masks @ _capped(work, cap)))
        price = params.cost_per_fte * instance.price_factor(unit.host) * (1 + unit.structure.agency_share)
        total += weights.cost * host_share * price * overhead
    if quality_varies(instance, unit):
        curve = instance.quality_curve(unit.domain)
        lift = instance.host_lift(unit.structure, unit.host, unit.domain)
        pooled = masks @ _capped(work, curve.saturation)
        quality = np.ones(len(masks))
        for intercept, slope in curve.lines():
            quality = np.minimum(quality, intercept + lift + slope * pooled)
        quality = np.maximum(quality, 0.0)
        value = np.array(
            [
                instance.service_value(code, unit.domain)
                * unit.structure.quality_share
                * running_factor(instance, code, unit.structure)
                for code in members
            ]
        )
        total += weights.quality * (masks @ value) * (1 - quality)
    if charges_vulnerability(instance, unit):
        cover = instance.cover(unit.host, unit.domain)
        cover_lines = cover.lines() if cover is not None else []
        if cover_lines:
            last_intercept, last_slope = cover_lines[-1]
            pooled = masks @ _capped(work, -last_intercept / last_slope if last_slope < 0 else None)
            uncovered = np.zeros(len(masks))
            for intercept, slope in cover_lines:
                uncovered = np.maximum(uncovered, intercept + slope * pooled)
            total += weights.vulnerability * host_share * params.cover_premium * params.cost_per_fte * uncovered
    return total


def pools_apply(instance: Instance) -> str | None:
    """Why the pool formulation does not apply to this instance, or None when it does."""
    scenario = instance.scenario
    if scenario.politics.participation is not None:
        return "every member's share of its pool is bounded (politics.participation)"
    if any(p.capacity_fte is not None for p in scenario.providers):
        return "a provider's capacity counts its pools' overhead"
    columns = 0
    for candidate in candidate_units(instance):
        others = len(candidate.members) - (candidate.host in candidate.members)
        if others >= MAX_CANDIDATES:
            return f"a unit has {others + 1} candidate members (the pool formulation lists at most {MAX_CANDIDATES})"
        columns += 2**others
    if columns > MAX_COLUMNS:
        return f"{columns:,} possible pools (the pool formulation lists at most {MAX_COLUMNS:,})"
    return None


@dataclass
class PoolModel(Model):
    columns: tuple[PoolColumns, ...] = ()

    def start_from(self, configuration: Configuration) -> None:
        super().start_from(configuration)
        for group in self.columns:
            chosen = np.array([(var.varValue or 0.0) > 0.5 for var in _member_variables(group)])
            for mask, var in zip(group.masks, group.variables, strict=True):
                var.setInitialValue(1.0 if chosen.any() and bool((mask == chosen).all()) else 0.0)


def _member_variables(group: PoolColumns) -> list[pulp.LpVariable]:
    return [group.units[0].members[code] for code in group.members]


def build_pools(
    instance: Instance, control: Control, forbid: tuple[Forbid, ...] = (), require_pooling: bool = False
) -> Model:
    """The pool formulation of the whole model (see the module's text)."""
    problem, variables, names = build_rows(instance, control, forbid, require_pooling, pooled_terms=False)
    control.checkpoint("pools")
    objective = weighted_objective(objective_terms(instance, variables), instance.scenario.weights)
    groups: list[PoolColumns] = []
    for units in _groups(variables):
        if not any(_priced(instance, unit) for unit in units):
            continue
        first = units[0]
        members = tuple(first.members)
        masks = _masks(instance, units, members)
        cost = sum((pool_cost(instance, unit, members, masks) for unit in units), np.zeros(len(masks)))
        index = (first.host, first.structure.key) if first.structure.scope == "all" else first.key
        columns = tuple(problem.add_variable(names("pool", *index, n), cat="Binary") for n in range(len(masks)))
        objective += pulp.lpSum_vars_coefs(list(zip(columns, cost.tolist(), strict=True)))
        for position, code in enumerate(members):
            holding = [var for var, mask in zip(columns, masks, strict=True) if mask[position]]
            row = pulp.lpSum_vars_coefs([(first.members[code], 1.0), *((var, -1.0) for var in holding)])
            problem.addConstraint(row == 0, names("pool_member", code, *index))
        if first.is_open not in first.members.values():  # a provider's unit opens with a column
            row = pulp.lpSum_vars_coefs([(first.is_open, 1.0), *((var, -1.0) for var in columns)])
            problem.addConstraint(row == 0, names("pool_open", *index))
        groups.append(PoolColumns(units, members, masks, cost, columns))
    problem.setObjective(objective)
    return PoolModel(instance, problem, variables, formulation="pools", columns=tuple(groups))
