"""The pooling MIP: `build_model` reads like the formulation in `docs/model.md`.

Variables
    own[i,d]       municipality i keeps domain d in house                     (binary)
    x[i,u]         i is a member of unit u = (host h, structure s, domain d)  (binary)
                   for structures that carry all domains, x[i,(h,s,d)] is one variable A[i,h,s]
                   shared by every domain; a unit hosted by a municipality is open iff its host
                   is a member (x[h,u]); a provider's unit has an opening variable of its own
    body[h,s]      a shared service centre at h is set up                     (binary)
    joins[i,h,s]   i uses the shared service centre at h in some domain       (0-1, continuous)
    v[u]           vulnerability of a pooled unit (epigraph of the p^S interpolant)
    coord[i]       coordination interfaces of i's matrix units (epigraph, exact at integers)

One function per constraint family, each with its algebra in the docstring, called in a fixed order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pulp

from inputs.types import StructureParams, pair
from optimizer.curves import coordination_curve
from optimizer.instance import IN_HOUSE, Configuration, Instance, Placement

Terms = list[tuple[pulp.LpVariable, float]]


@dataclass
class Unit:
    """A candidate pooled unit and the variables that describe it."""

    index: int
    host: str
    structure: StructureParams
    domain: str
    members: dict[str, pulp.LpVariable]
    is_open: pulp.LpVariable

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.host, self.structure.key, self.domain)


@dataclass
class Model:
    instance: Instance
    problem: pulp.LpProblem
    own: dict[tuple[str, str], pulp.LpVariable]
    units: list[Unit]
    bodies: dict[tuple[str, str], pulp.LpVariable] = field(default_factory=dict)
    body_members: dict[tuple[str, str, str], pulp.LpVariable] = field(default_factory=dict)
    formulation: str = "textbook"
    #: radius formulation: (code, domain) -> its options as (cost, unit or None for in house)
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
        for (code, domain), var in self.own.items():
            if (var.varValue or 0.0) > 0.5:
                chosen[code, domain] = Placement(code, IN_HOUSE)
        for unit in self.units:
            for code, var in unit.members.items():
                if (var.varValue or 0.0) > 0.5:
                    chosen[code, unit.domain] = Placement(unit.host, unit.structure.key)
        return chosen

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


class _Objective:
    """Collects objective terms from every family; one batched sum at the end (repeats merge)."""

    def __init__(self) -> None:
        self.terms: Terms = []

    def add(self, var: pulp.LpVariable, coefficient: float) -> None:
        if coefficient:
            self.terms.append((var, coefficient))

    def expression(self) -> pulp.LpAffineExpression:
        return pulp.lpSum_vars_coefs(self.terms)


def radius_applies(instance: Instance) -> str | None:
    """Why the radius formulation cannot represent this instance exactly, or None when it can.

    It can when every service simply goes to its cheapest open option: pools of one domain with no
    member limits, no capacities, no vulnerability or coordination terms that depend on who joins,
    no pair rules, and hosts that prefer their own unit."""
    scenario = instance.scenario
    limits, politics, weights = scenario.limits, scenario.politics, scenario.weights
    n = len(instance.codes)
    municipal_structures = set()
    for structure in instance.structures.values():
        if structure.scope != "domain":
            return f"{structure.key} carries several domains"
        if structure.max_members < n:
            return f"{structure.key} has a maximum number of members"
        if structure.max_units_per_host is not None and structure.max_units_per_host < len(instance.domains):
            return f"{structure.key} limits units per host"
        if structure.uses_host_capacity and limits.host_capacity_factor is not None:
            return "host capacity applies"
        if structure.transfers_staff and weights.vulnerability and any(d.disruption_eur for d in scenario.domains):
            return "vulnerability depends on the pooled staff"
        if structure.key == "matrix" and weights.manageability and structure.coordination_per_interface:
            return "matrix coordination depends on memberships"
        for domain in instance.domains:
            for host in instance.unit_hosts(structure, domain):
                if instance.min_members(structure, host) > 1:
                    return f"{structure.key} needs a minimum number of members"
                if not instance.is_provider(host):
                    municipal_structures.add(structure.key)
    if len(municipal_structures) > 1:
        return "a municipality could host units of two structures in one domain"
    if any(p.capacity_fte is not None for p in scenario.providers):
        return "a provider has a capacity"
    if politics.excluded_pairs or politics.forced_pairs:
        return "pair rules apply"
    if limits.max_arrangements is not None or limits.max_matrix_units is not None:
        return "arrangement or matrix limits apply"
    return None


def build_model(instance: Instance, require_pooling: bool = False, formulation: str = "auto") -> Model:
    """Variables, constraints and objective of the pooling decision, in the order of docs/model.md.

    `formulation` "auto" takes the radius formulation of the assignment layer where it is exact
    (`radius_applies`), else the textbook one. `require_pooling` adds  sum own <= services - 1: the
    best configuration that pools something, used to show what the status quo beat and by how much."""
    problem = pulp.LpProblem("seta", pulp.LpMinimize)
    objective = _Objective()
    why_not = radius_applies(instance)
    if formulation == "radius" and why_not is not None:
        raise ValueError(f"the radius formulation does not apply: {why_not}")
    if formulation in ("auto", "radius") and why_not is None and not require_pooling:
        return _build_radius(instance, problem, objective)
    own = _in_house_variables(problem, instance, objective)
    units, shared = _unit_variables(problem, instance, objective)
    model = Model(instance, problem, own, units)
    _assignment(model, shared)
    _membership_links(model)
    _member_counts(model)
    _units_per_host(model)
    _bundles(model, objective)
    _all_domain_bodies(model, shared, objective)
    _host_capacity(model)
    _provider_capacity(model)
    _excluded_pairs(model, shared)
    _forced_pairs(model)
    _arrangements(model, shared)
    _counts(model, shared)
    _vulnerability(model, objective)
    _coordination(model, objective)
    if require_pooling:
        services = len(instance.codes) * len(instance.domains)
        problem.addConstraint(pulp.lpSum_vars(list(own.values())) <= services - 1, "require_pooling")
    problem.setObjective(objective.expression())
    return model


# -- radius formulation ------------------------------------------------------------------------


def _build_radius(instance: Instance, problem: pulp.LpProblem, objective: _Objective) -> Model:
    """Assignment by covering radii (Cornuejols, Nemhauser & Wolsey 1980; Elloumi 2010).

    For service (i, d) with distinct option costs D_1 < ... < D_K (options: open units it may join,
    and its own department, which is always open):
        cost_i = D_1 + sum_k (D_{k+1} - D_k) z_ik,   z_ik in [0, 1]
        z_i1 + sum_{u: c_iu = D_1} open_u >= 1,   z_ik + sum_{u: c_iu = D_k} open_u >= z_i,k-1
    z_ik = 1 when no open option costs D_k or less. Options dearer than the own department are
    dropped (never chosen). Without member variables the model is far smaller; each unit keeps one
    opening variable."""
    units: list[Unit] = []
    options: dict[tuple[str, str], list[tuple[float, Unit | None]]] = defaultdict(list)
    for structure in instance.structures.values():
        for domain in instance.domains:
            for host in instance.unit_hosts(structure, domain):
                members = instance.unit_members(structure, host, domain)
                if not members or (not instance.is_provider(host) and host not in members):
                    continue
                unit = Unit(
                    len(units), host, structure, domain, {}, problem.add_variable(f"y_{len(units)}", cat="Binary")
                )
                units.append(unit)
                objective.add(unit.is_open, _opening_coefficient(instance, structure, host, domain))
                for code in members:
                    options[code, domain].append((_member_coefficient(instance, structure, host, domain, code), unit))
    constant = 0.0
    for a, code in enumerate(instance.codes):
        for b, domain in enumerate(instance.domains):
            choices = options[code, domain]
            own_cost = None if instance.forced(code, domain) else _own_coefficient(instance, code, domain)
            if own_cost is not None:
                choices.append((own_cost, None))
                choices[:] = [(c, u) for c, u in choices if c <= own_cost]
            levels = sorted({c for c, _u in choices})
            if not levels:
                never = problem.add_variable(f"unserved_{a}_{b}", 0, 0)
                problem.addConstraint(pulp.lpSum_vars([never]) >= 1, f"radius_{a}_{b}_none")
                continue
            constant += levels[0]
            by_level: dict[float, list[pulp.LpVariable]] = defaultdict(list)
            for c, option in choices:
                if option is not None:
                    by_level[c].append(option.is_open)
            previous: pulp.LpVariable | None = None
            for k, level in enumerate(levels):
                if own_cost is not None and level == own_cost:
                    break  # the own department is always there: the chain ends
                terms = [(var, 1.0) for var in by_level[level]]
                beyond: pulp.LpVariable | None = None
                if k < len(levels) - 1:
                    beyond = problem.add_variable(f"z_{a}_{b}_{k}", 0, 1)
                    objective.add(beyond, levels[k + 1] - level)
                    terms.append((beyond, 1.0))
                if previous is not None:
                    terms.append((previous, -1.0))
                rhs = 0.0 if previous is not None else 1.0
                problem.addConstraint(pulp.lpSum_vars_coefs(terms) >= rhs, f"radius_{a}_{b}_{k}")
                previous = beyond
    model = Model(instance, problem, {}, units, formulation="radius", options=dict(options))
    _counts(model, {})
    problem.setObjective(objective.expression() + constant)
    return model


# -- variables ---------------------------------------------------------------------------------


def _own_coefficient(instance: Instance, code: str, domain: str) -> float:
    """Objective coefficient of keeping a domain in house: cost, quality and vulnerability."""
    weights = instance.scenario.weights
    params = instance.domains[domain]
    staff = instance.own_staff(code, domain)
    return (
        weights.cost * params.cost_per_fte * staff
        - weights.quality * instance.service_value(code, domain) * instance.baseline_quality[code, domain]
        + weights.vulnerability * params.disruption_eur * instance.curve(domain).value(staff)
    )


def _in_house_variables(
    problem: pulp.LpProblem, instance: Instance, objective: _Objective
) -> dict[tuple[str, str], pulp.LpVariable]:
    """own[i,d], with the cost, quality and vulnerability of the municipality's own unit."""
    own = {}
    for a, code in enumerate(instance.codes):
        for b, domain in enumerate(instance.domains):
            if instance.forced(code, domain):
                continue
            var = problem.add_variable(f"own_{a}_{b}", cat="Binary")
            objective.add(var, _own_coefficient(instance, code, domain))
            own[code, domain] = var
    return own


