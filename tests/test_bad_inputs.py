"""Bad inputs through the `seta` CLI: exit code 2, one line per problem naming its place, no traceback.

Each test writes its scenario (and tables) into `tmp_path` and checks the exact message lines, so a
regression in the wording, the place or the exit code fails here.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import Result
from clirun import invoke

from inputs import load_scenario

THREE = "municipalities:\n  dataset: nl-2007\n  members: [Eersel, Bladel, Oirschot]\n"
FROM_TABLE = "municipalities:\n  table: municipalities.csv\n"
HEADER = "code,name,population,lat,lon\n"
GOOD_ROWS = "GM9001,Aaa,12000,51.40,5.30\nGM9002,Bbb,8000,51.45,5.40\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str | Path) -> Result:
    return invoke(*args)


def assert_bad_input(result: Result, *lines: str, count: int | None = 1) -> None:
    """Exit 2, no traceback, the header with the number of problems (when given), and every expected line."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    listed = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    if count is not None:
        header = "1 problem in the inputs:" if count == 1 else f"{count} problems in the inputs:"
        assert header in result.stderr.splitlines()
        assert len(listed) == count, result.stderr
    else:
        assert f"{len(listed)} problem" in result.stderr
    for line in lines:
        assert line in result.stderr, f"{line!r} not in:\n{result.stderr}"


@pytest.mark.parametrize("command", ["validate", "solve"])
def test_malformed_yaml_names_line_and_column(tmp_path: Path, command: str) -> None:
    path = write(
        tmp_path,
        "scenario.yaml",
        "name: broken\nmunicipalities:\n  dataset: nl-2007\n  members: [Eersel, Bladel\ndomains: [taxes]\n",
    )
    assert_bad_input(
        run(command, path),
        "  - scenario.yaml, line 5, column 8: not valid YAML: expected ',' or ']', but got ':'",
    )


def test_yaml_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "scenario.yaml", "- Eersel\n- Bladel\n")
    assert_bad_input(
        run("validate", path),
        "  - scenario.yaml: expected a mapping of keys (name, municipalities, domains, ...)",
    )


@pytest.mark.parametrize("command", ["validate", "solve"])
def test_unknown_top_level_key_suggests_the_nearest(tmp_path: Path, command: str) -> None:
    path = write(tmp_path, "scenario.yaml", THREE + "domain: [taxes]\n")
    assert_bad_input(run(command, path), "  - scenario.yaml, domain: unknown key; did you mean 'domains'?")


def test_unknown_key_in_limits(tmp_path: Path) -> None:
    path = write(tmp_path, "scenario.yaml", THREE + "limits: {max_travel: 10}\n")
    assert_bad_input(
        run("validate", path),
        "  - scenario.yaml, limits.max_travel: unknown key; did you mean 'max_travel_km'?",
    )


def test_unknown_key_in_a_domain_override(tmp_path: Path) -> None:
    path = write(tmp_path, "scenario.yaml", THREE + "domains:\n  taxes: {core_ft: 0.8}\n  hr: {}\n")
    assert_bad_input(
        run("validate", path),
        "  - scenario.yaml, domains.taxes.core_ft: unknown key; did you mean 'core_fte'?",
    )


def test_domain_override_out_of_range(tmp_path: Path) -> None:
    path = write(tmp_path, "scenario.yaml", THREE + "domains:\n  taxes: {core_fte: -2}\n")
    assert_bad_input(
        run("validate", path),
        "  - scenario.yaml, domains.taxes.core_fte: -2 is out of range (expected a number from 0 to 1,000, in FTE)",
    )


def test_missing_column_in_municipalities_table(tmp_path: Path) -> None:
    write(tmp_path, "municipalities.csv", "code,name,lat,lon\nGM9001,Aaa,51.40,5.30\nGM9002,Bbb,51.45,5.40\n")
    path = write(tmp_path, "scenario.yaml", FROM_TABLE)
    assert_bad_input(
        run("validate", path),
        "  - municipalities.csv: missing column 'population' (expected columns: code, name, population, lat, lon)",
    )


def test_municipalities_table_not_found(tmp_path: Path) -> None:
    path = write(tmp_path, "scenario.yaml", FROM_TABLE)
    assert_bad_input(
        run("validate", path),
        f"  - municipalities.csv: file not found (looked for {tmp_path / 'municipalities.csv'})",
        count=None,
    )


