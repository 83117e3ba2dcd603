"""`seta pathway`: the seed's cases, what it writes, and bad input (exit 2, a placed message, no plan)."""

from __future__ import annotations

import html
import itertools
import json
from pathlib import Path

import pytest
from clirun import invoke


def _problems(*args: str | Path) -> list[str]:
    result = invoke("pathway", *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    assert "Pathway" not in result.stderr, "no plan for bad input"
    return [line[4:] for line in result.stderr.splitlines() if line.startswith("  - ")]


@pytest.mark.parametrize("years", ["0", "31"])
def test_years_outside_one_to_thirty_are_bad_input(years: str) -> None:
    assert _problems("kempen", "--years", years) == [f"--years {years}: expected a whole number of years from 1 to 30"]


def test_a_negative_discount_rate_is_bad_input() -> None:
    assert _problems("kempen", "--set", "economics.discount_rate=-0.01") == [
        "kempen, economics.discount_rate: -0.01 is negative: a pathway would then weigh later years more than this "
        "one (expected a rate of at least 0)"
    ]


def _alone_at_bladel(folder: Path) -> Path:
    """Today's configuration with a tax centre of one member: too few for the Kempen's rules."""
    today = folder / "today.yaml"
    today.write_text(
        "name: today\npools:\n"
        "  - {name: alone, domains: [taxes], structure: centre, host: Bladel, members: [Bladel]}\n",
        encoding="utf-8",
    )
    return today


def test_a_from_configuration_that_breaks_the_rules_is_named(tmp_path: Path) -> None:
    today = _alone_at_bladel(tmp_path)
    assert _problems("kempen", "--from", today) == [
        f"--from {today}: breaks the scenario's rules: taxes centre pool hosted by Bladel: 1 members, allowed 2-6"
    ]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "breaks the scenario's rules: taxes ssc pool hosted by Bladel: 2 members, allowed 3-15",
                "breaks the scenario's rules: ssc hosted by Bladel: 1 domains, allowed 2-10",
            ],
        ),
        (
            "nl",
            [
                "breekt de regels van het scenario: shared service centre voor belastingen bij Bladel: "
                "2 deelnemer(s), toegestaan 3-15",
                "breekt de regels van het scenario: shared service centre bij Bladel: 1 taakveld(en), toegestaan 2-10",
            ],
        ),
    ],
)
def test_an_end_state_that_breaks_the_rules_is_bad_input(tmp_path: Path, lang: str, expected: list[str]) -> None:
    end = tmp_path / "end.yaml"
    end.write_text(
        "name: end\npools:\n"
        "  - {name: far, domains: [taxes], structure: ssc, host: Bladel, members: [Bladel, Eersel]}\n",
        encoding="utf-8",
    )
    assert _problems("kempen", "--to", end, "--lang", lang) == [f"--to {end}: {rule}" for rule in expected]


def test_an_end_state_no_configuration_reaches_is_bad_input() -> None:
    # Eersel must pool HR but may pool with none of the others: no centre municipality keeps both
    lonely = [f"[Eersel, {other}]" for other in ("Bladel", "Oirschot", "Reusel-De Mierden", "Bergeijk")]
    settings = ["--set", "politics.force={Eersel: [hr]}", "--set", f"politics.excluded_pairs=[{', '.join(lonely)}]"]
    assert _problems("kempen", "--to", "centre", *settings) == [
        "--to centre: the end state is infeasible: no configuration satisfies every rule"
    ]


def test_a_cap_of_zero_changes_cannot_move() -> None:
    assert _problems("kempen", "--set", "limits.max_changes_per_year=0") == [
        "limits.max_changes_per_year: a cap of 0 changes a year cannot move from today's configuration to the "
        "optimum (expected a cap of at least 1, or an end state equal to today's configuration)"
    ]