def _member_coefficient(instance: Instance, structure: StructureParams, host: str, domain: str, code: str) -> float:
    """Objective coefficient of one membership x[i,(h,s,d)]: everything that scales with a member."""
    scenario = instance.scenario
    weights, economics = scenario.weights, scenario.economics
    params = instance.domains[domain]
    work = instance.workload[code, domain]
    e, g = structure.workload_saving, structure.core_sharing
    moved = 0.0 if code == host else work
    tie = 1 - economics.tie_discount if instance.tie(code, host) else 1.0
    cost = params.cost_per_fte * instance.price_factor(host) * ((1 - e) * work + (1 - g) * params.core_fte)
    if structure.scope == "domain":
        cost += structure.governance_per_member
        cost += (structure.transition_per_member + structure.transition_per_fte * moved) * tie / economics.horizon_years
    else:
        cost += structure.transition_per_fte * moved * tie / economics.horizon_years
    if structure.transfers_staff:
        cost += economics.travel_eur_per_fte_km * params.location_bound * moved * instance.distance(code, host)
    level = instance.baseline_quality[code, domain]
    if structure.transfers_staff:
        level = max(level, instance.host_quality(host, domain))
    quality = level + structure.quality_share * (1 - level)
    coefficient = (
        weights.cost * cost
        - weights.quality * instance.service_value(code, domain) * quality
        + weights.autonomy * structure.autonomy_loss * economics.autonomy_eur * instance.autonomy_factor(code)
    )
    if not structure.transfers_staff:
        own_staff = (1 - e) * work + (1 - g) * params.core_fte
        coefficient += weights.vulnerability * params.disruption_eur * instance.curve(domain).value(own_staff)
    return coefficient


