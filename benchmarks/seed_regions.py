"""The nine seed regions under the default valuations, against what they actually did.

    python -m benchmarks.seed_regions            # one row per region, and the targets

The definitions are those of the valuations issue (docs/model.md, "Calibration: the seed regions"):

- a region *recommends one civil service* when its optimum has an all-domain body (one civil
  service or amalgamation) that covers at least half of its municipalities;
- a structure is *recommended* in a region when it carries at least a quarter of the region's
  pooled services in the optimum;
- an option is *close* when it closes at least 80 % of the optimum's weighted gain over the status
  quo (a bare "within 2 % of the objective" is nearly vacuous: most of the objective is cost nobody
  can change).

`tests/test_calibration.py` keeps each target true.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from functools import cache

import pulp

from inputs import load_scenario, regional_names
from inputs.types import Scenario
from optimizer.evaluate import Evaluation
from optimizer.formulation.model import Model
from optimizer.instance import IN_HOUSE
from optimizer.pipeline import optimize
from optimizer.solve import Status
from optimizer.task import solve_task

#: the seed's nine regions (nl-2024 is a national study, not a seed region)
SEED_REGIONS = tuple(n for n in regional_names() if n != "nl-2024")
ALL_DOMAIN = ("one_civil_service", "amalgamation")
#: an option is close when it closes this share of the optimum's weighted gain
CLOSE = 0.8
#: a structure is recommended when it carries this share of a region's pooled services
RECOMMENDED = 0.25


@dataclass(frozen=True)
class RegionFigures:
    name: str
    objective: float
    #: the status quo's weighted objective and annual cash cost
    baseline_objective: float
    baseline_cash: float
    #: the optimum's annual cash change against the status quo (negative: a saving)
    cash_change: float
    #: the optimum's weighted gain over the status quo (positive: better), expected with the risk
    gain: float
    #: pooled services per structure
    pooled: dict[str, int]
    recommends_one_civil_service: bool

    @property
    def recommended(self) -> set[str]:
        total = sum(self.pooled.values())
        return {s for s, n in self.pooled.items() if total and n >= RECOMMENDED * total}

    @property
    def gain_share_of_cash(self) -> float:
        """The weighted gain as a share of the region's annual cash cost."""
        return self.gain / self.baseline_cash


def _pooled(chosen: Evaluation) -> Counter[str]:
    return Counter(s.placement.structure for s in chosen.services.values() if s.placement.structure != IN_HOUSE)


def recommends_one_civil_service(chosen: Evaluation, municipalities: int) -> bool:
    return any(b.structure in ALL_DOMAIN and 2 * len(b.members) >= municipalities for b in chosen.bodies)


@cache
def figures(name: str) -> RegionFigures:
    scenario = load_scenario(name)
    result = optimize(scenario, explain_rejection=False)
    chosen = result.chosen
    assert chosen is not None, name
    baseline = result.baseline
    return RegionFigures(
        name=name,
        objective=chosen.objective,
        baseline_objective=baseline.objective,
        baseline_cash=baseline.criteria["cost"],
        cash_change=chosen.criteria["cost"] - baseline.criteria["cost"],
        gain=baseline.objective - chosen.objective,
        pooled=dict(_pooled(chosen)),
        recommends_one_civil_service=recommends_one_civil_service(chosen, len(scenario.municipalities)),
    )


def option_share(scenario: Scenario, structure: str, host: str | None = None) -> float:
    """The share of the optimum's weighted gain that the best configuration with at least one pool of
    `structure` (hosted by the municipality named `host`, where given) closes: 1 is the optimum."""
    optimum = optimize(scenario, explain_rejection=False)
    assert optimum.chosen is not None
    best_gain = optimum.baseline.objective - optimum.chosen.objective
    code = None if host is None else next(m.code for m in scenario.municipalities if m.name == host)

    def require_option(model: Model) -> None:
        opened = [u.is_open for u in model.variables.units if u.structure.key == structure and code in (None, u.host)]
        assert opened, f"{scenario.name}: no candidate {structure} pool"
        model.problem.addConstraint(pulp.lpSum_vars(opened) >= 1, "require_option")

    solved = solve_task(scenario, scenario.solver, formulation="textbook", shape=require_option)
    assert solved.objective is not None and solved.status == Status.OPTIMAL, scenario.name
    gain = optimum.baseline.objective - solved.objective
    if best_gain <= 0:
        return 1.0 if gain >= best_gain else 0.0
    return gain / best_gain


def uses(chosen: Evaluation, structure: str) -> bool:
    return any(s.placement.structure == structure for s in chosen.services.values())


NATIONAL_DOMAINS = "domains=[hr, taxes, procurement, enforcement, ict]"


def national_share() -> tuple[float, int, int, str]:
    """nl-2024 with five domains, default weights, the scenario's own solver settings: the share of
    municipalities in one civil service or amalgamation, how many such bodies, and the solver status."""
    scenario = load_scenario("nl-2024", [NATIONAL_DOMAINS])
    result = optimize(scenario, explain_rejection=False)
    assert result.chosen is not None
    merged = {c for b in result.chosen.bodies if b.structure in ALL_DOMAIN for c in b.members}
    bodies = sum(1 for b in result.chosen.bodies if b.structure in ALL_DOMAIN)
    return len(merged) / len(scenario.municipalities), len(merged), bodies, result.report.describe()


def main() -> int:
    print(f"{'region':16} {'OCS':>4} {'recommended':34} {'cash/yr':>12} {'gain/yr':>12} {'gain % cash':>11}")
    for name in SEED_REGIONS:
        f = figures(name)
        print(
            f"{name:16} {'yes' if f.recommends_one_civil_service else 'no':>4} "
            f"{', '.join(sorted(f.recommended)) or '-':34} {f.cash_change:12,.0f} {f.gain:12,.0f} "
            f"{100 * f.gain_share_of_cash:10.2f}%"
        )
    counted = sum(figures(n).recommends_one_civil_service for n in SEED_REGIONS)
    structures = set().union(*(figures(n).recommended for n in SEED_REGIONS))
    print(f"\none civil service recommended in {counted} of {len(SEED_REGIONS)}")
    print(f"structures recommended across the nine: {', '.join(sorted(structures))} ({len(structures)})")
    print(f"Schagen, one civil service closes {option_share(load_scenario('schagen'), 'one_civil_service'):.0%}")
    helden = option_share(load_scenario("helden"), "centre", host="Helden")
    print(f"Helden, a centre municipality hosted by Helden closes {helden:.0%}")
    print(f"Drechtsteden, a shared service centre closes {option_share(load_scenario('drechtsteden'), 'ssc'):.0%}")
    if "--national" in sys.argv:
        share, merged, bodies, status = national_share()
        print(f"nl-2024, five domains: {merged} municipalities ({share:.0%}) in {bodies} all-domain bodies; {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
