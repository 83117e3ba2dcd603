"""The result of one optimisation: pools, per-municipality effects, totals, solver report, provenance.

Tables are tidy pandas DataFrames that charts and files read; nothing here touches the solver model.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import pandas as pd

from optimizer.evaluate import CRITERIA, Evaluation
from optimizer.instance import IN_HOUSE, Configuration, Instance
from optimizer.solve import SolverReport

DAYS = 365.0


def seta_version() -> str:
    try:
        return metadata.version("seta")
    except metadata.PackageNotFoundError:
        return "unknown"


@dataclass
class Result:
    instance: Instance
    configuration: Configuration | None
    chosen: Evaluation | None
    baseline: Evaluation
    report: SolverReport
    model_size: dict[str, int | str]
    build_seconds: float
    #: when the status quo wins: the best configuration that pools something (None otherwise)
    rejected: Evaluation | None = None

    # -- names ---------------------------------------------------------------------------------
    def name_of(self, code: str) -> str:
        if code in self.instance.providers:
            return self.instance.providers[code].name
        return self.instance.municipality[code].name

    # -- tables ----------------------------------------------------------------------------------
    def pools(self) -> pd.DataFrame:
        """One row per pooled unit (a domain of a pool), members by name."""
        columns = [
            "domain",
            "structure",
            "host_code",
            "host",
            "members",
            "member_codes",
            "n_members",
            "staff_fte",
            "annual_cost_eur",
            "transition_one_off_eur",
        ]
        if self.chosen is None:
            return pd.DataFrame(columns=columns)
        horizon = self.instance.scenario.economics.horizon_years
        rows = []
        for unit in self.chosen.pools():
            rows.append(
                {
                    "domain": unit.domain,
                    "structure": unit.structure,
                    "host_code": unit.host,
                    "host": self.name_of(unit.host),
                    "members": ", ".join(self.name_of(c) for c in unit.members),
                    "member_codes": " ".join(unit.members),
                    "n_members": len(unit.members),
                    "staff_fte": round(unit.staff_fte, 3),
                    "annual_cost_eur": round(
                        unit.staff_cost + unit.governance + unit.travel + unit.transition_one_off / horizon, 2
                    ),
                    "transition_one_off_eur": round(unit.transition_one_off, 2),
                }
            )
        return pd.DataFrame(rows, columns=columns)

    def municipalities(self) -> pd.DataFrame:
        """Cost, quality and vulnerability of every municipality before (status quo) and after."""
        rows = []
        for code in self.instance.codes:
            before = _municipal(self.instance, self.baseline, code)
            after = _municipal(self.instance, self.chosen, code) if self.chosen else before
            m = self.instance.municipality[code]
            rows.append(
                {
                    "code": code,
                    "name": m.name,
                    "population": m.population,
                    "population_estimated": m.population_estimated,
                    "lat": m.lat,
                    "lon": m.lon,
                    "cost_before_eur": round(before["cost"], 2),
                    "cost_after_eur": round(after["cost"], 2),
                    "cost_change_eur": round(after["cost"] - before["cost"], 2),
                    "quality_before": round(before["quality"], 4),
                    "quality_after": round(after["quality"], 4),
                    "uncovered_days_before": round(before["uncovered"] * DAYS, 3),
                    "uncovered_days_after": round(after["uncovered"] * DAYS, 3),
                    "pooled_domains": after["pooled"],
                    "transition_one_off_eur": round(after["transition_one_off"], 2),
                    **{f"{part}_change_eur": round(after[part] - before[part], 2) for part in PARTS},
                }
            )
        return pd.DataFrame(rows)

    # -- summary ---------------------------------------------------------------------------------
    def totals(self, evaluation: Evaluation) -> dict[str, float]:
        services = evaluation.services.values()
        value = sum(self.instance.service_value(s.code, s.domain) for s in services)
        pools = evaluation.pools()
        return {
            "annual_cost_eur": evaluation.criteria["cost"],
            "transition_one_off_eur": evaluation.transition_one_off,
            "quality_index": sum(s.quality * self.instance.service_value(s.code, s.domain) for s in services) / value
            if value
            else 0.0,
            "uncovered_days": DAYS * sum(s.uncovered for s in services),
            "pools": sum(1 for u in pools if self.instance.structures[u.structure].scope == "domain")
            + len(evaluation.bodies),
            "new_arrangements": sum(
                len(u.members) for u in pools if self.instance.structures[u.structure].scope == "domain"
            )
            + sum(len(b.members) for b in evaluation.bodies),
            "matrix_interfaces": sum(evaluation.coordination_interfaces.values()),
            "objective": evaluation.objective,
        }

    def summary(self) -> dict[str, Any]:
        before = self.totals(self.baseline)
        after = self.totals(self.chosen) if self.chosen else None
        change = {k: after[k] - before[k] for k in before} if after else None
        saving = -change["annual_cost_eur"] if change else 0.0
        transition = after["transition_one_off_eur"] if after else 0.0
        # Annual cost already carries transition amortised; payback compares the one-off with the
        # saving on running cost (without the amortisation).
        horizon = self.instance.scenario.economics.horizon_years
        running_saving = saving + transition / horizon
        payback = transition / running_saving if transition > 0 and running_saving > 0 else None
        scenario = self.instance.scenario
        report = self.report
        return {
            "scenario": scenario.name,
            "source": scenario.source,
            "municipalities": len(self.instance.codes),
            "domains": list(self.instance.domains),
            "structures": list(self.instance.structures),
            "status": report.status,
            "status_text": report.describe(),
            "before": before,
            "after": after,
            "change": change,
            "payback_years": payback,
            "criteria_before": dict(self.baseline.criteria),
            "criteria_after": dict(self.chosen.criteria) if self.chosen else None,
            "cost_parts_after": dict(self.chosen.cost_parts) if self.chosen else None,
            "weights": {k: getattr(scenario.weights, k) for k in CRITERIA},
            "solver": {
                "status": report.status,
                "reason": report.reason,
                "objective": report.objective,
                "bound": report.bound,
                "gap": report.gap,
                "seconds": round(report.seconds, 4),
                "build_seconds": round(self.build_seconds, 4),
                "solver": report.solver,
                "solver_version": report.solver_version,
                "time_limit": report.options.time_limit,
                "gap_limit": report.options.gap,
                "threads": report.options.threads,
                "seed": report.options.seed,
                "model": self.model_size,
            },
            "provenance": {
                "seta_version": seta_version(),
                "inputs_sha256": scenario.content_hash(),
                "python": platform.python_version(),
                "dataset": scenario.dataset,
            },
        }


#: where a municipality's change in annual cost comes from
PARTS = ("staff", "governance", "transition", "travel", "council")


def comparison_table(results: list[tuple[str, Result]]) -> pd.DataFrame:
    """One row per option: the totals a board compares, on the same axes, plus the status quo."""
    rows = []
    for label, result in results:
        summary = result.summary()
        after = summary["after"] or summary["before"]
        before = summary["before"]
        structures = sorted({u.structure for u in result.chosen.pools()}) if result.chosen else []
        rows.append(
            {
                "option": label,
                "status": result.report.status,
                "structures": ", ".join(structures) or "none",
                "annual_cost_eur": after["annual_cost_eur"],
                "cost_change_eur": after["annual_cost_eur"] - before["annual_cost_eur"],
                "transition_one_off_eur": after["transition_one_off_eur"],
                "quality_index": after["quality_index"],
                "uncovered_days": after["uncovered_days"],
                "pools": after["pools"],
                "new_arrangements": after["new_arrangements"],
                "matrix_interfaces": after["matrix_interfaces"],
                "manageability_eur": (result.chosen or result.baseline).criteria["manageability"],
                "objective": after["objective"],
            }
        )
    return pd.DataFrame(rows)


def _municipal(instance: Instance, evaluation: Evaluation | None, code: str) -> dict[str, Any]:
    assert evaluation is not None
    services = [evaluation.services[code, d] for d in instance.domains]
    value = sum(instance.service_value(code, d) for d in instance.domains)
    quality = sum(s.quality * instance.service_value(code, s.domain) for s in services)
    parts = {part: sum(s.parts.get(part, 0.0) for s in services) for part in PARTS}
    parts["council"] = -evaluation.council_saving.get(code, 0.0)
    return {
        **parts,
        "cost": sum(s.cost for s in services) - evaluation.council_saving.get(code, 0.0),
        "quality": quality / value if value else 0.0,
        "uncovered": sum(s.uncovered for s in services),
        "pooled": sum(1 for s in services if s.placement.structure != IN_HOUSE),
        "transition_one_off": sum(s.transition_one_off for s in services),
    }
