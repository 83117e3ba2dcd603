"""A pathway over the years: from today's configuration to an end state, as one multi-period MIP.

    plan_pathway(scenario, today, target, settings, options) -> Pathway

The anchors are dynamic facility location (Van Roy & Erlenkotter 1982, Management Science 28) and
multi-period investment planning (PyPSA's investment periods). A pool is a set of placements at one
host under one structure (one unit of one domain, or a whole body of several domains). From a set of
candidate pools, each year t = 1..N chooses which run (binary run[p,t], with start and stop:
run[p,t] - run[p,t-1] = start[p,t] - stop[p,t]); each service is done by at most one running pool a
year, else in house. A pool's yearly effect, its one-off cost and its exit payment are the
evaluator's (`optimizer.evaluate`), not the MIP's; the matrix's coordination, which grows with the
units one municipality is in, is the only effect that is not a sum over pools and gets an epigraph
per municipality and year. A pool whose host and structure stay while members join or leave moves
(joiners pay their one-off, leavers their exit payment) instead of being undone and set up again.

The plan is checked year by year: every year's configuration goes to the evaluator, which must find
no broken rule (a rule the MIP does not carry as a row, such as the participation guarantee, is cut
off and re-solved) and the same yearly value as the MIP (else `ModelMismatch`: a seta bug). The
whole plan is then costed again by `account`, from the configurations alone.

The candidate pools restrict the plan: today's pools, the end state's and, to let a pool grow one
member at a time, the end state's pools on a chain of their members (nearest first). With a free end
state, the one-year optimum's pools and its close alternatives' are the candidates too, on their
chains as well: the plan is
then the best over those pools, a heuristic for the best over all configurations (docs/model.md).
"""

from __future__ import annotations

import math
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import pulp

from inputs.labels import says
from inputs.types import Scenario, SolverOptions, StructureParams
from optimizer.control import Control, Progress, StopFlag
from optimizer.curves import coordination_curve
from optimizer.evaluate import Evaluation, evaluate, pool_rule_breaches
from optimizer.instance import IN_HOUSE, Configuration, Instance, Placement
from optimizer.solve import SolverReport, Status, report_without_solution
from optimizer.task import ModelMismatch, solve_problem, study_control

Service = tuple[str, str]
#: (host, structure, domain): one unit of one domain; (host, structure, "") a body of several domains
Identity = tuple[str, str, str]

#: a term of a row or of the objective
Term = pulp.LpAffineExpression | pulp.LpVariable | float

#: the most re-solves that cut off years whose configuration breaks a rule the MIP has no row for
MAX_CUT_ROUNDS = 50

#: how far the MIP's yearly value may lie from the evaluator's (relative, and EUR)
VALUE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Pool:
    """A pool as a pathway moves it: its host, structure and placements (member, domain)."""

    host: str
    structure: str
    placements: frozenset[Service]
    #: the structure's scope: "domain" pools are one unit, others bodies of several domains
    scope: str

    @property
    def identity(self) -> Identity:
        domain = next(iter(self.placements))[1] if self.scope == "domain" else ""
        return (self.host, self.structure, domain)

    @cached_property
    def members(self) -> tuple[str, ...]:
        return tuple(sorted({code for code, _domain in self.placements}))

    @cached_property
    def domains(self) -> tuple[str, ...]:
        return tuple(sorted({domain for _code, domain in self.placements}))

    def member_placements(self, code: str) -> frozenset[str]:
        return frozenset(d for c, d in self.placements if c == code)

    def configuration(self) -> Configuration:
        return {key: Placement(self.host, self.structure) for key in self.placements}

    def describe(self) -> str:
        domains = ", ".join(self.domains)
        return f"{domains} {self.structure} at {self.host}: {', '.join(self.members)}"


def pools_of(instance: Instance, configuration: Configuration) -> list[Pool]:
    """The pools of a configuration: one per unit of a domain-scope structure, one per body else."""
    grouped: dict[Identity, set[Service]] = defaultdict(set)
    scopes: dict[Identity, str] = {}
    for key, placement in configuration.items():
        if placement.structure == IN_HOUSE:
            continue
        scope = instance.structures[placement.structure].scope
        identity = (placement.host, placement.structure, key[1] if scope == "domain" else "")
        grouped[identity].add(key)
        scopes[identity] = scope
    return [
        Pool(host, structure, frozenset(placements), scopes[host, structure, domain])
        for (host, structure, domain), placements in sorted(grouped.items())
    ]


def changes_between(before: Pool | None, after: Pool | None) -> dict[str, int]:
    """Municipality -> 1 where it joins or leaves (or changes its domains in) a pool of one identity."""
    codes = set(before.members if before else ()) | set(after.members if after else ())
    changed = {}
    for code in codes:
        old = before.member_placements(code) if before else frozenset()
        new = after.member_placements(code) if after else frozenset()
        if old != new:
            changed[code] = 1
    return changed


