"""Pricing by MIP (`optimizer.formulation.pricing`): where a unit has too many candidates to list its
pools, a small MIP finds the cheapest. It must find what listing every member set finds, and the
pool formulation priced that way must reach the textbook model's optimum."""

from __future__ import annotations

import numpy as np
import pytest

from inputs import load_scenario
from inputs.types import SolverOptions
from optimizer.control import Control
from optimizer.formulation import pools
from optimizer.formulation.pools import PoolModel, build_pools, pool_fit
from optimizer.formulation.pricing import PricingProblem, unpriceable
from optimizer.instance import Instance
from optimizer.solve import Status
from optimizer.task import solve_task

OPTIONS = SolverOptions(time_limit=300.0, gap=0.0)


@pytest.mark.parametrize("name", ["kempen", "drechtsteden", "helden"])
def test_the_mip_finds_the_cheapest_pools_that_listing_finds(name: str) -> None:
    instance = Instance(load_scenario(name))
    model = build_pools(instance, Control.within(300))
    assert isinstance(model, PoolModel)
    generator = np.random.default_rng(7)
    checked = 0
    for catalogue in model.catalogues:
        if len(catalogue.masks) < 3:
            continue
        pricer = PricingProblem(instance, catalogue.units, catalogue.members)
        spread = float(np.abs(catalogue.cost).mean()) + 1.0
        for _ in range(3):
            duals = generator.normal(0.0, spread / 2, len(catalogue.members))
            reduced = catalogue.cost + catalogue.masks @ duals
            found = pricer.cheapest(duals, np.inf, 3)
            assert pricer.floor(duals) <= reduced.min() + 1e-6
            rows = [catalogue.index_of(mask) for mask in found]
            assert None not in rows, "the MIP found a member set that is not a possible pool"
            # the three cheapest in order, as listing gives them (ties may swap)
            assert [reduced[n] for n in rows] == pytest.approx(np.sort(reduced)[:3], rel=1e-7, abs=1e-4)
            below = float(np.sort(reduced)[1])  # only the cheapest lies strictly below the second
            assert len(pricer.cheapest(duals, below - 1e-3, 5)) == 1
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize(
    ("name", "overrides"),
    [
        ("kempen", []),
        ("kempen", ["weights.autonomy=5"]),  # a matrix of units wins
        ("drechtsteden", []),
    ],
)
def test_pools_priced_by_mip_reach_the_textbook_optimum(
    name: str, overrides: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = load_scenario(name, overrides)
    textbook = solve_task(scenario, OPTIONS, formulation="textbook")
    # every unit with more than 3 candidates besides its host is priced by MIP instead of listed
    monkeypatch.setattr(pools, "MAX_CANDIDATES", 3)
    instance = Instance(scenario)
    assert pool_fit(instance).mip_from == 3
    model = build_pools(instance, Control.within(300))
    assert isinstance(model, PoolModel) and any(c.pricer is not None for c in model.catalogues)
    assert not pool_fit(instance).pays  # auto leaves such a scenario to the textbook model
    # the choice is the build's: one check-in of the solver's work is enough to see it
    assert solve_task(scenario, OPTIONS, work=1).size.formulation == "textbook"
    priced = solve_task(scenario, OPTIONS, formulation="pools")
    assert textbook.status is Status.OPTIMAL and priced.status is Status.OPTIMAL
    assert priced.size.formulation == "pools"
    assert priced.objective == pytest.approx(textbook.objective, rel=1e-9)


def test_what_the_mip_cannot_represent_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    instance = Instance(load_scenario("kempen", ["limits.connected_pools=true"]))
    model = build_pools(instance, Control.within(300))
    assert isinstance(model, PoolModel)
    catalogue = model.catalogues[0]
    assert unpriceable(instance, catalogue.units, catalogue.members) == (
        "pools must be one piece of the map (limits.connected_pools)"
    )
    monkeypatch.setattr(pools, "MAX_CANDIDATES", 3)
    fit = pool_fit(instance)
    assert fit.not_applicable is not None
    assert "too many to list its pools, and pools must be one piece of the map" in fit.not_applicable
