"""The independent evaluator: the objective and every rule, computed from a configuration alone.

It knows nothing of the MIP: no variables, no linearisation. Each pool's figures are computed from
its members with the formulas of `docs/model.md`. The model's objective must equal this value for
the model's own solution, and the status quo (nobody pools) is evaluated here as the baseline.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from inputs.labels import name, number, says
from inputs.types import StructureParams
from optimizer.curves import coordination_curve
from optimizer.instance import IN_HOUSE, Configuration, Instance, Placement
from optimizer.shares import Overpaid, overpaid

#: the parts of the annual cost, as `CostParts` (optimizer.result) names them; `risk` is what the
#: chance that a pool is undone adds in expectation (the running parts are those if it works)
COST_PARTS = ("staff", "agency", "governance", "transition", "travel", "council", "risk")


@dataclass
class UnitResult:
    """One unit: a municipality's own department (`in_house`) or a pool for one domain."""

    host: str
    structure: str
    domain: str
    members: tuple[str, ...]
    #: FTE of work the unit does (its members' workloads)
    workload: float
    #: the work plus the unit's overhead (docs/model.md, "Staff, cost and quality")
    staff_fte: float
    staff_cost: float
    agency: float
    governance: float
    transition_one_off: float
    travel: float
    #: probability that a member's service stands empty (p^W of the unit that does its work)
    uncovered: dict[str, float]
    #: EUR a year of cover expected while the unit stands empty (the vulnerability criterion)
    cover_eur: float


@dataclass
class BodyResult:
    """A body that carries several domains: a shared service centre or one civil service."""

    host: str
    structure: str
    domains: tuple[str, ...]
    members: tuple[str, ...]
    governance: float
    transition_one_off: float
    council_saving: float


@dataclass
class ServiceResult:
    """One municipality's service in one domain: where it is done and what it costs the municipality."""

    code: str
    domain: str
    placement: Placement
    #: annual EUR share by part (COST_PARTS but council, which is a saving per body member)
    parts: dict[str, float]
    transition_one_off: float
    quality: float
    uncovered: float
    autonomy: float
    #: what the chance that its pool is undone adds to its annual cash cost in expectation (its
    #: running cost stays with the own department for part of the horizon, plus the exit payment)
    risk_eur: float = 0.0

    @property
    def cost(self) -> float:
        """Annual EUR share if it works, transition written off, council saving excluded."""
        return sum(self.parts.values())


@dataclass
class Evaluation:
    #: the weighted objective, expected with the risk that pools are undone
    objective: float
    #: criterion -> EUR (or EUR-equivalent) a year, expected with the risk
    criteria: dict[str, float]
    cost_parts: dict[str, float]
    transition_one_off: float
    units: list[UnitResult]
    bodies: list[BodyResult]
    services: dict[tuple[str, str], ServiceResult]
    coordination_interfaces: dict[str, int]
    council_saving: dict[str, float]
    violations: list[str] = field(default_factory=list)
    #: members who pay more for a pool than alone, where politics.participation forbids it
    overpaid: list[Overpaid] = field(default_factory=list)
    #: criterion -> what the risk adds to it (expected minus if it works)
    risk: dict[str, float] = field(default_factory=dict)
    #: the weighted objective if every pool works
    objective_if_works: float = 0.0

    @property
    def if_works(self) -> dict[str, float]:
        """The criteria if every pool works (no risk)."""
        return {c: v - self.risk.get(c, 0.0) for c, v in self.criteria.items()}

    @property
    def feasible(self) -> bool:
        return not self.violations

    def pools(self) -> list[UnitResult]:
        return [u for u in self.units if u.structure != IN_HOUSE]


def own_department(instance: Instance, code: str, domain: str) -> UnitResult:
    """A municipality doing the domain itself: its work, its overhead, its own risk of standing empty."""
    params = instance.domains[domain]
    work = instance.workload[code, domain]
    staff = instance.own_staff(code, domain)
    empty = instance.curve(domain).value(work)
    return UnitResult(
        code,
        IN_HOUSE,
        domain,
        (code,),
        work,
        staff,
        params.cost_per_fte * staff,
        0.0,
        0.0,
        0.0,
        0.0,
        {code: empty},
        params.cover_premium * params.cost_per_fte * work * empty,
    )


