"""Who may pool with whom, where and how (`candidate_units`), and the variables of docs/model.md.

Variables (names carry their indices, e.g. `x(GM0770,GM1728,centre,hr)`: member, host, structure,
domain; so `--write-lp` reads):
    own(i,d)        municipality i keeps domain d in house                     binary
    x(i,h,s,d)      i is a member of unit u = (host h, structure s, domain d)  binary
    A(i,h,s)        all-domain structures (one civil service, amalgamation): one member variable
                    for every domain, so the members are the same everywhere   binary
    y(h,s,d)        a provider's unit is open (a municipality's unit is open iff its host is a
                    member: x(h,h,s,d))                                        binary
    body(h,s)       a shared service centre at h is set up                     binary
    joins(i,h,s)    i uses the shared service centre at h in some domain       0-1
    ovh(h,s,d)      overhead of a pool (epigraph of the domain's convex overhead curve)
    q(h,s,d)        quality of a pool: min(1, work / critical mass) (hypograph)
    qd(i,h,s,d)     what member i misses of full quality in the pool: max(0, x - q), exact as x is
                    binary (its quality there is x - qd = min(x, q))
    v(h,s,d)        uncovered work of a pool (epigraph of the convex W p^W curve)
    coord(i)        coordination interfaces of i's matrix units (epigraph, exact at integers)

Which of a unit's pooled terms exist (overhead, quality, cover, coordination) is decided here too,
by the predicates at the end: they decide which variables are made.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pulp

from inputs.types import StructureParams
from optimizer.instance import Instance

#: a linear expression as (variable, coefficient) pairs
Terms = list[tuple[pulp.LpVariable, float]]


# -- candidates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A unit that may open: host, structure, domain and who may join it."""

    host: str
    structure: StructureParams
    domain: str
    members: tuple[str, ...]


def candidate_units(instance: Instance) -> list[Candidate]:
    """Every unit that can open with enough members. A municipality hosts only units it joins itself;
    candidates come from `Instance.unit_hosts` and `unit_members`, which prune soundly (travel limit)."""
    result = []
    for structure in instance.structures.values():
        if structure.scope == "all":  # one body per host carries every domain: its units side by side
            if not structure.takes_front_line and any(d.front_line for d in instance.domains.values()):
                continue  # it would have to carry a front-line domain it does not take
            first = next(iter(instance.domains))
            for host in instance.unit_hosts(structure, first):
                members = instance.unit_members(structure, host, first)
                if instance.is_provider(host) or host not in members or len(members) < structure.min_members:
                    continue  # a body that carries every domain is the members' own organisation
                result += [Candidate(host, structure, domain, tuple(members)) for domain in instance.domains]
            continue
        for domain in instance.domains:
            for host in instance.unit_hosts(structure, domain):
                members = instance.unit_members(structure, host, domain)
                provider = instance.is_provider(host)
                if (not provider and host not in members) or len(members) < instance.min_members(structure, host):
                    continue
                result.append(Candidate(host, structure, domain, tuple(members)))
    return result


# -- variables -----------------------------------------------------------------------------------


@dataclass
class Unit:
    """A candidate unit with its variables: one per possible member, and the one that says it is open."""

    index: int
    host: str
    structure: StructureParams
    domain: str
    members: dict[str, pulp.LpVariable]
    is_open: pulp.LpVariable

    #: all-domain structures: the index of the body's first unit (its members are shared by all)
    body_index: int = -1

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.host, self.structure.key, self.domain)

    @property
    def carries_member_rules(self) -> bool:
        """Rules on who joins (links, member counts, pairs) are added once per set of member variables:
        for every unit, except that an all-domain body's units share theirs, so only its first does."""
        return self.structure.scope != "all" or self.index == self.body_index


