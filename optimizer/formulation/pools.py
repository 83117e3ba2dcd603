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

Where a scenario has at most LIST_ALL possible pools (the built-in regions: 69 to 4,470) every one
is a column. Beyond, the pools are priced (column generation, `solve_pools`): the LP relaxation
starts from the small pools and grows by the pools of most negative reduced cost until none is left;
its optimum is then a bound for every pool. The MIP is solved over the pools listed, and then every
pool whose reduced cost is within the gap between its answer and that bound is listed too and the
MIP solved again: a configuration that beats the answer costs at least the bound plus its pools'
reduced costs, so it uses no other pool, and the answer is exact (price-and-branch with reduced-cost
completion). Pricing lists each unit's member sets up to MAX_CANDIDATES candidates (and MAX_POOLS
in all); a unit with more is priced by a small MIP (`optimizer.formulation.pricing`), tried on its
found pools' neighbours first. Its completion lists at most COMPLETE_MIP pools per unit; beyond, the
answer stands against the relaxation's bound, as feasible unless that bound proves it.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pulp

from inputs.labels import says
from inputs.types import SolverOptions
from optimizer.control import Control
from optimizer.evaluate import evaluate
from optimizer.formulation.candidates import (
    Candidate,
    Names,
    Unit,
    Variables,
    candidate_units,
    charges_coordination,
    charges_vulnerability,
    fixed_pool_quality,
    has_overhead,
    quality_varies,
)
from optimizer.formulation.coefficients import (
    cover_cost,
    objective_terms,
    overhead_price,
    running_factor,
    shortfall_value,
    weighted_objective,
)
from optimizer.formulation.model import Forbid, Model
from optimizer.formulation.pricing import PricingProblem, unpriceable
from optimizer.formulation.rows import build_rows
from optimizer.instance import Configuration, Instance
from optimizer.solve import (
    OPTIMAL_GAP,
    SolverReport,
    Status,
    no_solution_reason,
    quiet_stdout,
    relative_gap,
    solve,
    use_threads,
)

#: possible pools up to which every one is a column from the start (the built-in regions: 69-4,470)
LIST_ALL = 5_000
#: possible pools at most: each round of pricing computes every one's reduced cost (Zeeland: 305,391)
MAX_POOLS = 2_000_000
#: candidate members of one unit at most (2^16 subsets of the others)
MAX_CANDIDATES = 17


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
    others = [code for code in members if code != unit.host]
    count = len(others)
    numbers = np.arange(2**count, dtype=np.int64)
    return _allowed(instance, unit, members, ((numbers[:, None] >> np.arange(count)) & 1).astype(bool))


def _small_masks(instance: Instance, units: tuple[Unit, ...], members: tuple[str, ...]) -> np.ndarray:
    """The member sets of at most two members (the host and at most one other, for a municipality's
    unit): where a unit has too many candidates to list its sets, the pools pricing starts from."""
    unit = units[0]
    count = len(members) - (unit.host in members)
    pairs = [(a, b) for a in range(count) for b in range(a + 1, count)] if unit.host not in members else []
    chosen = np.zeros((1 + count + len(pairs), count), dtype=bool)
    chosen[1 + np.arange(count), np.arange(count)] = True
    for n, (a, b) in enumerate(pairs):
        chosen[1 + count + n, [a, b]] = True
    return _allowed(instance, unit, members, chosen)


def _allowed(instance: Instance, unit: Unit, members: tuple[str, ...], chosen: np.ndarray) -> np.ndarray:
    """The rows of `chosen` (over the members but the host) a pool may have, the host put in: within
    the structure's member counts, no excluded pair together, one piece of the map where asked."""
    if unit.host in members:
        index = members.index(unit.host)
        chosen = np.insert(chosen, index, True, axis=1)
    return chosen[_possible(instance, unit, members, chosen)]


def _possible(instance: Instance, unit: Unit, members: tuple[str, ...], chosen: np.ndarray) -> np.ndarray:
    """Whether each member set (a row of `chosen`, over every member) may be a pool: the host in it (a
    municipality's unit), within the structure's member counts, no excluded pair together, one piece
    of the map where asked."""
    size = chosen.sum(axis=1)
    keep = (size >= max(1, instance.min_members(unit.structure, unit.host))) & (size <= unit.structure.max_members)
    position = {code: n for n, code in enumerate(members)}
    if unit.host in position:
        keep &= chosen[:, position[unit.host]]
    for a, b in instance.excluded_pairs:
        if a in position and b in position:
            keep &= ~(chosen[:, position[a]] & chosen[:, position[b]])
    if instance.scenario.limits.connected_pools:
        keep &= _connected(instance, members, chosen)
    return keep