def test_unknown_municipality_in_members_suggests_the_nearest(tmp_path: Path) -> None:
    path = write(
        tmp_path, "scenario.yaml", "municipalities:\n  dataset: nl-2007\n  members: [Eersel, Bladle, Oirschot]\n"
    )
    assert_bad_input(
        run("validate", path),
        "  - scenario.yaml, municipalities.members[1]: unknown municipality 'Bladle' in dataset nl-2007; "
        "did you mean 'Bladel'?",
    )


def test_duplicate_code_in_municipalities_table(tmp_path: Path) -> None:
    write(tmp_path, "municipalities.csv", HEADER + GOOD_ROWS + "GM9001,Ccc,5000,51.50,5.50\n")
    path = write(tmp_path, "scenario.yaml", FROM_TABLE)
    assert_bad_input(
        run("validate", path),
        "  - municipalities.csv, row 4: duplicate code 'GM9001' (first on row 2)",
    )


def test_negative_population_in_table(tmp_path: Path) -> None:
    write(tmp_path, "municipalities.csv", HEADER + GOOD_ROWS + "GM9003,Ccc,-1000,51.50,5.50\n")
    path = write(tmp_path, "scenario.yaml", FROM_TABLE)
    assert_bad_input(
        run("validate", path),
        "  - municipalities.csv, row 4: population -1000 is out of range "
        "(expected a whole number of inhabitants from 0 to 50,000,000)",
    )


@pytest.mark.parametrize("command", ["validate", "solve"])
def test_non_numeric_population_in_table(tmp_path: Path, command: str) -> None:
    write(tmp_path, "municipalities.csv", HEADER + "GM9001,Aaa,12.4k,51.40,5.30\nGM9002,Bbb,8000,51.45,5.40\n")
    path = write(tmp_path, "scenario.yaml", FROM_TABLE)
    assert_bad_input(
        run(command, path),
        "  - municipalities.csv, row 2: population '12.4k' is not a number "
        "(expected a whole number of inhabitants from 0 to 50,000,000)",
    )


def test_fractional_population_in_table(tmp_path: Path) -> None:
    write(tmp_path, "municipalities.csv", HEADER + "GM9001,Aaa,12.4,51.40,5.30\nGM9002,Bbb,8000,51.45,5.40\n")
    path = write(tmp_path, "scenario.yaml", FROM_TABLE)
    assert_bad_input(
        run("validate", path),
        "  - municipalities.csv, row 2: population '12.4' is not a whole number "
        "(expected a whole number of inhabitants from 0 to 50,000,000)",
    )


def test_empty_members_list_is_an_empty_region(tmp_path: Path) -> None:
    path = write(tmp_path, "scenario.yaml", "municipalities:\n  dataset: nl-2007\n  members: []\n")
    assert_bad_input(
        run("validate", path),
        "  - scenario.yaml, municipalities: empty region: 0 municipalities (expected at least 2 to pool anything)",
    )


def test_single_member_is_an_empty_region(tmp_path: Path) -> None:
    path = write(tmp_path, "scenario.yaml", "municipalities:\n  dataset: nl-2007\n  members: [Eersel]\n")
    assert_bad_input(
        run("validate", path),
        "  - scenario.yaml, municipalities: empty region: 1 municipality (expected at least 2 to pool anything)",
    )


def test_table_with_header_but_no_rows_is_an_empty_region(tmp_path: Path) -> None:
    write(tmp_path, "municipalities.csv", HEADER)
    path = write(tmp_path, "scenario.yaml", FROM_TABLE)
    assert_bad_input(
        run("validate", path),
        "  - municipalities.csv: empty region: 0 municipalities (expected at least 2 to pool anything)",
    )


def test_unknown_domain(tmp_path: Path) -> None:
    path = write(tmp_path, "scenario.yaml", THREE + "domains: [taxes, taxs]\n")
    assert_bad_input(
        run("validate", path), "  - scenario.yaml, domains.taxs: unknown domain 'taxs'; did you mean 'taxes'?"
    )


def test_unknown_domain_in_politics(tmp_path: Path) -> None:
    path = write(tmp_path, "scenario.yaml", THREE + "domains: [taxes, hr]\npolitics: {force: {Eersel: [taxs]}}\n")
    assert_bad_input(
        run("validate", path),
        "  - scenario.yaml, politics.force.Eersel[0]: unknown domain 'taxs'; did you mean 'taxes'?",
    )


