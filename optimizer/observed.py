"""A configuration observed in the world beside the optimum: the same evaluator, and the distance.

The observed configuration is what its file says and nothing more: the services it lists are placed
as it says, every other service is counted in house. Its figures come from the evaluator that checks
every solve, so the two answers are costed alike. Where the file covers only part of the scenario (six
tax offices on the national map), the figures are compared over the services it covers: what those
municipalities pay in reality and in the optimum (docs/observed.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from inputs.configuration import Observed
from optimizer.agreement import Agreement, agreement, pooling_share
from optimizer.evaluate import Evaluation, evaluate
from optimizer.instance import IN_HOUSE, Configuration, Instance, Placement


@dataclass(frozen=True)
class Side:
    """What the covered services cost and deliver under one configuration."""

    #: annual cash cost of the covered services if every pool works, and expected with the risk
    cash_if_works: float
    cash_expected: float
    one_off: float
    #: quality of the covered services, 0-100, weighted by each service's annual cost (as Totals)
    quality: float
    pooled_services: int


@dataclass(frozen=True)
class ObservedComparison:
    observed: Observed
    evaluation: Evaluation
    configuration: Configuration
    #: the covered services and the municipalities they belong to
    services: tuple[tuple[str, str], ...]
    reality: Side
    optimum: Side
    distance: Agreement
    #: domain -> (share of all municipalities pooling it in the optimum, share of the covered ones in reality)
    shares: dict[str, tuple[float, float]]
    #: the scenario's rules that the observed configuration breaks (its figures are computed all the same)
    violations: tuple[str, ...]
    #: the file covers every service of the scenario: whole-region figures compare directly
    whole: bool


def observed_configuration(instance: Instance, observed: Observed) -> Configuration:
    """Every service of the scenario: as the file places it, else in house."""
    pools = observed.placements()
    return {
        (code, domain): Placement(*pools[code, domain]) if (code, domain) in pools else Placement(code, IN_HOUSE)
        for code in instance.codes
        for domain in instance.domains
    }


def _side(instance: Instance, evaluation: Evaluation, services: tuple[tuple[str, str], ...]) -> Side:
    chosen = [evaluation.services[key] for key in services]
    values = [instance.service_value(s.code, s.domain) for s in chosen]
    weight = sum(values)
    quality = sum(s.quality * v for s, v in zip(chosen, values, strict=True)) / weight if weight > 0 else 1.0
    quality *= 100  # the scale of every output
    return Side(
        cash_if_works=sum(s.cost for s in chosen),
        cash_expected=sum(s.cost + s.risk_eur for s in chosen),
        one_off=sum(s.transition_one_off for s in chosen),
        quality=quality,
        pooled_services=sum(s.placement.structure != IN_HOUSE for s in chosen),
    )


def compare_observed(
    instance: Instance, optimum: Configuration, optimum_evaluation: Evaluation, observed: Observed
) -> ObservedComparison:
    """The observed configuration evaluated on the scenario, beside the optimum, with the distance."""
    configuration = observed_configuration(instance, observed)
    evaluation = evaluate(instance, configuration)
    services = tuple((code, domain) for code in observed.covered for domain in observed.domains)
    everyone = instance.municipality_codes
    shares = {
        domain: (pooling_share(optimum, everyone, domain), pooling_share(configuration, observed.covered, domain))
        for domain in observed.domains
    }
    return ObservedComparison(
        observed=observed,
        evaluation=evaluation,
        configuration=configuration,
        services=services,
        reality=_side(instance, evaluation, services),
        optimum=_side(instance, optimum_evaluation, services),
        distance=agreement(optimum, configuration, list(services)),
        shares=shares,
        violations=tuple(evaluation.violations),
        whole=len(services) == len(everyone) * len(instance.domains),
    )
