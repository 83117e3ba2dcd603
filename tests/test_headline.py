"""What a council reads first (issue 23): the answer in words with names, its cash with the figures
the payback is computed from, what the valuations add, a warning when the payback lies beyond the
write-off horizon; in English and Dutch; and `seta solve` prints the answer before it explains it."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from inputs import load_scenario
from optimizer import optimize
from visuals.business_case import council_lines
from visuals.tables import euros


def test_the_headline_names_the_pool_and_shows_how_the_payback_is_computed() -> None:
    result = optimize(load_scenario("kempen"), explain_rejection=False)
    assert result.chosen is not None
    flow = result.cash_flow()
    summary = result.summary()
    assert flow is not None and summary.payback_years is not None
    words, cash, valuations = council_lines(result)
    for pool in result.merged_pools().to_dict("records"):
        assert f"hosted by {pool['host']}" in words
        for member in pool["members"].split(", "):
            assert member in words
    assert words.endswith("every municipality takes part.")
    expected = f"{euros(flow.one_off)} / {euros(flow.yearly)} = {summary.payback_years:.1f} years"
    assert expected in cash
    assert abs(flow.one_off / flow.yearly - summary.payback_years) < 1e-9  # the shown figures give it
    assert summary.change is not None
    assert euros(summary.change.objective - summary.change.expected_annual_cost_eur) in valuations


def test_a_payback_beyond_the_write_off_horizon_is_a_warning_in_both_languages() -> None:
    # Helden with cash weighing a tenth: the valuations carry a pool that pays back in 6.2 years
    scenario = load_scenario("helden")
    scenario = replace(scenario, weights=replace(scenario.weights, cost=0.1))
    short = replace(scenario, economics=replace(scenario.economics, horizon_years=5))
    result = optimize(short, explain_rejection=False)
    summary = result.summary()
    assert summary.payback_years is not None and summary.payback_years > 5
    assert council_lines(result)[-1] == (
        "Warning: the one-off cost is not paid back within the write-off horizon of 5.0 years; the advice "
        "rests on the valuations, not on cash."
    )
    dutch = council_lines(result, "nl")
    assert dutch[-1] == (
        "Let op: de eenmalige kosten zijn niet terugverdiend binnen de afschrijvingstermijn van 5,0 jaar; het "
        "advies steunt op de waarderingen, niet op geld."
    )
    assert "gastheergemeente" in dutch[0] and "gastgemeente" not in " ".join(dutch)
    within = optimize(scenario, explain_rejection=False)  # the same answer pays back within 8 years
    assert not any(line.startswith("Warning") for line in council_lines(within))


def test_solve_prints_the_answer_before_it_explains_it() -> None:
    seta = str(Path(sys.executable).parent / "seta")
    done = subprocess.run(
        [seta, "solve", "kempen"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout
    out = done.stdout
    assert (
        out.index("Pool all 5 domains")
        < out.index("Chosen pools")
        < out.index("Explaining")
        < out.index("Why this host and this structure")
    )


def test_an_explanations_progress_names_places_structures_and_figures_in_words() -> None:
    import re

    from optimizer.executor import SerialExecutor
    from optimizer.explain import explain

    result = optimize(load_scenario("kempen"), explain_rejection=False)
    assert result.chosen is not None and result.configuration is not None
    lines: list[str] = []
    explain(
        result.instance,
        result.chosen,
        result.configuration,
        result.baseline,
        result.report.options,
        executor=SerialExecutor(),
        progress=lines.append,
    )
    steps = [line for line in lines if re.search(r"\d+/\d+ ", line)]
    assert steps, lines
    assert any("without the one civil service at Bladel" in line for line in steps), steps
    assert any("weight of quality, lower" in line or "weight of quality, higher" in line for line in steps), steps
    for line in steps:
        assert not re.search(r"GM\d{4}|weights\.|domains\.|structures\.|one_civil_service", line), line


def test_the_report_opens_with_what_a_council_reads_first(tmp_path: Path) -> None:
    import html

    from click.testing import CliRunner

    from cli.main import cli

    out = tmp_path / "report.html"
    run = CliRunner().invoke(cli, ["report", "kempen", "--no-explain", "--no-endstates", "--out", str(out)])
    assert run.exit_code == 0, run.output
    page = html.unescape(out.read_text(encoding="utf-8"))
    result = optimize(load_scenario("kempen"), explain_rejection=False)
    lines = council_lines(result)
    assert all(f"<p>{line}</p>" in page for line in lines)
    assert page.index(lines[0]) < page.index("Chosen pools")