@dataclass(frozen=True)
class Settings:
    """What a pathway is planned with: the scenario's figures, here so that a study can vary them."""

    years: int
    discount_rate: float
    ramp_up_share: float
    learning_years: int
    learning_reduction: float
    max_changes_per_year: int | None
    max_changes_per_municipality: int | None

    @classmethod
    def of(cls, scenario: Scenario, years: int | None = None) -> Settings:
        economics, limits = scenario.economics, scenario.limits
        return cls(
            years=years if years is not None else math.ceil(economics.horizon_years),
            discount_rate=economics.discount_rate,
            ramp_up_share=economics.ramp_up_share,
            learning_years=economics.learning_years,
            learning_reduction=economics.learning_reduction,
            max_changes_per_year=limits.max_changes_per_year,
            max_changes_per_municipality=limits.max_changes_per_municipality,
        )

    def factor(self, year: int) -> float:
        """Discount factor of year `year` (1..N): the coming year at face value."""
        return 1 / (1 + self.discount_rate) ** (year - 1)


class LearnedInstance(Instance):
    """The instance in which the members of some pools, under their structure, have learnt to
    cooperate: their yearly failure rate is lowered by the learning reduction."""

    def __init__(self, scenario: Scenario, learned: Iterable[tuple[str, str]], reduction: float) -> None:
        super().__init__(scenario)
        self._learned = frozenset(learned)
        self._reduction = reduction

    def _risk_of(self, code: str, structure: StructureParams) -> tuple[float, float, float]:
        if (code, structure.key) not in self._learned:
            return super()._risk_of(code, structure)
        # a key of its own, so that the instance's cache keeps the learned rate apart
        learned = replace(
            structure, key=f"{structure.key}#learned", failure_rate=structure.failure_rate * (1 - self._reduction)
        )
        return super()._risk_of(code, learned)


class Figures:
    """The evaluator's figures of configurations and pools, computed once each."""

    def __init__(self, instance: Instance, settings: Settings) -> None:
        self.instance = instance
        self.settings = settings
        self.weight = instance.scenario.weights.cost
        self.status_quo = instance.status_quo()
        self._evaluations: dict[frozenset[tuple[Service, Placement]], Evaluation] = {}
        self._learned: dict[Pool, tuple[float, float]] = {}
        self.base = self.evaluation(self.status_quo)

    def evaluation(self, configuration: Configuration) -> Evaluation:
        key = frozenset(configuration.items())
        known = self._evaluations.get(key)
        if known is None:
            known = self._evaluations[key] = evaluate(self.instance, configuration)
        return known

    def with_pools(self, pools: Iterable[Pool]) -> Configuration:
        configuration = dict(self.status_quo)
        for pool in pools:
            configuration.update(pool.configuration())
        return configuration

    def value(self, evaluation: Evaluation) -> tuple[float, float]:
        """(weighted, cash) a year of a configuration, its one-off transition left out (a pathway
        counts it in the year it falls)."""
        transition = evaluation.cost_parts["transition"]
        return evaluation.objective - self.weight * transition, evaluation.criteria["cost"] - transition

    def effect(self, pool: Pool) -> tuple[float, float]:
        """(weighted, cash) a year that the pool adds to nobody pooling."""
        weighted, cash = self.value(self.evaluation(self.with_pools([pool])))
        base_weighted, base_cash = self.value(self.base)
        return weighted - base_weighted, cash - base_cash

    def one_off(self, pool: Pool) -> float:
        return self.evaluation(self.with_pools([pool])).transition_one_off

    def exit(self, placements: Iterable[Service], structure: str) -> float:
        """The exit payment of undoing these placements of a pool."""
        per_fte = self.instance.structures[structure].exit_per_fte
        return sum(per_fte * self.instance.workload[key] for key in placements)

    def move_cost(self, before: Pool, after: Pool) -> float:
        """One-off of moving a pool from `before` to `after` (one identity): the joiners' set-up (the
        one-off of `after` less that of the part it shares with `before`) and the leavers' exit."""
        shared = after.placements & before.placements
        kept = replace(after, placements=shared)
        shared_one_off = self.one_off(kept) if shared else 0.0
        return self.one_off(after) - shared_one_off + self.exit(before.placements - after.placements, before.structure)

    def learning_bonus(self, pool: Pool) -> tuple[float, float]:
        """(weighted, cash) a year that learning changes in the pool's effect: its members' failure
        rate under its structure lowered by the learning reduction, the pool evaluated alone."""
        known = self._learned.get(pool)
        if known is not None:
            return known
        if self.settings.learning_reduction <= 0 or self.instance.structures[pool.structure].failure_rate <= 0:
            bonus = (0.0, 0.0)
        else:
            learned = LearnedInstance(
                self.instance.scenario,
                [(code, pool.structure) for code in pool.members],
                self.settings.learning_reduction,
            )
            weighted, cash = self.value(evaluate(learned, self.with_pools([pool])))
            plain_weighted, plain_cash = self.value(self.evaluation(self.with_pools([pool])))
            bonus = (weighted - plain_weighted, cash - plain_cash)
        self._learned[pool] = bonus
        return bonus


# -- the plan, as the evaluator costs it ----------------------------------------------------------


@dataclass
class Year:
    """One year of a plan: what runs, what changes, and what it costs against staying as we are."""

    year: int
    configuration: Configuration
    pools: list[Pool]
    started: list[Pool]
    ended: list[Pool]
    #: (before, after) of a pool whose members change
    moved: list[tuple[Pool, Pool]]
    learned: list[Pool]
    one_off: float
    exit: float
    #: the running effect this year, ramp-up and learning counted (against staying as we are)
    running_cash: float
    running_weighted: float
    changes: dict[str, int]
    violations: list[str] = field(default_factory=list)
    #: the full yearly effect of this year's configuration once its ramp-up is over (learning as now)
    steady_weighted: float = 0.0

    @property
    def cash(self) -> float:
        """What this year costs more than staying as we are (negative: it saves)."""
        return self.running_cash + self.one_off + self.exit

    def weighted(self, weight: float) -> float:
        return self.running_weighted + weight * (self.one_off + self.exit)

    @property
    def change_count(self) -> int:
        return sum(self.changes.values())


