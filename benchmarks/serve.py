"""The workshop page under load: `seta serve kempen` on this machine, then

1. one client, no other load: the time from a change to the updated answer (HTTP round trip of
   /api/solve, what the page waits for) and the server's own solve time, over `--changes` changes;
2. `--clients` clients changing settings for `--seconds` seconds, each waiting for its answer
   before its next change (as a page does): errors, answers, and the p50/p95 from change to answer.

    python -m benchmarks.serve [--clients 20] [--seconds 60] [--changes 40]

Bounded in count and time and on localhost only; a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

MEMBERS = ("GM0770", "GM1728", "GM0823", "GM1667", "GM1724")
DOMAINS = ("hr", "taxes", "procurement", "enforcement", "ict")


def change(generator: random.Random) -> str:
    """A change a room might make: weights moved, a domain kept in house, a member out."""
    parts = [f"quality={generator.choice([0.1, 0.2, 0.3, 0.5, 0.8])}", f"autonomy={generator.choice([0.5, 1, 1.5])}"]
    if generator.random() < 0.5:
        parts.append(f"keep={generator.choice(MEMBERS)}.{generator.choice(DOMAINS)}")
    if generator.random() < 0.2:
        parts.append(f"out={generator.choice(MEMBERS)}")
    return "&".join(parts)


def ask(url: str) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as response:
        document = json.loads(response.read())
    return time.perf_counter() - started, document


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--changes", type=int, default=40)
    args = parser.parse_args()
    seta = str(Path(sys.executable).with_name("seta"))
    server = subprocess.Popen([seta, "serve", "kempen", "--port", "0"], stderr=subprocess.PIPE, text=True)
    assert server.stderr is not None
    found = None
    while found is None:
        line = server.stderr.readline()
        if not line:
            raise SystemExit("seta serve ended before it listened")
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
    base = found.group(1)
    try:
        generator = random.Random(1)
        for _ in range(3):  # warm: imports, the first model build
            ask(f"{base}api/solve?client=warm&{change(generator)}")
        answers, solves = [], []
        for _ in range(args.changes):
            seconds, document = ask(f"{base}api/solve?client=one&{change(generator)}")
            answers.append(seconds)
            solves.append(float(document["solve_seconds"]))  # type: ignore[arg-type]
        print(
            f"one client, warm, {args.changes} changes: change to answer p50 {statistics.median(answers):.3f} s, "
            f"p95 {percentile(answers, 0.95):.3f} s; the solver's own time p50 {statistics.median(solves):.3f} s, "
            f"p95 {percentile(solves, 0.95):.3f} s"
        )
        times: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds

        def client(number: int) -> None:
            own = random.Random(100 + number)
            while time.monotonic() < deadline:
                try:
                    seconds, document = ask(f"{base}api/solve?client=c{number}&{change(own)}")
                except Exception as error:  # every failure is counted, none ends the run
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}")
                    continue
                with lock:
                    if document.get("status") in ("optimal", "feasible"):
                        times.append(seconds)
                    else:
                        errors.append(str(document.get("status")))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(
            f"{args.clients} clients for {args.seconds:.0f} s: {len(times)} answers, {len(errors)} errors"
            + (f" ({errors[:3]})" if errors else "")
            + (
                f"; change to answer p50 {statistics.median(times):.2f} s, p95 {percentile(times, 0.95):.2f} s"
                if times
                else ""
            )
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
