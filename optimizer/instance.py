"""The data the model and the evaluator share: workloads, distances, candidates, baselines.

Everything here is read off the scenario; no modelling decision is taken. Candidate hosts are
limited by the scenario's travel limit (`limits.max_travel_km`): a host farther from a member than
that is not a rule-abiding choice, so dropping it loses no solution (sound pruning).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from inputs import defaults
from inputs.types import DomainParams, Provider, Scenario, StructureParams, pair
from optimizer.curves import ConcaveCurve, ConvexCurve, cover_curve, quality_curve, vulnerability_curve

IN_HOUSE = "in_house"


@dataclass(frozen=True)
class Placement:
    """Where one municipality's domain is done: `in_house` at itself, or in a pool."""

    host: str
    structure: str


#: (municipality code, domain) -> placement
Configuration = dict[tuple[str, str], Placement]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


class Instance:
    """A scenario with its derived figures, indexed by municipality code and domain key."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.codes: list[str] = [m.code for m in scenario.municipalities]
        self.municipality = {m.code: m for m in scenario.municipalities}
        self.domains: dict[str, DomainParams] = {d.key: d for d in scenario.domains}
        self.structures: dict[str, StructureParams] = {s.key: s for s in scenario.structures}
        self.providers: dict[str, Provider] = {p.key: p for p in scenario.providers}
        economics = scenario.economics
        self.workload: dict[tuple[str, str], float] = {}
        self.baseline_quality: dict[tuple[str, str], float] = {}
        for m in scenario.municipalities:
            for d in scenario.domains:
                work = m.workload(d)
                self.workload[m.code, d.key] = work
                self.baseline_quality[m.code, d.key] = m.quality.get(d.key, self.size_quality(d.key, work))
        locations = {m.code: (m.lat, m.lon) for m in scenario.municipalities}
        locations.update({p.key: (p.lat, p.lon) for p in scenario.providers})
        self.location = locations
        self._detour = economics.detour_factor
        self._distances: dict[tuple[str, str], float] = {}
        self._reach: dict[tuple[str, float | None], list[str]] = {}
        self._smallest: dict[tuple[str, str, str], float] = {}
        self._risk: dict[tuple[str, str], tuple[float, float, float]] = {}

    # -- geography -------------------------------------------------------------------------
    def distance(self, a: str, b: str) -> float:
        """Road distance estimate in km: straight line times the detour factor (computed once a pair:
        a national model asks for each pair once per structure and domain)."""
        if a == b:
            return 0.0
        known = self._distances.get((a, b))
        if known is not None:
            return known
        given = self.scenario.distances.get((a, b))
        if given is None:
            (lat1, lon1), (lat2, lon2) = self.location[a], self.location[b]
            given = haversine_km(lat1, lon1, lat2, lon2) * self._detour
        self._distances[a, b] = given
        return given

    @cached_property
    def graph(self) -> nx.Graph:
        """Municipalities with their shared borders."""
        graph = nx.Graph()
        graph.add_nodes_from(self.codes)
        graph.add_edges_from(self.scenario.adjacency)
        return graph

    def pieces(self, members: Iterable[str]) -> list[list[str]]:
        """The pieces of the map a pool's municipalities form through shared borders, in the region's
        order (one piece: the pool is connected). A partner (a water board) is no place on the map,
        so it neither joins nor splits a pool."""
        chosen = set(members)
        on_map = [c for c in self.codes if c in chosen and c not in self.partners]
        order = {code: n for n, code in enumerate(on_map)}
        found = [sorted(piece, key=order.__getitem__) for piece in nx.connected_components(self.graph.subgraph(on_map))]
        return sorted(found, key=lambda piece: order[piece[0]])

    def travel_limit(self, domain: str) -> float | None:
        """The farthest a host may be from a member in this domain: the domain's own limit where it has
        one (tax work is done at the desk and reaches far), else the region's."""
        own = self.domains[domain].max_travel_km
        return own if own is not None else self.scenario.limits.max_travel_km

    def within_reach(self, member: str, host: str, domain: str) -> bool:
        limit = self.travel_limit(domain)
        return limit is None or self.distance(member, host) <= limit + 1e-9

    # -- politics ----------------------------------------------------------------------------
    def excluded(self, code: str, domain: str) -> bool:
        """`code` keeps `domain` in house: politics says so, or it is a partner without that domain."""
        municipality = self.municipality[code]
        if municipality.partner and domain not in municipality.fte:
            return True
        return domain in self.scenario.politics.excluded.get(code, frozenset())

    def forced(self, code: str, domain: str) -> bool:
        return domain in self.scenario.politics.forced.get(code, frozenset())

    def excluded_anywhere(self, code: str) -> bool:
        """Kept out of some domain, so of every body that carries all of them (a partner always is: it
        has no say in the municipalities' other domains)."""
        return self.municipality[code].partner or bool(self.scenario.politics.excluded.get(code))

    @cached_property
    def partners(self) -> frozenset[str]:
        """Members that are not municipalities (water boards)."""
        return frozenset(c for c in self.codes if self.municipality[c].partner)

    @cached_property
    def municipality_codes(self) -> list[str]:
        """The region's municipalities, partners left out (what a share of municipalities counts)."""
        return [c for c in self.codes if c not in self.partners]

    @cached_property
    def excluded_pairs(self) -> frozenset[tuple[str, str]]:
        """In canonical order, whatever order a scenario built in Python gave."""
        return frozenset(pair(a, b) for a, b in self.scenario.politics.excluded_pairs)

    @cached_property
    def ties(self) -> frozenset[tuple[str, str]]:
        return frozenset(pair(a, b) for a, b in self.scenario.ties)

    def tie(self, member: str, host: str) -> bool:
        return member != host and pair(member, host) in self.ties

    def autonomy_factor(self, code: str) -> float:
        return 1.0 / self.scenario.politics.willingness.get(code, 1.0)

    def existing_arrangements(self, code: str) -> int:
        return self.municipality[code].arrangements(self.scenario.economics)

    # -- candidates -------------------------------------------------------------------------
    @cached_property
    def matrix(self) -> StructureParams | None:
        """The structure whose units coordinate with each other (the matrix), where it is allowed."""
        return next((s for s in self.structures.values() if s.coordinated), None)

    def structures_of_scope(self, *scopes: str) -> list[StructureParams]:
        return [s for s in self.structures.values() if s.scope in scopes]

    def unit_hosts(self, structure: StructureParams, domain: str) -> list[str]:
        """Who may host a unit of this structure in this domain (none where the structure does not take
        the domain: a shared service centre and front-line work)."""
        if not structure.takes_front_line and self.domains[domain].front_line:
            return []
        hosts = [c for c in self.codes if not self.excluded(c, domain) and self.municipality[c].may_host]
        if structure.scope == "all":
            hosts = [c for c in self.codes if not self.excluded_anywhere(c) and self.municipality[c].may_host]
        hosts += [p.key for p in self.providers.values() if domain in p.domains and structure.key in p.structures]
        return hosts

    def unit_members(self, structure: StructureParams, host: str, domain: str) -> list[str]:
        """Who may be a member of the unit (host, structure, domain)."""
        limit = self.travel_limit(domain)
        reach = self._reach.get((host, limit))
        if reach is None:  # asked once per structure and domain: the travel limit is checked once
            reach = self._reach[host, limit] = [c for c in self.codes if self.within_reach(c, host, domain)]
        if not structure.takes_partners:
            reach = [c for c in reach if c not in self.partners]
        if structure.scope == "all":
            return [c for c in reach if not self.excluded_anywhere(c)]
        return [c for c in reach if not self.excluded(c, domain)]

    def is_provider(self, host: str) -> bool:
        return host in self.providers

    def quality_curve(self, domain: str) -> ConcaveCurve:
        params = self.domains[domain]
        return quality_curve(params.quality_floor, params.critical_mass_fte)

    def size_quality(self, domain: str, workload: float) -> float:
        """Quality estimated from the size of the unit doing the work (docs/model.md, "Quality"):
        the domain's floor plus what size adds, with diminishing returns, bounded by 1."""
        return self.quality_curve(domain).value(workload)

    def diagnosed(self, code: str, domain: str) -> bool:
        """The scenario states this department's quality (a diagnosis), not only its size."""
        return domain in self.municipality[code].quality

    def host_lift(self, structure: StructureParams, host: str, domain: str) -> float:
        """What the host's diagnosis adds to a pool's quality beyond what its size says: a structure
        whose host absorbs the staff (a centre municipality, a matrix unit) grows the host's own
        department, so a strong host lifts the pool and a weak one drags it; a new body starts from
        its size alone."""
        if not structure.uses_host_capacity or self.is_provider(host):
            return 0.0
        return self.baseline_quality[host, domain] - self.size_quality(domain, self.workload[host, domain])

    def pool_quality(self, structure: StructureParams, host: str, domain: str, workload: float) -> float:
        """Quality of a pool doing `workload` FTE of work: what its size gives, lifted by its host's
        diagnosis (`host_lift`), at most 1; an outside provider's own quality where it hosts."""
        if self.is_provider(host):
            return self.providers[host].quality
        return max(0.0, min(1.0, self.size_quality(domain, workload) + self.host_lift(structure, host, domain)))

    def autonomy_loss(self, code: str, structure: StructureParams, host: str) -> float:
        """EUR a year of control `code` gives up in one domain of a pool: the structure's share of the
        value of full control, counted 1 / willingness times. The host of a structure whose host
        absorbs the staff (a centre municipality, a matrix unit) keeps its own department, and with it
        control: it gives up nothing."""
        if code == host and structure.uses_host_capacity:
            return 0.0
        return structure.autonomy_loss * self.scenario.economics.autonomy_eur * self.autonomy_factor(code)

    # -- risk ------------------------------------------------------------------------------------
    def failure_rate(self, code: str, structure: StructureParams) -> float:
        """The yearly chance that `code`'s part in a pool of this structure stalls or is undone: the
        structure's rate times the factor of every condition stated for the member (docs/model.md,
        "The risk that a cooperation fails"), at most 1."""
        return self._risk_of(code, structure)[0]

    def running_share(self, code: str, structure: StructureParams) -> float:
        """The expected share of the horizon H that the pool runs, with yearly failure rate r:
        (1 - (1 - r)^H) / (H ln(1 / (1 - r))), 1 without risk and 0 when it surely fails."""
        return self._risk_of(code, structure)[1]

    def failure_chance(self, code: str, structure: StructureParams) -> float:
        """The chance that it is undone within the horizon: 1 - (1 - r)^H."""
        return self._risk_of(code, structure)[2]

    def _risk_of(self, code: str, structure: StructureParams) -> tuple[float, float, float]:
        known = self._risk.get((code, structure.key))
        if known is not None:
            return known
        rate = structure.failure_rate
        for condition, met in self.scenario.conditions.stated(code).items():
            factor = defaults.CONDITIONS[condition]
            rate *= factor.met if met else factor.unmet
        rate = min(1.0, rate)
        horizon = self.scenario.economics.horizon_years
        if rate <= 0:
            risk = (0.0, 1.0, 0.0)
        elif rate >= 1:
            risk = (1.0, 0.0, 1.0)
        else:
            survive = (1 - rate) ** horizon
            risk = (rate, (1 - survive) / (horizon * -math.log(1 - rate)), 1 - survive)
        self._risk[code, structure.key] = risk
        return risk

    @cached_property
    def risky(self) -> bool:
        """Some structure in play may fail: the expected value differs from "if it works"."""
        return any(s.failure_rate > 0 for s in self.structures.values())

    def smallest_workload(self, structure: StructureParams, host: str, domain: str) -> float:
        """The least work a pool (host, structure, domain) can do: its host and the smallest other
        candidates that make up its minimum membership."""
        key = (structure.key, host, domain)
        known = self._smallest.get(key)
        if known is not None:
            return known
        members = self.unit_members(structure, host, domain)
        others = sorted(self.workload[c, domain] for c in members if c != host)
        needed = self.min_members(structure, host)
        if self.is_provider(host):
            smallest = sum(others[:needed])
        else:
            smallest = self.workload[host, domain] + sum(others[: max(0, needed - 1)])
        self._smallest[key] = smallest
        return smallest

    def cover(self, host: str, domain: str) -> ConvexCurve | None:
        """Expected uncovered work W p^W of a pool at this host, convex from the host's own work on (a
        pool always holds its host; the curve depends on nothing else). None for an outside provider,
        which covers absence from its own, larger staff."""
        if self.is_provider(host):
            return None
        return cover_curve(self.domains[domain].absence_share, self.workload[host, domain])

    def fixed_cost(self, host: str) -> float:
        """A provider's fixed cost per unit it runs (0 for a municipality)."""
        return self.providers[host].fixed_cost if self.is_provider(host) else 0.0

    def price_factor(self, host: str) -> float:
        return self.providers[host].price_factor if self.is_provider(host) else 1.0

    def min_members(self, structure: StructureParams, host: str) -> int:
        """A provider is not a member, so one municipality can outsource to it alone."""
        return 1 if self.is_provider(host) else structure.min_members

    def own_staff(self, code: str, domain: str) -> float:
        """Staff of the municipality's own department: its work and the overhead of a unit that size; no
        work, no department (a partner in a domain it does not have)."""
        work = self.workload[code, domain]
        return work + self.domains[domain].overhead(work) if work > 0 else 0.0

    def host_capacity(self, host: str) -> float | None:
        """FTE a municipality can absorb from others: a factor times its own staff in play."""
        factor = self.scenario.limits.host_capacity_factor
        if factor is None:
            return None
        return factor * sum(self.own_staff(host, d) for d in self.domains)

    def service_value(self, code: str, domain: str) -> float:
        """Annual cost of the domain's workload: what a quality point is weighed against."""
        return self.domains[domain].cost_per_fte * self.workload[code, domain]

    def curve(self, domain: str) -> ConvexCurve:
        return vulnerability_curve(self.domains[domain].absence_share)

    def status_quo(self) -> Configuration:
        return {(c, d): Placement(c, IN_HOUSE) for c in self.codes for d in self.domains}
