"""Builds, solves and explains the pooling MIP. Reads `inputs` types; never imports cli or visuals.

Where things are: the formulations in `formulation` (its docstring maps its modules), the solver
layer and its `Status` in `solve`, deadlines and Ctrl-C in `control`, many solves in `executor`, one
solve for every study in `task`, the whole run in `pipeline`, the independent check in `evaluate`,
what a user reads in `result`.
"""

from optimizer.evaluate import Evaluation, evaluate
from optimizer.formulation import build_model
from optimizer.formulation.model import Model
from optimizer.instance import IN_HOUSE, Configuration, Instance, Placement
from optimizer.pipeline import optimize, optimize_each
from optimizer.result import Result, Summary
from optimizer.solve import SolverReport, Status, solve
from optimizer.task import ModelMismatch, Solved, solve_task

__all__ = [
    "IN_HOUSE",
    "Configuration",
    "Evaluation",
    "Instance",
    "Model",
    "ModelMismatch",
    "Placement",
    "Result",
    "Solved",
    "SolverReport",
    "Status",
    "Summary",
    "build_model",
    "evaluate",
    "optimize",
    "optimize_each",
    "solve",
    "solve_task",
]
