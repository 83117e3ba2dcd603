"""The figures a scenario runs on, each with its unit and source: what a report lists as its assumptions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from inputs import defaults, schema
from inputs.labels import name, unit
from inputs.sources_nl import source as cited
from inputs.types import Scenario


def assumptions(scenario: Scenario, lang: str = "en") -> list[dict[str, Any]]:
    """One row per figure in play: where it applies, its label, value, unit and source (or that the
    scenario set it, with the default it replaced)."""
    rows: list[dict[str, Any]] = []

    def add(where: str, values: dict[str, Any], specs: Mapping[str, schema.Spec], table: Mapping[str, Any]) -> None:
        for key, spec in specs.items():
            if spec.fixed or key not in values or key not in table:
                continue
            value, figure = values[key], table[key]
            if value == figure.value:
                source = cited(figure.source, lang)
            elif lang == "nl":
                source = f"door het scenario gezet (standaard {figure.value})"
            else:
                source = f"set by the scenario (default {figure.value})"
            rows.append(
                {
                    "where": where,
                    "figure": spec.display(lang),
                    "value": value,
                    "unit": unit(spec.unit, lang),
                    "source": source,
                }
            )

    domain_word, structure_word = ("taakveld", "vorm") if lang == "nl" else ("domain", "structure")
    for domain in scenario.domains:
        add(f"{domain_word} {name(domain.key, lang)}", asdict(domain), schema.DOMAIN, defaults.DOMAINS[domain.key])
    for structure in scenario.structures:
        add(
            f"{structure_word} {name(structure.key, lang)}",
            asdict(structure),
            schema.STRUCTURE,
            defaults.STRUCTURES[structure.key],
        )
    sections: list[tuple[str, str, Mapping[str, schema.Spec], Mapping[str, Any], Any]] = [
        ("economics", "economie", schema.ECONOMICS, defaults.ECONOMICS, scenario.economics),
        ("weights", "gewichten", schema.WEIGHTS, defaults.WEIGHTS, scenario.weights),
        ("limits", "grenzen", schema.LIMITS, defaults.LIMITS, scenario.limits),
    ]
    for english, dutch, specs, table, values in sections:
        add(dutch if lang == "nl" else english, asdict(values), specs, table)
    return rows
