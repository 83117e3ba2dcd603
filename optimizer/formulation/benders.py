"""Benders decomposition of the radius formulation (`optimizer.formulation.radius`): a master over the units alone.

The radius model's covering chains describe, per service i with options sorted by cost, the LP cost

    F_i(y) = max_k  D_k - sum_{u: c_iu < D_k} (D_k - c_iu) y_u

(the chain of level k is tight up to the first level whose options are open with total weight 1: a
prefix of the levels, which is what the maximum over k ranges over). So the model is the same as

    min  sum_u f_u y_u + sum_i theta_i
         theta_i >= D_k - sum_{u: c_iu < D_k} (D_k - c_iu) y_u     for every service i and level k
         the region's rows on y (at most p pools), y binary

with one continuous theta per service and no chain variables (Duran-Mateluna, Ales & Elloumi 2023,
"An efficient Benders decomposition for the p-median problem"; Cordeau, Furini & Ljubic 2019; the cut
family is Benders' optimality cut of each service's subproblem, solved in closed form: sort the
service's options, and the level k at which y first covers it gives the cut). The cuts are far too
many to list, so they are separated:

1. The LP relaxation by a cut loop, stabilised in-out (Ben-Ameur & Neto 2007; Fischetti, Ljubic &
   Sinnl 2017): separate at a point between the master's LP optimum and a centre that moves towards
   it. Every separation point is feasible, so its exact value F(y) bounds the LP from above and the
   loop ends when the master's LP value meets it. Its bound is the radius LP's.
2. A heuristic answer: greedy opening and interchange (add, drop, swap; Whitaker 1983, Resende &
   Werneck 2003) from scratch, from the LP optimum and from each master answer.
3. Reduced-cost fixing: a unit whose reduced cost at the LP optimum lifts the LP bound above the best
   answer cannot open in a better one, so it is closed.
4. The master MIP over the cuts found, started from the best answer. HiGHS has no lazy constraints
   that can be used from here, so each master is solved whole; its answers (the optimum and every
   solution HiGHS found on the way) are evaluated exactly, give cuts where their thetas fall short,
   and the master is solved again, until the master's bound meets the best answer.

A master is a relaxation of what is left after fixing (a configuration better than the best answer
keeps every cut), so its bound, or the best answer where that is lower, bounds the whole problem. A
run stopped early reports the best answer with that bound: feasible with its gap, never optimal.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pulp

from inputs.labels import clock, language, number, says
from inputs.types import SolverOptions
from optimizer.control import PROGRESS_EVERY_S, Control
from optimizer.formulation.model import Model
from optimizer.solve import OPTIMAL_GAP, SolverReport, highs_callback, quiet_stdout, report_of, solve, use_threads

#: radius models of at least this many variables are solved by Benders decomposition (HiGHS only);
#: smaller ones, and CBC, by the radius MIP itself. All of them: Benders was the faster whole run on
#: every OR-Library instance compared, from cap71 (765 variables: 0.03 s against 0.04 s) through
#: pmed1 (0.25 s against 1.36 s) to pmed35 (30 s, proven, against 304 s unproven);
#: benchmarks/README.md, section 11
BENDERS_FROM: float = 0
#: rounds of the LP cut loop at most
LP_ROUNDS = 500
#: the cut loop ends when a point's exact LP value is within this (relative) of the master LP's bound
LP_GAP = 1e-7
#: master MIPs solved at most (each adds the cuts its answers lack)
MIP_ROUNDS = 200
#: interchange moves at most per heuristic run
MOVES = 2_000
#: swap moves are priced over (open units x units) at most this many pairs (else adds and drops only)
SWAP_PAIRS = 4_000_000
#: in-out stabilisation: the separation point lies this far from the LP optimum towards the centre
IN_OUT = 0.5
#: master solutions HiGHS reports during one MIP that are kept for separation
KEPT_SOLUTIONS = 64


@dataclass(frozen=True)
class CountRow:
    """A row of the region over the opening variables: lower <= sum coefficient * y <= upper."""

    units: np.ndarray
    coefficients: np.ndarray
    lower: float
    upper: float


class Covering:
    """The radius model as arrays. Service i's options are positions start[i] to start[i+1] of `cost`
    and `unit`, cheapest first; `unit` holds the option's unit or `units` (the number of units) for
    the service's own department, which is always open. The objective is
    `constant + sum f_u y_u + sum_i (cost of i's cheapest open option)`."""

    def __init__(
        self,
        open_cost: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        start: np.ndarray,
        cost: np.ndarray,
        unit: np.ndarray,
        rows: tuple[CountRow, ...] = (),
        constant: float = 0.0,
    ) -> None:
        lengths = np.diff(start)
        if (lengths == 0).any():
            raise ValueError("a service without options")
        self.open_cost = np.asarray(open_cost, dtype=float)
        self.lower = np.asarray(lower, dtype=float)
        self.upper = np.asarray(upper, dtype=float)
        self.start = np.asarray(start, dtype=np.int64)
        self.cost = np.asarray(cost, dtype=float)
        self.unit = np.asarray(unit, dtype=np.int64)
        self.rows = rows
        self.constant = constant
        self.units = len(self.open_cost)
        self.services = len(self.start) - 1
        self.first = self.start[:-1]
        #: the service of each position, and the first position of its cost level
        self.service = np.repeat(np.arange(self.services), lengths)
        new_level = np.zeros(len(self.cost), dtype=bool)
        new_level[self.first] = True
        new_level[1:] |= self.cost[1:] != self.cost[:-1]
        self.level_start = np.flatnonzero(new_level)[np.cumsum(new_level) - 1]
        self.cheapest = self.cost[self.first]
        self.real = self.unit < self.units
        #: a cost bigger than any difference of two options: the price of leaving a service unserved
        self.penalty = 2.0 * (float(np.abs(self.cost).max()) + float(np.abs(self.open_cost).sum()) + 1.0)
        self.scale = max(1.0, float(np.abs(self.cost).max()))
        self.row_matrix = np.zeros((len(rows), self.units))
        for r, row in enumerate(rows):
            self.row_matrix[r, row.units] = row.coefficients
        self.row_lower = np.array([row.lower for row in rows])
        self.row_upper = np.array([row.upper for row in rows])

    def _with_own(self, y: np.ndarray) -> np.ndarray:
        return np.append(y, 1.0)[self.unit]

    def reach(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Where each service is first covered by `y` (a point of [0,1]^units): the position at which
        its options, cheapest first, add up to 1 (-1 where they never do), the cost D there (inf
        where never) and the first position of D's level (the cut's options are those before it)."""
        weight = self._with_own(y)
        total = np.cumsum(weight)
        before = np.concatenate(([0.0], total))[self.first]
        covered = np.flatnonzero(total - before[self.service] >= 1.0 - 1e-9)
        found = np.searchsorted(covered, self.first)
        position = covered[np.minimum(found, max(len(covered) - 1, 0))] if len(covered) else np.zeros_like(found)
        ok = (found < len(covered)) & (position < self.start[1:])
        position = np.where(ok, position, -1)
        level = np.where(ok, self.cost[np.maximum(position, 0)], np.inf)
        level_start = np.where(ok, self.level_start[np.maximum(position, 0)], self.first)
        return position, level, level_start

    def cut_values(self, y: np.ndarray, level: np.ndarray, level_start: np.ndarray) -> np.ndarray:
        """Each service's cut at `level` evaluated at `y`: D - sum_{positions before level_start} (D - c) y."""
        weight = self._with_own(y)
        weights = np.concatenate(([0.0], np.cumsum(weight)))
        costs = np.concatenate(([0.0], np.cumsum(weight * self.cost)))
        mass = weights[level_start] - weights[self.first]
        spent = costs[level_start] - costs[self.first]
        with np.errstate(invalid="ignore"):
            return np.where(np.isfinite(level), level - (level * mass - spent), np.inf)

    def cost_of(self, y: np.ndarray) -> tuple[float, np.ndarray]:
        """The objective of an integer `y` and each service's cost (inf where a service is unserved)."""
        _position, level, _start = self.reach(np.round(y))
        return self.constant + float(self.open_cost @ np.round(y)) + float(level.sum()), level

    def feasible(self, y: np.ndarray) -> bool:
        activity = self.row_matrix @ y
        tolerance = 1e-6
        return bool(
            (activity >= self.row_lower - tolerance).all()
            and (activity <= self.row_upper + tolerance).all()
            and (y >= self.lower - tolerance).all()
            and (y <= self.upper + tolerance).all()
        )

    def cuts(self, services: np.ndarray, level: np.ndarray, level_start: np.ndarray) -> tuple[np.ndarray, ...]:
        """Rows theta_i + sum_{c_iu < D} (D - c_iu) y_u >= D of `services`, for HiGHS's addRows:
        (starts, columns, values, lower); theta_i is column units + i."""
        begin = self.first[services]
        lengths = level_start[services] - begin
        offsets = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)
        count = int(lengths.sum())
        term_index = np.arange(count) - np.repeat(np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        within = np.repeat(begin, lengths) + term_index
        columns = np.empty(count + len(services), dtype=np.int32)
        values = np.empty(count + len(services))
        columns[offsets] = self.units + services
        values[offsets] = 1.0
        slots = np.repeat(offsets + 1, lengths) + term_index
        columns[slots] = self.unit[within]
        values[slots] = np.repeat(level[services], lengths) - self.cost[within]
        return offsets.astype(np.int32), columns, values, level[services]

    def options_of(self, service: int) -> np.ndarray:
        """The units among a service's options."""
        units = self.unit[self.first[service] : self.start[service + 1]]
        return units[units < self.units]


# -- the heuristic: greedy opening and interchange ------------------------------------------------


class _Assignment:
    """Each service's cheapest and second-cheapest open option under an integer y (the penalty where
    there is none) and the unit of the cheapest (-1 for the own department or none)."""

    def __init__(self, covering: Covering, is_open: np.ndarray) -> None:
        c = covering
        weight = np.append(is_open, True)[c.unit]
        total = np.cumsum(weight)
        before = np.concatenate(([0], total))[c.first]
        rank = (total - before[c.service]) * weight
        best = np.full(c.services, c.penalty)
        second = np.full(c.services, c.penalty)
        best_unit = np.full(c.services, -1, dtype=np.int64)
        one = np.flatnonzero(rank == 1)
        two = np.flatnonzero(rank == 2)
        best[c.service[one]] = c.cost[one]
        second[c.service[two]] = c.cost[two]
        units = c.unit[one]
        best_unit[c.service[one]] = np.where(units < c.units, units, -1)
        self.best, self.second, self.best_unit = best, second, best_unit
        self.objective = c.constant + float(c.open_cost @ is_open) + float(best.sum())


def _shown(value: float, digits: int) -> str:
    """A figure of a progress line in the run's number format (the bound may still be minus infinity)."""
    return number(value, digits, language()) if math.isfinite(value) else "-"


def interchange(covering: Covering, is_open: np.ndarray, deadline: Callable[[], bool]) -> np.ndarray:
    """Local search from `is_open` (which keeps the rows): the best of every add, drop and swap of one
    unit while one lowers the objective (unserved services at a penalty, so that the first adds
    serve everyone: greedy opening when started from nothing)."""
    c = covering
    is_open = is_open.astype(bool).copy()
    state = _Assignment(c, is_open)
    free_to_open = c.upper > 0.5
    free_to_close = c.lower < 0.5
    for _ in range(MOVES):
        if deadline():
            break
        closed = ~is_open & free_to_open
        usable = c.real & np.append(closed, False)[c.unit]
        positions = np.flatnonzero(usable)
        saving = np.maximum(0.0, state.best[c.service[positions]] - c.cost[positions])
        gain = np.bincount(c.unit[positions], weights=saving, minlength=c.units)
        served = state.best_unit >= 0
        loss = np.bincount(state.best_unit[served], weights=(state.second - state.best)[served], minlength=c.units)
        activity = c.row_matrix @ is_open
        tolerance = 1e-9 * max(1.0, abs(state.objective))
        moves: list[tuple[float, int, int]] = []  # (profit, unit opened or -1, unit closed or -1)
        add = gain - c.open_cost
        if len(c.rows):
            fits = ((activity[:, None] + c.row_matrix) <= c.row_upper[:, None] + 1e-9).all(axis=0)
            fits &= ((activity[:, None] + c.row_matrix) >= c.row_lower[:, None] - 1e-9).all(axis=0)
            add = np.where(fits, add, -np.inf)
        add = np.where(closed, add, -np.inf)
        if len(add) and np.isfinite(add.max()):
            v = int(np.argmax(add))
            moves.append((float(add[v]), v, -1))
        opened = np.flatnonzero(is_open & free_to_close)
        drop = c.open_cost[opened] - loss[opened]
        if len(c.rows) and len(opened):
            fits = ((activity[:, None] - c.row_matrix[:, opened]) <= c.row_upper[:, None] + 1e-9).all(axis=0)
            fits &= ((activity[:, None] - c.row_matrix[:, opened]) >= c.row_lower[:, None] - 1e-9).all(axis=0)
            drop = np.where(fits, drop, -np.inf)
        if len(drop) and np.isfinite(drop.max()):
            n = int(np.argmax(drop))
            moves.append((float(drop[n]), -1, int(opened[n])))
        if len(opened) and len(opened) * c.units <= SWAP_PAIRS:
            slot = np.full(c.units + 1, -1, dtype=np.int64)
            slot[opened] = np.arange(len(opened))
            owner = slot[np.maximum(state.best_unit[c.service[positions]], 0)]
            owner = np.where(state.best_unit[c.service[positions]] >= 0, owner, -1)
            service = c.service[positions]
            cheaper = (owner >= 0) & (c.cost[positions] < state.second[service])
            extra = np.bincount(
                owner[cheaper] * c.units + c.unit[positions[cheaper]],
                weights=state.second[service[cheaper]]
                - np.maximum(c.cost[positions[cheaper]], state.best[service[cheaper]]),
                minlength=len(opened) * c.units,
            ).reshape(len(opened), c.units)
            swap = extra + (gain - c.open_cost)[None, :] + (c.open_cost[opened] - loss[opened])[:, None]
            swap[:, ~closed] = -np.inf
            if len(c.rows):
                change = c.row_matrix[:, None, :] - c.row_matrix[:, opened][:, :, None]
                after = activity[:, None, None] + change
                fits = (
                    (after <= c.row_upper[:, None, None] + 1e-9) & (after >= c.row_lower[:, None, None] - 1e-9)
                ).all(axis=0)
                swap = np.where(fits, swap, -np.inf)
            if np.isfinite(swap.max()):
                out, into = np.unravel_index(int(np.argmax(swap)), swap.shape)
                moves.append((float(swap[out, into]), int(into), int(opened[out])))
        if not moves:
            break
        profit, v, u = max(moves)
        if profit <= tolerance:
            break
        trial = is_open.copy()
        if v >= 0:
            trial[v] = True
        if u >= 0:
            trial[u] = False
        after_move = _Assignment(c, trial)
        if after_move.objective >= state.objective - tolerance:  # rounding: no real improvement
            break
        is_open, state = trial, after_move
    return is_open


def _rounded(covering: Covering, y: np.ndarray) -> np.ndarray:
    """Units opened in decreasing order of `y` (those above zero) while the rows' upper bounds allow."""
    c = covering
    is_open = c.lower > 0.5
    for u in np.argsort(-y, kind="stable"):
        if y[u] <= 1e-6:
            break
        if is_open[u] or c.upper[u] < 0.5:
            continue
        trial = is_open.copy()
        trial[u] = True
        if (c.row_matrix @ trial <= c.row_upper + 1e-9).all():
            is_open = trial
    return is_open


# -- the master ---------------------------------------------------------------------------------


class _Master:
    """The master problem in HiGHS: y (units) then theta (services), the region's rows, cuts."""

    def __init__(self, covering: Covering, options: SolverOptions) -> None:
        import highspy

        c = covering
        self.covering = c
        use_threads(options.threads)
        with quiet_stdout():
            self.highs: Any = highspy.Highs()
        h = self.highs
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", options.threads)
        h.setOptionValue("random_seed", options.seed)
        h.setOptionValue("mip_rel_gap", options.gap)
        columns = c.units + c.services
        h.addCols(
            columns,
            np.concatenate((c.open_cost, np.ones(c.services))),
            np.concatenate((c.lower, c.cheapest)),
            np.concatenate((c.upper, np.full(c.services, np.inf))),
            0,
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        h.changeObjectiveOffset(c.constant)
        for row in c.rows:
            h.addRow(row.lower, row.upper, len(row.units), row.units.astype(np.int32), row.coefficients.astype(float))
        self.cover_rows: set[bytes] = set()
        self.cut_count = 0

    def add_cuts(self, services: np.ndarray, level: np.ndarray, level_start: np.ndarray) -> None:
        if not len(services):
            return
        starts, columns, values, lower = self.covering.cuts(services, level, level_start)
        self.highs.addRows(len(services), lower, np.full(len(services), np.inf), len(columns), starts, columns, values)
        self.cut_count += len(services)

    def add_covers(self, services: np.ndarray) -> int:
        """sum of a service's options >= 1, for services that have no own department; once per set."""
        added = 0
        for i in services:
            units = self.covering.options_of(int(i))
            key = np.sort(units).tobytes()
            if key in self.cover_rows:
                continue
            self.cover_rows.add(key)
            self.highs.addRow(1.0, np.inf, len(units), units.astype(np.int32), np.ones(len(units)))
            added += 1
        return added

    def values(self) -> tuple[np.ndarray, np.ndarray]:
        x = np.asarray(self.highs.getSolution().col_value)
        return x[: self.covering.units], x[self.covering.units :]

    def start(self, y: np.ndarray, thetas: np.ndarray) -> None:
        import highspy

        solution = highspy.HighsSolution()
        solution.col_value = np.concatenate((y, thetas)).tolist()
        solution.value_valid = True
        self.highs.setSolution(solution)


# -- the solve ------------------------------------------------------------------------------------


class _Seen:
    """What the solver's progress line shows of a master MIP: the best answer's true value and its
    gap, not the master's own incumbent (whose thetas may fall short of its cost)."""

    def __init__(self, data_out: Any, run: _Progress) -> None:
        bound = min(run.best, max(run.bound, data_out.mip_dual_bound))
        self.mip_primal_bound = run.best
        self.mip_gap = (run.best - bound) / max(abs(run.best), 1e-9) if math.isfinite(run.best) else math.inf


@dataclass
class _Progress:
    started: float
    best: float = math.inf
    best_y: np.ndarray | None = None
    bound: float = -math.inf
    stopped: str | None = None  # 'TimeLimit', 'Interrupted' or 'WorkLimit'


def _consider(covering: Covering, run: _Progress, y: np.ndarray) -> float:
    value, _levels = covering.cost_of(y)
    if value < run.best and covering.feasible(np.round(y)):
        run.best, run.best_y = value, np.round(y)
    return value


def _lp_phase(master: _Master, run: _Progress, control: Control) -> np.ndarray | None:
    """The LP relaxation by the stabilised cut loop; returns the units' reduced costs at its optimum
    (None when stopped or when the master LP has no optimum). Raises the run's bound to the LP's."""
    import highspy

    c = master.covering
    h = master.highs
    center = run.best_y.copy() if run.best_y is not None else None
    lp_bound = -math.inf
    best_point = math.inf
    for _round in range(LP_ROUNDS):
        reason = control.should_stop()
        if reason is not None:
            run.stopped = reason
            return None
        remaining = control.remaining()
        if remaining is not None:
            h.setOptionValue("time_limit", max(0.01, remaining))
        with quiet_stdout():
            h.run()
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            if status in (highspy.HighsModelStatus.kInterrupt, highspy.HighsModelStatus.kTimeLimit):
                run.stopped = control.should_stop() or "TimeLimit"
            return None
        y, theta = master.values()
        lp_bound = h.getInfo().objective_function_value
        run.bound = max(run.bound, min(lp_bound, run.best))
        if center is None:
            center = y
        added = 0
        for weight in (IN_OUT, 0.0):
            point = weight * center + (1 - weight) * y
            _position, level, level_start = c.reach(point)
            unreached = ~np.isfinite(level)
            if unreached.any():  # separate those at the LP optimum itself
                _p, level_y, start_y = c.reach(y)
                level = np.where(unreached, level_y, level)
                level_start = np.where(unreached, start_y, level_start)
                uncovered = np.flatnonzero(~np.isfinite(level))
                added += master.add_covers(uncovered)
            else:
                best_point = min(
                    best_point,
                    c.constant + float(c.open_cost @ point) + float(c.cut_values(point, level, level_start).sum()),
                )
            violation = c.cut_values(y, level, level_start) - theta
            violated = np.flatnonzero(np.isfinite(level) & (violation > 1e-6 * np.maximum(1.0, np.abs(level))))
            master.add_cuts(violated, level, level_start)
            added += len(violated)
            if added:
                break
        bound, cuts = _shown(lp_bound, 2), _shown(master.cut_count, 0)
        control.say(
            f"  {clock(control.elapsed())}  "
            + says(f"Benders LP: bound {bound}, {cuts} cuts", f"Benders-LP: grens {bound}, {cuts} sneden"),
            every=PROGRESS_EVERY_S,
        )
        if not added or (math.isfinite(best_point) and best_point - lp_bound <= LP_GAP * max(1.0, abs(best_point))):
            break
        center = 0.5 * (center + y)
    with quiet_stdout():
        h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    run.bound = max(run.bound, min(h.getInfo().objective_function_value, run.best))
    return np.asarray(h.getSolution().col_dual)[: c.units]


def _fix(master: _Master, run: _Progress, reduced: np.ndarray, lp_bound: float) -> int:
    """Close every unit whose reduced cost lifts the LP bound above the best answer (and open every
    one whose closing would): no better configuration has it otherwise. Returns how many are fixed."""
    c = master.covering
    if not math.isfinite(run.best):
        return 0
    margin = 1e-6 * max(1.0, abs(run.best))
    close = np.flatnonzero((lp_bound + reduced > run.best + margin) & (c.upper > 0.5) & (c.lower < 0.5))
    keep = np.flatnonzero((lp_bound - reduced > run.best + margin) & (c.upper > 0.5) & (c.lower < 0.5))
    h = master.highs
    if len(close):
        h.changeColsBounds(len(close), close.astype(np.int32), np.zeros(len(close)), np.zeros(len(close)))
    if len(keep):
        h.changeColsBounds(len(keep), keep.astype(np.int32), np.ones(len(keep)), np.ones(len(keep)))
    return len(close) + len(keep)


def benders_applies(model: Model, options: SolverOptions) -> bool:
    """Whether `optimizer.guarantee.solve_model` solves `model` by `solve_benders`."""
    return model.formulation == "radius" and options.name == "highs" and model.problem.numVariables() >= BENDERS_FROM


def solve_benders(
    model: Model, options: SolverOptions, control: Control, tuning: Mapping[str, Any] | None = None
) -> SolverReport:
    """Solve a radius model by Benders decomposition (`solve_covering`) and report as
    `optimizer.solve.solve` does. The units' opening variables get the answer's values (what
    `Model.configuration` reads); a warm start (`warmStart` in `tuning`) is taken from them. A model
    that the master does not represent (`covering_of`) is solved as it is."""
    covering = covering_of(model)
    if covering is None:
        return solve(model.problem, options, control, tuning)
    variables = [unit.is_open for unit in model.variables.units]
    start = None
    if tuning and tuning.get("warmStart"):
        start = np.array([v.varValue if v.varValue is not None else 0.0 for v in variables])
    report, answer = solve_covering(covering, options, control, start)
    if answer is not None:
        for var, value in zip(variables, answer, strict=True):
            var.varValue = float(value)
    return report


def solve_covering(
    covering: Covering, options: SolverOptions, control: Control, start: np.ndarray | None = None
) -> tuple[SolverReport, np.ndarray | None]:
    """The best y of `covering` by Benders decomposition (see the module's text), with a report as
    `optimizer.solve.solve` gives: optimal only when the master's bound meets the best answer."""
    import highspy

    c = covering
    run = _Progress(time.perf_counter())
    expired = lambda: control.should_stop() is not None  # noqa: E731
    if start is not None and c.feasible(np.round(start)):
        _consider(c, run, interchange(c, np.round(start) > 0.5, expired))
    _consider(c, run, interchange(c, c.lower > 0.5, expired))
    master = _Master(c, options)
    stopped_by: list[str] = []
    found: list[np.ndarray] = []
    solution_kind = highspy.cb.HighsCallbackType.kCallbackMipSolution
    stop, kinds = highs_callback(control, stopped_by)

    def callback(kind: Any, message: str, data_out: Any, data_in: Any, user_data: Any) -> None:
        if kind == solution_kind:
            if len(found) < KEPT_SOLUTIONS:
                found.append(np.array(data_out.mip_solution, dtype=float, copy=True))
            return
        stop(kind, message, _Seen(data_out, run), data_in, user_data)

    master.highs.setCallback(callback, None)
    for kind in kinds if control.interruptible else []:
        master.highs.startCallback(kind)
    reduced = _lp_phase(master, run, control)
    if run.stopped is None and stopped_by:
        run.stopped = stopped_by[0]
    infeasible = run.stopped is None and master.highs.getModelStatus() == highspy.HighsModelStatus.kInfeasible
    if run.stopped is None and not infeasible:
        lp_bound = run.bound
        if reduced is not None:
            y_lp, _theta = master.values()
            _consider(c, run, interchange(c, _rounded(c, y_lp), expired))
            lp_bound = master.highs.getInfo().objective_function_value
            fixed = _fix(master, run, reduced, lp_bound)
            bound, best = _shown(lp_bound, 2), _shown(run.best, 2)
            control.say(
                f"  {clock(control.elapsed())}  "
                + says(
                    f"Benders: LP bound {bound}, best {best}, {fixed} of {c.units} units fixed by reduced cost",
                    f"Benders: LP-grens {bound}, beste {best}, {fixed} van {c.units} eenheden vastgezet op "
                    "gereduceerde kosten",
                ),
                every=PROGRESS_EVERY_S,
            )
        master.highs.changeColsIntegrality(c.units, np.arange(c.units, dtype=np.int32), np.ones(c.units, np.uint8))
        master.highs.startCallback(solution_kind)
        infeasible = _mip_phase(master, run, control, options, reduced, lp_bound, found, stopped_by)
    return _report(run, options, infeasible, stopped_by), run.best_y


def _mip_phase(
    master: _Master,
    run: _Progress,
    control: Control,
    options: SolverOptions,
    reduced: np.ndarray | None,
    lp_bound: float,
    found: list[np.ndarray],
    stopped_by: list[str],
) -> bool:
    """Master MIPs until the bound meets the best answer (or the run stops); True when the problem
    has no solution at all."""
    import highspy

    c = master.covering
    h = master.highs
    for _round in range(MIP_ROUNDS):
        if _closed(run, options):
            return False
        reason = control.should_stop()
        if reason is not None:
            run.stopped = reason
            return False
        if run.best_y is not None:
            if reduced is not None:
                _fix(master, run, reduced, lp_bound)
            master.start(run.best_y, c.cost_of(run.best_y)[1])
        remaining = control.remaining()
        h.setOptionValue(
            "time_limit", options.time_limit if remaining is None else max(0.01, min(options.time_limit, remaining))
        )
        found.clear()
        with quiet_stdout():
            h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            # no configuration better than the best answer keeps the cuts: it is optimal, or there is none
            if run.best_y is None:
                return True
            run.bound = run.best
            return False
        bound = h.getInfo().mip_dual_bound
        if math.isfinite(bound):
            run.bound = max(run.bound, min(bound, run.best))
        final = None
        answers = list(found)
        if h.getInfo().primal_solution_status == 2:
            final = np.asarray(h.getSolution().col_value, dtype=float)
            answers.insert(0, final)  # first: its cuts are those its own thetas lack
        lacking = _separate(master, run, answers, lambda: control.should_stop() is not None)
        if status != highspy.HighsModelStatus.kOptimal:
            run.stopped = stopped_by[0] if stopped_by else (control.should_stop() or "TimeLimit")
            return False
        shown_bound, shown_best, cuts = _shown(run.bound, 2), _shown(run.best, 2), _shown(master.cut_count, 0)
        control.say(
            f"  {clock(control.elapsed())}  "
            + says(
                f"Benders: bound {shown_bound}, best {shown_best}, {cuts} cuts",
                f"Benders: grens {shown_bound}, beste {shown_best}, {cuts} sneden",
            ),
            every=PROGRESS_EVERY_S,
        )
        if _closed(run, options):
            return False
        shortfall = math.inf if final is None else _shortfall(c, final)
        if not lacking and math.isfinite(bound) and run.best - bound <= shortfall + 1e-9 * c.scale:
            # the master's optimum keeps every cut to the solver's tolerances: its answer is optimal
            # to them (the thetas fall short of its cost by at most `shortfall` in all)
            run.bound = run.best
            return False
        if not lacking:  # nothing left to cut and yet no proof (tolerances): report what holds
            run.stopped = "WorkLimit"
            return False
    run.stopped = "WorkLimit"
    return False


def _separate(master: _Master, run: _Progress, answers: list[np.ndarray], expired: Callable[[], bool]) -> int:
    """Evaluate the master's answers exactly (the best also improved by interchange) and add the cuts
    whose thetas fall short; returns how many rows were added."""
    c = master.covering
    added = 0
    seen: set[bytes] = set()
    best_answer: tuple[float, np.ndarray] | None = None
    for x in answers:
        y = np.round(x[: c.units])
        key = y.astype(bool).tobytes()
        if key in seen:
            continue
        seen.add(key)
        theta = x[c.units :]
        _position, level, level_start = c.reach(y)
        uncovered = np.flatnonzero(~np.isfinite(level))
        if len(uncovered):
            added += master.add_covers(uncovered)
            continue
        value = _consider(c, run, y)
        if best_answer is None or value < best_answer[0]:
            best_answer = (value, y)
        violated = np.flatnonzero(level - theta > 1e-6 * np.maximum(1.0, np.abs(level)))
        master.add_cuts(violated, level, level_start)
        added += len(violated)
    if best_answer is not None:
        _consider(c, run, interchange(c, best_answer[1] > 0.5, expired))
    return added


def _shortfall(covering: Covering, x: np.ndarray) -> float:
    """By how much, in all, a master answer's thetas fall short of its services' costs."""
    _position, level, _start = covering.reach(np.round(x[: covering.units]))
    return float(np.maximum(0.0, level - x[covering.units :]).sum())


def _gap(run: _Progress) -> float:
    """The relative gap between the best answer and the bound (inf without an answer)."""
    if not math.isfinite(run.best) or not math.isfinite(run.bound):
        return math.inf
    return max(0.0, run.best - run.bound) / max(abs(run.best), 1e-9)


def _closed(run: _Progress, options: SolverOptions) -> bool:
    return _gap(run) <= max(OPTIMAL_GAP, options.gap)


def _report(run: _Progress, options: SolverOptions, infeasible: bool, stopped_by: list[str]) -> SolverReport:
    has_solution = run.best_y is not None
    objective = run.best if has_solution else None
    bound = min(run.bound, run.best) if math.isfinite(run.bound) else None
    if infeasible and not has_solution:
        status = pulp.LpSolveStatus.Infeasible
    elif has_solution and _gap(run) <= OPTIMAL_GAP:
        status = pulp.LpSolveStatus.Optimal
    elif has_solution and _gap(run) <= options.gap:
        status = pulp.LpSolveStatus.GapLimit
    elif run.stopped == "Interrupted":
        status = pulp.LpSolveStatus.Interrupted
        stopped_by = stopped_by or ["Interrupted"]
    elif run.stopped == "WorkLimit":
        status = pulp.LpSolveStatus.Interrupted
        stopped_by = stopped_by or ["WorkLimit"]
    else:
        status = pulp.LpSolveStatus.TimeLimit
    return report_of(status, has_solution, objective, bound, stopped_by, options, run.started)


# -- from the radius model ------------------------------------------------------------------------


def covering_of(model: Model) -> Covering | None:
    """The radius model as a `Covering`, or None where it holds something a Benders master does not
    represent: a service without any option, a row other than the covering chains over anything but
    the opening variables, an objective other than the opening costs and the chains' (as
    `optimizer.formulation.radius.build_radius` writes them)."""
    units = model.variables.units
    index = {unit.is_open.name: n for n, unit in enumerate(units)}
    objective = model.problem.objective
    if objective is None:
        return None
    open_cost = np.zeros(len(units))
    constant = float(objective.constant)
    for var, coefficient in objective.items():
        n = index.get(var.name)
        if n is not None:
            open_cost[n] = coefficient
        elif not var.name.startswith("z("):
            return None
    rows: list[CountRow] = []
    for constraint in model.problem.constraints():
        if constraint.name.startswith("radius("):
            continue
        terms = constraint.items()
        if any(var.name not in index for var, _c in terms):
            return None
        least, most = constraint.getLb(), constraint.getUb()
        rows.append(
            CountRow(
                np.array([index[var.name] for var, _c in terms], dtype=np.int64),
                np.array([c for _var, c in terms], dtype=float),
                -math.inf if least is None else least,
                math.inf if most is None else most,
            )
        )
    starts = [0]
    costs: list[float] = []
    chosen: list[int] = []
    for options in model.options.values():
        if not options:
            return None
        ordered = sorted(
            ((cost, len(units) if unit is None else unit.index) for cost, unit in options),
            key=lambda option: option[0],
        )
        costs += [cost for cost, _u in ordered]
        chosen += [u for _cost, u in ordered]
        starts.append(len(costs))
    if len(starts) == 1:
        return None
    start = np.array(starts, dtype=np.int64)
    cost = np.array(costs)
    lower = np.array([unit.is_open.lowBound or 0.0 for unit in units], dtype=float)
    upper = np.array([1.0 if unit.is_open.upBound is None else unit.is_open.upBound for unit in units], dtype=float)
    cheapest = cost[start[:-1]]
    if abs(constant - float(cheapest.sum())) > 1e-9 * max(1.0, float(np.abs(cheapest).sum())):
        return None  # the objective's constant is not the services' cheapest levels: not the radius model's
    return Covering(
        open_cost,
        lower,
        upper,
        start,
        cost,
        np.array(chosen, dtype=np.int64),
        tuple(rows),
        constant - float(cheapest.sum()),
    )