def _opening_coefficient(instance: Instance, structure: StructureParams, host: str, domain: str) -> float:
    """Objective coefficient of opening one unit: its share of the core, governance, set-up."""
    params = instance.domains[domain]
    cost = (
        params.cost_per_fte * instance.price_factor(host) * structure.core_sharing * params.core_fte
        + structure.governance_per_unit
        + structure.transition_per_unit / instance.scenario.economics.horizon_years
        + instance.fixed_cost(host)
    )
    return instance.scenario.weights.cost * cost


def _unit_variables(
    problem: pulp.LpProblem, instance: Instance, objective: _Objective
) -> tuple[list[Unit], dict[tuple[str, str], dict[str, pulp.LpVariable]]]:
    """x[i,u] for every candidate unit with enough candidate members; A[i,h,s] for all-domain bodies.

    Returns the units and, for all-domain structures, (host, structure) -> member variables.
    """
    units: list[Unit] = []
    shared: dict[tuple[str, str], dict[str, pulp.LpVariable]] = {}
    code_index = {c: n for n, c in enumerate(instance.codes)}
    for structure in instance.structures.values():
        if structure.scope == "all":
            any_domain = next(iter(instance.domains))
            for host in instance.unit_hosts(structure, any_domain):
                candidates = instance.unit_members(structure, host, any_domain)
                if host not in candidates or len(candidates) < structure.min_members:
                    continue
                members = {
                    c: problem.add_variable(f"A_{structure.key}_{code_index[host]}_{code_index[c]}", cat="Binary")
                    for c in candidates
                }
                shared[host, structure.key] = members
                for domain in instance.domains:
                    unit = Unit(len(units), host, structure, domain, members, members[host])
                    units.append(unit)
                    for code, var in members.items():
                        objective.add(var, _member_coefficient(instance, structure, host, domain, code))
                    objective.add(members[host], _opening_coefficient(instance, structure, host, domain))
            continue
        for domain in instance.domains:
            for host in instance.unit_hosts(structure, domain):
                candidates = instance.unit_members(structure, host, domain)
                provider = instance.is_provider(host)
                if (not provider and host not in candidates) or len(candidates) < instance.min_members(structure, host):
                    continue
                index = len(units)
                members = {c: problem.add_variable(f"x_{index}_{code_index[c]}", cat="Binary") for c in candidates}
                is_open = problem.add_variable(f"y_{index}", cat="Binary") if provider else members[host]
                unit = Unit(index, host, structure, domain, members, is_open)
                units.append(unit)
                for code, var in members.items():
                    objective.add(var, _member_coefficient(instance, structure, host, domain, code))
                objective.add(is_open, _opening_coefficient(instance, structure, host, domain))
    return units, shared