def test_unknown_structure(tmp_path: Path) -> None:
    path = write(tmp_path, "scenario.yaml", THREE + "structures: [centre, sharedservice]\n")
    assert_bad_input(
        run("validate", path),
        "  - scenario.yaml, structures.sharedservice: unknown structure 'sharedservice'; "
        "expected one of: amalgamation, centre, joint_body, matrix, one_civil_service, ssc, working_group",
    )


def test_weight_that_is_not_a_number(tmp_path: Path) -> None:
    path = write(tmp_path, "scenario.yaml", THREE + "weights: {cost: high}\n")
    assert_bad_input(
        run("validate", path),
        "  - scenario.yaml, weights.cost: 'high' is not a number (expected a number from 0 to 1,000)",
    )


@pytest.mark.parametrize("command", ["validate", "solve"])
@pytest.mark.parametrize(
    ("domain", "limit", "key"),
    [
        ("hr", "limits: {max_travel_km: 1}\n", "limits.max_travel_km"),
        # taxes reach farther than the region's limit (80 km by default): its own limit is the one named
        ("taxes", "domains: {hr: {}, taxes: {max_travel_km: 1}}\n", "domains.taxes.max_travel_km"),
    ],
)
def test_forced_pooling_beyond_the_travel_limit_is_screened(
    tmp_path: Path, command: str, domain: str, limit: str, key: str
) -> None:
    path = write(tmp_path, "scenario.yaml", THREE + f"politics: {{force: {{Eersel: [{domain}]}}}}\n" + limit)
    # The screen names the scenario by its path; the line ends with the file name and key path.
    assert_bad_input(
        run(command, path),
        f"scenario.yaml, politics.force.Eersel: Eersel must pool {domain}, but the nearest possible partner, "
        f"Bladel, is 8 km away by road and {key} is 1",
    )


def test_a_domain_reaches_as_far_as_its_own_limit_says() -> None:
    """Taxes reach 80 km by default, the other domains the region's limit (40 km): Maastricht and
    Roermond (about 60 km by road) may share a tax pool, not an HR pool."""
    from optimizer.instance import Instance

    scenario = load_scenario("nl-2024", ["domains=[hr, taxes]", "structures=[joint_body]", "limits.max_travel_km=40"])
    instance = Instance(scenario)
    assert 40 < instance.distance("GM0935", "GM0957") < 80
    assert "GM0935" in instance.unit_members(instance.structures["joint_body"], "GM0957", "taxes")
    assert "GM0935" not in instance.unit_members(instance.structures["joint_body"], "GM0957", "hr")


@pytest.mark.parametrize("command", ["validate", "solve"])
def test_forced_pooling_over_the_arrangement_limit_is_screened(tmp_path: Path, command: str) -> None:
    path = write(
        tmp_path, "scenario.yaml", THREE + "politics: {force: {Eersel: [taxes]}}\nlimits: {max_arrangements: 5}\n"
    )
    assert_bad_input(
        run(command, path),
        "scenario.yaml, politics.force.Eersel: Eersel must pool taxes but already carries 27 joint arrangements, "
        "and limits.max_arrangements is 5",
    )


@pytest.mark.parametrize("command", ["validate", "solve"])
def test_several_problems_are_reported_at_once(tmp_path: Path, command: str) -> None:
    write(
        tmp_path,
        "municipalities.csv",
        HEADER + "GM9001,Aaa,12.4k,51.40,5.30\nGM9002,Bbb,8000,51.45,5.40\nGM9002,Ccc,5000,51.50,5.50\n"
        "GM9004,Ddd,7000,151.50,5.50\n",
    )
    path = write(
        tmp_path,
        "scenario.yaml",
        FROM_TABLE + "domain: [taxes]\nlimits: {max_travel: 10}\nweights: {cost: high}\n",
    )
    assert_bad_input(
        run(command, path),
        "  - scenario.yaml, domain: unknown key; did you mean 'domains'?",
        "  - scenario.yaml, limits.max_travel: unknown key; did you mean 'max_travel_km'?",
        "  - scenario.yaml, weights.cost: 'high' is not a number (expected a number from 0 to 1,000)",
        "  - municipalities.csv, row 2: population '12.4k' is not a number "
        "(expected a whole number of inhabitants from 0 to 50,000,000)",
        "  - municipalities.csv, row 4: duplicate code 'GM9002' (first on row 3)",
        "  - municipalities.csv, row 5: lat 151.50 is out of range (expected degrees latitude from -90 to 90)",
        count=6,
    )