@dataclass
class Plan:
    """A sequence of configurations over the years, costed by the evaluator (`account`)."""

    today: Configuration
    years: list[Year]
    settings: Settings
    weight: float

    @property
    def npv_cash(self) -> float:
        return sum(self.settings.factor(y.year) * y.cash for y in self.years)

    @property
    def npv_weighted(self) -> float:
        return sum(self.settings.factor(y.year) * y.weighted(self.weight) for y in self.years)

    @property
    def cumulative(self) -> list[float]:
        total, result = 0.0, []
        for year in self.years:
            total += year.cash
            result.append(total)
        return result

    @property
    def break_even_year(self) -> int | None:
        """The first year from which the cumulative cash stays a saving (None: it never does)."""
        found = None
        for year, cumulative in zip(self.years, self.cumulative, strict=True):
            found = (found or year.year) if cumulative < -1e-6 else None
        return found

    def paying_horizon(self, most: int) -> int | None:
        """The fewest years (up to `most`) over which the plan's weighted present value is no worse than
        staying as we are, its last year's configuration kept after its horizon at its full yearly effect
        (the last year's running effect holds back a ramp-up share of what started in it); None: not by
        then."""
        total = self.npv_weighted
        if total <= 0:
            return len(self.years)
        running = self.years[-1].steady_weighted if self.years else 0.0
        for year in range(len(self.years) + 1, most + 1):
            total += self.settings.factor(year) * running
            if total <= 0:
                return year
        return None

    @property
    def violations(self) -> list[str]:
        return [f"year {y.year}: {v}" for y in self.years for v in y.violations]

    def cap_breaches(self) -> list[str]:
        settings, found = self.settings, []
        for year in self.years:
            cap = settings.max_changes_per_year
            if cap is not None and year.change_count > cap:
                found.append(f"year {year.year}: {year.change_count} changes, at most {cap}")
            cap = settings.max_changes_per_municipality
            for code, count in year.changes.items():
                if cap is not None and count > cap:
                    found.append(f"year {year.year}: {code} changes {count} times, at most {cap}")
        return found


def account(figures: Figures, today: Configuration, sequence: Sequence[Configuration]) -> Plan:
    """The pathway from `today` through `sequence` (years 1..N), costed from the configurations
    alone: each year's configuration by the evaluator, one-offs when a pool starts or grows, the exit
    payment when it ends or shrinks, the ramp-up share of what starts, learning. This is the
    reference that the MIP must meet and that the brute force enumerates."""
    settings, instance = figures.settings, figures.instance
    today_weighted, today_cash = figures.value(figures.evaluation(today))
    ramp = 1 - settings.ramp_up_share
    #: identity -> (pool, years it has run, whether it has learnt); a pool keeps its years and what it
    #: learnt while members join or leave; today's pools count as having run long enough to teach
    running: dict[Identity, tuple[Pool, int, bool]] = {
        p.identity: (p, settings.learning_years, False) for p in pools_of(instance, today)
    }
    seasoned: list[Pool] = [p for p, _age, _learnt in running.values()]
    years = []
    for number, configuration in enumerate(sequence, start=1):
        evaluation = figures.evaluation(configuration)
        weighted, cash = figures.value(evaluation)
        weighted -= today_weighted
        cash -= today_cash
        pools = pools_of(instance, configuration)
        now = {p.identity: p for p in pools}
        started, ended, moved, learned = [], [], [], []
        one_off = exit_payment = 0.0
        changes: dict[str, int] = defaultdict(int)
        following: dict[Identity, tuple[Pool, int, bool]] = {}
        steady = weighted
        for identity, pool in now.items():
            before = running.get(identity)
            if before is not None:
                # the same pool, its members as they were or not: its history goes on
                learnt = before[2]
                following[identity] = (pool, before[1] + 1, learnt)
            else:
                # learnt from another arrangement among (at least) its members that ran the learning
                # years: a pool never teaches itself, as one member more or less nor after a stop
                learnt = any(set(pool.members) <= set(p.members) and p.identity != identity for p in seasoned)
                following[identity] = (pool, 1, learnt)
            if learnt:
                learned.append(pool)
            if before is not None and before[0] == pool:
                continue
            if before is None:
                started.append(pool)
                one_off += figures.one_off(pool)
                new_weighted, new_cash = figures.effect(pool)
            else:
                moved.append((before[0], pool))
                one_off += figures.move_cost(before[0], pool)
                after_weighted, after_cash = figures.effect(pool)
                before_weighted, before_cash = figures.effect(before[0])
                new_weighted, new_cash = after_weighted - before_weighted, after_cash - before_cash
            weighted -= ramp * new_weighted
            cash -= ramp * new_cash
            for code, count in changes_between(before[0] if before else None, pool).items():
                changes[code] += count
        for identity, (pool, _age, _learnt) in running.items():
            if identity not in now:
                ended.append(pool)
                exit_payment += figures.exit(pool.placements, pool.structure)
                for code, count in changes_between(pool, None).items():
                    changes[code] += count
        for pool in learned:
            bonus_weighted, bonus_cash = figures.learning_bonus(pool)
            weighted += bonus_weighted
            cash += bonus_cash
            steady += bonus_weighted
        # a pool that has now run the learning years teaches the pools that come after it
        seasoned += [p for p, age, _ in following.values() if age >= settings.learning_years and p not in seasoned]
        running = following
        years.append(
            Year(
                number,
                configuration,
                pools,
                started,
                ended,
                moved,
                learned,
                one_off,
                exit_payment,
                cash,
                weighted,
                dict(changes),
                list(evaluation.violations),
                steady,
            )
        )
    return Plan(today, years, settings, figures.weight)


