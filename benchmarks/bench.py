"""`make bench`: every figure of benchmarks/README.md, written under benchmarks/results/.

    python -m benchmarks.bench [--quick] [--only orlib,peers,scaling,kempen] [--jobs N] [--peers NAMES]

- orlib.csv: every shipped OR-Library instance through seta (radius formulation, 300 s each).
- peers.csv: the same instances through seta's model handed straight to HiGHS (raw), through the
  textbook formulation, and through CBC; with the ratios seta-total / raw-solver and
  seta-total / textbook-total.
- scaling.csv and scaling.png: build and solve time of the national scenario against the number of
  municipalities (25, 50, 100, 200, 342).
- kempen.txt: end-to-end wall time of `seta solve kempen`, Python start-up included, with its
  explanation (the default) and without (`--no-explain`), interleaved.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.orlib import HERE, Row, raw_isolated, read_optima, solve_isolated, write_csv
from inputs.types import SolverOptions

RESULTS = Path(__file__).resolve().parent / "results"
TIME_LIMIT = 300.0
# CBC is a reference, not a target: beyond two minutes it only tells that it is slower.
CBC_TIME_LIMIT = 120.0
QUICK = ["pmed1", "pmed6", "cap71", "cap101", "cap131"]


def instances(quick: bool) -> list[Path]:
    if quick:
        return [HERE / f"{name}.txt" for name in QUICK]
    pmed = [HERE / f"pmed{i}.txt" for i in range(1, 41) if (HERE / f"pmed{i}.txt").exists()]
    cap = sorted(p for p in HERE.glob("cap*.txt") if p.stem != "capopt")
    return pmed + cap


def orlib(paths: list[Path], jobs: int) -> list[Row]:
    """Each instance in its own process with one thread; `jobs` of them side by side."""
    optima = read_optima([HERE / "pmedopt.txt", HERE / "uncapopt.txt"])
    options = SolverOptions(time_limit=TIME_LIMIT, gap=0.0, threads=1)
    rows = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for row in pool.map(lambda path: solve_isolated(path, options, optima.get(path.stem)), paths):
            rows.append(row)
            print(f"  {row.name}: {row.status} {row.found} in {row.total_s:.1f} s, {row.peak_mb:.0f} MB", flush=True)
    write_csv(rows, RESULTS / "orlib.csv")
    return rows


PEER_COLUMNS = [
    "name",
    "n_vars",
    "seta_status",
    "seta_total_s",
    "raw_build_s",
    "raw_solve_s",
    "raw_objective",
    "seta_over_raw",
    "textbook_status",
    "textbook_total_s",
    "seta_over_textbook",
    "cbc_status",
    "cbc_total_s",
    "cbc_objective",
]


def peer_row(path: Path) -> list[object]:
    """Seta, then raw HiGHS on seta's model, the textbook formulation and CBC, one after the other,
    so that all four run under the same conditions. A textbook run that stops at the limit makes
    seta / textbook an upper bound: the textbook would have needed longer."""
    published = read_optima([HERE / "pmedopt.txt", HERE / "uncapopt.txt"]).get(path.stem)
    seta = solve_isolated(path, SolverOptions(time_limit=TIME_LIMIT), published)
    raw = raw_isolated(path, TIME_LIMIT)
    textbook = solve_isolated(path, SolverOptions(time_limit=TIME_LIMIT, formulation="textbook"), published)
    cbc = solve_isolated(path, SolverOptions(name="cbc", time_limit=CBC_TIME_LIMIT), published)
    return [
        path.stem,
        seta.n_vars,
        seta.status,
        round(seta.total_s, 3),
        round(raw.build_s, 3),
        round(raw.solve_s, 3),
        raw.objective,
        round(seta.total_s / raw.solve_s, 3) if raw.solve_s > 0 else "",
        textbook.status,
        round(textbook.total_s, 3),
        round(seta.total_s / textbook.total_s, 3) if textbook.total_s > 0 else "",
        cbc.status,
        round(cbc.total_s, 3),
        cbc.found,
    ]


def peers(paths: list[Path], jobs: int) -> None:
    with (RESULTS / "peers.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(PEER_COLUMNS)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for row in pool.map(peer_row, paths):
                writer.writerow(row)
                handle.flush()
                print("  " + ", ".join(f"{k} {v}" for k, v in zip(PEER_COLUMNS, row, strict=True)), flush=True)


def scaling(sizes: list[int]) -> None:
    from benchmarks.national import run_national

    rows = [run_national(size) for size in sizes]
    with (RESULTS / "scaling.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame(rows).melt(
        id_vars=["municipalities"], value_vars=["build_s", "solve_s"], var_name="step", value_name="seconds"
    )
    chart = (
        alt.Chart(frame, title="National scenario, solved by province: time against the number of municipalities")
        .mark_line(point=True)
        .encode(x=alt.X("municipalities:Q"), y=alt.Y("seconds:Q"), color=alt.Color("step:N"))
        .properties(width=480, height=280)
    )
    chart.save(str(RESULTS / "scaling.png"))


def kempen(runs: int = 5) -> None:
    """`seta solve kempen` with its explanation (the default) and without, interleaved so that both
    see the same machine; the explanation's cost is their ratio."""
    seta = Path(sys.executable).with_name("seta")
    variants: dict[str, list[float]] = {"explained": [], "--no-explain": []}
    for _ in range(runs):
        for variant, times in variants.items():
            extra = [] if variant == "explained" else [variant]
            started = time.perf_counter()
            subprocess.run([str(seta), "solve", "kempen", *extra], check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    lines = [
        f"seta solve kempen {'' if variant == 'explained' else variant + ' '}"
        f"(end to end including Python start-up, {runs} runs): median {statistics.median(times):.2f} s, "
        f"min {min(times):.2f} s, max {max(times):.2f} s"
        for variant, times in variants.items()
    ]
    ratio = statistics.median(variants["explained"]) / statistics.median(variants["--no-explain"])
    lines.append(f"ratio explained / plain: {ratio:.1f}")
    text = "\n".join(lines) + "\n"
    (RESULTS / "kempen.txt").write_text(text, encoding="utf-8")
    print("  " + text.strip().replace("\n", "\n  "))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench")
    parser.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK)} and sizes 25, 50")
    parser.add_argument("--only", default="orlib,peers,scaling,kempen")
    parser.add_argument(
        "--jobs", type=int, default=1, help="instances solved side by side, one thread each (default 1)"
    )
    parser.add_argument("--peers", help="comma-separated instance names for the peer comparison (default: all)")
    args = parser.parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    parts = set(args.only.split(","))
    paths = instances(args.quick)
    if "orlib" in parts:
        print("OR-Library through seta:", flush=True)
        orlib(paths, args.jobs)
    if "peers" in parts:
        print("Peers (raw HiGHS, textbook, CBC):", flush=True)
        chosen = set(args.peers.split(",")) if args.peers else None
        peers([p for p in paths if chosen is None or p.stem in chosen], args.jobs)
    if "scaling" in parts:
        print("National scaling:", flush=True)
        scaling([25, 50] if args.quick else [25, 50, 100, 200, 342])
    if "kempen" in parts:
        print("Kempen end to end:", flush=True)
        kempen()
    return 0


if __name__ == "__main__":
    sys.exit(main())
