"""The result of one optimisation: pools, per-municipality effects, totals, solver report, provenance.

Every field a user sees is defined here once, as a frozen dataclass (`Summary`, `Totals`,
`Criteria`, `CostParts`, `SolverSummary`, `Provenance`); JSON is written from them with `to_dict`.
Tables are tidy pandas DataFrames that charts and files read; nothing here touches the solver model.
"""

from __future__ import annotations

import math
import platform
from dataclasses import asdict, dataclass, fields
from importlib import metadata
from typing import Any, Self

import pandas as pd

from inputs.types import CRITERIA
from optimizer.evaluate import COST_PARTS, Evaluation
from optimizer.instance import IN_HOUSE, Configuration, Instance
from optimizer.solve import SolverReport, Status

DAYS = 365.0


def seta_version() -> str:
    try:
        return metadata.version("seta")
    except metadata.PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class ModelSize:
    variables: int
    binaries: int
    constraints: int
    formulation: str
    #: solved as this many independent parts (provinces); None for one model
    parts: int | None = None


@dataclass(frozen=True)
class Totals:
    """A configuration's figures for the whole region, as a board compares them."""

    #: annual cash cost if every pool works (transition written off): the budget line
    annual_cost_eur: float
    transition_one_off_eur: float
    quality_index: float  # 0-100, weighted by the annual cost of each service
    uncovered_days: float  # days a year a service has nobody present, summed over services
    pools: int
    new_arrangements: int
    matrix_interfaces: int
    objective: float  # the weighted objective, EUR-equivalent a year, expected with the risk
    #: the same, expected with the risk that pools are undone (docs/model.md, "The risk that a
    #: cooperation fails"); the weighted objective if every pool works
    expected_annual_cost_eur: float = 0.0
    objective_if_works: float = 0.0

    def minus(self, other: Totals) -> Totals:
        return Totals(**{f.name: getattr(self, f.name) - getattr(other, f.name) for f in fields(self)})


@dataclass(frozen=True)
class Criteria:
    """The objective's criteria, unweighted, in EUR (or EUR-equivalents) a year."""

    cost: float
    quality: float
    vulnerability: float
    manageability: float
    autonomy: float

    @classmethod
    def of(cls, values: Any) -> Self:
        """From a mapping or an object with the criteria as attributes (the scenario's weights)."""
        if isinstance(values, dict):
            return cls(**{key: float(values[key]) for key in CRITERIA})
        return cls(**{key: float(getattr(values, key)) for key in CRITERIA})


#: where a municipality's change in annual cost comes from
PARTS = COST_PARTS
#: the parts of the annual cost if every pool works (`risk` is what the chance of undoing adds)
RUNNING_PARTS = tuple(part for part in COST_PARTS if part != "risk")


@dataclass(frozen=True)
class CostParts:
    staff: float
    agency: float  # a joint body's agency cost, a share of its staff cost
    governance: float
    transition: float  # one-off transition written off over the horizon
    travel: float
    council: float  # the council saving of amalgamation (negative)
    risk: float = 0.0  # what the chance that pools are undone adds in expectation


@dataclass(frozen=True)
class CriterionChange:
    """One criterion against the status quo: unweighted (EUR or EUR-equivalents a year) and weighted."""

    criterion: str
    weight: float
    before: float
    after: float
    change: float
    weighted_change: float


@dataclass(frozen=True)
class CashAndValuations:
    """The weighted objective's change split into cash (the cost criterion, what the region pays)
    and valuations (quality, vulnerability, manageability, autonomy: what the weights add)."""

    criteria: tuple[CriterionChange, ...]
    #: annual cash cost, chosen minus status quo (negative: a saving), unweighted
    cash_change_eur: float
    #: the weighted change of every criterion but cost
    valuations_change: float
    #: the weighted objective's change (the weighted cash change plus the valuations)
    weighted_change: float

    @classmethod
    def of(cls, before: Criteria, after: Criteria, weights: Criteria) -> CashAndValuations:
        rows = []
        for criterion in CRITERIA:
            old, new, weight = getattr(before, criterion), getattr(after, criterion), getattr(weights, criterion)
            rows.append(CriterionChange(criterion, weight, old, new, new - old, weight * (new - old)))
        valuations = sum(r.weighted_change for r in rows if r.criterion != "cost")
        return cls(tuple(rows), after.cost - before.cost, valuations, sum(r.weighted_change for r in rows))