# -- the MIP ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pathway:
    """A planned pathway, beside the big bang (the end state in year 1) and staying as we are."""

    plan: Plan | None
    report: SolverReport
    big_bang: Plan | None
    stay: Plan
    target: Configuration | None
    candidates: tuple[Pool, ...]
    settings: Settings
    instance: Instance
    #: why the big bang is not a plan within the limits (caps), or "" when it is
    big_bang_breaks: tuple[str, ...] = ()
    cut_rounds: int = 0
    #: the solver's check-ins the plan took (`Control.work_done`): what an explanation's re-solve may
    #: do is measured against it
    work_done: int = 0
    #: the evaluator's figures the plan was made with (an explanation in this process reuses them)
    figures: Figures | None = field(default=None, repr=False, compare=False)

    @property
    def figures_weight(self) -> float:
        return self.instance.scenario.weights.cost


class PathwayError(ValueError):
    """A pathway that cannot be planned as asked (bad input): the message says why."""


def candidate_pools(
    instance: Instance, configurations: Iterable[Configuration], grown: Iterable[Configuration]
) -> list[Pool]:
    """The pools of the given configurations, and each pool of the `grown` configurations (the end
    state, or a free end state's choices) on a chain of its members: its host (for a provider, its
    nearest member) and then one member more at a time, nearest first, from the smallest membership
    its structure allows; each such part is kept only where it keeps the pool's own rules."""
    found: dict[Pool, None] = {}
    for configuration in configurations:
        for pool in pools_of(instance, configuration):
            found[pool] = None
    grown_pools = dict.fromkeys(pool for configuration in grown for pool in pools_of(instance, configuration))
    for pool in grown_pools:
        structure = instance.structures[pool.structure]
        order = sorted(pool.members, key=lambda code: (code != pool.host, instance.distance(code, pool.host), code))
        low = instance.min_members(structure, pool.host)
        for size in range(max(1, low), len(order)):
            kept = set(order[:size])
            part = replace(pool, placements=frozenset(k for k in pool.placements if k[0] in kept))
            if all(
                not pool_rule_breaches(instance, part.host, part.structure, d, _members(part, d)) for d in part.domains
            ):
                found.setdefault(part, None)
    return list(found)


def _members(pool: Pool, domain: str) -> list[str]:
    return sorted(code for code, d in pool.placements if d == domain)


