"""Who hosts the matrix, decided before anything else (issue 22).

Every member of a matrix unit hosts a matrix unit itself (`rows.matrix_spread`). In the LP relaxation
a municipality hosts a fraction of a unit and sits in fractions of the others' units, so the bound
lies far below what any real matrix costs, and HiGHS, branching where its pseudo-costs point, spends
seconds closing that gap (benchmarks/README.md, section 10: the Kempen's re-solve 0.79 % below its
optimum, 11 s). Once it is fixed which municipalities host (H: each hosts at least one matrix unit,
the others none and so join none), the relaxation is tight: on that re-solve every H but one has a
bound above the best answer without a matrix, and the one left is proven in half a second.

`HostSearch` branches on that question first, depth first: a node fixes some municipalities to host
and some not to; its LP relaxation is solved (in a HiGHS of its own, from the last node's basis,
which a MIP run on the same model would throw away, the first from that of the model's relaxation as
built; cut off at the best answer's objective), and a node whose bound does not lie below the best
answer found is dropped. A node that has fixed everyone is handed to HiGHS whole (a MIP, with the
best answer's objective as its cutoff), unless its relaxation is whole already (then that is its
optimum). It begins with the node where nobody hosts (no matrix: that relaxation is exact, so its
answer comes at once), and goes first down the side the relaxation leans to; the answer it starts
from, if any (a flip search's recommendation), goes to the MIP of its own hosts. The search is
exhaustive, so its answer is the MIP's optimum; its bound is the least of the bounds of what it did
not finish. The same model and costs give the same search: the answer does not depend on the
machine, nor on what the model solved before (each search starts from scratch).

Where it is used: the re-solves of an explanation (`optimizer.resolve`), which start from nothing or
from the recommendation, never from the answer without the matrix. The Kempen's hard re-solve
above: 4.9 s to 0.5 s; Drechtsteden 3.5 s to 0.3 s, the same optima. Not in a first solve
(`optimizer.task.matrix_first` already starts it from the answer without the matrix: Drechtsteden
0.35 s against 0.5 s by this search, measured before its relaxations had a HiGHS of their own), nor
in a model of priced pools (Zeeland: each relaxation over its 24,000 listed pools cost 0.2 s; 14.5 s
against 8.3 s).

Solving the hosts of the start first (its answer would cut off the rest) took the Kempen's
explanation at quality 0.5, autonomy 1.93 and GM1728's procurement kept from 43 s to 62 s: its MIP
was solved where the nodes' bounds would have dropped it. Branching on how many units a host has
(one, or two or more) changed nothing there: the relaxation with its hosts fixed holds whole counts;
its fractions are which host carries a domain's unit, which HiGHS's cuts close at the root.

Its work is counted in the solver's check-ins like any solve's (`Control.spend`): one per relaxation,
and a MIP's own. A question asked of the optimum (`Control.settles`) is asked of the whole search:
the best answer anywhere, and the least bound of the nodes still open.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import pulp

from optimizer.control import Control
from optimizer.solve import highs_callback, highs_outcome, quiet_stdout

#: how far from a whole number a relaxation's value may lie and count as one (HiGHS's own
#: `mip_feasibility_tolerance`)
INTEGRAL = 1e-6

#: what a node fixes: municipality -> hosts (1) or does not (0)
Fixed = dict[str, int]


@dataclass
class Outcome:
    """How the search ended, as `optimizer.solve.highs_outcome` tells a single run's: the solver's
    status, whether an answer was found, its objective, the bound, and the answer's column values."""

    status: pulp.LpSolveStatus
    has_solution: bool
    objective: float | None
    bound: float | None
    values: np.ndarray | None


