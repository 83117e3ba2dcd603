"""Solve a large scenario as independent parts (one per province) and join the answers.

The national model is too large for its LP relaxation to be solved within minutes (docs/model.md), while
a province's model solves in seconds. Solving every province on its own and joining the answers gives a
configuration that obeys every rule, because each part obeys them and the parts share no municipality.
What is lost is every pool that would cross a province border, so the joined answer is feasible, not
proven optimal: no bound holds for the whole, and the report says so. The parts run as tasks on an
executor (`optimizer.pipeline`); this module only splits and joins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from inputs.labels import language, number, says
from inputs.problems import Problems
from inputs.types import Scenario, SolverOptions
from optimizer.evaluate import Evaluation, evaluate
from optimizer.executor import Ended, lost_mark, lost_reason
from optimizer.instance import Configuration, Instance
from optimizer.result import ModelSize, Result
from optimizer.solve import SolverReport, Status, report_without_solution

if TYPE_CHECKING:
    from optimizer.executor import Outcome
    from optimizer.task import Solved


def no_whole_bound() -> str:
    """What the reason of a province split ends with (the whole stage of province+whole takes it off)."""
    return says(
        "; pools do not cross province borders and no bound holds for the whole",
        "; pools gaan niet over provinciegrenzen en geen grens geldt voor het geheel",
    )


@dataclass(frozen=True)
class Part:
    name: str
    scenario: Scenario


def screen_split(scenario: Scenario) -> None:
    """Refuse a split that would break a rule spanning provinces (rather than drop it silently)."""
    problems = Problems()
    where = f"{Path(scenario.source).name}, solver.decompose"
    province = {m.code: m.province for m in scenario.municipalities}
    missing = sorted(m.name for m in scenario.municipalities if not m.province)
    if missing:
        named = ", ".join(missing[:5])
        problems.add(
            where,
            says(
                f"province is unknown for {named}; give every municipality a province",
                f"de provincie is onbekend voor {named}; geef elke gemeente een provincie",
            ),
        )
    # a count of zero (the status quo) holds in every part; a positive count across the region does not
    for key in ("max_pools", "max_matrix_units"):
        if getattr(scenario.limits, key):
            problems.add(
                where,
                says(
                    f"limits.{key} counts across the whole scenario; it cannot be split by province",
                    f"limits.{key} telt over het hele scenario; het kan niet per provincie worden gesplitst",
                ),
            )
    capped = sorted(p.name for p in scenario.providers if p.capacity_fte is not None)
    if capped:
        named = ", ".join(capped)
        problems.add(
            where,
            says(
                f"provider capacity ({named}) is shared by all provinces; it cannot be split",
                f"de capaciteit van aanbieders ({named}) wordt door alle provincies gedeeld; "
                "ze kan niet worden gesplitst",
            ),
        )
    for forced in scenario.politics.forced_pairs:
        if province.get(forced.a) != province.get(forced.b):
            problems.add(
                where,
                says(
                    f"the forced pair {forced.a}-{forced.b} crosses a province border",
                    f"het verplichte paar {forced.a}-{forced.b} ligt over een provinciegrens",
                ),
            )
    problems.raise_if_any()


def restrict(scenario: Scenario, codes: Iterable[str], name: str) -> Scenario:
    """The scenario for some of its municipalities, with the ties, adjacency and rules among them
    (a rule that names a municipality outside them does not apply)."""
    inside = set(codes)
    politics = scenario.politics
    return replace(
        scenario,
        name=name,
        municipalities=tuple(m for m in scenario.municipalities if m.code in inside),
        adjacency=frozenset(p for p in scenario.adjacency if p[0] in inside and p[1] in inside),
        ties=frozenset(p for p in scenario.ties if p[0] in inside and p[1] in inside),
        politics=replace(
            politics,
            excluded={code: d for code, d in politics.excluded.items() if code in inside},
            forced={code: d for code, d in politics.forced.items() if code in inside},
            willingness={code: w for code, w in politics.willingness.items() if code in inside},
            forced_pairs=tuple(p for p in politics.forced_pairs if p.a in inside and p.b in inside),
            excluded_pairs=frozenset(p for p in politics.excluded_pairs if p[0] in inside and p[1] in inside),
        ),
    )


def split_by_province(scenario: Scenario) -> list[Part]:
    """One scenario per province, with the ties, adjacency and pair rules that stay inside it; the
    largest first, so that the slowest part does not start last."""
    groups: dict[str, list[str]] = defaultdict(list)
    for municipality in scenario.municipalities:
        groups[municipality.province].append(municipality.code)
    parts = [
        Part(province, restrict(scenario, codes, f"{scenario.name}: {province}")) for province, codes in groups.items()
    ]
    return sorted(parts, key=lambda part: -len(part.scenario.municipalities))


def _size(solved: Sequence[Solved], parts: int) -> ModelSize:
    return ModelSize(
        variables=sum(s.size.variables for s in solved),
        binaries=sum(s.size.binaries for s in solved),
        constraints=sum(s.size.constraints for s in solved),
        formulation="/".join(sorted({s.size.formulation for s in solved if s.size.formulation})),
        parts=parts,
    )


def _reason(solved: Sequence[tuple[Part, Solved]], kept: Sequence[Part], total: int, lost: set[str]) -> str:
    proven = sum(s.report.status is Status.OPTIMAL for _p, s in solved)
    others = [s.report for _p, s in solved if s.report.status is not Status.OPTIMAL]
    lang = language()
    text = says(
        f"solved as {total} provinces ({proven} proven optimal",
        f"opgelost als {total} provincies ({proven} bewezen optimaal",
    )
    if others:
        gaps = [r.gap for r in others]
        if any(gap is None for gap in gaps):
            text += says(f", {len(others)} without a known gap", f", {len(others)} zonder bekende afstand")
        else:
            within = number(100 * max(g for g in gaps if g is not None), 2, lang)
            text += says(f", the others within {within} %", f", de andere binnen {within} %")
    text += ")"
    as_they_are = says("kept as they are (nothing pooled there)", "gelaten zoals ze zijn (daar geen pools)")
    stopped = [p.name for p in kept if p.name not in lost]
    if stopped:
        text += says("; interrupted: ", "; onderbroken: ") + f"{', '.join(stopped)} {as_they_are}"
    if lost & {p.name for p in kept}:
        names = ", ".join(p.name for p in kept if p.name in lost)
        text += f"; {lost_mark()}: {names} {as_they_are}"
    return text + no_whole_bound()


def join_parts(
    instance: Instance,
    baseline: Evaluation,
    options: SolverOptions,
    parts: Sequence[Part],
    outcomes: Sequence[Outcome[Solved]],
    seconds: float,
) -> Result:
    """One answer from the parts' answers. After Ctrl-C a part without an answer keeps its status quo
    (when that obeys the rules), so what finished is kept; a part that failed otherwise fails the whole."""
    solved = [(part, o.value) for part, o in zip(parts, outcomes, strict=True) if o.value is not None]
    size = _size([s for _p, s in solved], len(parts))
    build_seconds = sum(s.build_seconds for _p, s in solved)
    interrupted = any(o.cancelled for o in outcomes) or any(s.report.interrupted for _p, s in solved)
    lost = {p.name for p, o in zip(parts, outcomes, strict=True) if o.ended is Ended.LOST}
    unsolved = [p for p, s in solved if s.configuration is None] + [
        p for p, o in zip(parts, outcomes, strict=True) if o.value is None
    ]
    kept: list[Part] = []
    configuration: Configuration = {}
    failure: SolverReport | None = None
    for part in unsolved:
        report = next((s.report for p, s in solved if p is part), None)
        if interrupted and (report is None or report.interrupted or report.status is Status.ERROR):
            status_quo = Instance(part.scenario).status_quo()
            if not evaluate(Instance(part.scenario), status_quo).violations:
                kept.append(part)
                configuration.update(status_quo)
                continue
        failure = failure or _failed(part, report, options, seconds, part.name in lost)
    if failure is not None or len(kept) == len(parts):
        failure = failure or _failed(parts[0], None, options, seconds, parts[0].name in lost)
        return Result(instance, None, None, baseline, failure, size, build_seconds)
    for _part, part_solved in solved:
        if part_solved.configuration is not None:
            configuration.update(part_solved.configuration)
    chosen = evaluate(instance, configuration)
    if chosen.violations:  # screen_split refuses every rule that spans provinces
        raise RuntimeError("the joined provinces break rules: " + "; ".join(chosen.violations))
    first = solved[0][1].report
    bounds = [s.report.bound for _p, s in solved if s.configuration is not None]
    parts_bound = sum(b for b in bounds if b is not None) if not kept and None not in bounds else None
    if parts_bound is not None:  # parts solved to optimality report their objective as their bound
        parts_bound = min(parts_bound, chosen.objective)
    report = SolverReport(
        status=Status.FEASIBLE,
        solver=first.solver,
        solver_version=first.solver_version,
        objective=chosen.objective,
        bound=None,
        gap=None,
        seconds=seconds,
        options=options,
        reason=_reason([(p, s) for p, s in solved if s.configuration is not None], kept, len(parts), lost),
        interrupted=interrupted,
        parts_bound=parts_bound,
        timed_out=any(s.report.timed_out for _p, s in solved),
    )
    return Result(instance, configuration, chosen, baseline, report, size, build_seconds)


def _failed(
    part: Part, report: SolverReport | None, options: SolverOptions, seconds: float, lost: bool = False
) -> SolverReport:
    """The whole has no answer because one part has none: that part's status and its own reason."""
    if report is None:
        why = lost_reason() if lost else says("not solved (stopped)", "niet opgelost (gestopt)")
        where = says(f"province {part.name}", f"provincie {part.name}")
        return report_without_solution(options, Status.ERROR, f"{where}: {why}", seconds, True)
    return replace(
        report,
        objective=None,
        bound=None,
        gap=None,
        seconds=seconds,
        options=options,
        reason=says(f"province {part.name}: ", f"provincie {part.name}: ") + report.describe(language()),
    )
