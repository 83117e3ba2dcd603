"""Regions by province or COROP region (issue 23): `members: {province: ...}` / `{corop: ...}` and
`seta init DIR --province / --corop / --members`, which writes a short scenario with units."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from clirun import invoke

from inputs import load_scenario

ZEELAND_2024 = [
    "Borsele",
    "Goes",
    "Hulst",
    "Kapelle",
    "Middelburg (Z.)",
    "Noord-Beveland",
    "Reimerswaal",
    "Schouwen-Duiveland",
    "Sluis",
    "Terneuzen",
    "Tholen",
    "Veere",
    "Vlissingen",
]
#: the fourteen municipalities of COROP region Twente in 2024 (CBS)
TWENTE = [
    "Almelo",
    "Borne",
    "Dinkelland",
    "Enschede",
    "Haaksbergen",
    "Hellendoorn",
    "Hengelo (O.)",
    "Hof van Twente",
    "Losser",
    "Oldenzaal",
    "Rijssen-Holten",
    "Tubbergen",
    "Twenterand",
    "Wierden",
]


def scenario(tmp_path: Path, members: str, dataset: str = "nl-2024") -> Path:
    path = tmp_path / "region.yaml"
    path.write_text(f"municipalities:\n  dataset: {dataset}\n  members: {members}\n", encoding="utf-8")
    return path


def names(tmp_path: Path, members: str, dataset: str = "nl-2024") -> list[str]:
    return [m.name for m in load_scenario(str(scenario(tmp_path, members, dataset))).municipalities]


def test_a_province_is_its_thirteen_municipalities(tmp_path: Path) -> None:
    chosen = names(tmp_path, "{province: Zeeland}")
    assert len(chosen) == 13
    assert sorted(chosen) == ZEELAND_2024
    # the 2007 table has provinces too: the same thirteen, where CBS wrote Middelburg without "(Z.)"
    in_2007 = names(tmp_path, "{province: Zeeland}", "nl-2007")
    assert sorted(in_2007) == [name.replace("Middelburg (Z.)", "Middelburg") for name in ZEELAND_2024]


def test_a_corop_region_is_its_municipalities(tmp_path: Path) -> None:
    assert sorted(names(tmp_path, "{corop: Twente}")) == TWENTE
    assert sorted(names(tmp_path, "{corop: Zeeuwsch-Vlaanderen}")) == ["Hulst", "Sluis", "Terneuzen"]


def test_regions_and_names_mix_and_each_municipality_is_taken_once(tmp_path: Path) -> None:
    # Terneuzen is in Zeeuwsch-Vlaanderen and named too: one member, not a duplicate
    chosen = names(tmp_path, "[{corop: Zeeuwsch-Vlaanderen}, Goes, Terneuzen]")
    assert sorted(chosen) == ["Goes", "Hulst", "Sluis", "Terneuzen"]
    assert len(names(tmp_path, "{province: [Zeeland, Flevoland]}")) == 13 + 6
    assert len(names(tmp_path, "{province: Flevoland, corop: Flevoland}")) == 6
    # provinces are matched regardless of case and accents, as names are regardless of case
    assert len(names(tmp_path, "{province: fryslan}")) == 18


def bad(tmp_path: Path, members: str, dataset: str = "nl-2024") -> str:
    result = invoke("validate", scenario(tmp_path, members, dataset))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "1 problem in the inputs:"
    return lines[1]


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            "Zeeland",
            "members[0]: 'Zeeland' is a province, not a municipality of dataset nl-2024; "
            "for its 13 municipalities write {province: Zeeland}",
        ),
        (
            "[Goes, Twente]",
            "members[1]: 'Twente' is a COROP region, not a municipality of dataset nl-2024; "
            "for its 14 municipalities write {corop: Twente}",
        ),
        (
            "{province: Zeland}",
            "members.province: unknown province 'Zeland' in dataset nl-2024 (expected one of its 12 provinces); "
            "did you mean 'Zeeland'?",
        ),
        (
            "{province: [Utrecht, Frieslnd]}",
            "members.province[1]: unknown province 'Frieslnd' in dataset nl-2024 (expected one of its 12 "
            "provinces); did you mean 'Fryslân'?",
        ),
        (
            "{corop: Twnte}",
            "members.corop: unknown COROP region 'Twnte' in dataset nl-2024 (expected one of its 40 COROP "
            "regions); did you mean 'Twente'?",
        ),
        (
            "{province: Atlantis}",
            "members.province: unknown province 'Atlantis' in dataset nl-2024; expected one of its 12 provinces: "
            "Drenthe, Flevoland, Fryslân, Gelderland, Groningen, Limburg, Noord-Brabant, Noord-Holland, "
            "Overijssel, Utrecht, Zeeland, Zuid-Holland",
        ),
        ("{provincie: Zeeland}", "members.provincie: unknown key; did you mean 'province'?"),
        ("{province: [Zeeland, zeeland]}", "members.province[1]: duplicate province 'zeeland'"),
        (
            "{}",
            "members: an empty mapping (expected a list of municipalities (names or CBS codes), all, "
            "{province: NAME} or {corop: NAME})",
        ),
    ],
)
def test_bad_regions_are_named_with_what_was_expected(tmp_path: Path, members: str, message: str) -> None:
    assert bad(tmp_path, members) == f"  - region.yaml, municipalities.{message}"


def test_the_2007_dataset_says_it_has_no_corop_regions(tmp_path: Path) -> None:
    assert bad(tmp_path, "{corop: Twente}", "nl-2007") == (
        "  - region.yaml, municipalities.members.corop: dataset nl-2007 has no COROP regions (nl-2024 has them); "
        "name the municipalities, or choose by {province: NAME}"
    )


FIGURE_SECTIONS = ("limits", "weights", "economics", "solver", "uncertainty", "diagnosis")


def init(*args: str | Path) -> Result:
    result = invoke("init", *args)
    assert result.exit_code == 0, result.output
    return result


def written(study: Path) -> tuple[str, dict[str, Any]]:
    text = (study / "scenario.yaml").read_text(encoding="utf-8")
    return text, yaml.safe_load(text)


def test_init_by_province_writes_a_short_scenario_without_default_figures(tmp_path: Path) -> None:
    study = tmp_path / "zeeland"
    init(study, "--province", "Zeeland")
    assert sorted(p.name for p in study.iterdir()) == ["scenario.yaml"]
    text, document = written(study)
    assert len(text.splitlines()) <= 30
    assert document["name"] == "Zeeland"
    assert document["municipalities"] == {"dataset": "nl-2024", "members": {"province": "Zeeland"}}
    assert "  members: {province: Zeeland}\n" in text
    # the domains and structures in play as lists: no figure of theirs differs from its default
    assert document["domains"] == ["hr", "taxes", "procurement", "enforcement"]
    assert isinstance(document["structures"], list)
    assert not set(document) & set(FIGURE_SECTIONS)
    assert sorted(m.name for m in load_scenario(str(study / "scenario.yaml")).municipalities) == ZEELAND_2024


def test_init_writes_only_the_figures_it_changes_each_with_its_unit_and_solves(tmp_path: Path) -> None:
    study = tmp_path / "zvl"
    init(
        study,
        "--corop",
        "Zeeuwsch-Vlaanderen",
        "--set",
        "weights.quality=0.7",
        "--set",
        "domains.taxes.core_fte=2",
        "--set",
        "limits.max_travel_km=30",
    )
    text, document = written(study)
    assert document["municipalities"]["members"] == {"corop": "Zeeuwsch-Vlaanderen"}
    assert document["weights"] == {"quality": 0.7}
    assert document["limits"] == {"max_travel_km": 30}
    assert document["domains"] == {"hr": {}, "taxes": {"core_fte": 2}, "procurement": {}, "enforcement": {}}
    assert not {"economics", "solver"} & set(document)
    assert "  quality: 0.7  # weight of quality [x]\n" in text
    assert "    core_fte: 2.0  # overhead of a unit far below the scale [FTE]\n" in text
    assert "  max_travel_km: 30.0  # farthest host from a member [km]\n" in text
    solved = invoke("solve", study / "scenario.yaml", "--no-explain", "--format", "json")
    assert solved.exit_code == 0, solved.output
    assert '"status": "optimal"' in solved.stdout
    again = load_scenario(str(study / "scenario.yaml"))
    assert (again.weights.quality, again.limits.max_travel_km, again.domains[1].core_fte) == (0.7, 30, 2)


def test_init_by_members_and_by_regions_mixed(tmp_path: Path) -> None:
    init(tmp_path / "pair", "--members", "Sluis, GM0677")
    _, document = written(tmp_path / "pair")
    assert document["name"] == "pair"
    assert document["municipalities"]["members"] == ["Sluis", "GM0677"]
    init(tmp_path / "mixed", "--province", "Flevoland", "--province", "Zeeland", "--members", "Goes,Hulst")
    _, document = written(tmp_path / "mixed")
    assert document["name"] == "Flevoland and Zeeland"
    assert document["municipalities"]["members"] == [{"province": ["Flevoland", "Zeeland"]}, "Goes", "Hulst"]
    assert len(load_scenario(str(tmp_path / "mixed" / "scenario.yaml")).municipalities) == 19


def test_init_of_an_unknown_region_writes_nothing(tmp_path: Path) -> None:
    study = tmp_path / "study"
    result = invoke("init", study, "--province", "Zeland")
    assert result.exit_code == 2
    assert result.stderr == (
        "1 problem in the inputs:\n  - scenario.yaml, municipalities.members.province: unknown province 'Zeland' "
        "in dataset nl-2024 (expected one of its 12 provinces); did you mean 'Zeeland'?\n"
    )
    assert not study.exists()
    result = invoke("init", study, "--dataset", "nl-2007", "--corop", "Twente")
    assert result.exit_code == 2
    assert "dataset nl-2007 has no COROP regions (nl-2024 has them)" in result.stderr
    result = invoke("init", study, "--from", "kempen", "--province", "Zeeland")
    assert result.exit_code == 2
    assert (
        "  - --from: copies a built-in scenario; a new region (--province, --corop, --members) goes " in result.stderr
    )
    assert not study.exists()


def test_init_from_a_builtin_writes_no_default_figures(tmp_path: Path) -> None:
    init(tmp_path / "kempen", "--from", "kempen")
    text, document = written(tmp_path / "kempen")
    assert len(text.splitlines()) <= 35
    assert set(document) == {"name", "description", "municipalities", "tables", "domains", "structures", "conditions"}
    assert document["domains"] == ["hr", "taxes", "procurement", "enforcement", "ict"]
    # a built-in scenario's own figures are kept, each with its unit
    init(tmp_path / "national", "--from", "nl-2024")
    text, document = written(tmp_path / "national")
    assert document["domains"]["taxes"] == {"max_travel_km": 25}
    assert (
        "    max_travel_km: 25.0  # farthest host from a member in this domain (none: the region's limit) [km]\n"
        in text
    )
    assert load_scenario(str(tmp_path / "national" / "scenario.yaml")).solver == load_scenario("nl-2024").solver
