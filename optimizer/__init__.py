"""Builds, solves and explains the pooling MIP. Reads `inputs` types; never imports cli or visuals."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from inputs.types import Scenario, SolverOptions
from optimizer.evaluate import Evaluation, evaluate
from optimizer.instance import IN_HOUSE, Configuration, Instance, Placement
from optimizer.model import Model, build_model
from optimizer.result import Result
from optimizer.screens import screen
from optimizer.solve import Progress, SolverReport, relative_gap, solve

__all__ = [
    "IN_HOUSE",
    "Configuration",
    "Evaluation",
    "Instance",
    "Model",
    "Placement",
    "Result",
    "SolverReport",
    "build_model",
    "evaluate",
    "optimize",
    "optimize_each",
    "solve",
]


class ModelMismatch(RuntimeError):
    """The MIP's objective differs from the evaluator's for the MIP's own solution: a seta bug."""


def optimize(
    scenario: Scenario,
    options: SolverOptions | None = None,
    progress: Progress | None = None,
    write_lp: Path | None = None,
    explain_rejection: bool = True,
) -> Result:
    """Screen, build, solve and evaluate one scenario; the status quo is evaluated as the baseline."""
    options = options or scenario.solver
    instance = Instance(replace(scenario, solver=options))
    screen(instance)
    baseline = evaluate(instance, instance.status_quo())
    if options.decompose == "province":
        from optimizer.decompose import optimize_by_province

        return optimize_by_province(instance, baseline, progress)
    started = time.perf_counter()
    model = build_model(instance, formulation=options.formulation)
    build_seconds = time.perf_counter() - started
    if write_lp is not None:
        model.problem.writeLP(str(write_lp))
    report = solve(model.problem, options, progress)
    configuration = chosen = None
    if report.has_solution:
        configuration = model.configuration()
        chosen = evaluate(instance, configuration)
        if chosen.violations:
            raise ModelMismatch("the solver's configuration breaks rules: " + "; ".join(chosen.violations))
        report = _checked(report, chosen)
    rejected = None
    if explain_rejection and report.status == "optimal" and chosen is not None and not chosen.pools():
        rejected = _best_rejected(instance, options)
    size: dict[str, int | str] = {**model.size, "formulation": model.formulation}
    return Result(instance, configuration, chosen, baseline, report, size, build_seconds, rejected)


def optimize_each(
    named: list[tuple[str, Scenario]], options: SolverOptions | None = None, progress: Progress | None = None
) -> list[tuple[str, Result]]:
    """Several scenarios one after the other (options compared, end states); `progress` hears of each
    as it is done, since a national scenario takes minutes."""
    results = []
    started = time.perf_counter()
    for number, (label, scenario) in enumerate(named, start=1):
        result = optimize(scenario, options, explain_rejection=False)
        results.append((label, result))
        if progress is not None:
            elapsed = time.perf_counter() - started
            progress(f"  {elapsed:6.1f} s  {number}/{len(named)} {label}: {result.report.describe()}")
    return results


def _checked(report: SolverReport, chosen: Evaluation) -> SolverReport:
    """Compare the MIP's objective with the evaluator's value of the MIP's configuration.

    At a proven optimum the epigraph variables (vulnerability, coordination, memberships) are tight,
    so the two agree. An incumbent of a stopped run may carry slack in them, so its model objective
    can only overstate the configuration's true value: report the evaluator's value and its gap.
    """
    assert report.objective is not None
    tolerance = 1e-6 * max(1.0, abs(chosen.objective)) + 1e-3
    difference = report.objective - chosen.objective
    if abs(difference) <= tolerance:
        return report
    if report.status == "feasible" and difference > 0:
        return replace(report, objective=chosen.objective, gap=relative_gap(chosen.objective, report.bound))
    raise ModelMismatch(f"model objective {report.objective:.6f} differs from the evaluator's {chosen.objective:.6f}")


def _best_rejected(instance: Instance, options: SolverOptions) -> Evaluation | None:
    """When nothing pays, the best configuration that pools at least one service (to show the margin)."""
    model = build_model(instance, require_pooling=True)
    report = solve(model.problem, options)
    if not report.has_solution:
        return None
    evaluation = evaluate(instance, model.configuration())
    return evaluation if not evaluation.violations else None
