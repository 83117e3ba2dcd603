"""One or more tests per constraint family of the pooling MIP (`optimizer/formulation/rows.py`).

Every test solves a small hand-built scenario whose municipalities lie on one meridian (so road
distances are known: the detour factor is 1) and checks three things where it can:

* the rule binds: the optimum changes when the rule is lifted;
* the rule holds: audited from the chosen configuration with a plain-Python recount (members per
  pool, units per host, absorbed FTE, arrangements, ...), not with the evaluator's own checks;
* the optimum is right: equal to the best configuration found by enumerating every configuration
  through the independent evaluator (`tests/bruteforce.py`), or to a configuration computed by hand.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from bruteforce import best
from inputs import load_scenario, regional_names
from inputs.types import (
    Economics,
    ForcedPair,
    Limits,
    Municipality,
    Politics,
    Provider,
    Scenario,
    Weights,
    pair,
)
from optimizer import Result, optimize
from optimizer.control import Control
from optimizer.curves import (
    VULNERABILITY_TOLERANCE,
    coordination_curve,
    cover_curve,
    interfaces,
    vulnerability_curve,
)
from optimizer.evaluate import evaluate
from optimizer.formulation import build_model
from optimizer.instance import IN_HOUSE, Configuration, Instance, Placement
from optimizer.solve import solve
from strategies import default_domain, default_structure

#: km per degree of latitude on the sphere `haversine_km` uses: towns on one meridian are exactly
#: this many km apart per degree
KM_PER_DEGREE = 6371.0088 * math.pi / 180

#: no region-wide limit at all: each test switches on the one it is about
OPEN = Limits(
    max_travel_km=None, host_capacity_factor=None, max_arrangements=None, max_matrix_units=None, max_pools=None
)

#: road distance equals straight-line distance
FLAT = Economics(detour_factor=1.0)

#: quality weighs enough that pooling clearly pays
KEEN = Weights(quality=1.5)

#: strong economies of scale (a large overhead that only a big pool sheds), so that pooling pays and
#: each test is about its rule, not about the calibrated economics (tests/test_calibration.py)
GENEROUS = {"core_fte": 0.6, "scale_inhabitants": 500_000.0}

#: every pool works: each test is about its rule, not about the risk that a cooperation fails
#: (tests/test_risk.py is about that)
SURE = {"failure_rate": 0.0, "exit_per_fte": 0.0}

Pools = dict[tuple[str, str, str], frozenset[str]]


# -- building scenarios -----------------------------------------------------------------------


def town(code: str, population: int, km: float, **extra: Any) -> Municipality:
    """A municipality `km` north of (52 N, 5 E)."""
    return Municipality(
        code=code,
        name=f"Town {code}",
        population=population,
        lat=52.0 + km / KM_PER_DEGREE,
        lon=5.0,
        **extra,
    )


def provider(km: float, capacity_fte: float | None = None) -> Provider:
    """An outside provider of HR as a centre, `km` north of (52 N, 5 E), at municipal prices."""
    return Provider(
        key="P1",
        name="Provider",
        lat=52.0 + km / KM_PER_DEGREE,
        lon=5.0,
        domains=("hr",),
        structures=("centre",),
        price_factor=1.0,
        quality=1.0,
        capacity_fte=capacity_fte,
    )


def build(
    towns: Iterable[Municipality],
    domains: Iterable[str] = ("hr",),
    structures: Iterable[str] = ("centre",),
    *,
    limits: Limits = OPEN,
    weights: Weights | None = None,
    politics: Politics | None = None,
    providers: Iterable[Provider] = (),
    changes: Mapping[str, Mapping[str, Any]] | None = None,
    domain_changes: Mapping[str, Mapping[str, Any]] | None = None,
) -> Scenario:
    """A scenario from the default domain and structure figures, with per-key overrides."""
    changes = changes or {}
    domain_changes = domain_changes or {}
    return Scenario(
        name="constraint test",
        municipalities=tuple(towns),
        domains=tuple(replace(default_domain(d), **{**GENEROUS, **domain_changes.get(d, {})}) for d in domains),
        structures=tuple(replace(default_structure(s), **{**SURE, **changes.get(s, {})}) for s in structures),
        providers=tuple(providers),
        politics=politics or Politics(),
        limits=limits,
        weights=weights or Weights(),
        economics=FLAT,
    )


def with_limits(scenario: Scenario, **limits: Any) -> Scenario:
    return replace(scenario, limits=replace(scenario.limits, **limits))


def with_structure(scenario: Scenario, key: str, **figures: Any) -> Scenario:
    structures = tuple(replace(s, **figures) if s.key == key else s for s in scenario.structures)
    return replace(scenario, structures=structures)


# -- reading and auditing results ---------------------------------------------------------------


def solved(scenario: Scenario) -> tuple[Result, Configuration]:
    """Optimise; the run must be proven optimal and its configuration obey every rule."""
    result = optimize(scenario)
    assert result.report.status == "optimal", result.report
    assert result.chosen is not None and result.configuration is not None
    assert result.chosen.violations == []
    return result, result.configuration


def pools_of(configuration: Configuration) -> Pools:
    """(host, structure, domain) -> members, recounted from the placements."""
    members: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for (code, domain), placement in configuration.items():
        if placement.structure != IN_HOUSE:
            members[placement.host, placement.structure, domain].add(code)
    return {key: frozenset(codes) for key, codes in members.items()}


def member_sets(configuration: Configuration, domain: str | None = None) -> set[frozenset[str]]:
    return {members for (_h, _s, d), members in pools_of(configuration).items() if domain in (None, d)}


def in_house(configuration: Configuration, code: str, domain: str) -> bool:
    return configuration[code, domain] == Placement(code, IN_HOUSE)


def assert_hosts_are_members(scenario: Scenario, configuration: Configuration) -> None:
    providers = {p.key for p in scenario.providers}
    for (host, structure, domain), members in pools_of(configuration).items():
        assert host in providers or host in members, (host, structure, domain, members)


def workload(m: Municipality, domain: str, scenario: Scenario) -> float:
    """FTE of a municipality in a domain, recomputed from the scenario (table figure or per 1,000)."""
    params = next(d for d in scenario.domains if d.key == domain)
    return m.fte.get(domain, params.fte_per_1000 * m.population / 1000)


def assert_brute_force_optimum(scenario: Scenario, result: Result) -> None:
    """The MIP's objective equals the best rule-abiding configuration found by enumeration."""
    winner, feasible = best(Instance(scenario))
    assert winner is not None and feasible > 0
    assert result.chosen is not None
    assert result.chosen.objective == pytest.approx(winner.objective, rel=1e-7, abs=1e-3)