def evaluate(instance: Instance, configuration: Configuration) -> Evaluation:
    """Objective breakdown and rule violations of a configuration (every service placed once)."""
    scenario = instance.scenario
    economics = scenario.economics
    violations: list[str] = []
    horizon = economics.horizon_years

    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for code in instance.codes:
        for domain in instance.domains:
            placement = configuration.get((code, domain))
            if placement is None:
                violations.append(
                    says(
                        f"{code} has no placement for {domain}",
                        f"{code} heeft {name(domain, 'nl')} nergens ondergebracht",
                    )
                )
                continue
            if placement.structure == IN_HOUSE:
                if placement.host != code:
                    violations.append(
                        says(
                            f"{code}/{domain}: in-house work is done at {placement.host}",
                            f"{code}/{domain}: het werk in eigen huis gebeurt bij {placement.host}",
                        )
                    )
                groups[code, IN_HOUSE, domain].append(code)
            else:
                groups[placement.host, placement.structure, domain].append(code)

    units: list[UnitResult] = []
    services: dict[tuple[str, str], ServiceResult] = {}
    matrix_memberships: dict[str, int] = defaultdict(int)  # coordinated units per municipality

    for (host, key, domain), members in sorted(groups.items()):
        if key == IN_HOUSE:
            code = members[0]
            unit = own_department(instance, code, domain)
            units.append(unit)
            services[code, domain] = ServiceResult(
                code,
                domain,
                Placement(code, IN_HOUSE),
                {"staff": unit.staff_cost, "agency": 0.0, "governance": 0.0, "transition": 0.0, "travel": 0.0},
                0.0,
                instance.baseline_quality[code, domain],
                unit.uncovered[code],
                0.0,
            )
            continue
        structure = instance.structures.get(key)
        if structure is None:
            violations.append(
                says(
                    f"{domain} pool at {host}: structure '{key}' is not allowed",
                    f"pool voor {name(domain, 'nl')} bij {host}: vorm '{key}' is niet toegestaan",
                )
            )
            continue
        violations += pool_rule_breaches(instance, host, key, domain, members)
        unit, shares = _pool(instance, host, structure, domain, members)
        units.append(unit)
        quality = instance.pool_quality(structure, host, domain, unit.workload)
        for i in members:
            level = instance.baseline_quality[i, domain]
            services[i, domain] = ServiceResult(
                i,
                domain,
                Placement(host, key),
                shares[i],
                shares[i].pop("one_off"),
                level + structure.quality_share * (quality - level),
                unit.uncovered[i],
                instance.autonomy_loss(i, structure, host),
            )
            if structure.coordinated:
                matrix_memberships[i] += 1

    bodies, body_violations = _bodies(instance, configuration, services)
    violations += body_violations
    violations += _region_rules(instance, configuration, units, bodies)
    participation = scenario.politics.participation
    breaches: list[Overpaid] = []
    if participation is not None:
        breaches = overpaid(instance, services, participation)
        guarantee = says(
            f"participation by {participation.text}: ", f"deelnamegarantie (verdeeld naar {participation.text}): "
        )
        violations += [guarantee + b.describe() for b in breaches]

    council: dict[str, float] = defaultdict(float)
    for body in bodies:
        per_member = body.council_saving / len(body.members) if body.members else 0.0
        for i in body.members:
            council[i] += per_member

    interfaces: dict[str, int] = {}
    coordination_eur = 0.0
    matrix = instance.matrix
    if matrix is not None:
        curve = coordination_curve(len(instance.domains))
        for code in instance.codes:
            count = matrix_memberships.get(code, 0)
            interfaces[code] = round(curve.value(count))
            coordination_eur += matrix.coordination_per_interface * curve.value(count)

    risk = _risk(instance, units, bodies, services, matrix_memberships)
    transition_one_off = sum(u.transition_one_off for u in units) + sum(b.transition_one_off for b in bodies)
    cost_parts = {
        "staff": sum(u.staff_cost for u in units),
        "agency": sum(u.agency for u in units),
        "governance": sum(u.governance for u in units) + sum(b.governance for b in bodies),
        "transition": transition_one_off / horizon,
        "travel": sum(u.travel for u in units),
        "council": -sum(b.council_saving for b in bodies),
        "risk": risk["cost"],
    }
    criteria = {
        "cost": sum(cost_parts.values()),
        "quality": -sum(s.quality * instance.service_value(s.code, s.domain) for s in services.values()),
        "vulnerability": sum(u.cover_eur for u in units),
        "manageability": coordination_eur,
        "autonomy": sum(s.autonomy for s in services.values()) + risk["autonomy"],
    }
    criteria["quality"] += risk["quality"]
    criteria["vulnerability"] += risk["vulnerability"]
    criteria["manageability"] += risk["manageability"]
    weights = scenario.weights
    objective = sum(getattr(weights, criterion) * value for criterion, value in criteria.items())
    if_works = sum(getattr(weights, criterion) * (value - risk[criterion]) for criterion, value in criteria.items())
    return Evaluation(
        objective=objective,
        criteria=criteria,
        cost_parts=cost_parts,
        transition_one_off=transition_one_off,
        units=units,
        bodies=bodies,
        services=services,
        coordination_interfaces=interfaces,
        council_saving=dict(council),
        violations=violations,
        overpaid=breaches,
        risk=risk,
        objective_if_works=if_works,
    )


