"""`seta report --pdf`: the report printed to PDF by headless Chromium, as a browser prints it.

Chromium, not a Python PDF library: the charts are drawn by Vega in the page's own JavaScript, so only
a browser prints them as the reader sees them, and the page's print stylesheet (A4) is the layout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from cli.output import OutputError
from inputs.labels import says

#: the names Debian (chromium) and Ubuntu and others (chromium-browser) install it under
CHROMIUM_NAMES = ("chromium", "chromium-browser")

MISSING = (
    "headless Chromium prints the PDF, and neither chromium nor chromium-browser is on PATH. Install it "
    "(Debian: apt install chromium; Ubuntu: apt install chromium-browser; macOS: brew install --cask chromium), "
    "or leave out --pdf and print the HTML report from a browser (it has an A4 print layout)."
)
MISSING_NL = (
    "headless Chromium drukt de PDF af, en chromium noch chromium-browser staat op het PATH. Installeer het "
    "(Debian: apt install chromium; Ubuntu: apt install chromium-browser; macOS: brew install --cask chromium), "
    "of laat --pdf weg en druk het HTML-rapport af vanuit een browser (het heeft een A4-afdrukopmaak)."
)

#: Vega draws the charts after the page has loaded: the virtual time lets every chart be drawn
#: before Chromium prints (it runs no faster than the charts need, and stops early when idle)
RENDER_BUDGET_MS = 30_000
#: a report of a national study prints in well under a minute; past this Chromium is stuck
TIMEOUT_S = 600


def chromium() -> str | None:
    """The Chromium on PATH, or None."""
    for command in CHROMIUM_NAMES:
        found = shutil.which(command)
        if found is not None:
            return found
    return None


def require_chromium(option: str = "--pdf") -> str:
    """Chromium, or an OutputError (exit 2) that says what is missing and what to do instead: checked
    before any work, so a run that cannot print its PDF does not solve first."""
    found = chromium()
    if found is None:
        raise OutputError(option, says(MISSING, MISSING_NL))
    return found


def print_pdf(page: Path, pdf: Path, place: str) -> None:
    """`page` (an HTML file) printed to `pdf` by headless Chromium, offline: every request that is not
    the file itself is refused (the report needs none). An OutputError names `place` when it fails."""
    command = require_chromium()
    with tempfile.TemporaryDirectory(prefix="seta-chromium-") as profile:
        arguments = [
            command,
            "--headless",
            "--disable-gpu",
            "--no-pdf-header-footer",  # no date, file path or page numbers from the browser in the margins
            # Chromium refuses to run as root with its sandbox (containers, CI); it opens only our own file
            *(["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",  # not the reader's own profile, which an open Chromium may hold
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--virtual-time-budget={RENDER_BUDGET_MS}",
            f"--print-to-pdf={pdf}",
            page.resolve().as_uri(),
        ]
        try:
            # a session of its own: Ctrl-C in the terminal reaches seta (which finishes the report, or
            # on a second Ctrl-C ends Chromium with it), not Chromium in the middle of a page
            done = subprocess.run(
                arguments, capture_output=True, text=True, timeout=TIMEOUT_S, check=False, start_new_session=True
            )
        except subprocess.TimeoutExpired:
            raise OutputError(
                place,
                says(
                    f"Chromium did not print within {TIMEOUT_S} s; nothing was written",
                    f"Chromium heeft niet binnen {TIMEOUT_S} s afgedrukt; er is niets geschreven",
                ),
            ) from None
        except OSError as error:
            reason = error.strerror or error
            raise OutputError(
                place,
                says(
                    f"cannot run {command} ({reason}); nothing was written",
                    f"kan {command} niet starten ({reason}); er is niets geschreven",
                ),
            ) from None
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        last = (done.stderr.strip().splitlines() or [says("no message", "geen melding")])[-1]
        raise OutputError(
            place,
            says(
                f"Chromium could not print it (exit {done.returncode}: {last}); nothing was written",
                f"Chromium kon het niet afdrukken (exit {done.returncode}: {last}); er is niets geschreven",
            ),
        )
