"""The constraint families of docs/model.md, one function each, and `build_rows`, which makes the
variables and adds every family: the rules, written once, for the textbook and pool formulations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import pulp

from inputs.labels import language, number, says
from optimizer.control import Control
from optimizer.curves import coordination_curve
from optimizer.formulation.candidates import (
    Names,
    Terms,
    Unit,
    Variables,
    candidate_units,
    centre_units,
    define_variables,
    matrix_memberships,
)
from optimizer.formulation.model import Forbid, forbidden
from optimizer.formulation.participation import participation
from optimizer.instance import Instance

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
    for (host, key), units in centre_units(variables.units).items():
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


def borders(problem: pulp.LpProblem, instance: Instance, variables: Variables, names: Names) -> None:
    """Pools in one piece of the map (`limits.connected_pools`), as far as rows go: a member other than
    the host borders a fellow member, x(i,u) <= sum_{k borders i} x(k,u) (the host is in every
    municipal pool, so i is never alone in one). The rest by cuts while solving
    (`optimizer.formulation.connected`); a partner is no place on the map and has no row."""
    if not instance.scenario.limits.connected_pools:
        return
    graph, partners = instance.graph, instance.partners
    for unit in variables.units:
        if not unit.carries_member_rules or unit.host not in unit.members:
            continue  # a provider's unit: its host is no member
        for code, var in unit.members.items():
            if code == unit.host or code in partners:
                continue
            around = [unit.members[k] for k in sorted(graph.neighbors(code)) if k in unit.members and k not in partners]
            problem.addConstraint(var - pulp.lpSum_vars(around) <= 0, names("border", code, *_unit_index(unit)))


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
    g(m) = m(m-1)/2: exact because m_i is an integer.

    And the same lines at o_i + 1, o_i = sum of i's memberships of matrix units hosted by others: a
    member of another's unit hosts one itself (`matrix_spread`), so m_i >= o_i + 1 whenever o_i >= 1,
    and at o_i = 0 every line lies at or below g(1) = 0. Nothing changes at integer points; in the LP
    relaxation a municipality can no longer host a fraction of a unit and so sit in fractions of
    others' units without their coordination (Zeeland: 71 % of the gap between the relaxation and
    the optimum closed, Drechtsteden 42 %; benchmarks/README.md, section 10)."""
    if not variables.coordination:
        return
    memberships = matrix_memberships(instance, variables.units)
    elsewhere: dict[str, list[pulp.LpVariable]] = defaultdict(list)
    for unit in variables.units:
        if unit.structure.coordinated:
            for code, var in unit.members.items():
                if code != unit.host:
                    elsewhere[code].append(var)
    curve = coordination_curve(len(instance.domains))
    for code, coord in variables.coordination.items():
        count = pulp.lpSum_vars(memberships[code])
        others = pulp.lpSum_vars(elsewhere[code])
        for k, (intercept, slope) in enumerate(curve.lines()):
            if slope > 0:
                problem.addConstraint(coord - slope * count >= intercept, names("coordination", code, k))
                if elsewhere[code]:
                    row = coord - slope * others >= intercept + slope
                    problem.addConstraint(row, names("coordination_elsewhere", code, k))


#: the constraint families in the order of docs/model.md
FAMILIES: tuple[Family, ...] = (
    assignment,
    membership_links,
    member_counts,
    units_per_host,
    bundles,
    host_capacity,
    provider_capacity,
    excluded_pairs,
    borders,
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

#: each constraint family as a progress line names it, in English and Dutch
FAMILY_WORDS: dict[str, tuple[str, str]] = {
    "assignment": ("assignment", "toewijzing"),
    "membership_links": ("membership links", "lidmaatschappen"),
    "member_counts": ("member counts", "aantallen deelnemers"),
    "units_per_host": ("units per host", "eenheden per gastheer"),
    "bundles": ("bundles", "bundels"),
    "host_capacity": ("host capacity", "capaciteit van de gastheer"),
    "overheads": ("overheads", "overhead"),
    "provider_capacity": ("provider capacity", "capaciteit van aanbieders"),
    "excluded_pairs": ("pairs kept apart", "paren die uit elkaar blijven"),
    "borders": ("borders", "grenzen"),
    "forced_pairs": ("pairs kept together", "paren die samen blijven"),
    "arrangements": ("arrangements", "regelingen"),
    "region_counts": ("counts for the region", "aantallen voor de regio"),
    "pool_quality": ("pool quality", "kwaliteit van de pools"),
    "vulnerability": ("vulnerability", "kwetsbaarheid"),
    "matrix_spread": ("matrix spread", "spreiding van de matrix"),
    "coordination": ("coordination", "coördinatie"),
    "participation": ("participation guarantee", "deelnamegarantie"),
}


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
    control.checkpoint(says("candidate units", "kandidaat-eenheden"))
    candidates = candidate_units(instance)
    count = number(len(candidates), 0, language())
    control.checkpoint(says(f"variables of {count} candidate units", f"variabelen van {count} kandidaat-eenheden"))
    variables = define_variables(problem, instance, candidates, names, pooled_terms)
    for family in FAMILIES:
        control.checkpoint(says(*FAMILY_WORDS[family.__name__]))
        family(problem, instance, variables, names)
    forbidden(variables, forbid)
    if require_pooling:
        services = len(instance.codes) * len(instance.domains)
        problem.addConstraint(pulp.lpSum_vars(list(variables.own.values())) <= services - 1, "require_pooling")
    return problem, variables, names
