"""An explanation repeats (issue 22): its re-solves are bounded by the solver's work, not by seconds,
so the same inputs give the same explanation on an idle machine and beside a CPU hog."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from typing import Any

import pytest

from inputs import load_scenario
from optimizer import explain as explaining
from optimizer import optimize
from optimizer.explain import Explanation, explain

#: three domains: some re-solves stop at their work limit, so a bound in seconds would show
THREE = ["domains=[hr, taxes, enforcement]"]


def _explained() -> Explanation:
    scenario = load_scenario("kempen", THREE)
    result = optimize(scenario, explain_rejection=False)
    assert result.chosen is not None and result.configuration is not None
    return explain(result.instance, result.chosen, result.configuration, result.baseline, result.report.options)


def _figures(explanation: Explanation) -> tuple[Any, ...]:
    """Everything an explanation says, but its seconds."""
    ups = tuple(
        (r.choice, r.forbidden, r.status, r.margin, r.margin_at_least, r.instead) for r in explanation.runner_ups
    )
    flips = tuple((f.figure.key, f.direction, f.at, f.proven, f.solves, f.to) for f in explanation.flips)
    return ups, flips, explanation.solves, explanation.failed, explanation.timed_out


def test_every_margin_and_flip_point_is_proven_where_more_work_proves_it() -> None:
    """A re-solve that stops at its work limit undecided is asked again with more work (issue 22:
    'every margin proven, every flip point bracketed by two proven solves')."""
    explanation = _explained()
    assert explanation.runner_ups and all(r.margin_at_least is None for r in explanation.runner_ups)
    assert explanation.flips and all(f.proven for f in explanation.flips)
    assert not explanation.failed


def test_an_explanation_is_the_same_beside_a_cpu_hog(monkeypatch: pytest.MonkeyPatch) -> None:
    # without asking again, and with half the work the first try once had (6 check-ins, not the 96
    # it has now), some re-solves end at their work limit (6 of 40 flip points): a limit in seconds
    # would show. At more work the coordination rows at memberships elsewhere let every one finish
    monkeypatch.setattr(explaining, "ESCALATIONS", 0)
    monkeypatch.setattr(explaining, "RESOLVE_WORK", 6)
    idle = _figures(_explained())
    assert any(not proven for *_rest, proven, _solves, _to in idle[1]), "no re-solve met its work limit"
    assert idle[-1] == (), "the time limit, not the work limit, ended a re-solve"
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(3)]
    try:
        busy = _figures(_explained())
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    assert busy == idle


def test_what_the_time_limit_cut_short_is_named_as_such() -> None:
    """The one wall-clock limit inside an explanation is the user's time limit: a part it cut short
    may read otherwise on another machine, so it is named, and its notes say 'time limit'; a part
    its work limit left unproven is not (above: none is, idle or beside a CPU hog)."""
    from visuals import why

    scenario = load_scenario("kempen", ["domains=[taxes]", "structures=[centre, working_group]"])
    result = optimize(scenario, explain_rejection=False)
    assert result.chosen is not None and result.configuration is not None
    options = replace(result.report.options, time_limit=1e-3)  # every re-solve that needs a search meets it
    explanation = explain(result.instance, result.chosen, result.configuration, result.baseline, options)
    assert not explanation.failed
    ups, flips = explanation.runner_ups, explanation.flips
    # a re-solve that HiGHS's presolve proves (here: without the centre) is not cut short
    assert all(r.timed_out == (str(r.status) != "optimal") for r in ups) and any(r.timed_out for r in ups)
    assert sum(f.timed_out for f in flips) >= 10 and all(f.timed_out for f in flips if not f.proven)
    cash_alone = explanation.cash_alone  # None where nothing was found in time
    assert cash_alone is None or str(cash_alone.status) == "feasible"
    assert len(explanation.timed_out) == 1 + sum(r.timed_out for r in ups) + sum(f.timed_out for f in flips)
    assert explanation.timed_out[0] == "on cash alone"
    notes = why.runner_up_table(explanation, result.name_of, 1).iloc[:, -1]
    for runner_up, note in zip(ups, notes, strict=True):
        if not runner_up.timed_out:
            assert "time" not in note, note
        elif runner_up.margin is None:  # nothing found before the limit (a busy machine)
            assert note.startswith("none found in the time given"), note
        else:
            assert note.startswith("not proven best (time limit): the margin may be smaller"), note
    assert why.clock_text(explanation).startswith(
        "Cut short by the 0.001 s time limit, not by their limit on work, so these may read otherwise on a "
        "faster or less busy machine: on cash alone; "
    )
    assert why.clock_text(explanation, "nl").startswith("Afgebroken door de tijdslimiet van 0,001 s")
    assert ", not proven, time limit)" in why.steady_text(explanation)
    ample = explain(result.instance, result.chosen, result.configuration, result.baseline, result.report.options)
    assert ample.timed_out == () and why.clock_text(ample) == ""
    assert all(r.margin is not None and not r.timed_out for r in ample.runner_ups)


def test_a_task_without_an_answer_says_why() -> None:
    import threading

    from optimizer.executor import SerialExecutor

    scenario = load_scenario("kempen", ["domains=[taxes]", "structures=[centre, working_group]"])
    result = optimize(scenario, explain_rejection=False)
    assert result.chosen is not None and result.configuration is not None
    stop = threading.Event()
    stop.set()  # Ctrl-C before the explanation starts: no task runs
    explanation = explain(
        result.instance,
        result.chosen,
        result.configuration,
        result.baseline,
        result.report.options,
        executor=SerialExecutor(stop),
    )
    assert explanation.failed
    assert all(entry.endswith(" (stopped by Ctrl-C)") for entry in explanation.failed), explanation.failed
    assert "on cash alone (stopped by Ctrl-C)" in explanation.failed


def test_an_explanation_is_the_same_in_this_process_and_in_workers_beside_it() -> None:
    """`AlongsideExecutor` runs tasks on a thread here and in a worker process: each task's answer
    depends on its inputs alone, so the explanation is the one-process one, in the same order."""
    from optimizer.alongside import AlongsideExecutor
    from optimizer.executor import SerialExecutor

    scenario = load_scenario("kempen", THREE)
    result = optimize(scenario, explain_rejection=False)
    assert result.chosen is not None and result.configuration is not None
    explained = []
    for executor in (SerialExecutor(), AlongsideExecutor(2)):
        with executor:
            explained.append(
                _figures(
                    explain(
                        result.instance,
                        result.chosen,
                        result.configuration,
                        result.baseline,
                        result.report.options,
                        executor=executor,
                    )
                )
            )
    assert explained[0] == explained[1]


def _fails_on_three(task: int, stop: Any, progress: Any = None) -> int:
    if task == 3:
        raise ValueError("three")
    return task * 10


def test_tasks_beside_this_process_keep_their_order_and_say_what_failed_or_stopped() -> None:
    import threading

    from optimizer.alongside import AlongsideExecutor
    from optimizer.executor import Ended

    tasks = [(f"task {n}", n) for n in range(8)]
    with AlongsideExecutor(2) as executor:
        outcomes = executor.run(_fails_on_three, tasks)
    assert [o.value for o in outcomes] == [0, 10, 20, None, 40, 50, 60, 70]
    assert isinstance(outcomes[3].error, ValueError) and outcomes[3].label == "task 3"
    stop = threading.Event()
    stop.set()
    with AlongsideExecutor(2, stop) as executor:
        stopped = executor.run(_fails_on_three, tasks)
    assert [o.ended for o in stopped] == [Ended.STOPPED] * len(tasks)


def _dies_in_a_worker(task: int, stop: Any, progress: Any = None) -> int:
    import multiprocessing
    import os
    import time

    if multiprocessing.parent_process() is None:
        time.sleep(0.3)  # here: slow, so that the workers are handed the next tasks meanwhile
    elif task == 2:
        os._exit(3)  # a crash in the solver, every time it runs in a worker
    return task * 10


def test_a_task_whose_worker_dies_is_asked_again_alone_and_the_rest_are_answered() -> None:
    from optimizer.alongside import AlongsideExecutor

    tasks = [(f"task {n}", n) for n in range(6)]
    with AlongsideExecutor(2) as executor:
        outcomes = executor.run(_dies_in_a_worker, tasks)
    assert [o.value for o in outcomes] == [0, 10, None, 30, 40, 50]
    assert outcomes[2].error is not None and outcomes[2].label == "task 2"


_RAN_HERE: list[int] = []


def _slow_here(task: int, stop: Any, progress: Any = None) -> int:
    import time

    _RAN_HERE.append(task)
    time.sleep(0.4)
    return task


def test_after_an_overrun_the_thread_here_takes_no_other_task() -> None:
    import time

    from optimizer.alongside import AlongsideExecutor
    from optimizer.executor import Ended

    _RAN_HERE.clear()
    with AlongsideExecutor(1) as executor:  # this process alone
        outcomes = executor.run(_slow_here, [(f"task {n}", n) for n in range(6)], limit_s=0.1)
    in_hand = len(_RAN_HERE)
    time.sleep(1.5)  # time for three more tasks, were the thread to go on
    assert len(_RAN_HERE) == in_hand
    assert [o.ended for o in outcomes][in_hand:] == [Ended.OVERRAN] * (6 - in_hand)