def _risk(
    instance: Instance,
    units: list[UnitResult],
    bodies: list[BodyResult],
    services: dict[tuple[str, str], ServiceResult],
    matrix_memberships: dict[str, int],
) -> dict[str, float]:
    """criterion -> what the chance that pools are undone adds in expectation (docs/model.md, "The
    risk that a cooperation fails"), and each service's cash part of it (`ServiceResult.risk_eur`).

    A member's part of a pool of structure s runs for the share phi of the horizon; for the rest its
    own department is back. So each running figure f of the member's part becomes phi f + (1 - phi)
    own, and a figure of the pool as a whole (its overhead, cover, governance) phi_host f; an exit
    payment falls with the chance that it is undone within the horizon. Transition is paid either way."""
    economics = instance.scenario.economics
    horizon = economics.horizon_years
    risk = {"cost": 0.0, "quality": 0.0, "vulnerability": 0.0, "manageability": 0.0, "autonomy": 0.0}
    cash: dict[tuple[str, str], float] = defaultdict(float)

    def spread(amount: float, keys: list[tuple[str, str]]) -> None:
        """A pool's or body's cash risk over its services, by workload."""
        weights = [instance.workload[k] for k in keys]
        total = sum(weights)
        for key, weight in zip(keys, weights, strict=True):
            cash[key] += amount * (weight / total if total > 0 else 1.0 / len(keys))

    for unit in units:
        if unit.structure == IN_HOUSE:
            continue
        structure = instance.structures[unit.structure]
        params = instance.domains[unit.domain]
        price = params.cost_per_fte * instance.price_factor(unit.host)
        agency = 1 + structure.agency_share
        moves = structure.transfers_staff
        host_loss = 1 - instance.running_share(unit.host, structure)
        overhead = price * (unit.staff_fte - unit.workload) * agency if moves else 0.0
        pool_running = overhead + structure.governance_per_unit + instance.fixed_cost(unit.host)
        risk["cost"] -= host_loss * pool_running
        risk["vulnerability"] -= host_loss * (unit.cover_eur if moves else 0.0)
        spread(-host_loss * pool_running, [(i, unit.domain) for i in unit.members])
        for i in unit.members:
            service = services[i, unit.domain]
            own = own_department(instance, i, unit.domain)
            loss = 1 - instance.running_share(i, structure)
            staff = price * instance.workload[i, unit.domain] if moves else own.staff_cost
            running = staff * agency + service.parts["travel"]
            if structure.scope == "domain":
                running += structure.governance_per_member
            value = instance.service_value(i, unit.domain)
            member_cash = loss * (own.staff_cost - running)
            exit_payment = structure.exit_per_fte * instance.workload[i, unit.domain]
            member_cash += exit_payment * instance.failure_chance(i, structure) / horizon
            risk["cost"] += member_cash
            cash[i, unit.domain] += member_cash
            risk["quality"] += loss * value * (service.quality - instance.baseline_quality[i, unit.domain])
            risk["vulnerability"] += loss * (own.cover_eur if moves else 0.0)
            risk["autonomy"] -= loss * service.autonomy
    for body in bodies:
        structure = instance.structures[body.structure]
        keys = [(i, d) for (i, d), s in services.items() if s.placement == Placement(body.host, body.structure)]
        body_cash = -(1 - instance.running_share(body.host, structure)) * (
            structure.governance_per_body + structure.council_saving_per_member
        )
        spread(body_cash, keys)
        for i in body.members:
            loss = 1 - instance.running_share(i, structure)
            member_cash = -loss * (structure.governance_per_member - structure.council_saving_per_member)
            body_cash += member_cash
            spread(member_cash, [k for k in keys if k[0] == i])
        risk["cost"] += body_cash
    matrix = instance.matrix
    if matrix is not None:
        curve = coordination_curve(len(instance.domains))
        for code, count in matrix_memberships.items():
            loss = 1 - instance.running_share(code, matrix)
            risk["manageability"] -= loss * matrix.coordination_per_interface * curve.value(count)
    for key, amount in cash.items():
        services[key].risk_eur = amount
    return risk


