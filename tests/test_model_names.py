"""The model as an LP file a person and a solver can read: names carry their indices, and HiGHS reads
the file back to the same model and the same optimum."""

from __future__ import annotations

import re
from pathlib import Path

import highspy
import pytest

from inputs import load_scenario
from optimizer import build_model, optimize
from optimizer.instance import Instance

NAME = re.compile(r"[A-Za-z_]+\([A-Za-z0-9_.,]+\)|max_matrix_units|max_pools|require_pooling")


def test_highs_reads_the_lp_file_back_with_every_name(tmp_path: Path) -> None:
    scenario = load_scenario("kempen")
    model = build_model(Instance(scenario))
    path = tmp_path / "kempen.lp"
    model.problem.writeLP(str(path))
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    assert highs.readModel(str(path)) == highspy.HighsStatus.kOk
    lp = highs.getLp()
    columns = [v.name for v in model.problem.variables()]
    rows = [c.name for c in model.problem.constraints()]
    assert sorted(lp.col_names_) == sorted(columns)
    assert sorted(lp.row_names_) == sorted(rows)
    for name in [*columns, *rows]:
        assert NAME.fullmatch(name), name
    # the names say what they are about: a membership of Eersel (GM0770) in an HR pool hosted by Bladel
    assert "x(GM0770,GM1728,centre,hr)" in columns
    assert "assign(GM0770,hr)" in rows
    highs.setOptionValue("threads", 1)
    highs.run()
    expected = optimize(scenario).report.objective
    assert expected is not None
    assert highs.getInfo().objective_function_value == pytest.approx(expected, rel=1e-6)


def test_codes_an_lp_file_cannot_carry_become_numbers() -> None:
    from dataclasses import replace

    scenario = load_scenario("helden")
    odd = tuple(replace(m, code=f"{m.code} [x]") for m in scenario.municipalities)
    renamed = replace(scenario, municipalities=odd, adjacency=frozenset())
    model = build_model(Instance(renamed))
    names = [v.name for v in model.problem.variables()]
    assert [name for name in names if not NAME.fullmatch(name)] == []
    assert "own(m0,hr)" in names
