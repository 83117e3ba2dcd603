"""seta's radius model handed straight to HiGHS from numpy arrays: the limit seta's modelling layer
can approach but not beat. Same variables, rows and objective as `optimizer.formulation.radius.build_radius`
for a facility-location scenario (every client must be served, no in-house option)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np


@dataclass
class RawRun:
    objective: float
    n_vars: int
    build_s: float
    solve_s: float
    status: str


def radius_arrays(cost: np.ndarray, opening: np.ndarray, p: int | None) -> tuple[dict[str, np.ndarray], int]:
    """cost: clients x sites; opening: per site. Columns: y (sites) then z (client, level) chains."""
    n_clients, n_sites = cost.shape
    col_cost = [opening.astype(float)]
    col_upper = [np.ones(n_sites)]
    integrality = [np.ones(n_sites, dtype=np.int32)]
    starts: list[int] = []
    indices: list[np.ndarray] = []
    values: list[np.ndarray] = []
    row_lower: list[float] = []
    constant = 0.0
    column = n_sites
    nnz = 0
    for i in range(n_clients):
        row = cost[i]
        levels, inverse = np.unique(row, return_inverse=True)
        constant += levels[0]
        order = np.argsort(inverse, kind="stable")
        bounds = np.searchsorted(inverse[order], np.arange(len(levels) + 1))
        previous = -1
        for k in range(len(levels)):
            sites = order[bounds[k] : bounds[k + 1]]
            idx = [sites]
            val = [np.ones(len(sites))]
            if k < len(levels) - 1:
                col_cost.append(np.array([levels[k + 1] - levels[k]]))
                col_upper.append(np.ones(1))
                integrality.append(np.zeros(1, dtype=np.int32))
                idx.append(np.array([column]))
                val.append(np.ones(1))
                current = column
                column += 1
            else:
                current = -1
            if previous >= 0:
                idx.append(np.array([previous]))
                val.append(-np.ones(1))
            starts.append(nnz)
            joined = np.concatenate(idx)
            indices.append(joined)
            values.append(np.concatenate(val))
            nnz += len(joined)
            row_lower.append(0.0 if previous >= 0 else 1.0)
            previous = current
    if p is not None:
        starts.append(nnz)
        indices.append(np.arange(n_sites))
        values.append(np.ones(n_sites))
        nnz += n_sites
        row_lower.append(-np.inf)
    arrays = {
        "col_cost": np.concatenate(col_cost),
        "col_upper": np.concatenate(col_upper),
        "integrality": np.concatenate(integrality),
        "starts": np.array(starts, dtype=np.int32),
        "indices": np.concatenate(indices).astype(np.int32),
        "values": np.concatenate(values),
        "row_lower": np.array(row_lower),
        "row_upper": np.array([np.inf] * (len(row_lower) - (p is not None)) + ([float(p)] if p is not None else [])),
        "constant": np.array([constant]),
    }
    return arrays, column


def solve_raw(cost: np.ndarray, opening: np.ndarray, p: int | None, time_limit: float, threads: int = 1) -> RawRun:
    started = time.perf_counter()
    a, n_cols = radius_arrays(cost, opening, p)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", threads)
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("time_limit", time_limit)
    highs.setOptionValue("random_seed", 0)
    lower = np.zeros(n_cols)
    highs.addCols(
        n_cols, a["col_cost"], lower, a["col_upper"], 0, np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0)
    )
    highs.changeColsIntegrality(
        n_cols,
        np.arange(n_cols, dtype=np.int32),
        a["integrality"].astype(np.uint8),  # 1 = kInteger, 0 = kContinuous
    )
    highs.addRows(
        len(a["row_lower"]), a["row_lower"], a["row_upper"], len(a["indices"]), a["starts"], a["indices"], a["values"]
    )
    highs.changeObjectiveOffset(float(a["constant"][0]))
    build = time.perf_counter() - started
    started = time.perf_counter()
    highs.run()
    solve = time.perf_counter() - started
    status = highs.getModelStatus()
    return RawRun(highs.getInfo().objective_function_value, n_cols, build, solve, highs.modelStatusToString(status))