def _pool(
    instance: Instance, host: str, structure: StructureParams, domain: str, members: list[str]
) -> tuple[UnitResult, dict[str, dict[str, float]]]:
    """A pool's figures, and each member's share of its annual cost by part (plus its one-off).

    Staff that moves works as one unit: the pooled work carries one overhead, one risk of standing
    empty and (for joint bodies) agency cost. A working group moves nobody: each member keeps its own
    department, cost and risk, and shares only the group's governance and quality."""
    economics = instance.scenario.economics
    params = instance.domains[domain]
    cost = params.cost_per_fte * instance.price_factor(host)
    workloads = {i: instance.workload[i, domain] for i in members}
    work = sum(workloads.values())
    n = len(members)
    per_member = structure.scope == "domain"
    # a working group's members keep their own departments; where staff moves, nobody does
    own = {} if structure.transfers_staff else {i: own_department(instance, i, domain) for i in members}
    if structure.transfers_staff:
        staff = work + params.overhead(work)
        staff_cost = cost * staff
        empty = instance.curve(domain).value(work)
        uncovered = dict.fromkeys(members, empty)
        curve = instance.cover(host, domain)
        cover = 0.0 if curve is None else params.cover_premium * params.cost_per_fte * curve.value(work)
    else:
        staff = sum(u.staff_fte for u in own.values())
        staff_cost = sum(u.staff_cost for u in own.values())
        uncovered = {i: own[i].uncovered[i] for i in members}
        cover = sum(u.cover_eur for u in own.values())
    agency = structure.agency_share * staff_cost
    governance = (
        structure.governance_per_unit
        + instance.fixed_cost(host)
        + (structure.governance_per_member * n if per_member else 0.0)
    )
    one_offs: dict[str, float] = {}
    travel: dict[str, float] = {}
    for i in members:
        moved = 0.0 if i == host or not structure.transfers_staff else workloads[i]
        one_off = structure.transition_per_fte * moved + (structure.transition_per_member if per_member else 0.0)
        if instance.tie(i, host):
            one_off *= 1 - economics.tie_discount
        one_offs[i] = one_off
        travel[i] = economics.travel_eur_per_fte_km * params.location_bound * moved * instance.distance(i, host)
    unit = UnitResult(
        host,
        structure.key,
        domain,
        tuple(members),
        work,
        staff,
        staff_cost,
        agency,
        governance,
        structure.transition_per_unit + sum(one_offs.values()),
        sum(travel.values()),
        uncovered,
        cover,
    )
    # Shared costs are split over members by workload; member-specific ones stay with the member.
    horizon = economics.horizon_years
    shares: dict[str, dict[str, float]] = {}
    for i in members:
        share = workloads[i] / work if work > 0 else 1.0 / n
        own_staff = own[i].staff_cost if not structure.transfers_staff else share * staff_cost
        shares[i] = {
            "staff": own_staff,
            "agency": structure.agency_share * own_staff,
            "governance": share * (structure.governance_per_unit + instance.fixed_cost(host))
            + (structure.governance_per_member if per_member else 0.0),
            "transition": (share * structure.transition_per_unit + one_offs[i]) / horizon,
            "travel": travel[i],
            "one_off": share * structure.transition_per_unit + one_offs[i],
        }
    return unit, shares


