"""Prints the tables of figures with their defaults, units, ranges and sources, as in docs/model.md.

    python tools/defaults_table.py            # print
    python tools/defaults_table.py --write    # update docs/model.md in place

Everything comes from the declarations: `inputs/schema.py` (label, unit, range) and
`inputs/defaults.py` (value, source). A test checks that docs/model.md contains exactly this text
between its DEFAULTS markers.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from inputs import defaults, labels, schema

BEGIN = "<!-- DEFAULTS:BEGIN -->\n"
END = "<!-- DEFAULTS:END -->"


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


def _table(specs: Mapping[str, schema.Spec], figures: Mapping[str, defaults.Figure]) -> list[str]:
    lines = ["| key | figure | value | unit | range | source |", "|---|---|---|---|---|---|"]
    for key, spec in specs.items():
        figure = figures[key]
        shown = "definition" if spec.fixed else _range(spec)
        lines.append(f"| {key} | {spec.label} | {_format(figure.value)} | {spec.unit} | {shown} | {figure.source} |")
    return [*lines, ""]


def render() -> str:
    lines: list[str] = []
    for key, figures in defaults.DOMAINS.items():
        lines += [f"#### Domain `{key}` ({labels.name(key)})", "", *_table(schema.DOMAIN, figures)]
    for key, figures in defaults.STRUCTURES.items():
        lines += [f"#### Structure `{key}` ({labels.name(key)})", "", *_table(schema.STRUCTURE, figures)]
    for title, specs, table in (
        ("Economics", schema.ECONOMICS, defaults.ECONOMICS),
        ("Weights", schema.WEIGHTS, defaults.WEIGHTS),
        ("Limits", schema.LIMITS, defaults.LIMITS),
        ("Solver", schema.SOLVER, defaults.SOLVER),
    ):
        lines += [f"#### {title}", "", *_table(specs, table)]
    return "\n".join(lines).rstrip() + "\n"


def write(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    path.write_text(head + BEGIN + render() + END + tail, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write(Path(__file__).resolve().parent.parent / "docs" / "model.md")
    else:
        print(render(), end="")
