"""Solve a model so that nobody pays more for a pool than alone (politics.participation).

The guarantee is written into the model as linear rows (`optimizer.formulation.participation`): exact for
every key and every kind of pool. This module checks each solution with the independent evaluator
all the same, and where a pool breaks the guarantee (a pool the rows leave out: one whose candidates
all weigh nothing under the key) it is cut off (its exact membership excluded: whatever else
changes, that pool costs the same and is split the same) and the model re-solved. Pools are
finitely many, so this ends; each cut removes only configurations that break the guarantee, so the
last solution is the best that keeps it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import pulp

from inputs.labels import clock, euros, number, says, signed, text
from inputs.types import Scenario, SolverOptions
from optimizer.control import Control
from optimizer.evaluate import evaluate
from optimizer.formulation.benders import benders_applies, solve_benders
from optimizer.formulation.connected import separate
from optimizer.formulation.model import Model
from optimizer.formulation.pools import PoolModel, solve_pools
from optimizer.instance import Placement
from optimizer.shares import pool_label
from optimizer.solve import SolverReport, Status, report_without_solution, solve

if TYPE_CHECKING:
    from optimizer.result import Result


#: variables below which a pooling model is solved without presolve: on the built-in regions (72 to
#: 1,776 variables) HiGHS's presolve took longer than it saved, 1.1-4.6 times the time to optimal
#: (benchmarks/README.md, section 6); the national model's provinces (up to 448 services, tens of
#: thousands of variables) keep it. The pool formulation goes without it at any size: whole pools
#: leave presolve little to remove, and it took half the time to optimal or more (Drechtsteden 6.3 s
#: against 3.3 s, Zeeland 15.7 s against 7.4 s, nl-2024's Overijssel 4.8 s against 2.6 s; section 10)
SMALL_MODEL = 5_000


def solve_model(
    model: Model,
    options: SolverOptions,
    control: Control,
    tuning: Mapping[str, Any] | None = None,
) -> SolverReport:
    """`optimizer.solve.solve`, re-solved with cuts until the participation guarantee holds and, where
    the scenario asks, every pool is in one piece of the map (`optimizer.formulation.connected`). A small
    model, and any of the pool formulation, is solved without HiGHS's presolve (see `SMALL_MODEL`)."""
    if options.name == "highs" and (isinstance(model, PoolModel) or model.problem.numVariables() < SMALL_MODEL):
        tuning = {"presolve": "off", **(tuning or {})}
    if isinstance(model, PoolModel):
        report = solve_pools(model, options, control, tuning)
    elif benders_applies(model, options):
        report = solve_benders(model, options, control, tuning)
    else:
        report = solve(model.problem, options, control, tuning)
    instance = model.instance
    guarded = instance.scenario.politics.participation is not None
    connected = instance.scenario.limits.connected_pools
    if model.formulation != "textbook" or not (guarded or connected):
        return report
    cuts = apart = 0
    while report.has_solution:
        breaches = evaluate(instance, model.configuration()).overpaid if guarded else []
        split = separate(model, apart) if connected else 0
        if not breaches and not split:
            break
        stop = control.should_stop()
        if stop is not None:  # the solution in hand breaks a rule: it is no answer
            made = cuts + apart + split
            if stop == "Interrupted":
                reason = says("interrupted by the user", "onderbroken door de gebruiker")
            else:
                reason = says("the time limit ran out", "de tijdslimiet was op")
            if breaches:
                broken = says(
                    f"while pools that break the participation guarantee were being cut off ({made} cuts so far)",
                    f"terwijl pools die de deelnamegarantie breken werden uitgesloten ({made} sneden tot nu toe)",
                )
            else:
                broken = says(
                    f"while pools that fall apart on the map were being cut off ({made} cuts so far)",
                    f"terwijl pools die op de kaart uiteenvallen werden uitgesloten ({made} sneden tot nu toe)",
                )
            return report_without_solution(
                options,
                Status.ERROR,
                f"{reason} {broken}",
                control.elapsed(),
                stop == "Interrupted",
                stop == "TimeLimit",
            )
        for pool in sorted({b.pool for b in breaches}):
            cuts += 1
            exclude_pool(model, pool, f"guarantee_{cuts}")
        apart += split
        if breaches:
            control.say(
                f"  {clock(control.elapsed())}  "
                + says(
                    f"{cuts} pool(s) cut off that break the participation guarantee",
                    f"{cuts} pool(s) uitgesloten die de deelnamegarantie breken",
                )
            )
        if split:
            control.say(
                f"  {clock(control.elapsed())}  "
                + says(
                    f"{apart} cut(s) that keep pools in one piece of the map",
                    f"{apart} snede(n) die pools aaneengesloten op de kaart houden",
                )
            )
        report = solve(model.problem, options, control, tuning)
    return report


