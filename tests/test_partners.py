"""Partners that are not municipalities (a water board in a tax office): their workload, the rules
they keep (no hosting, only joint bodies, only their own domains), the MIP against brute force, and
bad input with its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from bruteforce import best
from inputs import load_scenario
from inputs.configuration import read_observed
from inputs.problems import InputError
from optimizer.evaluate import evaluate
from optimizer.instance import IN_HOUSE, Instance, Placement
from optimizer.pipeline import optimize

SMALL = """\
name: Three and a water board
municipalities: {dataset: nl-2007, members: [Eersel, Bladel, Oirschot]}
domains: [hr, taxes]
structures: [centre, joint_body]
partners:
  - {name: Waterschap De Dommel, seat: Boxtel, fte: {taxes: 3.0}}
"""


def scenario_from(folder: Path, text: str = SMALL) -> Path:
    path = folder / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_partner_joins_only_joint_bodies_in_its_own_domains_and_hosts_nothing(tmp_path: Path) -> None:
    instance = Instance(load_scenario(str(scenario_from(tmp_path))))
    water = "PT01"
    assert instance.partners == {water} and instance.municipality_codes == ["GM0770", "GM1728", "GM0823"]
    joint, centre = instance.structures["joint_body"], instance.structures["centre"]
    assert water in instance.unit_members(joint, "GM1728", "taxes")
    assert water not in instance.unit_members(centre, "GM1728", "taxes")
    assert water not in instance.unit_members(joint, "GM1728", "hr")
    assert water not in instance.unit_hosts(joint, "taxes")
    status_quo = evaluate(instance, instance.status_quo())
    assert status_quo.services[water, "hr"].cost == 0.0  # no work in HR, no department
    assert status_quo.services[water, "taxes"].cost > 0.0
    in_a_centre = instance.status_quo() | {
        (code, "taxes"): Placement("GM1728", "centre") for code in ("GM1728", "GM0770", water)
    }
    assert any("PT01 may not join" in v for v in evaluate(instance, in_a_centre).violations)


def test_the_mip_with_a_partner_equals_brute_force(tmp_path: Path) -> None:
    scenario = load_scenario(str(scenario_from(tmp_path)))
    result = optimize(scenario)
    winner, feasible = best(Instance(scenario))
    assert winner is not None and feasible > 10
    assert result.chosen is not None
    assert result.chosen.objective == pytest.approx(winner.objective, rel=1e-6, abs=1e-3)


def test_a_partner_that_joins_pays_its_share_and_the_pool_is_larger(tmp_path: Path) -> None:
    instance = Instance(load_scenario(str(scenario_from(tmp_path))))
    members = ("GM1728", "GM0770", "GM0823")
    without = instance.status_quo() | {(c, "taxes"): Placement("GM1728", "joint_body") for c in members}
    with_partner = without | {("PT01", "taxes"): Placement("GM1728", "joint_body")}
    a, b = evaluate(instance, without), evaluate(instance, with_partner)
    assert a.violations == [] and b.violations == []
    pool_a = next(u for u in a.pools())
    pool_b = next(u for u in b.pools())
    assert pool_b.workload == pytest.approx(pool_a.workload + 3.0)
    # the municipalities' own share of the pool falls: the partner carries its part of the overhead
    municipal = sum(b.services[c, "taxes"].cost for c in members)
    assert municipal < sum(a.services[c, "taxes"].cost for c in members)
    assert b.services["PT01", "taxes"].placement == Placement("GM1728", "joint_body")


def test_a_partner_workload_from_its_area_is_its_share_of_their_work(tmp_path: Path) -> None:
    text = SMALL.replace(
        "{name: Waterschap De Dommel, seat: Boxtel, fte: {taxes: 3.0}}",
        "{name: Waterschap De Dommel, seat: Boxtel, area: [Eersel, Bladel], work_share: 0.25}",
    )
    scenario = load_scenario(str(scenario_from(tmp_path, text)))
    instance = Instance(scenario)
    expected = 0.25 * (instance.workload["GM0770", "taxes"] + instance.workload["GM1728", "taxes"])
    assert instance.workload["PT01", "taxes"] == pytest.approx(expected)


def test_an_observed_pool_with_a_declared_partner_takes_it_in(tmp_path: Path) -> None:
    scenario = load_scenario(str(scenario_from(tmp_path)))
    observed = tmp_path / "observed.csv"
    observed.write_text(
        "cooperation,domain,member_name,water_board_partners\n"
        "Kempen taxes,taxes,Eersel,Waterschap De Dommel\nKempen taxes,taxes,Bladel,Waterschap De Dommel\n",
        encoding="utf-8",
    )
    read = read_observed(observed, scenario)
    assert read.pools[0].members == ("GM0770", "GM1728")
    assert read.pools[0].partner_places == (("PT01", ("taxes",)),)
    assert read.placements()["PT01", "taxes"] == ("GM1728", "joint_body")
    assert read.covered == ("GM0770", "GM1728")  # partners are not among the municipalities measured


def test_a_partner_named_as_a_member_is_bad_input(tmp_path: Path) -> None:
    scenario = load_scenario(str(scenario_from(tmp_path)))
    observed = tmp_path / "observed.csv"
    observed.write_text(
        "cooperation,domain,member_name\nA,taxes,Eersel\nA,taxes,waterschap de dommel\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as raised:
        read_observed(observed, scenario)
    assert (
        "observed.csv, row 3, member_name: 'waterschap de dommel' is a partner, not a municipality (name it under "
        "partners)" in str(raised.value)
    )


@pytest.mark.parametrize(
    ("partner", "message"),
    [
        ("{name: Waterschap De Dommel, seat: Boxtel}", "partners[0]: no workload: give fte (per domain"),
        ("{name: W, seat: Boxtl, fte: {taxes: 3}}", "partners[0].seat: unknown municipality 'Boxtl'"),
        ("{name: Eersel, seat: Boxtel, fte: {taxes: 3}}", "partners[0].name: 'Eersel' is already the name of"),
        ("{name: W, seat: Boxtel, fte: {taxis: 3}}", "partners[0].fte.taxis: unknown key; did you mean 'taxes'?"),
        ("{name: W, seat: Boxtel, fte: {taxes: -3}}", "partners[0].fte.taxes: -3 is out of range"),
        ("{name: W, fte: {taxes: 3}}", "partners[0]: no place: give its seat (a municipality) or lat and lon"),
    ],
)
def test_a_bad_partner_is_bad_input_with_its_place(tmp_path: Path, partner: str, message: str) -> None:
    text = SMALL.replace("{name: Waterschap De Dommel, seat: Boxtel, fte: {taxes: 3.0}}", partner)
    with pytest.raises(InputError) as raised:
        load_scenario(str(scenario_from(tmp_path, text)))
    assert f"scenario.yaml, {message}" in str(raised.value)


def test_a_status_quo_with_partners_counts_only_municipalities(tmp_path: Path) -> None:
    scenario = load_scenario(str(scenario_from(tmp_path)))
    result = optimize(scenario)
    assert result.summary().municipalities == 3
    assert result.configuration is not None
    assert all(p.structure == IN_HOUSE for (c, d), p in result.configuration.items() if d == "hr" and c == "PT01")


def test_a_nearest_area_is_the_regions_municipalities_nearest_its_seat(tmp_path: Path) -> None:
    """One water board with `area: nearest` in a region of three takes the three (not the country);
    two split them by distance to their seats."""
    one = SMALL.replace(
        "{name: Waterschap De Dommel, seat: Boxtel, fte: {taxes: 3.0}}",
        "{name: Waterschap De Dommel, seat: Boxtel, area: nearest, work_share: 0.5}",
    )
    instance = Instance(load_scenario(str(scenario_from(tmp_path, one))))
    region = sum(instance.workload[c, "taxes"] for c in instance.municipality_codes)
    assert instance.workload["PT01", "taxes"] == pytest.approx(0.5 * region)
    two = one.replace(
        "area: nearest, work_share: 0.5}",
        "area: nearest, work_share: 0.5}\n  - {name: Waterschap Brabantse Delta, seat: Breda, area: nearest, "
        "work_share: 0.5}",
    )
    instance = Instance(load_scenario(str(scenario_from(tmp_path, two))))
    split = instance.workload["PT01", "taxes"] + instance.workload["PT02", "taxes"]
    assert split == pytest.approx(0.5 * region)
    assert instance.workload["PT02", "taxes"] < instance.workload["PT01", "taxes"]  # Breda lies farther away