def _connected(instance: Instance, members: tuple[str, ...], chosen: np.ndarray) -> np.ndarray:
    """Whether each member set (a row of `chosen`) is one piece of the map (`Instance.pieces`), for all
    rows at once: each set as a bit mask, grown from its first member along shared borders."""
    on_map = [n for n, code in enumerate(members) if code not in instance.partners]
    bit = np.int64(1) << np.arange(len(members), dtype=np.int64)
    target = (chosen.astype(np.int64) * bit).sum(axis=1) & sum(int(bit[n]) for n in on_map)
    graph = instance.graph
    borders = [sum(int(bit[m]) for m in on_map if graph.has_edge(members[n], members[m])) for n in range(len(members))]
    reach = target & -target  # the first member of each set
    for _ in on_map:
        grown = reach.copy()
        for n in on_map:
            grown |= np.where((reach >> n) & 1 == 1, borders[n], 0)
        grown &= target
        if np.array_equal(grown, reach):
            break
        reach = grown
    return reach == target


def _capped(work: np.ndarray, cap: float | None) -> np.ndarray:
    return work if cap is None else np.minimum(work, cap)


def pool_cost(instance: Instance, unit: Unit, members: tuple[str, ...], masks: np.ndarray) -> np.ndarray:
    """What the textbook model's auxiliary variables add to the weighted objective for each member
    set (a row of `masks`): `pool_criteria`, weighted."""
    weights = instance.scenario.weights
    criteria = pool_criteria(instance, unit, members, masks)
    return sum((getattr(weights, c) * values for c, values in criteria.items()), np.zeros(len(masks)))


def pool_criteria(instance: Instance, unit: Unit, members: tuple[str, ...], masks: np.ndarray) -> dict[str, np.ndarray]:
    """Criterion -> what the textbook model's auxiliary variables add to it, unweighted, for each
    member set (a row of `masks`): the least value they can take there, line for line as in
    `rows.overheads`, `pool_quality` and `vulnerability`, priced by the coefficients those variables
    have in the textbook objective. Terms are given whatever their weight, so that a weight may change
    without a new computation (`optimizer.resolve`)."""
    params = instance.domains[unit.domain]
    work = np.array([instance.workload[code, unit.domain] for code in members])
    criteria: dict[str, np.ndarray] = {}
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
        host_share = running_factor(instance, unit.host, unit.structure)
        criteria["cost"] = host_share * overhead_price(instance, unit) * overhead  # see `overhead_cost`
    quality_counts = unit.structure.quality_share != 0
    if quality_counts and fixed_pool_quality(instance, unit.structure, unit.host, unit.domain) is None:
        curve = instance.quality_curve(unit.domain)
        lift = instance.host_lift(unit.structure, unit.host, unit.domain)
        pooled = masks @ _capped(work, curve.saturation)
        quality = np.ones(len(masks))
        for intercept, slope in curve.lines():
            quality = np.minimum(quality, intercept + lift + slope * pooled)
        quality = np.maximum(quality, 0.0)
        value = np.array([shortfall_value(instance, unit, code) for code in members])
        criteria["quality"] = (masks @ value) * (1 - quality)
    cover = instance.cover(unit.host, unit.domain) if unit.structure.transfers_staff else None
    cover_lines = cover.lines() if cover is not None else []
    if cover_lines and params.cover_premium * params.cost_per_fte != 0:
        last_intercept, last_slope = cover_lines[-1]
        pooled = masks @ _capped(work, -last_intercept / last_slope if last_slope < 0 else None)
        uncovered = np.zeros(len(masks))
        for intercept, slope in cover_lines:
            uncovered = np.maximum(uncovered, intercept + slope * pooled)
        criteria["vulnerability"] = cover_cost(instance, unit) * uncovered
    return criteria


