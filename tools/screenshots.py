"""Regenerates the README's pictures from the real commands, so that they show what seta does today.

    python tools/screenshots.py            # every picture into docs/
    python tools/screenshots.py workshop   # one of them

- `docs/kempen-endstates.png`: `seta endstates kempen --out DIR`, its chart as written;
- `docs/kempen-map.png`: `seta report kempen --png DIR`, the pool map as written;
- `docs/workshop.png`: `seta serve kempen` in headless Chromium, at the README's settings (Oirschot
  keeps enforcement in house, quality weighs 0.5), once the answer is shown;
- `docs/report.png`: the first screen of `seta report kempen`, as Chromium prints it on A4.

Needs Chromium and chromedriver (`make browser`). `docs/national-scaling.png` is a benchmark's
chart (`make bench`), not made here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SETA = str(Path(sys.executable).with_name("seta"))
# the pages are opened as the tests open them (tests/browser.py)
sys.path.insert(0, str(ROOT / "tests"))
from browser import chromium, seta_serve  # noqa: E402


def _run(*arguments: str) -> None:
    done = subprocess.run([SETA, *arguments], capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"seta {' '.join(arguments)} failed (exit {done.returncode}):\n{done.stderr}")


def _browser(width: int, height: int) -> AbstractContextManager[Any]:
    if shutil.which("chromedriver") is None or not (shutil.which("chromium") or shutil.which("chromium-browser")):
        raise SystemExit("Chromium and chromedriver are needed: run `make browser` first.")
    return chromium("--hide-scrollbars", f"--window-size={width},{height}")


def endstates() -> None:
    with tempfile.TemporaryDirectory() as folder:
        _run("endstates", "kempen", "--out", folder)
        shutil.copyfile(Path(folder) / "end-states.png", DOCS / "kempen-endstates.png")


def pool_map() -> None:
    with tempfile.TemporaryDirectory() as folder:
        _run(
            "report", "kempen", "--no-explain", "--no-endstates", "--out", str(Path(folder) / "r.html"), "--png", folder
        )
        shutil.copyfile(Path(folder) / "pool-map.png", DOCS / "kempen-map.png")


def workshop() -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    with seta_serve("kempen") as address, _browser(1400, 1000) as driver:
        driver.get(address + "?keep=GM0823.enforcement&quality=0.5")
        WebDriverWait(driver, 300, poll_frequency=0.5).until(
            lambda d: (
                d.find_element("tag name", "body").get_attribute("data-status") == "optimal"
                and d.find_elements("css selector", "#map svg")
            )
        )
        time.sleep(1)  # the charts' transitions
        driver.save_screenshot(str(DOCS / "workshop.png"))


def report() -> None:
    with tempfile.TemporaryDirectory() as folder, _browser(900, 1270) as driver:
        page = Path(folder) / "report.html"
        _run("report", "kempen", "--no-endstates", "--out", str(page))
        driver.get(page.as_uri())
        time.sleep(2)  # vega-embed draws after load
        driver.save_screenshot(str(DOCS / "report.png"))


PICTURES: dict[str, Callable[[], None]] = {
    "endstates": endstates,
    "map": pool_map,
    "workshop": workshop,
    "report": report,
}


def main(names: list[str]) -> None:
    unknown = [name for name in names if name not in PICTURES]
    if unknown:
        raise SystemExit(f"unknown picture {', '.join(unknown)}; expected one of {', '.join(PICTURES)}")
    for name in names or list(PICTURES):
        started = time.monotonic()
        PICTURES[name]()
        print(f"{name}: {time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