class _Model:
    """The multi-period MIP over the candidate pools."""

    def __init__(
        self, figures: Figures, candidates: Sequence[Pool], today: Configuration, target: Configuration | None
    ):
        self.figures = figures
        instance = self.instance = figures.instance
        settings = self.settings = figures.settings
        self.candidates = list(candidates)
        today_pools = set(pools_of(instance, today))
        self.years = list(range(1, settings.years + 1))
        problem = self.problem = pulp.LpProblem("pathway", pulp.LpMinimize)
        n = len(self.candidates)
        index = range(n)
        run = self.run = {
            (p, t): problem.add_variable(f"run_{p}_{t}", 0, 1, cat="Binary") for p in index for t in self.years
        }
        start = {(p, t): problem.add_variable(f"start_{p}_{t}", 0, 1, cat="Binary") for p in index for t in self.years}
        stop = {(p, t): problem.add_variable(f"stop_{p}_{t}", 0, 1, cat="Binary") for p in index for t in self.years}
        was = {p: 1 if self.candidates[p] in today_pools else 0 for p in index}

        def ran(p: int, t: int) -> pulp.LpVariable | int:
            return run[p, t] if t >= 1 else was[p]

        for p in index:
            for t in self.years:
                problem += run[p, t] - ran(p, t - 1) == start[p, t] - stop[p, t], f"flow_{p}_{t}"
                problem += start[p, t] + stop[p, t] <= 1, f"once_{p}_{t}"
        # every service in at most one running pool; one pool per identity (two would be one unit)
        by_service: dict[Service, list[int]] = defaultdict(list)
        by_identity: dict[Identity, list[int]] = defaultdict(list)
        for p, pool in enumerate(self.candidates):
            by_identity[pool.identity].append(p)
            for key in pool.placements:
                by_service[key].append(p)
        for t in self.years:
            for (code, domain), pools in by_service.items():
                problem += pulp.lpSum(run[p, t] for p in pools) <= 1, f"service_{code}_{domain}_{t}"
            for number, pools in enumerate(by_identity.values()):
                if len(pools) > 1:
                    problem += pulp.lpSum(run[p, t] for p in pools) <= 1, f"identity_{number}_{t}"
        if target is not None:
            final = set(pools_of(instance, target))
            missing = final - set(self.candidates)
            assert not missing, "every pool of the target is a candidate"
            for p, pool in enumerate(self.candidates):
                problem += run[p, self.years[-1]] == (1 if pool in final else 0), f"target_{p}"
        # a pool moves where one of an identity stops and another starts in the same year
        moves: dict[tuple[int, int, int], pulp.LpVariable] = {}
        for pools in by_identity.values():
            for a in pools:
                for b in pools:
                    if a != b:
                        for t in self.years:
                            move = moves[a, b, t] = problem.add_variable(f"move_{a}_{b}_{t}", 0, 1, cat="Binary")
                            problem += move <= stop[a, t]
                            problem += move <= start[b, t]
                            problem += move >= stop[a, t] + start[b, t] - 1
        self.moves = moves
        self._rules(run)
        weight = figures.weight
        ramp = 1 - settings.ramp_up_share
        effects = [figures.effect(pool) for pool in self.candidates]
        one_offs = [figures.one_off(pool) for pool in self.candidates]
        exits = [figures.exit(pool.placements, pool.structure) for pool in self.candidates]
        today_weighted, today_cash = figures.value(figures.evaluation(today))
        base_weighted, base_cash = figures.value(figures.base)
        weighted_years: dict[int, list[Term]] = {t: [] for t in self.years}
        cash_years: dict[int, list[Term]] = {t: [] for t in self.years}
        for t in self.years:
            for p in index:
                (effect_weighted, effect_cash), one_off, exit_payment = effects[p], one_offs[p], exits[p]
                weighted_years[t] += [
                    effect_weighted * run[p, t],
                    (weight * one_off - ramp * effect_weighted) * start[p, t],
                    weight * exit_payment * stop[p, t],
                ]
                cash_years[t] += [
                    effect_cash * run[p, t],
                    (one_off - ramp * effect_cash) * start[p, t],
                    exit_payment * stop[p, t],
                ]
        for (a, b, t), move in moves.items():
            before, after = self.candidates[a], self.candidates[b]
            saved = one_offs[b] + exits[a] - figures.move_cost(before, after)
            # the pool that moves keeps its effect so far: only what changes ramps up
            weighted_years[t].append((ramp * effects[a][0] - weight * saved) * move)
            cash_years[t].append((ramp * effects[a][1] - saved) * move)
        self._changes(start, stop, moves)
        self._coordination(run, weighted_years)
        self._learning(run, start, was, weighted_years, cash_years)
        self.weighted_years = {
            t: pulp.lpSum(terms) + (base_weighted - today_weighted) for t, terms in weighted_years.items()
        }
        self.cash_years = {t: pulp.lpSum(terms) + (base_cash - today_cash) for t, terms in cash_years.items()}
        # the objective counts the region's whole weighted cost, not only the change against staying:
        # a relative gap then means what it means for the one-year model (a plan close to staying
        # would otherwise never be proven within any share of its near-zero change)
        self.level = sum(settings.factor(t) for t in self.years) * today_weighted
        problem += pulp.lpSum(settings.factor(t) * self.weighted_years[t] for t in self.years) + self.level

    def _changes(
        self,
        start: dict[tuple[int, int], pulp.LpVariable],
        stop: dict[tuple[int, int], pulp.LpVariable],
        moves: dict[tuple[int, int, int], pulp.LpVariable],
    ) -> None:
        settings = self.settings
        region, municipality = settings.max_changes_per_year, settings.max_changes_per_municipality
        if region is None and municipality is None:
            return
        for t in self.years:
            per_code: dict[str, list[Term]] = defaultdict(list)
            for p, pool in enumerate(self.candidates):
                for code in pool.members:
                    per_code[code] += [start[p, t], stop[p, t]]
            for (a, b, year), move in moves.items():
                if year != t:
                    continue
                before, after = self.candidates[a], self.candidates[b]
                moving = changes_between(before, after)
                # a move is counted as the start of one and the stop of the other; those who stay put
                # made no change
                for code in set(before.members) | set(after.members):
                    counted = (code in before.members) + (code in after.members)
                    per_code[code].append((moving.get(code, 0) - counted) * move)
            if region is not None:
                self.problem += pulp.lpSum(pulp.lpSum(terms) for terms in per_code.values()) <= region, f"cap_{t}"
            if municipality is not None:
                for code, terms in per_code.items():
                    self.problem += pulp.lpSum(terms) <= municipality, f"cap_{code}_{t}"

    def _coordination(self, run: dict[tuple[int, int], pulp.LpVariable], weighted_years: dict[int, list[Term]]) -> None:
        """The matrix's coordination of a municipality grows with the matrix units it is in (convex),
        which the pools' own effects (each evaluated alone, one unit) leave out."""
        instance, matrix = self.instance, self.instance.matrix
        if matrix is None or matrix.coordination_per_interface == 0:
            return
        weight = instance.scenario.weights.manageability
        curve = coordination_curve(len(instance.domains))
        lines = curve.lines()
        for code in instance.codes:
            pools = [
                p for p, pool in enumerate(self.candidates) if pool.structure == matrix.key and code in pool.members
            ]
            if len(pools) < 2:
                continue
            scale = weight * matrix.coordination_per_interface * instance.running_share(code, matrix)
            for t in self.years:
                count = pulp.lpSum(len(self.candidates[p].member_placements(code)) * run[p, t] for p in pools)
                above = self.problem.add_variable(f"coordination_{code}_{t}", 0)
                for number, (intercept, slope) in enumerate(lines):
                    self.problem += above >= intercept + slope * count, f"coordination_{code}_{t}_{number}"
                weighted_years[t].append(scale * above)

    def _learning(
        self,
        run: dict[tuple[int, int], pulp.LpVariable],
        start: dict[tuple[int, int], pulp.LpVariable],
        was: dict[int, int],
        weighted_years: dict[int, list[Term]],
        cash_years: dict[int, list[Term]],
    ) -> None:
        """learned[q,t]: q runs in t and has learnt, as `account` counts it: a pool that starts learns
        where a pool of another identity among (at least) its members had run the learning years in a
        row by then (today's pools count as having run them); a pool whose members change keeps what
        it learnt, and its years."""
        figures, settings, problem = self.figures, self.settings, self.problem
        span = settings.learning_years
        teachers: dict[int, list[int]] = {}
        for q, pool in enumerate(self.candidates):
            found = [
                p
                for p, other in enumerate(self.candidates)
                if other.identity != pool.identity and set(pool.members) <= set(other.members)
            ]
            if found:
                teachers[q] = found
        learning = self.settings.learning_reduction > 0
        # what a pool learnt moves with it to the other candidates of its identity: all of them tracked
        tracked_identities = {
            self.candidates[q].identity
            for q in teachers
            if learning and self.instance.structures[self.candidates[q].structure].failure_rate > 0
        }
        tracked = [q for q, pool in enumerate(self.candidates) if pool.identity in tracked_identities]
        if not tracked:
            return
        of_identity: dict[Identity, list[int]] = defaultdict(list)
        for p, pool in enumerate(self.candidates):
            of_identity[pool.identity].append(p)

        def identity_ran(p: int, u: int) -> Term:
            kin = of_identity[self.candidates[p].identity]
            if u >= 1:
                return pulp.lpSum(run[k, u] for k in kin)
            return 1 if any(was[k] for k in kin) else 0

        # taught[p,s]: p has, by the end of year s, run at the end of the learning years in a row of
        # its identity at some time
        taught: dict[tuple[int, int], pulp.LpVariable | int] = {}
        for p in {p for q in tracked for p in teachers.get(q, [])}:
            taught[p, 0] = was[p]
            for s in self.years[:-1]:
                window = [run[p, s], *(identity_ran(p, u) for u in range(s - span + 1, s))]
                seasoned = problem.add_variable(f"seasoned_{p}_{s}", 0, 1, cat="Binary")
                for term in window:
                    problem += seasoned <= term
                problem += seasoned >= pulp.lpSum(window) - (span - 1)
                ever = taught[p, s] = problem.add_variable(f"taught_{p}_{s}", 0, 1, cat="Binary")
                problem += ever >= taught[p, s - 1]
                problem += ever >= seasoned
                problem += ever <= taught[p, s - 1] + seasoned
        learned = {
            (q, t): problem.add_variable(f"learned_{q}_{t}", 0, 1, cat="Binary") for q in tracked for t in self.years
        }
        for q in tracked:
            found = teachers.get(q, [])
            bonus_weighted, bonus_cash = figures.learning_bonus(self.candidates[q])
            for t in self.years:
                now = learned[q, t]
                previous: pulp.LpVariable | int = learned[q, t - 1] if t > 1 else 0
                arriving = [(a, move) for (a, b, year), move in self.moves.items() if b == q and year == t]
                moved_in = pulp.lpSum(move for _a, move in arriving)
                fresh = start[q, t] - moved_in
                problem += now <= run[q, t]
                problem += now >= previous + run[q, t] - 1
                problem += now <= previous + start[q, t]
                problem += now <= previous + pulp.lpSum(taught[p, t - 1] for p in found) + moved_in
                for p in found:
                    problem += now >= fresh + taught[p, t - 1] - 1
                for a, move in arriving:
                    carried: pulp.LpVariable | int = learned[a, t - 1] if t > 1 else 0
                    problem += now >= move + carried - 1
                    problem += now <= carried + 1 - move
                weighted_years[t].append(bonus_weighted * now)
                cash_years[t].append(bonus_cash * now)

    def _rules(self, run: dict[tuple[int, int], pulp.LpVariable]) -> None:
        """The evaluator's region rules, as rows for every year."""
        instance, problem = self.instance, self.problem
        scenario, limits = instance.scenario, instance.scenario.limits
        candidates = self.candidates
        for t in self.years:
            if limits.max_pools is not None:
                problem += pulp.lpSum(run[p, t] for p in range(len(candidates))) <= limits.max_pools
            for structure in instance.structures.values():
                if structure.max_units_per_host is None or structure.scope == "all":
                    continue
                per_host: dict[str, list[Term]] = defaultdict(list)
                for p, pool in enumerate(candidates):
                    if pool.structure == structure.key:
                        per_host[pool.host].append(len(pool.domains) * run[p, t])
                for terms in per_host.values():
                    problem += pulp.lpSum(terms) <= structure.max_units_per_host
            coordinated = [p for p, pool in enumerate(candidates) if instance.structures[pool.structure].coordinated]
            if limits.max_matrix_units is not None:
                problem += pulp.lpSum(len(candidates[p].domains) * run[p, t] for p in coordinated) <= (
                    limits.max_matrix_units
                )
            hosted = {
                code: pulp.lpSum(
                    len(candidates[p].domains) * run[p, t] for p in coordinated if candidates[p].host == code
                )
                for code in instance.codes
            }
            most = len(instance.domains) * max(1, len(coordinated))
            for p in coordinated:
                pool = candidates[p]
                for member in pool.members:
                    if member != pool.host:
                        problem += run[p, t] <= hosted[member]
                        problem += hosted[pool.host] - hosted[member] <= 1 + most * (1 - run[p, t])
            incoming: dict[str, list[Term]] = defaultdict(list)
            staffed: dict[str, list[Term]] = defaultdict(list)
            for p, pool in enumerate(candidates):
                structure = instance.structures[pool.structure]
                if instance.is_provider(pool.host):
                    staff = sum(u.staff_fte for u in self.figures.evaluation(self.figures.with_pools([pool])).pools())
                    staffed[pool.host].append(staff * run[p, t])
                elif structure.uses_host_capacity:
                    work = sum(instance.workload[key] for key in pool.placements if key[0] != pool.host)
                    incoming[pool.host].append(work * run[p, t])
            for host, terms in incoming.items():
                capacity = instance.host_capacity(host)
                if capacity is not None:
                    problem += pulp.lpSum(terms) <= capacity + 1e-6
            for host, terms in staffed.items():
                capacity = instance.providers[host].capacity_fte
                if capacity is not None:
                    problem += pulp.lpSum(terms) <= capacity + 1e-6
            if limits.max_arrangements is not None:
                for code in instance.codes:
                    room = max(0, limits.max_arrangements - instance.existing_arrangements(code))
                    carried = [run[p, t] for p, pool in enumerate(candidates) if code in pool.members]
                    if carried:
                        problem += pulp.lpSum(carried) <= room
            for code in instance.codes:
                for domain in instance.domains:
                    if instance.forced(code, domain):
                        problem += (
                            pulp.lpSum(
                                run[p, t] for p, pool in enumerate(candidates) if (code, domain) in pool.placements
                            )
                            == 1
                        )
            for forced in scenario.politics.forced_pairs:
                for domain in forced.domains:
                    together = [
                        run[p, t]
                        for p, pool in enumerate(candidates)
                        if (forced.a, domain) in pool.placements and (forced.b, domain) in pool.placements
                    ]
                    problem += pulp.lpSum(together) == 1

    def running(self, t: int) -> list[int]:
        return [p for p in range(len(self.candidates)) if (self.run[p, t].value() or 0) > 0.5]

    def configuration(self, t: int) -> Configuration:
        return self.figures.with_pools(self.candidates[p] for p in self.running(t))

    def forbid(self, pools: Sequence[int], number: int) -> None:
        """No year runs exactly these pools (a combination that breaks a rule the MIP has no row for)."""
        chosen = set(pools)
        others = [p for p in range(len(self.candidates)) if p not in chosen]
        for t in self.years:
            self.problem += (
                pulp.lpSum(self.run[p, t] for p in chosen) - pulp.lpSum(self.run[p, t] for p in others)
                <= len(chosen) - 1,
                f"forbid_{number}_{t}",
            )