class HostSearch:
    """A branch and bound over who hosts a matrix unit, on a HiGHS model that has the matrix units'
    opening columns `opening` (municipality -> its units' columns). Adds one row per municipality
    (the number of matrix units it hosts), whose bounds each node sets."""

    def __init__(self, highs: Any, opening: dict[str, np.ndarray]) -> None:
        self.highs = highs
        self.codes = sorted(opening)
        self.opening = opening
        first = highs.getNumRow()
        for code in self.codes:
            columns = opening[code]
            highs.addRow(0.0, math.inf, len(columns), columns, np.ones(len(columns)))
        self.rows = {code: first + n for n, code in enumerate(self.codes)}
        self.integrality = np.asarray(highs.getLp().integrality_, dtype=np.uint8).copy()
        #: the optimal basis of the model's relaxation as built: each search's first relaxation starts
        #: from it, not from nothing (a re-solve changes some costs or bounds: 173 simplex iterations
        #: on average where a cold start took 527, on the Kempen's workshop explanations), and from
        #: the same one whatever was solved before
        self.basis = self._root_basis()

    @staticmethod
    def applies(opening: dict[str, np.ndarray]) -> bool:
        """Worth it where two or more municipalities could host a matrix unit (one cannot form one)."""
        return len(opening) >= 2

    def hosts_of(self, values: np.ndarray) -> frozenset[str]:
        """The municipalities that host a matrix unit in an answer (values of every column)."""
        return frozenset(code for code in self.codes if values[self.opening[code]].sum() > 0.5)

    def _fix(self, highs: Any, fixed: Fixed) -> None:
        for code in self.codes:
            hosts = fixed.get(code)
            lower, upper = (0.0, math.inf) if hosts is None else (1.0, math.inf) if hosts else (0.0, 0.0)
            highs.changeRowBounds(self.rows[code], lower, upper)

    def _root_basis(self) -> Any:
        import highspy

        relaxation = self._copy()
        with quiet_stdout():
            relaxation.run()
        if relaxation.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return relaxation.getBasis()

    def _relaxation(self) -> Any:
        """A search's relaxations, in a HiGHS of their own: one node's starts from the last one's
        basis, which a MIP run on the same model would throw away, and the first from `basis`."""
        relaxation = self._copy()
        if self.basis is not None:
            relaxation.setBasis(self.basis)
        return relaxation

    def _copy(self) -> Any:
        """The model as it stands (costs and bounds of this re-solve), without integrality."""
        import highspy

        relaxation = highspy.Highs()
        relaxation.setOptionValue("output_flag", False)
        for option in ("threads", "presolve", "random_seed"):
            relaxation.setOptionValue(option, self.highs.getOptionValue(option)[1])
        lp = self.highs.getLp()
        lp.integrality_ = []
        relaxation.passModel(lp)
        return relaxation

    def run(
        self,
        control: Control,
        stopped_by: list[str],
        start: tuple[np.ndarray, np.ndarray, frozenset[str]] | None = None,
    ) -> Outcome:
        """Search from scratch; `start` (columns, values and its hosts) is handed to the MIP of the
        node whose hosts are the start's. Stops with the control (deadline, stop, work, a settled
        question), keeping the best answer found and the least bound of what is left open."""
        self.highs.clearSolver()  # the same answer whatever this model solved before
        search = _Search(self, self._relaxation(), control, stopped_by, start)
        try:
            search.run()
        finally:
            self.highs.setOptionValue("objective_bound", math.inf)
            self._fix(self.highs, {})
        return search.outcome()


class _Stopped(Exception):
    """The control stopped the search (the reason is in `stopped_by`)."""


@dataclass
class _Node:
    fixed: Fixed
    #: a bound on every answer below this node: its parent's relaxation (its own, once solved)
    bound: float
    #: its own relaxation's column values and objective, where solved
    relaxed: np.ndarray | None = None
    relaxed_objective: float = -math.inf


