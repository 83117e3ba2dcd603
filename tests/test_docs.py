"""The documentation states the defaults the code uses."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _render_defaults() -> str:
    spec = importlib.util.spec_from_file_location("defaults_table", ROOT / "tools" / "defaults_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.render())


def test_model_doc_lists_the_defaults_of_the_code() -> None:
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    section = text.split("<!-- DEFAULTS:BEGIN -->\n", 1)[1].split("<!-- DEFAULTS:END -->", 1)[0]
    assert section == _render_defaults(), "docs/model.md is stale: run python tools/defaults_table.py"


def test_every_default_has_a_source() -> None:
    from inputs import defaults

    tables = [*defaults.DOMAINS.values(), *defaults.STRUCTURES.values()]
    tables += [defaults.ECONOMICS, defaults.WEIGHTS, defaults.LIMITS, defaults.SOLVER]
    for table in tables:
        for name, figure in table.items():
            assert figure.source.strip(), name


def test_model_doc_lists_the_spreads_of_the_code() -> None:
    spec = importlib.util.spec_from_file_location("defaults_table", ROOT / "tools" / "defaults_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    section = text.split("<!-- SPREADS:BEGIN -->\n", 1)[1].split("<!-- SPREADS:END -->", 1)[0]
    assert section == module.spreads(), "docs/model.md is stale: run python tools/defaults_table.py --write"


#: assumed number figures that are not drawn, each for the reason docs/model.md ("Uncertainty") gives
NOT_DRAWN = {
    "economics.horizon_years": "an accounting convention",
    "domains.max_travel_km": "a rule on who may join, as limits.max_travel_km is",
    "economics.ramp_up_share": "read by the pathway alone, which the robust study does not plan",
    "economics.learning_reduction": "read by the pathway alone, which the robust study does not plan",
}


def test_every_assumed_number_figure_has_a_plausible_range() -> None:
    from inputs import defaults, schema

    covered = {pattern for spread in defaults.SPREADS.values() for pattern in spread.figures}
    tables = [("domains", schema.DOMAIN, t) for t in defaults.DOMAINS.values()]
    tables += [("structures", schema.STRUCTURE, t) for t in defaults.STRUCTURES.values()]
    tables += [("economics", schema.ECONOMICS, defaults.ECONOMICS)]
    missing = set()
    for section, specs, table in tables:
        for key, figure in table.items():
            assumed = "ASSUMPTION" in figure.source or figure.source.startswith(("derived", "IPSE", "BBV"))
            if specs[key].kind == "number" and assumed and f"{section}.{key}" not in covered:
                missing.add(f"{section}.{key}")
    assert missing == set(NOT_DRAWN)