def objective_of(scenario: Scenario, configuration: Configuration) -> float:
    evaluation = evaluate(Instance(scenario), configuration)
    assert evaluation.violations == [], evaluation.violations
    return evaluation.objective


def everyone(codes: str, domains: tuple[str, ...], placement: Placement) -> Configuration:
    return {(c, d): placement for c in codes for d in domains}


# -- assignment ---------------------------------------------------------------------------------


def test_assignment_places_every_service_exactly_once() -> None:
    towns = [town("A", 20000, 0), town("B", 15000, 5), town("C", 12000, 10), town("D", 10000, 15)]
    domains = ("hr", "taxes", "procurement")
    scenario = build(towns, domains, ("working_group", "centre", "matrix"), weights=KEEN)
    result, configuration = solved(scenario)
    instance = result.instance

    # exactly the services of the status quo, each with one placement
    assert set(configuration) == set(instance.status_quo()) == {(t.code, d) for t in towns for d in domains}
    # each service is in exactly one unit (its own department or one pool) of the evaluation
    seen: dict[tuple[str, str], int] = defaultdict(int)
    assert result.chosen is not None
    for unit in result.chosen.units:
        for code in unit.members:
            seen[code, unit.domain] += 1
    assert seen == dict.fromkeys(configuration, 1)
    # in-house work is done at the municipality itself
    for (code, _domain), placement in configuration.items():
        if placement.structure == IN_HOUSE:
            assert placement.host == code
    assert_hosts_are_members(scenario, configuration)
    # the pools table lists the same pools as the placements
    table = {
        (row.host_code, row.structure, row.domain, frozenset(row.member_codes.split()))
        for row in result.pools().itertuples()
    }
    assert table == {(h, s, d, members) for (h, s, d), members in pools_of(configuration).items()}
    # pooling pays here, and the baseline is the status quo: every service in house
    assert pools_of(configuration)
    assert result.baseline.objective == pytest.approx(evaluate(instance, instance.status_quo()).objective)
    assert all(unit.structure == IN_HOUSE for unit in result.baseline.units)
    assert len(result.baseline.units) == len(towns) * len(domains)
    assert result.chosen is not None and result.chosen.objective < result.baseline.objective


# -- members per pool, host membership ----------------------------------------------------------


def test_min_members_binds() -> None:
    # C is so reluctant (willingness 0.14) that it joins only when a pool needs a third member to
    # exist at all; C may not host, since the host of a centre municipality gives up no control and so
    # a reluctant host would not mind
    towns = [town("A", 8000, 0), town("B", 8000, 4), town("C", 8000, 8, may_host=False)]
    scenario = build(towns, weights=KEEN, politics=Politics(willingness={"C": 0.14}))
    _, free = solved(scenario)
    assert member_sets(free) == {frozenset("AB")}

    three = with_structure(scenario, "centre", min_members=3)
    result, configuration = solved(three)
    assert member_sets(configuration) == {frozenset("ABC")}
    assert all(len(members) >= 3 for members in pools_of(configuration).values())
    assert_brute_force_optimum(three, result)
    # the two-member pool that was best is now ruled out, and it beat the three-member one
    assert evaluate(Instance(three), free).violations
    assert objective_of(scenario, free) < objective_of(scenario, configuration)


def test_max_members_binds() -> None:
    towns = [town("A", 10000, 0), town("B", 10000, 5), town("C", 10000, 10), town("D", 10000, 15)]
    scenario = build(towns, weights=KEEN)
    _, free = solved(scenario)
    assert member_sets(free) == {frozenset("ABCD")}

    capped = with_structure(scenario, "centre", max_members=2)
    result, configuration = solved(capped)
    sizes = sorted(len(members) for members in pools_of(configuration).values())
    assert sizes == [2, 2]
    assert_hosts_are_members(capped, configuration)
    assert_brute_force_optimum(capped, result)