class _Search:
    """One run of `HostSearch`: a stack of nodes (depth first), the best answer, the bounds."""

    def __init__(
        self,
        hosting: HostSearch,
        relaxation: Any,
        control: Control,
        stopped_by: list[str],
        start: tuple[np.ndarray, np.ndarray, frozenset[str]] | None,
    ) -> None:
        self.hosting = hosting
        self.highs = hosting.highs
        self.relaxation = relaxation
        self.control = control
        self.stopped_by = stopped_by
        self.start = start
        self.best = math.inf
        self.best_values: np.ndarray | None = None
        #: the least bound of the MIPs run to their end (a relative gap lets one stop a little above
        #: its true optimum, and its bound is then below its answer)
        self.lowest_done = math.inf
        self.pending: list[_Node] = []
        self.solved: set[frozenset[str]] = set()  # the hosts of every node handed to a MIP
        self.interrupted = False

    def open_bound(self) -> float:
        return min((node.bound for node in self.pending), default=math.inf)

    def whole(self, data: Any, node_bound: float = -math.inf) -> Any:
        """The search's bounds as `Control.settles` reads a MIP's: a MIP's own (`data`) or a node's
        relaxation folded in with the rest of the search."""
        own_dual = node_bound if data is None else data.mip_dual_bound
        own_primal = math.inf if data is None else data.mip_primal_bound
        return SimpleNamespace(
            mip_dual_bound=min(own_dual, self.open_bound(), self.best, self.lowest_done),
            mip_primal_bound=min(own_primal, self.best),
        )

    def run(self) -> None:
        hosting = self.hosting
        callback, kinds = highs_callback(self.control, self.stopped_by, self.whole)
        for highs in (self.highs, self.relaxation):
            highs.setCallback(callback, None)
            for kind in kinds:
                highs.startCallback(kind)
        try:
            root = self._relax({}, -math.inf)
            if root is None:
                return
            # a stack: nobody first (no matrix: its relaxation is exact, so its answer comes at once)
            self.pending = [root, _Node(dict.fromkeys(hosting.codes, 0), root.bound)]
            while self.pending:
                node = self.pending.pop()
                if node.bound >= self.best:
                    continue
                decided = len(node.fixed) == len(hosting.codes)
                if node.relaxed is None:
                    relaxed = self._relax(node.fixed, node.bound)
                    if relaxed is None or relaxed.bound >= self.best:
                        continue
                    node = relaxed
                if decided:
                    self._whole(node)
                else:
                    self._branch(node)
        except _Stopped:
            self.interrupted = True

    def _relax(self, fixed: Fixed, parent_bound: float) -> _Node | None:
        """The node's LP relaxation (one check-in of work); None where it is infeasible or its bound
        passes the best answer's objective."""
        import highspy

        hosting, highs = self.hosting, self.relaxation
        hosting._fix(highs, fixed)
        highs.setOptionValue("objective_bound", self.best)
        with quiet_stdout():
            highs.run()
        if self.stopped_by:
            self.pending.append(_Node(fixed, parent_bound))
            raise _Stopped
        status = highs.getModelStatus()
        # infeasible, or cut off: the dual simplex passed the best answer's objective (`_whole` sets it)
        if status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kObjectiveBound):
            return None
        if status != highspy.HighsModelStatus.kOptimal:  # bounded columns: it has an optimum or none
            raise RuntimeError(f"the relaxation of a node of the matrix's hosts ended {status}")
        objective = highs.getInfo().objective_function_value
        node = _Node(fixed, max(parent_bound, objective), np.asarray(highs.getSolution().col_value), objective)
        if not self.control.spend() or self.control.settles(self.whole(None, node.bound)):
            self.pending.append(node)
            self.stopped_by.append("WorkLimit")
            raise _Stopped
        return node

    def _branch(self, node: _Node) -> None:
        """Two children on the municipality whose hosting the relaxation leaves most undecided; the
        side it leans to is searched first."""
        hosting = self.hosting
        assert node.relaxed is not None
        free = [code for code in hosting.codes if code not in node.fixed]
        hosted = {code: min(1.0, float(node.relaxed[hosting.opening[code]].sum())) for code in free}
        code = max(free, key=lambda c: (min(hosted[c], 1.0 - hosted[c]), hosted[c]))
        leaning = 1 if hosted[code] >= 0.5 else 0
        for side in (1 - leaning, leaning):
            self.pending.append(_Node({**node.fixed, code: side}, node.bound))

    def _whole(self, node: _Node) -> None:
        """A node that fixes every municipality: the MIP, cut off at the best answer's objective."""
        import highspy

        hosting, highs = self.hosting, self.highs
        hosts = frozenset(code for code, side in node.fixed.items() if side)
        if hosts in self.solved:
            return
        self.solved.add(hosts)
        if node.relaxed is not None and self._whole_numbers(node.relaxed):  # that is the MIP's optimum
            self.best, self.best_values = node.relaxed_objective, node.relaxed
            return
        hosting._fix(highs, node.fixed)
        highs.setOptionValue("objective_bound", self.best)
        if self.start is not None and self.start[2] == hosts:
            highs.setSolution(len(self.start[0]), self.start[0], self.start[1])
        with quiet_stdout():
            highs.run()
        _status, has_solution, objective, bound = highs_outcome(highs)
        if has_solution and objective is not None and objective < self.best:
            self.best, self.best_values = objective, np.asarray(highs.getSolution().col_value)
        if self.stopped_by:
            self.pending.append(_Node(node.fixed, node.bound if bound is None else max(bound, node.bound)))
            raise _Stopped
        cut_off = highs.getModelStatus() == highspy.HighsModelStatus.kObjectiveBound  # nothing below best
        if bound is not None and not cut_off:
            self.lowest_done = min(self.lowest_done, bound)

    def _whole_numbers(self, values: np.ndarray) -> bool:
        integer = self.hosting.integrality.astype(bool)
        return bool(np.all(np.abs(values[integer] - np.round(values[integer])) <= INTEGRAL))

    def outcome(self) -> Outcome:
        bound = min(self.best, self.lowest_done, self.open_bound())
        found = self.best_values is not None
        if self.interrupted:
            status = pulp.LpSolveStatus.Interrupted
        else:
            status = pulp.LpSolveStatus.Optimal if found else pulp.LpSolveStatus.Infeasible
        return Outcome(
            status, found, self.best if found else None, bound if math.isfinite(bound) else None, self.best_values
        )
