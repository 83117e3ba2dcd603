"""Every coefficient of the objective: the one place a figure enters it.

A criterion's figure per variable is a `Contribution` (what keeping a service, a membership, an
opening or a body adds); `objective_terms` lays them on the variables, unweighted, and
`weighted_objective` applies the weights, once. The radius formulation weighs each option with
`weighted` instead: it orders options by their weighted cost.
"""

from __future__ import annotations

from collections.abc import Mapping

import pulp

from inputs.types import CRITERIA, StructureParams, Weights
from optimizer.formulation.candidates import Terms, Unit, Variables, fixed_pool_quality
from optimizer.instance import Instance

#: criterion (cost, quality, vulnerability, manageability, autonomy) -> a figure in EUR a year
Contribution = dict[str, float]


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


def body_member_cost(
    instance: Instance, structure: StructureParams, code: str, host: str, *, expected: bool = True
) -> float:
    economics = instance.scenario.economics
    tie = 1 - economics.tie_discount if instance.tie(code, host) else 1.0
    transition = structure.transition_per_member * tie / economics.horizon_years
    running = structure.governance_per_member - structure.council_saving_per_member
    if not expected:
        return running + transition
    return running_factor(instance, code, structure) * running + transition


def body_cost(instance: Instance, structure: StructureParams, host: str, *, expected: bool = True) -> float:
    """A body's own governance and set-up, on its host (an amalgamation's host keeps its council:
    the saving counts for every member but one)."""
    running = structure.governance_per_body + structure.council_saving_per_member
    transition = structure.transition_per_body / instance.scenario.economics.horizon_years
    return running_factor(instance, host, structure, expected) * running + transition


def overhead_price(instance: Instance, unit: Unit) -> float:
    """What an FTE of a pool's overhead costs a year as its members pay it: at the host's price, with
    the body's agency cost."""
    params = instance.domains[unit.domain]
    return params.cost_per_fte * instance.price_factor(unit.host) * (1 + unit.structure.agency_share)


def overhead_cost(instance: Instance, unit: Unit) -> float:
    """Cost per FTE of overhead, ovh(u): `overhead_price`, on the share of the horizon the pool runs."""
    # multiplied in this order, not as running_factor x overhead_price, because floating point is not
    # associative: that would move the textbook objective's coefficients in their last bit, and with
    # them the solver's path (the pool formulation keeps the other order for the same reason)
    params = instance.domains[unit.domain]
    price = params.cost_per_fte * instance.price_factor(unit.host)
    return running_factor(instance, unit.host, unit.structure) * price * (1 + unit.structure.agency_share)


def shortfall_value(instance: Instance, unit: Unit, code: str) -> float:
    """Quality per unit of what member `code` misses of full quality, qd(i,u), in expectation: its
    service's value, on the share of its quality the pool sets."""
    value = instance.service_value(code, unit.domain) * unit.structure.quality_share
    return value * running_factor(instance, code, unit.structure)


def cover_cost(instance: Instance, unit: Unit) -> float:
    """Vulnerability per FTE of a pool's uncovered work, v(u), in expectation."""
    params = instance.domains[unit.domain]
    return running_factor(instance, unit.host, unit.structure) * params.cover_premium * params.cost_per_fte


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
        add(body, {"cost": body_cost(instance, instance.structures[key], host)})
    for (code, host, key), joins in variables.body_members.items():
        add(joins, {"cost": body_member_cost(instance, instance.structures[key], code, host)})
    for (host, key), members in variables.all_domain.items():
        # body costs on the host; amalgamation saves a council per member beyond the first:
        # -saving (sum_i A(i) - A(h))
        structure = instance.structures[key]
        add(members[host], {"cost": body_cost(instance, structure, host)})
        for code, var in members.items():
            add(var, {"cost": body_member_cost(instance, structure, code, host)})
    for unit in variables.units:
        overhead = variables.overhead.get(unit.key)
        if overhead is not None:
            add(overhead, {"cost": overhead_cost(instance, unit)})
        if unit.key in variables.quality:
            for code in unit.members:
                add(variables.quality_shortfall[(code, *unit.key)], {"quality": shortfall_value(instance, unit, code)})
        v = variables.vulnerability.get(unit.key)
        if v is not None:
            add(v, {"vulnerability": cover_cost(instance, unit)})
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
