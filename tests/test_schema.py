"""Every figure is declared once (`inputs/schema.py`) with a default and source (`inputs/defaults.py`),
and the scenario types, the loader and the CLI options follow from that declaration."""

from __future__ import annotations

from dataclasses import fields

import pytest

from inputs import defaults, schema
from inputs.types import DomainParams, Economics, Limits, SolverOptions, StructureParams, Weights

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
        value = table[key].value
        assert table[key].source.strip(), key
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


def test_expected_text_names_range_unit_and_no_limit() -> None:
    assert schema.DOMAIN["core_fte"].expected() == "a number from 0 to 1,000, in FTE"
    assert schema.LIMITS["max_pools"].expected() == "a whole number from 0 to 100,000, or nothing for no limit"
    assert schema.SOLVER["name"].expected() == "one of: highs, cbc"
    assert schema.WILLINGNESS.expected() == "a number above 0 and at most 1"


def test_only_the_matrix_coordinates_its_units() -> None:
    assert [key for key, table in defaults.STRUCTURES.items() if table["coordinated"].value] == ["matrix"]