def test_host_is_a_member_of_its_own_pool() -> None:
    # H has full HR quality but will not join anything (willingness 0.01): hosting A and B without
    # joining would be best (a pool is charged for cover from its host's own work on, and for H's
    # large department that is nothing; with a cover premium of 1.5 (default 0.375) that is worth
    # a lot), and the rule forbids it. The centre here runs its pool as a joint unit rather than in
    # the host's own department (no host capacity), so that its host, too, gives up control
    towns = [town("H", 60000, 0), town("A", 5000, 6), town("B", 5000, 12)]
    scenario = build(
        towns,
        weights=KEEN,
        politics=Politics(willingness={"H": 0.01}),
        changes={"centre": {"uses_host_capacity": False}},
        domain_changes={"hr": {"cover_premium": 1.5}},
    )
    result, configuration = solved(scenario)
    assert_hosts_are_members(scenario, configuration)
    assert member_sets(configuration) == {frozenset("AB")}
    assert in_house(configuration, "H", "hr")
    assert_brute_force_optimum(scenario, result)

    outside_host = {
        ("H", "hr"): Placement("H", IN_HOUSE),
        ("A", "hr"): Placement("H", "centre"),
        ("B", "hr"): Placement("H", "centre"),
    }
    evaluation = evaluate(Instance(scenario), outside_host)
    assert any("the host is not a member" in v for v in evaluation.violations)
    assert result.chosen is not None and evaluation.objective < result.chosen.objective - 1_000


# -- units per host -----------------------------------------------------------------------------


def test_max_units_per_host_caps_the_units_of_one_host() -> None:
    # H lies between A and B: the least travel puts every centre at H
    towns = [town("H", 60000, 6), town("A", 5000, 0), town("B", 5000, 12)]
    domains = ("hr", "taxes", "procurement")
    scenario = build(towns, domains, ("centre",), weights=KEEN)

    unlimited = with_structure(scenario, "centre", max_units_per_host=None)
    _, free = solved(unlimited)
    assert {host for host, _s, _d in pools_of(free)} == {"H"}
    assert len(pools_of(free)) == 3

    for cap in (2, 1):
        capped = with_structure(scenario, "centre", max_units_per_host=cap)
        result, configuration = solved(capped)
        per_host: dict[str, int] = defaultdict(int)
        for host, structure, _domain in pools_of(configuration):
            assert structure == "centre"
            per_host[host] += 1
        assert max(per_host.values()) == cap
        assert per_host["H"] == cap
        assert sum(per_host.values()) == 3  # every domain is still pooled, elsewhere
        assert_hosts_are_members(capped, configuration)
        assert_brute_force_optimum(capped, result)


def test_a_matrix_spreads_its_units_over_its_members() -> None:
    """The seed's matrix: each member hosts a unit (K5, Kempen); five units over five municipalities
    is five hosts, and no municipality hosts a second unit while a fellow member hosts none."""
    towns = [town("H", 60000, 6), town("A", 5000, 0), town("B", 5000, 12)]
    domains = ("hr", "taxes", "procurement")
    scenario = build(towns, domains, ("matrix",), weights=KEEN)
    result, configuration = solved(scenario)
    hosts = sorted(host for host, _s, _d in pools_of(configuration))
    assert hosts == ["A", "B", "H"]  # three units over three municipalities: three hosts
    assert_brute_force_optimum(scenario, result)
    # H hosting every unit (the least travel) breaks the rule, in the evaluator as in the model
    central = everyone("HAB", domains, Placement("H", "matrix"))
    problems = evaluate(Instance(scenario), central).violations
    assert "A is in the hr matrix unit at H but hosts no matrix unit" in problems
    # with six domains, two units each
    six = build(towns, ("hr", "taxes", "procurement", "ict", "legal", "communication"), ("matrix",), weights=KEEN)
    _, configuration = solved(six)
    per_host: dict[str, int] = defaultdict(int)
    for host, _s, _d in pools_of(configuration):
        per_host[host] += 1
    assert sorted(per_host.values()) in ([2, 2, 2], [])


# -- shared service centre bundle ------------------------------------------------------------------


def body_domains(configuration: Configuration, structure: str) -> dict[str, set[str]]:
    """host -> domains its body of this structure carries."""
    result: dict[str, set[str]] = defaultdict(set)
    for host, key, domain in pools_of(configuration):
        if key == structure:
            result[host].add(domain)
    return dict(result)


def test_bundle_max_domains() -> None:
    towns = [town("A", 10000, 0), town("B", 10000, 6), town("C", 10000, 12)]
    domains = ("hr", "taxes", "procurement")
    scenario = build(towns, domains, ("ssc",), weights=KEEN)
    _, free = solved(scenario)
    assert [len(d) for d in body_domains(free, "ssc").values()] == [3]

    capped = with_structure(scenario, "ssc", max_domains=2)
    result, configuration = solved(capped)
    bodies = body_domains(configuration, "ssc")
    assert [len(d) for d in bodies.values()] == [2]
    assert result.chosen is not None and len(result.chosen.bodies) == 1
    assert set(result.chosen.bodies[0].domains) == next(iter(bodies.values()))
    assert_brute_force_optimum(capped, result)


def test_bundle_min_domains() -> None:
    # legal work gains nothing from pooling (full quality, no overhead, no cover) and costs little to
    # add (no set-up or agency per unit): a centre for HR alone is best; a minimum of two domains
    # makes the centre take on legal work too
    full = {"legal": 1.0}
    towns = [town("A", 10000, 0, quality=full), town("B", 10000, 6, quality=full), town("C", 10000, 12, quality=full)]
    scenario = build(
        towns,
        ("hr", "legal"),
        ("ssc",),
        weights=Weights(quality=3.0),
        changes={
            "ssc": {
                "min_domains": 1,
                "governance_per_unit": 0.0,
                "transition_per_unit": 0.0,
                "transition_per_fte": 0.0,
                "agency_share": 0.0,
            }
        },
        domain_changes={
            "legal": {"core_fte": 0.0, "diseconomy_share": 0.0, "cover_premium": 0.0, "critical_mass_fte": 0.5}
        },
    )
    _, free = solved(scenario)
    assert list(body_domains(free, "ssc").values()) == [{"hr"}]

    two = with_structure(scenario, "ssc", min_domains=2)
    result, configuration = solved(two)
    assert list(body_domains(configuration, "ssc").values()) == [{"hr", "legal"}]
    assert_brute_force_optimum(two, result)
    assert objective_of(scenario, free) < objective_of(scenario, configuration)


