"""The pooling MIP as an outline of `docs/model.md`: candidates, variables, constraints, objective.

`build_rows` and `build_textbook` read top to bottom like the formulation:

    candidates = candidate_units(instance)                         who may pool with whom, where, how
    variables  = define_variables(problem, instance, candidates)  every variable, created once
    family(problem, instance, variables, names)                   one function per constraint family
                                                                  (FAMILIES), each only adds rows
    criteria   = objective_terms(instance, variables)             criterion -> terms, unweighted
    objective  = weighted_objective(criteria, weights)            the weights, applied here, once

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

The radius and pool formulations live in `optimizer.formulation.radius` and `optimizer.formulation.pools`, and
`optimizer.formulation.build_model` chooses among the three; they import this module, not each other.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pulp

from inputs.types import CRITERIA, StructureParams, Weights
from optimizer.control import Control
from optimizer.curves import coordination_curve
from optimizer.instance import IN_HOUSE, Configuration, Instance, Placement

Terms = list[tuple[pulp.LpVariable, float]]
#: criterion (cost, quality, vulnerability, manageability, autonomy) -> a figure in EUR a year
Contribution = dict[str, float]


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
    for (host, key), body_units in _bundles(units).items():
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
        for code, memberships in _matrix_memberships(instance, units).items()
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


def _bundles(units: Iterable[Unit]) -> dict[tuple[str, str], list[Unit]]:
    """Shared service centres: (host, structure) -> its units, in a fixed order."""
    groups: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for unit in units:
        if unit.structure.scope == "bundle":
            groups[unit.host, unit.structure.key].append(unit)
    return dict(sorted(groups.items()))


def _matrix_memberships(instance: Instance, units: Iterable[Unit]) -> dict[str, list[pulp.LpVariable]]:
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


# -- constraint families (each only adds constraints) --------------------------------------------

Family = Callable[[pulp.LpProblem, Instance, Variables, Names], None]


def assignment(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """Every service is done exactly once:  own(i,d) + sum_u x(i,u) = 1  for all i, d."""
    terms: dict[tuple[str, str], list[pulp.LpVariable]] = defaultdict(list)
    for key, var in variables.own.items():
        terms[key].append(var)
    for unit in variables.units:
        for code, var in unit.members.items():
            terms[code, unit.domain].append(var)
    for code in instance.codes:
        for domain in instance.domains:
            problem.addConstraint(pulp.lpSum_vars(terms[code, domain]) == 1, names("assign", code, domain))


def membership_links(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """Only open units have members:  x(i,u) <= open(u)  (for a municipality host open(u) = x(h,u))."""
    for unit in variables.units:
        if not unit.carries_member_rules:
            continue
        for code, var in unit.members.items():
            if var is not unit.is_open:
                problem.addConstraint(var - unit.is_open <= 0, names("link", code, *_unit_index(unit)))


def _unit_index(unit: Unit) -> tuple[str, ...]:
    """A unit's indices in names: (h,s,d), or (h,s) for an all-domain body (one rule for its units)."""
    return (unit.host, unit.structure.key) if unit.structure.scope == "all" else unit.key