def plan_pathway(
    scenario: Scenario,
    today: Configuration,
    target: Configuration | None,
    settings: Settings,
    options: SolverOptions,
    *,
    more: Sequence[Configuration] = (),
    stop: StopFlag | None = None,
    progress: Progress | None = None,
    check: Callable[[Plan], None] | None = None,
) -> Pathway:
    """The best pathway from `today` to `target` (None: free) over `settings.years`, among the pools
    of today, of the target (and its chains) and of the configurations in `more`.

    `today` and `target` must keep the scenario's rules (the caller says which is bad input)."""
    instance = Instance(scenario)
    figures = Figures(instance, settings)
    stay = account(figures, today, [today] * settings.years)
    # the pools of `more` grow as the target's do: with a cap on changes, a free plan must be able
    # to do whatever the plan to the optimum (the first of `more`) does
    ends = [*more, *([target] if target is not None else [])]
    candidates = candidate_pools(instance, [today, *ends], ends)
    big_bang = account(figures, today, [target] * settings.years) if target is not None else None
    breaks = tuple(big_bang.cap_breaches()) if big_bang is not None else ()
    control = study_control(options, stop, progress)
    plan, report, rounds = solve_plan(figures, candidates, today, target, options, control)
    if plan is not None and check is not None:
        check(plan)
    return Pathway(
        plan,
        report,
        big_bang,
        stay,
        target,
        tuple(candidates),
        settings,
        instance,
        breaks,
        rounds,
        control.work_done,
        figures,
    )


