"""Published optima of OR-Library facility-location instances, reproduced through seta's optimizer."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.orlib import (
    HERE,
    FormatError,
    pmedian_scenario,
    read_optima,
    read_pmedian,
    read_warehouse,
    solve_file,
    warehouse_scenario,
)
from inputs.types import SolverOptions
from optimizer import optimize

OPTIMA = read_optima([HERE / "pmedopt.txt", HERE / "uncapopt.txt"])
OPTIONS = SolverOptions(time_limit=300.0, gap=0.0)


@pytest.mark.parametrize("name", ["pmed1", "pmed2", "pmed3", "pmed4", "pmed5", "cap71", "cap101", "cap131"])
def test_small_instances_reach_their_published_optimum(name: str) -> None:
    row = solve_file(HERE / f"{name}.txt", OPTIONS, OPTIMA[name])
    assert row.status == "optimal"
    assert row.formulation == "radius"
    assert row.found == pytest.approx(OPTIMA[name], abs=0.01)


def test_last_repeated_edge_wins(tmp_path: Path) -> None:
    """A repeated edge takes its last cost even when an earlier one was cheaper (FORMAT.md)."""
    path = tmp_path / "pmed0.txt"
    path.write_text(" 3 4 1\n 1 2 5\n 2 3 1\n 1 2 9\n 1 3 20\n")
    dist, p = read_pmedian(path)
    assert p == 1
    assert dist[0, 1] == 9 and dist[1, 0] == 9
    assert dist[0, 2] == 10  # 1-2-3 (9 + 1) beats the direct edge of 20


def test_capacity_word_and_leading_dot_are_read() -> None:
    fixed, cost = read_warehouse(HERE / "cap71.txt")
    assert cost.shape == (16, 50) and (fixed == 0).sum() == 1
    tokens = (HERE / "capa.txt").read_text().split()[:4]
    assert "capacity" in tokens
    fixed_a, cost_a = read_warehouse(HERE / "capa.txt")
    assert cost_a.shape == (100, 1000) and fixed_a.shape == (100,)


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("3 2 1\n1 2 x\n")
    with pytest.raises(FormatError, match="not a p-median file"):
        read_pmedian(bad)


def test_radius_and_textbook_agree_on_pmed1_and_cap71() -> None:
    dist, p = read_pmedian(HERE / "pmed1.txt")
    for formulation in ("radius", "textbook"):
        options = SolverOptions(time_limit=300.0, formulation=formulation)
        result = optimize(pmedian_scenario("pmed1", dist, p, options), options)
        assert result.model_size.formulation == formulation
        assert result.report.objective == pytest.approx(OPTIMA["pmed1"], abs=0.01)
    fixed, cost = read_warehouse(HERE / "cap71.txt")
    for formulation in ("radius", "textbook"):
        options = SolverOptions(time_limit=300.0, formulation=formulation)
        result = optimize(warehouse_scenario("cap71", fixed, cost, options), options)
        assert result.report.objective == pytest.approx(OPTIMA["cap71"], abs=0.01)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.integers(3, 7).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(0, 30), min_size=n, max_size=n), min_size=n, max_size=n),
            st.integers(1, n),
        )
    )
)
def test_radius_equals_brute_force_on_random_pmedian(data: tuple[list[list[int]], int]) -> None:
    """The radius model's optimum equals the best choice of at most p medians, enumerated."""
    matrix, p = data
    dist = np.array(matrix, dtype=float)
    np.fill_diagonal(dist, 0.0)
    n = len(dist)
    best = min(
        dist[:, list(chosen)].min(axis=1).sum()
        for k in range(1, p + 1)
        for chosen in itertools.combinations(range(n), k)
    )
    options = SolverOptions(time_limit=60.0, formulation="radius")
    result = optimize(pmedian_scenario("random", dist, p, options), options)
    assert result.report.status == "optimal"
    assert result.report.objective == pytest.approx(best, abs=1e-6)
    assert result.chosen is not None and result.chosen.violations == []
