"""A whole model solved in a worker process of its own (a scenario of more than `pipeline.BIG`
services) whose process dies under it: the run names the death and how it came (the signal), solves
once more in a fresh process within what is left of the time limit, and a second death ends the run
with exit 70, one clear line and nothing written. The workers are killed for real with SIGKILL;
`BIG` is lowered so that the Kempen takes the same path as the national model."""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from clirun import invoke
from killer import Killer, workers_of

from inputs import load_scenario
from optimizer import optimize, pipeline
from optimizer.solve import Status


@pytest.fixture()
def alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every model is solved in a worker process of its own, as a big one is."""
    monkeypatch.setattr(pipeline, "BIG", 0)


def test_a_killed_worker_is_named_and_the_model_solved_again_in_a_new_one(alone: None) -> None:
    scenario = load_scenario("kempen")
    expected = optimize(scenario)  # in this process: the same model, never killed
    lines: list[str] = []
    with Killer(1) as killer:
        result = optimize(scenario, progress=lines.append)
    assert len(killer.killed) == 1
    died = [line for line in lines if "ended abruptly" in line]
    assert len(died) == 1, lines
    found = re.fullmatch(
        rf"  the worker process solving the model ended abruptly \(worker process {killer.killed[0]} was killed by "
        r"signal 9 \(SIGKILL\)\); solving it again in a new one within the (\d+\.\d) s left of the time limit",
        died[0],
    )
    assert found, died
    assert 0 < float(found.group(1)) <= scenario.solver.time_limit
    assert result.report.status is Status.OPTIMAL
    assert result.report.options.time_limit == scenario.solver.time_limit  # the user's limit, as asked
    assert result.chosen is not None and expected.chosen is not None
    assert result.chosen.objective == pytest.approx(expected.chosen.objective, rel=1e-9)
    assert workers_of(killer.parent) == []


def test_a_worker_killed_twice_ends_the_run_with_exit_70_and_nothing_written(alone: None, tmp_path: Path) -> None:
    out = tmp_path / "answer"
    with Killer(2) as killer:
        result = invoke("solve", "kempen", "--out", out)
    assert result.exit_code == 70, result.output
    first, second = killer.killed
    assert result.stderr.strip().splitlines()[-1] == (
        "internal error: solving the model in a worker process of its own failed twice: first worker process "
        f"{first} was killed by signal 9 (SIGKILL), then worker process {second} was killed by signal 9 (SIGKILL); "
        "nothing was written (running again may finish it)"
    )
    assert f"ended abruptly (worker process {first} was killed by signal 9 (SIGKILL))" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
    assert workers_of(killer.parent) == []


def test_in_dutch(alone: None) -> None:
    with Killer(2) as killer:
        result = invoke("solve", "kempen", "--lang", "nl")
    assert result.exit_code == 70, result.output
    first, second = killer.killed
    assert result.stderr.strip().splitlines()[-1] == (
        "interne fout: het oplossen van het model in een eigen werkproces mislukte twee keer: eerst werkproces "
        f"{first} is gestopt door signaal 9 (SIGKILL), daarna werkproces {second} is gestopt door signaal 9 "
        "(SIGKILL); er is niets geschreven (opnieuw draaien kan het afmaken)"
    )


def dies_after_its_limit(task: pipeline.SolveTask, stop: Any, progress: Any) -> Any:
    """A solve that ends its own process once its time limit has passed (a crash late in the search)."""
    time.sleep(task.options.time_limit + 0.2)
    os._exit(3)


def test_a_worker_that_dies_after_the_time_limit_is_not_asked_again() -> None:
    """The limit holds for the second attempt too: with none of it left there is none."""
    scenario = load_scenario("kempen")
    task = pipeline.SolveTask(scenario, replace(scenario.solver, time_limit=0.3))
    outcome = pipeline.solve_alone(dies_after_its_limit, "kempen", task, threading.Event(), None, print)
    assert isinstance(outcome.error, pipeline.SolveLost)
    (death,) = outcome.error.deaths
    assert str(outcome.error) == (
        f"solving 'kempen' in a worker process of its own failed (worker process {death.pid} exited with code 3) "
        "with nothing left of the 0.3 s time limit to solve it again"
    )


def test_in_a_study_the_killed_model_is_solved_again_and_the_others_kept(alone: None) -> None:
    scenario = load_scenario("kempen")
    cheaper = replace(scenario.solver, gap=0.01)
    named = [("plain", scenario, scenario.solver), ("1 % gap", scenario, cheaper)]
    lines: list[str] = []
    with Killer(1) as killer:
        results = pipeline.optimize_each(named, progress=lines.append)
    assert next(line for line in lines if "ended abruptly" in line).startswith(
        f"  the worker process solving the model ended abruptly (worker process {killer.killed[0]} was killed by "
    )
    expected = optimize(scenario).chosen
    (_, plain), (_, within_gap) = results
    assert expected is not None and plain.chosen is not None and within_gap.chosen is not None
    assert plain.report.status is Status.OPTIMAL
    assert plain.chosen.objective == pytest.approx(expected.objective, rel=1e-9)
    assert abs(within_gap.chosen.objective - expected.objective) <= 0.01 * abs(expected.objective)


def dies_at_once(task: pipeline.SolveTask, stop: Any, progress: Any) -> Any:
    """A solve whose process ends at once, every time (a crash inside the solver on this model)."""
    os._exit(9)


def test_province_then_whole_keeps_the_provinces_answer_when_the_whole_model_dies_twice(
    alone: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The provinces' joined answer is whole and checked before the whole stage starts: a whole model
    whose process dies twice loses its own attempt, not that answer, and the reason says so."""
    from test_decompose import provinces

    from inputs.labels import speaking

    scenario = provinces("Zeeland", "Flevoland")
    real = pipeline.solve_alone

    def whole_dies(function: Any, label: str, task: pipeline.SolveTask, *rest: Any) -> Any:
        return real(dies_at_once if label == "whole" else function, label, task, *rest)

    tails = {
        "en": r"; the whole model, started from that answer, could not be solved: solving 'whole' in a worker "
        r"process of its own failed twice: first worker process \d+ exited with code 9, then worker process \d+ "
        r"exited with code 9",
        "nl": r"; het hele model, gestart vanuit dat antwoord, kon niet worden opgelost: het oplossen van 'whole' in "
        r"een eigen werkproces mislukte twee keer: eerst werkproces \d+ stopte met afsluitcode 9, daarna werkproces "
        r"\d+ stopte met afsluitcode 9",
    }
    for lang, tail in tails.items():
        with speaking(lang):
            split = optimize(scenario, replace(scenario.solver, decompose="province"))
            with monkeypatch.context() as patched:
                patched.setattr(pipeline, "solve_alone", whole_dies)
                staged = optimize(scenario, replace(scenario.solver, decompose="province+whole"))
        assert staged.configuration == split.configuration
        assert staged.report.status is Status.FEASIBLE and staged.report.bound is None
        assert staged.report.objective == split.report.objective
        assert re.fullmatch(re.escape(split.report.reason) + tail, staged.report.reason), staged.report.reason
    assert split.report.reason.startswith("opgelost als ")
