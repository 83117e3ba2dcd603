"""Cheap feasibility screens, run before the solver, that explain a hopeless scenario in domain words."""

from __future__ import annotations

from pathlib import Path

from inputs.labels import figure, language, name, number, says
from inputs.problems import Problems
from inputs.types import pair
from optimizer.instance import Instance


def _can_pool(instance: Instance, code: str, domain: str) -> bool:
    for structure in instance.structures.values():
        for host in instance.unit_hosts(structure, domain):
            members = instance.unit_members(structure, host, domain)
            if code in members and len(members) >= instance.min_members(structure, host):
                return True
    return False


def _nearest(instance: Instance, code: str) -> tuple[str, float] | None:
    others = [c for c in instance.codes if c != code] + list(instance.providers)
    if not others:
        return None
    best = min(others, key=lambda other: instance.distance(code, other))
    return best, instance.distance(code, best)


def screen(instance: Instance) -> None:
    """Raise `InputError` when a rule makes the scenario infeasible before any solving."""
    scenario = instance.scenario
    politics, limits = scenario.politics, scenario.limits
    problems = Problems()
    where = Path(scenario.source).name
    called = {c: instance.municipality[c].name for c in instance.codes}
    for code, domains in sorted(politics.forced.items()):
        for domain in sorted(domains):
            who, dutch = called[code], name(domain, "nl")
            place = f"{where}, politics.force.{who}"
            if instance.excluded(code, domain):
                problems.add(
                    place,
                    says(
                        f"{who} must pool {domain} but is also excluded from pooling it",
                        f"{who} moet {dutch} in een pool brengen, maar is daar ook van uitgesloten",
                    ),
                )
                continue
            if limits.max_pools == 0:
                problems.add(
                    place,
                    says(
                        f"{who} must pool {domain} but limits.max_pools is 0",
                        f"{who} moet {dutch} in een pool brengen, maar limits.max_pools is 0",
                    ),
                )
            carried = instance.existing_arrangements(code)
            if limits.max_arrangements is not None and carried >= limits.max_arrangements:
                problems.add(
                    place,
                    says(
                        f"{who} must pool {domain} but already carries {carried} joint arrangements, and "
                        f"limits.max_arrangements is {limits.max_arrangements}",
                        f"{who} moet {dutch} in een pool brengen, maar heeft al {carried} gemeenschappelijke "
                        f"regelingen, en limits.max_arrangements is {limits.max_arrangements}",
                    ),
                )
            if not _can_pool(instance, code, domain):
                nearest = _nearest(instance, code)
                reason = says(
                    "no allowed structure has enough willing members within reach",
                    "geen toegestane vorm heeft genoeg bereidwillige deelnemers binnen bereik",
                )
                reach = instance.travel_limit(domain)
                if nearest and reach is not None and nearest[1] > reach:
                    key = (
                        f"domains.{domain}.max_travel_km"
                        if instance.domains[domain].max_travel_km is not None
                        else "limits.max_travel_km"
                    )
                    partner, away = _label(instance, nearest[0]), number(nearest[1], 0, language())
                    limit = figure(reach, language())
                    reason = says(
                        f"the nearest possible partner, {partner}, is {away} km away by road and {key} is {limit}",
                        f"de dichtstbijzijnde mogelijke partner, {partner}, ligt over de weg {away} km verderop en "
                        f"{key} is {limit}",
                    )
                problems.add(
                    place,
                    says(
                        f"{who} must pool {domain}, but {reason}",
                        f"{who} moet {dutch} in een pool brengen, maar {reason}",
                    ),
                )
    for forced in politics.forced_pairs:
        place = f"{where}, politics.forced_pairs"
        a, b = called[forced.a], called[forced.b]
        if pair(forced.a, forced.b) in instance.excluded_pairs:
            problems.add(
                place,
                says(
                    f"{a} and {b} are both forced together and kept apart",
                    f"{a} en {b} moeten samen en worden tegelijk uit elkaar gehouden",
                ),
            )
            continue
        for domain in forced.domains:
            shared = any(
                forced.a in members and forced.b in members and len(members) >= instance.min_members(s, host)
                for s in instance.structures.values()
                for host in instance.unit_hosts(s, domain)
                for members in [instance.unit_members(s, host, domain)]
            )
            if not shared:
                apart = number(instance.distance(forced.a, forced.b), 0, language())
                problems.add(
                    place,
                    says(
                        f"{a} and {b} must share a {domain} pool, but no allowed structure and host can take both "
                        f"(distance {apart} km, exclusions or the travel limit)",
                        f"{a} en {b} moeten een pool voor {name(domain, 'nl')} delen, maar geen toegestane vorm en "
                        f"gastheer kan beide opnemen (afstand {apart} km, uitsluitingen of de reisgrens)",
                    ),
                )
    problems.raise_if_any()


def _label(instance: Instance, code: str) -> str:
    if code in instance.providers:
        return instance.providers[code].name
    return instance.municipality[code].name