# -- all-domain structures ----------------------------------------------------------------------


def test_one_civil_service_has_the_same_members_in_every_domain() -> None:
    # C, 60 km away, gains a lot from A's HR but its large tax office would have to travel: C would
    # like to join for HR only, which one civil service does not allow
    cheap = {
        "transition_per_body": 0.0,
        "transition_per_member": 0.0,
        "governance_per_body": 0.0,
        "governance_per_member": 0.0,
    }
    taxes = {"taxes": 15.0}
    towns = [
        town("A", 20000, 0, fte=taxes, quality={"hr": 1.0, "taxes": 1.0}),
        town("B", 10000, 5, fte=taxes, quality={"hr": 0.2, "taxes": 1.0}),
        town("C", 10000, 60, fte=taxes, quality={"hr": 0.2, "taxes": 1.0}),
    ]
    domains = ("hr", "taxes")
    scenario = build(
        towns,
        domains,
        ("one_civil_service",),
        weights=KEEN,
        changes={"one_civil_service": cheap},
        domain_changes={"taxes": {"location_bound": 1.0}, "hr": {"location_bound": 0.0}},
    )
    result, configuration = solved(scenario)
    pools = pools_of(configuration)
    assert {d for _h, _s, d in pools} == set(domains)  # the body carries every domain
    assert len(set(pools.values())) == 1  # with the same members in each
    assert len({h for h, _s, _d in pools}) == 1
    assert member_sets(configuration) == {frozenset("ABC")}
    assert_brute_force_optimum(scenario, result)

    mixed = everyone("AB", domains, Placement("A", "one_civil_service"))
    mixed["C", "hr"] = Placement("A", "one_civil_service")
    mixed["C", "taxes"] = Placement("C", IN_HOUSE)
    evaluation = evaluate(Instance(scenario), mixed)
    assert any("the members differ between domains" in v for v in evaluation.violations)
    assert result.chosen is not None and evaluation.objective < result.chosen.objective - 1_000


def test_amalgamation_council_saving() -> None:
    towns = [town("A", 10000, 0), town("B", 10000, 5), town("C", 10000, 10)]
    domains = ("hr", "taxes")
    saving = 700_000.0  # far above the default, so that merging pays here and the saving is visible
    scenario = build(towns, domains, ("amalgamation",), changes={"amalgamation": {"council_saving_per_member": saving}})
    result, configuration = solved(scenario)
    assert member_sets(configuration) == {frozenset("ABC")}
    assert len(set(configuration.values())) == 1  # one body, every domain, everyone
    chosen = result.chosen
    assert chosen is not None
    assert chosen.cost_parts["council"] == pytest.approx(-saving * 2)
    assert [b.council_saving for b in chosen.bodies] == [pytest.approx(saving * 2)]
    assert chosen.council_saving == pytest.approx(dict.fromkeys("ABC", saving * 2 / 3))
    assert_brute_force_optimum(scenario, result)

    # without the saving, the merger does not pay, and the saving is exactly the difference
    plain = with_structure(scenario, "amalgamation", council_saving_per_member=0.0)
    _, status_quo = solved(plain)
    assert pools_of(status_quo) == {}
    assert objective_of(plain, configuration) - chosen.objective == pytest.approx(2 * saving)
    assert objective_of(plain, configuration) > objective_of(plain, status_quo)


# -- capacity -----------------------------------------------------------------------------------


def test_host_capacity_limits_absorbed_staff() -> None:
    towns = [town("H", 30000, 0), town("A", 10000, 5), town("B", 10000, 10)]
    scenario = build(towns, weights=KEEN)
    _, free = solved(scenario)
    assert member_sets(free) == {frozenset("HAB")}

    factor = 0.4
    limited = with_limits(scenario, host_capacity_factor=factor)
    result, configuration = solved(limited)
    people = {m.code: m for m in towns}
    domains = limited.domains
    absorbed: dict[str, float] = defaultdict(float)
    for (host, key, domain), members in pools_of(configuration).items():
        structure = next(s for s in limited.structures if s.key == key)
        assert structure.uses_host_capacity
        for code in members - {host}:
            absorbed[host] += workload(people[code], domain, limited)
    assert absorbed  # someone still pools
    for host, fte in absorbed.items():
        works = [workload(people[host], d.key, limited) for d in domains]
        own = sum(w + d.overhead(w) for w, d in zip(works, domains, strict=True))
        assert fte <= factor * own + 1e-9
    # H can take one of the two small towns, not both; nobody else can host either of them
    (pool,) = pools_of(configuration).items()
    assert pool[0][0] == "H" and len(pool[1]) == 2
    assert_brute_force_optimum(limited, result)


#: HR reaches its quality only with the workload of 500,000 inhabitants (60 FTE): the towns' own
#: departments and their pools stay near the quality floor, and the provider's full quality is worth
#: outsourcing to (more than a municipal host that gives up no control)
SPECIALIST_HR = {"hr": {"critical_mass_fte": 60.0}}