def pool_rule_breaches(instance: Instance, host: str, key: str, domain: str, members: list[str]) -> list[str]:
    """The rules one pool (a `key` pool of `domain` hosted by `host` with `members`) breaks on its own,
    each as a sentence naming the pool; empty when it keeps them all. The rules that link pools (one
    arrangement per service, capacity, counts) are not looked at here."""
    structure = instance.structures[key]
    place = says(f"{domain} {key} pool hosted by {host}", f"{name(key, 'nl')} voor {name(domain, 'nl')} bij {host}")
    problems = []
    if not structure.takes_front_line and instance.domains[domain].front_line:
        problems.append(
            place
            + says(
                f": a {key} does not take front-line work such as {domain}",
                f": een {name(key, 'nl')} draagt geen uitvoerend taakveld zoals {name(domain, 'nl')}",
            )
        )
    elif host not in instance.unit_hosts(structure, domain):
        problems.append(
            place + says(f": {host} may not host this pool", f": {host} mag geen gastheer van deze pool zijn")
        )
    elif not instance.is_provider(host) and host not in members:
        problems.append(place + says(": the host is not a member", ": de gastheer is geen deelnemer"))
    allowed = set(instance.unit_members(structure, host, domain)) if host in instance.location else set()
    for i in members:
        if i not in allowed:
            problems.append(
                place
                + says(
                    f": {i} may not join (excluded or beyond the travel limit)",
                    f": {i} mag niet deelnemen (uitgesloten of voorbij de reisgrens)",
                )
            )
    low = instance.min_members(structure, host)
    if not low <= len(members) <= structure.max_members:
        problems.append(
            place
            + says(
                f": {len(members)} members, allowed {low}-{structure.max_members}",
                f": {len(members)} deelnemer(s), toegestaan {low}-{structure.max_members}",
            )
        )
    for a in members:
        for b in members:
            if a < b and (a, b) in instance.excluded_pairs:
                problems.append(
                    place + says(f": {a} and {b} may not share a pool", f": {a} en {b} mogen geen pool delen")
                )
    if instance.scenario.limits.connected_pools:
        pieces = instance.pieces(members)
        if len(pieces) > 1:
            shown = " | ".join(", ".join(piece) for piece in pieces)
            problems.append(
                place
                + says(
                    f": its members share no borders between {shown} (limits.connected_pools)",
                    f": de deelnemers vallen uiteen in {shown}, zonder gedeelde grens (limits.connected_pools)",
                )
            )
    return problems


