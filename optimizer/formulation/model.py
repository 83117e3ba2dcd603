"""A built model, whatever its formulation: its problem and variables, and how a configuration is read
off it or set as a start; and `Forbid`, a choice taken away for an explanation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pulp

from optimizer.formulation.candidates import Unit, Variables
from optimizer.instance import IN_HOUSE, Configuration, Instance, Placement


@dataclass
class Model:
    instance: Instance
    problem: pulp.LpProblem
    variables: Variables
    formulation: str = "textbook"
    #: radius formulation: (code, domain) -> its options as (weighted cost, unit or None for in house)
    options: dict[tuple[str, str], list[tuple[float, Unit | None]]] = field(default_factory=dict)

    @property
    def size(self) -> dict[str, int]:
        variables = self.problem.variables()
        return {
            "variables": len(variables),
            "binaries": sum(1 for v in variables if v.cat == pulp.LpInteger),
            "constraints": len(self.problem.constraints()),
        }

    def configuration(self) -> Configuration:
        """The placements read off a solved model (values above one half count as chosen)."""
        if self.formulation == "radius":
            return self._cheapest_open()
        chosen: Configuration = {}
        for (code, domain), var in self.variables.own.items():
            if (var.varValue or 0.0) > 0.5:
                chosen[code, domain] = Placement(code, IN_HOUSE)
        for unit in self.variables.units:
            for code, var in unit.members.items():
                if (var.varValue or 0.0) > 0.5:
                    chosen[code, unit.domain] = Placement(unit.host, unit.structure.key)
        return chosen

    def start_from(self, configuration: Configuration) -> None:
        """Set the placement variables to a configuration, as a start for the solver (`warmStart`): the
        memberships and what opens with them; the solver completes the continuous variables."""
        for (code, domain), var in self.variables.own.items():
            var.setInitialValue(1.0 if configuration[code, domain].structure == IN_HOUSE else 0.0)
        for unit in self.variables.units:
            for code, var in unit.members.items():
                chosen = configuration[code, unit.domain] == Placement(unit.host, unit.structure.key)
                if unit.carries_member_rules or chosen:
                    var.setInitialValue(1.0 if chosen else 0.0)
        # what is open, and who joins which body, read once (a radius model's units list no members)
        opened = {(p.host, p.structure, d) for (_c, d), p in configuration.items() if p.structure != IN_HOUSE}
        joined = {(c, p.host, p.structure) for (c, _d), p in configuration.items() if p.structure != IN_HOUSE}
        for unit in self.variables.units:
            if unit.is_open not in unit.members.values():
                unit.is_open.setInitialValue(1.0 if unit.key in opened else 0.0)
        for (host, key), var in self.variables.bodies.items():
            var.setInitialValue(1.0 if any(o[0] == host and o[1] == key for o in opened) else 0.0)
        for (code, host, key), var in self.variables.body_members.items():
            var.setInitialValue(1.0 if (code, host, key) in joined else 0.0)

    def _cheapest_open(self) -> Configuration:
        """Radius formulation: each service goes to its cheapest open option; a host to its own unit."""
        chosen: Configuration = {}
        for (code, domain), options in self.options.items():
            best: tuple[float, int, int] | None = None
            placement = Placement(code, IN_HOUSE)
            for cost, unit in options:
                if unit is None:
                    rank = (cost, 2, -1)
                elif (unit.is_open.varValue or 0.0) > 0.5:
                    rank = (cost, 0 if unit.host == code else 1, unit.index)
                else:
                    continue
                if best is None or rank < best:
                    best = rank
                    placement = Placement(code, IN_HOUSE) if unit is None else Placement(unit.host, unit.structure.key)
            chosen[code, domain] = placement
        return chosen


@dataclass(frozen=True)
class Forbid:
    """A choice taken away for an explanation: units of `structure` in `domains`, at `host` (every
    host when None). A forbidden unit cannot open, so none of its members can join it."""

    structure: str
    domains: frozenset[str]
    host: str | None = None

    def covers(self, unit: Unit) -> bool:
        return (
            unit.structure.key == self.structure
            and unit.domain in self.domains
            and (self.host is None or unit.host == self.host)
        )


def forbidden(variables: Variables, forbid: Iterable[Forbid]) -> None:
    """Close every unit a `Forbid` covers (its opening variable's upper bound to 0)."""
    rules = list(forbid)
    for unit in variables.units:
        if any(rule.covers(unit) for rule in rules):
            unit.is_open.upBound = 0
