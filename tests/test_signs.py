"""One sign rule and one scale in every output (issue 23): a change is after minus before, so that a
negative amount in EUR is less cost wherever it appears; quality is a level on 0-100; every JSON
document says its layout (`schema_version`), since scripts read them."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from clirun import invoke

from cli.output import SCHEMA_VERSION
from inputs.labels import sign_rule


def _json(*args: str) -> dict:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_solve_writes_quality_on_0_to_100_and_says_its_schema(tmp_path: Path) -> None:
    document = _json("solve", "kempen")
    assert next(iter(document)) == "schema_version" and document["schema_version"] == SCHEMA_VERSION == 2
    assert document["council"][0].startswith("Pool all 5 domains: one civil service hosted by Bladel")
    before, after = document["summary"]["before"]["quality_index"], document["summary"]["after"]["quality_index"]
    # Kempen's departments are of middling quality: on 0-1 these would be below 1
    assert 50 < before < after <= 100
    municipalities = document["municipalities"]
    assert all(0 <= row["quality_before"] <= 100 and 0 <= row["quality_after"] <= 100 for row in municipalities)
    assert max(row["quality_after"] for row in municipalities) > 1
    assert invoke("solve", "kempen", "--out", str(tmp_path)).exit_code == 0
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["schema_version"] == SCHEMA_VERSION
    assert summary["council"] == document["council"]  # the headline in every output
    assert summary["after"]["quality_index"] == pytest.approx(after)


def test_the_comparison_of_end_states_has_quality_on_0_to_100(tmp_path: Path) -> None:
    assert invoke("endstates", "kempen", "--out", str(tmp_path)).exit_code == 0
    rows = pd.read_csv(tmp_path / "end-states.csv").dropna(subset=["quality_index"])
    assert len(rows) >= 5 and rows["quality_index"].between(50, 100).all()
    header = [cell.value for cell in openpyxl.load_workbook(tmp_path / "seta.xlsx").worksheets[0][1]]
    assert "quality_index [0-100]" in header


def test_allocate_says_a_members_change_as_a_cost_negative_when_it_pays_less() -> None:
    document = _json("allocate", "kempen")
    assert document["schema_version"] == SCHEMA_VERSION
    rows = document["allocation"]
    assert rows and all("gain_eur" not in row for row in rows)
    for row in rows:
        assert row["change_against_alone_eur"] == pytest.approx(row["annual_cost_eur"] - row["alone_eur"], abs=0.02)
    # pooling saves the region money, so under the Shapley value every member pays less than alone
    shapley = [row for row in rows if row["split"] == "shapley"]
    assert shapley and all(row["change_against_alone_eur"] < 0 for row in shapley)
    for row in document["blocking"]:
        assert row["change_if_alone_eur"] == pytest.approx(row["alone_eur"] - row["charged_eur"], abs=0.02)
        assert row["change_if_alone_eur"] < 0
    valuations = document["valuations"]
    assert max(row["quality_after"] for row in valuations) > 1


@pytest.mark.parametrize("lang", ["en"])
def test_every_table_of_changes_states_the_sign_rule(lang: str, tmp_path: Path) -> None:
    solved = invoke("solve", "kempen", "--out", str(tmp_path), *(["--lang", "nl"] if lang == "nl" else []))
    assert solved.exit_code == 0, solved.output
    flat = " ".join(solved.output.split())
    assert flat.count(sign_rule(lang)) >= 2, "the changes and the cash-and-valuations tables"
    book = openpyxl.load_workbook(tmp_path / "seta.xlsx")
    summary = book.worksheets[0]
    lead = {row[0].value: row[1].value for row in summary.iter_rows(max_row=6) if row[0].value}
    assert lead[{"en": "Signs", "nl": "Tekens"}[lang]] == sign_rule(lang)
    flow = book.worksheets[1]
    flow_lead = {row[0].value: row[1].value for row in flow.iter_rows(max_row=8) if row[0].value}
    assert flow_lead[{"en": "Signs", "nl": "Tekens"}[lang]] == sign_rule(lang)
    # Kempen pays back within its horizon: the change in cost is negative, as everywhere else
    assert next(v for k, v in flow_lead.items() if k.startswith(("Present value", "Contante waarde"))) < 0
    allocated = invoke("allocate", "kempen", *(["--lang", "nl"] if lang == "nl" else []))
    assert allocated.exit_code == 0, allocated.output
    rule = {"en": "negative, the member pays less in the pool", "nl": "negatief, dan betaalt het lid minder in de pool"}
    assert rule[lang] in " ".join(allocated.output.split())


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_report_section_of_changes_states_the_sign_rule(lang: str, tmp_path: Path) -> None:
    import html
    import re

    page = tmp_path / "report.html"
    ran = invoke("report", "helden", "--out", str(page), "--no-explain", "--no-endstates", "--lang", lang)
    assert ran.exit_code == 0, ran.output
    source = html.unescape(page.read_text(encoding="utf-8"))
    # each main part of changes, up to the next heading, says its signs
    titles = {
        "en": ("Why this answer", "Where each municipality gains or pays", "Observed: Helden e.o. 2007"),
        "nl": ("Waarom dit antwoord", "Waar elke gemeente wint of betaalt", "Waargenomen: Helden e.o. 2007"),
    }[lang]
    for title in titles:
        part = re.search(rf"<h2[^>]*>{re.escape(title)}[^<]*</h2>(.*?)(<h2|$)", source, re.S)
        assert part is not None, title
        assert sign_rule(lang) in part.group(1), title
