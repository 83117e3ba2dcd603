"""The explanation of a solve (`--explain`, the default): when it runs, and how it is shown."""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli import early
from inputs.labels import language, number, says, sign_rule, text
from inputs.types import Scenario
from optimizer import Result, Status
from optimizer.alongside import AlongsideExecutor
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
    """The executor for an explanation: this process and, with more than one job, worker processes
    beside it (`optimizer.alongside`), which start at once, so that their imports are done by the
    time the answer to explain is found."""
    executor = local_executor(jobs, stop)
    if not isinstance(executor, ProcessExecutor):
        early.end()
        return executor
    alongside = AlongsideExecutor(executor.workers, stop)
    if not will_explain(scenario, asked):
        early.end()
        return alongside
    started = early.take(alongside.processes)
    if started is not None:
        alongside.adopt(*started)
    else:
        alongside.start("optimizer.explain")
    return alongside


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
        say(
            says(
                f"No explanation for {municipalities} municipalities without --explain (it re-solves dozens of times).",
                f"Geen uitleg voor {municipalities} gemeenten zonder --explain (die lost tientallen keren opnieuw op).",
            )
        )
        return None
    options = result.report.options
    if options.decompose != "none":
        say(
            says(
                "No explanation: the scenario is solved province by province (use --decompose none).",
                "Geen uitleg: het scenario is per provincie opgelost (gebruik --decompose none).",
            )
        )
        return None
    if result.report.status is not Status.OPTIMAL:
        say(
            says(
                "No explanation: the answer is not proven optimal, so margins against it would not hold.",
                "Geen uitleg: het antwoord is niet bewezen optimaal, dus marges ertegen zouden niet kloppen.",
            )
        )
        return None
    say(
        says(
            "Explaining: runner-up hosts and structures, and the figures that would flip the advice...",
            "Uitleggen: de op één na beste gastheergemeenten en vormen, en de kengetallen die het advies "
            "doen omslaan...",
        )
    )
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
    seconds = number(time.monotonic() - started, 1, language())
    say(
        says(
            f"Explained in {seconds} s ({explanation.solves} re-solves).",
            f"Uitgelegd in {seconds} s ({explanation.solves} keer opnieuw opgelost).",
        )
    )
    if explanation.failed:
        say(says("Not explained: ", "Niet uitgelegd: ") + "; ".join(explanation.failed) + ".")
    return explanation


def explain_conflict(result: Result, asked: bool | None, stop: StopFlag, say: Progress) -> Conflict | None:
    """For a scenario the solver proved infeasible: which of its rules conflict (unless --no-explain)."""
    if asked is False or result.report.status is not Status.INFEASIBLE or result.report.seconds == 0:
        return None  # a screen's words (no solve) already name the rule
    say(
        says(
            "No solution: looking for the rules that conflict (re-solving with rules relaxed one at a time)...",
            "Geen oplossing: zoeken naar de regels die botsen (opnieuw oplossen met telkens één regel losgelaten)...",
        )
    )
    return explain_infeasible(result.instance.scenario, result.report.options, stop)


def conflict_lines(conflict: Conflict, lang: str = "en") -> list[str]:
    if not conflict.rules:
        return [
            text(
                lang,
                "Even with every rule the scenario sets relaxed there is no solution.",
                "Ook met elke regel van het scenario losgelaten is er geen oplossing.",
            )
        ]
    lines = [
        text(
            lang,
            "These rules cannot all hold (each is needed for the conflict):",
            "Deze regels kunnen niet alle gelden (elk is nodig voor het conflict):",
        )
    ]
    lines += [f"  - {rule.words} ({rule.key})" for rule in conflict.rules]
    for change in conflict.changes:
        used, needed = number(change.used, 2, lang), number(change.needed, 2, lang)
        lines.append(
            text(
                lang,
                f"Changing one limit is enough: {change.key} from {used} to {needed}.",
                f"Eén grens veranderen is genoeg: {change.key} van {used} naar {needed}.",
            )
        )
    if not conflict.proven:
        lines.append(
            text(
                lang,
                "(A re-solve stopped at its time limit: the list may hold more rules than needed.)",
                "(Een herberekening stopte bij haar tijdslimiet: de lijst kan meer regels bevatten dan nodig.)",
            )
        )
    return lines


def print_frame(console: Console, title: str, frame: Any) -> None:
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        table.add_column(str(column))
    for row in frame.itertuples(index=False):
        table.add_row(*(Text(str(value)) for value in row))
    console.print(table)


def render_split(result: Result, console: Console, lang: str = "en") -> None:
    summary = result.summary(lang)
    if summary.cash_and_valuations is None:
        return
    print_frame(
        console,
        text(
            lang,
            f"Cash and valuations against the status quo ({sign_rule(lang)})",
            f"Geld en waarderingen tegenover de huidige situatie ({sign_rule(lang)})",
        ),
        why.split_table(summary, lang),
    )
    console.print(Text(why.split_sentence(summary, lang)))
    console.print(
        Text(text(lang, "What the valuations mean here:", "Wat de waarderingen hier betekenen:"), style="bold")
    )
    for line in why.valuation_lines(result, lang):
        console.print(Text(f"  {line}"))


def render_explanation(result: Result, explanation: Explanation, console: Console, lang: str = "en") -> None:
    namer, domains = result.name_of, len(result.instance.domains)
    headline = why.cash_headline(result, explanation, lang)
    if headline:
        console.print(Text(headline, style="bold"))
    if explanation.runner_ups:
        print_frame(
            console,
            text(lang, "Why this host and this structure", "Waarom deze gastheergemeente en deze vorm"),
            why.runner_up_table(explanation, namer, domains, lang),
        )
    for line in why.near_tie_lines(explanation, namer, domains, lang):
        console.print(Text(line, style="yellow"))
    flips = why.flip_table(explanation, namer, domains, lang)
    if len(flips):
        print_frame(console, text(lang, "What would flip the advice", "Wat het advies doet omslaan"), flips)
    steady = why.steady_text(explanation, lang)
    if steady:
        console.print(Text(steady))
    clock = why.clock_text(explanation, lang)
    if clock:
        console.print(Text(clock, style="yellow"))
