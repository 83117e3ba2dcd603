"""OR-Library facility-location instances solved through seta's own optimizer.

    python -m benchmarks.orlib benchmarks/orlib/pmed1.txt benchmarks/orlib/cap71.txt [--csv out.csv]
    python -m benchmarks.orlib benchmarks/orlib/pmed35.txt --compare    # Benders, radius MIP, raw HiGHS

p-median files (`pmedN.txt`) and warehouse-location files (`cap71` ... `capa`, solved uncapacitated)
are turned into seta scenarios: every vertex (customer) must be served, a pool is a facility, the
travel cost between member and host is the instance's cost, and nothing else costs anything. They
then go through `optimizer.optimize`, the same model building, solver layer and result object as any
scenario. Formats and traps are in `benchmarks/orlib/FORMAT.md`.

`--engine` says how a radius model is solved: `auto` as seta chooses
(`optimizer.formulation.benders.BENDERS_FROM`), `benders` (Benders decomposition,
`optimizer/formulation/benders.py`) or `mip` (the radius MIP handed whole to
HiGHS). `--compare` runs each instance three times, one after the other, each in its own process:
seta with Benders, seta with the radius MIP, and the radius model handed straight to HiGHS from
numpy arrays (`benchmarks/raw.py`, its solve time alone); then prints the ratios.
"""

from __future__ import annotations

import argparse
import csv
import math
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.raw import RawRun, solve_raw
from inputs.types import (
    DomainParams,
    Economics,
    Limits,
    Municipality,
    Politics,
    Provider,
    Scenario,
    SolverOptions,
    StructureParams,
    Weights,
)
from optimizer.executor import in_fresh_process
from optimizer.solve import Status

HERE = Path(__file__).resolve().parent / "orlib"
DOMAIN = "service"
COLUMNS = ("name", "n_vars", "published", "found", "status", "gap", "build_s", "solve_s", "total_s", "peak_mb")
ENGINES = ("auto", "benders", "mip")


class FormatError(ValueError):
    pass


# -- parsing --------------------------------------------------------------------------------------


def read_pmedian(path: Path) -> tuple[np.ndarray, int]:
    """Shortest-path distance matrix and p. Edges are read in order and the last repeat wins."""
    tokens = path.read_text().split()
    try:
        n, m, p = (int(t) for t in tokens[:3])
        numbers = [int(float(t)) for t in tokens[3 : 3 + 3 * m]]
    except ValueError as error:
        raise FormatError(f"{path.name}: not a p-median file ({error})") from error
    if len(numbers) != 3 * m:
        raise FormatError(f"{path.name}: expected {m} edge lines, found {len(numbers) // 3}")
    dist = np.full((n, n), np.inf)
    np.fill_diagonal(dist, 0.0)
    for k in range(m):
        i, j, c = numbers[3 * k] - 1, numbers[3 * k + 1] - 1, numbers[3 * k + 2]
        dist[i, j] = dist[j, i] = c
    for k in range(n):  # Floyd-Warshall, one pivot at a time over the whole matrix
        np.minimum(dist, dist[:, k : k + 1] + dist[k : k + 1, :], out=dist)
    return dist, p