def _bodies(
    instance: Instance, configuration: Configuration, services: dict[tuple[str, str], ServiceResult]
) -> tuple[list[BodyResult], list[str]]:
    """Group units into their bodies (shared service centres, one civil service, amalgamation)."""
    economics = instance.scenario.economics
    horizon = economics.horizon_years
    violations: list[str] = []
    bodies: list[BodyResult] = []
    for structure in instance.structures_of_scope("bundle", "all"):
        by_host: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for (code, domain), placement in configuration.items():
            if placement.structure == structure.key:
                by_host[placement.host][domain].append(code)
        for host, per_domain in sorted(by_host.items()):
            place = says(f"{structure.key} hosted by {host}", f"{name(structure.key, 'nl')} bij {host}")
            domains = tuple(d for d in instance.domains if d in per_domain)
            members = tuple(sorted({c for codes in per_domain.values() for c in codes}))
            if structure.scope == "all":
                if len(domains) != len(instance.domains):
                    violations.append(
                        place
                        + says(
                            f": it must carry every domain, carries {len(domains)}",
                            f": moet elk taakveld dragen, draagt er {len(domains)}",
                        )
                    )
                for d in domains:
                    if tuple(sorted(per_domain[d])) != members:
                        violations.append(
                            place
                            + says(": the members differ between domains", ": de deelnemers verschillen per taakveld")
                        )
                        break
            elif not structure.min_domains <= len(domains) <= structure.max_domains:
                allowed = f"{structure.min_domains}-{structure.max_domains}"
                violations.append(
                    place
                    + says(
                        f": {len(domains)} domains, allowed {allowed}",
                        f": {len(domains)} taakveld(en), toegestaan {allowed}",
                    )
                )
            member_cost: dict[str, float] = {}
            for i in members:
                one_off = structure.transition_per_member * (
                    1 - economics.tie_discount if instance.tie(i, host) else 1.0
                )
                member_cost[i] = one_off
            transition = structure.transition_per_body + sum(member_cost.values())
            governance = structure.governance_per_body + structure.governance_per_member * len(members)
            council = structure.council_saving_per_member * (len(members) - 1)
            bodies.append(BodyResult(host, structure.key, domains, members, governance, transition, council))
            # Attribute body costs to the members' services, by workload, so per-municipality totals add up.
            weights = {(i, d): instance.workload[i, d] for d in domains for i in per_domain[d]}
            total = sum(weights.values())
            for (i, d), weight in weights.items():
                service = services[i, d]
                share = weight / total if total > 0 else 1.0 / len(weights)
                own_weight = sum(w for (j, _), w in weights.items() if j == i)
                own_domains = sum(1 for (j, _) in weights if j == i)
                own_share = weight / own_weight if own_weight > 0 else 1.0 / own_domains
                service.parts["governance"] += share * structure.governance_per_body + own_share * (
                    structure.governance_per_member
                )
                service.parts["transition"] += (
                    share * structure.transition_per_body + own_share * member_cost[i]
                ) / horizon
                service.transition_one_off += share * structure.transition_per_body + own_share * member_cost[i]
    return bodies, violations


