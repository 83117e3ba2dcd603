"""Hostile and misread inputs (issue 21): input limits before parsing, numbers in a Dutch CSV, names
that one municipality answers to twice, files that are not files, and option values that are not
numbers. Each class gets exit 2 with a placed message, never a traceback, a hang or a silent guess.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from clirun import invoke
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_bad_inputs import THREE, assert_bad_input, write

from inputs import load_scenario, schema
from inputs.builtins import builtin_path
from inputs.problems import InputError, Problems
from inputs.tables import BadNumber, parse_number
from inputs.yamlfile import MAX_YAML_DEPTH, parse_yaml

#: a billion-laughs document of 400 bytes: nine levels of nine aliases stand for 9^9 values
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{new}: &{new} [{', '.join([f'*{old}'] * 9)}]\n" for old, new in zip("abcdefgh", "bcdefghi", strict=True)
)


# -- limits before parsing --------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["description", "weights"])
def test_an_alias_bomb_is_refused_at_once(tmp_path: Path, where: str) -> None:
    body = BOMB.replace("i: &i", f"{where}: &i")
    path = write(tmp_path, "s.yaml", THREE + body.replace("a: &a", "x_a: &a"))
    started = time.monotonic()
    result = invoke("validate", path)
    assert time.monotonic() - started < 30  # only to catch the expansion; it takes milliseconds
    assert_bad_input(
        result,
        "the document stands for more than 1,000,000 values (YAML aliases count each time they are used); "
        "expected a scenario of ordinary size",
    )


def test_an_alias_bomb_in_set_is_refused() -> None:
    flow = "{" + BOMB.strip().replace("\n", ", ") + "}"
    result = invoke("validate", "kempen", "--set", f"weights={flow}")
    assert_bad_input(result, "YAML aliases count each time they are used")
    assert "--set weights={a: &a" in result.stderr and "characters)" in result.stderr  # the place, shortened


@pytest.mark.parametrize(
    ("digits", "message"),
    [
        (5000, "a number of 5000 characters (expected at most 64)"),
        (400, "a number of 400 characters (expected at most 64)"),
    ],
)
def test_a_number_too_long_is_bad_input(tmp_path: Path, digits: int, message: str) -> None:
    path = write(tmp_path, "s.yaml", THREE + f"weights:\n  cost: {'9' * digits}\n")
    assert_bad_input(invoke("validate", path), f"  - s.yaml, line 5, column 9: {message}")


def test_a_number_beyond_any_float_is_out_of_range(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", THREE + f"weights:\n  cost: {'9' * 60}\n")
    assert_bad_input(invoke("validate", path), "s.yaml, weights.cost: " + "9" * 60 + " is out of range")


def test_deep_nesting_is_refused_before_python_recursion(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", THREE + "weights: " + "[" * 5000 + "]" * 5000 + "\n")
    assert_bad_input(invoke("validate", path), f"nested more than {MAX_YAML_DEPTH} levels deep")
    shallow = write(tmp_path, "ok.yaml", "name: x\nnotes: " + "[" * 60 + "]" * 60 + "\n")
    assert parse_yaml(shallow.read_text(), "ok.yaml", Problems()) is not None


def test_an_alias_that_contains_itself_is_refused() -> None:
    problems = Problems()
    assert parse_yaml("x: &a [1, *a]\n", "f", problems) is None
    assert [str(p) for p in problems.items] == [
        "f, line 1, column 4: an alias refers to a value that contains it (a loop)"
    ]


def test_a_merge_key_is_standard_yaml(tmp_path: Path) -> None:
    text = (
        "name: merged\nmunicipalities:\n  dataset: nl-2007\n  members: [Eersel, Bladel, Oirschot]\n"
        "base: &base {cost: 1.0, quality: 0.5}\n"
    )
    problems = Problems()
    document = parse_yaml(text + "weights:\n  <<: *base\n  quality: 0.25\n", "s.yaml", problems)
    assert problems.items == []
    assert document["weights"] == {"cost": 1.0, "quality": 0.25}  # the mapping's own key wins
    path = write(tmp_path, "s.yaml", text.replace("base: &base", "description: &base") + "weights:\n  <<: *base\n")
    assert_bad_input(invoke("validate", path), "s.yaml, description: expected plain text, got a mapping")
    ok = write(
        tmp_path,
        "ok.yaml",
        "name: merged\nmunicipalities: &m\n  dataset: nl-2007\n  members: [Eersel, Bladel]\n"
        "politics:\n  willingness:\n    <<: {Eersel: 0.5}\n    Bladel: 0.8\n",
    )
    assert load_scenario(str(ok)).politics.willingness == {"GM0770": 0.5, "GM1728": 0.8}


def test_a_key_twice_is_still_refused_next_to_a_merge(tmp_path: Path) -> None:
    problems = Problems()
    assert parse_yaml("b: &b {x: 1}\nw:\n  <<: *b\n  y: 1\n  y: 2\n", "f", problems) is None
    assert "the key 'y' appears twice" in str(problems.items[0])


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_only_regular_files_are_read(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        path = tmp_path / "s.yaml"
        os.mkfifo(path)
        expected = "is a named pipe, not a regular file (expected a scenario YAML file)"
    elif kind == "device":
        path = Path("/dev/zero")
        expected = "is a device, not a regular file (expected a scenario YAML file)"
    else:
        path = tmp_path / "s.yaml"
        path.mkdir()
        expected = "is a folder (expected a scenario YAML file)"
    started = time.monotonic()
    result = invoke("validate", path)
    assert time.monotonic() - started < 30  # a FIFO used to block for ever
    assert_bad_input(result, f"  - {path}: {expected}")


def test_a_table_that_is_a_fifo_is_bad_input(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "municipalities.csv")
    path = write(tmp_path, "s.yaml", "municipalities:\n  table: municipalities.csv\n")
    assert_bad_input(
        invoke("validate", path),
        "municipalities.csv: is a named pipe, not a regular file (expected a CSV file; looked for",
    )


def test_a_csv_cell_over_the_limit_is_bad_input(tmp_path: Path) -> None:
    write(
        tmp_path,
        "municipalities.csv",
        "code,name,population,lat,lon,notes\n" + "GM9001,A,1,51,5," + "x" * 200_000 + "\n",
    )
    path = write(tmp_path, "s.yaml", "municipalities:\n  table: municipalities.csv\n")
    assert_bad_input(invoke("validate", path), "  - municipalities.csv, row 2: a cell longer than 128 KB")


# -- numbers in a table's own format ----------------------------------------------------------------

DUTCH_HEADER = "code;name;population;lat;lon\n"


def _region(tmp_path: Path, rows: str, header: str = DUTCH_HEADER, extra: str = "") -> Path:
    write(tmp_path, "municipalities.csv", header + rows)
    return write(tmp_path, "s.yaml", f"municipalities:\n  table: municipalities.csv\n{extra}")


def test_a_dutch_excel_csv_reads_thousands_and_decimal_commas(tmp_path: Path) -> None:
    path = _region(tmp_path, "GM9001;Aaa;20.000;51,40;5,30\nGM9002;Bbb;18.165;51,45;5,40\nGM9003;Ccc;950;51,5;5,5\n")
    region = load_scenario(str(path)).municipalities
    assert [(m.population, m.lat, m.lon) for m in region] == [(20000, 51.4, 5.3), (18165, 51.45, 5.4), (950, 51.5, 5.5)]


def test_an_ambiguous_number_is_refused_not_guessed(tmp_path: Path) -> None:
    write(tmp_path, "municipalities.csv", "code;fte_hr\nGM0770;12.500\n")
    path = write(tmp_path, "s.yaml", THREE + "domains: [hr]\ntables:\n  municipalities: municipalities.csv\n")
    assert_bad_input(
        invoke("validate", path),
        "  - municipalities.csv, row 2: fte_hr '12.500' could be 12.5 or 12500: the table does not show which "
        "decimal mark it uses (set tables.decimal_mark to ',' or '.' in the scenario)",
    )
    with_mark = write(
        tmp_path,
        "s2.yaml",
        THREE + "domains: [hr]\ntables:\n  municipalities: municipalities.csv\n  decimal_mark: ','\n",
    )
    eersel = load_scenario(str(with_mark)).municipalities[0]
    assert eersel.fte == {"hr": 12500.0}
    point = write(tmp_path, "s3.yaml", with_mark.read_text().replace("decimal_mark: ','", "decimal_mark: '.'"))
    assert load_scenario(str(point)).municipalities[0].fte == {"hr": 12.5}


def test_a_whole_number_with_a_decimal_point_is_refused(tmp_path: Path) -> None:
    path = _region(tmp_path, "GM9001;Aaa;20.000;51.40;5.30\nGM9002;Bbb;8000;51.45;5.40\n")
    assert_bad_input(
        invoke("validate", path),
        "  - municipalities.csv, row 2: population '20.000' has a decimal point (expected a whole number of "
        "inhabitants from 0 to 50,000,000; this table writes decimals with a point, so it cannot be a thousands "
        "separator: write the number without it)",
    )


def test_mixed_decimal_marks_are_refused(tmp_path: Path) -> None:
    path = _region(tmp_path, "GM9001;Aaa;20000;51,40;5,30\nGM9002;Bbb;8000;51.45;5.40\n")
    assert_bad_input(
        invoke("validate", path),
        "  - municipalities.csv: mixes decimal commas (row 2, lat '51,40') and decimal points (row 3, lat '51.45'); "
        "write every number one way",
        count=None,
    )


def test_a_comma_csv_refuses_a_comma_in_a_number(tmp_path: Path) -> None:
    path = _region(
        tmp_path,
        'GM9001,Aaa,"20,000",51.40,5.30\nGM9002,Bbb,8000,51.45,5.40\n',
        header="code,name,population,lat,lon\n",
    )
    assert_bad_input(
        invoke("validate", path),
        "  - municipalities.csv, row 2: population '20,000' has a comma, but this table writes decimals with a point "
        "and no thousands separator",
    )


@pytest.mark.parametrize(
    ("text", "mark", "expected"),
    [
        ("1.234,5", ",", 1234.5),
        ("1.234", ",", 1234.0),
        ("0,35", ",", 0.35),
        ("-2,5", ",", -2.5),
        ("1234", None, 1234.0),
        ("0.35", ".", 0.35),
        ("1.5e3", ".", 1500.0),
        ("abc", ",", None),
    ],
)
def test_parse_number_in_each_format(text: str, mark: str | None, expected: float | None) -> None:
    assert parse_number(text, mark) == expected


@pytest.mark.parametrize(("text", "mark"), [("51.44", ","), ("1,5", "."), ("20.000", None), ("1,000", None)])
def test_parse_number_refuses_the_other_format(text: str, mark: str | None) -> None:
    with pytest.raises(BadNumber):
        parse_number(text, mark)


# -- every column used, names one way ---------------------------------------------------------------


def test_a_population_column_next_to_a_dataset_is_used(tmp_path: Path) -> None:
    write(tmp_path, "municipalities.csv", "code,name,population,province\nGM0770,Eersel,30000,Noord-Brabant\n")
    path = write(tmp_path, "s.yaml", THREE + "tables:\n  municipalities: municipalities.csv\n")
    eersel = load_scenario(str(path)).municipalities[0]
    assert (eersel.code, eersel.population) == ("GM0770", 30000)


def test_a_name_that_disagrees_with_the_dataset_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "municipalities.csv", "code,name,population\nGM0770,Bladel,30000\n")
    path = write(tmp_path, "s.yaml", THREE + "tables:\n  municipalities: municipalities.csv\n")
    assert_bad_input(
        invoke("validate", path),
        "  - municipalities.csv, row 2: name 'Bladel' differs from the dataset's name 'Eersel' for GM0770 "
        "(expected the same name, or no name column)",
    )


def test_a_column_for_people_is_named_as_unused(tmp_path: Path) -> None:
    write(tmp_path, "municipalities.csv", "code,fte_hr,notes\nGM0770,3.5,checked with the clerk\n")
    path = write(tmp_path, "s.yaml", THREE + "domains: [hr]\ntables:\n  municipalities: municipalities.csv\n")
    result = invoke("validate", path)
    assert result.exit_code == 0, result.output
    assert "Note: municipalities.csv: the column(s) notes are for people; seta does not use them" in result.stderr


def test_a_duplicate_column_is_refused(tmp_path: Path) -> None:
    path = _region(
        tmp_path,
        "GM9001,Aaa,1,51.4,5.3,2\nGM9002,Bbb,1,51.5,5.4,3\n",
        header="code,name,population,lat,lon,Population\n",
    )
    assert_bad_input(
        invoke("validate", path),
        "  - municipalities.csv: the column 'Population' appears twice (columns 3 and 6); keep one",
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            "GM9001,Aaa,1,51.4,5.3\nGM9002,AAA,1,51.5,5.4\n",
            "row 3: name 'AAA' is also the name 'Aaa' on row 2 (codes and names are matched regardless of case; "
            "expected each to name one municipality)",
        ),
        (
            "GM9001,Aaa,1,51.4,5.3\nX1,GM9001,1,51.5,5.4\n",
            "row 3: name 'GM9001' is also the code 'GM9001' on row 2",
        ),
    ],
)
def test_names_that_could_name_two_rows_are_refused(tmp_path: Path, rows: str, message: str) -> None:
    path = _region(tmp_path, rows, header="code,name,population,lat,lon\n")
    assert_bad_input(invoke("validate", path), f"  - municipalities.csv, {message}")


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            "politics:\n  exclude: {GM0770: [hr], Eersel: [taxes]}\n",
            "s.yaml, politics.exclude.Eersel: 'Eersel' is GM0770, already given as 'GM0770' (politics.exclude.GM0770); "
            "name each municipality once",
        ),
        (
            "politics:\n  force: [Eersel, eersel]\n",
            "s.yaml, politics.force.eersel: 'eersel' is GM0770, already given as 'Eersel'",
        ),
        (
            "politics:\n  willingness: {Eersel: 0.5, EERSEL: 0.7}\n",
            "s.yaml, politics.willingness.EERSEL: 'EERSEL' is GM0770, already given as 'Eersel'",
        ),
        (
            "conditions:\n  members: {Eersel: {diagnosis: true}, GM0770: {diagnosis: false}}\n",
            "s.yaml, conditions.members.GM0770: 'GM0770' is GM0770, already given as 'Eersel'",
        ),
    ],
)
def test_one_municipality_under_two_keys_is_refused(tmp_path: Path, section: str, message: str) -> None:
    path = write(tmp_path, "s.yaml", THREE + "domains: [hr, taxes]\n" + section)
    assert_bad_input(invoke("validate", path), message)


# -- values that used to reach an internal error ----------------------------------------------------


def test_a_list_as_dataset_is_bad_input(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", "municipalities:\n  dataset: [nl-2007]\n  members: [Eersel, Bladel]\n")
    assert_bad_input(
        invoke("validate", path),
        "  - s.yaml, municipalities.dataset: expected a dataset's name (nl-2007, nl-2024), got a list",
    )


def test_a_control_character_in_a_name_is_bad_input(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.yaml",
        THREE + 'domains: [taxes]\nproviders:\n  - {name: "Bel\\x1basting", domains: [taxes], cost_factor: 1.0}\n',
    )
    assert_bad_input(
        invoke("validate", path),
        "providers[0].name: holds the control character U+001B (expected plain text)",
        count=None,
    )
    write(
        tmp_path, "municipalities.csv", "code,name,population,lat,lon\nGM9001,A\x00a,1,51.4,5.3\nGM9002,B,1,51.5,5.4\n"
    )
    table = write(tmp_path, "t.yaml", "municipalities:\n  table: municipalities.csv\n")
    assert_bad_input(
        invoke("validate", table),
        "  - municipalities.csv, row 2: name holds the control character U+0000 (expected plain text)",
    )


def test_a_workbook_with_a_broken_sheet_is_bad_input(tmp_path: Path) -> None:
    import zipfile

    good = tmp_path / "good.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "municipalities"
    sheet.append(["code", "name", "population", "lat", "lon"])
    workbook.save(good)
    broken = tmp_path / "study.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]  # the sheet's XML ends in the middle of a tag
            target.writestr(item, data)
    path = write(tmp_path, "s.yaml", "tables:\n  workbook: study.xlsx\n")
    assert_bad_input(
        invoke("validate", path), "  - study.xlsx, sheet municipalities: cannot read the workbook (", count=None
    )


@pytest.mark.parametrize("option", ["--time-limit", "--gap", "--tie"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_options_take_finite_numbers_only(option: str, value: str) -> None:
    result = invoke("solve", "kempen", option, value)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


# -- the property: no mutation of a scenario reaches an internal error ------------------------------

#: values a scenario might hold at any place: plausible ones (so that some mutations still solve),
#: and hostile ones
PLAUSIBLE = st.one_of(
    st.floats(min_value=0, max_value=5),
    st.integers(min_value=0, max_value=10),
    st.sampled_from(["hr", "taxes", "centre", "matrix", "Eersel", "Bladel", "all", ["hr"], ["Eersel", "Bladel"]]),
)
HOSTILE = st.one_of(
    st.sampled_from(
        [
            None,
            True,
            "",
            "nan",
            ".inf",
            float("nan"),
            float("inf"),
            -1,
            0,
            10**30,
            1e308,
            [],
            {},
            [[[]]],
            "\x00",
            "é" * 300,
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.lists(st.integers(-3, 3), max_size=3),
    st.dictionaries(st.sampled_from(["cost", "Eersel", "hr", "x"]), st.integers(-2, 5), max_size=2),
)


def _paths(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(document, dict):
        for key, value in document.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += _paths(value, (*prefix, index))
    return found


def _mutated(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(document, dict):
        return {**document, head: _mutated(document.get(head, {}), rest, value)}
    copy = list(document)
    copy[head] = _mutated(copy[head], rest, value)
    return copy


KEMPEN = yaml.safe_load(builtin_path("kempen").read_text(encoding="utf-8"))
#: every place of the file, and every figure a scenario may set (most mutations there keep it solvable)
PATHS = [
    *_paths(KEMPEN),
    *((section, key) for section in ("weights", "limits", "economics") for key in schema.SECTIONS[section]),
    *(("structures", "centre", key) for key in schema.STRUCTURE),
    *(("domains", "taxes", key) for key in schema.DOMAIN),
    ("politics", "exclude"),
    ("politics", "willingness", "Eersel"),
]


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), st.one_of(PLAUSIBLE, PLAUSIBLE, HOSTILE)), min_size=1, max_size=2))
def test_no_mutation_of_a_scenario_gives_an_internal_error(mutations: list[tuple[tuple[Any, ...], Any]]) -> None:
    document: Any = KEMPEN
    for path, value in mutations:
        try:
            document = _mutated(document, path, value)
        except (KeyError, IndexError, TypeError):  # an earlier mutation removed the path: leave it
            continue
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        try:
            load_scenario(str(path))
            valid = True
        except InputError:
            valid = False
        event("solved" if valid else "refused")  # both kinds are drawn (--hypothesis-show-statistics)
        result = invoke("solve", path, "--no-explain", "--time-limit", "10") if valid else invoke("validate", path)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert result.exit_code in ((0, 1) if valid else (2,)), result.output
