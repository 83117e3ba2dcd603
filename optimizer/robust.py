"""Advice under uncertain figures (`seta robust`): one solve per draw of the uncertain figures, and
how the nominal recommendation (the scenario's own answer) fares in each.

The draws are space-filling points (Latin hypercube or Sobol) over the scenario's uncertain groups
(`inputs.uncertainty`); every draw is the scenario with its figures at that point, solved to its
own optimum on the study's executor beside the nominal solve. The nominal configuration is then
evaluated under each draw's figures by the independent evaluator: its regret is its weighted
objective (and its cash cost) minus the draw's optimum's. A draw in which the nominal configuration
breaks a rule (a host over its capacity, say) has no regret and is counted apart, as is a draw
without a solution.

Which groups drive the variation is estimated by Spearman's rank correlation between each group's
quantile and the outcome over the draws: with Latin hypercube draws the groups are uncorrelated, so
each coefficient is that group's monotone influence; with n draws a coefficient below about
2/sqrt(n) in size is indistinguishable from noise (its p-value says so).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from inputs.labels import says
from inputs.types import Scenario, SolverOptions, Uncertainty
from inputs.uncertainty import draw_values, quantiles, with_values
from optimizer.control import Progress
from optimizer.evaluate import evaluate
from optimizer.executor import Executor
from optimizer.instance import Configuration
from optimizer.pipeline import optimize_each
from optimizer.result import Result
from optimizer.solve import Status

IN_HOUSE_TEXT = "in house"
#: a regret this small (EUR a year, or relative) is the same configuration's value or a tie
TIE_EUR = 0.01
TIE_RELATIVE = 1e-6
ESTIMATOR = "Spearman rank correlation (scipy.stats.spearmanr) of each group's quantile with the outcome"


@dataclass(frozen=True)
class Draw:
    """One draw: where it lies (a quantile per group), its own optimum and the nominal answer in it."""

    index: int
    quantiles: tuple[float, ...]
    status: str
    #: the draw's optimum: weighted objective and annual cash cost (None without a solution)
    objective: float | None = None
    cash: float | None = None
    #: the annual cash cost of the draw's status quo
    cash_before: float | None = None
    #: the nominal configuration under this draw's figures (None when it breaks a rule here)
    nominal_objective: float | None = None
    nominal_cash: float | None = None
    nominal_breaks: tuple[str, ...] = ()
    #: the draw's pools as (domain, structure, host code)
    pools: frozenset[tuple[str, str, str]] = frozenset()
    #: (municipality code, domain) -> "structure@host" or IN_HOUSE_TEXT
    decisions: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def solved(self) -> bool:
        return self.objective is not None

    @property
    def proven(self) -> bool:
        return self.status == Status.OPTIMAL

    @property
    def regret(self) -> float | None:
        if self.objective is None or self.nominal_objective is None:
            return None
        return self.nominal_objective - self.objective

    @property
    def cash_regret(self) -> float | None:
        if self.cash is None or self.nominal_cash is None:
            return None
        return self.nominal_cash - self.cash

    @property
    def nominal_optimal(self) -> bool:
        regret = self.regret
        if regret is None or self.objective is None:
            return False
        return regret <= TIE_EUR + TIE_RELATIVE * abs(self.objective)


def decisions_of(configuration: Configuration) -> dict[tuple[str, str], str]:
    return {
        key: IN_HOUSE_TEXT if placement.structure == "in_house" else f"{placement.structure}@{placement.host}"
        for key, placement in configuration.items()
    }


def pools_of(result: Result) -> frozenset[tuple[str, str, str]]:
    if result.chosen is None:
        return frozenset()
    return frozenset((u.domain, u.structure, u.host) for u in result.chosen.pools())


@dataclass(frozen=True)
class Study:
    """What `run` hands back: the nominal answer, every draw that ran, and how they were drawn."""

    scenario: Scenario
    nominal: Result
    draws: tuple[Draw, ...]
    planned: int
    groups: tuple[str, ...]
    sampling: str
    seed: int
    seconds: float
    #: why draws are missing when the cluster they ran on failed (None: every draw ran, or Ctrl-C)
    lost: str | None = None

    @property
    def uncertainty(self) -> Uncertainty:
        return self.scenario.uncertainty

    @property
    def solved(self) -> list[Draw]:
        return [d for d in self.draws if d.solved]

    @property
    def without_solution(self) -> list[Draw]:
        return [d for d in self.draws if not d.solved]

    @property
    def comparable(self) -> list[Draw]:
        """Solved draws in which the nominal configuration keeps every rule: those with a regret."""
        return [d for d in self.solved if d.regret is not None]

    def summary(self) -> dict[str, Any]:
        """The headline figures: how often the nominal answer is best, its regret, what is left out."""
        solved, comparable = self.solved, self.comparable
        regrets = np.array([d.regret for d in comparable], dtype=float)
        cash = np.array([d.cash_regret for d in comparable], dtype=float)
        optimal = sum(d.nominal_optimal for d in comparable)

        def spread(values: np.ndarray) -> dict[str, float | None]:
            if not len(values):
                return {"mean": None, "median": None, "p90": None, "p95": None, "worst": None, "best": None}
            return {
                "mean": float(values.mean()),
                "median": float(np.median(values)),
                "p90": float(np.quantile(values, 0.9)),
                "p95": float(np.quantile(values, 0.95)),
                "worst": float(values.max()),
                "best": float(values.min()),
            }

        return {
            "scenario": self.scenario.name,
            "draws_planned": self.planned,
            "draws_run": len(self.draws),
            "draws_lost": self.planned - len(self.draws) if self.lost is not None else 0,
            "lost": self.lost,
            "draws_solved": len(solved),
            "draws_unproven": sum(not d.proven for d in solved),
            "draws_without_solution": len(self.without_solution),
            "nominal_breaks_rules": len(solved) - len(comparable),
            "nominal_optimal": optimal,
            "nominal_optimal_share": optimal / len(comparable) if comparable else None,
            "regret_eur": spread(regrets),
            "cash_regret_eur": spread(cash),
            "groups": list(self.groups),
            "dimensions": len(self.groups),
            "sampling": self.sampling,
            "seed": self.seed,
            "estimator": ESTIMATOR,
            "seconds": round(self.seconds, 2),
        }

    def draws_table(self) -> pd.DataFrame:
        """One row per draw that ran: its quantiles, its optimum and the nominal answer's regret."""
        rows = []
        for d in self.draws:
            rows.append(
                {
                    "draw": d.index,
                    **{f"q_{group}": round(q, 6) for group, q in zip(self.groups, d.quantiles, strict=True)},
                    "status": d.status,
                    "objective_eur": d.objective,
                    "cash_eur": d.cash,
                    "cash_change_eur": None if d.cash is None or d.cash_before is None else d.cash - d.cash_before,
                    "nominal_objective_eur": d.nominal_objective,
                    "nominal_cash_eur": d.nominal_cash,
                    "regret_eur": d.regret,
                    "cash_regret_eur": d.cash_regret,
                    "nominal_optimal": d.nominal_optimal,
                    "nominal_breaks": "; ".join(d.nominal_breaks),
                }
            )
        return pd.DataFrame(rows)

    def pools_table(self) -> pd.DataFrame:
        """Every pool (domain, structure, host) chosen in some draw or in the nominal answer: in how
        many solved draws it is chosen, and the group whose quantile goes most with choosing it."""
        solved = self.solved
        counts: Counter[tuple[str, str, str]] = Counter(p for d in solved for p in d.pools)
        nominal = pools_of(self.nominal)
        rows = []
        for key in sorted(set(counts) | nominal, key=lambda k: (-counts[k], k)):
            chosen = np.array([key in d.pools for d in solved], dtype=float)
            driver, rho = self._driver(chosen, solved)
            domain, structure, host = key
            rows.append(
                {
                    "domain": domain,
                    "structure": structure,
                    "host_code": host,
                    "host": self.nominal.name_of(host),
                    "in_nominal": key in nominal,
                    "draws_chosen": counts[key],
                    "share": counts[key] / len(solved) if solved else math.nan,
                    "driver": driver,
                    "driver_rho": rho,
                }
            )
        return pd.DataFrame(rows)

    def decisions_table(self) -> pd.DataFrame:
        """Every municipality x domain: the nominal choice, how often a draw keeps it, and the
        choice made most often."""
        solved = self.solved
        assert self.nominal.configuration is not None
        nominal = decisions_of(self.nominal.configuration)
        rows = []
        for (code, domain), choice in nominal.items():
            counts = Counter(d.decisions.get((code, domain), "") for d in solved)
            common, common_count = counts.most_common(1)[0] if counts else ("", 0)
            rows.append(
                {
                    "code": code,
                    "municipality": self.nominal.name_of(code),
                    "domain": domain,
                    "nominal": choice,
                    "nominal_share": counts[choice] / len(solved) if solved else math.nan,
                    "most_often": common,
                    "most_often_share": common_count / len(solved) if solved else math.nan,
                }
            )
        return pd.DataFrame(rows)

    def drivers_table(self) -> pd.DataFrame:
        """Per group: its rank correlation (and p-value) with the nominal answer's regret, with the
        draw's optimal cash change, and with the draw's optimal weighted objective."""
        comparable, solved = self.comparable, self.solved
        outcomes: dict[str, tuple[list[Draw], np.ndarray]] = {
            "regret": (comparable, np.array([d.regret for d in comparable], dtype=float)),
            "cash_change": (
                solved,
                np.array([(d.cash or 0.0) - (d.cash_before or 0.0) for d in solved], dtype=float),
            ),
            "objective": (solved, np.array([d.objective for d in solved], dtype=float)),
        }
        rows = []
        for position, group in enumerate(self.groups):
            row: dict[str, Any] = {"group": group, "label": self.uncertainty.label(group)}
            for outcome, (draws, values) in outcomes.items():
                x = np.array([d.quantiles[position] for d in draws], dtype=float)
                rho, p = _spearman(x, values)
                row[f"rho_{outcome}"] = rho
                row[f"p_{outcome}"] = p
            rows.append(row)
        table = pd.DataFrame(rows)
        if table.empty:
            return table
        order = table["rho_regret"].abs().fillna(0) + table["rho_objective"].abs().fillna(0) / 1000
        return table.loc[order.sort_values(ascending=False).index].reset_index(drop=True)

    def _driver(self, values: np.ndarray, draws: list[Draw]) -> tuple[str, float]:
        """The group most rank-correlated with `values` over `draws` ('' when nothing varies)."""
        best, best_rho = "", math.nan
        for position, group in enumerate(self.groups):
            rho, _p = _spearman(np.array([d.quantiles[position] for d in draws], dtype=float), values)
            if not math.isnan(rho) and (math.isnan(best_rho) or abs(rho) > abs(best_rho)):
                best, best_rho = group, rho
        return best, best_rho