@dataclass(frozen=True)
class SolverSummary:
    status: Status
    reason: str
    interrupted: bool
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    build_seconds: float
    solver: str
    solver_version: str
    time_limit: float
    gap_limit: float
    threads: int
    seed: int
    model: ModelSize
    #: EUR a year between the answer and the best possible (the whole model's bound, or the sum of the
    #: parts' bounds when solved by province: then pools across borders are not bounded); None: unknown
    gap_eur: float | None = None
    gap_scope: str = "whole"


@dataclass(frozen=True)
class Provenance:
    seta_version: str
    inputs_sha256: str
    python: str
    dataset: str | None


@dataclass(frozen=True)
class Summary:
    scenario: str
    source: str
    municipalities: int
    domains: tuple[str, ...]
    structures: tuple[str, ...]
    status: Status
    status_text: str
    before: Totals
    after: Totals | None
    change: Totals | None
    #: years until the running saving pays back the one-off transition (None: no saving or no transition)
    payback_years: float | None
    criteria_before: Criteria
    criteria_after: Criteria | None
    cost_parts_after: CostParts | None
    weights: Criteria
    #: the objective's change split into cash and valuations (None without a solution)
    cash_and_valuations: CashAndValuations | None
    solver: SolverSummary
    provenance: Provenance
    #: services whose quality the scenario diagnoses (the others are estimated from size)
    diagnosed_services: int = 0
    services: int = 0
    #: some structure in play may fail, so "if it works" and "expected, with the risk" differ
    risky: bool = False

    @property
    def conclusive(self) -> bool | None:
        """The proven gap is smaller than the change the answer reports (None without a solution): an
        answer whose gap exceeds its change against the status quo is no advice (docs/model.md)."""
        if self.change is None:
            return None
        share = self.gap_of_change
        return share is not None and share < 1

    @property
    def gap_of_change(self) -> float | None:
        """The proven gap in EUR as a share of the change the answer reports against the status quo:
        the figure that says whether the answer means something where pooling moves the whole cost by
        under 1 % (None without a gap, a change or a solution; 0 when proven)."""
        gap = self.solver.gap_eur
        if self.change is None or gap is None:
            return None
        if gap <= 1e-6 * max(1.0, abs(self.before.objective)):
            return 0.0
        change = abs(self.change.objective)
        return None if change == 0 else gap / change

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data (what `--format json` and summary.json hold)."""
        return asdict(self) | {"conclusive": self.conclusive, "gap_of_change": self.gap_of_change}


@dataclass(frozen=True)
class CashFlow:
    """The answer's cash against the status quo, year by year over the write-off horizon: the one-off
    transition in year 0, the running saving (transition not written off) every year after, and
    their net present value at the scenario's discount rate. Undiscounted, year N's cumulative is
    -one_off + N x yearly."""

    horizon_years: float
    #: the years after year 0: the horizon, a part year counted whole
    years: int
    discount_rate: float
    one_off: float
    #: the running cash saving a year if every pool works (negative: the answer costs more a year)
    yearly: float

    @property
    def flows(self) -> tuple[float, ...]:
        return (-self.one_off, *[self.yearly] * self.years)

    def factor(self, year: int) -> float:
        return 1 / (1 + self.discount_rate) ** year

    @property
    def net_present_value(self) -> float:
        return sum(flow * self.factor(year) for year, flow in enumerate(self.flows))


@dataclass(frozen=True)
class Result:
    instance: Instance
    configuration: Configuration | None
    chosen: Evaluation | None
    baseline: Evaluation
    report: SolverReport
    model_size: ModelSize
    build_seconds: float
    #: when the status quo wins: the best configuration that pools something (None otherwise)
    rejected: Evaluation | None = None
    #: the model was written as an LP file (`--write-lp`)
    wrote_lp: bool = False

    # -- names ---------------------------------------------------------------------------------
    def name_of(self, code: str) -> str:
        if code in self.instance.providers:
            return self.instance.providers[code].name
        return self.instance.municipality[code].name

    def names(self) -> dict[str, str]:
        """Every municipality's and provider's code -> its name."""
        return {code: self.name_of(code) for code in [*self.instance.municipality, *self.instance.providers]}

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
                        unit.staff_cost
                        + unit.agency
                        + unit.governance
                        + unit.travel
                        + unit.transition_one_off / horizon,
                        2,
                    ),
                    "transition_one_off_eur": round(unit.transition_one_off, 2),
                }
            )
        return pd.DataFrame(rows, columns=columns)

    def merged_pools(self) -> pd.DataFrame:
        """One row per pool as a person counts them: the units of one body (a shared service centre,
        one civil service) with the same members are one row, which carries the body's own
        governance, set-up and council saving too; `domains` lists their keys."""
        rows: list[dict[str, Any]] = []
        # a body is one per host and structure (as the evaluator counts it), whatever its domains' members
        bodies: dict[tuple[str, str], dict[str, Any]] = {}
        order = {code: n for n, code in enumerate([*self.instance.codes, *self.instance.providers])}
        for record in self.pools().to_dict("records"):
            row = {str(k): v for k, v in record.items()}
            domain = row.pop("domain")
            structure = self.instance.structures[row["structure"]]
            key = (row["host_code"], row["structure"])
            if structure.scope != "domain" and key in bodies:
                merged = bodies[key]
                merged["domains"].append(domain)
                codes = sorted(
                    set(merged["member_codes"].split()) | set(row["member_codes"].split()), key=order.__getitem__
                )
                merged.update(
                    member_codes=" ".join(codes),
                    members=", ".join(self.name_of(c) for c in codes),
                    n_members=len(codes),
                )
                for figure in ("staff_fte", "annual_cost_eur", "transition_one_off_eur"):
                    merged[figure] += row[figure]
                continue
            row["domains"] = [domain]
            rows.append(row)
            if structure.scope != "domain":
                bodies[key] = row
        horizon = self.instance.scenario.economics.horizon_years
        for body in self.chosen.bodies if self.chosen is not None else []:
            shown = bodies[body.host, body.structure]
            shown["annual_cost_eur"] += body.governance + body.transition_one_off / horizon - body.council_saving
            shown["transition_one_off_eur"] += body.transition_one_off
        columns = ["domains", *(c for c in self.pools().columns if c != "domain")]
        for row in rows:
            row["all_domains"] = len(row["domains"]) == len(self.instance.domains) > 1
            row["domains"] = " ".join(row["domains"])
        return pd.DataFrame(rows, columns=[*columns, "all_domains"])

    def municipalities(self) -> pd.DataFrame:
        """Cost, quality and vulnerability of every municipality before (status quo) and after."""
        rows = []
        for code in self.instance.codes:
            before = municipal_figures(self.instance, self.baseline, code)
            # without a solution there is nothing after: NaN, never the status quo's figures again
            after = (
                municipal_figures(self.instance, self.chosen, code) if self.chosen else dict.fromkeys(before, math.nan)
            )
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
                    "quality_before": round(100 * before["quality"], 2),
                    "quality_after": round(100 * after["quality"], 2),
                    "uncovered_days_before": round(before["uncovered"] * DAYS, 3),
                    "uncovered_days_after": round(after["uncovered"] * DAYS, 3),
                    "pooled_domains": after["pooled"],
                    "transition_one_off_eur": round(after["transition_one_off"], 2),
                    **{f"{part}_change_eur": round(after[part] - before[part], 2) for part in PARTS},
                }
            )
        return pd.DataFrame(rows)

    # -- summary ---------------------------------------------------------------------------------
    def cash_flow(self) -> CashFlow | None:
        """The answer's cash flow against the status quo (None without a solution). The yearly figure
        is the saving that pays back the transition (`Summary.payback_years`)."""
        summary = self.summary()
        if summary.change is None:
            return None
        economics = self.instance.scenario.economics
        horizon = economics.horizon_years
        one_off = summary.change.transition_one_off_eur
        return CashFlow(
            horizon_years=horizon,
            years=max(1, math.ceil(horizon)),
            discount_rate=economics.discount_rate,
            one_off=one_off,
            yearly=-summary.change.annual_cost_eur + one_off / horizon,
        )

    def totals(self, evaluation: Evaluation) -> Totals:
        instance = self.instance
        domain_pools = [u for u in evaluation.pools() if instance.structures[u.structure].scope == "domain"]
        return Totals(
            annual_cost_eur=evaluation.if_works["cost"],
            transition_one_off_eur=evaluation.transition_one_off,
            quality_index=quality_index(instance, evaluation),
            uncovered_days=uncovered_days(evaluation),
            pools=len(domain_pools) + len(evaluation.bodies),
            new_arrangements=sum(len(u.members) for u in domain_pools) + sum(len(b.members) for b in evaluation.bodies),
            matrix_interfaces=sum(evaluation.coordination_interfaces.values()),
            objective=evaluation.objective,
            expected_annual_cost_eur=evaluation.criteria["cost"],
            objective_if_works=evaluation.objective_if_works,
        )

    def summary(self, lang: str = "en") -> Summary:
        """The answer's totals against the status quo; its status in words in `lang`, the output's
        language (the keys stay English: they are a schema)."""
        before = self.totals(self.baseline)
        after = self.totals(self.chosen) if self.chosen else None
        change = after.minus(before) if after else None
        payback = None
        if after is not None and change is not None:
            # Annual cost already carries the transition written off; payback compares the one-off
            # with the saving on running cost (without the write-off).
            horizon = self.instance.scenario.economics.horizon_years
            running_saving = -change.annual_cost_eur + after.transition_one_off_eur / horizon
            if after.transition_one_off_eur > 0 and running_saving > 0:
                payback = after.transition_one_off_eur / running_saving
        scenario = self.instance.scenario
        report = self.report
        weights = Criteria.of(scenario.weights)
        criteria_before = Criteria.of(self.baseline.criteria)
        criteria_after = Criteria.of(self.chosen.criteria) if self.chosen else None
        split = None if criteria_after is None else CashAndValuations.of(criteria_before, criteria_after, weights)
        return Summary(
            scenario=scenario.name,
            source=scenario.source,
            municipalities=len(self.instance.municipality_codes),
            domains=tuple(self.instance.domains),
            structures=tuple(self.instance.structures),
            status=report.status,
            status_text=report.describe(lang),
            before=before,
            after=after,
            change=change,
            payback_years=payback,
            criteria_before=criteria_before,
            criteria_after=criteria_after,
            cost_parts_after=CostParts(**self.chosen.cost_parts) if self.chosen else None,
            weights=weights,
            cash_and_valuations=split,
            solver=SolverSummary(
                status=report.status,
                reason=report.reason,
                interrupted=report.interrupted,
                objective=report.objective,
                bound=report.bound,
                gap=report.gap,
                seconds=round(report.seconds, 4),
                build_seconds=round(self.build_seconds, 4),
                solver=report.solver,
                solver_version=report.solver_version,
                time_limit=report.options.time_limit,
                gap_limit=report.options.gap,
                threads=report.options.threads,
                seed=report.options.seed,
                model=self.model_size,
                gap_eur=report.gap_eur,
                gap_scope="whole" if report.bound is not None or report.parts_bound is None else "provinces",
            ),
            provenance=Provenance(
                seta_version=seta_version(),
                inputs_sha256=scenario.content_hash(),
                python=platform.python_version(),
                dataset=scenario.dataset,
            ),
            diagnosed_services=sum(
                self.instance.diagnosed(c, d) for c in self.instance.codes for d in self.instance.domains
            ),
            services=len(self.instance.codes) * len(self.instance.domains),
            risky=self.instance.risky,
        )


#: the columns of a comparison of options; an option without a solution has no figures (NaN)
COMPARISON = (
    "option",
    "status",
    "status_text",
    "structures",
    "annual_cost_eur",
    "cost_change_eur",
    "transition_one_off_eur",
    "quality_index",
    "uncovered_days",
    "pools",
    "new_arrangements",
    "matrix_interfaces",
    "manageability_eur",
    "objective",
)


def comparison_table(results: list[tuple[str, Result]], lang: str = "en") -> pd.DataFrame:
    """One row per option: the totals a board compares, on the same axes. An option without a
    solution keeps its status and has no figures: it never borrows the status quo's. Each status in
    words in `lang`."""
    rows = []
    for label, result in results:
        summary = result.summary()
        after = summary.after
        row: dict[str, Any] = {
            "option": label,
            "status": str(result.report.status),
            "status_text": result.report.describe(lang),
        }
        if after is None or result.chosen is None:
            row["structures"] = "-"
            row.update(dict.fromkeys(COMPARISON[4:], math.nan))
        else:
            row.update(
                structures=", ".join(sorted({u.structure for u in result.chosen.pools()})) or "none",
                annual_cost_eur=after.annual_cost_eur,
                cost_change_eur=after.annual_cost_eur - summary.before.annual_cost_eur,
                transition_one_off_eur=after.transition_one_off_eur,
                quality_index=after.quality_index,
                uncovered_days=after.uncovered_days,
                pools=after.pools,
                new_arrangements=after.new_arrangements,
                matrix_interfaces=after.matrix_interfaces,
                manageability_eur=result.chosen.criteria["manageability"],
                objective=after.objective,
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COMPARISON))


def quality_index(instance: Instance, evaluation: Evaluation) -> float:
    """The region's quality (0-100, the scale of every output; the model's qualities are 0-1): each
    service's quality weighted by its annual cost."""
    services = evaluation.services.values()
    value = sum(instance.service_value(s.code, s.domain) for s in services)
    quality = sum(s.quality * instance.service_value(s.code, s.domain) for s in services)
    return 100 * quality / value if value else 0.0


def uncovered_days(evaluation: Evaluation) -> float:
    """Days a year a service has nobody present, summed over the services."""
    return DAYS * sum(s.uncovered for s in evaluation.services.values())


def municipal_figures(instance: Instance, evaluation: Evaluation | None, code: str) -> dict[str, Any]:
    """One municipality's cost (by part), quality index, chance of standing empty summed over its
    services, pooled domains and one-off cost under a configuration."""
    assert evaluation is not None
    services = [evaluation.services[code, d] for d in instance.domains]
    value = sum(instance.service_value(code, d) for d in instance.domains)
    quality = sum(s.quality * instance.service_value(code, s.domain) for s in services)
    parts = {part: sum(s.parts.get(part, 0.0) for s in services) for part in PARTS}
    parts["council"] = -evaluation.council_saving.get(code, 0.0)
    parts["risk"] = sum(s.risk_eur for s in services)
    return {
        **parts,
        "cost": sum(s.cost for s in services) - evaluation.council_saving.get(code, 0.0),
        "quality": quality / value if value else 0.0,
        "uncovered": sum(s.uncovered for s in services),
        "pooled": sum(1 for s in services if s.placement.structure != IN_HOUSE),
        "transition_one_off": sum(s.transition_one_off for s in services),
    }