@dataclass(frozen=True)
class Variables:
    own: Mapping[tuple[str, str], pulp.LpVariable]
    units: tuple[Unit, ...]
    #: all-domain bodies: (host, structure) -> member -> A(i,h,s)
    all_domain: Mapping[tuple[str, str], Mapping[str, pulp.LpVariable]]
    #: shared service centres: (host, structure) -> body(h,s); (member, host, structure) -> joins(i,h,s)
    bodies: Mapping[tuple[str, str], pulp.LpVariable]
    body_members: Mapping[tuple[str, str, str], pulp.LpVariable]
    #: (host, structure, domain) -> ovh(h,s,d), for pools whose staff works as one unit
    overhead: Mapping[tuple[str, str, str], pulp.LpVariable]
    #: (host, structure, domain) -> q(h,s,d), for pools whose quality depends on who joins
    quality: Mapping[tuple[str, str, str], pulp.LpVariable]
    #: (member, host, structure, domain) -> qd(i,h,s,d): the quality member i misses in the pool
    quality_shortfall: Mapping[tuple[str, str, str, str], pulp.LpVariable]
    #: (host, structure, domain) -> v(h,s,d), for units whose emptiness is charged
    vulnerability: Mapping[tuple[str, str, str], pulp.LpVariable]
    #: municipality -> coord(i), for members of two or more matrix units
    coordination: Mapping[str, pulp.LpVariable]


_SAFE_NAME = re.compile(r"[A-Za-z0-9_.]+")


class Names:
    """Index-based names a solver and a person can read: codes and keys, or a number where a code
    holds characters an LP file cannot carry."""

    def __init__(self, instance: Instance) -> None:
        places = [*instance.codes, *instance.providers]
        tokens = {p: p if _SAFE_NAME.fullmatch(p) else f"m{n}" for n, p in enumerate(places)}
        if len(set(tokens.values())) < len(tokens):  # a clash with a generated token: numbers for all
            tokens = {p: f"m{n}" for n, p in enumerate(places)}
        self.tokens = tokens

    def __call__(self, family: str, *indices: str | int) -> str:
        return f"{family}({','.join(self.tokens.get(str(i), str(i)) for i in indices)})"


def define_variables(
    problem: pulp.LpProblem, instance: Instance, candidates: list[Candidate], names: Names, pooled_terms: bool = True
) -> Variables:
    """The variables of docs/model.md. Without `pooled_terms` a pool's overhead, quality and cover get
    no variables: the pool formulation (`optimizer.formulation.pools`) prices them whole, per member set."""
    own = {
        (code, domain): problem.add_variable(names("own", code, domain), cat="Binary")
        for code in instance.codes
        for domain in instance.domains
        if not instance.forced(code, domain)
    }
    units: list[Unit] = []
    all_domain: dict[tuple[str, str], dict[str, pulp.LpVariable]] = {}
    first_unit: dict[tuple[str, str], int] = {}
    for candidate in candidates:
        structure, host, domain = candidate.structure, candidate.host, candidate.domain
        index = len(units)
        if structure.scope == "all":
            members = all_domain.get((host, structure.key))
            if members is None:
                members = {
                    c: problem.add_variable(names("A", c, host, structure.key), cat="Binary") for c in candidate.members
                }
                all_domain[host, structure.key] = members
                first_unit[host, structure.key] = index
            unit = Unit(index, host, structure, domain, members, members[host], first_unit[host, structure.key])
        else:
            members = {
                c: problem.add_variable(names("x", c, host, structure.key, domain), cat="Binary")
                for c in candidate.members
            }
            is_open = (
                problem.add_variable(names("y", host, structure.key, domain), cat="Binary")
                if instance.is_provider(host)
                else members[host]
            )
            unit = Unit(index, host, structure, domain, members, is_open)
        units.append(unit)
    bodies: dict[tuple[str, str], pulp.LpVariable] = {}
    body_members: dict[tuple[str, str, str], pulp.LpVariable] = {}
    for (host, key), body_units in centre_units(units).items():
        bodies[host, key] = problem.add_variable(names("body", host, key), cat="Binary")
        for code in _ordered({c for u in body_units for c in u.members}, instance.codes):
            body_members[code, host, key] = problem.add_variable(names("joins", code, host, key), 0, 1)
    overhead = {
        unit.key: problem.add_variable(names("ovh", *unit.key), 0)
        for unit in units
        if pooled_terms and has_overhead(instance, unit)
    }
    quality = {
        unit.key: problem.add_variable(names("q", *unit.key), 0, 1)
        for unit in units
        if pooled_terms and quality_varies(instance, unit)
    }
    quality_shortfall = {
        (code, *unit.key): problem.add_variable(names("qd", code, *unit.key), 0, 1)
        for unit in units
        if unit.key in quality
        for code in unit.members
    }
    vulnerability = {
        unit.key: problem.add_variable(names("v", *unit.key), 0)
        for unit in units
        if pooled_terms and charges_vulnerability(instance, unit)
    }
    coordination = {
        code: problem.add_variable(names("coord", code), 0)
        for code, memberships in matrix_memberships(instance, units).items()
        if len(memberships) >= 2 and charges_coordination(instance)
    }
    return Variables(
        own,
        tuple(units),
        all_domain,
        bodies,
        body_members,
        overhead,
        quality,
        quality_shortfall,
        vulnerability,
        coordination,
    )


