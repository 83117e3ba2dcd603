"""Fair shares between the members of a scenario: the cash cost of every coalition, the Shapley value,
and the coalitions that would be better off on their own (the core check).

The value of a coalition is the annual cash cost of the scenario restricted to its members (the
rules that involve only them apply), at the configuration that is best on the scenario's weighted
objective: what those members would pay if they cooperated among themselves alone. A one-member
coalition is that member's stand-alone cost, which may use an outside provider. A coalition whose own
rules leave it no configuration has no value of its own (infinite cost): it cannot stand alone, so it
blocks nothing. Every coalition is a solve, on the study's executor; exact up to `EXACT_MEMBERS`.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from inputs.keys import Key
from inputs.types import Scenario, SolverOptions
from optimizer.control import Progress
from optimizer.decompose import restrict
from optimizer.evaluate import Evaluation
from optimizer.executor import Executor
from optimizer.instance import IN_HOUSE, Instance
from optimizer.pipeline import optimize_each
from optimizer.result import DAYS, Result, municipal_figures
from optimizer.shares import pool_shares
from optimizer.solve import Status, quiet_stdout

#: members up to which every coalition is solved (2^10 - 1 = 1,023 solves)
EXACT_MEMBERS = 10
#: EUR a year by which a coalition must be better off alone to count as blocking (rounding aside)
BLOCKING_EUR = 0.5

Coalition = frozenset[str]


@dataclass(frozen=True)
class Game:
    """The coalition values of a scenario's members (codes, in the scenario's order)."""

    members: tuple[str, ...]
    #: coalition -> annual cash cost (math.inf: the coalition has no configuration of its own)
    values: Mapping[Coalition, float]
    #: coalitions whose value is not proven optimal (a time limit stopped their solve)
    unproven: frozenset[Coalition] = frozenset()
    #: the grand coalition's solve: the configuration whose cost the keys split
    result: Result | None = None
    #: sampled orders of joining, when not every coalition was solved (too many members)
    orders: tuple[tuple[str, ...], ...] = ()

    @property
    def exact(self) -> bool:
        """Every coalition solved: the Shapley value, the core check and the stable split are exact."""
        return not self.orders

    def value(self, coalition: Coalition) -> float:
        return 0.0 if not coalition else self.values[coalition]

    @property
    def grand(self) -> float:
        return self.value(frozenset(self.members))


def coalitions(members: Sequence[str]) -> list[Coalition]:
    """Every non-empty coalition, the smallest first."""
    return [frozenset(c) for size in range(1, len(members) + 1) for c in itertools.combinations(members, size)]


def sampled_orders(members: Sequence[str], count: int, seed: int = 0) -> tuple[tuple[str, ...], ...]:
    """`count` orders of joining: random ones, each followed by its reverse (antithetic pairs: a member
    early in one is late in the other, which halves much of the sampling variance of its marginal
    cost, since joining early and late differ most)."""
    import random

    generator = random.Random(seed)
    orders: list[tuple[str, ...]] = []
    while len(orders) < count:
        order = list(members)
        generator.shuffle(order)
        orders.append(tuple(order))
        if len(orders) < count:
            orders.append(tuple(reversed(order)))
    return tuple(orders)


def coalition_values(
    scenario: Scenario,
    options: SolverOptions,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    orders: Sequence[tuple[str, ...]] = (),
) -> Game:
    """Solve the scenario for every coalition of its members (one executor run) and read off each
    one's annual cash cost; with `orders`, only the coalitions along those orders of joining (every
    prefix), for a sampled Shapley value."""
    members = tuple(m.code for m in scenario.municipalities)
    names = {m.code: m.name for m in scenario.municipalities}
    if not orders and len(members) > EXACT_MEMBERS:
        raise ValueError(f"{len(members)} members: every coalition is solved only up to {EXACT_MEMBERS}")
    wanted = coalitions(members)
    if orders:
        along = {frozenset(order[:size]) for order in orders for size in range(1, len(order) + 1)}
        along |= {frozenset([code]) for code in members}  # each member's stand-alone cost, for every split
        wanted = sorted(along, key=lambda c: (len(c), sorted(c)))
    named = []
    for coalition in wanted:
        label = " + ".join(names[code] for code in members if code in coalition)
        named.append((label, restrict(scenario, coalition, f"{scenario.name}: {label}"), options))
    values: dict[Coalition, float] = {}
    unproven = set()
    grand: Result | None = None
    for (_label, restricted, _options), (_name, result) in zip(
        named, optimize_each(named, executor=executor, progress=progress), strict=True
    ):
        coalition = frozenset(m.code for m in restricted.municipalities)
        if len(coalition) == len(members):
            grand = result
        if result.chosen is None:
            values[coalition] = math.inf
            continue
        values[coalition] = result.chosen.if_works["cost"]
        if result.report.status is not Status.OPTIMAL:
            unproven.add(coalition)
    return Game(members, values, frozenset(unproven), grand, tuple(orders))


def shapley(game: Game) -> dict[str, float]:
    """Each member's Shapley value: its marginal cost averaged over every order in which the members
    could join. Efficient (the values add up to the grand coalition's cost) and symmetric (members
    who change every coalition alike get the same). Needs every coalition to have a finite value."""
    n = len(game.members)
    weights = [math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n) for k in range(n)]
    values = {}
    for member in game.members:
        others = [m for m in game.members if m != member]
        total = 0.0
        for size in range(n):
            for rest in itertools.combinations(others, size):
                coalition = frozenset(rest)
                total += weights[size] * (game.value(coalition | {member}) - game.value(coalition))
        values[member] = total
    return values


def shapley_sampled(game: Game) -> tuple[dict[str, float], dict[str, float]]:
    """The Shapley value estimated over the game's sampled orders of joining, and each member's
    standard error (the spread of its marginal costs over the orders, over the square root of their
    number; antithetic pairs count as one draw, being dependent). Efficient exactly: in every order
    the marginal costs add up to the grand coalition's cost."""
    marginals: dict[str, list[float]] = {m: [] for m in game.members}
    for order in game.orders:
        before: Coalition = frozenset()
        for member in order:
            after = before | {member}
            marginals[member].append(game.value(after) - game.value(before))
            before = after
    values = {m: sum(costs) / len(costs) for m, costs in marginals.items()}
    errors = {}
    for member, costs in marginals.items():
        # an order and its reverse are one draw: average each pair first
        pairs = [sum(costs[i : i + 2]) / len(costs[i : i + 2]) for i in range(0, len(costs), 2)]
        if len(pairs) < 2:
            errors[member] = math.inf
            continue
        mean = sum(pairs) / len(pairs)
        variance = sum((x - mean) ** 2 for x in pairs) / (len(pairs) - 1)
        errors[member] = math.sqrt(variance / len(pairs))
    return values, errors


