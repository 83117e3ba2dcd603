"""The Dask back end against local worker processes, side by side in one run; and how long each
way the cluster can fail takes to end in words.

    python -m benchmarks.cluster [--runs 1] [--scenario nl-2024] [--workers 2]
    python -m benchmarks.cluster --faults [--connect-timeout 10] [--worker-timeout 30]

Times `seta solve SCENARIO` end to end (Python start-up included) with local worker processes
(`--jobs N`) and with a local Dask cluster of as many workers (`--workers N`), interleaved so both see
the same machine, and prints each median and the ratio Dask / local: the back end's overhead on the
12 province parts of nl-2024 (the issue's bound: at most 10 %).

With `--faults`, against a `dask scheduler` and `dask worker` on localhost: nothing listening, a port
that accepts and never answers, a scheduler without workers, the last worker killed and the scheduler
killed after the first solve of `seta robust kempen`. For each, the exit code, the seconds from the
fault (the start, or the kill) to the exit, and the last line: every one should end within its
timeout plus Python's start-up, in exit 2 or 75, never a hang.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent
#: a run that takes this long hangs
HANG_S = 600.0


def timed(arguments: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(arguments, check=True, capture_output=True)
    return time.perf_counter() - started


def overhead(runs: int, scenario: str, workers: int) -> None:
    base = [str(BIN / "seta"), "solve", scenario, "--no-explain"]
    variants = {
        f"local processes (--jobs {workers})": [*base, "--jobs", str(workers)],
        f"Dask LocalCluster (--workers {workers})": [*base, "--workers", str(workers)],
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, command in variants.items():
            times[name].append(timed(command))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        each = ", ".join(f"{value:.1f}" for value in times[name])
        print(f"{scenario}, {name}: median {median:.1f} s over {runs} run(s) ({each})")
    local, dask = medians.values()
    print(f"ratio Dask / local: {dask / local:.3f} (overhead {100 * (dask / local - 1):+.1f} %)")


# -- faults ----------------------------------------------------------------------------------------


class LocalCluster:
    """A scheduler and `workers` workers as processes of their own, so that either can be killed."""

    def __init__(self, folder: Path, workers: int) -> None:
        path = folder / "scheduler.json"
        self.scheduler = self._start(
            "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(path)
        )
        deadline = time.monotonic() + 60
        while not path.exists() or not path.read_text(encoding="utf-8").strip():
            if time.monotonic() > deadline:
                raise RuntimeError("the scheduler did not start")
            time.sleep(0.2)
        self.address = json.loads(path.read_text(encoding="utf-8"))["address"]
        worker = ("worker", self.address, "--nthreads", "1", "--no-dashboard")
        self.workers = [self._start(*worker) for _ in range(workers)]
        if workers:
            from distributed import Client

            with Client(self.address, set_as_default=False) as client:
                client.wait_for_workers(workers, timeout=60)

    @staticmethod
    def _start(*args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen([str(BIN / "dask"), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        for process in [self.scheduler, *self.workers]:
            process.kill()
            process.wait(timeout=20)


@contextmanager
def silent_port() -> Iterator[int]:
    """A port that accepts every connection and never says a word."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    held: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        while not done.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        done.set()
        thread.join(timeout=10)
        server.close()
        for connection in held:
            connection.close()


def ended(arguments: list[str], victim: subprocess.Popen[bytes] | None = None) -> tuple[int | None, float, str]:
    """`seta ARGUMENTS`: its exit code (None: it hung), the seconds from the fault to its end (from
    the start, or from the moment `victim` was killed after the first finished solve) and its last
    line on stderr."""
    process = subprocess.Popen(
        [str(BIN / "seta"), *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    hang = threading.Timer(HANG_S, process.kill)
    hang.start()
    fault = time.monotonic()
    lines = []
    assert process.stderr is not None
    for line in process.stderr:
        lines.append(line.rstrip())
        if victim is not None and victim.poll() is None and "solves done" in line:
            victim.kill()
            fault = time.monotonic()
    code = process.wait()
    hang.cancel()
    seconds = time.monotonic() - fault
    return (None if code == -9 else code), seconds, (lines[-1] if lines else "")


def faults(connect_s: float, no_workers_s: float) -> None:
    timeouts = ["--connect-timeout", f"{connect_s:g}", "--worker-timeout", f"{no_workers_s:g}"]
    study = ["robust", "kempen", "--draws", "12", *timeouts]
    rows = []
    rows.append(("nothing listening", *ended([*study, "--scheduler", "tcp://127.0.0.1:9"])))
    with silent_port() as port:
        rows.append(("a port that never answers", *ended([*study, "--scheduler", f"tcp://127.0.0.1:{port}"])))
    with tempfile.TemporaryDirectory() as folder:
        empty = LocalCluster(Path(folder), workers=0)
        try:
            rows.append(("a scheduler without workers", *ended([*study, "--scheduler", empty.address])))
        finally:
            empty.stop()
    for name, kill in (("the last worker killed", "worker"), ("the scheduler killed", "scheduler")):
        with tempfile.TemporaryDirectory() as folder:
            cluster = LocalCluster(Path(folder), workers=1)
            try:
                victim = cluster.workers[0] if kill == "worker" else cluster.scheduler
                rows.append((name, *ended([*study, "--scheduler", cluster.address], victim)))
            finally:
                cluster.stop()
    print(f"connect timeout {connect_s:g} s, worker timeout {no_workers_s:g} s")
    for name, code, seconds, last in rows:
        print(f"{name}: exit {'HUNG' if code is None else code} {seconds:.1f} s after the fault: {last}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cluster")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--scenario", default="nl-2024")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--faults", action="store_true", help="time how each cluster failure ends instead")
    parser.add_argument("--connect-timeout", type=float, default=10.0)
    parser.add_argument("--worker-timeout", type=float, default=30.0)
    args = parser.parse_args(argv)
    if args.faults:
        faults(args.connect_timeout, args.worker_timeout)
    else:
        overhead(args.runs, args.scenario, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