@pytest.mark.parametrize(
    "scenario",
    [
        "municipalities: {table: study.xlsx}\n",
        "municipalities: {}\ntables: {workbook: study.xlsx}\n",
        "tables: {workbook: study.xlsx}\n",
    ],
    ids=["table", "workbook", "workbook-only"],
)
def test_bad_population_in_a_workbook_sheet(tmp_path: Path, scenario: str) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "municipalities"
    sheet.append(["code", "name", "population", "lat", "lon"])
    sheet.append(["GM9001", "Aaa", 12000, 51.40, 5.30])
    sheet.append(["GM9002", "Bbb", "12.4k", 51.45, 5.40])
    workbook.save(tmp_path / "study.xlsx")
    path = write(tmp_path, "scenario.yaml", scenario)
    assert_bad_input(
        run("validate", path),
        "  - study.xlsx, sheet municipalities, row 3: population '12.4k' is not a number "
        "(expected a whole number of inhabitants from 0 to 50,000,000)",
    )


@pytest.mark.parametrize(
    "extra",
    ["weights: {cost: high}\n", "politics: {force: {Eersel: [hr]}}\nlimits: {max_travel_km: 1}\n"],
    ids=["loading", "screening"],
)
def test_solve_with_out_writes_nothing_on_bad_input(tmp_path: Path, extra: str) -> None:
    path = write(tmp_path, "scenario.yaml", THREE + extra)
    out = tmp_path / "out"
    out.mkdir()
    fresh = tmp_path / "fresh"
    result = run("solve", path, "--out", out, "--write-lp", out / "model.lp", "--format", "json")
    assert_bad_input(result)
    assert list(out.iterdir()) == []
    result = run("solve", path, "--out", fresh)
    assert_bad_input(result)
    assert not fresh.exists()


# -- figures beyond their plausible range, and files that are not what they should be ------------


@pytest.mark.parametrize("command", ["validate", "solve"])
def test_an_absurd_population_is_bad_input_not_a_solver_failure(tmp_path: Path, command: str) -> None:
    write(tmp_path, "municipalities.csv", HEADER + "GM9001,Aaa,1e308,51.40,5.30\nGM9002,Bbb,8000,51.45,5.40\n")
    path = write(tmp_path, "scenario.yaml", FROM_TABLE)
    assert_bad_input(
        run(command, path),
        "  - municipalities.csv, row 2: population 1e308 is out of range "
        "(expected a whole number of inhabitants from 0 to 50,000,000)",
    )


def test_an_absurd_weight_is_bad_input(tmp_path: Path) -> None:
    path = write(tmp_path, "scenario.yaml", THREE + "weights: {quality: 1.0e+300}\n")
    assert_bad_input(
        run("solve", path),
        "  - scenario.yaml, weights.quality: 1e+300 is out of range (expected a number from 0 to 1,000)",
    )


def test_a_number_yaml_reads_as_text_is_still_a_number(tmp_path: Path) -> None:
    # YAML 1.1 wants a dot before an exponent, so 1e308 arrives as the text '1e308'
    path = write(tmp_path, "scenario.yaml", THREE + "weights: {cost: 1e308}\neconomics: {autonomy_eur: 2e4}\n")
    assert_bad_input(
        run("validate", path),
        "  - scenario.yaml, weights.cost: 1e308 is out of range (expected a number from 0 to 1,000)",
    )


def test_every_weight_zero_is_refused(tmp_path: Path) -> None:
    weights = "weights: {cost: 0, quality: 0, vulnerability: 0, manageability: 0, autonomy: 0}\n"
    path = write(tmp_path, "scenario.yaml", THREE + weights)
    assert_bad_input(
        run("solve", path),
        "  - scenario.yaml, weights: every weight is 0, so every configuration scores the same; "
        "give at least one weight",
    )


def test_zero_willingness_names_the_open_range(tmp_path: Path) -> None:
    path = write(tmp_path, "scenario.yaml", THREE + "politics: {willingness: {Bladel: 0}}\n")
    assert_bad_input(
        run("validate", path),
        "  - scenario.yaml, politics.willingness.Bladel: 0 is out of range (expected a number above 0 and at most 1)",
    )


def test_a_key_written_twice_is_refused_not_merged(tmp_path: Path) -> None:
    path = write(
        tmp_path, "scenario.yaml", THREE + "weights: {cost: 1}\nlimits: {max_pools: 2}\nweights: {quality: 2}\n"
    )
    assert_bad_input(
        run("validate", path),
        "  - scenario.yaml, line 6, column 1: not valid YAML: "
        "the key 'weights' appears twice in one mapping (first on line 4); keep one",
    )


