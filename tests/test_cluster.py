"""The Dask back end against a real cluster on localhost: a `dask scheduler` and `dask worker`
processes, started here and stopped after. Results equal the local back end's; a worker killed
mid-run costs nothing but time; an unreachable scheduler is bad input within seconds."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import invoke

from inputs import load_scenario
from optimizer.cluster import DaskExecutor
from optimizer.endstates import solve_end_states
from optimizer.executor import SerialExecutor

DASK = str(Path(sys.executable).with_name("dask"))


class Cluster:
    def __init__(self, folder: Path, workers: int) -> None:
        path = folder / "scheduler.json"
        self.processes: list[subprocess.Popen[bytes]] = []
        self.processes.append(
            self._start(
                "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(path)
            )
        )
        deadline = time.monotonic() + 60
        while not path.exists() or not path.read_text(encoding="utf-8").strip():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.2)
        self.address = json.loads(path.read_text(encoding="utf-8"))["address"]
        self.workers = [
            self._start("worker", self.address, "--nthreads", "1", "--no-dashboard", "--name", f"w{n}")
            for n in range(workers)
        ]
        self.processes += self.workers
        executor = DaskExecutor(self.address)
        try:
            while executor.workers < workers:
                assert time.monotonic() < deadline, "the workers did not join"
                time.sleep(0.2)
        finally:
            executor.close()

    @staticmethod
    def _start(*args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen([DASK, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        """A test cluster holds nothing worth a graceful shutdown (which takes Dask seconds)."""
        for process in self.processes:
            process.kill()
        for process in self.processes:
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """One cluster for the tests that leave it whole."""
    running = Cluster(tmp_path_factory.mktemp("dask"), workers=2)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def own_cluster(tmp_path: Path) -> Iterator[Cluster]:
    """A cluster of its own, for a test that kills one of its workers."""
    running = Cluster(tmp_path, workers=2)
    try:
        yield running
    finally:
        running.stop()


def objectives(results: list) -> dict[str, float | None]:  # type: ignore[type-arg]
    return {label: result.report.objective for label, result in results}


def test_the_cluster_gives_the_local_answers(cluster: Cluster) -> None:
    scenario = load_scenario("helden")
    local = solve_end_states(scenario, scenario.solver, executor=SerialExecutor())
    executor = DaskExecutor(cluster.address)
    try:
        remote = solve_end_states(scenario, scenario.solver, executor=executor)
    finally:
        executor.close()
    assert objectives(remote) == pytest.approx(objectives(local), rel=1e-9)


def test_a_worker_killed_mid_run_costs_nothing_but_time(own_cluster: Cluster) -> None:
    cluster = own_cluster
    scenario = load_scenario("kempen")
    local = solve_end_states(scenario, scenario.solver, executor=SerialExecutor())
    executor = DaskExecutor(cluster.address)
    killed: list[str] = []

    def kill_one(line: str) -> None:
        if not killed:  # after the first solve comes back, one worker dies with what it holds
            cluster.workers[0].kill()
            killed.append(line)

    try:
        remote = solve_end_states(scenario, scenario.solver, executor=executor, progress=kill_one)
    finally:
        executor.close()
    assert killed and cluster.workers[0].poll() is not None
    assert objectives(remote) == pytest.approx(objectives(local), rel=1e-9)


def test_the_command_line_runs_a_study_on_the_cluster(cluster: Cluster) -> None:
    result = invoke("endstates", "helden", "--scheduler", cluster.address)
    assert result.exit_code == 0, result.output
    assert f"Dask cluster at {cluster.address}: 2 workers" in result.stderr
    assert "free optimum" in result.stdout


def test_an_unreachable_scheduler_is_bad_input_within_seconds() -> None:
    started = time.monotonic()
    result = invoke("endstates", "helden", "--scheduler", "tcp://127.0.0.1:9")
    assert time.monotonic() - started < 30  # not a hang: the connection gives up after 5 s
    assert result.exit_code == 2
    assert "--scheduler: cannot reach the Dask scheduler at tcp://127.0.0.1:9 within 5 s" in result.output
    both = invoke("endstates", "helden", "--scheduler", "tcp://127.0.0.1:9", "--workers", "2")
    assert both.exit_code == 2
    assert "--workers: give --scheduler (a running cluster) or --workers (a local one), not both" in both.output


def test_a_robustness_study_on_the_cluster_gives_the_local_draws(cluster: Cluster) -> None:
    from optimizer.robust import run

    scenario = load_scenario("beek")
    local = run(scenario, scenario.solver, 6, seed=5, executor=SerialExecutor())
    executor = DaskExecutor(cluster.address)
    try:
        remote = run(scenario, scenario.solver, 6, seed=5, executor=executor)
    finally:
        executor.close()
    there, here = remote.draws_table(), local.draws_table()
    assert there["status"].tolist() == here["status"].tolist() == ["optimal"] * 6
    for column in ("objective_eur", "nominal_objective_eur", "regret_eur", "cash_regret_eur"):
        assert there[column].tolist() == pytest.approx(here[column].tolist(), rel=1e-9, abs=1e-6), column
    assert remote.summary()["nominal_optimal"] == local.summary()["nominal_optimal"]
