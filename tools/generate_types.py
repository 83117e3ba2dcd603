"""Writes the figures' fields in `inputs/types.py` from their declarations in `inputs/schema.py`.

    python tools/generate_types.py            # print inputs/types.py as it should be
    python tools/generate_types.py --write    # rewrite its generated sections in place

A section runs from `# FIGURES:BEGIN <TABLE>` to `# FIGURES:END`: inside a class it holds one field
per figure of `schema.<TABLE>` (type from kind, choices and optional; the declared default, if any,
as the field's default; the doc as its comment), and `CHOICES` holds the named Literal types of the
choices. A figure given per domain is a mapping from domain to value, empty by default; one that falls
back to another where it is not given is None by default. The rest of the file is written by hand.
Generating source rather than building the classes at run time keeps them real dataclasses to mypy; a
test fails when the file differs from this output.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path

from inputs import schema

TYPES = Path(__file__).resolve().parent.parent / "inputs" / "types.py"
LINE_LENGTH = 120
#: the tables whose figures are fields of a scenario type: a municipality's, a domain's, a structure's, every
#: section's and an outside provider's
TABLES: Mapping[str, Mapping[str, schema.Spec]] = {
    "MUNICIPALITY": schema.MUNICIPALITY,
    "DOMAIN": schema.DOMAIN,
    "STRUCTURE": schema.STRUCTURE,
    **{section.upper(): specs for section, specs in schema.SECTIONS.items()},
    "PROVIDER": schema.PROVIDER,
}
SECTION = re.compile(r"^( *)# FIGURES:BEGIN (\w+)(.*\n)(?:.*\n)*?\1# FIGURES:END$", re.MULTILINE)


def _literal(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:_}"
    return repr(value)


def _choices(spec: schema.Spec) -> str:
    return "Literal[" + ", ".join(json.dumps(choice) for choice in spec.choices) + "]"


def annotation(spec: schema.Spec) -> str:
    """The Python type of a figure's value."""
    if spec.kind == "choice":
        kind = spec.alias or _choices(spec)
    else:
        kind = {"number": "float", "integer": "int", "flag": "bool"}[spec.kind]
    if spec.per_domain:
        return f"Mapping[str, {kind}]"
    return kind + " | None" if spec.optional or spec.fallback else kind


def _default(spec: schema.Spec) -> str:
    """The field's default: the declared one, or nothing given where the figure falls back to another."""
    if spec.per_domain:
        return " = field(default_factory=dict)"
    if spec.default is not None:
        return f" = {_literal(spec.default.value)}"
    return " = None" if spec.fallback else ""


def _fields(specs: Mapping[str, schema.Spec], indent: str) -> list[str]:
    lines = []
    for key, spec in specs.items():
        lines += textwrap.wrap(spec.doc, LINE_LENGTH, initial_indent=indent + "#: ", subsequent_indent=indent + "#: ")
        lines.append(f"{indent}{key}: {annotation(spec)}{_default(spec)}")
    return lines


def _aliases() -> list[str]:
    return [f"{spec.alias} = {_choices(spec)}" for specs in TABLES.values() for spec in specs.values() if spec.alias]


def _section(match: re.Match[str]) -> str:
    indent, table, rest = match.group(1), match.group(2), match.group(3)
    body = _aliases() if table == "CHOICES" else _fields(TABLES[table], indent)
    return "\n".join([f"{indent}# FIGURES:BEGIN {table}{rest.rstrip()}", *body, f"{indent}# FIGURES:END"])


def render(text: str) -> str:
    """`text` (inputs/types.py) with every generated section written afresh from the schema."""
    found = [match.group(2) for match in SECTION.finditer(text)]
    missing = [table for table in ("CHOICES", *TABLES) if table not in found]
    if missing or len(found) != len(set(found)):
        raise ValueError(f"inputs/types.py needs one FIGURES section each for CHOICES and {', '.join(TABLES)}")
    return SECTION.sub(_section, text)


if __name__ == "__main__":
    rendered = render(TYPES.read_text(encoding="utf-8"))
    if sys.argv[1:] == ["--write"]:
        TYPES.write_text(rendered, encoding="utf-8")
    else:
        print(rendered, end="")
