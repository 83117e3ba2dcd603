"""End states, comparisons and charts: what advisors and regions see."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from inputs import defaults, load_scenario, regional_names
from optimizer.endstates import END_STATES, solve_end_states
from optimizer.result import RUNNING_PARTS, comparison_table
from visuals import charts

FIGURES = Path(__file__).parent / "data" / "region_figures.json"


def _objectives(name: str, overrides: list[str] | None = None) -> dict[str, float]:
    table = comparison_table(solve_end_states(load_scenario(name, overrides or [])))
    assert list(table["option"]) == [key for key, _ in END_STATES]
    assert set(table["status"]) == {"optimal"}
    return dict(zip(table["option"], table["objective"], strict=True))


@pytest.mark.parametrize("name", regional_names())
def test_end_states_of_every_region(name: str) -> None:
    table = comparison_table(solve_end_states(load_scenario(name)))
    assert set(table["status"]) == {"optimal"}
    rows = table.set_index("option")
    assert rows.loc["status_quo", "pools"] == 0 and rows.loc["status_quo", "structures"] == "none"
    own = {s.key for s in load_scenario(name).structures}
    for key, allowed in END_STATES:
        if allowed:
            used = set(str(rows.loc[key, "structures"]).split(", ")) - {"none"}
            assert used <= set(allowed), (key, used)
            if set(allowed) <= own:  # the free optimum may use this form, so it is at least as good
                assert rows.loc["free", "objective"] <= rows.loc[key, "objective"] + 1e-6
    assert rows.loc["free", "objective"] <= rows.loc["status_quo", "objective"] + 1e-6
    recorded = json.loads(FIGURES.read_text(encoding="utf-8"))[name]["end_states"]
    for key, value in recorded.items():
        assert rows.loc[key, "objective"] == pytest.approx(value, rel=1e-6), key


SEED = "domains=[" + ", ".join(defaults.SEED_DOMAINS) + "]"
TEN = "domains=[" + ", ".join(defaults.DOMAINS) + "]"


def test_kempen_matrix_of_ten_domains_loses_to_a_bundled_form() -> None:
    """The seed: a matrix of five is not simply doubled to ten; a bundle wins (the calibration suite
    shows that the difference is mostly coordination)."""
    assert len(defaults.DOMAINS) == 10
    scores = _objectives("kempen", [TEN])
    bundled = min(scores["ssc"], scores["one_civil_service"])
    assert bundled < scores["matrix"], scores
    assert bundled < scores["amalgamation"], scores  # merging is a comparison, not the answer


def test_endstates_command_writes_table_chart_and_page(tmp_path: Path) -> None:
    run = CliRunner().invoke(cli, ["endstates", "helden", "--out", str(tmp_path), "--lang", "nl"])
    assert run.exit_code == 0, run.output
    assert "Eindbeelden van Helden e.o." in run.stdout and "werkgroep" in run.stdout and " mln" in run.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "end-states.csv",
        "end-states.html",
        "end-states.png",
        "seta.xlsx",
    ]
    assert (tmp_path / "end-states.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Eindbeelden" in (tmp_path / "end-states.html").read_text(encoding="utf-8")


def test_compare_variants_of_one_scenario(tmp_path: Path) -> None:
    run = CliRunner().invoke(
        cli, ["compare", "kempen", "--set", "weights.quality=0", "--set", "limits.max_pools=1", "--out", str(tmp_path)]
    )
    assert run.exit_code == 0, run.output
    lines = (tmp_path / "options.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["Kempen", "weights.quality=0", "limits.max_pools=1"]
    assert "Options compared" in run.stdout


def test_compare_two_scenarios_and_refuse_nothing_to_compare() -> None:
    run = CliRunner().invoke(cli, ["compare", "beek", "beemster"])
    assert run.exit_code == 0, run.output
    assert "Beek e.o." in run.stdout and "Beemster" in run.stdout
    alone = CliRunner().invoke(cli, ["compare", "beek"])
    assert alone.exit_code == 2
    assert "nothing to compare: give two scenarios or --set KEY=VALUE" in alone.stderr


def test_a_bad_override_is_reported_with_its_place() -> None:
    run = CliRunner().invoke(cli, ["endstates", "kempen", "--set", "weights.qualty=1"])
    assert run.exit_code == 2
    assert "kempen.yaml, weights.qualty: unknown key; did you mean 'quality'?" in run.stderr


def test_charts_come_from_the_result_tables_with_dutch_labels() -> None:
    from inputs import datasets
    from optimizer import optimize

    result = optimize(load_scenario("kempen"))
    municipalities, pools = result.municipalities(), result.pools()
    geo = datasets.boundaries("nl-2007")
    spec = charts.pool_map(municipalities, pools, geo, list(result.instance.domains), "nl").to_dict()
    text = json.dumps(spec)
    # Kempen pools every domain alike (one civil service): one map says so, in Dutch
    assert "Pools, gelijk in alle 5 taakvelden" in text and charts.CREDIT in text
    assert "doet niet mee" not in text and "gastheergemeenten zwart omlijnd" in text.lower()
    # the region's own boundaries travel with the chart once, looked up by the map's shapes
    shapes = spec["hconcat"][0]["layer"][0]
    assert shapes["transform"][1]["from"]["data"] == {"name": "boundaries"}
    shown = {f["properties"]["code"] for f in spec["datasets"]["boundaries"]}
    assert shown == set(municipalities["code"])
    effects = json.dumps(charts.municipality_effects(municipalities, "nl").to_dict())
    assert "personeel (schaal)" in effects
    # the cost parts a chart stacks add up to each municipality's change
    parts = [f"{p}_change_eur" for p in RUNNING_PARTS]
    for row in municipalities.to_dict("records"):
        assert sum(row[p] for p in parts) == pytest.approx(row["cost_change_eur"], abs=0.1)


def _report_text(page: Path) -> str:
    """What a reader sees of the report: its HTML without the scripts (chart specifications) and tags."""
    import html
    import re

    body = page.read_text(encoding="utf-8").split("</head><body>", 1)[1]
    body = re.sub(r"<script>.*?</script>", "", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_report_reads_as_a_report(tmp_path: Path, lang: str) -> None:
    page, png = tmp_path / "report.html", tmp_path / "charts"
    # explained in Dutch; in English the plain report (the explanation's words are the same tables)
    explain = "--explain" if lang == "nl" else "--no-explain"
    run = CliRunner().invoke(cli, ["report", "kempen", "--out", str(page), "--png", str(png), "--lang", lang, explain])
    assert run.exit_code == 0, run.output
    text = _report_text(page)
    result = load_scenario("kempen")
    from optimizer import optimize

    solved = optimize(result)
    summary = solved.summary()
    assert summary.after is not None and summary.change is not None and summary.payback_years is not None
    saving = -summary.change.annual_cost_eur
    share = 100 * saving / summary.before.annual_cost_eur
    pool = solved.merged_pools().iloc[0]
    from inputs.labels import name
    from visuals.tables import euros, number

    if lang == "en":
        assert (
            f"The best configuration forms {summary.after.pools} pool. Annual cost falls by "
            f"{euros(saving)} ({share:.1f} %)" in text
        )
        assert f"pays back in {summary.payback_years:.1f} years" in text
        assert "Domain Structure Host Members Staff (FTE) Annual cost (EUR) One-off transition (EUR)" in text
        assert f"all 5 domains {name(pool.structure)} {pool.host}" in text
        assert f"{summary.after.annual_cost_eur:,.0f}" in text  # the pool carries its body's costs
    else:
        assert (
            f"De beste configuratie vormt {summary.after.pools} pool. De jaarlijkse kosten dalen met "
            f"{euros(saving, 'nl')} ({number(share, 1, 'nl')} %)" in text
        )
        assert f"alle 5 taakvelden {name(pool.structure, 'nl')} {pool.host}" in text
        assert "Jaarlijkse kosten (EUR)" in text and "Gemeente" in text and "Aannames en bronnen" in text
        assert f"{summary.after.annual_cost_eur:,.0f}".replace(",", ".") in text
        assert "huidige situatie optimaal" in text  # end states by name and status, in Dutch
    assert saving > 0
    # why this answer: cash and valuations apart, the runner-ups and the flip table, in the reader's language
    from visuals.why import split_sentence

    assert split_sentence(summary, lang) in text
    titles = {
        "en": ("Why this answer", "Criterion Change (EUR/year) Weight Weighted change"),
        "nl": (
            "Waarom dit antwoord",
            "Waarom deze gastheergemeente en deze vorm",
            "Wat het advies doet kantelen",
            "Beste alternatief",
        ),
    }[lang]
    for title in titles:
        assert title in text, title
    for key in ("staff_fte", "annual_cost_eur", "cost_before_eur", "quality_before", "one_civil_service", " ssc "):
        assert key not in text, key
    assert sorted(p.name for p in png.iterdir()) == [
        "cooperation-network.png",
        "end-states-compared.png",
        "end-states.png",
        "municipality-effects.png",
        "pool-map.png",
    ]