def solve_plan(
    figures: Figures,
    candidates: Sequence[Pool],
    today: Configuration,
    target: Configuration | None,
    options: SolverOptions,
    control: Control,
    shape: Callable[[_Model], None] | None = None,
) -> tuple[Plan | None, SolverReport, int]:
    """(the plan, the solver's report, the rounds of cuts) of the pathway MIP, `shape` applied to it
    (an explanation's bound); every year's configuration that breaks a rule the MIP has no row for is
    cut off and the MIP solved again."""
    started = time.perf_counter()
    model = _Model(figures, candidates, today, target)
    if shape is not None:
        shape(model)
    rounds = 0
    while True:
        report = solve_problem(model.problem, options, control=control)
        if not report.has_solution:
            return None, report, rounds
        broken = [t for t in model.years if figures.evaluation(model.configuration(t)).violations]
        if not broken:
            break
        rounds += 1
        if rounds > MAX_CUT_ROUNDS or control.should_stop() is not None:
            report = report_without_solution(
                options,
                Status.ERROR,
                says(
                    f"every plan found so far breaks a rule in some year ({rounds} rounds of cuts)",
                    f"elk plan dat tot nu toe is gevonden breekt in een jaar een regel ({rounds} rondes van sneden)",
                ),
                time.perf_counter() - started,
                control.should_stop() == "Interrupted",
                control.should_stop() == "TimeLimit",
            )
            return None, report, rounds
        for number, t in enumerate(broken):
            model.forbid(model.running(t), rounds * 1000 + number)
    plan = account(figures, today, [model.configuration(t) for t in model.years])
    _check(model, plan, report)
    return plan, report, rounds


