"""Prints the tables of figures with their defaults, units, ranges and sources, as in docs/model.md.

    python tools/defaults_table.py            # print
    python tools/defaults_table.py --write    # update docs/model.md in place (both tables)

Everything comes from the declarations: `inputs/schema.py` (label, unit, range, the default where
one serves the whole model, and a municipality's figures with what each falls back to) and
`inputs/defaults.py` (each domain's and structure's values and sources, the spreads that give
plausible ranges). A test checks that docs/model.md contains exactly this text between its DEFAULTS
markers, and the spreads between its SPREADS markers.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from inputs import defaults, labels, schema, uncertainty

BEGIN = "<!-- DEFAULTS:BEGIN -->\n"
END = "<!-- DEFAULTS:END -->"
SPREADS_BEGIN = "<!-- SPREADS:BEGIN -->\n"
SPREADS_END = "<!-- SPREADS:END -->"


def _format(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float) and abs(value) >= 1000:
        return schema.number_text(value)
    return str(value)


def _range(spec: schema.Spec) -> str:
    if spec.kind == "choice":
        return ", ".join(spec.choices)
    if spec.kind == "flag":
        return ""
    text = spec.range_text().strip()
    return text + (", or none" if spec.optional else "")


def _plausible(section: str, key: str, spec: schema.Spec, figure: defaults.Figure) -> str:
    """The figure's plausible range under its default spread: 'low-high, distribution (group)'."""
    for group, spread in defaults.SPREADS.items():
        if f"{section}.{key}" not in spread.figures or not uncertainty.drawn_by_default(figure):
            continue
        value = figure.value
        if not isinstance(value, int | float) or isinstance(value, bool) or value == 0:
            return ""
        low, high = uncertainty.spread_range(spec, value, spread)
        return f"{_format(_round(low))}-{_format(_round(high))}, {spread.distribution} (`{group}`)"
    return ""


def _round(value: float) -> float:
    return float(f"{value:.3g}")


def _table(section: str, specs: Mapping[str, schema.Spec], figures: Mapping[str, defaults.Figure]) -> list[str]:
    lines = [
        "| key | figure | value | unit | range | plausible (group) | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, spec in specs.items():
        figure = figures[key]
        shown = "definition" if spec.fixed else _range(spec)
        plausible = _plausible(section, key, spec, figure)
        lines.append(
            f"| {key} | {spec.label} | {_format(figure.value)} | {spec.unit} | {shown} | {plausible} | "
            f"{figure.source} |"
        )
    return [*lines, ""]


def spreads() -> str:
    """The default spreads: one uncertain dimension of `seta robust` each."""
    lines = [
        "| group | figures | factors on the value | distribution | source |",
        "|---|---|---|---|---|",
    ]
    for group, spread in defaults.SPREADS.items():
        figures = ", ".join(f"`{f}`" for f in spread.figures)
        factors = f"{spread.low:.3g}-{spread.high:.3g}"
        lines.append(f"| `{group}`: {spread.label} | {figures} | {factors} | {spread.distribution} | {spread.source} |")
    return "\n".join(lines) + "\n"


def render() -> str:
    lines: list[str] = []
    for key, figures in defaults.DOMAINS.items():
        lines += [f"#### Domain `{key}` ({labels.name(key)})", "", *_table("domains", schema.DOMAIN, figures)]
    for key, figures in defaults.STRUCTURES.items():
        lines += [f"#### Structure `{key}` ({labels.name(key)})", "", *_table("structures", schema.STRUCTURE, figures)]
    for title, section, specs, table in (
        ("Economics", "economics", schema.ECONOMICS, defaults.ECONOMICS),
        ("Weights", "weights", schema.WEIGHTS, defaults.WEIGHTS),
        ("Limits", "limits", schema.LIMITS, defaults.LIMITS),
        ("Solver", "solver", schema.SOLVER, defaults.SOLVER),
    ):
        lines += [f"#### {title}", "", *_table(section, specs, table)]
    lines += ["#### A municipality's figures (the municipalities table)", "", *municipalities()]
    lines += ["#### Conditions (`conditions:`)", "", *conditions()]
    lines += ["#### Diagnosis (`diagnosis:`)", "", *diagnosis()]
    return "\n".join(lines).rstrip() + "\n"


def municipalities() -> list[str]:
    """A municipality's figures as a table's columns: a figure given per domain is a column per domain, and
    a figure a row may leave out says what it falls back to."""
    lines = ["| column | figure | unit | range | where not given |", "|---|---|---|---|---|"]
    for key, spec in schema.MUNICIPALITY.items():
        column = f"`{key}_<domain>`" if spec.per_domain else key
        absent = "required" if spec.required else spec.fallback
        if " " not in absent and absent != "required":  # a figure's path
            absent = f"`{absent}`"
        lines.append(f"| {column} | {spec.label} | {spec.unit} | {_range(spec)} | {absent} |")
    return [*lines, ""]


def conditions() -> list[str]:
    """The seed's conditions: the factor on every structure's failure rate when met, when not met,
    and when not stated."""
    unknown = defaults.UNKNOWN_CONDITION
    lines = [
        "| key | condition | factor when met | when not met | not stated | source |",
        "|---|---|---|---|---|---|",
    ]
    for key, condition in defaults.CONDITIONS.items():
        lines.append(
            f"| {key} | {condition.label} | {condition.met:g} | {condition.unmet:g} | {unknown.value:g} | "
            f"{condition.source} |"
        )
    lines.append(f"\nA condition that is not stated: {unknown.source}.")
    return [*lines, ""]


def diagnosis() -> list[str]:
    lines = ["| level | quality | source |", "|---|---|---|"]
    lines += [f"| {key} | {figure.value:g} | {figure.source} |" for key, figure in defaults.DIAGNOSIS_LEVELS.items()]
    return [*lines, ""]


def _replace(text: str, begin: str, end: str, body: str) -> str:
    head, rest = text.split(begin, 1)
    _old, tail = rest.split(end, 1)
    return head + begin + body + end + tail


def write(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    text = _replace(text, BEGIN, END, render())
    text = _replace(text, SPREADS_BEGIN, SPREADS_END, spreads())
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write(Path(__file__).resolve().parent.parent / "docs" / "model.md")
    else:
        print(render(), end="")
        print(spreads(), end="")
