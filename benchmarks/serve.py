"""The workshop page under load: `seta serve kempen` on this machine, then

1. one client, no other load: the time from a change to the updated answer (HTTP round trip of
   /api/solve, what the page waits for) and the server's own solve time, over `--changes` changes;
   then `--explanations` explanations of settings not solved before: the time from asking to the
   explanation; then as many explanations as the page asks for them, each of the answer it has just
   shown (the same settings solved first; only the explanation timed);
2. `--clients` clients changing settings for `--seconds` seconds, each waiting for its answer
   before its next change (as a page does): errors, answers, the share answered "busy" (the page
   waits its Retry-After and asks again), and the p50/p95 from change to answer.

The changes come from fixed seeds (the one client's and each of the clients'), so every run asks for
the same settings. Settings asked for before are answered from what the server kept (`"kept": true`):
each figure is given over all answers and over those solved afresh.

    python -m benchmarks.serve [--clients 20] [--seconds 60] [--changes 40] [--explanations 5]

With `--soak SECONDS` (issue 21: 300, with 30 clients) it runs a soak instead: `--clients` clients
for that long, three in four of them pages (a change, its answer, often its explanation; a busy
server's 503 waited out as the page does), the others hostile, about one request a second each
(other methods, unreadable requests, garbage and huge values, sockets closed mid-request). It
prints the server's resident memory at one minute (or a fifth of a shorter run) and at the end, the
share of well-formed requests answered, and what the hostile ones got; the target is RSS(end) <=
RSS(1 min) + 50 MB.

    python -m benchmarks.serve --soak 300 --clients 30

Bounded in count and time and on localhost only; a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
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
    parser.add_argument("--explanations", type=int, default=5, help="one client's explanations, after its changes")
    parser.add_argument("--soak", type=float, metavar="SECONDS", help="a soak of this length instead (issue 21: 300)")
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
        if args.soak is not None:
            soak(server, base, args.clients, args.soak)
            return
        generator = random.Random(1)
        for _ in range(3):  # warm: imports, the first model build
            ask(f"{base}api/solve?client=warm&{change(generator)}")
        answers, solves, fresh = [], [], []
        for _ in range(args.changes):
            seconds, document = ask(f"{base}api/solve?client=one&{change(generator)}")
            answers.append(seconds)
            if not document.get("kept"):  # settings asked before are answered from what the server kept
                fresh.append(seconds)
                solves.append(float(document["solve_seconds"]))  # type: ignore[arg-type]
        print(
            f"one client, warm, {args.changes} changes ({args.changes - len(fresh)} answered from what was kept): "
            f"change to answer p50 {statistics.median(answers):.3f} s, p95 {percentile(answers, 0.95):.3f} s; "
            f"solved afresh p50 {statistics.median(fresh):.3f} s, p95 {percentile(fresh, 0.95):.3f} s, the solver's "
            f"own time p50 {statistics.median(solves):.3f} s, p95 {percentile(solves, 0.95):.3f} s",
            flush=True,
        )

        def explanations(what: str, solved_first: bool) -> None:
            """`--explanations` explanations of new settings, each with its answer asked for first
            (as the page asks) or not, and their p50 and most from asking to the explanation."""
            explained = []
            for _ in range(args.explanations):
                settings = change(generator)
                if solved_first:
                    ask(f"{base}api/solve?client=one&{settings}")
                seconds, document = ask(f"{base}api/explain?client=one&{settings}")
                if document.get("status") == "explained":
                    explained.append(seconds)
            if explained:
                print(
                    f"one client, {args.explanations} explanations{what} ({len(explained)} explained): request to "
                    f"explanation p50 {statistics.median(explained):.2f} s, most {max(explained):.2f} s",
                    flush=True,
                )

        explanations("", solved_first=False)
        explanations(" of the answer just shown, as the page asks", solved_first=True)
        times: list[float] = []
        errors: list[str] = []
        busy = [0]
        fresh_times: list[float] = []  # answers solved, not kept from an earlier request
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds

        def client(number: int) -> None:
            own = random.Random(100 + number)
            while time.monotonic() < deadline:
                try:
                    seconds, document = ask(f"{base}api/solve?client=c{number}&{change(own)}")
                except urllib.error.HTTPError as error:
                    with lock:
                        if error.code == 503:
                            busy[0] += 1
                        else:
                            errors.append(f"HTTP {error.code}")
                    if error.code == 503:  # as the page does: wait, then ask again
                        time.sleep(float(error.headers.get("Retry-After") or 1))
                    continue
                except Exception as error:  # every failure is counted, none ends the run
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}")
                    continue
                with lock:
                    if document.get("status") in ("optimal", "feasible"):
                        times.append(seconds)
                        if not document.get("kept"):
                            fresh_times.append(seconds)
                    else:
                        errors.append(str(document.get("status")))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        cpu_before, wall_before = tree_cpu_seconds(server.pid), time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        cores = (tree_cpu_seconds(server.pid) - cpu_before) / (time.monotonic() - wall_before)
        print(
            f"{args.clients} clients for {args.seconds:.0f} s: {len(times)} answers "
            f"({len(times) - len(fresh_times)} from what was kept), "
            f"{busy[0]} answered busy "
            f"({100 * busy[0] / max(1, busy[0] + len(times)):.1f} %), {len(errors)} errors"
            + (f" ({errors[:3]})" if errors else "")
            + (
                f"; change to answer p50 {statistics.median(times):.2f} s, p95 {percentile(times, 0.95):.2f} s"
                if times
                else ""
            )
            + (
                f" (solved afresh: p50 {statistics.median(fresh_times):.2f} s, "
                f"p95 {percentile(fresh_times, 0.95):.2f} s)"
                if fresh_times
                else ""
            )
            + f"; the server used {cores:.2f} cores on average"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- the soak -------------------------------------------------------------------------------------


def tree_cpu_seconds(pid: int) -> float:
    """Processor seconds used so far by a process and its descendants alive now (Linux). Parents are
    read from every process's stat: a thread's `children` file loses the workers it started once the
    thread has ended (an explanation's dispatching threads), which made the figure negative."""
    ticks = os.sysconf("SC_CLK_TCK")
    used: dict[int, float] = {}
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended since the listing
            continue
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        total += used.get(current, 0.0)
        pending += children.get(current, [])
    return total


def rss_mb(pid: int) -> float:
    """A process's resident memory in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def get(url: str, method: str = "GET") -> tuple[int, dict[str, object], dict[str, str]]:
    """(status, JSON body or {}, headers) of a request; HTTP errors are answers too."""
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            status, body, headers = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        status, body, headers = error.code, error.read(), dict(error.headers)
    try:
        document = json.loads(body) if body else {}
    except ValueError:
        document = {}
    return status, document if isinstance(document, dict) else {}, headers


def raw(port: int, data: bytes, close_at_once: bool = False) -> int:
    """Bytes sent as they are; the status the server answers (0: none), or 0 at once when the
    socket is closed without waiting (a page that went away)."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(data)
        if close_at_once:
            return 0
        answer = b""
        while b"\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    found = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    return int(found.group(1)) if found else 0


def hostile_requests(base: str, port: int) -> list[tuple[str, Callable[[], int], tuple[int, ...]]]:
    """(kind, the request, the statuses that are right for it)."""
    solve = f"{base}api/solve?client=hostile&"
    nested = "[" * 1000 + "]" * 1000
    return [
        ("POST", lambda: get(f"{base}api/solve", "POST")[0], (405,)),
        ("PUT", lambda: get(f"{base}api/solve", "PUT")[0], (405,)),
        ("DELETE", lambda: get(base, "DELETE")[0], (405,)),
        ("OPTIONS", lambda: get(base, "OPTIONS")[0], (405,)),
        ("TRACE", lambda: get(base, "TRACE")[0], (405,)),
        ("bad percent", lambda: get(solve + "cost=%zz")[0], (400,)),
        ("not UTF-8", lambda: get(solve + "cost=%ff%fe")[0], (400,)),
        ("9 KB query", lambda: get(solve + "cost=" + "1" * 9000)[0], (400,)),
        ("100 parameters", lambda: get(solve + "&".join(f"p{n}=1" for n in range(100)))[0], (400,)),
        ("unknown control", lambda: get(solve + "bogus=1&municipalities.table=/etc/passwd")[0], (400,)),
        ("garbage line", lambda: raw(port, b"\x00\xff garbage\r\n\r\n"), (400,)),
        ("400 digits", lambda: get(solve + "cost=" + "9" * 400)[0], (400,)),
        ("5,000 digits", lambda: get(solve + "quality=" + "9" * 5000)[0], (400,)),
        ("nested 1,000 deep", lambda: get(solve + "cost=" + nested)[0], (400,)),
        ("alias bomb", lambda: get(solve + "cost=" + urllib.parse.quote(ALIAS_BOMB))[0], (400,)),
        ("nan", lambda: get(solve + "cost=nan")[0], (400,)),
        (
            "closed explanation",
            lambda: raw(port, b"GET /api/explain?quality=0.7 HTTP/1.1\r\nHost: x\r\n\r\n", close_at_once=True),
            (0,),
        ),
        (
            "closed solve",
            lambda: raw(port, b"GET /api/solve?quality=0.9 HTTP/1.1\r\nHost: x\r\n\r\n", close_at_once=True),
            (0,),
        ),
    ]


#: the issue's 400-byte kind: nine levels of nine aliases each, 9^9 values once expanded
ALIAS_BOMB = (
    "["
    + ", ".join([f"&a0 [{', '.join(['1'] * 9)}]"] + [f"&a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)])
    + "]"
)


def soak(server: subprocess.Popen[str], base: str, clients: int, seconds: float) -> None:
    port = int(base.rsplit(":", 1)[1].strip("/"))
    log: list[str] = []

    def read_log() -> None:  # the server's stderr, kept: a traceback there is a finding
        assert server.stderr is not None
        for line in server.stderr:
            log.append(line.rstrip("\n"))

    threading.Thread(target=read_log, daemon=True).start()
    lock = threading.Lock()
    well: collections.Counter[str] = collections.Counter()
    hostile: dict[str, collections.Counter[int]] = collections.defaultdict(collections.Counter)
    wrong: list[str] = []
    started = time.monotonic()
    deadline = started + seconds
    requests = hostile_requests(base, port)

    def page(url: str) -> str:
        """A page's request: busy answers waited out (Retry-After, spread) until the soak ends."""
        attempt = 0
        while True:
            try:
                status, document, headers = get(url)
            except OSError as error:
                return f"failed ({type(error).__name__})"
            if status == 503 and document.get("status") == "busy":
                with lock:
                    well["busy answers (503, waited out)"] += 1
                attempt += 1
                pause = float(headers.get("Retry-After", 5)) * min(attempt, 4) * (1 + random.random() / 2)
                if time.monotonic() + pause > deadline:
                    time.sleep(max(0.0, deadline - time.monotonic()))
                    return "still busy when the soak ended"
                time.sleep(pause)
                continue
            if status == 200 and document.get("status") in ("optimal", "feasible", "explained", "none", "superseded"):
                return "answered"
            return f"HTTP {status} {document.get('status')}"

    def client(number: int) -> None:
        own = random.Random(1000 + number)
        while time.monotonic() < deadline:
            if number % 4 == 3:  # a quarter of the clients are hostile, one request a second or so
                kind, request, right = own.choice(requests)
                try:
                    status = request()
                except OSError:
                    status = -1
                with lock:
                    hostile[kind][status] += 1
                    if status not in right:
                        wrong.append(f"{kind}: {status}")
                time.sleep(own.uniform(0.2, 1.5))
                continue
            query = f"client=c{number}&{change(own)}"
            outcome = page(f"{base}api/solve?{query}")
            explained = page(f"{base}api/explain?{query}") if outcome == "answered" and own.random() < 0.3 else None
            with lock:
                well["solves"] += 1
                well[f"solve {outcome}"] += 1
                if explained is not None:
                    well["explanations"] += 1
                    well[f"explanation {explained}"] += 1

    marks = (min(60.0, seconds / 5), seconds)
    memory: list[tuple[float, float]] = [(0.0, rss_mb(server.pid))]
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for mark in marks:
        time.sleep(max(0.0, started + mark - time.monotonic()))
        memory.append((mark, rss_mb(server.pid)))
        print(f"  {mark:.0f} s: server RSS {memory[-1][1]:.0f} MB", flush=True)
    for thread in threads:
        thread.join(timeout=660)
    stragglers = sum(thread.is_alive() for thread in threads)
    alive = server.poll() is None
    # a well-formed request once the hostile ones have stopped: the server still answers
    after = page(f"{base}api/solve?client=after&quality=0.3") if alive else "server gone"
    asked = well["solves"] + well["explanations"]
    answered = well["solve answered"] + well["explanation answered"]
    first, last = memory[1][1], memory[2][1]
    print(
        f"soak: {clients} clients for {seconds:.0f} s, RSS at start {memory[0][1]:.0f} MB, at {marks[0]:.0f} s "
        f"{first:.0f} MB, at {marks[1]:.0f} s {last:.0f} MB (growth {last - first:+.0f} MB; target at most +50 MB: "
        f"{'met' if last <= first + 50 else 'NOT met'})"
    )
    print(
        f"well-formed: {asked} requests ({well['solves']} solves, {well['explanations']} explanations), "
        f"{answered} answered ({100 * answered / max(asked, 1):.1f} %); "
        + ", ".join(f"{k} {v}" for k, v in sorted(well.items()) if k not in ("solves", "explanations"))
    )
    print(f"after the soak: a fresh solve {after}; clients still waiting at the end: {stragglers}")
    print("hostile: " + "; ".join(f"{kind} {dict(counts)}" for kind, counts in sorted(hostile.items())))
    print(f"hostile answered otherwise than expected: {len(wrong)}" + (f" ({wrong[:5]})" if wrong else ""))
    traces = sum("Traceback" in line for line in log)
    print(f"server log: {len(log)} lines, {traces} tracebacks" + (f"; e.g. {log[:3]}" if log else ""))


if __name__ == "__main__":
    main()
