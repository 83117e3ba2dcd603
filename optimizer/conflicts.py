"""Why there is no solution: which of a scenario's rules conflict, in domain words with the scenario
keys that set them, and the smallest change to one limit that lifts the conflict.

Every rule a scenario sets (a forced or excluded service, a pair kept apart or forced together, a
limit, a structure's member bounds) is an item that can be relaxed. With every item relaxed the
scenario must be feasible, else the conflict lies in what no key sets. A deletion filter then drops
items one at a time, keeping an item only when the scenario becomes feasible without it: what is
left is a set of rules that conflict, none of them superfluous (an irreducible set, found by
re-solving: HiGHS's own irreducible infeasible subset is weak for MIPs). Each re-solve stops at the
first configuration it finds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from inputs.labels import figure, language, says
from inputs.labels import name as display_name
from inputs.types import ForcedPair, Scenario, SolverOptions
from optimizer.control import StopFlag
from optimizer.instance import Instance
from optimizer.solve import Status
from optimizer.task import solve_task


@dataclass(frozen=True)
class Rule:
    """One rule of the scenario: the key that sets it, what it says, and the scenario without it."""

    key: str
    words: str
    relax: Callable[[Scenario], Scenario]
    #: a limit with a number: (its value, the value that no longer binds, whole numbers only)
    limit: tuple[float, float, bool] | None = None
    adjust: Callable[[Scenario, float], Scenario] | None = None


@dataclass(frozen=True)
class Change:
    key: str
    used: float
    needed: float


@dataclass(frozen=True)
class Conflict:
    #: the rules that cannot all hold (empty: the conflict is in what no key sets)
    rules: tuple[Rule, ...]
    #: the smallest change to one limit among them that makes the scenario feasible
    changes: tuple[Change, ...]
    #: re-solves spent; False when one stopped at its time limit (the set may then be larger than needed)
    solves: int
    proven: bool


def rules(scenario: Scenario) -> list[Rule]:
    """Every rule the scenario sets, in the order of its file."""
    name = {m.code: m.name for m in scenario.municipalities}
    politics, limits = scenario.politics, scenario.limits
    lang = language()

    found: list[Rule] = []
    for code, domains in sorted(politics.forced.items()):
        for domain in sorted(domains):
            found.append(
                Rule(
                    f"politics.force.{name[code]}",
                    says(
                        f"{name[code]} must pool {domain}",
                        f"{name[code]} moet {display_name(domain, 'nl')} in een pool brengen",
                    ),
                    _without_forced(code, domain),
                )
            )
    for code, domains in sorted(politics.excluded.items()):
        for domain in sorted(domains):
            found.append(
                Rule(
                    f"politics.exclude.{name[code]}",
                    says(
                        f"{name[code]} keeps {domain} in house",
                        f"{name[code]} houdt {display_name(domain, 'nl')} in eigen huis",
                    ),
                    _without_excluded(code, domain),
                )
            )
    for a, b in sorted(politics.excluded_pairs):
        found.append(
            Rule(
                "politics.excluded_pairs",
                says(f"{name[a]} and {name[b]} never share a pool", f"{name[a]} en {name[b]} delen nooit een pool"),
                _without_pair(a, b),
            )
        )
    for index, forced in enumerate(politics.forced_pairs):
        found.append(
            Rule(
                f"politics.forced_pairs[{index}]",
                says(
                    f"{name[forced.a]} and {name[forced.b]} must share a pool for {', '.join(forced.domains)}",
                    f"{name[forced.a]} en {name[forced.b]} moeten een pool delen voor "
                    + ", ".join(display_name(d, "nl") for d in forced.domains),
                ),
                _without_forced_pair(forced),
            )
        )
    if politics.participation is not None:
        key_text = politics.participation.text
        found.append(
            Rule(
                "politics.participation",
                says(
                    f"no member pays more for a pool, split by {key_text}, than its work costs alone",
                    f"geen lid betaalt voor een pool, verdeeld naar {key_text}, meer dan zijn werk alleen kost",
                ),
                _without_participation,
            )
        )
    services = len(scenario.municipalities) * len(scenario.domains)
    numbers: list[tuple[str, float | None, float, bool, str]] = [
        (
            "max_travel_km",
            limits.max_travel_km,
            _farthest(scenario),
            False,
            says("no member is farther than {} km from its host", "geen lid ligt verder dan {} km van zijn gastheer"),
        ),
        (
            "max_arrangements",
            limits.max_arrangements,
            services + 100,
            True,
            says(
                "no municipality carries more than {} joint arrangements",
                "geen gemeente draagt meer dan {} gemeenschappelijke regelingen",
            ),
        ),
        ("max_pools", limits.max_pools, services, True, says("at most {} pools", "hoogstens {} pools")),
        (
            "max_matrix_units",
            limits.max_matrix_units,
            services,
            True,
            says("at most {} matrix units", "hoogstens {} matrixeenheden"),
        ),
        (
            "host_capacity_factor",
            limits.host_capacity_factor,
            100.0,
            False,
            says(
                "a host absorbs at most {} times its own staff",
                "een gastheer neemt hoogstens {} keer zijn eigen personeel op",
            ),
        ),
    ]
    for field, value, loose, whole, words in numbers:
        if value is not None:
            found.append(
                Rule(
                    f"limits.{field}",
                    words.format(figure(value, lang)),
                    _limit(field, None),
                    (float(value), float(loose), whole),
                    _set_limit(field, whole),
                )
            )
    n = len(scenario.municipalities)
    for structure in scenario.structures:
        key = structure.key
        if structure.max_members < n:
            found.append(
                Rule(
                    f"structures.{key}.max_members",
                    says(
                        f"a {key} has at most {structure.max_members} members",
                        f"een {display_name(key, 'nl')} heeft hoogstens {structure.max_members} leden",
                    ),
                    _structure(key, "max_members", n),
                    (float(structure.max_members), float(n), True),
                    _set_structure(key, "max_members"),
                )
            )
        if structure.min_members > 2:
            found.append(
                Rule(
                    f"structures.{key}.min_members",
                    says(
                        f"a {key} has at least {structure.min_members} members",
                        f"een {display_name(key, 'nl')} heeft minstens {structure.min_members} leden",
                    ),
                    _structure(key, "min_members", 2),
                    (float(structure.min_members), 2.0, True),
                    _set_structure(key, "min_members"),
                )
            )
        if structure.max_units_per_host is not None and structure.scope != "all":
            found.append(
                Rule(
                    f"structures.{key}.max_units_per_host",
                    says(
                        f"a municipality hosts at most {structure.max_units_per_host} {key} units",
                        f"een gemeente is gastheer van hoogstens {structure.max_units_per_host} eenheden "
                        f"{display_name(key, 'nl')}",
                    ),
                    _structure(key, "max_units_per_host", None),
                    (float(structure.max_units_per_host), float(len(scenario.domains)), True),
                    _set_structure(key, "max_units_per_host"),
                )
            )
    return found


def _set_limit(field: str, whole: bool) -> Callable[[Scenario, float], Scenario]:
    def adjust(scenario: Scenario, value: float) -> Scenario:
        return _limit(field, int(value) if whole else value)(scenario)

    return adjust


def _set_structure(key: str, field: str) -> Callable[[Scenario, float], Scenario]:
    def adjust(scenario: Scenario, value: float) -> Scenario:
        return _structure(key, field, int(value))(scenario)

    return adjust


def _farthest(scenario: Scenario) -> float:
    instance = Instance(scenario)
    return max((instance.distance(a, b) for a in instance.codes for b in instance.codes), default=0.0) + 1.0


def _without_forced(code: str, domain: str) -> Callable[[Scenario], Scenario]:
    def relax(scenario: Scenario) -> Scenario:
        forced = dict(scenario.politics.forced)
        forced[code] = forced.get(code, frozenset()) - {domain}
        return replace(scenario, politics=replace(scenario.politics, forced=forced))

    return relax


def _without_excluded(code: str, domain: str) -> Callable[[Scenario], Scenario]:
    def relax(scenario: Scenario) -> Scenario:
        excluded = dict(scenario.politics.excluded)
        excluded[code] = excluded.get(code, frozenset()) - {domain}
        return replace(scenario, politics=replace(scenario.politics, excluded=excluded))

    return relax


def _without_pair(a: str, b: str) -> Callable[[Scenario], Scenario]:
    def relax(scenario: Scenario) -> Scenario:
        pairs = scenario.politics.excluded_pairs - {(a, b), (b, a)}
        return replace(scenario, politics=replace(scenario.politics, excluded_pairs=pairs))

    return relax


def _without_forced_pair(forced: ForcedPair) -> Callable[[Scenario], Scenario]:
    def relax(scenario: Scenario) -> Scenario:
        pairs = tuple(p for p in scenario.politics.forced_pairs if p != forced)
        return replace(scenario, politics=replace(scenario.politics, forced_pairs=pairs))

    return relax


def _without_participation(scenario: Scenario) -> Scenario:
    return replace(scenario, politics=replace(scenario.politics, participation=None))


def _limit(field: str, value: float | None) -> Callable[[Scenario], Scenario]:
    def relax(scenario: Scenario) -> Scenario:
        figures: dict[str, Any] = {field: value}
        return replace(scenario, limits=replace(scenario.limits, **figures))

    return relax


def _structure(key: str, field: str, value: int | None) -> Callable[[Scenario], Scenario]:
    def relax(scenario: Scenario) -> Scenario:
        figures: dict[str, Any] = {field: value}
        structures = tuple(replace(s, **figures) if s.key == key else s for s in scenario.structures)
        return replace(scenario, structures=structures)

    return relax


class _Feasibility:
    def __init__(self, options: SolverOptions, stop: StopFlag | None) -> None:
        self.options = options
        self.stop = stop
        self.solves = 0
        self.proven = True

    def __call__(self, scenario: Scenario) -> bool:
        """Whether any configuration satisfies every rule of `scenario` (the first one found ends it)."""
        self.solves += 1
        solved = solve_task(
            scenario, self.options, stop=self.stop, formulation="textbook", tuning={"mip_max_improving_sols": 1}
        )
        if solved.configuration is not None:
            return True
        if solved.status is not Status.INFEASIBLE:
            self.proven = False
        return False


def explain_infeasible(scenario: Scenario, options: SolverOptions, stop: StopFlag | None = None) -> Conflict:
    """The rules of `scenario` that conflict (an irreducible set), and the smallest change to one of
    its limits that makes the scenario feasible."""
    feasible = _Feasibility(options, stop)
    items = rules(scenario)

    def relaxed(kept: list[Rule]) -> Scenario:
        result = scenario
        for rule in items:
            if all(rule is not k for k in kept):
                result = rule.relax(result)
        return result

    if not feasible(relaxed([])):
        return Conflict((), (), feasible.solves, feasible.proven)
    kept = list(items)
    for rule in list(kept):
        trial = [r for r in kept if r is not rule]
        if not feasible(relaxed(trial)):
            kept = trial  # infeasible without it: not part of this conflict
    changes = []
    for rule in kept:
        if rule.limit is None or rule.adjust is None:
            continue
        change = _smallest_change(scenario, rule, feasible)
        if change is not None:
            changes.append(change)
    return Conflict(tuple(kept), tuple(changes), feasible.solves, feasible.proven)


def _smallest_change(scenario: Scenario, rule: Rule, feasible: _Feasibility) -> Change | None:
    """The value of `rule`'s limit nearest its own at which the whole scenario is feasible (whole
    numbers exactly, others to 1 %), or None when even the loosest value is not enough."""
    assert rule.limit is not None and rule.adjust is not None
    used, loose, whole = rule.limit
    if not feasible(rule.adjust(scenario, loose)):
        return None
    bad, good = used, loose  # infeasible at `bad`, feasible at `good`
    while True:
        if whole:
            if abs(good - bad) <= 1:
                break
            middle = float(math.floor((bad + good) / 2)) if good > bad else float(math.ceil((bad + good) / 2))
        else:
            if abs(good - bad) <= 0.01 * max(abs(good), 1e-9):
                break
            middle = (bad + good) / 2
        if feasible(rule.adjust(scenario, middle)):
            good = middle
        else:
            bad = middle
    return Change(rule.key, used, good)
