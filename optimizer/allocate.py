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

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from inputs.types import Scenario, SolverOptions
from optimizer.control import Progress
from optimizer.decompose import restrict
from optimizer.executor import Executor
from optimizer.instance import IN_HOUSE
from optimizer.pipeline import optimize_each
from optimizer.result import Result
from optimizer.solve import Status

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

    def value(self, coalition: Coalition) -> float:
        return 0.0 if not coalition else self.values[coalition]

    @property
    def grand(self) -> float:
        return self.value(frozenset(self.members))


def coalitions(members: Sequence[str]) -> list[Coalition]:
    """Every non-empty coalition, the smallest first."""
    return [frozenset(c) for size in range(1, len(members) + 1) for c in itertools.combinations(members, size)]


def coalition_values(
    scenario: Scenario,
    options: SolverOptions,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> Game:
    """Solve the scenario for every coalition of its members (one executor run) and read off each
    one's annual cash cost."""
    members = tuple(m.code for m in scenario.municipalities)
    names = {m.code: m.name for m in scenario.municipalities}
    if len(members) > EXACT_MEMBERS:
        raise ValueError(f"{len(members)} members: every coalition is solved only up to {EXACT_MEMBERS}")
    named = []
    for coalition in coalitions(members):
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
        values[coalition] = result.chosen.criteria["cost"]
        if result.report.status is not Status.OPTIMAL:
            unproven.add(coalition)
    return Game(members, values, frozenset(unproven), grand)


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

#: the parts of a key that vary with the member
VARIABLE = ("inhabitants", "use", "equal")


@dataclass(frozen=True)
class Key:
    """How a pool's cost is split among its members: `fixed` of it in equal shares, the rest by
    `variable` (inhabitants, use: the member's workload in the pool's domains, or equal)."""

    text: str
    variable: str
    fixed: float = 0.0


class BadKey(ValueError):
    pass


def parse_key(text: str) -> Key:
    """'inhabitants', 'use', 'equal', or 'fixed:0.3+use' (30 % in equal shares, 70 % by use)."""
    cleaned = text.strip().lower()
    expected = "expected inhabitants, use, equal, or fixed:SHARE+inhabitants or fixed:SHARE+use (SHARE from 0 to 1)"
    if cleaned in VARIABLE:
        return Key(cleaned, cleaned)
    head, plus, variable = cleaned.partition("+")
    word, colon, share = head.partition(":")
    if word != "fixed" or not colon or not plus or variable not in ("inhabitants", "use"):
        raise BadKey(f"unknown key '{text}'; {expected}")
    try:
        fixed = float(share)
    except ValueError:
        raise BadKey(f"'{share}' in '{text}' is not a number; {expected}") from None
    if not 0 <= fixed <= 1:
        raise BadKey(f"the fixed share {fixed:g} in '{text}' is outside 0-1; {expected}")
    return Key(cleaned, variable, fixed)


@dataclass(frozen=True)
class PoolShare:
    """One member's part of one pool under a key."""

    pool: str  # "domain structure@host" or, for a body of several domains, "structure@host"
    member: str
    share: float
    cost: float


def pool_shares(result: Result, key: Key) -> list[PoolShare]:
    """Every pool of the chosen configuration, its annual cash cost split among its members by `key`.
    A pool's cost is what the evaluator charges its members together (staff, agency, governance,
    travel and transition written off); a body of several domains is one pool."""
    assert result.chosen is not None
    instance = result.instance
    pools: dict[str, dict[str, float]] = {}
    domains_of: dict[str, set[str]] = {}
    for (code, domain), service in result.chosen.services.items():
        placement = service.placement
        if placement.structure == IN_HOUSE:
            continue
        scope = instance.structures[placement.structure].scope
        label = f"{placement.structure}@{placement.host}"
        if scope == "domain":
            label = f"{domain} {label}"
        pools.setdefault(label, {})
        pools[label][code] = pools[label].get(code, 0.0) + service.cost
        domains_of.setdefault(label, set()).add(domain)
    shares = []
    for label, charged in pools.items():
        members = list(charged)
        total = sum(charged.values())
        if key.variable == "inhabitants":
            weight = {m: float(instance.municipality[m].population) for m in members}
        elif key.variable == "use":
            weight = {m: sum(instance.workload[m, d] for d in domains_of[label]) for m in members}
        else:
            weight = dict.fromkeys(members, 1.0)
        whole = sum(weight.values())
        for member in members:
            variable = weight[member] / whole if whole > 0 else 1 / len(members)
            share = key.fixed / len(members) + (1 - key.fixed) * variable
            shares.append(PoolShare(label, member, share, share * total))
    return shares


def member_costs(result: Result, key: Key) -> dict[str, float]:
    """Each member's annual cash cost when every pool is split by `key`: its own departments, its
    pool shares, less its council saving (amalgamation)."""
    assert result.chosen is not None
    costs = dict.fromkeys(result.instance.codes, 0.0)
    for (code, _domain), service in result.chosen.services.items():
        if service.placement.structure == IN_HOUSE:
            costs[code] += service.cost
    for part in pool_shares(result, key):
        costs[part.member] += part.cost
    for code, saving in result.chosen.council_saving.items():
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
    stats = problem.solve(pulp.HiGHS(msg=False))
    if stats.status != pulp.LpSolveStatus.Optimal:
        return None
    return {code: float(pay[code].varValue or 0.0) for code in members}