@dataclass(frozen=True)
class Blocking:
    """A coalition that would pay less on its own than an allocation charges it."""

    coalition: Coalition
    charged: float
    alone: float

    @property
    def gain(self) -> float:
        return self.charged - self.alone


def blocking(game: Game, allocation: Mapping[str, float]) -> list[Blocking]:
    """Every proper coalition better off on its own than under `allocation` (the core's constraints
    that fail), the largest gain first; none means the allocation is in the core."""
    found = []
    grand = frozenset(game.members)
    for coalition, alone in game.values.items():
        if coalition == grand or math.isinf(alone):
            continue
        charged = sum(allocation[code] for code in coalition)
        if charged > alone + BLOCKING_EUR:
            found.append(Blocking(coalition, charged, alone))
    return sorted(found, key=lambda b: -b.gain)


# -- keys (verdeelsleutels) -----------------------------------------------------------------------


def member_costs(instance: Instance, chosen: Evaluation, key: Key) -> dict[str, float]:
    """Each member's annual cash cost when every pool of the configuration is split by `key`: its
    own departments, its pool shares, less its council saving (amalgamation)."""
    costs = dict.fromkeys(instance.codes, 0.0)
    for (code, _domain), service in chosen.services.items():
        if service.placement.structure == IN_HOUSE:
            costs[code] += service.cost
    for part in pool_shares(instance, chosen.services, key):
        costs[part.member] += part.cost
    for code, saving in chosen.council_saving.items():
        costs[code] -= saving
    return costs


def equal_profit(game: Game) -> dict[str, float] | None:
    """A stable split: in the core (no group pays more than on its own; the members pay the grand
    coalition's cost together) with the members' relative savings as equal as the core allows (the
    equal-profit method of Frisk, Goethe-Lundgren, Joernsten & Roennqvist 2010, EJOR 205: minimise
    the largest difference in relative savings). None when the core is empty: then every split
    leaves some group better off on its own."""
    import pulp

    members = game.members
    problem = pulp.LpProblem("equal_profit", pulp.LpMinimize)
    pay = {code: problem.add_variable(f"pay_{n}") for n, code in enumerate(members)}
    spread = problem.add_variable("spread", 0)
    problem += spread
    problem += pulp.lpSum(pay.values()) == game.grand
    grand = frozenset(members)
    for coalition, alone in game.values.items():
        if coalition != grand and not math.isinf(alone):
            problem += pulp.lpSum(pay[code] for code in coalition) <= alone
    single = {code: game.value(frozenset([code])) for code in members}
    finite = [code for code in members if not math.isinf(single[code]) and single[code] > 0]
    for first in finite:
        for second in finite:
            if first != second:  # relative saving 1 - pay / alone of `first` minus that of `second`
                problem += pay[second] * (1 / single[second]) - pay[first] * (1 / single[first]) <= spread
    with quiet_stdout():  # HiGHS prints its banner on the process's stdout, where JSON may be going
        stats = problem.solve(pulp.HiGHS(msg=False))
    if stats.status != pulp.LpSolveStatus.Optimal:
        return None
    return {code: float(pay[code].varValue or 0.0) for code in members}