def test_provider_capacity_limits_its_staff() -> None:
    towns = [town("A", 10000, 0), town("B", 10000, 6), town("C", 10000, 12)]
    scenario = build(towns, weights=KEEN, providers=[provider(3)], domain_changes=SPECIALIST_HR)
    _, free = solved(scenario)
    assert pools_of(free) == {("P1", "centre", "hr"): frozenset("ABC")}

    capacity = 3.0
    limited = replace(scenario, providers=(provider(3, capacity),))
    result, configuration = solved(limited)
    hr = next(d for d in limited.domains if d.key == "hr")
    people = {m.code: m for m in towns}
    staff = 0.0
    for (host, _key, domain), members in pools_of(configuration).items():
        if host == "P1":
            work = sum(workload(people[c], domain, limited) for c in members)
            staff += work + hr.overhead(work)  # the pool's work and the overhead of a unit that size
    assert 0 < staff <= capacity
    assert [len(m) for (h, _s, _d), m in pools_of(configuration).items() if h == "P1"] == [2]
    assert_brute_force_optimum(limited, result)


def test_provider_hosts_a_single_member() -> None:
    # alone, A has no partner for a pool; an outside provider takes its HR without being a member
    alone = build([town("A", 10000, 0)], weights=KEEN, domain_changes=SPECIALIST_HR)
    _, status_quo = solved(alone)
    assert pools_of(status_quo) == {}

    scenario = replace(alone, providers=(provider(3),))
    result, configuration = solved(scenario)
    assert pools_of(configuration) == {("P1", "centre", "hr"): frozenset("A")}
    row = result.pools().iloc[0]
    assert row.host_code == "P1" and row.n_members == 1 and row.member_codes == "A"
    assert_brute_force_optimum(scenario, result)


# -- travel limit --------------------------------------------------------------------------------


def test_travel_limit_keeps_a_remote_municipality_out() -> None:
    towns = [town("A", 10000, 0), town("B", 10000, 5), town("C", 10000, 50)]
    domains = ("procurement", "hr")
    scenario = build(towns, domains, weights=KEEN)
    instance = Instance(scenario)
    assert instance.distance("A", "C") == pytest.approx(50)
    assert instance.distance("B", "C") == pytest.approx(45)
    _, free = solved(scenario)
    assert any("C" in members for members in pools_of(free).values())

    limit = 40.0
    limited = with_limits(scenario, max_travel_km=limit)
    result, configuration = solved(limited)
    assert pools_of(configuration)
    for (host, _key, _domain), members in pools_of(configuration).items():
        for code in members:
            assert instance.distance(code, host) <= limit
    assert all(in_house(configuration, "C", d) for d in domains)
    assert_brute_force_optimum(limited, result)


# -- politics -----------------------------------------------------------------------------------

THREE = (town("A", 10000, 0), town("B", 10000, 5), town("C", 10000, 10))
TWO_DOMAINS = ("hr", "taxes")


def test_excluded_municipality_keeps_the_domain_in_house() -> None:
    scenario = build(THREE, TWO_DOMAINS)
    _, free = solved(scenario)
    assert not in_house(free, "A", "hr")

    excluded = replace(scenario, politics=Politics(excluded={"A": frozenset({"hr"})}))
    result, configuration = solved(excluded)
    assert in_house(configuration, "A", "hr")
    assert all("A" not in members for members in member_sets(configuration, "hr"))
    assert not in_house(configuration, "A", "taxes")  # only the named domain is kept
    assert_brute_force_optimum(excluded, result)


UNWILLING = {code: 0.02 for code in "ABC"}


def test_forced_municipality_pools() -> None:
    scenario = build(THREE, TWO_DOMAINS, politics=Politics(willingness=UNWILLING))
    _, free = solved(scenario)
    assert pools_of(free) == {}  # nobody wants to pool

    forced = replace(scenario, politics=Politics(willingness=UNWILLING, forced={"A": frozenset({"hr"})}))
    result, configuration = solved(forced)
    assert not in_house(configuration, "A", "hr")
    assert [len(members) for members in pools_of(configuration).values()] == [2]  # the cheapest way
    assert in_house(configuration, "A", "taxes")
    assert_brute_force_optimum(forced, result)


def test_excluded_pair_never_shares_a_pool() -> None:
    scenario = build(THREE, TWO_DOMAINS, weights=KEEN)
    _, free = solved(scenario)
    assert any({"A", "B"} <= members for members in pools_of(free).values())

    apart = replace(scenario, politics=Politics(excluded_pairs=frozenset({pair("A", "B")})))
    result, configuration = solved(apart)
    assert pools_of(configuration)
    for members in pools_of(configuration).values():
        assert not {"A", "B"} <= members
    assert_brute_force_optimum(apart, result)


def test_forced_pair_shares_a_pool() -> None:
    scenario = build(THREE, TWO_DOMAINS, politics=Politics(willingness=UNWILLING))
    together = replace(
        scenario, politics=Politics(willingness=UNWILLING, forced_pairs=(ForcedPair("A", "C", ("taxes",)),))
    )
    result, configuration = solved(together)
    assert configuration["A", "taxes"] == configuration["C", "taxes"]
    assert configuration["A", "taxes"].structure != IN_HOUSE
    assert in_house(configuration, "A", "hr") and in_house(configuration, "C", "hr")
    assert_brute_force_optimum(together, result)
    _, free = solved(scenario)
    assert pools_of(free) == {}


