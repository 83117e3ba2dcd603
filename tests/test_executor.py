"""Every command closes what it opens: a run that fails half-way leaves no worker process behind.

The checks look at real child processes of the test: multiprocessing's own list and the operating
system's (psutil), where a worker is a process started by `spawn_main`.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import psutil
import pytest
from clirun import invoke

from optimizer.executor import ProcessExecutor, _call, local_executor

#: Eersel must pool HR, but no host may absorb anyone's staff: solved, and proven infeasible, in a moment
INFEASIBLE = (
    "municipalities:\n  dataset: nl-2007\n  members: [Eersel, Bladel, Oirschot]\n"
    "domains: [hr]\nstructures: [centre]\nlimits: {host_capacity_factor: 0}\npolitics: {force: {Eersel: [hr]}}\n"
)


def workers_alive() -> list[str]:
    """The worker processes this test process still has, by multiprocessing's count and the system's."""
    found = [f"multiprocessing: {child.name} ({child.pid})" for child in multiprocessing.active_children()]
    for child in psutil.Process().children(recursive=True):
        try:
            if (
                child.is_running()
                and child.status() != psutil.STATUS_ZOMBIE
                and "spawn_main" in " ".join(child.cmdline())
            ):
                found.append(f"system: {child.pid}")
        except psutil.NoSuchProcess:
            pass
    return found


def test_workers_started_ahead_end_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError, match="half-way"), local_executor(2) as executor:
        assert isinstance(executor, ProcessExecutor)
        executor.start("optimizer.explain")
        assert len(workers_alive()) >= 2
        raise RuntimeError("half-way")
    assert workers_alive() == []


def test_a_task_that_raises_is_reported_and_its_workers_end() -> None:
    tasks = [("a number", (int, ("12",))), ("not a number", (int, ("twelve",)))]
    with ProcessExecutor(2) as executor:
        outcomes = executor.run(_call, tasks)
    assert [outcome.value for outcome in outcomes] == [12, None]
    assert isinstance(outcomes[1].error, ValueError)
    assert "twelve" in str(outcomes[1].error)
    assert workers_alive() == []


def test_a_solve_that_ends_before_its_explanation_leaves_no_worker(tmp_path: Path) -> None:
    """`--explain --jobs 2` starts the explanation's workers before solving; the solve finds no
    solution, so the explanation never runs them and the command exits 1 with them still idle."""
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(INFEASIBLE, encoding="utf-8")
    result = invoke("solve", scenario, "--explain", "--jobs", "2")
    assert result.exit_code == 1, result.output
    assert "No solution: infeasible" in result.stderr
    assert workers_alive() == []


def crash_once(marker: str) -> str:
    """Ends its worker process abruptly the first time (as the kernel's out-of-memory killer would)
    and answers the next time."""
    path = Path(marker)
    if not path.exists():
        path.write_text("crashed")
        os._exit(9)
    return "answered"


def crash_once_after(marker: str, sibling: str) -> str:
    """`crash_once`, once the sibling task has answered (and its answer has had time to reach the
    parent): a pool that breaks takes down every task it has not answered yet, and the test counts
    the tasks run again."""
    deadline = time.monotonic() + 60
    while not Path(sibling).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    return crash_once(marker)


def number_and_say_so(text: str, done: str) -> int:
    Path(done).write_text("answered")
    return int(text)


def test_tasks_lost_with_a_dead_worker_run_again_in_a_new_one(tmp_path: Path) -> None:
    marker, done = tmp_path / "crashed", tmp_path / "answered"
    tasks = [
        ("crashes once", (crash_once_after, (str(marker), str(done)))),
        ("a number", (number_and_say_so, ("12", str(done)))),
    ]
    lines: list[str] = []
    with ProcessExecutor(2) as executor:
        outcomes = executor.run(_call, tasks, lines.append)
    assert marker.exists()
    assert [outcome.value for outcome in outcomes] == ["answered", 12]
    died = [line for line in lines if "a worker process ended abruptly" in line]
    assert len(died) == 1 and re.fullmatch(
        r"  a worker process ended abruptly \(worker process \d+ exited with code 9\); "
        r"1 task\(s\) run again in new ones",
        died[0],
    ), lines
    assert workers_alive() == []


def test_a_task_that_kills_its_process_every_time_is_reported_and_takes_no_other_with_it() -> None:
    tasks = [("always crashes", (os._exit, (9,))), ("a number", (int, ("12",))), ("another", (int, ("7",)))]
    with ProcessExecutor(2) as executor:
        outcomes = executor.run(_call, tasks)
    assert isinstance(outcomes[0].error, BrokenProcessPool)
    assert re.fullmatch(r"worker process \d+ exited with code 9", str(outcomes[0].error)), outcomes[0].error
    assert [outcome.value for outcome in outcomes[1:]] == [12, 7]
    assert workers_alive() == []


def test_workers_started_as_the_command_is_read_are_taken_by_the_explanation() -> None:
    """`cli.early` starts the explanation's workers before seta's imports; the explanation takes
    them, and they end with it."""
    from cli import early

    early.begin(["seta", "solve", "kempen"])
    assert early._started is not None and workers_alive()
    result = invoke("solve", "kempen", "--explain")
    assert result.exit_code == 0, result.output
    assert "Explained in" in result.stderr
    assert early._started is None
    assert workers_alive() == []


@pytest.mark.parametrize("words", [["solve", "kempen", "--no-explain"], ["solve", "--jobs", "1"], ["robust"], []])
def test_no_workers_start_for_a_command_that_explains_on_none(words: list[str]) -> None:
    from cli import early

    early.begin(["seta", *words])
    assert early._started is None
    assert workers_alive() == []


def test_workers_started_for_a_solve_that_ends_in_bad_input_end_with_the_command(tmp_path: Path) -> None:
    """The real command, in a process of its own: its early workers end at exit (exit 2), none is
    left behind."""
    import subprocess
    import sys
    import time

    began = time.time()
    code = "import sys; sys.argv = ['seta', 'solve', 'no-such-scenario']; from cli.main import main; main()"
    command = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path
    )
    _out, err = command.communicate(timeout=120)
    assert command.returncode == 2, err
    assert "no such file and no built-in scenario" in err
    left = []  # its workers, or orphans of it (other tests' workers have their own parents)
    for process in psutil.process_iter(["cmdline", "create_time", "ppid"]):
        worker = "spawn_main" in " ".join(process.info["cmdline"] or [])
        if worker and process.info["create_time"] >= began and process.info["ppid"] in (command.pid, 1):
            left.append(process.pid)
    assert left == []
