"""seta against what municipalities did: the nine seed regions as observed in 2007, and taxes on the
national map against the real tax offices.

    python -m benchmarks.observed               # the nine seed regions (seconds)
    python -m benchmarks.observed --national    # and nl-2024-taxes against tax-cooperations (minutes)

The targets of the issue on observed cooperations (a benchmark, not a timed test):
- taxes on nl-2024, default weights: 40-80 % of municipalities pool taxes; at least 3 of Amsterdam,
  Rotterdam, The Hague and Utrecht collect alone (a soft target: an inference of docs/domain.md);
  on the training offices pairwise recall >= 50 %, precision >= 70 %, adjusted Rand index >= 0.45;
- the seed's nine regions as observed in 2007: the distance of each to the optimum.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

from inputs import load_scenario
from inputs.configuration import builtin_observed, read_observed
from optimizer.instance import IN_HOUSE, Configuration, Instance
from optimizer.observed import ObservedComparison, compare_observed
from optimizer.pipeline import optimize

BIG_FOUR = {"GM0363": "Amsterdam", "GM0599": "Rotterdam", "GM0518": "'s-Gravenhage", "GM0344": "Utrecht"}
TARGETS = {"share": (0.40, 0.80), "recall": 0.50, "precision": 0.70, "adjusted_rand": 0.45, "big_alone": 3}


@dataclass(frozen=True)
class Measured:
    name: str
    comparison: ObservedComparison
    optimum: Configuration
    status: str
    seconds: float
    conclusive: bool | None


def measure(scenario_name: str, observed_name: str, overrides: tuple[str, ...] = ()) -> Measured:
    scenario = load_scenario(scenario_name, list(overrides))
    observed = read_observed(observed_name, scenario)
    started = time.perf_counter()
    result = optimize(scenario, explain_rejection=False)
    assert result.configuration is not None and result.chosen is not None, scenario_name
    comparison = compare_observed(Instance(scenario), result.configuration, result.chosen, observed)
    return Measured(
        scenario_name,
        comparison,
        result.configuration,
        result.report.describe(),
        time.perf_counter() - started,
        result.summary().conclusive,
    )


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f} %"


def seed_regions() -> list[Measured]:
    names = [n.removesuffix("-2007") for n in builtin_observed() if n.endswith("-2007")]
    return [measure(name, f"{name}-2007") for name in names]


def national(overrides: tuple[str, ...] = ()) -> Measured:
    return measure("nl-2024-taxes", "tax-cooperations", overrides)


def main() -> int:
    print(f"{'region (2007)':16} {'recall':>7} {'precision':>9} {'ARI':>5} {'structure':>9} {'cash, opt - obs':>16}")
    for measured in seed_regions():
        c = measured.comparison
        cash = c.optimum.cash_expected - c.reality.cash_expected
        print(
            f"{measured.name:16} {_percent(c.distance.recall):>7} {_percent(c.distance.precision):>9} "
            f"{c.distance.adjusted_rand:5.2f} {_percent(c.distance.same_structure):>9} {cash:16,.0f}"
        )
    if "--national" in sys.argv:
        measured = national()
        c, distance = measured.comparison, measured.comparison.distance
        share = c.shares["taxes"][0]
        alone = [name for code, name in BIG_FOUR.items() if measured.optimum[code, "taxes"].structure == IN_HOUSE]
        print(f"\nnl-2024-taxes against the training tax offices ({measured.seconds:.0f} s; {measured.status})")
        print(f"  municipalities pooling taxes: {_percent(share)} (target 40-80 %)")
        print(
            f"  recall {_percent(distance.recall)} (target >= 50 %), precision {_percent(distance.precision)} "
            f"(>= 70 %), adjusted Rand index {distance.adjusted_rand:.2f} (>= 0.45)"
        )
        print(f"  collecting alone: {', '.join(alone) or 'none'} of the four largest cities (target at least 3)")
        print(f"  conclusive: {measured.conclusive}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
