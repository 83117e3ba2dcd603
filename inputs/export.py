"""`seta init`: write a scenario as an editable study folder (YAML plus CSV tables)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from inputs import defaults, schema
from inputs.tables import write_csv
from inputs.types import Scenario

#: definitions of a structure that a scenario cannot change
FIXED = tuple(key for key, spec in schema.STRUCTURE.items() if spec.fixed)

HEADER = """\
# seta scenario: edit the values, then run `seta solve scenario.yaml`.
# Every figure below is a default of seta (sources in docs/model.md); change any of them.
# Tables: municipalities.csv (code, name, population, lat, lon; optional fte_<domain>,
# quality_<domain>, existing_arrangements), adjacency.csv, ties.csv (prior cooperation) and
# excluded_pairs.csv (pairs that will not work together) hold one pair of codes per row.
# Populations marked population_estimated=true are estimates (see the attribution file).
"""


def export_study(scenario: Scenario, source_yaml: Path, place: Callable[[str], Path]) -> list[str]:
    """Write scenario.yaml and its tables, each to `place(file name)`; returns the names written."""
    original: dict[str, Any] = yaml.safe_load(source_yaml.read_text(encoding="utf-8"))
    document: dict[str, Any] = {
        "name": scenario.name,
        "description": scenario.description,
        "municipalities": {"table": "municipalities.csv"},
        "tables": {"adjacency": "adjacency.csv", "ties": "ties.csv", "excluded_pairs": "excluded_pairs.csv"},
        "domains": {d.key: _without_key(asdict(d)) for d in scenario.domains},
        "structures": {s.key: _without_key(asdict(s), *FIXED) for s in scenario.structures},
    }
    for section in ("providers", "politics"):
        if section in original:
            document[section] = original[section]
    participation = scenario.politics.participation
    if participation is not None:  # set by --participation or --set: the study keeps it
        document.setdefault("politics", {})["participation"] = {"key": participation.text}
    diagnosed = {m.name: dict(m.quality) for m in scenario.municipalities if m.quality}
    if diagnosed:
        document["diagnosis"] = diagnosed
    document["limits"] = asdict(scenario.limits)
    document["weights"] = asdict(scenario.weights)
    document["economics"] = asdict(scenario.economics)
    document["solver"] = asdict(scenario.solver)
    scenario_path = place("scenario.yaml")
    text = HEADER + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    scenario_path.write_text(text + conditions_block(scenario), encoding="utf-8")
    municipalities = place("municipalities.csv")
    columns = ["code", "name", "population", "lat", "lon", "province", "population_estimated"]
    write_csv(
        municipalities,
        columns,
        [
            {
                "code": m.code,
                "name": m.name,
                "population": m.population,
                "lat": m.lat,
                "lon": m.lon,
                "province": m.province,
                "population_estimated": str(m.population_estimated).lower(),
            }
            for m in scenario.municipalities
        ],
    )
    written = ["scenario.yaml", "municipalities.csv"]
    for name, pairs in (
        ("adjacency.csv", scenario.adjacency),
        ("ties.csv", scenario.ties),
        ("excluded_pairs.csv", scenario.politics.excluded_pairs if "politics" not in original else frozenset()),
    ):
        write_csv(place(name), ["code_a", "code_b"], [{"code_a": a, "code_b": b} for a, b in sorted(pairs)])
        written.append(name)
    return written


def conditions_block(scenario: Scenario) -> str:
    """The seed's eleven conditions as YAML: those the scenario states as keys, the others as
    commented keys to fill in (a condition not stated is unknown, not met)."""
    lines = [
        "# The seed's conditions for a cooperation that works (docs/model.md, \"The risk that a cooperation",
        "# fails\"): true (met) or false (not met) moves every structure's failure rate; a condition left",
        "# commented out is unknown. Per member: under members:, e.g. members: {Eersel: {trust: false}}.",
        "conditions:",
    ]
    stated = scenario.conditions.region
    names = {m.code: m.name for m in scenario.municipalities}
    for key, condition in defaults.CONDITIONS.items():
        if key in stated:
            lines.append(f"  {key}: {str(stated[key]).lower()}  # {condition.label}")
        else:
            lines.append(f"  # {key}: true  # {condition.label}")
    if scenario.conditions.members:
        lines.append("  members:")
        for code, own in scenario.conditions.members.items():
            values = ", ".join(f"{k}: {str(v).lower()}" for k, v in own.items())
            lines.append(f"    {yaml.safe_dump(names.get(code, code)).splitlines()[0]}: {{{values}}}")
    return "\n".join(lines) + "\n"


def _without_key(values: dict[str, Any], *extra: str) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in ("key", *extra)}
