"""Built-in data as documented, and what the user is told when pooling does not pay."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cli.main import cli
from inputs import datasets, load_scenario
from optimizer import optimize


def test_built_in_datasets_are_complete() -> None:
    old, new = datasets.municipalities("nl-2007"), datasets.municipalities("nl-2024")
    assert len(old) == 443 and len(new) == 342
    assert sum(m.population for m in new.values()) == 17_942_942
    assert len(datasets.adjacency("nl-2007")) == 1134 and len(datasets.adjacency("nl-2024")) == 869
    estimated = {m.name for m in old.values() if m.population_estimated}
    assert len(estimated) == 39
    assert {"Helden", "Meijel", "Kessel", "Lith", "Anna Paulowna"} <= estimated
    assert not any(m.population_estimated for m in new.values())
    # point contacts are not neighbours (PROVENANCE: Reusel-De Mierden and Oirschot touch in a point)
    assert ("GM0823", "GM1667") not in datasets.adjacency("nl-2007")


def test_scenario_regions_are_connected_neighbours() -> None:
    import networkx as nx

    for name in ("kempen", "krimpenerwaard", "drechtsteden", "helden", "land-van-cuyk"):
        scenario = load_scenario(name)
        graph = nx.Graph(list(scenario.adjacency))
        graph.add_nodes_from(m.code for m in scenario.municipalities)
        assert nx.is_connected(graph), name


NO_POOLING = """\
name: No pooling
municipalities: {dataset: nl-2024, members: [Amsterdam, Rotterdam]}
domains: {taxes: {max_travel_km: null}}
structures: [centre]
limits: {max_travel_km: null}
weights: {autonomy: 10}
"""


def test_when_pooling_does_not_pay_the_best_rejected_pool_is_shown(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(NO_POOLING, encoding="utf-8")
    result = optimize(load_scenario(str(path)))
    assert result.chosen is not None and not result.chosen.pools()
    assert result.rejected is not None
    margin = result.rejected.objective - result.chosen.objective
    assert margin > 0
    run = CliRunner().invoke(cli, ["solve", str(path), "--no-explain"])
    assert run.exit_code == 0
    text = " ".join(run.stdout.split())
    assert "Pooling does not pay here" in text
    assert "Best rejected: taxes as a centre municipality hosted by" in text
    assert f"EUR {margin / 1e3:,.0f} k a year worse" in text
