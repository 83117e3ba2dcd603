"""The built-in CBS municipality datasets (see `inputs/data/nl/ATTRIBUTION.md`)."""

from __future__ import annotations

import csv
import json
from functools import cache
from importlib import resources
from typing import Any

from inputs import schema
from inputs.types import Municipality, pair

DATASETS = {
    "nl-2007": "the 443 municipalities of 1 January 2007 (CBS; 39 populations estimated)",
    "nl-2024": "the 342 municipalities of 1 January 2024 (CBS population 1 January 2024)",
}
DATASETS_NL = {
    "nl-2007": "de 443 gemeenten van 1 januari 2007 (CBS; 39 inwonertallen geschat)",
    "nl-2024": "de 342 gemeenten van 1 januari 2024 (CBS-inwonertal 1 januari 2024)",
}
#: what a scenario may choose a dataset's municipalities by (`members: {province: Zeeland}`), as a person reads it
REGION_KINDS = {"province": "province", "corop": "COROP region"}
ATTRIBUTION = "Bron: CBS / Kadaster (CBS Gebiedsindelingen; Gebieden in Nederland 2024), CC BY 4.0"


def _year(dataset: str) -> str:
    return dataset.removeprefix("nl-")


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("inputs").joinpath("data", "nl", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def municipalities(dataset: str) -> dict[str, Municipality]:
    """Code -> municipality, in code order."""
    return {
        row["code"]: Municipality(
            code=row["code"],
            name=row["name"],
            **_figures(row),
            province=row["province"],
            population_estimated=row["population_estimated"] == "true",
        )
        for row in _rows(f"municipalities_{_year(dataset)}.csv")
    }


def _figures(row: dict[str, str]) -> dict[str, Any]:
    """The figures every municipality gives (its population and place), from the dataset's row."""
    return {
        key: int(row[key]) if schema.MUNICIPALITY[key].kind == "integer" else float(row[key])
        for key in schema.MUNICIPALITY_GIVEN
    }


@cache
def regions(dataset: str, kind: str) -> dict[str, str]:
    """Code -> the municipality's province or COROP region (a key of REGION_KINDS); empty where the
    dataset's table has no such column (the 2007 table has provinces, not COROP regions)."""
    return {row["code"]: row[kind] for row in _rows(f"municipalities_{_year(dataset)}.csv") if row.get(kind)}


@cache
def boundaries(dataset: str) -> dict[str, Any]:
    """GeoJSON of the dataset's municipalities (properties code, name), rings wound for Vega."""
    text = (
        resources.files("inputs")
        .joinpath("data", "nl", f"boundaries_{_year(dataset)}.geojson")
        .read_text(encoding="utf-8")
    )
    collection: dict[str, Any] = json.loads(text)
    return collection


@cache
def adjacency(dataset: str) -> frozenset[tuple[str, str]]:
    return frozenset(pair(row["code_a"], row["code_b"]) for row in _rows(f"adjacency_{_year(dataset)}.csv"))