def test_willingness_raises_autonomy_cost() -> None:
    # A may not host: the host of a centre municipality gives up no control, so willingness weighs
    # on a client's autonomy loss only, and A is a client wherever it pools
    client = (replace(THREE[0], may_host=False), *THREE[1:])
    scenario = build(client, TWO_DOMAINS, weights=KEEN)
    result, free = solved(scenario)
    pooled = [d for d in TWO_DOMAINS if not in_house(free, "A", d)]
    assert pooled
    centre = default_structure("centre")
    base = centre.autonomy_loss * FLAT.autonomy_eur
    assert result.chosen is not None
    for d in pooled:
        assert result.chosen.services["A", d].autonomy == pytest.approx(base)

    willingness = 0.02
    reluctant = replace(scenario, politics=Politics(willingness={"A": willingness}))
    same = evaluate(Instance(reluctant), free)
    for d in pooled:
        assert same.services["A", d].autonomy == pytest.approx(base / willingness)
    extra = len(pooled) * base * (1 / willingness - 1)
    assert same.criteria["autonomy"] - result.chosen.criteria["autonomy"] == pytest.approx(extra)

    result, configuration = solved(reluctant)
    assert all(in_house(configuration, "A", d) for d in TWO_DOMAINS)
    assert pools_of(configuration)  # the others still pool
    assert_brute_force_optimum(reluctant, result)


# -- arrangements and counts ------------------------------------------------------------------------


def arrangements(scenario: Scenario, configuration: Configuration) -> dict[str, int]:
    """New arrangements per municipality: one per domain pool, one per multi-domain body."""
    scope = {s.key: s.scope for s in scenario.structures}
    count: dict[str, int] = defaultdict(int)
    bodies: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (host, key, _domain), members in pools_of(configuration).items():
        for code in members:
            if scope[key] == "domain":
                count[code] += 1
            else:
                bodies[host, key].add(code)
    for body in bodies.values():
        for code in body:
            count[code] += 1
    return dict(count)


def test_max_arrangements_limits_new_pools() -> None:
    towns = [
        town("A", 10000, 0, existing_arrangements=27),
        town("B", 10000, 5, existing_arrangements=0),
        town("C", 10000, 10, existing_arrangements=0),
    ]
    domains = ("hr", "taxes", "procurement")
    scenario = build(towns, domains, weights=KEEN)
    _, free = solved(scenario)
    assert arrangements(scenario, free)["A"] == 3

    limited = with_limits(scenario, max_arrangements=28)
    result, configuration = solved(limited)
    new = arrangements(limited, configuration)
    assert new["A"] == 1  # 27 + 1 = 28
    assert new["B"] >= 2 and new["C"] >= 2
    assert_brute_force_optimum(limited, result)


def test_max_arrangements_counts_a_shared_service_centre_once() -> None:
    towns = [
        town("A", 10000, 0, existing_arrangements=27),
        town("B", 10000, 5, existing_arrangements=0),
        town("C", 10000, 10, existing_arrangements=0),
    ]
    domains = ("hr", "taxes", "procurement")
    scenario = build(towns, domains, ("ssc",), weights=KEEN, limits=replace(OPEN, max_arrangements=28))
    result, configuration = solved(scenario)
    # one body for three domains is one arrangement: A joins in every domain
    assert all(not in_house(configuration, "A", d) for d in domains)
    assert arrangements(scenario, configuration) == dict.fromkeys("ABC", 1)
    assert_brute_force_optimum(scenario, result)

    # with no room left, A cannot join; two members are too few for a centre, so nobody pools
    full = with_limits(scenario, max_arrangements=27)
    _, configuration = solved(full)
    assert pools_of(configuration) == {}


def test_max_matrix_units() -> None:
    domains = ("hr", "taxes", "procurement")
    scenario = build(THREE, domains, ("matrix",), weights=KEEN)
    _, free = solved(scenario)
    assert len(pools_of(free)) == 3

    limited = with_limits(scenario, max_matrix_units=2)
    result, configuration = solved(limited)
    assert sum(1 for _h, key, _d in pools_of(configuration) if key == "matrix") == 2
    assert_brute_force_optimum(limited, result)
    # one unit alone is no matrix: its other members would host nothing
    _, alone = solved(with_limits(scenario, max_matrix_units=1))
    assert pools_of(alone) == {}

    # the limit counts matrix units only: centres take over the other domains
    mixed = build(THREE, domains, ("centre", "matrix"), weights=KEEN, limits=replace(OPEN, max_matrix_units=2))
    _, configuration = solved(mixed)
    keys = [key for _h, key, _d in pools_of(configuration)]
    assert keys.count("matrix") <= 2 and len(keys) == 3


def test_max_pools() -> None:
    domains = ("hr", "taxes", "procurement")
    scenario = build(THREE, domains, weights=KEEN)
    _, free = solved(scenario)
    assert len(pools_of(free)) == 3
    for limit in (2, 1):
        limited = with_limits(scenario, max_pools=limit)
        result, configuration = solved(limited)
        assert len(pools_of(configuration)) == limit
        assert result.summary().after.pools == limit
        assert_brute_force_optimum(limited, result)


# -- matrix coordination ------------------------------------------------------------------------------


def matrix_memberships(configuration: Configuration) -> dict[str, int]:
    count: dict[str, int] = defaultdict(int)
    for (_host, key, _domain), members in pools_of(configuration).items():
        if key == "matrix":
            for code in members:
                count[code] += 1
    return dict(count)


FOUR = (town("A", 10000, 0), town("B", 10000, 5), town("C", 10000, 10), town("D", 10000, 15))
THREE_DOMAINS = ("hr", "taxes", "procurement")


def coordination_scenario(per_interface: float) -> Scenario:
    # D keeps procurement, so it depends on at most two matrix units
    return build(
        FOUR,
        THREE_DOMAINS,
        ("matrix",),
        weights=KEEN,
        politics=Politics(excluded={"D": frozenset({"procurement"})}),
        changes={"matrix": {"coordination_per_interface": per_interface}},
    )


