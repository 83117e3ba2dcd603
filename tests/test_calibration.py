"""The cost model against the evidence (docs/domain.md, "Calibration"; docs/model.md shows the table).

Each target in `benchmarks/calibration.py` names its source; here each must hold, the table in
docs/model.md must be the one the code measures, and every default figure must say where it comes
from: a source, a definition, or an assumption with its reason or the target it is calibrated on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import calibration
from inputs import defaults

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("claim", calibration.claims())
def test_the_model_meets_the_evidence(claim: str) -> None:
    # measured once on first use (cached), so that collecting the tests solves nothing
    target = next(t for t in calibration.measure() if t.claim == claim)
    assert target.holds, f"{target.claim}: {target.measured} {target.unit}, evidence asks {target.range_text()}"


def test_the_held_out_groups_were_drawn_apart_from_the_tuning_ones() -> None:
    tuning, held_out = calibration.mixed_groups()
    assert len(tuning) == len(held_out) == 24
    assert not set(tuning) & set(held_out)
    assert all(3 <= len(g) <= 6 for g in tuning + held_out)


def test_docs_show_the_calibration_the_code_measures() -> None:
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    table = text.split(calibration.BEGIN, 1)[1].split(calibration.END, 1)[0]
    stale = "docs/model.md is stale: run python -m benchmarks.calibration --write"
    assert table == calibration.render(calibration.measure()), stale


def test_every_default_says_where_it_comes_from() -> None:
    tables = [*defaults.DOMAINS.values(), *defaults.STRUCTURES.values()]
    tables += [defaults.ECONOMICS, defaults.WEIGHTS, defaults.LIMITS, defaults.SOLVER]
    for table in tables:
        for name, figure in table.items():
            source = figure.source.strip()
            assert source, name
            assert source.lower() != "assumption", f"{name}: an assumption needs its reason ('ASSUMPTION: ...')"
            if source.startswith("ASSUMPTION"):
                assert source.startswith(("ASSUMPTION: ", "ASSUMPTION calibrated on ", "ASSUMPTION anchored on ")), name