@pytest.mark.parametrize("command", ["validate", "solve"])
def test_a_scenario_saved_in_windows_1252_is_bad_input(tmp_path: Path, command: str) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_bytes(("name: Caf\u00e9 regio\n" + THREE).encode("cp1252"))
    assert_bad_input(
        run(command, path),
        "  - scenario.yaml, line 1: not UTF-8 text (byte 0xe9); save the file as UTF-8 "
        "(a file from Excel or Notepad on Windows is often Windows-1252)",
    )


def test_a_scenario_path_that_is_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "study.yaml"
    folder.mkdir()
    assert_bad_input(run("solve", folder), f"  - {folder}: is a folder (expected a scenario YAML file)")


def test_a_table_path_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "municipalities.csv").mkdir()
    path = write(tmp_path, "scenario.yaml", FROM_TABLE)
    assert_bad_input(
        run("validate", path),
        f"  - municipalities.csv: is a folder (expected a CSV file; looked for {tmp_path / 'municipalities.csv'})",
        count=None,
    )


def test_units_per_host_does_not_apply_to_an_all_domain_structure(tmp_path: Path) -> None:
    path = write(tmp_path, "scenario.yaml", THREE + "structures: {one_civil_service: {max_units_per_host: 1}}\n")
    assert_bad_input(
        run("solve", path),
        "  - scenario.yaml, structures.one_civil_service.max_units_per_host: does not apply: one_civil_service "
        "carries every domain in one body, so a host carries all its units "
        "(limit the number of pools with limits.max_pools instead)",
    )


@pytest.mark.parametrize(
    ("override", "line"),
    [
        (
            "domains: {taxes: {scale_inhabitants: 0}}",
            "domains.taxes.scale_inhabitants: 0 is out of range (expected a number above 0 and at most 50,000,000, "
            "in inhabitants)",
        ),
        (
            "domains: {taxes: {diseconomy_share: 2}}",
            "domains.taxes.diseconomy_share: 2 is out of range (expected a number from 0 to 1)",
        ),
        (
            "domains: {taxes: {cover_premium: -1}}",
            "domains.taxes.cover_premium: -1 is out of range (expected a number from 0 to 10)",
        ),
        (
            "domains: {taxes: {front_line: maybe}}",
            "domains.taxes.front_line: expected true or false, got the text 'maybe'",
        ),
        (
            "structures: {ssc: {agency_share: 1.5}}",
            "structures.ssc.agency_share: 1.5 is out of range (expected a number from 0 to 1)",
        ),
        (
            "structures: {ssc: {takes_front_line: 3}}",
            "structures.ssc.takes_front_line: expected true or false, got the number 3",
        ),
        (
            "structures: {one_civil_service: {takes_front_line: false}}",
            "structures.one_civil_service.takes_front_line: must stay true: one_civil_service carries every "
            "domain in one body, front-line work included",
        ),
        (
            "structures: {centre: {workload_saving: 0.1}}",
            "structures.centre.workload_saving: no longer a figure: the scale effect is the domain's cost curve "
            "(scale_inhabitants, core_fte)",
        ),
        (
            "domains: {hr: {disruption_eur: 5000}}",
            "domains.hr.disruption_eur: no longer a figure: a service standing empty costs cover_premium times its "
            "own cost",
        ),
    ],
)
def test_bad_values_of_the_cost_model_figures(tmp_path: Path, override: str, line: str) -> None:
    path = write(tmp_path, "scenario.yaml", THREE + override + "\n")
    assert_bad_input(run("validate", path), f"  - scenario.yaml, {line}")


