"""`seta init`: write a scenario as an editable study folder: a short scenario.yaml (what differs
from the defaults, with units) and, for a copy of a built-in scenario, its region as CSV tables."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from inputs import defaults, figures, schema
from inputs.municipalities import PER_DOMAIN, REQUIRED_COLUMNS, WHERE_KNOWN
from inputs.problems import Problems
from inputs.reader import Reader
from inputs.tables import write_csv
from inputs.types import Scenario

HEADER = """\
# seta scenario: edit it, then run `seta solve scenario.yaml`.
# Only what differs from seta's defaults is written, each figure with its unit as a comment; every
# other figure is a default (units, plausible ranges and sources in docs/model.md). To change one, add
# it under its section, e.g. weights: {quality: 1} or domains: {taxes: {core_fte: 0.8}}.
"""

#: the columns of a municipalities table, as the scenario's comment names them
_COLUMNS = (
    ", ".join(REQUIRED_COLUMNS) + "; optional " + ", ".join((*(f"{k}_<domain>" for k in PER_DOMAIN), *WHERE_KNOWN))
)
TABLES = (
    textwrap.fill(
        f"Tables: municipalities.csv ({_COLUMNS}), adjacency.csv, ties.csv (prior cooperation) and excluded_pairs.csv "
        "(pairs that will not work together) hold one pair of codes per row.",
        100,
        initial_indent="# ",
        subsequent_indent="# ",
    )
    + "\n# Populations marked population_estimated=true are estimates (see the attribution file).\n"
)


def export_study(scenario: Scenario, source_yaml: Path, place: Callable[[str], Path]) -> list[str]:
    """Write scenario.yaml and its tables, each to `place(file name)`; returns the names written."""
    original: dict[str, Any] = yaml.safe_load(source_yaml.read_text(encoding="utf-8"))
    region = {"table": "municipalities.csv"}
    tables = {"adjacency": "adjacency.csv", "ties": "ties.csv", "excluded_pairs": "excluded_pairs.csv"}
    sections: dict[str, Any] = {key: original[key] for key in ("providers", "politics") if key in original}
    place("scenario.yaml").write_text(
        scenario_text(scenario, region, {"tables": tables, **sections}, TABLES), encoding="utf-8"
    )
    municipalities = place("municipalities.csv")
    columns = ["code", "name", *schema.MUNICIPALITY_GIVEN, "province", "population_estimated"]
    write_csv(
        municipalities,
        columns,
        [
            {
                "code": m.code,
                "name": m.name,
                **{key: getattr(m, key) for key in schema.MUNICIPALITY_GIVEN},
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


def scenario_text(
    scenario: Scenario, region: dict[str, Any], sections: dict[str, Any] | None = None, note: str = ""
) -> str:
    """A short scenario.yaml for `scenario`: its name, `region` as its municipalities, `sections` as
    given (tables, providers, politics), the domains and structures in play, and of the figures only
    those that differ from the defaults, each with its unit; then the conditions."""
    head: dict[str, Any] = {"name": scenario.name}
    if scenario.description:
        head["description"] = scenario.description
    head["municipalities"] = region
    head.update(sections or {})
    participation = scenario.politics.participation
    if participation is not None:  # set by --participation or --set: the study keeps it
        head.setdefault("politics", {})["participation"] = {"key": participation.text}
    lines = [HEADER + note + _dump(head)]
    lines.append(_chosen("domains", [asdict(d) for d in scenario.domains], figures.domains, schema.DOMAIN))
    lines.append(_chosen("structures", [asdict(s) for s in scenario.structures], figures.structures, schema.STRUCTURE))
    diagnosed = {m.name: dict(m.quality) for m in scenario.municipalities if m.quality}
    if diagnosed:
        lines.append(f"# diagnosed quality per domain [{schema.DIAGNOSIS.unit}]\n" + _dump({"diagnosis": diagnosed}))
    for section, specs in schema.SECTIONS.items():
        given = asdict(getattr(scenario, section))
        default = asdict(getattr(figures, section)(_quiet(), None))
        changed = [_figure(key, given[key], specs[key]) for key in specs if given[key] != default[key]]
        if changed:
            lines.append(f"{section}:\n" + "".join(f"  {line}\n" for line in changed))
    return "".join(lines) + conditions_block(scenario)


def _chosen(
    kind: str, chosen: list[dict[str, Any]], read: Callable[[Reader, Any], tuple[Any, ...]], specs: dict[str, Any]
) -> str:
    """`domains:` or `structures:`: a list of keys where each is at its defaults, else a mapping of
    each key to the figures that differ from its defaults."""
    keys = [values["key"] for values in chosen]
    defaults_of = {values.key: asdict(values) for values in read(_quiet(), keys)}
    blocks = []
    for values in chosen:
        default = defaults_of[values["key"]]
        changed = [
            _figure(key, values[key], spec)
            for key, spec in specs.items()
            if not spec.fixed and values[key] != default[key]
        ]
        blocks.append((values["key"], changed))
    if not any(changed for _, changed in blocks):
        return _dump({kind: keys})
    text = f"{kind}:\n"
    for key, changed in blocks:
        text += f"  {key}:" + ("".join(f"\n    {line}" for line in changed) if changed else " {}") + "\n"
    return text


def _figure(key: str, value: Any, spec: schema.Spec) -> str:
    """`key: value  # label [unit]`: a figure as one YAML line, its unit a comment."""
    unit = f" [{spec.unit}]" if spec.unit else ""
    return f"{key}: {_scalar(value)}  # {spec.label}{unit}"


def _scalar(value: Any) -> str:
    return yaml.safe_dump([value], default_flow_style=True, width=1_000_000).strip()[1:-1]


def _dump(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None)


def _quiet() -> Reader:
    """A reader for the defaults, which have no problems to report."""
    return Reader(Problems(), "defaults")


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