def _check(model: _Model, plan: Plan, report: SolverReport) -> None:
    """The MIP's years against the evaluator's: the same value, no broken rule, caps kept."""
    weight = model.figures.weight
    problems = plan.violations + plan.cap_breaches()
    for year in plan.years:
        expected = year.weighted(weight)
        found = float(pulp.value(model.weighted_years[year.year]) or 0.0)
        if abs(found - expected) > VALUE_TOLERANCE * max(1.0, abs(expected)) + 1e-3:
            problems.append(
                f"year {year.year}: the MIP's value {found:.3f} differs from the evaluator's {expected:.3f}"
            )
    if problems:
        raise ModelMismatch("the pathway's plan: " + "; ".join(problems))
    assert report.objective is not None


# -- the study: from what a user names to a planned pathway -----------------------------------------

#: the most years a pathway plans (the issue: a council's horizon, not a century)
MOST_YEARS = 30
#: how many close alternatives of the one-year optimum a free end state takes its pools from
FREE_ALTERNATIVES = 3


def with_structures(scenario: Scenario, target: Scenario) -> Scenario:
    """The scenario with the target's structures that it lacks (an end state by name may use a form the
    scenario does not list: its years are costed under the scenario's rules with that form allowed)."""
    known = {s.key for s in scenario.structures}
    extra = tuple(s for s in target.structures if s.key not in known)
    return replace(scenario, structures=scenario.structures + extra) if extra else scenario


def check_settings(scenario: Scenario, settings: Settings, lang: str = "en") -> None:
    """Years within 1..MOST_YEARS and a discount rate of at least 0: else bad input."""
    from inputs.labels import text
    from inputs.problems import Problems

    problems = Problems()
    if not 1 <= settings.years <= MOST_YEARS:
        problems.add(
            f"--years {settings.years}",
            text(
                lang,
                f"expected a whole number of years from 1 to {MOST_YEARS}",
                f"verwacht een heel aantal jaren van 1 tot en met {MOST_YEARS}",
            ),
        )
    if settings.discount_rate < 0:
        problems.add(
            f"{scenario.source or scenario.name}, economics.discount_rate",
            text(
                lang,
                f"{settings.discount_rate:g} is negative: a pathway would then weigh later years more than this "
                "one (expected a rate of at least 0)",
                f"{settings.discount_rate:g} is negatief: een groeipad zou latere jaren dan zwaarder wegen dan dit "
                "jaar (verwacht een rente van ten minste 0)",
            ),
        )
    problems.raise_if_any()


def check_configuration(instance: Instance, configuration: Configuration, place: str) -> None:
    """A configuration the pathway starts from or goes to keeps the scenario's rules: else bad input,
    each broken rule named."""
    from inputs.problems import Problems

    problems = Problems()
    for violation in evaluate(instance, configuration).violations:
        problems.add(
            place,
            says("breaks the scenario's rules: ", "breekt de regels van het scenario: ") + by_name(instance, violation),
        )
    problems.raise_if_any()


def by_name(instance: Instance, text: str) -> str:
    """A rule's message with the municipalities' codes as their names ('hosted by GM1728' -> 'hosted
    by Bladel'): people read names."""
    municipalities = instance.municipality
    return re.sub(r"\bGM\d{4}\b", lambda m: municipalities[m[0]].name if m[0] in municipalities else m[0], text)


def check_can_move(
    settings: Settings, today: Configuration, target: Configuration | None, place: str, lang: str = "en"
) -> None:
    """A cap of 0 changes with an end state other than today's: the plan cannot move (bad input)."""
    from inputs.labels import text
    from inputs.problems import Problems

    caps = {
        "limits.max_changes_per_year": settings.max_changes_per_year,
        "limits.max_changes_per_municipality": settings.max_changes_per_municipality,
    }
    problems = Problems()
    for key, cap in caps.items():
        if cap == 0 and target is not None and target != today:
            problems.add(
                key,
                text(
                    lang,
                    f"a cap of 0 changes a year cannot move from today's configuration to {place} (expected a cap "
                    "of at least 1, or an end state equal to today's configuration)",
                    f"met ten hoogste 0 wijzigingen per jaar komt het plan niet van de huidige inrichting naar "
                    f"{place} (verwacht ten minste 1, of een eindbeeld gelijk aan de huidige inrichting)",
                ),
            )
    problems.raise_if_any()