def read_warehouse(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Fixed costs (m) and the cost of serving each customer's whole demand from each site (m x n)."""
    tokens = path.read_text().split()
    try:
        m, n = int(tokens[0]), int(tokens[1])
        position = 2
        fixed = np.empty(m)
        for i in range(m):
            fixed[i] = float(tokens[position + 1])  # the capacity (or the word 'capacity') is ignored
            position += 2
        cost = np.empty((m, n))
        for j in range(n):
            position += 1  # demand: irrelevant when uncapacitated
            cost[:, j] = [float(t) for t in tokens[position : position + m]]
            position += m
    except (ValueError, IndexError) as error:
        raise FormatError(f"{path.name}: not a warehouse-location file ({error})") from error
    if position != len(tokens):
        raise FormatError(f"{path.name}: {len(tokens) - position} tokens left over after {m} sites, {n} customers")
    return fixed, cost


def kind_of(path: Path) -> str:
    """'pmedian' or 'warehouse', from the header: a p-median file starts with three integers."""
    header = path.read_text().split("\n", 1)[0].split()
    return "pmedian" if len(header) == 3 else "warehouse"


def read_optima(paths: list[Path]) -> dict[str, float]:
    optima: dict[str, float] = {}
    for path in paths:
        for line in path.read_text().splitlines():
            parts = line.split()
            if len(parts) == 2:
                try:
                    optima[parts[0]] = float(parts[1])
                except ValueError:
                    continue
    return optima


# -- scenarios ------------------------------------------------------------------------------------


def _domain() -> DomainParams:
    return DomainParams(
        key=DOMAIN,
        fte_per_1000=0.0,
        scale_inhabitants=1.0,
        core_fte=0.0,
        diseconomy_share=0.0,
        cost_per_fte=0.0,
        critical_mass_fte=1.0,
        location_bound=1.0,
        absence_share=0.5,
        cover_premium=0.0,
        front_line=False,
    )


def _facility(max_members: int) -> StructureParams:
    """A pool that is a pure facility: one member or more, no cost but the members' travel."""
    return StructureParams(
        key="centre",
        scope="domain",
        coordinated=False,
        transfers_staff=True,
        min_members=1,
        max_members=max_members,
        min_domains=1,
        max_domains=1,
        max_units_per_host=None,
        takes_front_line=True,
        quality_share=0.0,
        agency_share=0.0,
        governance_per_body=0.0,
        governance_per_unit=0.0,
        governance_per_member=0.0,
        transition_per_body=0.0,
        transition_per_unit=0.0,
        transition_per_member=0.0,
        transition_per_fte=0.0,
        autonomy_loss=0.0,
        coordination_per_interface=0.0,
        uses_host_capacity=False,
        council_saving_per_member=0.0,
    )


def _scenario(
    name: str,
    places: list[Municipality],
    providers: list[Provider],
    distances: dict[tuple[str, str], float],
    p: int | None,
    options: SolverOptions,
) -> Scenario:
    return Scenario(
        name=name,
        municipalities=tuple(places),
        domains=(_domain(),),
        structures=(_facility(len(places)),),
        providers=tuple(providers),
        politics=Politics(forced={m.code: frozenset({DOMAIN}) for m in places}),
        limits=Limits(max_travel_km=None, host_capacity_factor=None, max_pools=p),
        weights=Weights(cost=1.0, quality=0.0, vulnerability=0.0, manageability=0.0, autonomy=0.0),
        economics=Economics(travel_eur_per_fte_km=1.0, detour_factor=1.0),
        solver=options,
        distances=distances,
        source=name,
    )


def pmedian_scenario(name: str, dist: np.ndarray, p: int, options: SolverOptions) -> Scenario:
    """Every vertex a municipality that must be served and may host; at most p pools."""
    n = len(dist)
    codes = [f"V{i + 1}" for i in range(n)]
    places = [Municipality(code=c, name=c, population=0, lat=0.0, lon=0.0, fte={DOMAIN: 1.0}) for c in codes]
    distances = {(codes[i], codes[j]): float(dist[i, j]) for i in range(n) for j in range(n) if i != j}
    return _scenario(name, places, [], distances, p, options)


def warehouse_scenario(name: str, fixed: np.ndarray, cost: np.ndarray, options: SolverOptions) -> Scenario:
    """Customers are municipalities that must be served and cannot host; sites are providers."""
    m, n = cost.shape
    customers = [f"C{j + 1}" for j in range(n)]
    places = [
        Municipality(code=c, name=c, population=0, lat=0.0, lon=0.0, fte={DOMAIN: 1.0}, may_host=False)
        for c in customers
    ]
    providers = [
        Provider(
            key=f"S{i + 1}",
            name=f"S{i + 1}",
            lat=0.0,
            lon=0.0,
            domains=(DOMAIN,),
            structures=("centre",),
            price_factor=1.0,
            quality=0.0,
            fixed_cost=float(fixed[i]),
        )
        for i in range(m)
    ]
    distances = {(customers[j], f"S{i + 1}"): float(cost[i, j]) for i in range(m) for j in range(n)}
    return _scenario(name, places, providers, distances, None, options)


def scenario_for(path: Path, options: SolverOptions) -> Scenario:
    name = path.stem
    if kind_of(path) == "pmedian":
        dist, p = read_pmedian(path)
        return pmedian_scenario(name, dist, p, options)
    fixed, cost = read_warehouse(path)
    return warehouse_scenario(name, fixed, cost, options)


# -- running ------------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    n_vars: int
    published: float | None
    found: float | None
    status: str
    gap: float | None
    build_s: float
    solve_s: float
    total_s: float
    peak_mb: float
    formulation: str = ""

    def matches(self, tolerance: float = 0.01) -> bool:
        return self.published is not None and self.found is not None and abs(self.found - self.published) <= tolerance


def solve_file(path: Path, options: SolverOptions, published: float | None) -> Row:
    """Read, build and solve one instance through `optimizer.optimize`, timing each step."""
    from optimizer import optimize

    started = time.perf_counter()
    scenario = scenario_for(path, options)
    result = optimize(scenario, options)
    total = time.perf_counter() - started
    report = result.report
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return Row(
        name=path.stem,
        n_vars=int(result.model_size.variables),
        published=published,
        found=report.objective,
        status=report.status,
        gap=report.gap,
        build_s=result.build_seconds,
        solve_s=report.seconds,
        total_s=total,
        peak_mb=peak,
        formulation=str(result.model_size.formulation),
    )


def _child(path: str, options: SolverOptions, published: float | None, engine: str) -> Row | str:
    from optimizer.formulation import benders

    if engine != "auto":  # this process only: it solves this one instance and ends
        benders.BENDERS_FROM = 0 if engine == "benders" else math.inf
    try:
        return solve_file(Path(path), options, published)
    except Exception as error:  # reported as a row with status error
        return f"{type(error).__name__}: {error}"


def solve_isolated(path: Path, options: SolverOptions, published: float | None, engine: str = "auto") -> Row:
    """One instance in a fresh process, so peak memory is the instance's own; `engine` as `--engine`."""
    outcome = in_fresh_process(_child, str(path), options, published, engine)
    if isinstance(outcome, Row):
        return outcome
    return Row(path.stem, 0, published, None, Status.ERROR, None, 0.0, 0.0, 0.0, 0.0, outcome)


def _raw_child(path: str, time_limit: float) -> RawRun:
    if kind_of(Path(path)) == "pmedian":
        dist, p = read_pmedian(Path(path))
        return solve_raw(dist, np.zeros(len(dist)), p, time_limit)
    fixed, cost = read_warehouse(Path(path))
    return solve_raw(cost.T.copy(), fixed, None, time_limit)


def raw_isolated(path: Path, time_limit: float) -> RawRun:
    """The radius model handed straight to HiGHS from arrays, in a fresh process too, so that it runs
    under the same conditions as seta's."""
    outcome: RawRun = in_fresh_process(_raw_child, str(path), time_limit)
    return outcome


@dataclass
class Comparison:
    """One instance three ways (`--compare`): seta with Benders, seta with the radius MIP, raw HiGHS."""

    benders: Row
    mip: Row
    raw: RawRun

    @property
    def mip_over_benders(self) -> float:
        return self.mip.total_s / self.benders.total_s

    @property
    def benders_over_raw(self) -> float:
        return self.benders.total_s / self.raw.solve_s


def compare(path: Path, options: SolverOptions, published: float | None) -> Comparison:
    benders = solve_isolated(path, options, published, "benders")
    mip = solve_isolated(path, options, published, "mip")
    raw = raw_isolated(path, options.time_limit)
    return Comparison(benders, mip, raw)


def _status(row: Row) -> str:
    if row.status == Status.OPTIMAL:
        return "optimal"
    gap = "-" if row.gap is None else f"{100 * row.gap:.2f}%"
    return f"{row.status} {gap}"


def print_comparison_header(out: Any = sys.stdout) -> None:
    print(
        f"{'name':<8} {'benders s':>10} {'status':<14} {'radius MIP s':>12} {'status':<14} "
        f"{'raw HiGHS s':>11} {'status':<10} {'MIP/Benders':>11} {'Benders/raw':>11}",
        file=out,
        flush=True,
    )


def print_comparison(c: Comparison, out: Any = sys.stdout) -> None:
    print(
        f"{c.benders.name:<8} {c.benders.total_s:>10.2f} {_status(c.benders):<14} {c.mip.total_s:>12.2f} "
        f"{_status(c.mip):<14} {c.raw.solve_s:>11.2f} {c.raw.status:<10} {c.mip_over_benders:>11.2f} "
        f"{c.benders_over_raw:>11.3f}",
        file=out,
        flush=True,
    )


def _fmt(value: float | None, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.{digits}f}"


def print_header(out: Any = sys.stdout) -> None:
    print(
        f"{'name':<8} {'vars':>8} {'published':>14} {'found':>14} {'status':<9} {'gap':>8} "
        f"{'build s':>8} {'solve s':>8} {'total s':>8} {'peak MB':>8}",
        file=out,
        flush=True,
    )


def print_row(r: Row, out: Any = sys.stdout) -> None:
    gap = "-" if r.gap is None else f"{100 * r.gap:.3f}%"
    print(
        f"{r.name:<8} {r.n_vars:>8} {_fmt(r.published):>14} {_fmt(r.found):>14} {r.status:<9} {gap:>8} "
        f"{r.build_s:>8.2f} {r.solve_s:>8.2f} {r.total_s:>8.2f} {r.peak_mb:>8.0f}",
        file=out,
        flush=True,
    )


def write_csv(rows: list[Row], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for r in rows:
            writer.writerow(
                [
                    r.name,
                    r.n_vars,
                    r.published,
                    r.found,
                    r.status,
                    r.gap,
                    round(r.build_s, 4),
                    round(r.solve_s, 4),
                    round(r.total_s, 4),
                    round(r.peak_mb, 1),
                ]
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.orlib", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="pmedN.txt or capXX.txt files")
    parser.add_argument(
        "--optima",
        type=Path,
        action="append",
        help="file(s) of published optima (default: pmedopt.txt and uncapopt.txt next to the data)",
    )
    parser.add_argument("--csv", type=Path, help="also write the table as CSV")
    parser.add_argument("--time-limit", type=float, default=300.0, help="seconds per instance (default 300)")
    parser.add_argument("--formulation", choices=["auto", "radius", "textbook"], default="auto")
    parser.add_argument("--solver", choices=["highs", "cbc"], default="highs")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--engine", choices=ENGINES, default="auto", help="how a radius model is solved")
    parser.add_argument(
        "--compare", action="store_true", help="Benders, the radius MIP and raw HiGHS side by side, with ratios"
    )
    args = parser.parse_args(argv)
    optima_files = args.optima or [HERE / "pmedopt.txt", HERE / "uncapopt.txt"]
    optima = read_optima([p for p in optima_files if p.exists()])
    options = SolverOptions(
        name=args.solver, time_limit=args.time_limit, gap=0.0, threads=args.threads, formulation=args.formulation
    )
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        print(f"file not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.compare:
        print_comparison_header()
        for path in args.paths:
            print_comparison(compare(path, options, optima.get(path.stem)))
        return 0
    rows = []
    print_header()
    for path in args.paths:
        rows.append(solve_isolated(path, options, optima.get(path.stem), args.engine))
        print_row(rows[-1])
    if args.csv:
        write_csv(rows, args.csv)
    missed = [r.name for r in rows if r.published is not None and not (r.status == "optimal" and r.matches())]
    if missed:
        print(f"not reproduced to the published optimum: {', '.join(missed)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
