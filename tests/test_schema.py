"""Every figure is declared once (`inputs/schema.py`), with its default and source where one serves the
whole model; the per-domain and per-structure tables (`inputs/defaults.py`), the scenario types
(`inputs/types.py`, generated), the loader, the CLI options and the docs follow from that declaration."""

from __future__ import annotations

import importlib.util
from dataclasses import MISSING, fields
from pathlib import Path
from types import ModuleType

import pytest

from inputs import defaults, schema
from inputs.types import DomainParams, Economics, Limits, Provider, SolverOptions, StructureParams, Weights

ROOT = Path(__file__).resolve().parent.parent

TABLES = [("domain", schema.DOMAIN, table, DomainParams) for table in defaults.DOMAINS.values()] + [
    ("structure", schema.STRUCTURE, table, StructureParams) for table in defaults.STRUCTURES.values()
]
TABLES += [
    ("economics", schema.ECONOMICS, defaults.ECONOMICS, Economics),
    ("weights", schema.WEIGHTS, defaults.WEIGHTS, Weights),
    ("limits", schema.LIMITS, defaults.LIMITS, Limits),
    ("solver", schema.SOLVER, defaults.SOLVER, SolverOptions),
]


@pytest.mark.parametrize(("name", "specs", "table", "kind"), TABLES)
def test_every_default_is_declared_and_within_its_range(
    name: str, specs: dict[str, schema.Spec], table: dict[str, defaults.Figure], kind: type
) -> None:
    assert list(table) == list(specs), name
    assert [f.name for f in fields(kind) if f.name != "key"] == list(specs), name
    for key, spec in specs.items():
        _assert_valid(key, spec, table[key])
        if spec.default is not None:
            _assert_valid(key, spec, spec.default)


def test_a_providers_figures_are_its_fields_with_the_declared_defaults() -> None:
    declared = {f.name: f.default for f in fields(Provider) if f.name in schema.PROVIDER}
    assert list(declared) == list(schema.PROVIDER)
    assert declared == {"lat": MISSING, "lon": MISSING, "price_factor": 1.1, "quality": 0.8, "capacity_fte": None}
    for key, spec in schema.PROVIDER.items():
        if spec.default is not None:
            _assert_valid(key, spec, spec.default)
            assert declared[key] == spec.default.value, key


def _assert_valid(key: str, spec: schema.Spec, figure: defaults.Figure) -> None:
    value = figure.value
    assert figure.source.strip(), key
    if value is None:
        assert spec.optional, key
    elif spec.kind == "choice":
        assert value in spec.choices, key
    elif spec.kind == "flag":
        assert isinstance(value, bool), key
    else:
        assert isinstance(value, int | float) and spec.in_range(float(value)), (key, value)
        if spec.kind == "integer":
            assert float(value).is_integer(), key


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_types", ROOT / "tools" / "generate_types.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_scenario_types_are_generated_from_the_schema() -> None:
    text = (ROOT / "inputs" / "types.py").read_text(encoding="utf-8")
    assert _generator().render(text) == text, "inputs/types.py is stale: run python tools/generate_types.py --write"


def test_a_figure_declared_in_the_schema_becomes_a_field_with_its_type_default_and_doc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    declared = schema.Spec(
        "integer",
        "a new limit",
        "een nieuwe grens",
        "units",
        0,
        10,
        optional=True,
        doc="what the new limit holds back",
        default=schema.Figure(None, "no limit"),
    )
    monkeypatch.setitem(schema.LIMITS, "max_new", declared)
    text = _generator().render((ROOT / "inputs" / "types.py").read_text(encoding="utf-8"))
    assert (
        "    connected_pools: bool = False\n    #: what the new limit holds back\n    max_new: int | None = None\n"
        in text
    )
    assert defaults.table(schema.LIMITS)["max_new"] == declared.default


def test_a_table_names_only_declared_figures_and_every_one_without_a_default() -> None:
    with pytest.raises(ValueError, match=r"not declared in inputs\.schema: scale"):
        defaults.table(schema.DOMAIN, scale=defaults.Figure(1, "a typing error"))
    with pytest.raises(ValueError, match=r"fte_per_1000 has no default in inputs\.schema"):
        defaults.table(schema.DOMAIN)


def test_expected_text_names_range_unit_and_no_limit() -> None:
    assert schema.DOMAIN["core_fte"].expected() == "a number from 0 to 1,000, in FTE"
    assert schema.LIMITS["max_pools"].expected() == "a whole number from 0 to 100,000, or nothing for no limit"
    assert schema.SOLVER["name"].expected() == "one of: highs, cbc"
    assert schema.WILLINGNESS.expected() == "a number above 0 and at most 1"


def test_only_the_matrix_coordinates_its_units() -> None:
    assert [key for key, table in defaults.STRUCTURES.items() if table["coordinated"].value] == ["matrix"]
