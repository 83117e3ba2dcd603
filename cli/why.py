"""The explanation of a solve (`--explain`, the default): when it runs, and how it is shown."""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from inputs.labels import sign_rule
from inputs.types import Scenario
from optimizer import Result, Status
from optimizer.conflicts import Conflict, explain_infeasible
from optimizer.control import Progress, StopFlag
from optimizer.executor import Executor, ProcessExecutor, local_executor
from optimizer.explain import Explanation, explain
from visuals import why

#: at most one progress line this often while an explanation runs
EVERY_S = 5.0
#: explained without being asked up to this many municipalities: a few dozen re-solves of a seed
#: region take seconds; of a province, hours
AUTO_MUNICIPALITIES = 30


def will_explain(scenario: Scenario, asked: bool | None) -> bool:
    """Whether a solve of `scenario` is to be explained: asked for, or small enough by default (and
    solved as one model)."""
    if scenario.solver.decompose != "none":
        return False
    return asked is True or (asked is None and len(scenario.municipalities) <= AUTO_MUNICIPALITIES)


def explainer(scenario: Scenario, asked: bool | None, jobs: int | None, stop: StopFlag) -> Executor:
    """The executor for an explanation; worker processes start at once, so they are ready (their
    imports done) by the time the answer to explain is found."""
    executor = local_executor(jobs, stop)
    if isinstance(executor, ProcessExecutor) and will_explain(scenario, asked):
        executor.start("optimizer.explain")
    return executor


def explain_result(
    result: Result,
    asked: bool | None,
    tie_percent: float,
    executor: Executor,
    say: Progress,
) -> Explanation | None:
    """Runner-ups and flip points for a proven answer; None (with the reason said) where they would
    mislead or take hours. `asked`: --explain (True), --no-explain (False), neither (None: by size)."""
    if asked is False or result.chosen is None or result.configuration is None:
        return None
    municipalities = len(result.instance.codes)
    if asked is None and municipalities > AUTO_MUNICIPALITIES:
        say(f"No explanation for {municipalities} municipalities without --explain (it re-solves dozens of times).")
        return None
    options = result.report.options
    if options.decompose != "none":
        say("No explanation: the scenario is solved province by province (use --decompose none).")
        return None
    if result.report.status is not Status.OPTIMAL:
        say("No explanation: the answer is not proven optimal, so margins against it would not hold.")
        return None
    say("Explaining: runner-up hosts and structures, and the figures that would flip the advice...")
    started = time.monotonic()
    last = [started]

    def throttled(line: str) -> None:
        now = time.monotonic()
        if now - last[0] >= EVERY_S:
            last[0] = now
            say(line)

    explanation = explain(
        result.instance,
        result.chosen,
        result.configuration,
        result.baseline,
        options,
        tie_share=tie_percent / 100,
        executor=executor,
        progress=throttled,
    )
    say(f"Explained in {time.monotonic() - started:.1f} s ({explanation.solves} re-solves).")
    if explanation.failed:
        say(f"Not explained: {'; '.join(explanation.failed)}.")
    return explanation


def explain_conflict(result: Result, asked: bool | None, stop: StopFlag, say: Progress) -> Conflict | None:
    """For a scenario the solver proved infeasible: which of its rules conflict (unless --no-explain)."""
    if asked is False or result.report.status is not Status.INFEASIBLE or result.report.seconds == 0:
        return None  # a screen's words (no solve) already name the rule
    say("No solution: looking for the rules that conflict (re-solving with rules relaxed one at a time)...")
    return explain_infeasible(result.instance.scenario, result.report.options, stop)


def conflict_lines(conflict: Conflict) -> list[str]:
    if not conflict.rules:
        return ["Even with every rule the scenario sets relaxed there is no solution."]
    lines = ["These rules cannot all hold (each is needed for the conflict):"]
    lines += [f"  - {rule.words} ({rule.key})" for rule in conflict.rules]
    for change in conflict.changes:
        lines.append(f"Changing one limit is enough: {change.key} from {change.used:g} to {change.needed:g}.")
    if not conflict.proven:
        lines.append("(A re-solve stopped at its time limit: the list may hold more rules than needed.)")
    return lines


def print_frame(console: Console, title: str, frame: Any) -> None:
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        table.add_column(str(column))
    for row in frame.itertuples(index=False):
        table.add_row(*(Text(str(value)) for value in row))
    console.print(table)


def render_split(result: Result, console: Console) -> None:
    summary = result.summary()
    if summary.cash_and_valuations is None:
        return
    print_frame(console, f"Cash and valuations against the status quo ({sign_rule()})", why.split_table(summary))
    console.print(Text(why.split_sentence(summary)))
    console.print(Text("What the valuations mean here:", style="bold"))
    for line in why.valuation_lines(result):
        console.print(Text(f"  {line}"))


def render_explanation(result: Result, explanation: Explanation, console: Console) -> None:
    namer, domains = result.name_of, len(result.instance.domains)
    headline = why.cash_headline(result, explanation)
    if headline:
        console.print(Text(headline, style="bold"))
    if explanation.runner_ups:
        print_frame(console, "Why this host and this structure", why.runner_up_table(explanation, namer, domains))
    for line in why.near_tie_lines(explanation, namer, domains):
        console.print(Text(line, style="yellow"))
    flips = why.flip_table(explanation, namer, domains)
    if len(flips):
        print_frame(console, "What would flip the advice", flips)
    steady = why.steady_text(explanation)
    if steady:
        console.print(Text(steady))
