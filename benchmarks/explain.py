"""How fast an explanation is, and how its work budget trades proven answers against time.

    python -m benchmarks.explain kempen                  # the defaults (RUNNER_UP_WORK / RESOLVE_WORK)
    python -m benchmarks.explain kempen 100/12 60/8      # runner-up work / flip work, side by side

prints, per budget, the seconds the explanation took in this process (one after the other, no
worker processes), the processor seconds among them, its re-solves, and how many runner-ups and
flip searches were proven. The budgets are the solver's check-ins (optimizer.control.Control), so
the proven counts repeat on any machine; only the seconds depend on it.

    python -m benchmarks.explain --end-to-end --runs 5 kempen            # `seta solve kempen`, whole
    python -m benchmarks.explain --end-to-end --runs 5 --tree OLD --tree . kempen

runs `seta solve NAME` end to end, as a user does (start-up, solve, explanation in worker processes,
tables), `--runs` times, the trees interleaved (each `--tree` a checkout of seta put first on the
path; the first is the reference of the ratios). It prints per tree the median and least wall-clock
seconds,
the processor seconds of the whole process tree, the explanation's own seconds as the command says
them, and whether every run said the same explanation (its text, timings and progress lines aside).
On a machine shared with other work, compare the ratios of one run, not seconds across runs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from inputs import load_scenario
from optimizer import optimize
from optimizer.explain import RESOLVE_WORK, RUNNER_UP_WORK, explain

#: lines that change from run to run without the explanation changing: progress and timings
RUN_LINES = re.compile(r"^\s+[\d.,]+ s\s|Explained in|Uitgelegd in|Solver: |Oplosser: ")
EXPLAINED = re.compile(r"Explained in ([\d.]+) s \((\d+) re-solves\)")


def budgets(name: str, pairs: list[tuple[int, ...]]) -> None:
    scenario = load_scenario(name)
    result = optimize(scenario, explain_rejection=False)
    assert result.chosen is not None and result.configuration is not None
    for runner_up_work, solve_work in pairs:
        started, processor = time.perf_counter(), time.process_time()
        explanation = explain(
            result.instance,
            result.chosen,
            result.configuration,
            result.baseline,
            result.report.options,
            solve_work=solve_work,
            runner_up_work=runner_up_work,
        )
        seconds, processor = time.perf_counter() - started, time.process_time() - processor
        ups = sum(r.status.value == "optimal" for r in explanation.runner_ups)
        flips = sum(f.proven for f in explanation.flips)
        print(
            f"{name} work {runner_up_work}/{solve_work}: {seconds:.2f} s ({processor:.2f} s processor), "
            f"{explanation.solves} re-solves, runner-ups proven {ups} of {len(explanation.runner_ups)}, "
            f"flips proven {flips} of {len(explanation.flips)}",
            flush=True,
        )


def _solve_once(tree: Path, name: str) -> tuple[float, float, float, int, str]:
    """One `seta solve NAME` with `tree` first on the path: wall seconds, processor seconds of its
    process tree, the explanation's seconds and re-solves as it says them, and a digest of what it
    says otherwise."""
    environment = {**os.environ, "PYTHONPATH": str(tree.resolve()), "COLUMNS": "120"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from cli.main import main; sys.exit(main())", "solve", name],
        env=environment,
        cwd=tree,  # `python -c` puts the working folder first on the path
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    processor = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    found = EXPLAINED.search(done.stdout + done.stderr)
    explained, solves = (float(found.group(1)), int(found.group(2))) if found else (float("nan"), 0)
    said = "\n".join(line for line in done.stdout.splitlines() if not RUN_LINES.search(line))
    return wall, processor, explained, solves, hashlib.sha256(said.encode()).hexdigest()[:10]


def end_to_end(name: str, trees: list[Path], runs: int) -> None:
    measured: dict[Path, list[tuple[float, float, float, int, str]]] = {tree: [] for tree in trees}
    for _ in range(runs):
        for tree in trees:
            measured[tree].append(_solve_once(tree, name))
    reference = statistics.median(run[0] for run in measured[trees[0]])
    for tree, found in measured.items():
        wall = statistics.median(run[0] for run in found)
        digests = {run[4] for run in found}
        print(
            f"{tree}: seta solve {name}: {wall:.2f} s median of {runs}, least {min(run[0] for run in found):.2f} s "
            f"({', '.join(f'{run[0]:.2f}' for run in found)}), ratio {wall / reference:.2f}; "
            f"processor {statistics.median(run[1] for run in found):.2f} s; explained in "
            f"{statistics.median(run[2] for run in found):.2f} s, {found[0][3]} re-solves; "
            f"{'the same text every run' if len(digests) == 1 else f'{len(digests)} different texts'} "
            f"({', '.join(sorted(digests))})",
            flush=True,
        )


def main(arguments: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("name", nargs="?", default="kempen")
    parser.add_argument("budgets", nargs="*", help="runner-up work / flip work, as 100/12")
    parser.add_argument("--end-to-end", action="store_true", help="`seta solve NAME` whole, in a new process")
    parser.add_argument("--tree", action="append", type=Path, help="a checkout of seta to run (repeatable)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(arguments)
    if args.end_to_end:
        end_to_end(args.name, args.tree or [Path.cwd()], args.runs)
        return
    pairs = [tuple(int(part) for part in item.split("/")) for item in args.budgets] or [(RUNNER_UP_WORK, RESOLVE_WORK)]
    budgets(args.name, pairs)


if __name__ == "__main__":
    main(sys.argv[1:])
