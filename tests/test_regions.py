"""Regions by province or COROP region (issue 23): `members: {province: ...}` / `{corop: ...}`."""

from __future__ import annotations

from pathlib import Path

import pytest
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
