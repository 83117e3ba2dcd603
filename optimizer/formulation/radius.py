"""The radius (covering) formulation of the assignment layer, for pure facility-location choices.

For service (i, d) with distinct option costs D_1 < ... < D_K (options: the open units it may join,
and its own department, which is always open), and z_ik in [0, 1] meaning "no open option costs D_k
or less" (Cornuejols, Nemhauser & Wolsey 1980; Elloumi 2010; Garcia, Labbe & Marin 2011):

    cost_i = D_1 + sum_k (D_{k+1} - D_k) z_ik
    z_i1 + sum_{u: c_iu = D_1} open_u >= 1,    z_ik + sum_{u: c_iu = D_k} open_u >= z_i,k-1

There is no member variable: one binary per unit and a chain of continuous variables per service. It
is exact only when nothing but the option's own cost depends on who joins a unit (`radius_applies`).
Options are ordered by their weighted cost, so here the weights enter each option's cost.
"""

from __future__ import annotations

from collections import defaultdict

import pulp

from inputs.labels import says
from optimizer.control import Control
from optimizer.formulation.candidates import Names, Unit, Variables, candidate_units, fixed_pool_quality
from optimizer.formulation.coefficients import member_contribution, opening_contribution, own_contribution, weighted
from optimizer.formulation.model import Model
from optimizer.formulation.rows import region_counts
from optimizer.instance import Instance


def radius_applies(instance: Instance) -> str | None:
    """Why the radius formulation cannot represent this instance exactly, or None when it can.

    It can when every service simply goes to its cheapest open option: pools of one domain with no
    member limits, no capacities, no vulnerability or coordination terms that depend on who joins,
    no pair rules, and hosts that prefer their own unit."""
    scenario = instance.scenario
    limits, politics, weights = scenario.limits, scenario.politics, scenario.weights
    n = len(instance.codes)
    if politics.participation is not None:
        return "every member's share of its pool is bounded (politics.participation)"
    if limits.connected_pools:
        return "every pool must be one piece of the map (limits.connected_pools)"
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
        if (
            structure.transfers_staff
            and weights.vulnerability
            and any(d.cover_premium * d.cost_per_fte for d in scenario.domains)
        ):
            return "vulnerability depends on the pooled work"
        if structure.transfers_staff and any(d.core_fte or d.diseconomy_share for d in scenario.domains):
            return "a pool's overhead depends on its work"
        if (
            weights.quality
            and structure.quality_share
            and any(
                fixed_pool_quality(instance, structure, host, domain) is None
                for domain in instance.domains
                for host in instance.unit_hosts(structure, domain)
            )
        ):
            return "a pool's quality depends on its work"
        if structure.coordinated:
            return "a matrix spreads its units over its members"
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


def build_radius(instance: Instance, control: Control) -> Model:
    """The model in the radius formulation: an opening variable y per unit, a chain z per service."""
    problem = pulp.LpProblem("seta", pulp.LpMinimize)
    names = Names(instance)
    weights = instance.scenario.weights
    terms: list[tuple[pulp.LpVariable, float]] = []
    units: list[Unit] = []
    options: dict[tuple[str, str], list[tuple[float, Unit | None]]] = defaultdict(list)
    control.checkpoint(says("candidate units", "kandidaat-eenheden"))
    for candidate in candidate_units(instance):
        structure, host, domain = candidate.structure, candidate.host, candidate.domain
        is_open = problem.add_variable(names("y", host, structure.key, domain), cat="Binary")
        unit = Unit(len(units), host, structure, domain, {}, is_open)
        units.append(unit)
        terms.append((is_open, weighted(opening_contribution(instance, structure, host, domain), weights)))
        for code in candidate.members:
            cost = weighted(member_contribution(instance, structure, host, domain, code), weights)
            options[code, domain].append((cost, unit))
    control.checkpoint(says("covering chains", "dekkingsketens"))
    constant = 0.0
    for code in instance.codes:
        for domain in instance.domains:
            choices = options[code, domain]
            own_cost = (
                None if instance.forced(code, domain) else weighted(own_contribution(instance, code, domain), weights)
            )
            if own_cost is not None:
                choices.append((own_cost, None))
                choices[:] = [(c, u) for c, u in choices if c <= own_cost]
            levels = sorted({c for c, _u in choices})
            if not levels:
                never = problem.add_variable(names("unserved", code, domain), 0, 0)
                problem.addConstraint(pulp.lpSum_vars([never]) >= 1, names("radius_none", code, domain))
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
                row = [(var, 1.0) for var in by_level[level]]
                beyond: pulp.LpVariable | None = None
                if k < len(levels) - 1:
                    beyond = problem.add_variable(names("z", code, domain, k), 0, 1)
                    terms.append((beyond, levels[k + 1] - level))
                    row.append((beyond, 1.0))
                if previous is not None:
                    row.append((previous, -1.0))
                rhs = 0.0 if previous is not None else 1.0
                problem.addConstraint(pulp.lpSum_vars_coefs(row) >= rhs, names("radius", code, domain, k))
                previous = beyond
    variables = Variables({}, tuple(units), {}, {}, {}, {}, {}, {}, {}, {})
    region_counts(problem, instance, variables, names)
    problem.setObjective(pulp.lpSum_vars_coefs([(v, c) for v, c in terms if c]) + constant)
    return Model(instance, problem, variables, formulation="radius", options=dict(options))
