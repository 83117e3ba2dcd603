"""The pathway's timings (issue 24): `seta pathway kempen --years 8` end to end (target at most 10 s)
and Zeeland (13 municipalities x 5 domains) from nothing to its optimum over 8 years (target at most
60 s, proven within 1 %). Prints figures; asserts nothing.

    PYTHONPATH=. python benchmarks/pathway.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from inputs import load_scenario
from optimizer.instance import Instance
from optimizer.pathway import Settings, plan_pathway
from optimizer.task import solve_task

HERE = Path(__file__).resolve().parent


def kempen_end_to_end() -> None:
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from cli.main import cli; cli()",
            "pathway",
            "kempen",
            "--from",
            "kempen-2007",
            "--years",
            "8",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    print(
        f"kempen --from kempen-2007 --years 8: exit {done.returncode}, {time.perf_counter() - started:.1f} s end to end"
    )


def zeeland() -> None:
    scenario = load_scenario(str(HERE / "scenarios" / "zeeland.yaml"))
    options = replace(scenario.solver, time_limit=60.0, gap=0.01)
    started = time.perf_counter()
    target = solve_task(scenario, options).configuration
    optimum = time.perf_counter() - started
    assert target is not None
    planned = plan_pathway(scenario, Instance(scenario).status_quo(), target, Settings.of(scenario, 8), options)
    print(
        f"zeeland ({len(scenario.municipalities)} x {len(scenario.domains)}), 8 years: "
        f"one-year optimum {optimum:.1f} s, "
        f"pathway {planned.report.seconds:.1f} s, {planned.report.describe()}, {len(planned.candidates)} candidate "
        f"pools, {time.perf_counter() - started:.1f} s in all"
    )


if __name__ == "__main__":
    kempen_end_to_end()
    zeeland()
