"""How far a configuration is from one observed in the world (docs/observed.md, "Distance").

Both are read as partitions of the services the observed file speaks for: its municipalities times
its domains. Two services are together when they are in one pool (one host, structure and domain);
a service done in house is alone. A municipality the file does not list is unknown, not alone, and is
left out of every measure; so are partners that are not municipalities (water boards).

- pairwise recall: of the pairs of municipalities that share a pool in reality, the share that share
  one in the configuration;
- pairwise precision: of the pairs the configuration puts together (both listed), the share that
  are together in reality;
- the adjusted Rand index (Hubert & Arabie 1985): agreement of the two partitions corrected for
  chance, 1 for identical partitions and about 0 for unrelated ones;
- the share of the services done in the same structure (in house counting as one): the partition
  does not tell a matrix from one civil service;
- the share of all the scenario's municipalities that pool a domain, beside the observed share.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import comb

from optimizer.instance import IN_HOUSE, Configuration

Item = tuple[str, str]  # (municipality code, domain)


@dataclass(frozen=True)
class Agreement:
    """The distance between a configuration and an observed one, over the observed file's services."""

    #: services compared: listed municipalities x the file's domains
    services: int
    #: pairs of services (same domain) together in reality, in the configuration, in both
    real_pairs: int
    model_pairs: int
    shared_pairs: int
    #: None where there is nothing to measure (no real pairs for recall, no model pairs for precision)
    recall: float | None
    precision: float | None
    adjusted_rand: float
    #: share of the services done in the same structure (in house counting as one) in both
    same_structure: float = 1.0

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "services": self.services,
            "real_pairs": self.real_pairs,
            "model_pairs": self.model_pairs,
            "shared_pairs": self.shared_pairs,
            "recall": self.recall,
            "precision": self.precision,
            "adjusted_rand": self.adjusted_rand,
            "same_structure": self.same_structure,
        }


def clusters(configuration: Configuration, items: Iterable[Item]) -> dict[Item, Hashable]:
    """Each service's cluster: its pool (host, structure, domain), or itself when done in house."""
    labels: dict[Item, Hashable] = {}
    for code, domain in items:
        placement = configuration[code, domain]
        if placement.structure == IN_HOUSE:
            labels[code, domain] = ("alone", code, domain)
        else:
            labels[code, domain] = (placement.host, placement.structure, domain)
    return labels


def _pairs(labels: Mapping[Item, Hashable]) -> int:
    return sum(comb(size, 2) for size in Counter(labels.values()).values())


def adjusted_rand_index(truth: Sequence[Hashable], found: Sequence[Hashable]) -> float:
    """The adjusted Rand index of two labellings of the same items (Hubert & Arabie 1985): 1 when the
    partitions agree, 0 at what chance would give. Two partitions that are each all one cluster or all
    singletons give no variation to compare: they count 1 when equal (as scikit-learn does)."""
    if len(truth) != len(found):
        raise ValueError("both labellings must cover the same items")
    n = len(truth)
    if n < 2:
        return 1.0
    joint = sum(comb(k, 2) for k in Counter(zip(truth, found, strict=True)).values())
    rows = sum(comb(k, 2) for k in Counter(truth).values())
    columns = sum(comb(k, 2) for k in Counter(found).values())
    expected = rows * columns / comb(n, 2)
    best = (rows + columns) / 2
    if best == expected:
        return 1.0
    return (joint - expected) / (best - expected)


def agreement(found: Configuration, observed: Configuration, items: Sequence[Item]) -> Agreement:
    """The distance between `found` (seta's) and `observed` over `items` (the observed file's)."""
    truth = clusters(observed, items)
    model = clusters(found, items)
    real = _pairs(truth)
    mine = _pairs(model)
    both = sum(comb(k, 2) for k in Counter((truth[i], model[i]) for i in items).values())
    return Agreement(
        services=len(items),
        real_pairs=real,
        model_pairs=mine,
        shared_pairs=both,
        recall=both / real if real else None,
        precision=both / mine if mine else None,
        adjusted_rand=adjusted_rand_index([truth[i] for i in items], [model[i] for i in items]),
        same_structure=sum(found[i].structure == observed[i].structure for i in items) / len(items) if items else 1.0,
    )


def pooling_share(configuration: Configuration, codes: Sequence[str], domain: str) -> float:
    """The share of `codes` whose `domain` is pooled."""
    if not codes:
        return 0.0
    return sum(configuration[code, domain].structure != IN_HOUSE for code in codes) / len(codes)
