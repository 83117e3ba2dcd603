"""The pathway's timings (issue 24), the explanation on: `seta pathway kempen --years 8` end to end
(target at most 10 s; also from its 2007 matrix) and Zeeland (13 municipalities x 5 domains) from
nothing to its optimum over 8 years (target at most 60 s, proven within 1 %). Prints figures;
asserts nothing.

    PYTHONPATH=. python benchmarks/pathway.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from inputs import load_scenario
from optimizer.instance import Instance
from optimizer.pathway import Settings, plan_pathway
from optimizer.pathway_explain import explain_pathway
from optimizer.task import solve_task
from visuals.pathway import flip_sentence

HERE = Path(__file__).resolve().parent


def kempen_end_to_end(*extra: str) -> None:
    started = time.perf_counter()
    args = ["pathway", "kempen", *extra, "--years", "8", "--format", "json"]
    done = subprocess.run(
        [sys.executable, "-c", "from cli.main import cli; cli()", *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    explained = ""
    if done.returncode == 0:
        explanation = json.loads(done.stdout)["explanation"]
        explained = (
            f", explanation: {explanation['solves']} re-solves of at most {explanation['work_per_solve']} check-ins"
        )
    print(f"seta {' '.join(args[:-2])}: exit {done.returncode}, {seconds:.1f} s end to end{explained}")


def zeeland() -> None:
    scenario = load_scenario(str(HERE / "scenarios" / "zeeland.yaml"))
    options = replace(scenario.solver, time_limit=60.0, gap=0.01)
    started = time.perf_counter()
    target = solve_task(scenario, options).configuration
    optimum = time.perf_counter() - started
    assert target is not None
    planned = plan_pathway(scenario, Instance(scenario).status_quo(), target, Settings.of(scenario, 8), options)
    planning = time.perf_counter() - started - optimum
    explained = time.perf_counter()
    explanation = explain_pathway(planned, options)
    explaining = time.perf_counter() - explained
    proven = sum(1 for d in explanation.delays if d.lost_weighted is not None or d.reason == "infeasible")
    print(
        f"zeeland ({len(scenario.municipalities)} x {len(scenario.domains)}), 8 years: "
        f"one-year optimum {optimum:.1f} s, pathway {planning:.1f} s ({planned.report.describe()}, "
        f"{len(planned.candidates)} candidate pools), explanation {explaining:.1f} s ({explanation.solves} re-solves "
        f"of at most {explanation.work} check-ins; {proven} of {len(explanation.delays)} delays proven; "
        f"{len(explanation.failed)} not explained), {time.perf_counter() - started:.1f} s in all"
    )
    for flip in explanation.flips:
        print(f"  {flip_sentence(flip)}")


if __name__ == "__main__":
    kempen_end_to_end()
    kempen_end_to_end("--from", "kempen-2007")
    zeeland()
