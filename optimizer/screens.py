"""Cheap feasibility screens, run before the solver, that explain a hopeless scenario in domain words."""

from __future__ import annotations

from pathlib import Path

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
    name = {c: instance.municipality[c].name for c in instance.codes}
    for code, domains in sorted(politics.forced.items()):
        for domain in sorted(domains):
            place = f"{where}, politics.force.{name[code]}"
            if instance.excluded(code, domain):
                problems.add(place, f"{name[code]} must pool {domain} but is also excluded from pooling it")
                continue
            if limits.max_pools == 0:
                problems.add(place, f"{name[code]} must pool {domain} but limits.max_pools is 0")
            if limits.max_arrangements is not None and instance.existing_arrangements(code) >= limits.max_arrangements:
                problems.add(
                    place,
                    f"{name[code]} must pool {domain} but already carries {instance.existing_arrangements(code)} "
                    f"joint arrangements, and limits.max_arrangements is {limits.max_arrangements}",
                )
            if not _can_pool(instance, code, domain):
                nearest = _nearest(instance, code)
                reason = "no allowed structure has enough willing members within reach"
                reach = instance.travel_limit(domain)
                if nearest and reach is not None and nearest[1] > reach:
                    key = (
                        f"domains.{domain}.max_travel_km"
                        if instance.domains[domain].max_travel_km is not None
                        else "limits.max_travel_km"
                    )
                    reason = (
                        f"the nearest possible partner, {_label(instance, nearest[0])}, "
                        f"is {nearest[1]:.0f} km away by road and {key} is {reach:g}"
                    )
                problems.add(place, f"{name[code]} must pool {domain}, but {reason}")
    for forced in politics.forced_pairs:
        place = f"{where}, politics.forced_pairs"
        if pair(forced.a, forced.b) in instance.excluded_pairs:
            problems.add(place, f"{name[forced.a]} and {name[forced.b]} are both forced together and kept apart")
            continue
        for domain in forced.domains:
            shared = any(
                forced.a in members and forced.b in members and len(members) >= instance.min_members(s, host)
                for s in instance.structures.values()
                for host in instance.unit_hosts(s, domain)
                for members in [instance.unit_members(s, host, domain)]
            )
            if not shared:
                problems.add(
                    place,
                    f"{name[forced.a]} and {name[forced.b]} must share a {domain} pool, but no allowed structure "
                    f"and host can take both (distance {instance.distance(forced.a, forced.b):.0f} km, "
                    f"exclusions or the travel limit)",
                )
    problems.raise_if_any()


def _label(instance: Instance, code: str) -> str:
    if code in instance.providers:
        return instance.providers[code].name
    return instance.municipality[code].name
