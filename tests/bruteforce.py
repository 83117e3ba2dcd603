"""Brute force: every configuration of a tiny instance, scored by the independent evaluator.

Shapes that break a pure counting rule (a pool below its minimum or above its maximum number of
members) are skipped while enumerating; every other configuration, feasible or not, is handed to the
evaluator, which alone decides feasibility and the objective.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from optimizer.evaluate import Evaluation, evaluate
from optimizer.instance import IN_HOUSE, Configuration, Instance, Placement

Block = tuple[str, ...]


def set_partitions(items: list[str]) -> Iterator[list[Block]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in set_partitions(rest):
        yield [(first,), *partition]
        for index in range(len(partition)):
            yield [*partition[:index], (first, *partition[index]), *partition[index + 1 :]]


def _all_bodies(instance: Instance) -> Iterator[dict[str, Placement]]:
    """Choices of bodies that carry every domain: code -> placement, for the codes in such a body."""
    structures = instance.structures_of_scope("all")
    if not structures:
        yield {}
        return
    for partition in set_partitions(list(instance.codes)):
        options: list[list[tuple[Block, Placement | None]]] = []
        for block in partition:
            choices: list[tuple[Block, Placement | None]] = [(block, None)]
            for structure in structures:
                if structure.min_members <= len(block) <= structure.max_members:
                    choices += [(block, Placement(host, structure.key)) for host in block]
            options.append(choices)
        for combination in itertools.product(*options):
            chosen: dict[str, Placement] = {}
            for block, placement in combination:
                if placement is not None:
                    chosen.update(dict.fromkeys(block, placement))
            yield chosen


def _domain_options(instance: Instance, domain: str, free: list[str]) -> list[dict[str, Placement]]:
    """Every way to place the free municipalities' services of one domain."""
    structures = instance.structures_of_scope("domain", "bundle")
    providers = [
        (p.key, s.key)
        for p in instance.providers.values()
        for s in structures
        if domain in p.domains and s.key in p.structures
    ]
    result = []
    for partition in set_partitions(free):
        options: list[list[Placement]] = []
        for block in partition:
            choices: list[Placement] = []
            if len(block) == 1:
                choices.append(Placement(block[0], IN_HOUSE))
            for structure in structures:
                if structure.min_members <= len(block) <= structure.max_members:
                    choices += [Placement(host, structure.key) for host in block]
            for key, structure_key in providers:
                if len(block) <= instance.structures[structure_key].max_members:
                    choices.append(Placement(key, structure_key))
            options.append(choices)
        for combination in itertools.product(*options):
            placed: dict[str, Placement] = {}
            for block, placement in zip(partition, combination, strict=True):
                placed.update(dict.fromkeys(block, placement))
            result.append(placed)
    return result


def configurations(instance: Instance) -> Iterator[Configuration]:
    domains = list(instance.domains)
    for bodies in _all_bodies(instance):
        free = [c for c in instance.codes if c not in bodies]
        per_domain = [_domain_options(instance, d, free) for d in domains]
        for combination in itertools.product(*per_domain):
            configuration: Configuration = {}
            for domain, placed in zip(domains, combination, strict=True):
                for code in instance.codes:
                    configuration[code, domain] = bodies[code] if code in bodies else placed[code]
            yield configuration


def count(instance: Instance) -> int:
    total = 0
    for bodies in _all_bodies(instance):
        free = [c for c in instance.codes if c not in bodies]
        product = 1
        for domain in instance.domains:
            product *= len(_domain_options(instance, domain, free))
        total += product
    return total


def best(instance: Instance) -> tuple[Evaluation | None, int]:
    """The best feasible configuration's evaluation (None if none is feasible) and how many were feasible."""
    winner: Evaluation | None = None
    feasible = 0
    for configuration in configurations(instance):
        evaluation = evaluate(instance, configuration)
        if evaluation.violations:
            continue
        feasible += 1
        if winner is None or evaluation.objective < winner.objective:
            winner = evaluation
    return winner, feasible