def _spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Rank correlation and its p-value; NaN when either side does not vary or there are under 3 draws."""
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return math.nan, math.nan
    from scipy.stats import spearmanr

    outcome = spearmanr(x, y)
    return float(outcome.statistic), float(outcome.pvalue)


def draw_scenarios(scenario: Scenario, draws: int, seed: int, sampling: str) -> tuple[np.ndarray, list[Scenario]]:
    """The draws' quantiles (one row each) and the scenario at each."""
    uncertainty = scenario.uncertainty
    points = quantiles(len(uncertainty.groups), draws, seed, sampling)
    return points, [with_values(scenario, values) for values in draw_values(uncertainty, points)]


def run(
    scenario: Scenario,
    options: SolverOptions,
    draws: int,
    *,
    seed: int = 0,
    sampling: str = "lhs",
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> Study:
    """Solve the scenario and `draws` draws of its uncertain figures on one executor (the nominal
    solve first), then evaluate the nominal answer under each draw. After Ctrl-C (the executor's stop
    flag), the draws that finished are kept and the rest are left out (`Study.planned` says how many
    were asked for)."""
    started = time.perf_counter()
    points, scenarios = draw_scenarios(scenario, draws, seed, sampling)
    # the labels are the progress lines' words
    named = [(says("nominal", "nominaal"), scenario, options)] + [
        (says(f"draw {n}", f"trekking {n}"), replace(drawn, name=f"{scenario.name}, draw {n}"), options)
        for n, drawn in enumerate(scenarios, start=1)
    ]
    results = optimize_each(named, executor=executor, progress=progress)
    nominal = results[0][1]
    kept = []
    for n, (_label, result) in enumerate(results[1:], start=1):
        if result.report.interrupted:
            continue  # cut short by Ctrl-C or a lost cluster (a split draw would hold its stopped parts' status quo)
        kept.append(_draw(n, tuple(float(q) for q in points[n - 1]), result, nominal.configuration))
    groups = scenario.uncertainty.groups
    lost = executor.lost if executor is not None else None
    seconds = time.perf_counter() - started
    return Study(scenario, nominal, tuple(kept), draws, groups, sampling, seed, seconds, lost)


def _draw(index: int, point: tuple[float, ...], result: Result, nominal: Configuration | None) -> Draw:
    cash_before = result.baseline.criteria["cost"]
    if result.chosen is None:
        return Draw(index, point, str(result.report.status), cash_before=cash_before)
    draw = Draw(
        index,
        point,
        str(result.report.status),
        objective=result.chosen.objective,
        cash=result.chosen.criteria["cost"],
        cash_before=cash_before,
        pools=pools_of(result),
        decisions=decisions_of(result.configuration or {}),
    )
    if nominal is None:
        return draw
    there = evaluate(result.instance, nominal)
    if there.violations:
        return replace(draw, nominal_breaks=tuple(there.violations))
    return replace(draw, nominal_objective=there.objective, nominal_cash=there.criteria["cost"])
