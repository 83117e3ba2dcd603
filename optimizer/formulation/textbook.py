"""The textbook formulation: one variable per member and unit; the cross-check and the fallback.

`build_textbook` reads top to bottom like docs/model.md (the first three steps are `rows.build_rows`,
which the pool formulation shares):

    candidates = candidate_units(instance)                         who may pool with whom, where, how
    variables  = define_variables(problem, instance, candidates)  every variable, created once
    family(problem, instance, variables, names)                   one function per constraint family
                                                                  (FAMILIES), each only adds rows
    criteria   = objective_terms(instance, variables)             criterion -> terms, unweighted
    objective  = weighted_objective(criteria, weights)            the weights, applied here, once
"""

from __future__ import annotations

from inputs.labels import says
from optimizer.control import Control
from optimizer.formulation.coefficients import objective_terms, weighted_objective
from optimizer.formulation.model import Forbid, Model
from optimizer.formulation.rows import build_rows
from optimizer.instance import Instance


def build_textbook(
    instance: Instance,
    control: Control,
    forbid: tuple[Forbid, ...] = (),
    require_pooling: bool = False,
) -> Model:
    """The textbook formulation: variables, constraints and objective in the order of docs/model.md
    (`optimizer.formulation.build_model` chooses among the formulations)."""
    problem, variables, _names = build_rows(instance, control, forbid, require_pooling)
    control.checkpoint(says("objective", "doelfunctie"))
    problem.setObjective(weighted_objective(objective_terms(instance, variables), instance.scenario.weights))
    return Model(instance, problem, variables)