# -- constraints --------------------------------------------------------------------------------


def _assignment(model: Model, shared: dict[tuple[str, str], dict[str, pulp.LpVariable]]) -> None:
    """Every service is done exactly once:  own[i,d] + sum_u x[i,u] = 1  for all i, d."""
    terms: dict[tuple[str, str], list[pulp.LpVariable]] = defaultdict(list)
    for key, var in model.own.items():
        terms[key].append(var)
    for unit in model.units:
        for code, var in unit.members.items():
            terms[code, unit.domain].append(var)
    instance = model.instance
    for a, code in enumerate(instance.codes):
        for b, domain in enumerate(instance.domains):
            model.problem.addConstraint(pulp.lpSum_vars(terms[code, domain]) == 1, f"assign_{a}_{b}")


def _membership_links(model: Model) -> None:
    """Only open units have members:  x[i,u] <= open[u]  (for a municipality host open[u] = x[h,u])."""
    for unit in model.units:
        if unit.structure.scope == "all" and unit.domain != next(iter(model.instance.domains)):
            continue  # the same variables for every domain: link once
        for n, (_code, var) in enumerate(unit.members.items()):
            if var is not unit.is_open:
                model.problem.addConstraint(var - unit.is_open <= 0, f"link_{unit.index}_{n}")


