"""Every figure is declared once (`inputs/schema.py`), with its default and source where one serves the
whole model; the per-domain and per-structure tables (`inputs/defaults.py`), the scenario types
(`inputs/types.py`, generated), the loader, the CLI options and the docs follow from that declaration."""

from __future__ import annotations

import ast
import importlib.util
import re
from dataclasses import MISSING, fields
from pathlib import Path
from types import ModuleType
from typing import get_type_hints

import pytest

from inputs import defaults, schema
from inputs.types import (
    DomainParams,
    Economics,
    Limits,
    Municipality,
    Provider,
    SolverOptions,
    StructureParams,
    Weights,
)

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


def test_a_municipalitys_figures_are_its_generated_fields_and_its_other_fields_no_figures() -> None:
    declared = [f for f in fields(Municipality) if f.name in schema.MUNICIPALITY]
    assert [f.name for f in declared] == list(schema.MUNICIPALITY)
    assert {f.name: f.default for f in declared if f.default is not MISSING} == {"existing_arrangements": None}
    assert [f.name for f in declared if f.default_factory is dict] == ["fte", "quality"]
    assert schema.MUNICIPALITY_GIVEN == ("population", "lat", "lon")
    # a number (or a number per domain) among the other fields would be a figure declared by hand
    hints = get_type_hints(Municipality)
    assert {f.name: hints[f.name] for f in fields(Municipality) if f.name not in schema.MUNICIPALITY} == {
        "code": str,
        "name": str,
        "province": str,
        "population_estimated": bool,
        "may_host": bool,
        "partner": bool,
    }


def test_a_figure_a_municipality_may_leave_out_falls_back_to_the_scenarios() -> None:
    fallback = schema.MUNICIPALITY["existing_arrangements"]
    section, _, key = fallback.fallback.partition(".")
    assert schema.SECTIONS[section][key].kind == fallback.kind and schema.SECTIONS[section][key].high == fallback.high
    taxes = DomainParams(key="taxes", fte_per_1000=0.12, core_fte=0.2, critical_mass_fte=3.0, location_bound=0.1)
    unknown = Municipality(code="GM0001", name="A", population=25_000, lat=52.0, lon=5.0)
    known = Municipality(code="GM0002", name="B", population=25_000, lat=52.0, lon=5.0, existing_arrangements=4)
    measured = Municipality(code="GM0003", name="C", population=25_000, lat=52.0, lon=5.0, fte={"taxes": 7.5})
    assert unknown.arrangements(Economics(existing_arrangements=31)) == 31
    assert known.arrangements(Economics(existing_arrangements=31)) == 4
    assert unknown.workload(taxes) == 3.0
    assert measured.workload(taxes) == 7.5


#: where the input side names a municipality's figures for another reason: a partner's own keys (a partner
#: becomes a municipality, and its place and workload are read with the municipality's specs), and the tool
#: that writes the built-in dataset's table from CBS's files; and the workshop's map cache, which names the
#: columns of a result's table that the map reads (output, not input)
NOT_A_DECLARATION = {
    ("cli/serve.py", ("code", "lat", "lon", "name", "population")),
    ("inputs/partners.py", ("area", "domains", "fte", "lat", "lon", "name", "seat", "work_share")),
    (
        "tools/build_data.py",
        ("code", "corop", "lat", "lon", "name", "population", "population_estimated", "population_source", "province"),
    ),
    (
        "tools/build_data.py",
        ("code", "lat", "lon", "name", "population", "population_estimated", "population_source", "province"),
    ),
}


def _without_generated_fields(text: str) -> str:
    """The source with each field of a generated section replaced by `pass`: the schema wrote those."""
    section = re.compile(r"^( *)# FIGURES:BEGIN .*\n((?:.*\n)*?)\1# FIGURES:END$", re.MULTILINE)
    return section.sub(lambda m: "\n".join(f"{m.group(1)}pass" for _ in m.group(0).splitlines()), text)


def _names_of_figures(tree: ast.AST) -> list[tuple[int, tuple[str, ...]]]:
    """Every literal list, tuple, set or dict of names (and every class field) that names a municipality's
    figure: two figures listed together, or a figure made a field."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                named = isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
                if named and item.target.id in schema.MUNICIPALITY:
                    found.append((item.lineno, (item.target.id,)))
        items = node.elts if isinstance(node, ast.Tuple | ast.List | ast.Set) else []
        items = node.keys if isinstance(node, ast.Dict) else items
        words = tuple(sorted(i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)))
        if len([word for word in words if word in schema.MUNICIPALITY]) >= 2:
            found.append((node.lineno, words))
    return found


def test_no_module_but_the_schema_declares_or_lists_a_municipalitys_figures() -> None:
    listed = []
    for folder in ("inputs", "cli", "tools"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name == "inputs/schema.py":
                continue
            tree = ast.parse(_without_generated_fields(path.read_text(encoding="utf-8")))
            listed += [
                (name, line, words) for line, words in _names_of_figures(tree) if (name, words) not in NOT_A_DECLARATION
            ]
    assert listed == [], "declare a municipality's figures in inputs.schema.MUNICIPALITY and read them from there"


def test_the_scan_finds_a_figure_declared_by_hand() -> None:
    by_hand = "class Town:\n    code: str\n    population: int\nCOLUMNS = ('code', 'lat', 'lon')\n"
    assert _names_of_figures(ast.parse(by_hand)) == [(3, ("population",)), (4, ("code", "lat", "lon"))]
    generated = "class Town:\n    # FIGURES:BEGIN MUNICIPALITY\n    population: int\n    # FIGURES:END\n"
    assert _names_of_figures(ast.parse(_without_generated_fields(generated))) == []


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


def test_a_municipalitys_figure_per_domain_or_with_a_fallback_becomes_a_field_that_may_be_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    per_domain = schema.Spec("number", "vacancies", "vacatures", "FTE", 0, 1_000, per_domain=True, doc="open posts")
    falls_back = schema.Spec("integer", "councillors", "raadsleden", "", 0, 100, fallback="economics.councillors")
    monkeypatch.setitem(schema.MUNICIPALITY, "vacancies", per_domain)
    monkeypatch.setitem(schema.MUNICIPALITY, "councillors", falls_back)
    text = _generator().render((ROOT / "inputs" / "types.py").read_text(encoding="utf-8"))
    assert (
        "    quality: Mapping[str, float] = field(default_factory=dict)\n"
        "    #: open posts\n"
        "    vacancies: Mapping[str, float] = field(default_factory=dict)\n"
        "    councillors: int | None = None\n"
        "    # FIGURES:END\n"
        "    province: str" in text
    )
    assert not per_domain.required and not falls_back.required and schema.MUNICIPALITY["population"].required


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