def _region_rules(
    instance: Instance,
    configuration: Configuration,
    units: list[UnitResult],
    bodies: list[BodyResult],
) -> list[str]:
    scenario = instance.scenario
    limits = scenario.limits
    problems: list[str] = []
    pools = [u for u in units if u.structure != IN_HOUSE]
    for code in instance.codes:
        for domain in instance.domains:
            placement = configuration.get((code, domain))
            if placement is None:
                continue
            pooled = placement.structure != IN_HOUSE
            if pooled and instance.excluded(code, domain):
                problems.append(
                    says(
                        f"{code} must keep {domain} in house", f"{code} moet {name(domain, 'nl')} in eigen huis houden"
                    )
                )
            if not pooled and instance.forced(code, domain):
                problems.append(
                    says(f"{code} must pool {domain}", f"{code} moet {name(domain, 'nl')} in een pool brengen")
                )
    for forced in scenario.politics.forced_pairs:
        for domain in forced.domains:
            a, b = configuration.get((forced.a, domain)), configuration.get((forced.b, domain))
            if a is None or b is None or a != b or a.structure == IN_HOUSE:
                problems.append(
                    says(
                        f"{forced.a} and {forced.b} must share a pool for {domain}",
                        f"{forced.a} en {forced.b} moeten een pool delen voor {name(domain, 'nl')}",
                    )
                )
    for structure in instance.structures.values():
        if structure.max_units_per_host is None or structure.scope == "all":
            continue  # an all-domain body carries every domain at its host; the model has no such rule
        count: dict[str, int] = defaultdict(int)
        for unit in pools:
            if unit.structure == structure.key:
                count[unit.host] += 1
        for host, hosted_units in count.items():
            if hosted_units > structure.max_units_per_host:
                problems.append(
                    says(
                        f"{host} hosts {hosted_units} {structure.key} units, "
                        f"at most {structure.max_units_per_host} allowed",
                        f"{host} is gastheer van {hosted_units} eenheden {name(structure.key, 'nl')}, "
                        f"hoogstens {structure.max_units_per_host} toegestaan",
                    )
                )
    problems += _matrix_spread(instance, pools)
    incoming: dict[str, float] = defaultdict(float)
    provider_staff: dict[str, float] = defaultdict(float)
    for unit in pools:
        structure = instance.structures[unit.structure]
        if instance.is_provider(unit.host):
            provider_staff[unit.host] += unit.staff_fte
        elif structure.uses_host_capacity:
            incoming[unit.host] += sum(instance.workload[i, unit.domain] for i in unit.members if i != unit.host)
    for host, fte in incoming.items():
        capacity = instance.host_capacity(host)
        if capacity is not None and fte > capacity + 1e-6:
            problems.append(
                says(
                    f"{host} absorbs {fte:.2f} FTE, capacity {capacity:.2f}",
                    f"{host} neemt {number(fte, 2, 'nl')} fte op, capaciteit {number(capacity, 2, 'nl')}",
                )
            )
    for key, fte in provider_staff.items():
        capacity = instance.providers[key].capacity_fte
        if capacity is not None and fte > capacity + 1e-6:
            problems.append(
                says(
                    f"provider {key} staffs {fte:.2f} FTE, capacity {capacity:.2f}",
                    f"aanbieder {key} zet {number(fte, 2, 'nl')} fte in, capaciteit {number(capacity, 2, 'nl')}",
                )
            )
    if limits.max_arrangements is not None:
        for code in instance.codes:
            new = sum(
                1 for u in pools if code in u.members and instance.structures[u.structure].scope == "domain"
            ) + sum(1 for b in bodies if code in b.members)
            carried = instance.existing_arrangements(code) + new
            if new and carried > limits.max_arrangements:
                problems.append(
                    says(
                        f"{code} would carry {carried} arrangements, limit {limits.max_arrangements}",
                        f"{code} zou {carried} gemeenschappelijke regelingen dragen, grens {limits.max_arrangements}",
                    )
                )
    if limits.max_matrix_units is not None:
        matrix_units = sum(1 for u in pools if instance.structures[u.structure].coordinated)
        if matrix_units > limits.max_matrix_units:
            problems.append(
                says(
                    f"{matrix_units} matrix units, limit {limits.max_matrix_units}",
                    f"{matrix_units} matrixeenheden, grens {limits.max_matrix_units}",
                )
            )
    if limits.max_pools is not None:
        pool_count = sum(1 for u in pools if instance.structures[u.structure].scope == "domain") + len(bodies)
        if pool_count > limits.max_pools:
            problems.append(
                says(f"{pool_count} pools, limit {limits.max_pools}", f"{pool_count} pools, grens {limits.max_pools}")
            )
    return problems


def _matrix_spread(instance: Instance, pools: list[UnitResult]) -> list[str]:
    """A matrix spreads its units over its members (K5, Kempen): every member of a matrix unit hosts a
    matrix unit itself, and no host carries two more than a fellow member: hosted(host) <=
    hosted(member) + 1 for every member of every matrix unit."""
    hosted: dict[str, int] = defaultdict(int)
    matrix_units = [u for u in pools if instance.structures[u.structure].coordinated]
    for unit in matrix_units:
        hosted[unit.host] += 1
    problems = []
    for unit in matrix_units:
        for member in unit.members:
            if member == unit.host:
                continue
            if hosted[member] == 0:
                problems.append(
                    says(
                        f"{member} is in the {unit.domain} matrix unit at {unit.host} but hosts no matrix unit",
                        f"{member} zit in de matrixeenheid voor {name(unit.domain, 'nl')} bij {unit.host}, "
                        "maar is zelf van geen matrixeenheid gastheer",
                    )
                )
            elif hosted[unit.host] > hosted[member] + 1:
                problems.append(
                    says(
                        f"{unit.host} hosts {hosted[unit.host]} matrix units while its fellow member {member} hosts "
                        f"{hosted[member]}",
                        f"{unit.host} is gastheer van {hosted[unit.host]} matrixeenheden, "
                        f"terwijl mededeelnemer {member} er {hosted[member]} heeft",
                    )
                )
    return problems