def _member_counts(model: Model) -> None:
    """min_s * open[u] <= sum_i x[i,u] <= max_s * open[u]."""
    first = next(iter(model.instance.domains))
    for unit in model.units:
        if unit.structure.scope == "all" and unit.domain != first:
            continue
        members = pulp.lpSum_vars(list(unit.members.values()))
        low = model.instance.min_members(unit.structure, unit.host)
        if low > 1:
            model.problem.addConstraint(members - low * unit.is_open >= 0, f"min_members_{unit.index}")
        if unit.structure.max_members < len(unit.members):
            model.problem.addConstraint(
                members - unit.structure.max_members * unit.is_open <= 0, f"max_members_{unit.index}"
            )


def _units_per_host(model: Model) -> None:
    """sum_d open[(h,s,d)] <= max_units_per_host_s  (a matrix host carries one or two units)."""
    groups: dict[tuple[str, str], list[pulp.LpVariable]] = defaultdict(list)
    for unit in model.units:
        if unit.structure.max_units_per_host is not None and unit.structure.scope != "all":
            groups[unit.host, unit.structure.key].append(unit.is_open)
    for n, ((_host, key), opens) in enumerate(sorted(groups.items())):
        cap = model.instance.structures[key].max_units_per_host
        if cap is not None and len(opens) > cap:
            model.problem.addConstraint(pulp.lpSum_vars(opens) <= cap, f"units_per_host_{n}")


def _bundles(model: Model, objective: _Objective) -> None:
    """Shared service centres:  open[u] <= body[h,s];  min_dom * body <= sum_d open <= max_dom * body;
    joins[i,h,s] >= x[i,u]  (one governance and transition charge per member of the body)."""
    instance = model.instance
    weights, economics = instance.scenario.weights, instance.scenario.economics
    groups: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for unit in model.units:
        if unit.structure.scope == "bundle":
            groups[unit.host, unit.structure.key].append(unit)
    code_index = {c: n for n, c in enumerate(instance.codes)}
    for n, ((host, key), units) in enumerate(sorted(groups.items())):
        structure = instance.structures[key]
        body = model.problem.add_variable(f"body_{key}_{n}", cat="Binary")
        model.bodies[host, key] = body
        objective.add(
            body,
            weights.cost * (structure.governance_per_body + structure.transition_per_body / economics.horizon_years),
        )
        opens = [u.is_open for u in units]
        for unit in units:
            model.problem.addConstraint(unit.is_open - body <= 0, f"bundle_link_{unit.index}")
        model.problem.addConstraint(pulp.lpSum_vars(opens) - structure.min_domains * body >= 0, f"bundle_min_{n}")
        if structure.max_domains < len(units):
            model.problem.addConstraint(pulp.lpSum_vars(opens) - structure.max_domains * body <= 0, f"bundle_max_{n}")
        codes = sorted({c for u in units for c in u.members}, key=code_index.__getitem__)
        for code in codes:
            joins = model.problem.add_variable(f"joins_{key}_{n}_{code_index[code]}", 0, 1)
            model.body_members[code, host, key] = joins
            tie = 1 - economics.tie_discount if instance.tie(code, host) else 1.0
            objective.add(
                joins,
                weights.cost
                * (structure.governance_per_member + structure.transition_per_member * tie / economics.horizon_years),
            )
            for unit in units:
                if code in unit.members:
                    model.problem.addConstraint(
                        unit.members[code] - joins <= 0, f"bundle_join_{unit.index}_{code_index[code]}"
                    )


def _all_domain_bodies(
    model: Model, shared: dict[tuple[str, str], dict[str, pulp.LpVariable]], objective: _Objective
) -> None:
    """One civil service and amalgamation carry every domain with the same members, by construction
    (one variable A[i,h,s] for all domains). Body costs: governance and set-up per body and member,
    and (amalgamation) a council saving per member beyond the first:  -saving * (sum_i A - A[h])."""
    instance = model.instance
    weights, economics = instance.scenario.weights, instance.scenario.economics
    for (host, key), members in shared.items():
        structure = instance.structures[key]
        objective.add(
            members[host],
            weights.cost
            * (
                structure.governance_per_body
                + structure.transition_per_body / economics.horizon_years
                + structure.council_saving_per_member
            ),
        )
        for code, var in members.items():
            tie = 1 - economics.tie_discount if instance.tie(code, host) else 1.0
            objective.add(
                var,
                weights.cost
                * (
                    structure.governance_per_member
                    + structure.transition_per_member * tie / economics.horizon_years
                    - structure.council_saving_per_member
                ),
            )


