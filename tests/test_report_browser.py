"""The report renders offline in a real browser: headless Chromium with every network request refused."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner

from cli.main import cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _dump_dom(page: Path, profile: Path) -> tuple[str, str]:
    assert CHROMIUM is not None, "Chromium is missing: `make test` installs Debian's chromium package"
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        f"--user-data-dir={profile}",
        # every request that is not the file itself goes to a closed port and resolves nowhere
        "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=30000",
        "--dump-dom",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, done.stderr


def test_report_renders_every_chart_offline(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    run = CliRunner().invoke(cli, ["report", "kempen", "--out", str(page), "--no-explain"])
    assert run.exit_code == 0, run.output
    html = page.read_text(encoding="utf-8")
    assert "cdn" not in html.lower().split("<script>", 1)[0]  # nothing fetched from a CDN in the head
    charts = re.findall(r"<div class='chart' id='(chart-\d+)'>", html)
    assert len(charts) == 5  # map, network, per-municipality effects, end states, comparison

    dom, log = _dump_dom(page, tmp_path / "profile")
    for chart_id in charts:
        segment = dom.split(f'id="{chart_id}"', 1)[1].split('class="chart"', 1)[0]
        assert "<svg" in segment or "<canvas" in segment, f"{chart_id} did not render"
    errors = re.search(r'<pre id="render-errors" class="muted">(.*?)</pre>', dom, re.S)
    assert errors is not None and errors.group(1).strip() == "", errors.group(1) if errors else dom[-500:]
    console = [line for line in log.splitlines() if "CONSOLE" in line]
    console_errors = [line for line in console if "Error" in line or "Uncaught" in line]
    assert console_errors == []
