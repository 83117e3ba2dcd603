"""The participation guarantee as rows of the model (politics.participation): nobody pays more for a
pool, split by the key, than its own departments for the same domains cost."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pulp

from inputs.types import StructureParams
from optimizer.formulation.candidates import Names, Terms, Unit, Variables, centre_units
from optimizer.formulation.coefficients import (
    body_cost,
    body_member_cost,
    member_contribution,
    opening_contribution,
    overhead_price,
)
from optimizer.instance import Instance
from optimizer.shares import alone_cost, key_weight


def _members_in_order(units: Iterable[Unit]) -> list[str]:
    """The units' members once each, in the order the units list them: the rows built from them then
    come in the same order in every run (a set's order changes with PYTHONHASHSEED, and HiGHS's path
    with the order of rows)."""
    return list(dict.fromkeys(code for unit in units for code in unit.members))


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
        price = overhead_price(instance, unit)
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
    cost: Terms = [(body, body_cost(instance, structure, host, expected=False) - saving)]
    cost += [
        (var, body_member_cost(instance, structure, code, host, expected=False) + saving)
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
    for (host, structure_key), units in centre_units(variables.units).items():
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
    key = instance.scenario.politics.participation
    assert key is not None
    structure = instance.structures[structure_key]
    joins = {code: variables.body_members[code, host, structure_key] for code in _members_in_order(units)}
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
    for (host, structure_key), units in centre_units(variables.units).items():
        structure = instance.structures[structure_key]
        joins = {c: variables.body_members[c, host, structure_key] for c in _members_in_order(units)}
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