def _host_capacity(model: Model) -> None:
    """A municipality absorbs at most its capacity from others:
    sum_{u at h, s absorbs} sum_{i != h} (1 - e_s) w[i,d] x[i,u] <= factor * own staff of h."""
    instance = model.instance
    terms: dict[str, Terms] = defaultdict(list)
    for unit in model.units:
        if not unit.structure.uses_host_capacity or instance.is_provider(unit.host):
            continue
        for code, var in unit.members.items():
            if code != unit.host:
                work = (1 - unit.structure.workload_saving) * instance.workload[code, unit.domain]
                terms[unit.host].append((var, work))
    for host, pairs in sorted(terms.items()):
        capacity = instance.host_capacity(host)
        if capacity is not None:
            expression = pulp.lpSum_vars_coefs(pairs)  # merges repeated variables
            model.problem.addConstraint(expression <= capacity, f"host_capacity_{instance.codes.index(host)}")


def _staff_terms(model: Model, unit: Unit) -> Terms:
    """staff[u] = sum_i ((1 - e) w[i,d] + (1 - g) core_d) x[i,u] + g core_d open[u]."""
    instance = model.instance
    params = instance.domains[unit.domain]
    e, g = unit.structure.workload_saving, unit.structure.core_sharing
    terms = [
        (var, (1 - e) * instance.workload[code, unit.domain] + (1 - g) * params.core_fte)
        for code, var in unit.members.items()
    ]
    terms.append((unit.is_open, g * params.core_fte))
    return terms


def _provider_capacity(model: Model) -> None:
    """A provider staffs at most its capacity:  sum_{u at p} staff[u] <= capacity_p."""
    instance = model.instance
    for n, provider in enumerate(instance.providers.values()):
        if provider.capacity_fte is None:
            continue
        terms: Terms = []
        for unit in model.units:
            if unit.host == provider.key:
                terms += _staff_terms(model, unit)
        if terms:
            model.problem.addConstraint(pulp.lpSum_vars_coefs(terms) <= provider.capacity_fte, f"provider_capacity_{n}")


def _excluded_pairs(model: Model, shared: dict[tuple[str, str], dict[str, pulp.LpVariable]]) -> None:
    """Pairs that will not work together never share a unit:  x[a,u] + x[b,u] <= 1."""
    pairs = model.instance.excluded_pairs
    if not pairs:
        return
    first = next(iter(model.instance.domains))
    count = 0
    for unit in model.units:
        if unit.structure.scope == "all" and unit.domain != first:
            continue
        for a, b in pairs:
            if a in unit.members and b in unit.members:
                model.problem.addConstraint(unit.members[a] + unit.members[b] <= 1, f"apart_{count}")
                count += 1


def _forced_pairs(model: Model) -> None:
    """Pairs that must work together share a unit in the named domains:  x[a,u] = x[b,u], own = 0."""
    count = 0
    for forced in model.instance.scenario.politics.forced_pairs:
        for domain in forced.domains:
            for code in (forced.a, forced.b):
                var = model.own.get((code, domain))
                if var is not None:
                    model.problem.addConstraint(var == 0, f"together_pool_{count}")
                    count += 1
            for unit in model.units:
                if unit.domain != domain:
                    continue
                a, b = unit.members.get(forced.a), unit.members.get(forced.b)
                if a is None and b is None:
                    continue
                if a is not None and b is not None:
                    model.problem.addConstraint(a - b == 0, f"together_{count}")
                else:
                    lonely = a if a is not None else b
                    assert lonely is not None
                    model.problem.addConstraint(pulp.lpSum_vars([lonely]) == 0, f"together_{count}")
                count += 1