def test_coordination_charges_m_choose_2_interfaces() -> None:
    per_interface = 4_000.0
    scenario = coordination_scenario(per_interface)
    result, configuration = solved(scenario)
    units = matrix_memberships(configuration)
    assert units == {"A": 3, "B": 3, "C": 3, "D": 2}
    chosen = result.chosen
    assert chosen is not None
    expected = {code: units.get(code, 0) * (units.get(code, 0) - 1) // 2 for code in "ABCD"}
    assert chosen.coordination_interfaces == expected == {"A": 3, "B": 3, "C": 3, "D": 1}
    assert chosen.criteria["manageability"] == pytest.approx(per_interface * 10)
    assert result.summary().after.matrix_interfaces == 10
    # the charge is exactly the interfaces times the price: the same pools cost that much more
    free = coordination_scenario(0.0)
    assert chosen.objective - objective_of(free, configuration) == pytest.approx(per_interface * 10)


def test_coordination_epigraph_is_exact_at_integers() -> None:
    for domains in range(1, 7):
        curve = coordination_curve(domains)
        for m in range(domains + 1):
            assert curve.value(m) == m * (m - 1) / 2 == interfaces(m)
    scenario = coordination_scenario(4_000.0)
    instance = Instance(scenario)
    model = build_model(instance)
    report = solve(model.problem, scenario.solver, Control())
    assert report.status == "optimal"
    units = matrix_memberships(model.configuration())
    values = {v.name: v.varValue for v in model.problem.variables() if v.name.startswith("coord(")}
    assert len(values) == 4
    for code in instance.codes:
        m = units.get(code, 0)
        assert values[f"coord({code})"] == pytest.approx(m * (m - 1) / 2, abs=1e-6)


def test_coordination_cost_binds() -> None:
    # any second matrix unit costs more than it brings, and a matrix has at least two units a member
    # depends on (each member hosts one): no matrix at all
    scenario = coordination_scenario(1e6)
    result, configuration = solved(scenario)
    assert matrix_memberships(configuration) == {}
    assert result.chosen is not None and result.chosen.criteria["manageability"] == 0
    assert max(matrix_memberships(solved(coordination_scenario(4_000.0))[1]).values()) == 3


# -- vulnerability curve --------------------------------------------------------------------------


@pytest.mark.parametrize("p", [0.15, 0.18, 0.2])
def test_vulnerability_curve_within_tolerance(p: float) -> None:
    curve = vulnerability_curve(p)
    grid = np.linspace(0.0, 30.0, 60_001)  # steps of 0.0005 staff
    lines = np.array(curve.lines())
    values = np.maximum(0.0, (lines[:, :1] + lines[:, 1:] * grid[None, :]).max(axis=0))
    exact = p**grid
    error = np.abs(values - exact)
    assert error.max() <= VULNERABILITY_TOLERANCE
    assert error.max() > VULNERABILITY_TOLERANCE / 10  # the grid is not needlessly fine either
    # an interpolant: exact at its breakpoints, above the curve between them (chords of a convex curve)
    for x, y in curve.points:
        assert y == pytest.approx(p**x, rel=1e-12, abs=1e-15)
    inside = grid <= curve.points[-1][0]
    assert (values[inside] >= exact[inside] - 1e-12).all()
    # spot checks through the public `value`
    for s in (0.0, 0.37, 1.0, 2.5, 7.3, 12.0, 29.9):
        assert abs(curve.value(s) - p**s) <= VULNERABILITY_TOLERANCE
    assert curve.value(0.0) == pytest.approx(1.0)


@pytest.mark.parametrize("p", [0.15, 0.18, 0.2])
def test_vulnerability_curve_is_convex(p: float) -> None:
    curve = vulnerability_curve(p)
    xs = [x for x, _y in curve.points]
    assert all(b > a for a, b in itertools.pairwise(xs))
    slopes = [slope for _intercept, slope in curve.lines()]
    assert all(b >= a for a, b in itertools.pairwise(slopes))
    # the chord between any two grid points lies on or above the curve
    grid = np.linspace(0.0, 30.0, 3001)
    values = np.array([curve.value(x) for x in grid])
    second_difference = values[:-2] - 2 * values[1:-1] + values[2:]
    assert second_difference.min() >= -1e-12
    # beyond the last breakpoint the curve falls to zero and stays there
    assert curve.value(100.0) == 0.0


@pytest.mark.parametrize("p", [0.15, 0.18, 0.2])
@pytest.mark.parametrize("from_w", [0.0, 0.3, 0.8, 1.5, 4.0])
def test_cover_curve_is_the_convex_envelope_of_w_p_to_the_w(p: float, from_w: float) -> None:
    curve = cover_curve(p, from_w)
    if from_w == 0:  # W p^W is zero at 0 and at infinity, so its convex envelope from 0 on is zero
        assert curve.lines() == [] and curve.value(0.0) == curve.value(0.58) == 0.0
        return
    grid = np.linspace(from_w, from_w + 40.0, 80_001)
    lines = np.array(curve.lines())
    values = np.maximum(0.0, (lines[:, :1] + lines[:, 1:] * grid[None, :]).max(axis=0))
    exact = grid * p**grid
    # convex: slopes rise, and the curve is the maximum of its lines (what the model writes)
    slopes = lines[:, 1]
    assert (np.diff(slopes) >= 0).all()
    assert all(abs(curve.value(w) - v) <= 1e-12 for w, v in zip(grid[::97], values[::97], strict=True))
    # never above the true curve by more than the tolerance, and exact where it starts
    assert (values - exact).max() <= VULNERABILITY_TOLERANCE
    assert curve.value(from_w) == pytest.approx(from_w * p**from_w, abs=1e-12)
    # on the convex part (from 2 / ln(1/p), and from the tangent point where the envelope starts below
    # it) it is an interpolant within the tolerance
    convex_from = curve.points[1][0] if from_w < 2 / -math.log(p) else from_w
    tail = grid >= convex_from
    assert np.abs(values[tail] - exact[tail]).max() <= VULNERABILITY_TOLERANCE
    # below that the envelope undercharges, by at most the bound docs/model.md states (0.21 FTE at p = 0.18)
    if p == 0.18:
        assert (exact - values).max() <= 0.215
    # every line is at or below zero where the last line crosses zero: the model caps a member's work there
    intercept, slope = lines[-1]
    assert slope < 0
    crossing = -intercept / slope
    assert (lines[:, 0] + lines[:, 1] * crossing <= 1e-12).all()


# -- objective consistency on the built-in scenarios --------------------------------------------------


@pytest.mark.parametrize("name", regional_names())
def test_builtin_objective_and_costs_add_up(name: str) -> None:
    result, _ = solved(load_scenario(name))
    assert result.chosen is not None and result.report.objective is not None
    assert result.report.objective == pytest.approx(result.chosen.objective, rel=1e-7)
    table = result.municipalities()
    summary = result.summary()
    assert summary.after is not None
    assert table["cost_after_eur"].sum() == pytest.approx(summary.after.annual_cost_eur, abs=1.0)
    assert table["cost_before_eur"].sum() == pytest.approx(summary.before.annual_cost_eur, abs=1.0)
    assert summary.before.annual_cost_eur == pytest.approx(result.baseline.criteria["cost"])
    # the pools as shown (a body's units together, with the body's own costs) and the departments
    # kept in house add up to the annual cost
    assert result.chosen is not None
    in_house = sum(u.staff_cost for u in result.chosen.units if u.structure == "in_house")
    shown = result.merged_pools()["annual_cost_eur"].sum() if not result.merged_pools().empty else 0.0
    assert in_house + shown == pytest.approx(summary.after.annual_cost_eur, abs=1.0)
    # the status quo has nothing to share: each municipality pays exactly its own departments
    instance = result.instance
    for row in table.itertuples():
        own = sum(instance.domains[d].cost_per_fte * instance.own_staff(row.code, d) for d in instance.domains)
        assert row.cost_before_eur == pytest.approx(own, abs=0.01)


# -- infeasibility ---------------------------------------------------------------------------------------


def test_infeasible_scenario_is_reported_honestly() -> None:
    # A must pool HR, but no municipality may absorb anyone's staff and both structures need a host
    # that does: the screens pass, the solver proves it infeasible
    towns = [town("A", 10000, 0), town("B", 10000, 5)]
    scenario = build(
        towns,
        structures=("centre", "matrix"),
        politics=Politics(forced={"A": frozenset({"hr"})}),
        limits=replace(OPEN, host_capacity_factor=0.0),
    )
    winner, feasible = best(Instance(scenario))
    assert winner is None and feasible == 0
    result = optimize(scenario)
    assert result.report.status == "infeasible"
    assert result.chosen is None and result.configuration is None
    assert result.pools().empty
    assert result.summary().after is None

    # either rule alone can be met
    assert solved(with_limits(scenario, host_capacity_factor=None))[0].report.status == "optimal"
    assert solved(replace(scenario, politics=Politics()))[0].report.status == "optimal"


# -- repeatability --------------------------------------------------------------------------------------


def test_repeatable() -> None:
    # identical towns, symmetric on the line: many optima tie, and the solver must pick the same one
    towns = [town("A", 10000, 0), town("B", 10000, 5), town("C", 10000, 10), town("D", 10000, 15)]
    symmetric = build(towns, THREE_DOMAINS, ("centre", "matrix", "working_group"), weights=KEEN)
    for scenario in (symmetric, load_scenario("drechtsteden")):
        first, second = optimize(scenario), optimize(scenario)
        assert first.configuration is not None
        assert first.configuration == second.configuration
        assert first.report.objective == second.report.objective


# -- regressions ---------------------------------------------------------------------------------


def test_costs_add_up_for_a_body_member_without_workload() -> None:
    """A member of a shared service centre with no workload in its one domain keeps its whole charge."""
    towns = [town("A", 30_000, 0), town("B", 20_000, 5), town("C", 20_000, 10), town("X", 5_000, 15, fte={"hr": 0.0})]
    scenario = build(towns, ("hr", "taxes"), ("ssc",), changes={"ssc": {"min_members": 2}})
    instance = Instance(scenario)
    configuration: Configuration = {
        (code, domain): Placement("A", "ssc") for code in ("A", "B", "C") for domain in ("hr", "taxes")
    }
    configuration["X", "hr"] = Placement("A", "ssc")
    configuration["X", "taxes"] = Placement("X", IN_HOUSE)
    evaluation = evaluate(instance, configuration)
    assert evaluation.violations == []
    per_municipality = sum(service.cost for service in evaluation.services.values()) - sum(
        evaluation.council_saving.values()
    )
    assert per_municipality == pytest.approx(evaluation.criteria["cost"], abs=1e-6)


def test_excluded_pair_in_reverse_order_is_enforced_by_the_evaluator_too() -> None:
    towns = [town("A", 20_000, 0), town("B", 20_000, 5)]
    scenario = build(towns, politics=Politics(excluded_pairs=frozenset({("B", "A")})))
    instance = Instance(scenario)
    together: Configuration = {("A", "hr"): Placement("A", "centre"), ("B", "hr"): Placement("A", "centre")}
    assert any("may not share a pool" in v for v in evaluate(instance, together).violations)
    result = optimize(scenario)
    assert result.chosen is not None and not result.chosen.pools()
