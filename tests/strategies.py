"""Random tiny scenarios for property tests: up to 4 municipalities, 3 domains, 3 structures.

Besides costs and rules they draw the valuations a council can defend: each domain's quality floor,
sometimes a diagnosed quality for a department (which lifts or drags a pool hosted there by a
structure that uses the host's capacity), each structure's failure rate and exit cost, and sometimes
the seed's conditions for the region and per member (which move the failure rates)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import strategies as st

from inputs import defaults
from inputs.keys import parse_key
from inputs.types import (
    Conditions,
    DomainParams,
    Economics,
    ForcedPair,
    Limits,
    Municipality,
    Politics,
    Provider,
    Scenario,
    SolverOptions,
    StructureParams,
    Weights,
    pair,
)


def default_domain(key: str) -> DomainParams:
    return DomainParams(key=key, **defaults.values(defaults.DOMAINS[key]))  # type: ignore[arg-type]


def default_structure(key: str) -> StructureParams:
    return StructureParams(key=key, **defaults.values(defaults.STRUCTURES[key]))  # type: ignore[arg-type]


@st.composite
def domains(draw: st.DrawFn, count: int) -> tuple[DomainParams, ...]:
    keys = draw(st.lists(st.sampled_from(sorted(defaults.DOMAINS)), min_size=count, max_size=count, unique=True))
    result = []
    for key in keys:
        base = default_domain(key)
        result.append(
            replace(
                base,
                fte_per_1000=draw(st.floats(0.05, 0.6)),
                scale_inhabitants=draw(st.sampled_from([20_000.0, 66_000.0, 460_000.0])),
                core_fte=draw(st.floats(0.0, 3.0)),
                diseconomy_share=draw(st.sampled_from([0.0, 0.03, 0.2])),
                critical_mass_fte=draw(st.floats(1.0, 30.0)),
                location_bound=draw(st.sampled_from([0.0, 0.3, 0.8])),
                absence_share=draw(st.sampled_from([0.15, 0.2])),
                cover_premium=draw(st.sampled_from([0.0, 1.5, 10.0])),
                front_line=draw(st.booleans()),
                quality_floor=draw(st.sampled_from([0.0, 0.6, 0.9])),
            )
        )
    return tuple(result)


@st.composite
def structures(draw: st.DrawFn, count: int) -> tuple[StructureParams, ...]:
    keys = draw(st.lists(st.sampled_from(sorted(defaults.STRUCTURES)), min_size=count, max_size=count, unique=True))
    result = []
    for key in keys:
        base = default_structure(key)
        low = draw(st.integers(2, 3))
        changes: dict[str, object] = {
            "min_members": low,
            "max_members": draw(st.integers(low, 4)),
            "agency_share": draw(st.sampled_from([0.0, 0.03])),
            "quality_share": draw(st.floats(0.0, 1.0)),
            "governance_per_unit": draw(st.sampled_from([0.0, 20_000.0])),
            "transition_per_member": draw(st.sampled_from([0.0, 50_000.0])),
            # 1.0: a pool surely fails (it never runs, its exit is surely paid)
            "failure_rate": draw(st.sampled_from([0.0, 0.02, 0.05, 0.1, 0.3, 1.0])),
            "exit_per_fte": draw(st.sampled_from([0.0, 3_000.0, 50_000.0])),
        }
        if base.scope == "domain":
            changes["max_units_per_host"] = draw(st.sampled_from([None, 1, 2]))
        # an all-domain body that refuses front-line work cannot be read from a file, but a scenario built
        # in Python can say so: the model then offers no such body and the brute force finds none valid
        changes["takes_front_line"] = draw(st.booleans())
        if base.scope == "bundle":
            changes["min_domains"] = draw(st.integers(1, 2))
            changes["max_domains"] = draw(st.integers(2, 3))
        if key == "matrix":
            changes["coordination_per_interface"] = draw(st.sampled_from([0.0, 30_000.0]))
        if key == "centre":
            changes["uses_host_capacity"] = draw(st.sampled_from([True, True, False]))
        result.append(replace(base, **changes))  # type: ignore[arg-type]
    return tuple(result)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    n = draw(st.sampled_from([2, 3, 4, 4]))
    codes = [f"GM{index:04d}" for index in range(1, n + 1)]
    municipalities = []
    for code in codes:
        municipalities.append(
            Municipality(
                code=code,
                name=f"Town {code[-1]}",
                population=draw(st.integers(2_000, 80_000)),
                lat=52.0 + draw(st.floats(0, 0.35)),
                lon=5.0 + draw(st.floats(0, 0.5)),
                existing_arrangements=draw(st.sampled_from([None, 0, 2])),
            )
        )
    chosen_domains = draw(domains(draw(st.sampled_from([1, 2, 3, 3]))))
    domain_keys = [d.key for d in chosen_domains]
    chosen_structures = draw(structures(draw(st.sampled_from([1, 2, 3, 3]))))
    if draw(st.booleans()):
        # a diagnosis of some departments: their quality where their size would otherwise say it
        diagnosed = draw(st.lists(st.sampled_from(codes), min_size=1, max_size=2, unique=True))
        level = st.sampled_from([0.3, 0.6, 0.95])
        municipalities = [
            replace(
                m,
                quality={d: draw(level) for d in draw(st.lists(st.sampled_from(domain_keys), min_size=1, unique=True))},
            )
            if m.code in diagnosed
            else m
            for m in municipalities
        ]
    conditions = Conditions()
    if draw(st.integers(0, 2)) == 0:
        # the region's conditions, and some members' own (which override the region's)
        keys = st.sampled_from(sorted(defaults.CONDITIONS))
        conditions = Conditions(
            region=draw(st.dictionaries(keys, st.booleans(), max_size=2)),
            members=draw(
                st.dictionaries(
                    st.sampled_from(codes), st.dictionaries(keys, st.booleans(), min_size=1, max_size=2), max_size=2
                )
            ),
        )
    code_pairs = [pair(a, b) for i, a in enumerate(codes) for b in codes[i + 1 :]]
    politics = Politics()
    if draw(st.integers(0, 3)) == 0:
        politics = Politics(
            excluded={draw(st.sampled_from(codes)): frozenset({draw(st.sampled_from(domain_keys))})},
            forced={draw(st.sampled_from(codes)): frozenset({draw(st.sampled_from(domain_keys))})},
            excluded_pairs=frozenset(draw(st.lists(st.sampled_from(code_pairs), max_size=1))),
            forced_pairs=tuple(
                ForcedPair(a, b, (draw(st.sampled_from(domain_keys)),))
                for a, b in draw(st.lists(st.sampled_from(code_pairs), max_size=1))
            ),
            willingness={draw(st.sampled_from(codes)): draw(st.sampled_from([0.5, 1.0]))},
        )
    if draw(st.integers(0, 3)) == 0:
        key = draw(st.sampled_from(["use", "inhabitants", "equal", "fixed:0.4+use"]))
        politics = replace(politics, participation=parse_key(key))
    providers: tuple[Provider, ...] = ()
    hostable = [s.key for s in chosen_structures if s.scope == "domain" and s.transfers_staff]
    if hostable and draw(st.integers(0, 4)) == 0:
        providers = (
            Provider(
                key="P1",
                name="Provider",
                lat=52.1,
                lon=5.2,
                domains=(draw(st.sampled_from(domain_keys)),),
                structures=(draw(st.sampled_from(hostable)),),
                price_factor=draw(st.sampled_from([0.9, 1.2])),
                quality=0.8,
                capacity_fte=draw(st.sampled_from([None, 5.0])),
            ),
        )
    limits = Limits(
        max_travel_km=draw(st.sampled_from([None, 25.0, 60.0])),
        host_capacity_factor=draw(st.sampled_from([None, 0.5, 2.0])),
        max_arrangements=draw(st.sampled_from([None, None, 1, 3])),
        max_matrix_units=draw(st.sampled_from([None, None, 1])),
        max_pools=draw(st.sampled_from([None, None, 1])),
    )
    weights = Weights(
        cost=draw(st.sampled_from([0.0, 1.0, 1.0])),
        quality=draw(st.sampled_from([0.0, 0.3, 1.5])),
        vulnerability=draw(st.sampled_from([0.0, 1.0, 5.0])),
        manageability=draw(st.sampled_from([0.0, 1.0])),
        autonomy=draw(st.sampled_from([0.0, 1.0])),
    )
    economics = Economics(
        horizon_years=draw(st.sampled_from([2.0, 8.0])),
        tie_discount=draw(st.sampled_from([0.0, 0.5])),
    )
    ties = frozenset(draw(st.lists(st.sampled_from(code_pairs), max_size=2)))
    return Scenario(
        name="random",
        municipalities=tuple(municipalities),
        domains=chosen_domains,
        structures=chosen_structures,
        ties=ties,
        providers=providers,
        politics=politics,
        limits=limits,
        weights=weights,
        economics=economics,
        conditions=conditions,
        solver=SolverOptions(time_limit=60.0),
    )