def _ordered(codes: Iterable[str], order: list[str]) -> list[str]:
    rank = {c: n for n, c in enumerate(order)}
    return sorted(codes, key=rank.__getitem__)


def centre_units(units: Iterable[Unit]) -> dict[tuple[str, str], list[Unit]]:
    """Shared service centres: (host, structure) -> its units, in a fixed order."""
    groups: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for unit in units:
        if unit.structure.scope == "bundle":
            groups[unit.host, unit.structure.key].append(unit)
    return dict(sorted(groups.items()))


def matrix_memberships(instance: Instance, units: Iterable[Unit]) -> dict[str, list[pulp.LpVariable]]:
    """Municipality -> its member variables of coordinated (matrix) units, in municipality order."""
    memberships: dict[str, list[pulp.LpVariable]] = {code: [] for code in instance.codes}
    for unit in units:
        if unit.structure.coordinated:
            for code, var in unit.members.items():
                memberships[code].append(var)
    return memberships


def charges_vulnerability(instance: Instance, unit: Unit) -> bool:
    """A pooled unit's emptiness is charged when its staff is one team (staff moves) and it counts."""
    params = instance.domains[unit.domain]
    return (
        unit.structure.transfers_staff
        and instance.scenario.weights.vulnerability != 0
        and params.cover_premium * params.cost_per_fte != 0
    )


def has_overhead(instance: Instance, unit: Unit) -> bool:
    """A pool whose staff works as one unit carries one overhead, which depends on its work."""
    params = instance.domains[unit.domain]
    return unit.structure.transfers_staff and (params.core_fte != 0 or params.diseconomy_share != 0)


def fixed_pool_quality(instance: Instance, structure: StructureParams, host: str, domain: str) -> float | None:
    """The pool's quality where it does not depend on who joins: an outside provider's own, or the
    quality curve's flat end where even the smallest possible pool reaches it; None where it does."""
    if instance.is_provider(host):
        return instance.providers[host].quality
    curve = instance.quality_curve(domain)
    smallest = instance.smallest_workload(structure, host, domain)
    if smallest >= curve.saturation:
        return instance.pool_quality(structure, host, domain, smallest)
    return None


def quality_varies(instance: Instance, unit: Unit) -> bool:
    return (
        instance.scenario.weights.quality != 0
        and unit.structure.quality_share != 0
        and fixed_pool_quality(instance, unit.structure, unit.host, unit.domain) is None
    )


def charges_coordination(instance: Instance) -> bool:
    matrix = instance.matrix
    return (
        matrix is not None and instance.scenario.weights.manageability != 0 and matrix.coordination_per_interface != 0
    )
