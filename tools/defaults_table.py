"""Prints the tables of default figures with their sources, as they appear in docs/model.md.

    python tools/defaults_table.py > /tmp/defaults.md

A test checks that docs/model.md contains exactly this text between its DEFAULTS markers.
"""

from __future__ import annotations

from inputs import defaults


def _format(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1000:
        return f"{int(value):,}"
    if isinstance(value, int) and abs(value) >= 1000:
        return f"{value:,}"
    return str(value)


def render() -> str:
    lines: list[str] = []
    for key, figures in defaults.DOMAINS.items():
        lines.append(f"#### Domain `{key}` ({figures['label'].value})")
        lines.append("")
        lines += ["| figure | value | source |", "|---|---|---|"]
        lines += [f"| {name} | {_format(f.value)} | {f.source} |" for name, f in figures.items() if name != "label"]
        lines.append("")
    for key, figures in defaults.STRUCTURES.items():
        lines.append(f"#### Structure `{key}` ({figures['label'].value})")
        lines.append("")
        lines += ["| figure | value | source |", "|---|---|---|"]
        lines += [f"| {name} | {_format(f.value)} | {f.source} |" for name, f in figures.items() if name != "label"]
        lines.append("")
    for title, table in (
        ("Economics", defaults.ECONOMICS),
        ("Weights", defaults.WEIGHTS),
        ("Limits", defaults.LIMITS),
        ("Solver", defaults.SOLVER),
    ):
        lines.append(f"#### {title}")
        lines.append("")
        lines += ["| key | value | source |", "|---|---|---|"]
        lines += [f"| {name} | {_format(f.value)} | {f.source} |" for name, f in table.items()]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