@pytest.mark.parametrize(
    ("files", "arguments", "line"),
    [
        (
            {"municipalities.csv": "code,name,lat,lon\nGM9001,Aaa,51.40,5.30\nGM9002,Bbb,51.45,5.40\n"},
            (),
            "  - municipalities.csv: kolom 'population' ontbreekt (verwacht de kolommen: code, name, population, "
            "lat, lon)",
        ),
        (
            {},
            (),
            "  - municipalities.csv: bestand niet gevonden (gezocht naar {tmp}/municipalities.csv)",
        ),
        (
            {"municipalities.csv": HEADER + GOOD_ROWS + "GM9001,Ccc,5000,51.50,5.50\n"},
            (),
            "  - municipalities.csv, row 4: dubbele code 'GM9001' (eerst op rij 2)",
        ),
        (
            {"municipalities.csv": HEADER + GOOD_ROWS + "GM9003,Ccc,5000,51.50,5.50,extra\n"},
            (),
            "  - municipalities.csv, row 4: 6 cellen, maar de kopregel heeft 5 kolommen",
        ),
        (
            {"municipalities.csv": HEADER + GOOD_ROWS},
            ("--set", "limits.max_pools"),
            "  - --set limits.max_pools: verwacht SLEUTEL=WAARDE, bijv. weights.quality=0.5 of limits.max_pools=3",
        ),
        (
            {"municipalities.csv": HEADER + GOOD_ROWS},
            ("--set", "uncertainty.weights.quality={low: 2, high: 1}"),
            "  - scenario.yaml, uncertainty.weights.quality: low 2 ligt boven high 1 (verwacht low hoogstens high)",
        ),
        (
            {"municipalities.csv": HEADER + GOOD_ROWS},
            ("--set", "politics.excluded_pairs=[[Aaa, Aaa]]"),
            "  - scenario.yaml, politics.excluded_pairs[0]: een paar van een gemeente met zichzelf",
        ),
    ],
    ids=["missing column", "table not found", "duplicate code", "row too long", "--set", "range", "pair"],
)
def test_problems_in_tables_and_settings_read_in_dutch(
    tmp_path: Path, files: dict[str, str], arguments: tuple[str, ...], line: str
) -> None:
    for name, text in files.items():
        write(tmp_path, name, text)
    path = write(tmp_path, "scenario.yaml", FROM_TABLE)
    result = run("validate", path, *arguments, "--lang", "nl")
    assert result.exit_code == 2, result.output
    assert "1 probleem in de invoer:" in result.stderr.splitlines(), result.stderr
    assert line.format(tmp=tmp_path) in result.stderr.splitlines(), result.stderr


def test_a_scenario_file_that_is_not_there_or_twice_keyed_reads_in_dutch(tmp_path: Path) -> None:
    missing = run("validate", tmp_path / "nowhere.yaml", "--lang", "nl")
    assert missing.exit_code == 2, missing.output
    assert (
        f"  - {tmp_path / 'nowhere.yaml'}: bestand niet gevonden (verwacht een YAML-bestand met een scenario)"
        in missing.stderr.splitlines()
    )
    twice = write(tmp_path, "twice.yaml", THREE + "name: a\nname: b\n")
    result = run("validate", twice, "--lang", "nl")
    assert result.exit_code == 2, result.output
    assert (
        "  - twice.yaml, line 5, column 1: geen geldige YAML: de sleutel 'name' staat twee keer in één mapping "
        "(eerst op regel 4); "
        "houd er één" in result.stderr.splitlines()
    ), result.stderr


@pytest.mark.parametrize(
    ("setting", "line"),
    [
        (
            "politics: {force: {Eersel: [hr]}}\nlimits: {max_travel_km: 1}\n",
            "  - scenario.yaml, politics.force.Eersel: Eersel moet P&O in een pool brengen, maar de dichtstbijzijnde "
            "mogelijke partner, Bladel, ligt over de weg 8 km verderop en limits.max_travel_km is 1",
        ),
        (
            "politics: {force: {Eersel: [taxes]}}\nlimits: {max_arrangements: 5}\n",
            "  - scenario.yaml, politics.force.Eersel: Eersel moet belastingen in een pool brengen, maar heeft al 27 "
            "gemeenschappelijke regelingen, en limits.max_arrangements is 5",
        ),
        (
            "politics: {forced_pairs: [[Eersel, Bladel]], excluded_pairs: [[Eersel, Bladel]]}\n",
            "  - scenario.yaml, politics.forced_pairs: Eersel en Bladel moeten samen en worden tegelijk uit elkaar "
            "gehouden",
        ),
    ],
    ids=["travel", "arrangements", "pair"],
)
def test_a_screened_scenario_reads_in_dutch(tmp_path: Path, setting: str, line: str) -> None:
    path = write(tmp_path, "scenario.yaml", THREE + setting)
    result = run("validate", path, "--lang", "nl")
    assert result.exit_code == 2, result.output
    assert "1 probleem in de invoer:" in result.stderr.splitlines(), result.stderr
    assert line in result.stderr.splitlines(), result.stderr