def test_schagen_grows_from_nothing_into_one_civil_service_as_it_decided_in_2006() -> None:
    result = invoke("pathway", "schagen", "--to", "one_civil_service", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert next(iter(document)) == "schema_version" and document["schema_version"] == 2
    assert document["status"] == "optimal" and document["status_text"] == "optimal"
    last = document["years"][-1]
    started = " ".join(year["starts"] + year["joins"] for year in document["years"])
    assert "one civil service at Schagen" in started
    assert {row["option"] for row in document["comparison"]} == {"big_bang", "pathway", "stay"}
    pathway = next(row for row in document["comparison"] if row["option"] == "pathway")
    big_bang = next(row for row in document["comparison"] if row["option"] == "big_bang")
    assert pathway["npv_weighted_change_eur"] <= big_bang["npv_weighted_change_eur"] + 1e-6
    assert last["cumulative_change_eur"] == pytest.approx(sum(year["cost_change_eur"] for year in document["years"]))


def test_kempen_starts_from_its_2007_matrix_and_writes_every_file_in_dutch(tmp_path: Path) -> None:
    result = invoke("pathway", "kempen", "--from", "kempen-2007", "--out", tmp_path, "--lang", "nl")
    assert result.exit_code == 0, result.output
    assert "Het groeipad" in result.stdout and "blijven" in result.stdout
    leaves = json.loads((tmp_path / "pathway.json").read_text(encoding="utf-8"))["years"][0]["leaves"]
    assert "belastingen matrix bij Eersel" in leaves, "the 2007 matrix unit for taxes at Eersel ends"
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {
        "pathway.csv",
        "pathway-comparison.csv",
        "pathway-delays.csv",
        "pathway-flips.csv",
        "pathway.json",
        "pathway.html",
        "pathway-gantt.png",
        "pathway-cash.png",
        "seta.xlsx",
    }
    assert "Terugverdienjaar" in (tmp_path / "pathway.html").read_text(encoding="utf-8")


def test_a_cap_of_one_change_a_municipality_spreads_the_kempen_moves_over_the_years() -> None:
    result = invoke(
        "pathway", "kempen", "--to", "centre", "--set", "limits.max_changes_per_municipality=1", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    years = json.loads(result.stdout)["years"]
    assert sum(1 for year in years if year["changes"]) >= 2, "one change per municipality a year cannot do it at once"


def test_every_amount_says_its_sign(tmp_path: Path) -> None:
    import openpyxl

    result = invoke("pathway", "schagen", "--to", "one_civil_service", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    rule = "change = after minus before; in EUR, negative is less cost"
    assert rule in " ".join(result.stdout.split())
    book = openpyxl.load_workbook(tmp_path / "seta.xlsx")
    headers = {str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}
    page = (tmp_path / "pathway.html").read_text(encoding="utf-8")
    for header in (
        "Change in cost that year [EUR] (negative: saving)",
        "Change in cost, cumulative [EUR] (negative: saving)",
        "Present value of the change in cost [EUR] (negative: the region gains)",
        "Present value of the change in weighted cost [EUR] (negative: the region gains)",
    ):
        assert header in headers, header
        assert f"<th>{header}</th>" in page, header


def test_the_headline_warns_when_the_kempen_end_state_does_not_pay_from_its_2007_matrix() -> None:
    from visuals.tables import euros

    result = invoke("pathway", "kempen", "--from", "kempen-2007", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    pathway = next(row for row in document["comparison"] if row["option"] == "pathway")
    cash, weighted = pathway["npv_change_eur"], pathway["npv_weighted_change_eur"]
    assert weighted > 0, "the 2007 matrix to the optimum costs more than staying, weighted, within 8 years"
    headline = document["headline"]
    assert headline[0].startswith("The plan towards the optimum: in year 1 ")
    assert "one civil service at Bladel (" in headline[0] and "taxes matrix at Eersel ends" in headline[0]
    warning = (
        f"Warning: weighted, in present value at 2.25 %, moving to the optimum does not pay within 8 years: it costs "
        f"{euros(cash)} in cash (present value) and costs {euros(weighted)} weighted more than staying as we are. "
        "The advice is then to stay as we are"
    )
    assert any(line.startswith(warning) for line in headline), headline
    assert any(line.startswith("No break-even within 8 years") for line in headline)


def test_the_headline_of_a_plan_that_pays_names_its_break_even_year_in_dutch() -> None:
    result = invoke("pathway", "schagen", "--to", "one_civil_service", "--format", "json", "--lang", "nl")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["status"] == "optimal" and document["status_text"] == "optimaal", "a key, and words"
    even = next(row for row in document["comparison"] if row["option"] == "pathway")["break_even_year"]
    headline = document["headline"]
    assert headline[0].startswith("Het plan naar het eindbeeld één ambtelijke organisatie: in jaar 1 ")
    assert (
        f"Terugverdiend in geld, onverdisconteerd: vanaf jaar {even} is de opgetelde verandering in kosten een "
        "besparing." in headline
    )
    assert not any(line.startswith("Let op: de stap") for line in headline)


def test_the_explanation_says_what_each_step_a_year_later_loses_and_what_flips_the_order() -> None:
    result = invoke("pathway", "kempen", "--from", "kempen-2007", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    explanation = document["explanation"]
    steps = [(year["year"], year["starts"]) for year in document["years"] if year["starts"]]
    assert [(d["year"], d["step"]) for d in explanation["delays"]] == steps
    for delay in explanation["delays"]:
        assert delay["delay_npv_weighted_change_eur"] >= -1e-6, "the plan is optimal: no delay does better"
    flips = {(f["figure"], f["direction"]): f for f in explanation["flips"]}
    assert set(flips) == {
        ("economics.discount_rate", "down"),
        ("economics.discount_rate", "up"),
        ("limits.max_changes_per_year", "down"),
    }
    cap = flips["limits.max_changes_per_year", "down"]
    most = max(year["changes"] for year in document["years"])
    assert cap["used"] == most and cap["order_changes_at"] == most - 1, "the big bang's year no longer fits"
    assert "the order holds" in flips["economics.discount_rate", "down"]["sentence"]
    assert explanation["not_explained"] == []
    plain = json.loads(invoke("pathway", "kempen", "--from", "kempen-2007", "--format", "json", "--no-explain").stdout)
    assert plain["explanation"] is None and plain["years"] == document["years"]


THREE = (
    "municipalities:\n  dataset: nl-2007\n  members: [Eersel, Bladel, Oirschot]\n"
    "domains: [taxes, hr]\nstructures: [centre, working_group]\n"
)
TAXES_AT_BLADEL = "  - {name: belastingen, domains: [taxes], structure: centre, host: Bladel, members: [Bladel, %s]}\n"


def test_a_current_section_is_where_the_pathway_starts_unless_from_says_otherwise(tmp_path: Path) -> None:
    pools = tmp_path / "pools.yaml"
    pools.write_text("name: today\npools:\n" + TAXES_AT_BLADEL % "Eersel", encoding="utf-8")
    plain = tmp_path / "three.yaml"
    plain.write_text(THREE, encoding="utf-8")
    with_current = tmp_path / "current.yaml"
    with_current.write_text(THREE + "current:\n  pools:\n  " + TAXES_AT_BLADEL % "Eersel", encoding="utf-8")
    given = invoke("pathway", plain, "--from", pools, "--no-explain", "--format", "json")
    written = invoke("pathway", with_current, "--no-explain", "--format", "json")
    nobody = invoke("pathway", plain, "--no-explain", "--format", "json")
    assert given.exit_code == written.exit_code == nobody.exit_code == 0, written.output
    years = json.loads(written.stdout)["years"]
    assert years == json.loads(given.stdout)["years"]
    assert years != json.loads(nobody.stdout)["years"], "today's pool changes the plan"


def test_a_current_section_that_is_wrong_is_bad_input_placed_in_the_scenario(tmp_path: Path) -> None:
    misspelt = tmp_path / "misspelt.yaml"
    misspelt.write_text(THREE + "current:\n  pools:\n  " + TAXES_AT_BLADEL % "Eersl", encoding="utf-8")
    assert _problems(misspelt) == [
        "misspelt.yaml, current, pools[0].members[1]: unknown municipality 'Eersl'; did you mean 'Eersel'?"
    ]
    alone = tmp_path / "alone.yaml"
    alone.write_text(THREE + "current:\n  pools:\n  " + TAXES_AT_BLADEL.replace(", %s]", "]"), encoding="utf-8")
    assert _problems(alone) == [
        "alone.yaml, current: breaks the scenario's rules: taxes centre pool hosted by Bladel: 1 members, allowed 2-6"
    ]


#: words a Dutch text shares with English: Dutch words spelt alike, names and units
SHARED_WORDS = {
    "in",
    "is",
    "over",
    "plan",
    "optimum",
    "big",
    "bang",
    "de",
    "eur",
    "k",
    "s",
    "mln",
    "p&o",
    "ict",
    "matrix",
}


def _words_read(folder: Path, stdout: str, stderr: str) -> list[str]:
    """The words a person reads of a run: the terminal, the workbook's cells and the page's text
    (not its style or script); file names and paths left out."""
    import html
    import re

    import openpyxl

    book = openpyxl.load_workbook(folder / "seta.xlsx")
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    page = re.sub(
        r"<(script|style).*?</(script|style)>", " ", (folder / "pathway.html").read_text(encoding="utf-8"), flags=re.S
    )
    text = "\n".join([stdout, stderr, *cells, html.unescape(re.sub(r"<[^>]+>", " ", page))])
    text = re.sub(r"\S*[/.](csv|json|html|png|xlsx)\b\S*|/\S+", " ", text)
    return re.findall(r"[a-zà-ÿ&]+", text.lower())


def test_the_dutch_pathway_has_no_english_word_pairs_of_the_english_run(tmp_path: Path) -> None:
    runs = {}
    for lang in ("en", "nl"):
        result = invoke("pathway", "kempen", "--from", "kempen-2007", "--out", tmp_path / lang, "--lang", lang)
        assert result.exit_code == 0, result.output
        words = _words_read(tmp_path / lang, result.stdout, result.stderr)
        runs[lang] = set(itertools.pairwise(words))
    from inputs import load_scenario

    names = {w for m in load_scenario("kempen").municipalities for w in m.name.lower().replace("-", " ").split()}
    allowed = SHARED_WORDS | names | {"kempen", "seta"}
    english = sorted(pair for pair in runs["nl"] & runs["en"] if not set(pair) <= allowed)
    assert english == []
    assert ("de", "volgorde") in runs["nl"], "the Dutch run explains the order in Dutch"


def test_the_report_adds_the_pathway_with_its_headline_and_charts(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = invoke("report", "schagen", "--no-endstates", "--no-explain", "--pathway", "--out", page)
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    plan = json.loads(invoke("pathway", "schagen", "--no-explain", "--format", "json").stdout)
    for line in plan["headline"]:
        assert f"<p>{html.escape(line)}</p>" in text, line
    assert "Pools over the years, by domain" in text and "Change in cost against staying as we are" in text
    assert "What the plan does" not in invoke(
        "report", "schagen", "--no-endstates", "--no-explain", "--out", tmp_path / "plain.html"
    ).stdout + (tmp_path / "plain.html").read_text(encoding="utf-8")


def test_ctrl_c_during_the_explanation_keeps_the_plan_and_what_finished_and_exits_0() -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    seta = str(Path(sys.executable).parent / "seta")
    args = ["pathway", "kempen", "--to", "centre", "--set", "limits.max_changes_per_municipality=1", "--format", "json"]
    process = subprocess.Popen(
        [seta, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    assert process.stderr is not None
    lines = []
    for line in process.stderr:
        lines.append(line)
        if " 1/" in line:  # the first re-solve of the explanation has finished
            break
    pressed = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert time.monotonic() - pressed < 15
    assert process.returncode == 0, "".join(lines) + stderr
    assert stderr.rstrip().endswith(
        "Interrupted: the plan is whole; the explanation keeps the re-solves that finished."
    )
    document = json.loads(stdout)
    assert document["status"] == "optimal" and len(document["years"]) == 8
    explanation = document["explanation"]
    assert explanation["delays"][0]["delay_npv_weighted_change_eur"] is not None, "the finished re-solve is kept"
    assert explanation["not_explained"] and {n["why"] for n in explanation["not_explained"]} == {"stopped"}


def test_a_free_end_state_not_found_in_time_is_no_solution_not_bad_input() -> None:
    result = invoke("pathway", "kempen", "--to", "free", "--time-limit", "0.01", "--no-explain")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    assert "No end state found" in result.stderr


def test_a_bad_from_is_said_before_the_end_state_is_solved(tmp_path: Path) -> None:
    # a time limit no solve meets: solving first would end in "no solution" (exit 1), not the bad file
    today = _alone_at_bladel(tmp_path)
    assert _problems("kempen", "--from", today, "--time-limit", "0.01") == [
        f"--from {today}: breaks the scenario's rules: taxes centre pool hosted by Bladel: 1 members, allowed 2-6"
    ]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "--years 0: expected a whole number of years from 1 to 30"),
        ("nl", "--years 0: verwacht een heel aantal jaren van 1 tot en met 30"),
    ],
)
def test_bad_years_are_said_in_the_readers_language(lang: str, expected: str) -> None:
    assert _problems("kempen", "--years", "0", "--lang", lang) == [expected]


def test_an_unknown_end_state_is_said_in_dutch() -> None:
    (problem,) = _problems("kempen", "--to", "nosuch", "--lang", "nl")
    assert problem.startswith(
        "--to nosuch: geen eindbeeld met die naam en geen bestand (verwacht een van: optimum, free"
    )


def test_the_pathways_end_state_is_solved_by_province_where_the_scenario_says_so() -> None:
    # Groningen and Drenthe: the whole model's best tax office crosses their border, the provinces'
    # answer cannot; the pathway's optimum is the one `seta solve` gives
    from dataclasses import replace

    from cli.pathway import target_of
    from inputs import load_scenario
    from optimizer import optimize

    scenario = load_scenario("nl-2024-taxes", ["municipalities.members={province: [Groningen, Drenthe]}"])
    options = replace(scenario.solver, decompose="province", gap=0.0)
    _costed, target, _more, _words = target_of(scenario, "optimum", options)
    assert target is not None
    province = {m.code: m.province for m in scenario.municipalities}
    assert all(province[code] == province[p.host] for (code, _d), p in target.items() if p.host in province)
    whole = optimize(scenario, replace(options, decompose="none")).configuration
    assert whole is not None
    assert any(province[code] != province[p.host] for (code, _d), p in whole.items() if p.host in province)


def test_beek_grows_its_tax_pool_without_a_member_leaving_and_joining_again() -> None:
    # learning used to come from the same pool one member ago: Nuth joined, left and joined again,
    # its one-off paid twice, to learn from itself
    result = invoke("pathway", "beek", "--set", "limits.max_changes_per_year=3", "--no-explain", "--format", "json")
    assert result.exit_code == 0, result.output
    years = json.loads(result.stdout)["years"]
    assert [year["year"] for year in years if year["joins"]] == [2]
    assert not any(year["leaves"] for year in years)


def test_the_kempens_free_end_state_under_a_cap_of_two_is_no_worse_than_its_plan_to_the_optimum() -> None:
    def npv(*args: str) -> float:
        args_ = ("kempen", "--set", "limits.max_changes_per_year=2", "--no-explain", "--format", "json", *args)
        result = invoke("pathway", *args_)
        assert result.exit_code == 0, result.output
        return float(json.loads(result.stdout)["objective_npv_weighted_change_eur"])

    to_optimum = npv()
    assert to_optimum < -1e6, "the plan to the optimum saves"
    assert npv("--to", "free") <= to_optimum + 1e-3
