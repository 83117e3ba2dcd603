"""Happy paths of the `seta` CLI: solve (table, JSON, CSV, --out, --write-lp, solvers), list, validate, init."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import Result
from clirun import invoke

from inputs import builtin_names, load_scenario, regional_names

NINE = (
    "beek",
    "beemster",
    "drechtsteden",
    "helden",
    "kempen",
    "krimpenerwaard",
    "land-van-cuyk",
    "parkstad",
    "schagen",
)
KEMPEN_CODES = {"GM0770", "GM1728", "GM0823", "GM1667", "GM1724"}
OUTPUTS = ["municipalities.csv", "pools.csv", "seta.xlsx", "summary.json"]


def run(*args: str | Path) -> Result:
    return invoke(*args)


def solved(*args: str | Path) -> Result:
    result = run("solve", *args)
    assert result.exit_code == 0, result.output
    assert result.exception is None
    return result


def solve_json(*args: str | Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(solved(*args, "--format", "json").stdout)
    return document


def objective(document: dict[str, Any]) -> float:
    value = document["summary"]["solver"]["objective"]
    assert isinstance(value, float)
    return value


def assert_close(a: float, b: float) -> None:
    assert abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0), (a, b)


@pytest.fixture(scope="module")
def kempen() -> dict[str, Any]:
    return solve_json("kempen")


def test_solve_without_argument_solves_kempen() -> None:
    result = solved()
    assert "Kempen" in result.stdout
    assert "Chosen pools" in result.stdout or "Pooling does not pay" in result.stdout
    assert "optimal" in result.stdout
    assert "Traceback" not in result.stderr


def test_solve_json(kempen: dict[str, Any]) -> None:
    summary = kempen["summary"]
    assert summary["status"] == "optimal"
    assert summary["solver"]["status"] == "optimal"
    assert summary["municipalities"] == 5
    assert isinstance(kempen["pools"], list)
    for pool in kempen["pools"]:
        assert set(pool["member_codes"].split()) <= KEMPEN_CODES
    assert isinstance(kempen["municipalities"], list)
    assert len(kempen["municipalities"]) == 5
    assert {row["code"] for row in kempen["municipalities"]} == KEMPEN_CODES
    assert re.fullmatch(r"[0-9a-f]{64}", summary["provenance"]["inputs_sha256"])


def test_solve_csv(kempen: dict[str, Any]) -> None:
    text = solved("kempen", "--format", "csv").stdout
    assert text.startswith("domain,structure,host_code")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(kempen["pools"])
    assert [row["domain"] for row in rows] == [pool["domain"] for pool in kempen["pools"]]


def test_solve_out_writes_exactly_its_files(tmp_path: Path) -> None:
    out = tmp_path / "results"
    result = solved("kempen", "--out", out, "--format", "csv")
    assert sorted(p.name for p in out.iterdir()) == OUTPUTS  # no staging folder left behind
    assert (out / "pools.csv").read_text(encoding="utf-8") == result.stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "optimal"
    municipalities = list(csv.DictReader((out / "municipalities.csv").open(encoding="utf-8")))
    assert {row["code"] for row in municipalities} == KEMPEN_CODES
    # the workbook is solve's business case, by name (tests/test_workbook.py reads it back)
    assert openpyxl.load_workbook(out / "seta.xlsx", read_only=True).sheetnames == [
        "Summary",
        "Cash flow",
        "Pools",
        "Municipalities",
    ]


def test_solve_out_into_an_existing_folder_replaces_the_files(tmp_path: Path) -> None:
    solved("kempen", "--out", tmp_path)
    solved("kempen", "--out", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == OUTPUTS


def test_write_lp(tmp_path: Path) -> None:
    model = tmp_path / "model.lp"
    result = solved("kempen", "--write-lp", model, "--format", "json")
    assert "Minimize" in model.read_text(encoding="utf-8")
    assert f"Model written to {model}" in result.stderr
    assert json.loads(result.stdout)["summary"]["status"] == "optimal"


def test_cbc_finds_the_same_objective_as_highs(kempen: dict[str, Any]) -> None:
    cbc = solve_json("kempen", "--solver", "cbc")
    assert cbc["summary"]["solver"]["solver"] == "cbc"
    assert kempen["summary"]["solver"]["solver"] == "highs"
    assert cbc["summary"]["status"] == "optimal"
    assert_close(objective(cbc), objective(kempen))


def test_same_solve_twice_gives_identical_pools() -> None:
    first = solved("kempen", "--format", "csv").stdout_bytes
    second = solved("kempen", "--format", "csv").stdout_bytes
    assert first == second
    assert first.count(b"\n") >= 1


def test_list_names_the_builtins_and_datasets() -> None:
    result = run("list")
    assert result.exit_code == 0, result.output
    names = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")]
    for name in NINE:
        assert name in names
    assert "nl-2007" in names
    assert "nl-2024" in names
    assert set(NINE) <= set(builtin_names())


def test_validate_builtin() -> None:
    result = run("validate", "kempen")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Kempen: valid (5 municipalities, 5 domains, 5 structures)\n"


def test_init_writes_a_study_that_solves_like_the_builtin(tmp_path: Path) -> None:
    study = tmp_path / "study"
    result = run("init", study, "--from", "helden")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in study.iterdir()) == sorted(
        ["scenario.yaml", "municipalities.csv", "adjacency.csv", "ties.csv", "excluded_pairs.csv"]
    )
    validated = run("validate", study / "scenario.yaml")
    assert validated.exit_code == 0, validated.output
    copy = solve_json(study / "scenario.yaml")
    original = solve_json("helden")
    assert copy["summary"]["status"] == original["summary"]["status"] == "optimal"
    assert_close(objective(copy), objective(original))
    assert [p["member_codes"] for p in copy["pools"]] == [p["member_codes"] for p in original["pools"]]


def test_init_into_a_non_empty_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = run("init", tmp_path, "--from", "helden")
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert f"  - {tmp_path}: the folder is not empty (expected a new or empty folder)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_from_an_unknown_builtin_suggests_the_nearest(tmp_path: Path) -> None:
    result = run("init", tmp_path / "study", "--from", "heldn")
    assert result.exit_code == 2
    assert "  - --from: unknown built-in scenario 'heldn'; did you mean 'helden'?" in result.stderr
    assert not (tmp_path / "study").exists()


def test_zero_time_limit_is_rejected() -> None:
    result = run("solve", "kempen", "--time-limit", "0")
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "Invalid value for '--time-limit'" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["solve", "validate"])
def test_unknown_builtin_name_suggests_the_nearest(command: str) -> None:
    result = run(command, "kempn")
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    assert "  - kempn: no such file and no built-in scenario of that name; did you mean 'kempen'?" in result.stderr


def test_national_scenario_is_built_in() -> None:
    scenario = load_scenario("nl-2024")
    assert len(scenario.municipalities) == 342 and len(scenario.domains) == 8 and len(scenario.structures) == 6
    assert set(regional_names()) == set(NINE)


@pytest.mark.parametrize("name", regional_names())
def test_every_builtin_solves_to_optimal(name: str) -> None:
    document = solve_json(name)
    assert document["summary"]["status"] == "optimal"
    assert document["summary"]["source"] == name
    assert len(document["municipalities"]) == document["summary"]["municipalities"] >= 2
