"""The real services the page tests drive: `seta serve` on a free port of this machine, and headless
Chromium through Debian's chromedriver (`make browser` installs both). Shared by the tests and
`tools/screenshots.py`, so that every page is opened the same way."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SETA = str(Path(sys.executable).with_name("seta"))
CHROMEDRIVER = shutil.which("chromedriver")
#: the options every page is opened with: headless, and nothing a container lacks
CHROMIUM_OPTIONS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")


@contextmanager
def seta_serve(scenario: str = "kempen", *options: str) -> Iterator[str]:
    """`seta serve SCENARIO` on a free port of this machine (stopped on the way out); its address."""
    process = subprocess.Popen(
        [SETA, "serve", scenario, "--port", "0", *options],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    address = ""
    deadline = time.monotonic() + 60
    while not address and time.monotonic() < deadline:
        line = process.stderr.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if found:
            address = found.group(1)
        elif not line and process.poll() is not None:
            break
    try:
        assert address, "seta serve did not say where it listens"
        yield address
    finally:
        process.terminate()
        process.wait(timeout=30)


def started_serve(*arguments: str) -> tuple[subprocess.Popen[str], list[str]]:
    """`seta serve ARGUMENTS` and the lines it printed on stderr up to the one saying where it
    listens; the caller stops it (SIGINT, as Ctrl-C) and reads the rest of its stderr."""
    process = subprocess.Popen(
        [SETA, "serve", *arguments], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    assert process.stderr is not None
    lines: list[str] = []
    while not any("(Ctrl-C stops)" in line for line in lines):
        line = process.stderr.readline()
        if not line:
            process.kill()
            raise AssertionError(f"seta serve ended: {lines}")
        lines.append(line)
    return process, lines


@contextmanager
def chromium(*arguments: str, page_load_seconds: float = 60) -> Iterator[Any]:
    """Headless Chromium with `arguments` beside the usual options (quit on the way out)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert CHROMEDRIVER is not None, "chromedriver is missing: `make test` installs Debian's chromium-driver"
    options = webdriver.ChromeOptions()
    for argument in (*CHROMIUM_OPTIONS, *arguments):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(page_load_seconds)
    try:
        yield driver
    finally:
        driver.quit()
