"""The solver layer: HiGHS (default) or CBC, with an honest status.

A run is "optimal" only when the solver proved it (gap at most `OPTIMAL_GAP`); a run that stopped
early with a solution is "feasible" with its gap; "infeasible" when proven so; "error" otherwise
(including a time limit without any solution).
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from types import FrameType
from typing import Any

import pulp

from inputs.types import SolverOptions

OPTIMAL_GAP = 1e-6
PROGRESS_EVERY_S = 2.0

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SolverReport:
    status: str  # optimal | feasible | infeasible | error
    solver: str
    solver_version: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    options: SolverOptions
    reason: str  # the solver's own stop reason, e.g. "TimeLimit"

    @property
    def has_solution(self) -> bool:
        return self.status in ("optimal", "feasible")

    def describe(self) -> str:
        """The status in words, e.g. 'feasible, within 0.8 % of the best possible (time limit)'."""
        if self.status == "optimal":
            return "optimal"
        if self.status == "feasible":
            if self.gap is None:
                gap = "unknown gap"
            elif self.gap < 1:
                gap = f"within {100 * self.gap:.2f} % of the best possible"
            else:
                gap = f"no useful bound yet (gap {100 * self.gap:.0f} %)"
            stop = {
                "TimeLimit": f"stopped at the {self.options.time_limit:g} s limit",
                "GapLimit": f"stopped at the requested gap of {100 * self.options.gap:g} %",
                # HiGHS calls a run that met its gap limit optimal
                "Optimal": f"stopped at the requested gap of {100 * self.options.gap:g} %",
                "Interrupted": "interrupted by the user",
            }.get(self.reason, self.reason)
            return f"feasible, {gap}, {stop}"
        if self.status == "infeasible":
            return "infeasible: no configuration satisfies every rule"
        return f"error: {self.reason}"


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None or not math.isfinite(bound):
        return None
    return abs(objective - bound) / max(abs(objective), 1e-9)


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS prints a banner on the C-level stdout even with logging off; stdout is kept for the data
    the user asked for (JSON, CSV), so the solver's stdout goes to the null device. seta's own
    progress lines go to stderr and are not affected."""
    try:
        stdout_fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no real file descriptor (e.g. under CliRunner)
        yield
        return
    sys.stdout.flush()
    saved = os.dup(stdout_fd)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, stdout_fd)
        yield
    finally:
        os.dup2(saved, stdout_fd)
        os.close(saved)
        os.close(null)


class _Interrupt:
    """Ctrl-C asks the solver to stop and keep its best solution instead of killing the process."""

    def __init__(self) -> None:
        self.requested = False
        self._previous: Any = None

    def __enter__(self) -> _Interrupt:
        try:
            self._previous = signal.signal(signal.SIGINT, self._handle)
        except ValueError:  # not the main thread
            self._previous = None
        return self

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


_threads_in_use: int | None = None


def _highs(options: SolverOptions, interrupt: _Interrupt, progress: Progress | None) -> pulp.LpSolver:
    import highspy

    global _threads_in_use
    if _threads_in_use is not None and _threads_in_use != options.threads:
        # HiGHS keeps one scheduler per process; changing threads without a reset returns NotSolved.
        highspy.Highs.resetGlobalScheduler(True)
    _threads_in_use = options.threads
    started = time.monotonic()
    last = [started]

    def callback(kind: Any, message: str, data_out: Any, data_in: Any, user_data: Any) -> None:
        if interrupt.requested:
            data_in.user_interrupt = True
        now = time.monotonic()
        if progress is not None and now - last[0] >= PROGRESS_EVERY_S:
            last[0] = now
            best = data_out.mip_primal_bound
            gap = data_out.mip_gap
            best_text = f"{best:,.0f}" if math.isfinite(best) else "none yet"
            gap_text = f"{100 * gap:.2f} %" if math.isfinite(gap) else "-"
            progress(f"  {now - started:6.1f} s  best {best_text}  gap {gap_text}")

    return pulp.HiGHS(
        msg=False,
        timeLimit=options.time_limit,
        gapRel=options.gap,
        threads=options.threads,
        random_seed=options.seed,
        callbackTuple=(callback, None),
        callbacksToActivate=[highspy.cb.HighsCallbackType.kCallbackMipInterrupt],
    )


def _cbc(options: SolverOptions) -> pulp.LpSolver:
    solver = pulp.COIN_CMD(
        msg=False,
        timeLimit=options.time_limit,
        gapRel=options.gap if options.gap > 0 else None,
        threads=options.threads,
        randomSeed=options.seed,
    )
    if not solver.available():
        raise SolverUnavailable("CBC is not installed; install it with: pip install 'pulp[cbc]'")
    return solver


class SolverUnavailable(RuntimeError):
    pass


def _version(solver: str) -> str:
    package = "highspy" if solver == "highs" else "cbcbox"
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def classify(
    solver_status: pulp.LpSolveStatus,
    has_solution: bool,
    objective: float | None,
    bound: float | None,
    options: SolverOptions,
) -> tuple[str, float | None, str]:
    """(status, gap, reason): optimal only when proven, feasible with its gap when stopped early."""
    reason = solver_status.name
    gap = relative_gap(objective, bound)
    if has_solution:
        optimal = solver_status == pulp.LpSolveStatus.Optimal and (
            (gap is not None and gap <= OPTIMAL_GAP) or (bound is None and options.gap == 0)
        )
        # CBC reports GapLimit whenever a gap was set, even when it closed the gap entirely.
        closed = solver_status == pulp.LpSolveStatus.GapLimit and gap is not None and gap <= OPTIMAL_GAP
        if optimal or closed:
            return "optimal", 0.0 if gap is None else gap, reason
        return "feasible", gap, reason
    if solver_status == pulp.LpSolveStatus.Infeasible:
        return "infeasible", None, reason
    message = {
        "TimeLimit": f"no solution found within the {options.time_limit:g} s time limit",
        "Interrupted": "interrupted by the user before any solution was found",
    }.get(reason, f"the solver stopped without a solution ({reason})")
    return "error", None, message


def solve(problem: pulp.LpProblem, options: SolverOptions, progress: Progress | None = None) -> SolverReport:
    """Solve `problem` in place (variables get their values) and report honestly how it went."""
    started = time.perf_counter()
    with _Interrupt() as interrupt:
        solver = _highs(options, interrupt, progress) if options.name == "highs" else _cbc(options)
        with _quiet_stdout():
            stats = problem.solve(solver)
    seconds = time.perf_counter() - started
    objective = stats.objective if stats.has_solution else None
    bound = stats.best_bound
    if options.name == "cbc" and bound is not None and problem.objective is not None:
        # PuLP reads CBC's bound from its log, which leaves out the objective's constant term
        bound += problem.objective.constant
    status, gap, reason = classify(stats.status, stats.has_solution, objective, bound, options)
    return SolverReport(
        status=status,
        solver=options.name,
        solver_version=_version(options.name),
        objective=objective,
        bound=bound,
        gap=gap,
        seconds=seconds,
        options=options,
        reason=reason,
    )
