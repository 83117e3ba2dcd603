"""Nobody worse off (politics.participation): with the guarantee on, no member pays more for a pool,
split by the key, than its own departments for the same domains cost; the MIP with the guarantee
equals brute force over the configurations that keep it (tests/test_property.py draws it too); the
price is stated; a guarantee that leaves no configuration is explained."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from clirun import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inputs import load_scenario
from inputs.keys import parse_key
from inputs.types import Scenario
from optimizer import optimize
from optimizer.evaluate import own_department
from optimizer.guarantee import without_guarantee
from strategies import scenarios

KEYS = ["use", "inhabitants", "equal", "fixed:0.3+use", "fixed:0.5+inhabitants"]


def shares_paid(result) -> list[tuple[str, str, float, float]]:  # type: ignore[no-untyped-def]
    """(pool, member, what the key charges it, what its own departments would cost), computed here
    from the evaluator's per-service costs: a pool is a domain's unit or a body of several domains."""
    instance, key = result.instance, result.instance.scenario.politics.participation
    pools: dict[str, dict[str, list[str]]] = {}
    cost: dict[str, float] = {}
    for (code, domain), service in result.chosen.services.items():
        placement = service.placement
        if placement.structure == "in_house":
            continue
        scope = instance.structures[placement.structure].scope
        pool = f"{placement.structure}@{placement.host}" + ("" if scope != "domain" else f" {domain}")
        pools.setdefault(pool, {}).setdefault(code, []).append(domain)
        cost[pool] = cost.get(pool, 0.0) + service.cost
    paid = []
    for pool, members in pools.items():
        if key.variable == "inhabitants":
            weight = {m: instance.municipality[m].population for m in members}
        elif key.variable == "use":
            weight = {m: sum(instance.workload[m, d] for d in domains) for m, domains in members.items()}
        else:
            weight = dict.fromkeys(members, 1.0)
        for member, domains in members.items():
            share = key.fixed / len(members) + (1 - key.fixed) * weight[member] / sum(weight.values())
            alone = sum(own_department(instance, member, d).staff_cost for d in domains)
            paid.append((pool, member, share * cost[pool], alone))
    return paid


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from(KEYS))
def test_with_participation_nobody_pays_more_than_alone(scenario: Scenario, key: str) -> None:
    from unittest.mock import patch

    guarded = replace(scenario, politics=replace(scenario.politics, participation=parse_key(key)))
    # the model's rows alone must keep the guarantee: the evaluator's cuts are a safety net, unused
    unused = AssertionError("a pool broke the guarantee the rows should keep: a cut was needed")
    try:
        with patch("optimizer.guarantee.exclude_pool", side_effect=unused):
            result = optimize(guarded)
    except Exception as error:  # a screen may reject a scenario whose rules leave nothing
        assert type(error).__name__ == "InputError", error
        return
    if result.chosen is None:
        assert result.report.status == "infeasible", result.report
        return
    assert result.report.status == "optimal"
    for pool, member, charged, alone in shares_paid(result):
        assert charged <= alone + 0.5, (pool, member, charged, alone)
    free = optimize(without_guarantee(guarded))
    assert free.chosen is not None
    # the guarantee only takes configurations away: it can never make the best one better
    assert result.chosen.objective >= free.chosen.objective - 1e-6 * abs(free.chosen.objective) - 1e-3


SMALL = """name: small
municipalities:
  dataset: nl-2007
  members: [Eersel, Bladel, Reusel-De Mierden]
domains: [taxes, hr]
structures: [centre, ssc]
"""


def test_a_key_that_breaks_the_free_optimum_has_a_price_and_the_cli_states_it(tmp_path: Path) -> None:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    free = optimize(load_scenario(str(path)))
    assert free.chosen is not None
    result = invoke("solve", str(path), "--participation", "equal", "--no-explain", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    part = document["participation"]
    assert part["key"] == "equal"
    assert part["objective_without"] == pytest.approx(free.chosen.objective, rel=1e-9)
    assert part["price_weighted"] == pytest.approx(part["objective"] - part["objective_without"])
    assert part["price_weighted"] > 0, "equal shares make a small member of the free optimum pay more than alone"
    assert "Participation guarantee (split by equal): nobody pays more for a pool than alone. Its price: EUR" in (
        result.stderr
    )


FORCED = """name: forced
municipalities:
  table: municipalities.csv
domains: [taxes]
structures: [centre]
politics:
  force: [Tiny]
  participation: {key: equal}
"""
FORCED_ROWS = "code,name,population,lat,lon\nGM9001,Tiny,2000,51.40,5.30\nGM9002,Large,90000,51.42,5.33\n"


def test_a_guarantee_that_leaves_no_configuration_is_explained(tmp_path: Path) -> None:
    (tmp_path / "municipalities.csv").write_text(FORCED_ROWS, encoding="utf-8")
    path = tmp_path / "forced.yaml"
    path.write_text(FORCED, encoding="utf-8")
    result = invoke("solve", str(path), "--explain")
    assert result.exit_code == 1, result.stderr
    assert "politics.participation" in result.stderr
    assert "no member pays more for a pool, split by equal, than its work costs alone" in result.stderr
    assert "politics.force.Tiny" in result.stderr
    shares = invoke("allocate", str(path))
    assert shares.exit_code == 1, shares.stderr
    assert "no member pays more for a pool, split by equal, than its work costs alone" in shares.stderr


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("politics.participation.key=shares", "politics.participation.key: unknown key 'shares'"),
        ("politics.participation.keys=use", "politics.participation.keys: unknown key"),
        ("politics.participation=5", "politics.participation: expected a cost-sharing key such as use"),
    ],
)
def test_a_bad_participation_key_is_bad_input(setting: str, message: str) -> None:
    result = invoke("solve", "beek", "--set", setting)
    assert result.exit_code == 2
    assert message in result.stderr


def test_the_guarantee_rows_come_in_the_same_order_whatever_the_hash_seed(tmp_path: Path) -> None:
    """Same inputs, same model: a set's order changes with PYTHONHASHSEED, and with the order of
    rows HiGHS's path and a stopped run's answer would change too."""
    import os
    import subprocess
    import sys

    seta = str(Path(sys.executable).parent / "seta")
    written = []
    for seed in ("1", "2", "3"):
        path = tmp_path / f"kempen-{seed}.lp"
        arguments = ["solve", "kempen", "--participation", "use", "--formulation", "textbook", "--no-explain"]
        done = subprocess.run(
            [seta, *arguments, "--write-lp", str(path)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        written.append(path.read_text(encoding="utf-8"))
    assert "participation" in written[0] or "guarantee" in written[0]
    assert written[0] == written[1] == written[2]
