"""Near-optimal alternatives, as different from each other as possible (modelling to generate
alternatives, as energy-system tools do: PyPSA's MGA, Calliope's SPORES).

    alternatives(result, options, within=0.02, count=5)

The weighted objective may be at most `within` (a share of the optimum's, in absolute value) worse
than the optimum's. "Different" counts the services (municipality, domain) placed differently, by
host or structure. Each next alternative maximises its smallest such distance to the configurations
found so far (the optimum first); among those as far as that, it takes the best objective. Two
solves per alternative: the distance, then the objective with that distance kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pulp

from inputs.types import Formulation, SolverOptions
from optimizer.control import StopFlag
from optimizer.evaluate import Evaluation, evaluate
from optimizer.formulation.model import Model
from optimizer.formulation.pools import pool_fit
from optimizer.instance import IN_HOUSE, Configuration, Instance, Placement
from optimizer.result import Result
from optimizer.solve import Status
from optimizer.task import solve_task

#: the default band: within 2 % of the optimum
WITHIN = 0.02


@dataclass(frozen=True)
class Alternative:
    result: Result
    #: services placed differently from the optimum, and from the nearest configuration found before
    from_optimum: int
    from_nearest: int


def placements(model: Model) -> dict[tuple[tuple[str, str], Placement], pulp.LpVariable]:
    """(service, placement) -> the binary that says the service is placed there."""
    found: dict[tuple[tuple[str, str], Placement], pulp.LpVariable] = {}
    for (code, domain), var in model.variables.own.items():
        found[(code, domain), Placement(code, IN_HOUSE)] = var
    for unit in model.variables.units:
        for code, var in unit.members.items():
            found[(code, unit.domain), Placement(unit.host, unit.structure.key)] = var
    return found


def distance(a: Configuration, b: Configuration) -> int:
    return sum(1 for service, placement in a.items() if b.get(service) != placement)


def alternatives(
    result: Result,
    options: SolverOptions,
    within: float = WITHIN,
    count: int = 5,
    stop: StopFlag | None = None,
) -> list[Alternative]:
    """Up to `count` alternatives within `within` of the optimum, each as far as possible from the
    optimum and the ones before; fewer when no other configuration is within the band."""
    assert result.chosen is not None and result.configuration is not None
    instance = result.instance
    ceiling = result.chosen.objective + within * abs(result.chosen.objective)
    found: list[Configuration] = [result.configuration]
    chosen: list[Alternative] = []
    for _ in range(count):
        if stop is not None and stop.is_set():
            break
        farthest = _farthest(instance, options, found, ceiling, stop)
        if farthest is None or farthest[0] < 1:
            break
        spread, spread_status = farthest
        solved = _best_at(instance, options, found, ceiling, spread, stop)
        if solved is None:
            break
        configuration, evaluation, best_status = solved
        # optimal only when both the distance and the objective at that distance are proven
        report_status = Status.OPTIMAL if spread_status is best_status is Status.OPTIMAL else Status.FEASIBLE
        nearest = min(distance(configuration, c) for c in found)
        alternative = Result(
            instance,
            configuration,
            evaluation,
            result.baseline,
            replace(result.report, status=report_status),
            result.model_size,
            0.0,
        )
        chosen.append(Alternative(alternative, distance(configuration, result.configuration), nearest))
        found.append(configuration)
    return chosen


def _formulation(instance: Instance) -> Formulation:
    # rows on the objective must see every pool, and a radius model has no member variables to
    # place: the pool formulation where it lists every pool, else the textbook one
    return "pools" if pool_fit(instance).whole else "textbook"


def _apart(found: list[Configuration], at_least: int | None) -> Callable[[Model], pulp.LpVariable]:
    """Adds `spread`, at most every found configuration's distance to the new one (and at least
    `at_least`), to a model; returns it."""

    def shape(model: Model) -> pulp.LpVariable:
        instance = model.instance
        services = len(instance.codes) * len(instance.domains)
        spread = model.problem.add_variable("spread", 0, services)
        chosen = placements(model)
        for index, configuration in enumerate(found):
            same = [chosen[s, p] for s, p in configuration.items() if (s, p) in chosen]
            model.problem.addConstraint(spread + pulp.lpSum(same) <= services, f"apart({index})")
        if at_least is not None:
            model.problem.addConstraint(spread >= at_least, "spread")
        return spread

    return shape


def _farthest(
    instance: Instance, options: SolverOptions, found: list[Configuration], ceiling: float, stop: StopFlag | None
) -> tuple[int, Status] | None:
    add_spread = _apart(found, None)

    def farthest(model: Model) -> None:
        model.problem.setObjective(-1 * add_spread(model))

    solved = solve_task(
        instance.scenario, options, stop=stop, cutoff=ceiling, formulation=_formulation(instance), shape=farthest
    )
    if solved.configuration is None:
        return None
    return min(distance(solved.configuration, c) for c in found), solved.status


def _best_at(
    instance: Instance,
    options: SolverOptions,
    found: list[Configuration],
    ceiling: float,
    spread: int,
    stop: StopFlag | None,
) -> tuple[Configuration, Evaluation, Status] | None:
    solved = solve_task(
        instance.scenario,
        options,
        stop=stop,
        cutoff=ceiling,
        formulation=_formulation(instance),
        shape=_apart(found, spread),
    )
    if solved.configuration is None or solved.objective is None:
        return None
    if solved.objective > ceiling + 1e-6 * max(1.0, abs(ceiling)):
        return None
    return solved.configuration, evaluate(instance, solved.configuration), solved.status
