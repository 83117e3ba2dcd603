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
from optimizer.pipeline import optimize_each
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
    if len(members) > EXACT_MEMBERS:
        raise ValueError(f"{len(members)} members: every coalition is solved only up to {EXACT_MEMBERS}")
    named = []
    for coalition in coalitions(members):
        label = "+".join(code for code in members if code in coalition)
        named.append((label, restrict(scenario, coalition, f"{scenario.name}: {label}"), options))
    values: dict[Coalition, float] = {}
    unproven = set()
    for (_label, restricted, _options), (_name, result) in zip(
        named, optimize_each(named, executor=executor, progress=progress), strict=True
    ):
        coalition = frozenset(m.code for m in restricted.municipalities)
        if result.chosen is None:
            values[coalition] = math.inf
            continue
        values[coalition] = result.chosen.criteria["cost"]
        if result.report.status is not Status.OPTIMAL:
            unproven.add(coalition)
    return Game(members, values, frozenset(unproven))


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
