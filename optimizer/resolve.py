"""Re-solves of one model with small changes, in HiGHS, without building it again (issue 22).

An explanation re-solves one scenario dozens of times: without a host or a structure (a runner-up),
with one figure at another value (a flip search), on cash alone. Built afresh in PuLP each time,
building and handing the model to HiGHS cost twice the solve itself on a seed region. A `Resolver`
builds the pool formulation once (every unit with its columns, so that no figure's value can leave a
unit without one), hands it to HiGHS once, and for each re-solve changes only what differs:

- a forbidden unit: the upper bound of its opening column, 0;
- a figure at another value: the objective's coefficients, recomputed from the scenario with that
  value (the same functions that built them), and the host capacities, the one row bound a
  decisive figure moves (through a municipality's own staff). Only the coefficients that read the
  changed figure are recomputed: the objective is cut into parts that each read one domain's or one
  structure's figures (`_Part`), and a domain's or a structure's figure moves its parts alone.

A scenario whose rows would differ from the base's (other candidate units, counts, limits,
coordination charged or not) is refused (`fits`), and the caller builds it afresh. The answers are
the fresh build's (tests/test_resolve.py compares them for every decisive figure).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import pulp

from inputs.types import CRITERIA, Scenario, SolverOptions
from optimizer.control import Control
from optimizer.formulation.candidates import Names, Unit, Variables, candidate_units, charges_coordination
from optimizer.formulation.coefficients import objective_terms
from optimizer.formulation.model import Forbid
from optimizer.formulation.pools import PoolCatalogue, PoolModel, build_pools, pool_criteria, pool_fit
from optimizer.hosting import HostSearch
from optimizer.instance import IN_HOUSE, Configuration, Instance, Placement
from optimizer.solve import (
    SolverReport,
    highs_callback,
    highs_outcome,
    quiet_stdout,
    report_of,
    use_threads,
)


def _shape(instance: Instance) -> tuple[Any, ...]:
    """What the rows of the model depend on, but the host capacities (`Resolver` updates those) and
    whether coordination is charged (`Resolver.fits`)."""
    scenario = instance.scenario
    units = tuple(
        (
            c.host,
            c.structure.key,
            c.domain,
            c.members,
            instance.min_members(c.structure, c.host),
            c.structure.max_members,
        )
        for c in candidate_units(instance)
    )
    capacity = scenario.limits.host_capacity_factor is not None
    return (units, scenario.limits, scenario.politics, capacity)


@dataclass(frozen=True)
class _Part:
    """A share of the objective: the model's variables whose coefficients read the figures of these
    domains and structures only (and of the scenario's other sections, which a re-solve keeps)."""

    domains: frozenset[str]
    structures: frozenset[str]
    variables: Variables
    catalogues: tuple[PoolCatalogue, ...] = ()


def _parts(model: PoolModel, instance: Instance) -> list[_Part]:
    """The objective cut into parts: a domain's own departments, a structure's units of one domain
    (of every domain for an all-domain body, whose units share their member variables) with their
    pools, a structure's bodies, and the matrix's coordination."""
    variables = model.variables
    nothing: dict[str, Any] = {f.name: () if f.name == "units" else {} for f in fields(variables)}
    empty = replace(variables, **nothing)
    parts = []
    for domain in instance.domains:
        own = {key: var for key, var in variables.own.items() if key[1] == domain}
        parts.append(_Part(frozenset([domain]), frozenset(), replace(empty, own=own)))
    groups: dict[tuple[str, str | None], list[Unit]] = {}
    for unit in variables.units:
        whole_body = unit.structure.scope == "all"
        groups.setdefault((unit.structure.key, None if whole_body else unit.domain), []).append(unit)
    catalogues: dict[tuple[str, str | None], list[PoolCatalogue]] = {}
    for catalogue in model.catalogues:
        first = catalogue.units[0]
        whole_body = first.structure.scope == "all"
        catalogues.setdefault((first.structure.key, None if whole_body else first.domain), []).append(catalogue)
    for (structure, one_domain), units in groups.items():
        keys = {unit.key for unit in units}
        body: dict[str, Any] = {}
        if one_domain is None:  # the body's own variables carry its members' figures too
            body = {
                "bodies": {k: v for k, v in variables.bodies.items() if k[1] == structure},
                "body_members": {k: v for k, v in variables.body_members.items() if k[2] == structure},
                "all_domain": {k: v for k, v in variables.all_domain.items() if k[1] == structure},
            }
        parts.append(
            _Part(
                frozenset(unit.domain for unit in units),
                frozenset([structure]),
                replace(
                    empty,
                    units=tuple(units),
                    overhead={k: v for k, v in variables.overhead.items() if k in keys},
                    quality={k: v for k, v in variables.quality.items() if k in keys},
                    quality_shortfall={k: v for k, v in variables.quality_shortfall.items() if k[1:] in keys},
                    vulnerability={k: v for k, v in variables.vulnerability.items() if k in keys},
                    **body,
                ),
                tuple(catalogues.pop((structure, one_domain), ())),
            )
        )
    assert not catalogues, "a catalogue of pools without units"
    for structure in instance.structures:
        if (structure, None) in groups:
            continue
        bodies = {k: v for k, v in variables.bodies.items() if k[1] == structure}
        joins = {k: v for k, v in variables.body_members.items() if k[2] == structure}
        everyone = {k: v for k, v in variables.all_domain.items() if k[1] == structure}
        if bodies or joins or everyone:
            body_part = replace(empty, bodies=bodies, body_members=joins, all_domain=everyone)
            parts.append(_Part(frozenset(), frozenset([structure]), body_part))
    matrix = instance.matrix
    if variables.coordination:
        assert matrix is not None
        parts.append(_Part(frozenset(), frozenset([matrix.key]), replace(empty, coordination=variables.coordination)))
    return parts


#: the most cuts HiGHS keeps in its pool before it ages them out (its default 10,000): where a matrix's
#: hosts are fixed its root spent seconds separating over 1,700 cuts (the Kempen at quality 0.8,
#: autonomy 0.5, GM1728's procurement kept: one such MIP 3.2 s, 2.3 s with 500); that explanation in
#: process 15.4 s to 11.6 s, the same explanation, and two more the same in time and text
CUT_POOL = 500


def _keys(scenario: Scenario) -> tuple[list[str], list[str]]:
    return [d.key for d in scenario.domains], [s.key for s in scenario.structures]


class Resolver:
    """One scenario's model in HiGHS, re-solved for scenarios that differ from it in figures only."""

    def __init__(self, scenario: Scenario, options: SolverOptions) -> None:
        self.base = scenario
        self.options = options
        instance = Instance(scenario)
        self.shape = _shape(instance)
        #: the coordination variables exist where the base charges coordination; at cost 0 they fit a
        #: scenario that does not
        self.coordinated = charges_coordination(instance)
        model = build_pools(instance, Control(), every_group=True)
        assert isinstance(model, PoolModel) and not model.priced
        self.model = model
        problem = model.problem
        use_threads(options.threads)
        solver = pulp.HiGHS(msg=False, threads=options.threads, random_seed=options.seed, mip_rel_gap=options.gap)
        with quiet_stdout():
            solver.createAndConfigureSolver(problem)
            solver.buildSolverModel(problem)
        self.highs: Any = problem.solverModel
        assert self.highs is not None
        self.highs.setOptionValue("presolve", "off")  # as `optimizer.explain.RESOLVE_TUNING`, measured there
        self.highs.setOptionValue("mip_pool_soft_limit", CUT_POOL)
        columns = problem.exported_variables()
        self.column = {var.name: j for j, var in enumerate(columns)}
        self.upper = np.array([np.inf if v.upBound is None else v.upBound for v in columns], dtype=float)
        rows = {constraint.name: n for n, constraint in enumerate(problem.constraints())}
        tokens = Names(instance).tokens
        capacity_rows = {host: rows.get(f"host_capacity({tokens.get(host, host)})") for host in instance.codes}
        self.capacity_rows = {host: row for host, row in capacity_rows.items() if row is not None}
        self.base_criteria = self._criteria(instance)
        opening: dict[str, list[int]] = {}
        for unit in model.variables.units:
            if unit.structure.coordinated:
                opening.setdefault(unit.host, []).append(self.column[unit.is_open.name])
        hosting = {code: np.array(columns, dtype=np.int32) for code, columns in opening.items()}
        #: where a matrix's coordination is charged, who hosts it is branched on first
        self.hosting = HostSearch(self.highs, hosting) if self.coordinated and HostSearch.applies(hosting) else None
        self._started: list[pulp.LpVariable] | None = None
        self._start: tuple[Any, tuple[np.ndarray, np.ndarray]] | None = None
        self._last_costs: tuple[Scenario, np.ndarray] | None = None
        # each part's coefficients for the base; trusted only where together they are the whole
        # objective to the last bit (a variable no part holds would otherwise keep a stale figure)
        self._parts: list[tuple[_Part, np.ndarray, np.ndarray]] | None = None
        parts = [(part, *self._part_criteria(instance, part)) for part in _parts(model, instance)]
        whole = self._assembled(parts)
        if all(np.array_equal(whole[n], self.base_criteria[c]) for n, c in enumerate(CRITERIA)):
            self._parts = parts

    @staticmethod
    def applies(scenario: Scenario) -> bool:
        """Whether the scenario's model is the pool formulation with every pool listed."""
        return pool_fit(Instance(scenario)).whole

    def fits(self, instance: Instance) -> bool:
        """Whether `instance` has the base's rows (its scenario differs in figures only)."""
        return _shape(instance) == self.shape and (self.coordinated or not charges_coordination(instance))

    def _criteria(self, instance: Instance) -> dict[str, np.ndarray]:
        """Criterion -> the objective's coefficients for `instance`, unweighted: its structures'
        figures, not the base's, which the model's units carry."""
        units = self.model.variables.units
        refigured = {u.index: replace(u, structure=instance.structures[u.structure.key]) for u in units}
        variables = replace(self.model.variables, units=tuple(refigured[u.index] for u in units))
        criteria = {criterion: np.zeros(len(self.column)) for criterion in CRITERIA}
        for criterion, terms in objective_terms(instance, variables).items():
            vector = criteria[criterion]
            for var, value in terms:
                vector[self.column[var.name]] += value
        for catalogue in self.model.catalogues:
            columns = np.array([self.column[catalogue.columns[n].name] for n in range(len(catalogue.masks))])
            for unit in catalogue.units:
                parts = pool_criteria(instance, refigured[unit.index], catalogue.members, catalogue.masks)
                for criterion, values in parts.items():
                    criteria[criterion][columns] += values
        return criteria

    def _part_criteria(self, instance: Instance, part: _Part) -> tuple[np.ndarray, np.ndarray]:
        """The columns a part's coefficients fall on, and its coefficients there (a row per
        criterion), for `instance`: added in the order `_criteria` adds them, so a column's figure is
        the same to the last bit."""
        dense = np.zeros((len(CRITERIA), len(self.column)))
        row = {criterion: n for n, criterion in enumerate(CRITERIA)}
        touched: list[np.ndarray] = []
        structures = instance.structures
        units = tuple(replace(u, structure=structures[u.structure.key]) for u in part.variables.units)
        for criterion, terms in objective_terms(instance, replace(part.variables, units=units)).items():
            columns = np.array([self.column[var.name] for var, _value in terms], dtype=np.int64)
            for column, (_var, value) in zip(columns, terms, strict=True):
                dense[row[criterion], column] += value
            touched.append(columns)
        for catalogue in part.catalogues:
            columns = np.array([self.column[catalogue.columns[n].name] for n in range(len(catalogue.masks))])
            for unit in catalogue.units:
                refigured = replace(unit, structure=structures[unit.structure.key])
                for criterion, values in pool_criteria(instance, refigured, catalogue.members, catalogue.masks).items():
                    dense[row[criterion], columns] += values
            touched.append(columns)
        columns = np.unique(np.concatenate(touched)) if touched else np.zeros(0, dtype=np.int64)
        return columns, dense[:, columns]

    def _assembled(self, parts: Sequence[tuple[_Part, np.ndarray, np.ndarray]]) -> np.ndarray:
        whole = np.zeros((len(CRITERIA), len(self.column)))
        for _part, columns, values in parts:
            whole[:, columns] += values
        return whole

    def _refigured(self, instance: Instance) -> dict[str, np.ndarray]:
        """`_criteria` for `instance`, recomputing only the parts that read a figure that differs from
        the base's (every part where the scenario differs in more than domains and structures)."""
        scenario, base = instance.scenario, self.base
        same_rest = replace(scenario, weights=base.weights, domains=base.domains, structures=base.structures) == base
        if self._parts is None or not same_rest or _keys(scenario) != _keys(base):
            return self._criteria(instance)
        domains = {d.key for d, b in zip(scenario.domains, base.domains, strict=True) if d != b}
        structures = {s.key for s, b in zip(scenario.structures, base.structures, strict=True) if s != b}
        if not domains and not structures:
            return self.base_criteria
        parts = [
            (part, *self._part_criteria(instance, part))
            if part.domains & domains or part.structures & structures
            else (part, columns, values)
            for part, columns, values in self._parts
        ]
        whole = self._assembled(parts)
        return {criterion: whole[n] for n, criterion in enumerate(CRITERIA)}

    def _costs(self, instance: Instance) -> np.ndarray:
        """The objective's coefficients (the last ones again for the same scenario: a re-solve asked
        again with more work)."""
        scenario = instance.scenario
        if self._last_costs is not None and self._last_costs[0] == scenario:
            return self._last_costs[1]
        criteria = self._refigured(instance)
        weights = scenario.weights
        costs = sum((getattr(weights, c) * vector for c, vector in criteria.items()), np.zeros(len(self.column)))
        self._last_costs = (scenario, costs)
        return costs

    def solve(
        self, instance: Instance, forbid: Sequence[Forbid], control: Control, start: Configuration | None = None
    ) -> tuple[SolverReport, Configuration | None]:
        """Solve `instance` (which `fits`) with `forbid` taken away, within the control's limits; from
        `start` where given (a configuration that keeps every rule of the scenario)."""
        started = time.perf_counter()
        highs = self.highs
        costs = self._costs(instance)
        everything = np.arange(len(costs), dtype=np.int32)
        highs.changeColsCost(len(costs), everything, costs)
        upper = self.upper.copy()
        for unit in self.model.variables.units:
            if any(rule.covers(unit) for rule in forbid):
                upper[self.column[unit.is_open.name]] = 0.0
        highs.changeColsBounds(len(costs), everything, np.zeros(len(costs)), upper)
        for host, row in self.capacity_rows.items():
            capacity = instance.host_capacity(host)
            assert capacity is not None
            highs.changeRowBounds(row, -np.inf, capacity)
        # no time limit of HiGHS's own: its clock runs on across re-solves; the callback keeps the deadline
        stopped_by: list[str] = []
        if self.hosting is not None:
            started_at = None
            if start is not None:
                columns, values = self._start_values(start)
                whole = np.zeros(len(costs))
                whole[columns] = values
                started_at = (columns, values, self.hosting.hosts_of(whole))
            outcome = self.hosting.run(control, stopped_by, started_at)
            found = (outcome.status, outcome.has_solution, outcome.objective, outcome.bound)
            report = report_of(*found, stopped_by, self.options, started)
            if not report.has_solution or outcome.values is None:
                return report, None
            return report, self._configuration(outcome.values)
        callback, kinds = highs_callback(control, stopped_by)
        highs.setCallback(callback, None)
        for kind in kinds:  # a new callback starts none of the kinds the last one had
            highs.startCallback(kind)
        highs.clearSolver()  # each re-solve from scratch: the same answer whatever came before
        if start is not None:
            columns, values = self._start_values(start)
            highs.setSolution(len(columns), columns, values)
        with quiet_stdout():
            highs.run()
        status, has_solution, objective, bound = highs_outcome(highs)
        report = report_of(status, has_solution, objective, bound, stopped_by, self.options, started)
        if not report.has_solution:
            return report, None
        return report, self._configuration(np.asarray(highs.getSolution().col_value))

    def _start_values(self, start: Configuration) -> tuple[np.ndarray, np.ndarray]:
        """The columns and values of a start (the last one again: a flip search starts every re-solve
        from the recommendation)."""
        key = frozenset(start.items())
        if self._start is not None and self._start[0] == key:
            return self._start[1]
        self.model.start_from(start)
        values = [(self.column[var.name], var.varValue) for var in self.started_variables()]
        known = [(j, v) for j, v in values if v is not None]
        found = np.array([j for j, _ in known], dtype=np.int32), np.array([v for _, v in known], dtype=float)
        self._start = (key, found)
        return found

    def started_variables(self) -> list[pulp.LpVariable]:
        """The variables `start_from` sets: memberships, openings, bodies and pools."""
        found = self._started
        if found is None:
            variables = self.model.variables
            found = [*variables.own.values(), *variables.bodies.values(), *variables.body_members.values()]
            for unit in variables.units:
                found += [*unit.members.values(), unit.is_open]
            for catalogue in self.model.catalogues:
                found += list(catalogue.columns.values())
            self._started = found = list({id(v): v for v in found}.values())
        return found

    def _configuration(self, values: np.ndarray) -> Configuration:
        """The placements of a solution (values above one half count as chosen)."""
        chosen: Configuration = {}
        for (code, domain), var in self.model.variables.own.items():
            if values[self.column[var.name]] > 0.5:
                chosen[code, domain] = Placement(code, IN_HOUSE)
        for unit in self.model.variables.units:
            for code, var in unit.members.items():
                if values[self.column[var.name]] > 0.5:
                    chosen[code, unit.domain] = Placement(unit.host, unit.structure.key)
        return chosen


#: each thread's resolver of the scenario it re-solves last (a worker process explains one at a time;
#: the workshop's threads each their own), so that a HiGHS model is never shared between threads
_held = threading.local()


def resolver_for(base: Scenario, options: SolverOptions) -> Resolver | None:
    """This thread's resolver of `base`, built on first use; None where the pool formulation does not
    list every pool of it, or another solver or formulation is asked for."""
    if options.name != "highs" or options.formulation not in ("auto", "pools"):
        return None
    held = getattr(_held, "resolver", None)
    if held is not None and held[0] == base and held[1] == options:
        resolver: Resolver | None = held[2]
        return resolver
    resolver = Resolver(base, options) if Resolver.applies(base) else None
    _held.resolver = (base, options, resolver)
    return resolver
