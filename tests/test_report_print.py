"""The report for a meeting: its print layout, the folded assumptions, --no-endstates and --pdf (printed
by real headless Chromium)."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cli.main import cli
from cli.pdf import MISSING, MISSING_NL, chromium, print_pdf
from inputs.assumptions import assumptions
from tests.test_studies import _report_text
from visuals.report import STYLE, Section, build_report

#: pages of Kempen's report with --no-explain --no-endstates on A4: 12 when measured with Chromium 156
#: (6 of them the assumptions' 186 figures, printed whole at 7 pt; at the body's size they took 11 and
#: the report 17); the slack of two is for fonts and Chromium versions, not for a lost layout
KEMPEN_PAGES = 14


def pages(pdf: Path) -> int:
    """The PDF's pages: its page objects (Chromium writes no object streams, so each is in plain text)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))


def _print_css() -> str:
    return STYLE.split("@media print", 1)[1]


def test_the_report_has_a_print_layout() -> None:
    assert re.search(r"@page\s*\{\s*size:\s*A4", STYLE)
    css = _print_css()
    assert re.search(r"h2\.new-page\s*\{\s*break-before:\s*page", css)
    assert re.search(r"tr, \.chart, table\.short, p\s*\{\s*break-inside:\s*avoid", css)
    assert re.search(r"\.chart svg, \.chart canvas\s*\{\s*max-width:\s*100%", css)
    assert re.search(r"\.vega-bindings, \.vega-actions, button, input, select, [^{]*\{\s*display:\s*none", css)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_endstates_solves_none_and_says_so(tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_solve(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("an end state was solved under --no-endstates")

    monkeypatch.setattr("cli.studies.solve_end_states", no_solve)
    page = tmp_path / "report.html"
    run = CliRunner().invoke(
        cli, ["report", "kempen", "--out", str(page), "--no-explain", "--no-endstates", "--lang", lang]
    )
    assert run.exit_code == 0, run.output
    assert "Solving the end states" not in run.output
    text = _report_text(page)
    if lang == "en":
        assert (
            "End states End states were skipped (--no-endstates): the best configuration under each form of "
            "cooperation was not solved. Run seta report without --no-endstates to include them, or seta "
            "endstates for them alone." in text
        )
        assert "End states compared" not in text
    else:
        assert "Eindbeelden Eindbeelden zijn overgeslagen (--no-endstates)" in text
        assert "Draai seta report zonder --no-endstates" in text
        assert "Eindbeelden vergeleken" not in text
    source = page.read_text(encoding="utf-8")
    # map, network and per-municipality effects; neither end-state chart
    assert len(re.findall(r"<div class='chart' id='chart-\d+'>", source)) == 3

    # the assumptions, folded under a line that counts them, and whole inside
    from cli.load import load_scenario

    figures = assumptions(load_scenario("kempen"), lang)
    judged = sum(str(row["source"]).lower().startswith(("assumption", "aanname")) for row in figures)
    assert len(figures) > 100 and 50 < judged < len(figures)
    folded = re.findall(r"<details><summary>(.*?)</summary>(.*?)</details>", source, re.S)
    assert len(folded) == 1
    summary, table = folded[0]
    words = (
        f"{len(figures)} figures, {judged} of them assumptions (judgement, not a source)"
        if lang == "en"
        else f"{len(figures)} kengetallen, waarvan {judged} aannames (een inschatting, geen bron)"
    )
    assert html.unescape(re.sub(r"<[^>]+>", "", summary)).startswith(words)
    assert table.count("<tr>") == len(figures) + 1  # the header and every figure
    assert html.escape(str(figures[-1]["figure"])) in table


def _skip_without_chromium() -> None:
    if chromium() is None:
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")


def test_a_folded_table_prints_whole(tmp_path: Path) -> None:
    """Printed, a folded table is opened: its pages grow with its rows (folded it would be one line)."""
    _skip_without_chromium()
    counts = []
    for rows in (200, 400):
        frame = pd.DataFrame({"figure": [f"figure {i}" for i in range(rows)], "source": ["a source"] * rows})
        page, pdf = tmp_path / f"{rows}.html", tmp_path / f"{rows}.pdf"
        folded = Section("Assumptions", table=frame, folded=f"{rows} figures")
        page.write_text(build_report("t", "s", [folded]), encoding="utf-8")
        print_pdf(page, pdf, "--pdf")
        counts.append(pages(pdf))
    assert 2 <= counts[0] < counts[1], counts


def test_pdf_prints_the_report_on_a4(tmp_path: Path) -> None:
    _skip_without_chromium()
    page = tmp_path / "report.html"
    run = CliRunner().invoke(cli, ["report", "kempen", "--out", str(page), "--no-explain", "--no-endstates", "--pdf"])
    assert run.exit_code == 0, run.output
    pdf = tmp_path / "report.pdf"
    assert f"Wrote {pdf}" in run.output
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert re.search(rb"/MediaBox\s*\[\s*0 0 59[45](\.\d+)? 84[12]", data)  # A4: 595 x 842 points
    assert 2 <= pages(pdf) <= KEMPEN_PAGES, pages(pdf)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.pdf"]  # nothing left aside


def test_pdf_without_chromium_is_exit_2_before_any_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # PATH without chromium (or anything else)
    out = tmp_path / "out"
    out.mkdir()
    run = CliRunner().invoke(cli, ["report", "kempen", "--out", str(out / "report.html"), "--pdf"])
    assert run.exit_code == 2, run.output
    assert run.output.strip().splitlines()[-1] == f"--pdf: {MISSING}"
    assert "Solving" not in run.output
    assert list(out.iterdir()) == []
    run = CliRunner().invoke(cli, ["report", "kempen", "--out", str(out / "report.html"), "--pdf", "--lang", "nl"])
    assert run.exit_code == 2, run.output
    assert run.output.strip().splitlines()[-1] == f"--pdf: {MISSING_NL}"
    assert MISSING_NL.startswith("headless Chromium drukt de PDF af, en chromium noch chromium-browser staat op")


def test_a_failed_print_leaves_the_old_report_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chromium that fails half way (a PDF begun, then exit 1): exit 2, the report that was there before
    is kept, and nothing new is written, not even the HTML."""
    fake = tmp_path / "bin" / "chromium"
    fake.parent.mkdir()
    fake.write_text(
        '#!/bin/sh\nfor a; do case "$a" in --print-to-pdf=*) printf %%PDF-1.4 > "${a#*=}";; esac; done\n'
        "echo 'cannot print: out of paper' >&2\nexit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("the old report")
    run = CliRunner().invoke(
        cli, ["report", "kempen", "--out", str(out / "report.html"), "--no-explain", "--no-endstates", "--pdf"]
    )
    assert run.exit_code == 2, run.output
    assert run.output.strip().splitlines()[-1] == (
        f"--pdf {out / 'report.pdf'}: Chromium could not print it (exit 1: cannot print: out of paper); "
        "nothing was written"
    )
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]
    assert (out / "report.html").read_text() == "the old report"
