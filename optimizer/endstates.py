"""End states of a region's cooperation (the seed's question): the best configuration under each form.

A region asks whether to keep its matrix, double it, grow into one civil service, or merge. Each end
state here is the same scenario with the structures narrowed to one form (the status quo allows
none; the free optimum allows the scenario's own). Structures the scenario does not list take their
default figures.
"""

from __future__ import annotations

from dataclasses import replace

from inputs import defaults
from inputs.types import Scenario, SolverOptions, StructureParams
from optimizer.control import Progress
from optimizer.executor import Executor
from optimizer.pipeline import optimize_each
from optimizer.result import Result

END_STATES: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("status_quo", ()),
    ("working_group", ("working_group",)),
    ("centre", ("centre",)),
    ("matrix", ("matrix",)),
    ("ssc", ("ssc",)),
    ("one_civil_service", ("one_civil_service",)),
    ("amalgamation", ("amalgamation",)),
    ("free", None),
)


def _structure(scenario: Scenario, key: str) -> StructureParams:
    for structure in scenario.structures:
        if structure.key == key:
            return structure
    return StructureParams(key=key, **defaults.values(defaults.STRUCTURES[key]))  # type: ignore[arg-type]


def end_state_scenario(scenario: Scenario, key: str) -> Scenario:
    """The scenario narrowed to one end state."""
    allowed = dict(END_STATES)[key]
    if allowed is None:
        return scenario
    if not allowed:  # status quo: keep the scenario's structures but allow no pool at all
        return replace(scenario, limits=replace(scenario.limits, max_pools=0))
    return replace(scenario, structures=tuple(_structure(scenario, k) for k in allowed))


def solve_end_states(
    scenario: Scenario,
    options: SolverOptions | None = None,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> list[tuple[str, Result]]:
    """The best configuration under every end state, in the order of END_STATES."""
    chosen = options or scenario.solver
    named = [(key, end_state_scenario(scenario, key), chosen) for key, _allowed in END_STATES]
    return optimize_each(named, executor=executor, progress=progress)
