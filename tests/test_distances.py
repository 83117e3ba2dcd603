"""Road distances a scenario gives (`tables.distances`): used both ways in the model and the
evaluator, straight line times the detour factor where a pair is left out, placed messages for bad
rows, and a scenario hash that changes with them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import invoke

from inputs import load_scenario
from optimizer.instance import Instance

ZEELAND = """name: Walcheren and Zeeuws-Vlaanderen
municipalities:
  dataset: nl-2024
  members: [Vlissingen, Middelburg (Z.), Veere, Terneuzen, Sluis, Hulst]
domains: [taxes, hr]
tables:
  distances: roads.csv
"""


def _write(folder: Path, rows: str, scenario: str = ZEELAND) -> Path:
    (folder / "roads.csv").write_text("code_a,code_b,km\n" + rows, encoding="utf-8")
    path = folder / "scenario.yaml"
    path.write_text(scenario, encoding="utf-8")
    return path


def test_given_road_km_are_used_both_ways_and_the_rest_stays_straight_line(tmp_path: Path) -> None:
    # Vlissingen to Terneuzen: their centres lie on either side of the Westerschelde; the road goes
    # round by the tunnel, so a user gives it
    path = _write(tmp_path, "Vlissingen,Terneuzen,50\nGM0715,GM1714,41.5\n")
    scenario = load_scenario(str(path))
    instance = Instance(scenario)
    code = {m.name: m.code for m in scenario.municipalities}
    assert instance.distance(code["Vlissingen"], code["Terneuzen"]) == 50.0
    assert instance.distance(code["Terneuzen"], code["Vlissingen"]) == 50.0
    assert instance.distance(code["Terneuzen"], code["Sluis"]) == 41.5
    (tmp_path / "plain").mkdir()
    plain = Instance(load_scenario(str(_write(tmp_path / "plain", ""))))  # no rows: all straight
    straight = plain.distance(code["Vlissingen"], code["Terneuzen"])
    assert 10 < straight < 40  # the line over the water, times the detour factor
    assert instance.distance(code["Vlissingen"], code["Middelburg (Z.)"]) == plain.distance(
        code["Vlissingen"], code["Middelburg (Z.)"]
    )


def test_a_way_back_given_on_its_own_row_is_kept(tmp_path: Path) -> None:
    scenario = load_scenario(str(_write(tmp_path, "Vlissingen,Terneuzen,50\nTerneuzen,Vlissingen,52\n")))
    code = {m.name: m.code for m in scenario.municipalities}
    instance = Instance(scenario)
    assert instance.distance(code["Vlissingen"], code["Terneuzen"]) == 50.0
    assert instance.distance(code["Terneuzen"], code["Vlissingen"]) == 52.0


def test_distances_change_the_scenario_hash(tmp_path: Path) -> None:
    given = load_scenario(str(_write(tmp_path, "Vlissingen,Terneuzen,50\n"))).content_hash()
    other = load_scenario(str(_write(tmp_path, "Vlissingen,Terneuzen,60\n"))).content_hash()
    assert given != other


def _crossing(result_output: str) -> bool:
    """Whether a pool joins Vlissingen and Terneuzen with one of them as its host."""
    document = json.loads(result_output)
    return any(
        {"GM0718", "GM0715"} <= set(pool["member_codes"].split()) and pool["host_code"] in ("GM0718", "GM0715")
        for pool in document["pools"]
    )


def test_a_long_road_across_the_water_keeps_its_two_ends_apart(tmp_path: Path) -> None:
    near = invoke("solve", _write(tmp_path, "Vlissingen,Terneuzen,8\n"), "--format", "json")
    assert near.exit_code == 0, near.output
    assert _crossing(near.stdout)  # Terneuzen joins Vlissingen's tax office
    far = invoke("solve", _write(tmp_path, "Vlissingen,Terneuzen,900\n"), "--format", "json")
    assert far.exit_code == 0, far.output
    assert not _crossing(far.stdout)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("Vlissingen,Atlantis,50\n", "roads.csv, row 2: unknown municipality 'Atlantis'"),
        ("Vlissingen,Vlissingen,5\n", "roads.csv, row 2: a distance from 'GM0718' to itself"),
        (
            "Vlissingen,Terneuzen,-3\n",
            "roads.csv, row 2, column km: got -3 (expected road km above 0 and at most 1,000)",
        ),
        ("Vlissingen,Terneuzen,\n", "roads.csv, row 2, column km: got nothing (expected road km above 0"),
        (
            "Vlissingen,Terneuzen,50\nVlissingen,Terneuzen,51\n",
            "roads.csv, row 3: a second distance from GM0718 to GM0715 (row 2 gives one already)",
        ),
    ],
)
def test_a_bad_distance_row_is_bad_input_with_its_place(tmp_path: Path, rows: str, message: str) -> None:
    result = invoke("solve", _write(tmp_path, rows))
    assert result.exit_code == 2, result.output
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