def exclude_pool(model: Model, pool: str, name: str) -> None:
    """Forbid the pool's present membership: its chosen member variables less the others of its
    candidates sum to at most (chosen - 1)."""
    instance = model.instance
    chosen: dict[str, pulp.LpVariable] = {}
    others: dict[str, pulp.LpVariable] = {}
    for unit in model.variables.units:
        if pool_label(instance, unit.domain, Placement(unit.host, unit.structure.key)) != pool:
            continue
        for var in unit.members.values():  # an all-domain body's units share their member variables
            (chosen if (var.varValue or 0.0) > 0.5 else others)[var.name] = var
    assert chosen, f"no chosen member variables for pool {pool}"
    terms = [(var, 1.0) for var in chosen.values()] + [(var, -1.0) for var in others.values()]
    model.problem.addConstraint(pulp.lpSum_vars_coefs(terms) <= len(chosen) - 1, name)


def without_guarantee(scenario: Scenario) -> Scenario:
    return replace(scenario, politics=replace(scenario.politics, participation=None))


@dataclass(frozen=True)
class Price:
    """What the participation guarantee costs: the best configuration with it against without it."""

    key: str
    objective: float
    objective_without: float
    cash: float
    cash_without: float
    #: both solves reached their optimum (else the price is an estimate)
    proven: bool

    @property
    def weighted(self) -> float:
        return self.objective - self.objective_without

    @property
    def percent(self) -> float:
        return 100 * self.weighted / abs(self.objective_without) if self.objective_without else 0.0

    def describe(self, lang: str = "en") -> str:
        estimate = text(
            lang,
            " (a solve was not proven optimal: an estimate)",
            " (een oplossing is niet bewezen optimaal: een schatting)",
        )
        estimate = "" if self.proven else estimate
        key = text(
            lang,
            self.key,
            {"use": "gebruik", "inhabitants": "inwoners", "equal": "gelijke delen"}.get(self.key, self.key),
        )
        head = text(
            lang,
            f"Participation guarantee (split by {key}): nobody pays more for a pool than alone.",
            f"Deelnamegarantie (verdeeld naar {key}): niemand betaalt voor een pool meer dan alleen.",
        )
        if abs(self.weighted) < 0.5:
            return text(
                lang,
                f"{head} It costs nothing here: the best configuration keeps it anyway{estimate}.",
                f"{head} Ze kost hier niets: de beste configuratie houdt zich er toch aan{estimate}.",
            )
        weighted, share = euros(self.weighted, lang), number(self.percent, 2, lang)
        cash = signed(self.cash - self.cash_without, lang)
        return text(
            lang,
            f"{head} Its price: {weighted} a year on the weighted objective ({share} %), {cash} a year in cash, "
            f"against the best configuration without it{estimate}.",
            f"{head} Haar prijs: {weighted} per jaar op de gewogen doelfunctie ({share} %), {cash} per jaar in geld, "
            f"tegenover de beste configuratie zonder garantie{estimate}.",
        )


def price(guarded: Result, free: Result) -> Price | None:
    """The price of the guarantee, from the same scenario solved with and without it."""
    key = guarded.instance.scenario.politics.participation
    if key is None or guarded.chosen is None or free.chosen is None:
        return None
    return Price(
        key.text,
        guarded.chosen.objective,
        free.chosen.objective,
        guarded.chosen.criteria["cost"],
        free.chosen.criteria["cost"],
        guarded.report.status is Status.OPTIMAL and free.report.status is Status.OPTIMAL,
    )
