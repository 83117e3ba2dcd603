"""Solve a large scenario as independent parts (one per province), side by side.

The national model is too large for its LP relaxation to be solved within minutes (docs/model.md), while
a province's model solves in seconds. Solving every province on its own and joining the answers gives a
configuration that obeys every rule, because each part obeys them and the parts share no municipality.
What is lost is every pool that would cross a province border, so the joined answer is feasible, not
proven optimal: no bound holds for the whole, and the report says so.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from inputs.problems import Problems
from inputs.types import Scenario, SolverOptions
from optimizer.evaluate import Evaluation, evaluate
from optimizer.instance import Configuration, Instance
from optimizer.result import Result
from optimizer.solve import Progress, SolverReport


@dataclass(frozen=True)
class PartOutcome:
    name: str
    municipalities: int
    configuration: Configuration | None
    report: SolverReport
    size: dict[str, int | str]
    build_seconds: float


def screen_split(scenario: Scenario) -> None:
    """Refuse a split that would break a rule spanning provinces (rather than drop it silently)."""
    problems = Problems()
    where = f"{Path(scenario.source).name}, solver.decompose"
    province = {m.code: m.province for m in scenario.municipalities}
    missing = sorted(m.name for m in scenario.municipalities if not m.province)
    if missing:
        problems.add(where, f"province is unknown for {', '.join(missing[:5])}; give every municipality a province")
    if scenario.limits.max_pools:  # zero pools (the status quo) holds in every part; a positive count does not
        problems.add(where, "limits.max_pools counts pools across the whole scenario; it cannot be split")
    capped = sorted(p.name for p in scenario.providers if p.capacity_fte is not None)
    if capped:
        problems.add(where, f"provider capacity ({', '.join(capped)}) is shared by all provinces; it cannot be split")
    for forced in scenario.politics.forced_pairs:
        if province.get(forced.a) != province.get(forced.b):
            problems.add(where, f"the forced pair {forced.a}-{forced.b} crosses a province border")
    problems.raise_if_any()


def split_by_province(scenario: Scenario) -> dict[str, Scenario]:
    """One scenario per province, with the ties, adjacency and pair rules that stay inside it."""
    groups: dict[str, list[str]] = defaultdict(list)
    for municipality in scenario.municipalities:
        groups[municipality.province].append(municipality.code)
    parts = {}
    for province, codes in groups.items():
        inside = set(codes)
        parts[province] = replace(
            scenario,
            name=f"{scenario.name}: {province}",
            municipalities=tuple(m for m in scenario.municipalities if m.code in inside),
            adjacency=frozenset(p for p in scenario.adjacency if p[0] in inside and p[1] in inside),
            ties=frozenset(p for p in scenario.ties if p[0] in inside and p[1] in inside),
            politics=replace(
                scenario.politics,
                forced_pairs=tuple(p for p in scenario.politics.forced_pairs if p.a in inside and p.b in inside),
                excluded_pairs=frozenset(
                    p for p in scenario.politics.excluded_pairs if p[0] in inside and p[1] in inside
                ),
            ),
        )
    return parts


def _solve_part(name: str, scenario: Scenario, options: SolverOptions) -> PartOutcome:
    from optimizer import optimize

    result = optimize(scenario, options, explain_rejection=False)
    return PartOutcome(
        name,
        len(scenario.municipalities),
        result.configuration,
        result.report,
        result.model_size,
        result.build_seconds,
    )


def optimize_by_province(instance: Instance, baseline: Evaluation, progress: Progress | None = None) -> Result:
    scenario = instance.scenario
    options = scenario.solver
    screen_split(scenario)
    parts = split_by_province(scenario)
    part_options = replace(options, decompose="none")
    workers = max(1, min(len(parts), os.cpu_count() or 1))
    if progress is not None:
        progress(f"  solving {len(parts)} provinces, {workers} at a time")
    started = time.perf_counter()
    outcomes: list[PartOutcome] = []
    # Largest first, so that the slowest part does not start last.
    order = sorted(parts, key=lambda name: -len(parts[name].municipalities))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_solve_part, name, parts[name], part_options) for name in order]
        for future in as_completed(futures):
            outcome = future.result()
            outcomes.append(outcome)
            if progress is not None:
                progress(
                    f"  {time.perf_counter() - started:6.1f} s  {outcome.name} "
                    f"({outcome.municipalities} municipalities): {outcome.report.describe()}"
                )
    seconds = time.perf_counter() - started
    size: dict[str, int | str] = {
        key: sum(int(o.size[key]) for o in outcomes) for key in ("variables", "binaries", "constraints")
    }
    size["formulation"] = "/".join(sorted({str(o.size["formulation"]) for o in outcomes}))
    size["parts"] = len(outcomes)
    build_seconds = sum(o.build_seconds for o in outcomes)
    unsolved = [o for o in outcomes if o.configuration is None]
    if unsolved:
        first = unsolved[0]
        report = replace(
            first.report,
            objective=None,
            bound=None,
            gap=None,
            seconds=seconds,
            options=options,
            reason=f"province {first.name}: {first.report.describe()}",
        )
        return Result(instance, None, None, baseline, report, size, build_seconds, None)
    configuration: Configuration = {}
    for outcome in outcomes:
        assert outcome.configuration is not None
        configuration.update(outcome.configuration)
    chosen = evaluate(instance, configuration)
    if chosen.violations:  # screen_split should have refused the split
        raise RuntimeError("the joined provinces break rules: " + "; ".join(chosen.violations))
    worst = max((o.report.gap or 0.0) for o in outcomes)
    proven = sum(o.report.status == "optimal" for o in outcomes)
    report = SolverReport(
        status="feasible",
        solver=outcomes[0].report.solver,
        solver_version=outcomes[0].report.solver_version,
        objective=chosen.objective,
        bound=None,
        gap=None,
        seconds=seconds,
        options=options,
        reason=(
            f"solved as {len(outcomes)} provinces ({proven} proven optimal"
            + (f", the others within {100 * worst:.2f} %" if proven < len(outcomes) else "")
            + "); pools do not cross province borders and no bound holds for the whole"
        ),
    )
    return Result(instance, configuration, chosen, baseline, report, size, build_seconds, None)
