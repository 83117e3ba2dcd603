"""Who pays what in a pool: a configuration's pools, each one's annual cash cost split among its
members by a cost-sharing key, and the members who would pay more than doing the same work alone.

A pool is a unit of one domain (domain structures) or a body that carries several domains (a shared
service centre, one civil service): the body is run and paid for as one organisation. A pool's cost
is what the evaluator charges its members together (staff, agency, governance, travel and transition
written off); a council saving (amalgamation) stays with the member it belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from inputs.keys import Key
from inputs.labels import number, says
from optimizer.instance import IN_HOUSE, Instance, Placement

#: EUR a year a member may pay above its stand-alone cost before it counts as paying more (rounding)
TOLERANCE_EUR = 0.5


class Service(Protocol):
    """What the split needs of one municipality's service (optimizer.evaluate.ServiceResult)."""

    code: str
    domain: str
    placement: Placement

    @property
    def cost(self) -> float: ...


@dataclass(frozen=True)
class PoolShare:
    """One member's part of one pool under a key."""

    pool: str  # "domain structure@host", or "structure@host" for a body of several domains
    member: str
    share: float
    cost: float
    #: the member's domains in the pool
    domains: tuple[str, ...]


def pool_label(instance: Instance, domain: str, placement: Placement) -> str:
    label = f"{placement.structure}@{placement.host}"
    return f"{domain} {label}" if instance.structures[placement.structure].scope == "domain" else label


def key_weight(instance: Instance, key: Key, member: str, domains: tuple[str, ...]) -> float:
    """A member's weight under the key's variable part: its inhabitants, its workload in its own
    domains of the pool, or one."""
    if key.variable == "inhabitants":
        return float(instance.municipality[member].population)
    if key.variable == "use":
        return sum(instance.workload[member, d] for d in domains)
    return 1.0


def pool_shares(instance: Instance, services: Mapping[tuple[str, str], Service], key: Key) -> list[PoolShare]:
    """Every pool of a configuration, its annual cash cost split among its members by `key`."""
    charged: dict[str, dict[str, float]] = {}
    domains_of: dict[tuple[str, str], list[str]] = {}
    for (code, domain), service in services.items():
        if service.placement.structure == IN_HOUSE:
            continue
        label = pool_label(instance, domain, service.placement)
        members = charged.setdefault(label, {})
        members[code] = members.get(code, 0.0) + service.cost
        domains_of.setdefault((label, code), []).append(domain)
    shares = []
    for label, costs in charged.items():
        codes = list(costs)
        total = sum(costs.values())
        weight = {m: key_weight(instance, key, m, tuple(domains_of[label, m])) for m in codes}
        whole = sum(weight.values())
        for member in codes:
            variable = weight[member] / whole if whole > 0 else 1 / len(codes)
            share = key.fixed / len(codes) + (1 - key.fixed) * variable
            shares.append(PoolShare(label, member, share, share * total, tuple(domains_of[label, member])))
    return shares


def alone_cost(instance: Instance, member: str, domains: tuple[str, ...]) -> float:
    """What the member's own departments for `domains` cost it a year (staff at its own scale)."""
    return sum(instance.domains[d].cost_per_fte * instance.own_staff(member, d) for d in domains)


@dataclass(frozen=True)
class Overpaid:
    """A member whose share of a pool is more than the same domains would cost it alone."""

    pool: str
    member: str
    charged: float
    alone: float

    def describe(self) -> str:
        charged, alone = number(self.charged, 0, "nl"), number(self.alone, 0, "nl")
        return says(
            f"{self.member} would pay EUR {self.charged:,.0f} a year for the {self.pool} pool, more than "
            f"the EUR {self.alone:,.0f} its own departments cost",
            f"{self.member} zou € {charged} per jaar betalen voor de pool {self.pool}, meer dan "
            f"de € {alone} die de eigen afdelingen kosten",
        )


def overpaid(instance: Instance, services: Mapping[tuple[str, str], Service], key: Key) -> list[Overpaid]:
    """The members who pay more for a pool under `key` than for its domains alone (the participation
    guarantee's breaches), pool by pool."""
    found = []
    for part in pool_shares(instance, services, key):
        alone = alone_cost(instance, part.member, part.domains)
        if part.cost > alone + TOLERANCE_EUR:
            found.append(Overpaid(part.pool, part.member, part.cost, alone))
    return found