def member_counts(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """min_s open(u) <= sum_i x(i,u) <= max_s open(u)."""
    for unit in variables.units:
        if not unit.carries_member_rules:
            continue
        members = pulp.lpSum_vars(list(unit.members.values()))
        low = instance.min_members(unit.structure, unit.host)
        if low > 1:
            problem.addConstraint(members - low * unit.is_open >= 0, names("min_members", *_unit_index(unit)))
        if unit.structure.max_members < len(unit.members):
            problem.addConstraint(
                members - unit.structure.max_members * unit.is_open <= 0, names("max_members", *_unit_index(unit))
            )


def units_per_host(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """sum_d open(h,s,d) <= max_units_per_host_s  (a matrix host carries one or two units)."""
    groups: dict[tuple[str, str], list[pulp.LpVariable]] = defaultdict(list)
    for unit in variables.units:
        if unit.structure.max_units_per_host is not None and unit.structure.scope != "all":
            groups[unit.host, unit.structure.key].append(unit.is_open)
    for (host, key), opens in sorted(groups.items()):
        cap = instance.structures[key].max_units_per_host
        if cap is not None and len(opens) > cap:
            problem.addConstraint(pulp.lpSum_vars(opens) <= cap, names("units_per_host", host, key))


def bundles(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """Shared service centres:  open(u) <= body(h,s);  min_dom body <= sum_d open <= max_dom body;
    joins(i,h,s) >= x(i,u)  (one governance and transition charge per member of the body)."""
    for (host, key), units in _bundles(variables.units).items():
        structure = instance.structures[key]
        body = variables.bodies[host, key]
        opens = [u.is_open for u in units]
        for unit in units:
            problem.addConstraint(unit.is_open - body <= 0, names("bundle_link", *unit.key))
        problem.addConstraint(
            pulp.lpSum_vars(opens) - structure.min_domains * body >= 0, names("bundle_min", host, key)
        )
        if structure.max_domains < len(units):
            problem.addConstraint(
                pulp.lpSum_vars(opens) - structure.max_domains * body <= 0, names("bundle_max", host, key)
            )
        for unit in units:
            for code, var in unit.members.items():
                joins = variables.body_members[code, host, key]
                problem.addConstraint(var - joins <= 0, names("bundle_join", code, *unit.key))


def host_capacity(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """A municipality absorbs at most its capacity from others:
    sum_{u at h, s absorbs} sum_{i != h} w(i,d) x(i,u) <= factor x own staff of h."""
    terms: dict[str, Terms] = defaultdict(list)
    for unit in variables.units:
        if not unit.structure.uses_host_capacity or instance.is_provider(unit.host):
            continue
        for code, var in unit.members.items():
            if code != unit.host:
                terms[unit.host].append((var, instance.workload[code, unit.domain]))
    for host, pairs in sorted(terms.items()):
        capacity = instance.host_capacity(host)
        if capacity is not None:
            expression = pulp.lpSum_vars_coefs(pairs)  # merges repeated variables
            problem.addConstraint(expression <= capacity, names("host_capacity", host))


def workload_terms(instance: Instance, unit: Unit, cap: float | None = None) -> Terms:
    """W(u) = sum_i w(i,d) x(i,u): the work the pool does. With `cap`, each member counts for at most
    `cap`: where a curve is flat beyond `cap`, min(cap, w) gives the same value at integer x and a far
    tighter LP relaxation (a big member at x = 0.1 cannot lend a pool its whole size)."""
    return [
        (var, instance.workload[code, unit.domain] if cap is None else min(cap, instance.workload[code, unit.domain]))
        for code, var in unit.members.items()
    ]


def staff_terms(instance: Instance, unit: Unit, variables: Variables) -> Terms:
    """staff(u) = W(u) + ovh(u)."""
    terms = workload_terms(instance, unit)
    overhead = variables.overhead.get(unit.key)
    if overhead is not None:
        terms.append((overhead, 1.0))
    return terms


def overheads(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """ovh(u) >= core_d open(u) - (core_d / W*_d) W(u)  and  ovh(u) >= dis_d (W(u) - W*_d open(u)):
    the domain's overhead curve max(core (1 - W/W*), dis (W - W*)) is convex, so its epigraph is exact."""
    for unit in variables.units:
        overhead = variables.overhead.get(unit.key)
        if overhead is None:
            continue
        params = instance.domains[unit.domain]
        scale = params.scale_fte
        # (per FTE of work, per open unit, cap on a member's work): the falling line is flat (zero)
        # from the scale on, so a member counts for at most the scale there
        lines: list[tuple[float, float, float | None]] = [
            (params.diseconomy_share, -params.diseconomy_share * scale, None)
        ]
        if scale > 0:
            lines.append((-params.core_fte / scale, params.core_fte, scale))
        for k, (slope, intercept, cap) in enumerate(lines):
            if slope == 0 and intercept == 0:
                continue
            work = workload_terms(instance, unit, cap)
            terms = [(var, -slope * w) for var, w in work] + [(unit.is_open, -intercept), (overhead, 1.0)]
            problem.addConstraint(pulp.lpSum_vars_coefs(terms) >= 0, names("overhead", *unit.key, k))


def provider_capacity(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """A provider staffs at most its capacity:  sum_{u at p} staff(u) <= capacity_p."""
    for provider in instance.providers.values():
        if provider.capacity_fte is None:
            continue
        terms: Terms = []
        for unit in variables.units:
            if unit.host == provider.key:
                terms += staff_terms(instance, unit, variables)
        if terms:
            problem.addConstraint(
                pulp.lpSum_vars_coefs(terms) <= provider.capacity_fte, names("provider_capacity", provider.key)
            )


def excluded_pairs(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """Pairs that will not work together never share a unit:  x(a,u) + x(b,u) <= 1."""
    for unit in variables.units:
        if not unit.carries_member_rules:
            continue
        for a, b in sorted(instance.excluded_pairs):
            if a in unit.members and b in unit.members:
                problem.addConstraint(unit.members[a] + unit.members[b] <= 1, names("apart", a, b, *_unit_index(unit)))


def forced_pairs(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """Pairs that must work together share a unit in the named domains:  x(a,u) = x(b,u), own = 0."""
    added: set[str] = set()

    def add(constraint: pulp.LpAffineExpression, name: str) -> None:
        if name not in added:  # a municipality in two forced pairs of one domain: one rule
            added.add(name)
            problem.addConstraint(constraint, name)

    for forced in instance.scenario.politics.forced_pairs:
        for domain in forced.domains:
            for code in (forced.a, forced.b):
                var = variables.own.get((code, domain))
                if var is not None:
                    add(pulp.lpSum_vars([var]) == 0, names("must_pool", code, domain))
            for unit in variables.units:
                if unit.domain != domain:
                    continue
                a, b = unit.members.get(forced.a), unit.members.get(forced.b)
                if a is None and b is None:
                    continue
                name = names("together", forced.a, forced.b, *unit.key)
                if a is not None and b is not None:
                    add(a - b == 0, name)
                else:
                    lonely = a if a is not None else b
                    assert lonely is not None
                    add(pulp.lpSum_vars([lonely]) == 0, name)


def arrangements(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """A municipality's new arrangements stay within the limit:
    sum_{domain units} x(i,u) + sum joins(i,h,s) + sum A(i,h,s) <= max(0, limit - existing_i)."""
    limit = instance.scenario.limits.max_arrangements
    if limit is None:
        return
    terms: dict[str, list[pulp.LpVariable]] = defaultdict(list)
    for unit in variables.units:
        if unit.structure.scope == "domain":
            for code, var in unit.members.items():
                terms[code].append(var)
    for (code, _host, _key), var in variables.body_members.items():
        terms[code].append(var)
    for members in variables.all_domain.values():
        for code, var in members.items():
            terms[code].append(var)
    for code in instance.codes:
        if terms[code]:
            room = max(0, limit - instance.existing_arrangements(code))
            problem.addConstraint(pulp.lpSum_vars(terms[code]) <= room, names("arrangements", code))


def region_counts(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """Region limits:  sum open(matrix units) <= max_matrix_units;  pools + bodies <= max_pools."""
    limits = instance.scenario.limits
    if limits.max_matrix_units is not None:
        opens = [u.is_open for u in variables.units if u.structure.coordinated]
        if opens:
            problem.addConstraint(pulp.lpSum_vars(opens) <= limits.max_matrix_units, "max_matrix_units")
    if limits.max_pools is not None:
        opens = [u.is_open for u in variables.units if u.structure.scope == "domain"]
        opens += list(variables.bodies.values())
        opens += [members[host] for (host, _key), members in variables.all_domain.items()]
        if opens:
            problem.addConstraint(pulp.lpSum_vars(opens) <= limits.max_pools, "max_pools")


def pool_quality(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """q(u) <= (a_k + lift_h) open(u) + b_k sum_i min(w(i,d), S_d) x(i,u) for every line k of the
    domain's concave quality curve (flat from S_d on),  q(u) <= open(u);  qd(i,u) >= x(i,u) - q(u).
    The pool's quality is maximised and its shortfall minimised, so q is the curve at the pool's work
    plus its host's lift, at most 1, and a member gets x - qd = min(x, q) = x q, exactly, as x is
    binary (a member counts for at most S_d, which changes nothing at integer x and tightens the LP)."""
    for unit in variables.units:
        quality = variables.quality.get(unit.key)
        if quality is None:
            continue
        curve = instance.quality_curve(unit.domain)
        lift = instance.host_lift(unit.structure, unit.host, unit.domain)
        work = workload_terms(instance, unit, curve.saturation)
        for k, (intercept, slope) in enumerate(curve.lines()):
            row = [(quality, 1.0), (unit.is_open, -(intercept + lift)), *((var, -slope * w) for var, w in work)]
            problem.addConstraint(pulp.lpSum_vars_coefs(row) <= 0, names("quality", *unit.key, k))
        problem.addConstraint(quality - unit.is_open <= 0, names("quality_open", *unit.key))
        for code, var in unit.members.items():
            shortfall = variables.quality_shortfall[(code, *unit.key)]
            problem.addConstraint(shortfall - var + quality >= 0, names("quality_member", code, *unit.key))


def vulnerability(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """v(u) >= a_k open(u) + b_k W(u) for every line k of the pool's W p^W curve, convex from its
    host's own work on (`Instance.cover`)."""
    for unit in variables.units:
        v = variables.vulnerability.get(unit.key)
        if v is None:
            continue
        curve = instance.cover(unit.host, unit.domain)
        lines = curve.lines() if curve is not None else []
        if not lines:
            continue
        # every line is at or below zero where the last (falling) line crosses zero: a member counts for
        # at most that much work, which changes nothing at integer x and tightens the LP
        last_intercept, last_slope = lines[-1]
        work = workload_terms(instance, unit, -last_intercept / last_slope if last_slope < 0 else None)
        for k, (intercept, slope) in enumerate(lines):
            terms = [(var, slope * w) for var, w in work]
            terms.append((unit.is_open, intercept))
            expression = pulp.lpSum_vars_coefs(terms)  # merges the host's two terms
            problem.addConstraint(v - expression >= 0, names("vulnerability", *unit.key, k))


def matrix_spread(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """A matrix spreads its units over its members: every member of a matrix unit hosts one itself,
    and no host carries two more than a fellow member,
    hosted(h) - hosted(i) <= 1 + D (1 - x(i,u)), with hosted(i) = sum_d open(i, matrix, d).

    The first rule is written per member and domain: sum_{u of d hosted by another} x(i,u) <=
    sum_{d' != d} open(i, matrix, d'). In domain d the member sits in another's unit, so the unit it
    hosts is in another domain; and it sits in one unit of d at most. Both change nothing at integer
    points; together they keep the LP relaxation from meeting the rule with fractions of one
    domain's units, each hosted by another member (Drechtsteden's bound: 0.38 % below the optimum
    before, benchmarks/regions.py)."""
    hosted: dict[str, list[pulp.LpVariable]] = defaultdict(list)
    hosted_in: dict[str, list[tuple[str, pulp.LpVariable]]] = defaultdict(list)
    joined: dict[tuple[str, str], list[pulp.LpVariable]] = defaultdict(list)
    matrix_units = [u for u in variables.units if u.structure.coordinated]
    for unit in matrix_units:
        hosted[unit.host].append(unit.is_open)
        hosted_in[unit.host].append((unit.domain, unit.is_open))
        for code, var in unit.members.items():
            if code != unit.host:
                joined[code, unit.domain].append(var)
    for (code, domain), memberships in joined.items():
        elsewhere = [(other, 1.0) for other_domain, other in hosted_in[code] if other_domain != domain]
        row = [*elsewhere, *((var, -1.0) for var in memberships)]
        problem.addConstraint(pulp.lpSum_vars_coefs(row) >= 0, names("matrix_hosts", code, domain))
    most = len(instance.domains)
    for unit in matrix_units:
        own = [(var, 1.0) for var in hosted[unit.host]]
        for code, var in unit.members.items():
            if code == unit.host:
                continue
            theirs = [(other, 1.0) for other in hosted[code]]
            spread = [*own, *((other, -1.0) for other, _ in theirs), (var, float(most))]
            problem.addConstraint(pulp.lpSum_vars_coefs(spread) <= 1 + most, names("matrix_spread", code, *unit.key))


def coordination(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """coord(i) >= g(k) + (g(k+1) - g(k)) (m_i - k),  m_i = sum_d sum_{matrix u} x(i,u),
    g(m) = m(m-1)/2: exact because m_i is an integer."""
    if not variables.coordination:
        return
    memberships = _matrix_memberships(instance, variables.units)
    curve = coordination_curve(len(instance.domains))
    for code, coord in variables.coordination.items():
        count = pulp.lpSum_vars(memberships[code])
        for k, (intercept, slope) in enumerate(curve.lines()):
            if slope > 0:
                problem.addConstraint(coord - slope * count >= intercept, names("coordination", code, k))


#: the constraint families in the order of docs/model.md
def _unit_cost(instance: Instance, variables: Variables, unit: Unit) -> tuple[Terms, float]:
    """C(u), a pool's annual cash cost (what its members pay together), and an upper bound on it."""
    terms: Terms = [
        (var, member_contribution(instance, unit.structure, unit.host, unit.domain, code, expected=False)["cost"])
        for code, var in unit.members.items()
    ]
    opening = opening_contribution(instance, unit.structure, unit.host, unit.domain, expected=False)
    terms.append((unit.is_open, opening["cost"]))
    most = sum(max(0.0, c) for _, c in terms)
    overhead = variables.overhead.get(unit.key)
    if overhead is not None:
        params = instance.domains[unit.domain]
        price = params.cost_per_fte * instance.price_factor(unit.host) * (1 + unit.structure.agency_share)
        terms.append((overhead, price))
        work = sum(instance.workload[code, unit.domain] for code in unit.members)
        most += price * max(params.core_fte, params.diseconomy_share * max(0.0, work - params.scale_fte))
    return terms, most


def _body_pool_cost(
    instance: Instance,
    variables: Variables,
    host: str,
    structure: StructureParams,
    body: pulp.LpVariable,
    members: Mapping[str, pulp.LpVariable],
    units: Iterable[Unit],
) -> tuple[Terms, float]:
    """C(p) of a body of several domains (its governance and set-up on `body`, each member's on its
    membership, and its units' costs) and an upper bound on it."""
    saving = structure.council_saving_per_member  # a council saving stays with its member
    cost: Terms = [(body, _body_cost(instance, structure, host, expected=False) - saving)]
    cost += [
        (var, _body_member_cost(instance, structure, code, host, expected=False) + saving)
        for code, var in members.items()
    ]
    most = sum(max(0.0, c) for _, c in cost)
    for unit in units:
        terms, bound = _unit_cost(instance, variables, unit)
        cost += terms
        most += bound
    return cost, most


def _body_units(variables: Variables, host: str, structure_key: str) -> list[Unit]:
    return [u for u in variables.units if u.host == host and u.structure.key == structure_key]


def participation(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """Nobody pays more for a pool than alone, under a proportional key k (inhabitants, use, equal):
    k_i C(p) <= a_i sum_j k_j x(j,p) whenever i is a member of pool p, where C(p) is the pool's annual
    cash cost and a_i what i's own departments for its domains cost; relaxed by M_i (1 - x(i,p))
    otherwise. Linear for a pool of one domain and for a body that carries every domain (its members
    are the same in each); a shared service centre, whose members choose their domains, takes one
    product variable per membership (`_centre_guarantee`). A key with a fixed part takes two
    variables per pool, its cost per member and per unit of weight (`_fixed_guarantees`)."""
    key = instance.scenario.politics.participation
    if key is None:
        return
    if not key.proportional:
        _fixed_guarantees(problem, instance, variables, names)
        return
    from optimizer.shares import alone_cost, key_weight

    def guarantee(cost: Terms, most: float, members: Mapping[str, pulp.LpVariable], domains: tuple[str, ...]) -> None:
        weight = {code: key_weight(instance, key, code, domains) for code in members}
        heaviest = max(weight.values(), default=0.0)
        if heaviest <= 0:
            return
        weight = {code: w / heaviest for code, w in weight.items()}  # at most one: tidier numerics
        for code, member in members.items():
            alone = alone_cost(instance, code, domains)
            big = weight[code] * most
            terms = [(var, weight[code] * c) for var, c in cost]
            terms += [(var, -alone * weight[other]) for other, var in members.items()]
            terms.append((member, big))
            problem.addConstraint(pulp.lpSum_vars_coefs(terms) <= big, names("participation", *index, code))

    for unit in variables.units:
        if unit.structure.scope == "domain":
            index: tuple[str, ...] = unit.key
            guarantee(*_unit_cost(instance, variables, unit), unit.members, (unit.domain,))
    for (host, structure_key), members in variables.all_domain.items():
        structure = instance.structures[structure_key]
        units = _body_units(variables, host, structure_key)
        cost, most = _body_pool_cost(instance, variables, host, structure, members[host], members, units)
        index = (host, structure_key)
        guarantee(cost, most, members, tuple(instance.domains))
    for (host, structure_key), units in _bundles(variables.units).items():
        _centre_guarantee(problem, instance, variables, names, host, structure_key, units)


def _bounded_product(
    problem: pulp.LpProblem,
    names: Names,
    switch: pulp.LpVariable,
    expression: Terms,
    bounds: tuple[float, float],
    index: tuple[str, ...],
) -> pulp.LpVariable:
    """p >= switch * E for a 0-1 `switch` and a linear E within `bounds` (L, U): p >= E - U (1 - switch)
    and p >= L switch; the least p is the product itself."""
    low, high = bounds
    p = problem.add_variable(names("share_product", *index), None)
    terms = [(p, 1.0), *[(v, -c) for v, c in expression], (switch, -high)]
    problem.addConstraint(pulp.lpSum_vars_coefs(terms) >= -high, names("share_product_high", *index))
    problem.addConstraint(p - low * switch >= 0, names("share_product_low", *index))
    return p


def _centre_guarantee(
    problem: pulp.LpProblem,
    instance: Instance,
    variables: Variables,
    names: Names,
    host: str,
    structure_key: str,
    units: list[Unit],
) -> None:
    """The guarantee in a shared service centre, whose members choose their domains:
    k_i C <= a_i K with k_i = k0_i joins_i + sum_d k_id x_id, a_i = sum_d a_id x_id and K = sum_j k_j:
    sum_d x_id (k_id C - a_id K) + joins_i k0_i C <= 0, a sum of products of a 0-1 variable and a
    bounded linear expression E. Each product gets p >= it exactly (p >= E - U (1 - z), p >= L z,
    with L <= E <= U): then sum p <= 0 holds exactly when the guarantee does. joins_i is 0 or 1 at
    integer x here (joins_i <= sum_d x_id is added: it is i's membership, nothing more)."""
    from optimizer.shares import alone_cost, key_weight

    key = instance.scenario.politics.participation
    assert key is not None
    structure = instance.structures[structure_key]
    joins = {code: variables.body_members[code, host, structure_key] for code in {c for u in units for c in u.members}}
    body = variables.bodies[host, structure_key]
    cost, most = _body_pool_cost(instance, variables, host, structure, body, joins, units)
    # weights: per domain membership for use, per body membership for inhabitants and equal
    per_domain = key.variable == "use"
    weight: dict[tuple[str, str], float] = {}
    for unit in units:
        for code in unit.members:
            weight[code, unit.domain] = key_weight(instance, key, code, (unit.domain,)) if per_domain else 0.0
    body_weight = {code: 0.0 if per_domain else key_weight(instance, key, code, ()) for code in joins}
    heaviest = max([*weight.values(), *body_weight.values(), 0.0])
    if heaviest <= 0:
        return
    weight = {k: w / heaviest for k, w in weight.items()}
    body_weight = {k: w / heaviest for k, w in body_weight.items()}
    total: Terms = [(unit.members[code], weight[code, unit.domain]) for unit in units for code in unit.members]
    total += [(var, body_weight[code]) for code, var in joins.items()]
    total_most = sum(max(0.0, w) for _, w in total)
    for code, member in joins.items():
        mine = [(unit.members[code], unit.domain) for unit in units if code in unit.members]
        problem.addConstraint(
            member - pulp.lpSum_vars([var for var, _ in mine]) <= 0, names("joins_only", code, host, structure_key)
        )
        products: list[pulp.LpVariable] = []
        index = (code, host, structure_key)
        for var, domain in mine:
            alone = alone_cost(instance, code, (domain,))
            expression = [(v, weight[code, domain] * c) for v, c in cost] + [(v, -alone * w) for v, w in total]
            bounds = (-alone * total_most, weight[code, domain] * most)
            products.append(_bounded_product(problem, names, var, expression, bounds, (*index, domain)))
        if body_weight[code]:
            expression = [(v, body_weight[code] * c) for v, c in cost]
            bounds = (0.0, body_weight[code] * most)
            products.append(_bounded_product(problem, names, member, expression, bounds, (*index, "body")))
        problem.addConstraint(pulp.lpSum_vars(products) <= 0, names("participation", code, host, structure_key))


@dataclass
class _Pool:
    """A pool as the guarantee with a fixed part sees it: its cost C, members and their weights."""

    index: tuple[str, ...]
    cost: Terms
    most: float
    #: member -> its 0-1 membership
    members: dict[str, pulp.LpVariable]
    #: (member, 0-1 variable, weight): K = sum of weight x variable
    weights: list[tuple[str, pulp.LpVariable, float]]
    #: member -> what its own departments cost, as terms (a constant on its membership, or per domain)
    alone: dict[str, Terms]


def _fixed_pools(instance: Instance, variables: Variables) -> list[_Pool]:
    from optimizer.shares import alone_cost, key_weight

    key = instance.scenario.politics.participation
    assert key is not None
    pools = []
    for unit in variables.units:
        if unit.structure.scope == "domain":
            cost, most = _unit_cost(instance, variables, unit)
            weights = [(c, v, key_weight(instance, key, c, (unit.domain,))) for c, v in unit.members.items()]
            alone = {c: [(v, alone_cost(instance, c, (unit.domain,)))] for c, v in unit.members.items()}
            pools.append(_Pool(unit.key, cost, most, dict(unit.members), weights, alone))
    for (host, structure_key), members in variables.all_domain.items():
        structure = instance.structures[structure_key]
        units = _body_units(variables, host, structure_key)
        cost, most = _body_pool_cost(instance, variables, host, structure, members[host], members, units)
        domains = tuple(instance.domains)
        weights = [(c, v, key_weight(instance, key, c, domains)) for c, v in members.items()]
        alone = {c: [(v, alone_cost(instance, c, domains))] for c, v in members.items()}
        pools.append(_Pool((host, structure_key), cost, most, dict(members), weights, alone))
    for (host, structure_key), units in _bundles(variables.units).items():
        structure = instance.structures[structure_key]
        joins = {c: variables.body_members[c, host, structure_key] for c in {c for u in units for c in u.members}}
        body = variables.bodies[host, structure_key]
        cost, most = _body_pool_cost(instance, variables, host, structure, body, joins, units)
        if key.variable == "use":
            weights = [(c, v, key_weight(instance, key, c, (u.domain,))) for u in units for c, v in u.members.items()]
        else:
            weights = [(c, v, key_weight(instance, key, c, ())) for c, v in joins.items()]
        alone = {c: [] for c in joins}
        for unit in units:
            for code, var in unit.members.items():
                alone[code].append((var, alone_cost(instance, code, (unit.domain,))))
        pools.append(_Pool((host, structure_key), cost, most, joins, weights, alone))
    return pools


def _exact_product(
    problem: pulp.LpProblem,
    names: Names,
    value: tuple[pulp.LpVariable, float],
    switch: pulp.LpVariable,
    index: tuple[str, ...],
) -> pulp.LpVariable:
    """p = v z for a continuous v in [0, U] and a 0-1 z, exactly at integer z: p <= U z, p <= v,
    p >= v - U (1 - z), p >= 0."""
    v, high = value
    p = problem.add_variable(names("fixed_product", *index), 0, high)
    problem.addConstraint(p - high * switch <= 0, names("fixed_product_on", *index))
    problem.addConstraint(p - v <= 0, names("fixed_product_at_most", *index))
    problem.addConstraint(p - v - high * switch >= -high, names("fixed_product_at_least", *index))
    return p


def _fixed_guarantees(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """The guarantee under a key with a fixed part f: member i pays f C/n + (1 - f) k_i C/K. Two
    variables per pool, y = C/n and r = C/K, made exact by y n = C and r K = C, whose products of
    y or r with a 0-1 membership are written exactly (p <= U z, p <= y, p >= y - U (1 - z), p >= 0);
    then f y + (1 - f) sum k_i r - a_i <= f U_y (1 - z_i) for every member. A pool whose candidates
    all weigh nothing is left to the cuts of `optimizer.guarantee`."""
    key = instance.scenario.politics.participation
    assert key is not None
    for pool in _fixed_pools(instance, variables):
        positive = [w for _, _, w in pool.weights if w > 0]
        if not positive or pool.most <= 0:
            continue
        index = pool.index
        per_member_most, per_weight_most = pool.most, pool.most / min(positive)
        y = problem.add_variable(names("cost_per_member", *index), 0, per_member_most)
        r = problem.add_variable(names("cost_per_weight", *index), 0, per_weight_most)

        per_member = {
            code: _exact_product(problem, names, (y, per_member_most), z, (*index, f"n_{code}"))
            for code, z in pool.members.items()
        }
        per_weight = [
            (code, _exact_product(problem, names, (r, per_weight_most), z, (*index, f"k_{code}_{n}")), weight)
            for n, (code, z, weight) in enumerate(pool.weights)
        ]
        cost = [(v, -c) for v, c in pool.cost]
        problem.addConstraint(
            pulp.lpSum_vars_coefs([*[(p, 1.0) for p in per_member.values()], *cost]) == 0,
            names("cost_per_member_def", *index),
        )
        problem.addConstraint(
            pulp.lpSum_vars_coefs([*[(p, w) for _, p, w in per_weight], *cost]) == 0,
            names("cost_per_weight_def", *index),
        )
        for code, z in pool.members.items():
            own = [v for v, _ in pool.alone[code]]
            if own != [z]:  # a centre's membership: no more than the domains it joins
                problem.addConstraint(z - pulp.lpSum_vars(own) <= 0, names("joins_only", code, *index))
            big = key.fixed * per_member_most
            terms = [(y, key.fixed), *[(p, (1 - key.fixed) * w) for c, p, w in per_weight if c == code]]
            terms += [(v, -a) for v, a in pool.alone[code]]
            terms.append((z, big))
            problem.addConstraint(pulp.lpSum_vars_coefs(terms) <= big, names("participation", *index, code))


FAMILIES: tuple[Family, ...] = (
    assignment,
    membership_links,
    member_counts,
    units_per_host,
    bundles,
    host_capacity,
    provider_capacity,
    excluded_pairs,
    forced_pairs,
    arrangements,
    region_counts,
    overheads,
    pool_quality,
    vulnerability,
    matrix_spread,
    coordination,
    participation,
)


# -- objective ----------------------------------------------------------------------------------


def own_contribution(instance: Instance, code: str, domain: str) -> Contribution:
    """Keeping a domain in house: the cost, quality and vulnerability of the municipality's own unit."""
    params = instance.domains[domain]
    work = instance.workload[code, domain]
    return {
        "cost": params.cost_per_fte * instance.own_staff(code, domain),
        "quality": -instance.service_value(code, domain) * instance.baseline_quality[code, domain],
        "vulnerability": params.cover_premium * params.cost_per_fte * work * instance.curve(domain).value(work),
    }


def _expected(
    instance: Instance, code: str, structure: StructureParams, running: Contribution, own: Contribution | None = None
) -> Contribution:
    """What a running figure of `code`'s part in a pool is worth in expectation: it runs for the
    share phi of the horizon (`Instance.running_share`) and, once undone, the member's own department
    (`own`, for a membership) is back: phi running + (1 - phi) own."""
    share = instance.running_share(code, structure)
    if share == 1.0:
        return dict(running)
    result = {criterion: share * value for criterion, value in running.items()}
    for criterion, value in (own or {}).items():
        result[criterion] = result.get(criterion, 0.0) + (1 - share) * value
    return result


def _add_cost(contribution: Contribution, cost: float) -> Contribution:
    contribution["cost"] = contribution.get("cost", 0.0) + cost
    return contribution


def exit_cost(instance: Instance, structure: StructureParams, code: str, domain: str) -> float:
    """The expected cost a year of undoing a membership: the exit payment for the member's work in it,
    times the chance that it is undone within the horizon, written off over the horizon."""
    horizon = instance.scenario.economics.horizon_years
    payment = structure.exit_per_fte * instance.workload[code, domain]
    return payment * instance.failure_chance(code, structure) / horizon


def member_contribution(
    instance: Instance, structure: StructureParams, host: str, domain: str, code: str, *, expected: bool = True
) -> Contribution:
    """One membership x(i,(h,s,d)): everything that scales with a member. Where staff moves, the
    member's work joins the pool at the host's price, with the body's agency cost; in a working group
    it keeps its own department. Quality: (1 - share) of its own, the rest from the pool (full quality less
    the shortfall `qd`, or a constant where the pool's quality is fixed). `expected` (the objective)
    weighs the running figures by the chance that the pool runs and adds the exit cost; without it,
    the figures if it works. Transition is paid in either case."""
    economics = instance.scenario.economics
    params = instance.domains[domain]
    work = instance.workload[code, domain]
    moves = structure.transfers_staff
    moved = work if moves and code != host else 0.0
    tie = 1 - economics.tie_discount if instance.tie(code, host) else 1.0
    if moves:
        staff_cost = params.cost_per_fte * instance.price_factor(host) * work
    else:
        staff_cost = params.cost_per_fte * instance.own_staff(code, domain)
    cost = staff_cost * (1 + structure.agency_share)
    transition = structure.transition_per_fte * moved * tie / economics.horizon_years
    if structure.scope == "domain":
        cost += structure.governance_per_member
        transition += structure.transition_per_member * tie / economics.horizon_years
    # per-member governance and set-up of a body are charged once per body member (joins, A)
    cost += economics.travel_eur_per_fte_km * params.location_bound * moved * instance.distance(code, host)
    share = structure.quality_share
    level = instance.baseline_quality[code, domain]
    quality = (1 - share) * level
    fixed = fixed_pool_quality(instance, structure, host, domain)
    # where the pool's quality varies, a member gets full quality here less its shortfall qd
    quality += share * (fixed if fixed is not None else 1.0)
    running = {
        "cost": cost,
        "quality": -instance.service_value(code, domain) * quality,
        "autonomy": instance.autonomy_loss(code, structure, host),
    }
    own = own_contribution(instance, code, domain)
    if not moves:  # a working group: each member keeps its own unit and its risk
        running["vulnerability"] = own["vulnerability"]
    if not expected:
        return _add_cost(running, transition)
    return _add_cost(
        _expected(instance, code, structure, running, own), transition + exit_cost(instance, structure, code, domain)
    )


def opening_contribution(
    instance: Instance, structure: StructureParams, host: str, domain: str, *, expected: bool = True
) -> Contribution:
    """Opening one unit: its governance and set-up (its overhead is ovh(u))."""
    running = {"cost": structure.governance_per_unit + instance.fixed_cost(host)}
    if expected:
        running = _expected(instance, host, structure, running)
    return _add_cost(running, structure.transition_per_unit / instance.scenario.economics.horizon_years)


def running_factor(instance: Instance, code: str, structure: StructureParams, expected: bool = True) -> float:
    """The factor on a running figure of `code`'s part in a pool that has no own counterpart (a
    pool's overhead, cover, quality shortfall, coordination): the running share, or 1 if it works."""
    return instance.running_share(code, structure) if expected else 1.0


def _body_member_cost(
    instance: Instance, structure: StructureParams, code: str, host: str, *, expected: bool = True
) -> float:
    economics = instance.scenario.economics
    tie = 1 - economics.tie_discount if instance.tie(code, host) else 1.0
    transition = structure.transition_per_member * tie / economics.horizon_years
    running = structure.governance_per_member - structure.council_saving_per_member
    if not expected:
        return running + transition
    return running_factor(instance, code, structure) * running + transition


def _body_cost(instance: Instance, structure: StructureParams, host: str, *, expected: bool = True) -> float:
    """A body's own governance and set-up, on its host (an amalgamation's host keeps its council:
    the saving counts for every member but one)."""
    running = structure.governance_per_body + structure.council_saving_per_member
    transition = structure.transition_per_body / instance.scenario.economics.horizon_years
    return running_factor(instance, host, structure, expected) * running + transition


def weighted(contribution: Mapping[str, float], weights: Weights) -> float:
    """A contribution in EUR-equivalents: each criterion times its weight."""
    return sum(getattr(weights, criterion) * value for criterion, value in contribution.items())


def objective_terms(instance: Instance, variables: Variables) -> dict[str, Terms]:
    """criterion -> its terms, unweighted: the whole objective of docs/model.md in one place."""
    criteria: dict[str, Terms] = {criterion: [] for criterion in CRITERIA}

    def add(var: pulp.LpVariable, contribution: Contribution) -> None:
        for criterion, value in contribution.items():
            if value:
                criteria[criterion].append((var, value))

    for (code, domain), var in variables.own.items():
        add(var, own_contribution(instance, code, domain))
    for unit in variables.units:
        for code, var in unit.members.items():
            add(var, member_contribution(instance, unit.structure, unit.host, unit.domain, code))
        add(unit.is_open, opening_contribution(instance, unit.structure, unit.host, unit.domain))
    for (host, key), body in variables.bodies.items():
        add(body, {"cost": _body_cost(instance, instance.structures[key], host)})
    for (code, host, key), joins in variables.body_members.items():
        add(joins, {"cost": _body_member_cost(instance, instance.structures[key], code, host)})
    for (host, key), members in variables.all_domain.items():
        # body costs on the host; amalgamation saves a council per member beyond the first:
        # -saving (sum_i A(i) - A(h))
        structure = instance.structures[key]
        add(members[host], {"cost": _body_cost(instance, structure, host)})
        for code, var in members.items():
            add(var, {"cost": _body_member_cost(instance, structure, code, host)})
    for unit in variables.units:
        params = instance.domains[unit.domain]
        host_share = running_factor(instance, unit.host, unit.structure)
        overhead = variables.overhead.get(unit.key)
        if overhead is not None:
            price = params.cost_per_fte * instance.price_factor(unit.host)
            add(overhead, {"cost": host_share * price * (1 + unit.structure.agency_share)})
        if unit.key in variables.quality:
            for code in unit.members:
                value = instance.service_value(code, unit.domain) * unit.structure.quality_share
                value *= running_factor(instance, code, unit.structure)
                add(variables.quality_shortfall[(code, *unit.key)], {"quality": value})
        v = variables.vulnerability.get(unit.key)
        if v is not None:
            add(v, {"vulnerability": host_share * params.cover_premium * params.cost_per_fte})
    matrix = instance.matrix
    for code, coord in variables.coordination.items():
        assert matrix is not None
        add(coord, {"manageability": running_factor(instance, code, matrix) * matrix.coordination_per_interface})
    return criteria


def weighted_objective(criteria: Mapping[str, Terms], weights: Weights) -> pulp.LpAffineExpression:
    """The objective: sum over criteria of weight x criterion (repeated variables merge)."""
    return pulp.lpSum_vars_coefs(
        [(var, getattr(weights, criterion) * value) for criterion, terms in criteria.items() for var, value in terms]
    )


# -- the model --------------------------------------------------------------------------------


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


def build_textbook(
    instance: Instance,
    control: Control,
    forbid: tuple[Forbid, ...] = (),
    require_pooling: bool = False,
) -> Model:
    """The textbook formulation: variables, constraints and objective in the order of docs/model.md
    (`optimizer.formulation.build_model` chooses among the formulations)."""
    problem, variables, _names = build_rows(instance, control, forbid, require_pooling)
    control.checkpoint("objective")
    problem.setObjective(weighted_objective(objective_terms(instance, variables), instance.scenario.weights))
    return Model(instance, problem, variables)


def build_rows(
    instance: Instance,
    control: Control,
    forbid: tuple[Forbid, ...],
    require_pooling: bool,
    pooled_terms: bool = True,
) -> tuple[pulp.LpProblem, Variables, Names]:
    """The variables and every constraint family, without the objective (see `build_model`)."""
    problem = pulp.LpProblem("seta", pulp.LpMinimize)
    names = Names(instance)
    control.checkpoint("candidate units")
    candidates = candidate_units(instance)
    control.checkpoint(f"variables of {len(candidates):,} candidate units")
    variables = define_variables(problem, instance, candidates, names, pooled_terms)
    for family in FAMILIES:
        control.checkpoint(family.__name__.replace("_", " "))
        family(problem, instance, variables, names)
    forbidden(variables, forbid)
    if require_pooling:
        services = len(instance.codes) * len(instance.domains)
        problem.addConstraint(pulp.lpSum_vars(list(variables.own.values())) <= services - 1, "require_pooling")
    return problem, variables, names