@dataclass(frozen=True)
class PoolFit:
    """Whether the pool formulation can represent an instance, and how (`pool_fit`)."""

    #: why it cannot represent the instance exactly, or None when it can
    not_applicable: str | None
    #: every possible pool is a column from the start (none is priced)
    listed: bool
    #: `auto` takes it: where every pool is listed (the relaxation is then exact but for the
    #: matrix's rules: 2-14 times faster on the regions), or where pools are priced and no matrix may
    #: form or its coordination is charged. There the coordination rows at memberships elsewhere
    #: (`rows.coordination`) leave the relaxation 0.02 % below Zeeland's optimum and completion lists
    #: 24,086 of its 305,391 pools: 7.4 s against 21-49 s for the textbook model. A matrix whose
    #: coordination costs nothing (cost alone) leaves the textbook model faster: 0.2 s against 1.0 s
    #: (benchmarks/regions.py). Not where a unit's pools are priced by MIP: each MIP takes 20-30 ms,
    #: and Limburg's relaxation without the matrix took 56 s to price (296 units priced by MIP), where
    #: the textbook model is within 0.05 % in 30 s
    pays: bool
    #: units with at least this many candidates besides their host are priced by MIP
    #: (`optimizer.formulation.pricing`), not listed: MAX_CANDIDATES, or fewer where listing the
    #: smaller units' pools would pass MAX_POOLS
    mip_from: int = MAX_CANDIDATES
    #: some unit has at least `mip_from` candidates besides its host
    large: bool = False

    @property
    def whole(self) -> bool:
        """It applies and lists every pool: its objective and rows are the whole model's."""
        return self.not_applicable is None and self.listed


def pool_fit(instance: Instance) -> PoolFit:
    """Whether and how the pool formulation represents `instance`: its rules, the size of a unit's
    member sets, and how many possible pools there are (an all-domain body's counted once: its
    units share them)."""
    scenario = instance.scenario
    reason = None
    if scenario.politics.participation is not None:
        reason = says(
            "every member's share of its pool is bounded (politics.participation)",
            "het aandeel van elk lid in zijn pool is begrensd (politics.participation)",
        )
    elif any(p.capacity_fte is not None for p in scenario.providers):
        reason = says(
            "a provider's capacity counts its pools' overhead",
            "de capaciteit van een aanbieder telt de overhead van zijn pools mee",
        )
    candidates = candidate_units(instance)
    groups: dict[tuple[str, str, str], Candidate] = {}
    for candidate in candidates:
        domain = "" if candidate.structure.scope == "all" else candidate.domain
        groups.setdefault((candidate.host, candidate.structure.key, domain), candidate)
    others = sorted(len(c.members) - (c.host in c.members) for c in groups.values())
    # list the smaller units' pools, within MAX_POOLS in all; price the others by MIP
    mip_from = MAX_CANDIDATES
    while mip_from > 0 and sum(2**size for size in others if size < mip_from) > MAX_POOLS:
        mip_from -= 1
    count = sum(2**size for size in others if size < mip_from)
    for candidate in candidates:
        size = len(candidate.members) - (candidate.host in candidate.members)
        why = unpriceable(instance, (candidate,), candidate.members) if size >= mip_from else None
        if why is not None and reason is None:
            reason = says(
                f"a unit has {size + 1} candidate members, too many to list its pools, and {why}",
                f"een eenheid heeft {size + 1} kandidaat-leden, te veel om haar pools op te sommen, en {why}",
            )
    large = bool(others) and others[-1] >= mip_from
    listed = count <= LIST_ALL and not large
    pays = not large and (listed or instance.matrix is None or charges_coordination(instance))
    return PoolFit(reason, listed, pays, mip_from, large)