# -- who pays what, as tables ----------------------------------------------------------------------


@dataclass(frozen=True)
class Shares:
    """Fair shares of one scenario: the coalition game, and the configuration whose annual cash cost
    the keys split (the best one, or one given)."""

    game: Game
    keys: tuple[Key, ...]
    #: the configuration the keys split
    chosen: Evaluation
    #: whether `chosen` was given (seta solve --out) rather than the best one
    given: bool = False

    @property
    def result(self) -> Result:
        assert self.game.result is not None
        return self.game.result

    @property
    def total(self) -> float:
        """The annual cash cost the keys split: the bill while the pools work (the risk that one is
        undone is in the configuration's choice, not in what its members pay for it)."""
        return self.chosen.if_works["cost"]

    @functools.cached_property
    def splits(self) -> dict[str, dict[str, float]]:
        """Each way of splitting (each key, the Shapley value, the stable split where the core is
        not empty) -> member -> annual cash cost."""
        instance = self.result.instance
        splits = {key.text: member_costs(instance, self.chosen, key) for key in self.keys}
        if not self.game.exact:
            splits["shapley"] = self.sampled[0]
            return splits  # the core constraints are not all known: no stable split
        splits["shapley"] = shapley(self.game)
        stable = equal_profit(self.game)
        if stable is not None:
            splits["equal_profit"] = stable
        return splits

    @functools.cached_property
    def sampled(self) -> tuple[dict[str, float], dict[str, float]]:
        """A sampled game's Shapley value and standard errors."""
        return shapley_sampled(self.game)

    @property
    def shapley_errors(self) -> dict[str, float] | None:
        """Each member's standard error of the Shapley value, where it was sampled."""
        return None if self.game.exact else self.sampled[1]

    def table(self) -> pd.DataFrame:
        """One row per member and way of splitting: the annual cash cost, the stand-alone cost and
        the change against standing alone (the share minus the stand-alone cost: negative, the member
        pays less in the pool; the sign rule of every output)."""
        rows = []
        for code in self.game.members:
            alone = self.game.value(frozenset([code]))
            for split, costs in self.splits.items():
                rows.append(
                    {
                        "code": code,
                        "municipality": self.result.name_of(code),
                        "split": split,
                        "annual_cost_eur": round(costs[code], 2),
                        "alone_eur": round(alone, 2),
                        "change_against_alone_eur": round(costs[code] - alone, 2),
                    }
                )
        return pd.DataFrame(rows)

    def blocking(self) -> pd.DataFrame:
        """Under each split, every group of members that would pay less on its own, and how much
        (`change_if_alone_eur`: alone minus charged, negative)."""
        rows: list[dict[str, Any]] = []
        for split, costs in self.splits.items():
            for found in blocking(self.game, costs):
                members = [code for code in self.game.members if code in found.coalition]
                rows.append(
                    {
                        "split": split,
                        "coalition": ", ".join(self.result.name_of(code) for code in members),
                        "charged_eur": round(found.charged, 2),
                        "alone_eur": round(found.alone, 2),
                        "change_if_alone_eur": round(-found.gain, 2),
                    }
                )
        return pd.DataFrame(rows, columns=["split", "coalition", "charged_eur", "alone_eur", "change_if_alone_eur"])

    def valuations(self) -> pd.DataFrame:
        """What each member gains beside money in the configuration the keys split: its quality
        index and the days a year its services stand empty, before and after. Kept apart from the
        cash: no key divides a valuation, and a council weighs both."""
        result = self.result
        rows = []
        for code in result.instance.codes:
            before = municipal_figures(result.instance, result.baseline, code)
            after = municipal_figures(result.instance, self.chosen, code)
            rows.append(
                {
                    "code": code,
                    "municipality": result.name_of(code),
                    "quality_before": round(100 * before["quality"], 2),
                    "quality_after": round(100 * after["quality"], 2),
                    "uncovered_days_before": round(before["uncovered"] * DAYS, 2),
                    "uncovered_days_after": round(after["uncovered"] * DAYS, 2),
                }
            )
        return pd.DataFrame(rows)


def fair_shares(
    scenario: Scenario,
    options: SolverOptions,
    keys: Sequence[Key],
    chosen: Evaluation | None = None,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    orders: int = 0,
    seed: int = 0,
) -> Shares:
    """Solve every coalition (or, beyond `EXACT_MEMBERS`, those along `orders` sampled orders of
    joining) and split the best configuration (or `chosen`) by `keys`."""
    members = [m.code for m in scenario.municipalities]
    sample = sampled_orders(members, orders, seed) if len(members) > EXACT_MEMBERS else ()
    game = coalition_values(scenario, options, executor=executor, progress=progress, orders=sample)
    assert game.result is not None
    best = game.result.chosen
    split = chosen if chosen is not None else best
    if split is None:  # no configuration for the members together: nothing to split
        split = game.result.baseline
    return Shares(game, tuple(keys), split, given=chosen is not None)
