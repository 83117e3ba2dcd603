"""The figures a scenario runs on, each with its source: what a report lists as its assumptions."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from inputs import defaults
from inputs.types import Scenario


def assumptions(scenario: Scenario) -> list[dict[str, Any]]:
    """One row per figure in play: where it applies, its value, and its source (or 'scenario' when the
    scenario overrides the default)."""
    rows: list[dict[str, Any]] = []

    def add(section: str, values: dict[str, Any], table: dict[str, defaults.Figure]) -> None:
        for key, figure in table.items():
            if key in ("label", "scope") or key not in values:
                continue
            value = values[key]
            source = figure.source if value == figure.value else f"set by the scenario (default {figure.value})"
            rows.append({"where": section, "figure": key, "value": value, "source": source})

    for domain in scenario.domains:
        add(f"domain {domain.key}", asdict(domain), defaults.DOMAINS.get(domain.key, {}))
    for structure in scenario.structures:
        add(f"structure {structure.key}", asdict(structure), defaults.STRUCTURES[structure.key])
    add("economics", asdict(scenario.economics), defaults.ECONOMICS)
    add("weights", asdict(scenario.weights), defaults.WEIGHTS)
    add("limits", asdict(scenario.limits), defaults.LIMITS)
    return rows