class PoolCatalogue:
    """Every possible pool of one set of member variables (a unit, or the units of one all-domain
    body), with its cost; the ones in the problem so far are `listed`, each with its column."""

    def __init__(
        self,
        problem: pulp.LpProblem,
        units: tuple[Unit, ...],
        members: tuple[str, ...],
        masks: np.ndarray,
        cost: np.ndarray,
        name: Callable[[int], str],
        pricer: PricingProblem | None = None,
        costing: Callable[[np.ndarray], np.ndarray] | None = None,
        possible: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> None:
        self.problem = problem
        self.units = units
        self.members = members
        self.masks = masks
        self.cost = cost
        self.name = name
        #: where the member sets are too many to list: `masks` holds those found so far, and the
        #: pricing MIP finds the others (`costing` gives their costs)
        self.pricer = pricer
        self.costing = costing
        self.possible = possible
        self._found: dict[bytes, int] = {mask.tobytes(): n for n, mask in enumerate(masks)} if pricer else {}
        self.listed = np.zeros(len(masks), dtype=bool)
        self.columns: dict[int, pulp.LpVariable] = {}
        #: x(i,u) - sum_N lambda(u,N) = 0 per member, and y(u) - sum_N lambda(u,N) = 0 for a provider
        self.member_rows: list[pulp.LpConstraint] = []
        self.open_row: pulp.LpConstraint | None = None

    def member_variables(self) -> list[pulp.LpVariable]:
        return [self.units[0].members[code] for code in self.members]

    def column(self, n: int) -> pulp.LpVariable:
        """Pool `n` (a row of `masks`) as a column of the member rows (its cost: `list_pools`)."""
        column = self.problem.add_variable(self.name(n), cat="Binary")
        for position in np.flatnonzero(self.masks[n]):
            self.member_rows[position][column] = -1.0
        if self.open_row is not None:
            self.open_row[column] = -1.0
        self.listed[n] = True
        self.columns[n] = column
        return column

    def reduced_costs(self, member_duals: np.ndarray, open_dual: float) -> np.ndarray:
        """Each pool's reduced cost under the rows' duals (HiGHS: cost - A^T y; a column holds -1 in
        the rows of its members and in the opening row)."""
        return self.cost + self.masks @ member_duals + open_dual

    def index_of(self, holding: np.ndarray) -> int | None:
        """The row of `masks` equal to `holding`, if it is a possible pool (one found so far, where
        they are priced: `extend`)."""
        found = np.flatnonzero((self.masks == holding).all(axis=1))
        return int(found[0]) if len(found) else None

    def extend(self, masks: Iterable[np.ndarray]) -> list[int]:
        """The rows of `masks` for these member sets, found by the pricing MIP: new ones appended,
        with their costs."""
        assert self.costing is not None
        rows: list[int] = []
        new: list[np.ndarray] = []
        for holding in masks:
            key = holding.tobytes()
            if key not in self._found:
                self._found[key] = len(self.masks) + len(new)
                new.append(holding)
            rows.append(self._found[key])
        if new:
            added = np.array(new, dtype=bool)
            self.masks = np.vstack([self.masks, added])
            self.cost = np.append(self.cost, self.costing(added))
            self.listed = np.append(self.listed, np.zeros(len(new), dtype=bool))
        return rows

    def neighbours(self, member_duals: np.ndarray, open_dual: float, below: float, most: int) -> np.ndarray:
        """Member sets not found yet, one member away from the cheapest found so far (one in or out,
        or one for another), whose reduced cost is below `below`: at most `most`, cheapest first.
        Pricing's heuristic, which spares most rounds their MIPs."""
        assert self.costing is not None and self.possible is not None
        if len(self.masks) == 0:
            return self.masks
        reduced = self.reduced_costs(member_duals, open_dual)
        count = len(self.members)
        seeds = self.masks[np.argsort(reduced)[:NEIGHBOUR_SEEDS]]
        one = np.eye(count, dtype=bool)
        flips = (seeds[:, None, :] ^ one[None, :, :]).reshape(-1, count)
        best = seeds[0]
        inside, outside = np.flatnonzero(best), np.flatnonzero(~best)
        swaps = np.repeat(best[None, :], len(inside) * len(outside), axis=0)
        rows = np.arange(len(swaps))
        swaps[rows, np.repeat(inside, len(outside))] = False
        swaps[rows, np.tile(outside, len(inside))] = True
        trial = np.concatenate([flips, swaps])
        trial = trial[self.possible(trial)]
        if len(trial) == 0:
            return trial
        trial = np.unique(trial, axis=0)
        trial = trial[[mask.tobytes() not in self._found for mask in trial]]
        if len(trial) == 0:
            return trial
        reduced = self.costing(trial) + trial @ member_duals + open_dual
        order = np.argsort(reduced)[:most]
        return trial[order[reduced[order] < below]]


@dataclass
class PoolModel(Model):
    catalogues: tuple[PoolCatalogue, ...] = ()

    @property
    def priced(self) -> bool:
        """Whether some possible pools are not in the problem yet (column generation decides)."""
        return any(catalogue.pricer is not None or not catalogue.listed.all() for catalogue in self.catalogues)

    def start_from(self, configuration: Configuration) -> None:
        super().start_from(configuration)
        starting: dict[PoolCatalogue, int | None] = {}
        for catalogue in self.catalogues:
            chosen = np.array([(var.varValue or 0.0) > 0.5 for var in catalogue.member_variables()])
            index = catalogue.index_of(chosen) if chosen.any() else None
            if index is None and chosen.any() and catalogue.pricer is not None:
                index = catalogue.extend([chosen])[0]
            starting[catalogue] = index
        list_pools(self.problem, {c: [n] for c, n in starting.items() if n is not None})
        for catalogue, index in starting.items():
            for n, column in catalogue.columns.items():
                column.setInitialValue(1.0 if n == index else 0.0)


def list_pools(
    problem: pulp.LpProblem, chosen: Mapping[PoolCatalogue, Iterable[int]]
) -> list[tuple[PoolCatalogue, int]]:
    """Put the pools `chosen` (per catalogue, rows of its masks) into the problem, with their costs
    in the objective (set once: the problem hands out a copy of it); returns those that were not in it."""
    added: list[tuple[PoolCatalogue, int]] = []
    objective = problem.objective
    assert objective is not None
    for catalogue, numbers in chosen.items():
        for number in numbers:
            n = int(number)
            if not catalogue.listed[n]:
                objective[catalogue.column(n)] = float(catalogue.cost[n])
                added.append((catalogue, n))
    if added:
        problem.objective = objective
    return added


def _group_cost(instance: Instance, units: tuple[Unit, ...], members: tuple[str, ...], masks: np.ndarray) -> np.ndarray:
    """Each member set's cost (a row of `masks`) to the units that share its member variables."""
    return sum((pool_cost(instance, unit, members, masks) for unit in units), np.zeros(len(masks)))


def _namer(names: Names, index: tuple[str, ...]) -> Callable[[int], str]:
    return lambda n: names("pool", *index, n)


def build_pools(
    instance: Instance,
    control: Control,
    forbid: tuple[Forbid, ...] = (),
    require_pooling: bool = False,
    list_all: int = LIST_ALL,
    every_group: bool = False,
) -> Model:
    """The pool formulation of the whole model (see the module's text). Where the scenario has at
    most `list_all` possible pools all are columns; else the small ones (the host with at most one
    other) and the largest, and `solve_pools` prices the rest. `every_group` gives columns to the
    units whose cost is linear in their members too (at a cost of 0 from the pool): a model that the
    same figures at other values may re-price (`optimizer.resolve`)."""
    mip_from = pool_fit(instance).mip_from
    problem, variables, names = build_rows(instance, control, forbid, require_pooling, pooled_terms=False)
    control.checkpoint("pools")
    problem.setObjective(weighted_objective(objective_terms(instance, variables), instance.scenario.weights))
    catalogues: list[PoolCatalogue] = []
    for units in _groups(variables):
        if not every_group and not any(_priced(instance, unit) for unit in units):
            continue
        if all(unit.is_open.upBound == 0 for unit in units):
            continue  # forbidden: the links hold its members at 0, so pricing its pools would be wasted work
        first = units[0]
        members = tuple(first.members)
        costing = functools.partial(_group_cost, instance, units, members)
        too_many = len(members) - (first.host in members) >= mip_from
        masks = _small_masks(instance, units, members) if too_many else _masks(instance, units, members)
        pricer = PricingProblem(instance, units, members) if too_many else None
        index = (first.host, first.structure.key) if first.structure.scope == "all" else first.key
        possible = functools.partial(_possible, instance, first, members) if too_many else None
        catalogue = PoolCatalogue(
            problem, units, members, masks, costing(masks), _namer(names, index), pricer, costing, possible
        )
        for code in members:  # the rows as stored in the problem: a pool listed later edits them
            row = pulp.lpSum_vars_coefs([(first.members[code], 1.0)]) == 0
            catalogue.member_rows.append(problem.addConstraint(row, names("pool_member", code, *index)))
        if first.is_open not in first.members.values():  # a provider's unit opens with a column
            row = pulp.lpSum_vars_coefs([(first.is_open, 1.0)]) == 0
            catalogue.open_row = problem.addConstraint(row, names("pool_open", *index))
        catalogues.append(catalogue)
    first_pools: dict[PoolCatalogue, Iterable[int]] = {}
    everything = sum(len(c.masks) for c in catalogues) <= list_all and all(c.pricer is None for c in catalogues)
    for catalogue in catalogues:
        size = catalogue.masks.sum(axis=1)
        first_pools[catalogue] = (
            range(len(catalogue.masks))
            if everything or len(size) == 0 or catalogue.pricer is not None
            else [*np.flatnonzero(size <= 2), int(np.argmax(size))]
        )
    list_pools(problem, first_pools)
    return PoolModel(instance, problem, variables, formulation="pools", catalogues=tuple(catalogues))


# -- column generation -------------------------------------------------------------------------------


#: pools added per catalogue and round of pricing, at most
PER_ROUND = 5
#: rounds of pricing at most (each adds at least one pool, so the catalogues bound it anyway)
MAX_ROUNDS = 500
#: pools found per round by a unit's pricing MIP (each after the one before is cut off)
PER_MIP = 1
#: the cheapest pools found so far whose neighbours pricing's heuristic tries
NEIGHBOUR_SEEDS = 3
#: pools with a reduced cost within the gap that a unit's pricing MIP lists for completion, at most:
#: beyond, the answer stands against the relaxation's bound
COMPLETE_MIP = 200


@dataclass(frozen=True)
class Relaxation:
    """The LP relaxation over every possible pool, solved by pricing: its optimum (a bound on the
    whole problem) and the duals that priced it."""

    bound: float
    duals: np.ndarray
    rounds: int


def _rows(problem: pulp.LpProblem) -> dict[str, int]:
    return {constraint.name: n for n, constraint in enumerate(problem.constraints())}


def relax(model: PoolModel, control: Control, threads: int = 1) -> Relaxation | None:
    """Price pools into the LP relaxation until none has a negative reduced cost (None when stopped,
    or when the LP has no optimum). The LP is built once in HiGHS and grows by columns, each re-solve
    warm from the last basis; every pool added is added to the PuLP problem too."""
    import highspy

    problem = model.problem
    use_threads(threads)
    solver = pulp.HiGHS(mip=False, msg=False, threads=threads)
    with quiet_stdout():
        solver.createAndConfigureSolver(problem)
        solver.buildSolverModel(problem)
    highs: Any = problem.solverModel
    rows = _rows(problem)
    member_rows = [np.array([rows[row.name] for row in c.member_rows], dtype=np.int64) for c in model.catalogues]
    open_rows = [rows[c.open_row.name] if c.open_row is not None else None for c in model.catalogues]
    hot: set[PoolCatalogue] = set()
    for rounds in range(1, MAX_ROUNDS + 1):
        if control.should_stop() is not None:
            return None
        with quiet_stdout():
            highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        duals = np.asarray(highs.getSolution().row_dual)
        objective = highs.getInfo().objective_function_value
        tolerance = 1e-9 * max(1.0, abs(objective)) + 1e-7
        priced: dict[PoolCatalogue, Sequence[int]] = {}
        large: list[tuple[PoolCatalogue, np.ndarray, float]] = []
        for catalogue, own_rows, open_row in zip(model.catalogues, member_rows, open_rows, strict=True):
            open_dual = 0.0 if open_row is None else duals[open_row]
            if catalogue.pricer is not None:
                found = catalogue.neighbours(duals[own_rows], open_dual, -tolerance, PER_ROUND)
                priced[catalogue] = catalogue.extend(found)
                large.append((catalogue, duals[own_rows], open_dual))
                continue
            reduced = catalogue.reduced_costs(duals[own_rows], open_dual)
            reduced[catalogue.listed] = np.inf
            best = np.argsort(reduced)[:PER_ROUND]
            priced[catalogue] = best[reduced[best] < -tolerance].tolist()
        # the units whose MIP found a pool last time are priced by MIP every round; every unit only
        # where nothing else found a pool (the proof that none is left)
        mip_priced: set[PoolCatalogue] = set()
        for sweep in (set(hot), None):
            if sweep is None and any(len(rows) for rows in priced.values()):
                break
            for catalogue, member_duals, open_dual in large:
                if catalogue in mip_priced or (sweep is not None and catalogue not in sweep):
                    continue
                if control.should_stop() is not None:
                    return None
                assert catalogue.pricer is not None
                cheapest = catalogue.pricer.cheapest(member_duals, -open_dual - tolerance, PER_MIP)
                mip_priced.add(catalogue)
                priced[catalogue] = [*priced[catalogue], *catalogue.extend(cheapest)]
                if cheapest:
                    hot.add(catalogue)
                else:
                    hot.discard(catalogue)
        starts: list[int] = []
        indices: list[int] = []
        costs: list[float] = []
        where = dict(zip(model.catalogues, zip(member_rows, open_rows, strict=True), strict=True))
        for catalogue, n in list_pools(problem, priced):
            own_rows, open_row = where[catalogue]
            starts.append(len(indices))
            indices += own_rows[catalogue.masks[n]].tolist()
            if open_row is not None:
                indices.append(open_row)
            costs.append(float(catalogue.cost[n]))
        if not costs:
            return Relaxation(objective, duals, rounds)
        count = len(costs)
        highs.addCols(
            count,
            np.array(costs),
            np.zeros(count),
            np.ones(count),
            len(indices),
            np.array(starts, dtype=np.int32),
            np.array(indices, dtype=np.int32),
            np.full(len(indices), -1.0),
        )
    return None


def complete(model: PoolModel, relaxation: Relaxation | None, incumbent: float | None) -> tuple[int, bool]:
    """List every pool whose reduced cost (under the relaxation's duals) is below the gap between
    `incumbent` and the relaxation's bound: a configuration better than the incumbent uses no other
    (its cost is at least the bound plus the reduced costs of its pools). Without a relaxation or an
    incumbent, every pool. Returns how many were added, and whether every such pool is listed now
    (not where a unit's pricing MIP found more than `COMPLETE_MIP`, or had nothing to go by)."""
    rows = _rows(model.problem)
    wanted_pools: dict[PoolCatalogue, Iterable[int]] = {}
    whole = True
    for catalogue in model.catalogues:
        if relaxation is None or incumbent is None:
            if catalogue.pricer is not None:
                whole = False
                continue
            wanted = np.arange(len(catalogue.masks))
        else:
            own_rows = np.array([rows[row.name] for row in catalogue.member_rows], dtype=np.int64)
            open_dual = 0.0 if catalogue.open_row is None else relaxation.duals[rows[catalogue.open_row.name]]
            limit = incumbent - relaxation.bound + 1e-9 * max(1.0, abs(incumbent)) + 1e-6
            reduced = catalogue.reduced_costs(relaxation.duals[own_rows], open_dual)
            if catalogue.pricer is not None:
                gap = relative_gap(incumbent, relaxation.bound)
                if gap is not None and gap <= OPTIMAL_GAP:  # proven already: the answer stands against the bound
                    whole = False
                    continue
                known = catalogue.masks[reduced <= limit]  # cut off: a MIP need not find them again
                member_duals = relaxation.duals[own_rows]
                found = catalogue.pricer.cheapest(member_duals, limit - open_dual, COMPLETE_MIP + 1, known)
                whole &= len(found) <= COMPLETE_MIP
                wanted_pools[catalogue] = [*np.flatnonzero(reduced <= limit), *catalogue.extend(found[:COMPLETE_MIP])]
                continue
            wanted = np.flatnonzero(reduced <= limit)
        wanted_pools[catalogue] = wanted
    return len(list_pools(model.problem, wanted_pools)), whole


def _status_quo(model: PoolModel) -> float | None:
    """The status quo's objective where it keeps every rule: an answer to beat when the pools listed
    have none (pools that need members together, say), so that completion need not list them all."""
    evaluation = evaluate(model.instance, model.instance.status_quo())
    return None if evaluation.violations else evaluation.objective


def solve_pools(
    model: PoolModel, options: SolverOptions, control: Control, tuning: Mapping[str, Any] | None = None
) -> SolverReport:
    """`optimizer.solve.solve` over every possible pool, listed or priced: the relaxation is priced
    (`relax`), the MIP solved over the pools listed, then every pool that could still beat its answer
    is listed (`complete`) and the MIP solved again from that answer. The bound reported holds for
    every pool: the MIP's over a list that holds every improving pool, or the relaxation's."""
    if not model.priced:
        return solve(model.problem, options, control, tuning)
    started = time.perf_counter()
    pricing = _pricing_control(control)
    relaxation = relax(model, pricing, options.threads)
    if relaxation is None and pricing.should_stop() is None:  # no LP optimum over the first pools
        _, whole = complete(model, None, None)
        report = solve(model.problem, options, control, tuning)
        if not whole:  # pools too many to list are missing: neither an optimum nor "infeasible" holds
            return _unproven(report, None, time.perf_counter() - started)
        return replace(report, seconds=time.perf_counter() - started)
    report = solve(model.problem, options, control, tuning)
    if relaxation is None:  # stopped while pricing: an answer holds, no bound for every pool does
        # what stopped pricing stopped the solve, whatever ended the MIP over the pools listed
        # (often "Optimal" there, which would read "stopped at the requested gap")
        cause = "Interrupted" if pricing.should_stop() == "Interrupted" or report.interrupted else "TimeLimit"
        if report.has_solution:
            status, reason = Status.FEASIBLE, cause
        else:  # nor does "infeasible" over the pools listed
            status, reason = Status.ERROR, no_solution_reason(cause, options)
        return replace(
            report,
            status=status,
            reason=reason,
            bound=None,
            gap=None,
            seconds=time.perf_counter() - started,
            timed_out=cause == "TimeLimit",
        )
    stopped = control.should_stop()
    if stopped is not None:  # listing the pools that could still improve would overrun the limit
        if not report.has_solution:  # nor is "infeasible" over the pools listed infeasible for all
            reason = no_solution_reason("Interrupted" if stopped == "Interrupted" else "TimeLimit", options)
            return replace(
                report,
                status=Status.ERROR,
                reason=reason,
                bound=None,
                gap=None,
                seconds=time.perf_counter() - started,
                timed_out=stopped == "TimeLimit",
            )
        gap = relative_gap(report.objective, relaxation.bound)  # the MIP's own bound holds for the list only
        status = Status.OPTIMAL if gap is not None and gap <= OPTIMAL_GAP else Status.FEASIBLE
        reason = report.reason if status is Status.OPTIMAL else stopped
        return replace(
            report,
            status=status,
            reason=reason,
            bound=relaxation.bound,
            gap=gap,
            seconds=time.perf_counter() - started,
            timed_out=status is Status.FEASIBLE and stopped == "TimeLimit",
        )
    added, whole = complete(model, relaxation, report.objective if report.has_solution else _status_quo(model))
    if added:
        more = dict(tuning or {})
        if report.has_solution:
            model.start_from(model.configuration())
            more["warmStart"] = True
        report = solve(model.problem, options, control, more)
    if not whole:  # the MIP's bound holds for the pools listed only
        return _unproven(report, relaxation.bound, time.perf_counter() - started)
    bound = relaxation.bound if report.bound is None else max(report.bound, relaxation.bound)
    gap = relative_gap(report.objective, bound)
    status = report.status
    if status is Status.FEASIBLE and gap is not None and gap <= OPTIMAL_GAP:
        status = Status.OPTIMAL
    return replace(report, status=status, bound=bound, gap=gap, seconds=time.perf_counter() - started)


#: the share of the time left that pricing may take: where it does not finish (Limburg's tax offices,
#: priced by MIP), the MIP over the pools found so far has the rest to give an answer
PRICING_SHARE = 0.5


def _pricing_control(control: Control) -> Control:
    """The control of pricing: the solve's, with its deadline at `PRICING_SHARE` of the time left."""
    remaining = control.remaining()
    if remaining is None:
        return control
    return replace(control, deadline=time.monotonic() + PRICING_SHARE * max(remaining, 0.0))


def _unproven(report: SolverReport, bound: float | None, seconds: float) -> SolverReport:
    """The MIP's answer over pools that may miss an improving one (a unit's pricing MIP found more
    than it lists): feasible against `bound` (the relaxation's, or none), optimal only where that
    bound proves it; "infeasible" over them holds for them alone (and a stop keeps its own words)."""
    if not report.has_solution:
        if report.status is not Status.INFEASIBLE:  # stopped: its own words say by what
            return replace(report, bound=None, gap=None, seconds=seconds)
        reason = says(
            "no answer among the pools listed, and a unit has more pools than can be listed: "
            "try --formulation textbook",
            "geen antwoord onder de opgesomde pools, en een eenheid heeft meer pools dan op te sommen zijn: "
            "probeer --formulation textbook",
        )
        return replace(report, status=Status.ERROR, reason=reason, bound=None, gap=None, seconds=seconds)
    gap = relative_gap(report.objective, bound)
    status = Status.OPTIMAL if gap is not None and gap <= OPTIMAL_GAP else Status.FEASIBLE
    reason = report.reason
    if status is Status.FEASIBLE and reason == "Optimal" and report.options.gap == 0:  # proven over the list only
        reason = says(
            "a unit has more pools than can be listed, so the bound is the relaxation's",
            "een eenheid heeft meer pools dan op te sommen zijn, dus de grens is die van de relaxatie",
        )
    return replace(report, status=status, reason=reason, bound=bound, gap=gap, seconds=seconds)