def _arrangements(model: Model, shared: dict[tuple[str, str], dict[str, pulp.LpVariable]]) -> None:
    """A municipality's new arrangements stay within the limit:
    sum_{domain units} x[i,u] + sum joins[i,h,s] + sum A[i,h,s] <= max(0, limit - existing_i)."""
    instance = model.instance
    limit = instance.scenario.limits.max_arrangements
    if limit is None:
        return
    terms: dict[str, list[pulp.LpVariable]] = defaultdict(list)
    for unit in model.units:
        if unit.structure.scope == "domain":
            for code, var in unit.members.items():
                terms[code].append(var)
    for (code, _host, _key), var in model.body_members.items():
        terms[code].append(var)
    for members in shared.values():
        for code, var in members.items():
            terms[code].append(var)
    for n, code in enumerate(instance.codes):
        if terms[code]:
            room = max(0, limit - instance.existing_arrangements(code))
            model.problem.addConstraint(pulp.lpSum_vars(terms[code]) <= room, f"arrangements_{n}")


def _counts(model: Model, shared: dict[tuple[str, str], dict[str, pulp.LpVariable]]) -> None:
    """Region limits:  sum open[matrix units] <= max_matrix_units;  pools + bodies <= max_pools."""
    limits = model.instance.scenario.limits
    if limits.max_matrix_units is not None:
        opens = [u.is_open for u in model.units if u.structure.key == "matrix"]
        if opens:
            model.problem.addConstraint(pulp.lpSum_vars(opens) <= limits.max_matrix_units, "max_matrix_units")
    if limits.max_pools is not None:
        opens = [u.is_open for u in model.units if u.structure.scope == "domain"]
        opens += list(model.bodies.values())
        opens += [members[host] for (host, _key), members in shared.items()]
        if opens:
            model.problem.addConstraint(pulp.lpSum_vars(opens) <= limits.max_pools, "max_pools")


def _vulnerability(model: Model, objective: _Objective) -> None:
    """v[u] >= a_k open[u] + b_k staff[u] for every line k of the p^S interpolant that lies right of
    the unit's smallest possible staff; v[u] is charged disruption_d per expected empty unit-year."""
    instance = model.instance
    weight = instance.scenario.weights.vulnerability
    for unit in model.units:
        params = instance.domains[unit.domain]
        if not unit.structure.transfers_staff or weight == 0 or params.disruption_eur == 0:
            continue
        e, g = unit.structure.workload_saving, unit.structure.core_sharing
        smallest = params.core_fte * (g + (1 - g) * instance.min_members(unit.structure, unit.host))
        if not instance.is_provider(unit.host):
            smallest += (1 - e) * instance.workload[unit.host, unit.domain]
        v = model.problem.add_variable(f"v_{unit.index}", 0)
        objective.add(v, weight * params.disruption_eur)
        staff = _staff_terms(model, unit)
        for k, (intercept, slope) in enumerate(instance.curve(unit.domain).lines(from_x=smallest)):
            terms = [(var, slope * c) for var, c in staff]
            terms.append((unit.is_open, intercept))
            expression = pulp.lpSum_vars_coefs(terms)  # merges the host's two terms
            model.problem.addConstraint(v - expression >= 0, f"vulnerability_{unit.index}_{k}")


def _coordination(model: Model, objective: _Objective) -> None:
    """coord[i] >= g(k) + (g(k+1) - g(k)) (m_i - k),  m_i = sum_d sum_{matrix u} x[i,u],
    g(m) = m(m-1)/2: exact because m_i is an integer."""
    instance = model.instance
    matrix = instance.structures.get("matrix")
    weight = instance.scenario.weights.manageability
    if matrix is None or weight == 0 or matrix.coordination_per_interface == 0:
        return
    memberships: dict[str, list[pulp.LpVariable]] = defaultdict(list)
    for unit in model.units:
        if unit.structure.key == "matrix":
            for code, var in unit.members.items():
                memberships[code].append(var)
    curve = coordination_curve(len(instance.domains))
    for n, code in enumerate(instance.codes):
        if len(memberships[code]) < 2:
            continue
        coord = model.problem.add_variable(f"coord_{n}", 0)
        objective.add(coord, weight * matrix.coordination_per_interface)
        count = pulp.lpSum_vars(memberships[code])
        for k, (intercept, slope) in enumerate(curve.lines()):
            if slope > 0:
                model.problem.addConstraint(coord - slope * count >= intercept, f"coordination_{n}_{k}")


__all__ = ["Model", "Unit", "build_model", "pair"]
