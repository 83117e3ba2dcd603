"""The `seta` command: wires inputs -> optimizer -> output.

Exit codes (a contract, listed in the README; named in cli/common.py):
    0    solved: optimal or feasible (also after Ctrl-C when a solution was kept)
    1    no solution (infeasible, or none found within the limits)
    2    bad input: the scenario, its tables, an option, or an output that cannot be written
    70   internal error: a bug in seta (run with --debug for the traceback)
    75   incomplete: the Dask cluster failed under the run; what finished is kept, marked as such
    130  interrupted by Ctrl-C with nothing kept (but the outputs it names as written whole)
    143  ended by SIGTERM, as 130
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from cli.alternatives import alternatives
from cli.common import EXIT_INCOMPLETE as EXIT_INCOMPLETE  # imported from here by the tests, as before
from cli.common import (
    EXIT_INTERRUPTED,
    STOP,
    any_solved,
    cluster,
    cluster_lost,
    cluster_or,
    end_incomplete,
    end_run,
    end_study,
    err,
    fail,
    reader_may_leave,
    say,
    show_study,
    sized_executor,
    stdout_console,
    user_errors,
    wrote,
)
from cli.load import load_scenario
from cli.options import (
    FiniteFloatRange,
    cluster_options,
    explain_option,
    format_option,
    jobs_option,
    lang_option,
    out_folder_option,
    participation_option,
    set_option,
    solver_options,
    solver_options_except,
    solver_settings,
    tie_option,
    with_participation,
)
from cli.output import check_file, check_folder, staged
from cli.pathway import pathway
from cli.render import plural
from cli.solve import json_document as json_document  # imported from here by the tests, as before
from cli.solve import solve
from inputs import InputError, builtin_names
from inputs import datasets as builtin_datasets
from inputs.builtins import builtin_path
from inputs.configuration import Observed
from inputs.labels import says
from inputs.problems import Problem
from inputs.types import Scenario, SolverOptions
from optimizer import optimize
from optimizer.evaluate import Evaluation
from optimizer.executor import Executor, local_executor
from optimizer.result import seta_version
from optimizer.robust import Study


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(seta_version(), prog_name="seta")
def cli(debug: bool) -> None:
    """seta: which services municipalities should pool, where, and in which form."""


# defined in their own modules, which import cli.common and never this one (no import cycle)
cli.add_command(solve)
cli.add_command(alternatives)
cli.add_command(pathway)


@cli.command()
@click.argument("scenario")
@set_option
@lang_option
@user_errors
def validate(scenario: str, overrides: tuple[str, ...], lang: str) -> None:
    """Check SCENARIO and its tables; report every problem at once."""
    from optimizer.instance import Instance
    from optimizer.screens import screen

    loaded = load_scenario(scenario, list(overrides))
    screen(Instance(loaded))
    with reader_may_leave():
        counted = ", ".join(
            [
                plural(len(loaded.municipalities), "municipality", lang),
                plural(len(loaded.domains), "domain", lang),
                plural(len(loaded.structures), "structure", lang),
            ]
        )
        click.echo(f"{loaded.name}: {says('valid', 'geldig')} ({counted})")


@cli.command(name="list")
@lang_option
@user_errors
def list_builtins(lang: str) -> None:
    """Show the built-in scenarios and datasets."""
    with reader_may_leave():
        _list_builtins(lang)


def _list_builtins(lang: str) -> None:
    click.echo(says("Built-in scenarios:", "Ingebouwde scenario's:"))
    for name in builtin_names():
        scenario = load_scenario(name)
        members = ", ".join(m.name for m in scenario.municipalities)
        if len(members) > 70:
            members = members[:67] + "..."
        counted = plural(len(scenario.municipalities), "municipality", lang)
        click.echo(f"  {name:<16} {counted:>18}  {members}")
    click.echo(says("Built-in datasets:", "Ingebouwde datasets:"))
    for name, description in (builtin_datasets.DATASETS_NL if lang == "nl" else builtin_datasets.DATASETS).items():
        click.echo(f"  {name:<16} {description}")
    click.echo(builtin_datasets.ATTRIBUTION)


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--from", "source", help="Built-in scenario to copy, with its region as tables (default: kempen).")
@click.option(
    "--province",
    "provinces",
    multiple=True,
    metavar="NAME",
    help="A new region: this province's municipalities (repeatable).",
)
@click.option(
    "--corop",
    "corops",
    multiple=True,
    metavar="NAME",
    help="A new region: this COROP region's municipalities (repeatable).",
)
@click.option(
    "--members",
    "names",
    multiple=True,
    metavar="A,B,C",
    help="A new region: these municipalities, by name or CBS code, separated by commas (a name with a comma "
    "by its code).",
)
@click.option(
    "--dataset",
    type=click.Choice(list(builtin_datasets.DATASETS)),
    default="nl-2024",
    show_default=True,
    help="The municipalities a new region is chosen from (COROP regions: nl-2024 only).",
)
@set_option
@lang_option
@user_errors
def init(
    directory: Path,
    source: str | None,
    provinces: tuple[str, ...],
    corops: tuple[str, ...],
    names: tuple[str, ...],
    dataset: str,
    overrides: tuple[str, ...],
    lang: str,
) -> None:
    """Start a study in DIRECTORY: a short scenario.yaml for a new region (--province, --corop, --members)
    or an editable copy of a built-in scenario with its tables (--from)."""
    from inputs.export import export_study, scenario_text
    from inputs.loader import parse_scenario
    from inputs.overrides import apply_overrides

    members = region_members(provinces, corops, names)
    if source is not None and members is not None:
        raise InputError(
            [
                Problem(
                    "--from",
                    "copies a built-in scenario; a new region (--province, --corop, --members) goes without it",
                )
            ]
        )
    if source is None and members is None:
        source = "kempen"
    if source is not None and source not in builtin_names():
        from inputs.problems import suggestion

        raise InputError(
            [Problem("--from", f"unknown built-in scenario '{source}'; {suggestion(source, builtin_names())}")]
        )
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InputError([Problem(str(directory), "the folder is not empty (expected a new or empty folder)")])
    if source is not None:
        scenario = load_scenario(source, list(overrides))
    else:
        # Read as `seta solve` will read the file, so a bad name is bad input here and nothing is written.
        region = {"dataset": dataset, "members": members}
        document: dict[str, Any] = {"name": region_name(provinces, corops, directory), "municipalities": region}
        document = apply_overrides(document, overrides)
        scenario = parse_scenario(document, "scenario.yaml", directory, str(directory / "scenario.yaml"))
    with staged(directory, "init") as stage:
        if source is not None:
            written = export_study(scenario, builtin_path(source), stage.path)
        else:
            # the region as the document holds it after --set (which may change it), in the form chosen
            text = scenario_text(scenario, document["municipalities"])
            stage.path("scenario.yaml").write_text(text, encoding="utf-8")
            written = ["scenario.yaml"]
    with reader_may_leave():
        click.echo(wrote(written, directory))
        then = f"seta solve {directory / 'scenario.yaml'}"
        click.echo(
            says(
                f"Edit {'it' if len(written) == 1 else 'them'}, then run: {then}",
                f"Pas {'het' if len(written) == 1 else 'ze'} aan en voer dan uit: {then}",
            )
        )


def region_members(provinces: tuple[str, ...], corops: tuple[str, ...], names: tuple[str, ...]) -> Any:
    """`members` as a scenario writes it: `{province: Zeeland}`, `{corop: [A, B]}`, a list of names, or
    those mixed (`[{province: Zeeland}, Goes]`); None when no option chose a region."""
    regions: dict[str, Any] = {}
    for key, given in (("province", provinces), ("corop", corops)):
        if given:
            regions[key] = given[0] if len(given) == 1 else list(given)
    listed = [name.strip() for text in names for name in text.split(",") if name.strip()]
    if not listed:
        return regions or None
    return [regions, *listed] if regions else listed


def region_name(provinces: tuple[str, ...], corops: tuple[str, ...], directory: Path) -> str:
    """A new region's name: its provinces and COROP regions, else the study folder's name."""
    regions = [*provinces, *corops]
    if not regions:
        return directory.resolve().name
    return regions[0] if len(regions) == 1 else ", ".join(regions[:-1]) + " and " + regions[-1]


def main() -> None:
    cli(prog_name="seta")


@cli.command()
@click.argument("scenarios", nargs=-1)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="With one scenario: one variant per setting (e.g. weights.quality=1). With several: applied to all.",
)
@out_folder_option("Write options.csv, options.png, options.html and seta.xlsx here.")
@solver_options
@jobs_option
@cluster_options
@lang_option
@user_errors
def compare(
    scenarios: tuple[str, ...],
    overrides: tuple[str, ...],
    out_dir: Path | None,
    solver_given: dict[str, Any],
    jobs: int | None,
    dask_scheduler: str | None,
    dask_workers: int | None,
    lang: str,
) -> None:
    """Solve several scenarios (or variants of one) and show them on the same axes."""
    from cli.studies import compare_results, print_comparison, write_chart_files
    from optimizer.result import comparison_table
    from visuals.charts import comparison

    if not scenarios:
        scenarios = ("kempen",)
    if len(scenarios) == 1 and not overrides:
        raise InputError([Problem("seta compare", "nothing to compare: give two scenarios or --set KEY=VALUE")])
    if out_dir is not None:
        check_folder(out_dir, "--out")
    count = len(scenarios) if len(scenarios) > 1 else 1 + len(overrides)
    say(says(f"Solving {count} options...", f"{count} opties oplossen..."))
    with cluster(dask_scheduler, dask_workers) as dask:
        results = compare_results(
            scenarios, overrides, solver_given, lambda *s: cluster_or(dask, lambda: sized_executor(jobs, *s)), say
        )
    table = comparison_table(results)
    with reader_may_leave():
        # objectives under different weights are in different units of value: no best among them
        comparable = len({result.instance.scenario.weights for _label, result in results}) <= 1
        title = "Opties vergeleken" if lang == "nl" else "Options compared"
        print_comparison(table, title, stdout_console(), lang, comparable)
    if out_dir is not None and any_solved(results):
        write_chart_files(comparison(table, lang), table, out_dir, "options", "Options compared", lang)
        say(wrote(["options.csv", "options.png", "options.html", "seta.xlsx"], out_dir))
    end_study(results, out_dir, dask)


@cli.command()
@click.argument("scenario", default="kempen")
@set_option
@out_folder_option("Write end-states.csv, end-states.png, end-states.html and seta.xlsx here.")
@solver_options
@jobs_option
@cluster_options
@lang_option
@user_errors
def endstates(
    scenario: str,
    overrides: tuple[str, ...],
    out_dir: Path | None,
    solver_given: dict[str, Any],
    jobs: int | None,
    dask_scheduler: str | None,
    dask_workers: int | None,
    lang: str,
) -> None:
    """The best configuration of SCENARIO under every end state, side by side."""
    from cli.studies import print_comparison, write_chart_files
    from optimizer.endstates import END_STATES, solve_end_states
    from optimizer.result import comparison_table
    from visuals.charts import end_states

    loaded = load_scenario(scenario, list(overrides))
    options = solver_settings(loaded, solver_given)
    if out_dir is not None:
        check_folder(out_dir, "--out")
    say(
        says(
            f"Solving {loaded.name} under {len(END_STATES)} end states...",
            f"{loaded.name} oplossen onder {len(END_STATES)} eindbeelden...",
        )
    )
    with (
        cluster(dask_scheduler, dask_workers) as dask,
        cluster_or(dask, lambda: sized_executor(jobs, replace(loaded, solver=options))) as executor,
    ):
        results = solve_end_states(loaded, options, executor=executor, progress=say)
    table = comparison_table(results)
    title = f"{'Eindbeelden van' if lang == 'nl' else 'End states of'} {loaded.name}"
    with reader_may_leave():
        print_comparison(table, title, stdout_console(), lang)
    if out_dir is not None and any_solved(results):
        write_chart_files(end_states(table, lang), table, out_dir, "end-states", title, lang)
        say(wrote(["end-states.csv", "end-states.png", "end-states.html", "seta.xlsx"], out_dir))
    end_study(results, out_dir, dask)


def _check_uncertain(scenario: Scenario) -> None:
    if not scenario.uncertainty.groups:
        raise InputError(
            [
                Problem(
                    f"{scenario.source}, uncertainty",
                    "no figure is uncertain (expected the default ranges, or ranges of the scenario's own)",
                )
            ]
        )


def _robust_study(
    scenario: Scenario, options: SolverOptions, draws: int, seed: int, sampling: str, executor: Executor
) -> Study:
    """The scenario and its draws solved on `executor` (closed after, unless it is a Dask cluster's);
    the caller has checked that something is uncertain (`_check_uncertain`), before any solving."""
    from cli.robust import TaskBar
    from inputs.uncertainty import MANY_DIMENSIONS
    from optimizer.robust import run

    groups = scenario.uncertainty.groups
    if len(groups) > MANY_DIMENSIONS:
        say(
            says(
                f"Note: {len(groups)} uncertain groups of figures; beyond {MANY_DIMENSIONS} a few hundred draws say "
                "little about each (group figures with `group:` in the uncertainty block).",
                f"Let op: {len(groups)} onzekere groepen kengetallen; boven {MANY_DIMENSIONS} zeggen een paar honderd "
                "trekkingen weinig over elk (groepeer kengetallen met `group:` in het blok uncertainty).",
            )
        )
    say(
        says(
            f"Solving {scenario.name} and {plural(draws, 'draw')} of {plural(len(groups), 'uncertain group')} of "
            "figures...",
            f"{scenario.name} oplossen en {draws} {'trekking' if draws == 1 else 'trekkingen'} van "
            f"{len(groups)} onzekere {'groep' if len(groups) == 1 else 'groepen'} kengetallen...",
        )
    )
    with TaskBar(err, says("solves", "oplossingen")) as bar:
        return run(scenario, options, draws, seed=seed, sampling=sampling, executor=executor, progress=bar)


@cli.command()
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--draws",
    type=click.IntRange(1, 100_000),
    default=200,
    show_default=True,
    help="How many draws of the uncertain figures to solve.",
)
@click.option(
    "--seed",
    "draw_seed",
    type=click.IntRange(0, 2**32 - 1),
    default=0,
    show_default=True,
    help="Seed of the draws: the same seed gives the same draws (the solver's own seed is solver.seed).",
)
@click.option(
    "--sampling",
    type=click.Choice(["lhs", "sobol"]),
    default="lhs",
    show_default=True,
    help="Latin hypercube (any number of draws) or scrambled Sobol (best with a power of 2).",
)
@format_option
@out_folder_option(
    "Write draws.csv, pools.csv, decisions.csv, drivers.csv, ranges.csv, robust.json, the charts "
    "(PNG), robust.html and seta.xlsx to this folder."
)
@solver_options_except("seed")
@jobs_option
@cluster_options
@lang_option
@user_errors
def robust(
    scenario: str,
    overrides: tuple[str, ...],
    draws: int,
    draw_seed: int,
    sampling: str,
    output_format: str,
    out_dir: Path | None,
    solver_given: dict[str, Any],
    jobs: int | None,
    dask_scheduler: str | None,
    dask_workers: int | None,
    lang: str,
) -> None:
    """Does the advice of SCENARIO hold when its uncertain figures move? One solve per draw of the
    figures' plausible ranges (docs/model.md, "Uncertainty"; a scenario's `uncertainty:` block changes
    them): how often each pool is chosen, how often the recommendation is the best and what it costs
    where it is not, and which figures drive that."""
    from cli.robust import document, render, write_files

    loaded = load_scenario(scenario, list(overrides))
    options = solver_settings(loaded, solver_given)
    _check_uncertain(loaded)
    if out_dir is not None:
        check_folder(out_dir, "--out")
    with (
        cluster(dask_scheduler, dask_workers) as dask,
        cluster_or(dask, lambda: local_executor(jobs, STOP)) as executor,
    ):
        study = _robust_study(loaded, options, draws, draw_seed, sampling, executor)
    if study.nominal.configuration is None:
        end_run(study.nominal, dask)
    if not study.draws:
        end_incomplete(dask, "no draw finished, nothing was kept.")
        fail(
            says(
                "Interrupted: no draw finished, nothing was kept.",
                "Onderbroken: geen trekking is af, er is niets bewaard.",
            ),
            EXIT_INTERRUPTED,
        )
    if STOP.is_set() and cluster_lost(dask) is None:
        say(
            says(
                f"Interrupted: {len(study.draws)} of {draws} draws finished; the figures are over those.",
                f"Onderbroken: {len(study.draws)} van {draws} trekkingen zijn af; de cijfers gaan over die.",
            )
        )
    if out_dir is not None:
        written = write_files(study, out_dir, lang, note=say)
        say(wrote(written, out_dir))
    show_study(
        output_format,
        lambda: document(study),
        study.draws_table,
        lambda console: render(study, console, lang),
    )
    end_incomplete(
        dask,
        f"{len(study.draws)} of {draws} draws finished and are kept, the figures are over those; the "
        f"other {draws - len(study.draws)} are missing.",
    )


#: the figures `seta calibrate` fits unless told otherwise: the joint body's and its domain's own, which
#: set the defaults (docs/model.md, "Calibration on observed cooperations")
CALIBRATED = (
    "structures.joint_body.governance_per_unit",
    "structures.joint_body.governance_per_member",
    "domains.taxes.diseconomy_share",
    "domains.taxes.scale_inhabitants",
)
#: with the default figures: the aggregate of docs/domain.md, about half to two thirds of municipalities
#: cooperate on taxes (the issue's target 40-80 %)
CALIBRATED_SHARE = "taxes=40-80"


def _share_option(text: str | None) -> tuple[str, float, float] | None:
    """`taxes=40-80` -> ('taxes', 0.4, 0.8); bad input with the expected form otherwise."""
    if text is None or text == "none":
        return None
    domain, _, span = text.partition("=")
    low, _, high = span.partition("-")
    try:
        bounds = (float(low) / 100, float(high) / 100)
    except ValueError:
        bounds = (math.nan, math.nan)
    if not domain or not all(0 <= b <= 1 for b in bounds) or bounds[0] > bounds[1]:
        raise InputError(
            [Problem(f"--share {text}", "expected DOMAIN=LOW-HIGH in percent, e.g. taxes=40-80 (or none)")]
        )
    return domain, bounds[0], bounds[1]


@cli.command()
@click.argument("scenario", default="nl-2024-taxes")
@set_option
@click.option(
    "--given",
    default="tax-cooperations",
    show_default=True,
    metavar="FILE",
    help="The observed configuration to learn from: a CSV or YAML file of pools, or a built-in name "
    "(docs/observed.md).",
)
@click.option(
    "--fit",
    "paths",
    multiple=True,
    metavar="FIGURE",
    help="A figure to fit, as its key path (weights.autonomy, structures.joint_body.governance_per_member, "
    "domains.taxes.scale_inhabitants, ...); repeat for several. Default: " + ", ".join(CALIBRATED) + ", with "
    f"--share {CALIBRATED_SHARE}: the figures the defaults take from this command.",
)
@click.option(
    "--share",
    metavar="DOMAIN=LOW-HIGH",
    help="Keep the share of all the scenario's municipalities that pool DOMAIN in this range (percent), where "
    "a figure fitted by grid allows it (each point solves the whole scenario); else it is reported. Default: "
    f"none, or {CALIBRATED_SHARE} with the default figures.",
)
@click.option(
    "--within",
    type=FiniteFloatRange(0, 100),
    default=1.0,
    show_default=True,
    metavar="PERCENT",
    help="The ranges reported: the values that keep every observed pool within this share of its annual cash "
    "cost from optimal.",
)
@click.option(
    "--loo/--no-loo",
    default=True,
    show_default=True,
    help="Also fit leaving one cooperation out at a time, and measure the fit on it (takes as many fits again).",
)
@format_option
@out_folder_option("Write figures.csv, cases.csv, leave_one_out.csv, calibration.json and seta.xlsx to this folder.")
@solver_options_except("decompose")
@jobs_option
@lang_option
@user_errors
def calibrate(
    scenario: str,
    overrides: tuple[str, ...],
    given: str,
    paths: tuple[str, ...],
    share: str | None,
    within: float,
    loo: bool,
    output_format: str,
    out_dir: Path | None,
    solver_given: dict[str, Any],
    jobs: int | None,
    lang: str,
) -> None:
    """Learn valuations from observed choices (inverse optimisation): the values of the figures to fit
    under which each observed pool of GIVEN is optimal, or as close as the plausible ranges allow, with
    the range that keeps them within a share of optimal and the fit leaving one cooperation out."""
    from cli.calibrate import document, figures_table, render, write_files
    from inputs.configuration import read_observed
    from optimizer.calibrate import calibrate as run

    loaded = load_scenario(scenario, list(overrides))
    observed = read_observed(given, loaded)
    aggregate = _share_option(share if share is not None or paths else CALIBRATED_SHARE)
    options = replace(solver_settings(loaded, solver_given), decompose="none")
    if out_dir is not None:
        check_folder(out_dir, "--out")
    with local_executor(jobs, STOP) as executor:
        result = run(
            loaded,
            observed,
            list(paths or CALIBRATED),
            options,
            within=within / 100,
            folds=loo,
            executor=executor,
            progress=say,
            stop=STOP,
            share=aggregate,
        )
    if result.interrupted:
        say(
            says(
                f"Interrupted: the fit after {result.fit.rounds} rounds is kept; it is not proven the best.",
                f"Onderbroken: de fit na {result.fit.rounds} rondes is bewaard; die is niet bewezen de beste.",
            )
        )
    if out_dir is not None:
        written = write_files(result, out_dir)
        say(wrote(written, out_dir))
    show_study(
        output_format,
        lambda: document(result),
        lambda: figures_table(result),
        lambda console: render(result, console, lang),
    )


def _report_observed(reference: str, scenario: Scenario, given: str | None) -> Observed | None:
    """The observed configuration of the report: the one given (bad input when it does not fit), else a
    seed region's own of 2007 when the scenario is that built-in region and the file fits it."""
    from inputs.configuration import builtin_observed, read_observed

    if given is not None:
        return read_observed(given, scenario)
    own = f"{reference}-2007"
    if own not in builtin_observed() or reference not in builtin_names():
        return None
    try:
        return read_observed(own, scenario)
    except InputError as error:  # the region was changed (--set) so that 2007 no longer fits it
        say(f"What {scenario.name} did in 2007 is left out: {error.problems[0]}")
        return None


def _given_configuration(folder: Path, scenario: Scenario) -> Evaluation:
    """The configuration in a `seta solve --out` folder or a file of pools, evaluated on this scenario;
    bad input (exit 2) when it names what the scenario lacks or breaks its rules."""
    from inputs.configuration import read_configuration
    from optimizer.evaluate import evaluate
    from optimizer.instance import IN_HOUSE, Instance, Placement

    pools = read_configuration(folder, scenario)
    instance = Instance(scenario)
    configuration = {
        (code, domain): Placement(*pools[code, domain]) if (code, domain) in pools else Placement(code, IN_HOUSE)
        for code in instance.codes
        for domain in instance.domains
    }
    chosen = evaluate(instance, configuration)
    if chosen.violations:
        place = f"{folder.name}/pools.csv" if folder.is_dir() else folder.name
        raise InputError(
            [Problem(place, f"does not fit {scenario.name}: {violation}") for violation in chosen.violations[:10]]
        )
    return chosen


@cli.command()
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--key",
    "keys",
    multiple=True,
    metavar="KEY",
    help="A cost-sharing key: inhabitants, use (workload), equal, or fixed:SHARE+use (e.g. fixed:0.3+use: 30 % "
    "in equal shares, 70 % by use). Repeat for several; default: inhabitants, use and equal.",
)
@click.option(
    "--config",
    "config_dir",
    type=click.Path(path_type=Path),
    help="Split this configuration by the keys instead of the best one: a folder written by seta solve --out "
    "(its pools.csv), or a CSV or YAML file of pools (docs/observed.md).",
)
@participation_option
@format_option
@out_folder_option(
    "Write allocation.csv, blocking.csv, valuations.csv, the charts (PNG), shares.html and seta.xlsx to this folder."
)
@click.option(
    "--orders",
    type=click.IntRange(20, 100_000),
    default=40,
    show_default=True,
    help="Beyond 10 members: the Shapley value is sampled over this many orders of joining (with its "
    "standard error; fewer than 20 would leave the error itself unreliable); every coalition is solved up to 10.",
)
@solver_options
@jobs_option
@cluster_options
@lang_option
@user_errors
def allocate(
    scenario: str,
    overrides: tuple[str, ...],
    keys: tuple[str, ...],
    config_dir: Path | None,
    participation: str | None,
    output_format: str,
    out_dir: Path | None,
    orders: int,
    solver_given: dict[str, Any],
    jobs: int | None,
    dask_scheduler: str | None,
    dask_workers: int | None,
    lang: str,
) -> None:
    """Who pays what: each member's annual cash cost under each cost-sharing key and under the Shapley
    value (a re-solve per coalition), against what it would pay alone; and every group of members
    that would be better off on its own."""
    from cli.allocate import document, render, write_files
    from inputs.keys import BadKey, parse_key
    from optimizer.allocate import EXACT_MEMBERS, fair_shares

    parsed = []
    for text in keys or ("inhabitants", "use", "equal"):
        try:
            parsed.append(parse_key(text))
        except BadKey as error:
            raise InputError([Problem("--key", str(error))]) from None
    loaded = load_scenario(scenario, with_participation(overrides, participation))
    options = replace(solver_settings(loaded, solver_given), decompose="none")
    given = None if config_dir is None else _given_configuration(config_dir, loaded)
    if out_dir is not None:
        check_folder(out_dir, "--out")
    members = len(loaded.municipalities)
    if members > EXACT_MEMBERS:
        say(
            says(
                f"Solving {loaded.name} along {orders} sampled orders of joining ({members} members: every coalition "
                f"is solved only up to {EXACT_MEMBERS})...",
                f"{loaded.name} oplossen langs {orders} getrokken volgorden van toetreden ({members} leden: elke "
                f"coalitie wordt alleen tot {EXACT_MEMBERS} opgelost)...",
            )
        )
    else:
        say(
            says(
                f"Solving {loaded.name} for each of its {2**members - 1} coalitions...",
                f"{loaded.name} oplossen voor elk van zijn {2**members - 1} coalities...",
            )
        )
    with (
        cluster(dask_scheduler, dask_workers) as dask,
        cluster_or(dask, lambda: sized_executor(jobs, replace(loaded, solver=options))) as executor,
    ):
        shares = fair_shares(
            loaded, options, parsed, given, executor=executor, progress=say, orders=orders, seed=options.seed
        )
    end_incomplete(
        dask,
        says(
            "the coalitions were not all solved, so no fair share is given.",
            "de coalities zijn niet alle opgelost, dus er is geen eerlijk aandeel.",
        ),
    )
    if not shares.result.report.has_solution and not STOP.is_set():
        from cli.why import conflict_lines, explain_conflict

        conflict = explain_conflict(shares.result, None, STOP, say)
        for line in conflict_lines(conflict, lang) if conflict is not None else []:
            say(line)
    end_run(shares.result)
    if STOP.is_set():
        fail(
            says(
                "Interrupted: the coalitions were not all solved, so no fair share is given.",
                "Onderbroken: de coalities zijn niet alle opgelost, dus er is geen eerlijk aandeel.",
            ),
            EXIT_INTERRUPTED,
        )
    if out_dir is not None:
        written = write_files(shares, out_dir, loaded.name, lang)
        say(wrote(written, out_dir))
    show_study(
        output_format,
        lambda: document(shares),
        shares.table,
        lambda console: render(shares, console, lang),
    )


@cli.command()
@click.argument("scenario", default="kempen")
@click.option("--port", type=click.IntRange(0, 65535), default=8050, show_default=True, help="0: any free port.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Where to listen. Only this machine by default; another address lets others on the network in, "
    "and then every request needs the token printed in the page's address.",
)
@solver_options
@lang_option
@user_errors
def serve(scenario: str, port: int, host: str, solver_given: dict[str, Any], lang: str) -> None:
    """A workshop page for SCENARIO: change who takes part, the domains, structures, weights, limits
    and politics, and the answer re-solves in place. The page's address holds its settings (send it
    round afterwards); it offers them as a scenario file that seta solve reproduces."""
    from cli.serve import Workshop
    from cli.serve import serve as run_server
    from inputs.loader import read_source

    source = read_source(scenario)
    base = source.scenario()
    options = solver_settings(base, solver_given)
    if host not in ("127.0.0.1", "localhost", "::1"):
        say(
            says(
                f"Warning: listening on {host}: anyone who can reach this machine there can use the page (it "
                "reads and writes no files, but it solves on this machine).",
                f"Let op: seta luistert op {host}: iedereen die deze machine daar bereikt kan de pagina gebruiken "
                "(die leest en schrijft geen bestanden, maar rekent op deze machine).",
            )
        )
    workshop = Workshop(source, options, lang)
    try:
        run_server(
            workshop,
            host,
            port,
            lambda url: say(
                says(
                    f"seta serve: {base.name} at {url} (Ctrl-C stops)",
                    f"seta serve: {base.name} op {url} (Ctrl-C stopt)",
                )
            ),
            STOP,
            log=say,
        )
    except OSError as error:
        raise InputError(
            [
                Problem(
                    f"--host {host} --port {port}",
                    says("cannot listen there: ", "kan daar niet luisteren: ") + str(error.strerror or error),
                )
            ]
        ) from None
    say(says("Stopped.", "Gestopt."))


def _report_pdf(out_path: Path) -> Path:
    """Where --pdf prints the report: beside the HTML, under its name (report.html: report.pdf).
    Checked first, Chromium included, so that a run that cannot print does not solve first."""
    from cli.pdf import require_chromium

    require_chromium()
    target = out_path.with_suffix(".pdf")
    if target == out_path:
        raise InputError([Problem(f"--out {out_path}", "with --pdf the HTML needs a name of its own (report.html)")])
    check_file(target, "--pdf")
    return target


@cli.command()
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="The HTML file to write.",
)
@click.option(
    "--png",
    "png_dir",
    type=click.Path(path_type=Path),
    help="Also write every chart as PNG to this folder, named after what it shows.",
)
@click.option(
    "--shares",
    is_flag=True,
    help="Add a section on who pays what: each member's cost under the keys inhabitants, use and equal, the "
    "Shapley value and the groups better off alone (a solve per coalition, as seta allocate).",
)
@click.option(
    "--draws",
    type=click.IntRange(1, 100_000),
    help="Add a section on whether the advice holds when the uncertain figures move: this many draws, "
    "as `seta robust` solves them.",
)
@click.option(
    "--draw-seed",
    type=click.IntRange(0, 2**32 - 1),
    default=0,
    show_default=True,
    help="Seed of the draws (with --draws).",
)
@click.option(
    "--given",
    metavar="FILE",
    help="Add a section on an observed configuration beside the answer (as seta solve --given). Default, for "
    "the seed's built-in regions: what the region did in 2007 (kempen-2007, ...).",
)
@click.option(
    "--endstates/--no-endstates",
    default=True,
    help="Solve the best configuration under each form of cooperation (a solve per form, often most of the "
    "report's time). --no-endstates leaves them out, and the report says so in their place.",
)
@click.option(
    "--pathway",
    "with_pathway",
    is_flag=True,
    help="Add a section on the way there, as seta pathway plans it: from the scenario's current: section "
    "(else nobody pools) to the answer over the write-off horizon, with its headline, Gantt chart, cash "
    "chart and table.",
)
@click.option(
    "--pdf",
    is_flag=True,
    help="Also print the report to PDF beside the HTML (report.html: report.pdf), with headless Chromium "
    "(chromium or chromium-browser on PATH; without it: exit 2 before any work).",
)
@solver_options
@jobs_option
@cluster_options
@lang_option
@explain_option
@tie_option
@user_errors
def report(
    scenario: str,
    overrides: tuple[str, ...],
    out_path: Path,
    png_dir: Path | None,
    shares: bool,
    draws: int | None,
    draw_seed: int,
    given: str | None,
    endstates: bool,
    with_pathway: bool,
    pdf: bool,
    solver_given: dict[str, Any],
    jobs: int | None,
    dask_scheduler: str | None,
    dask_workers: int | None,
    lang: str,
    explain: bool | None,
    tie_percent: float,
) -> None:
    """One self-contained HTML report (opens offline): the answer and why, charts, end states, what the
    region did (for the seed's regions, or with --given), (with --draws) whether the advice holds under
    uncertain figures, (with --pathway) the way there over the years, and the assumptions (folded); it
    prints on A4, and with --pdf to PDF."""
    from cli.studies import write_report

    pdf_path = _report_pdf(out_path) if pdf else None
    loaded = load_scenario(scenario, list(overrides))
    observed = _report_observed(scenario, loaded, given)
    options = solver_settings(loaded, solver_given)
    check_file(out_path, "--out")
    if draws is not None:
        _check_uncertain(loaded)
    if png_dir is not None:
        check_folder(png_dir, "--png")
    say(says(f"Solving {loaded.name}...", f"{loaded.name} oplossen..."))
    from cli.why import explain_result, explainer

    with (
        cluster(dask_scheduler, dask_workers) as dask,
        cluster_or(dask, lambda: sized_executor(jobs, replace(loaded, solver=options))) as executor,
        cluster_or(dask, lambda: explainer(replace(loaded, solver=options), explain, jobs, STOP)) as explaining,
        cluster_or(dask, lambda: local_executor(jobs, STOP)) as solving,
    ):
        result = optimize(loaded, options, progress=say, stop=STOP, executor=solving)
        end_incomplete(dask, says("the report was not written.", "het rapport is niet geschreven."))
        end_run(result)
        explanation = explain_result(result, explain, tie_percent, explaining, say)
        if STOP.is_set():
            fail(
                says("Interrupted: the report was not written.", "Onderbroken: het rapport is niet geschreven."),
                EXIT_INTERRUPTED,
            )
        study = None
        if draws is not None:
            study = _robust_study(loaded, options, draws, draw_seed, "lhs", solving)
        fair = None
        if shares and not STOP.is_set():
            from inputs.keys import parse_key
            from optimizer.allocate import fair_shares

            say(
                says(
                    f"Solving {loaded.name} for its coalitions, for fair shares...",
                    f"{loaded.name} oplossen voor zijn coalities, voor eerlijke aandelen...",
                )
            )
            keys = [parse_key(text) for text in ("inhabitants", "use", "equal")]
            split = replace(options, decompose="none")
            fair = fair_shares(loaded, split, keys, executor=executor, progress=say, orders=40, seed=options.seed)
        end_incomplete(dask, says("the report was not written.", "het rapport is niet geschreven."))
        if STOP.is_set():
            fail(
                says("Interrupted: the report was not written.", "Onderbroken: het rapport is niet geschreven."),
                EXIT_INTERRUPTED,
            )
        comparison = None
        if observed is not None and result.configuration is not None and result.chosen is not None:
            from optimizer.observed import compare_observed

            comparison = compare_observed(result.instance, result.configuration, result.chosen, observed)
        extra = []
        if with_pathway and result.configuration is not None and not STOP.is_set():
            from cli.pathway import pathway_sections

            extra = pathway_sections(loaded, options, result.configuration, lang)
        written = write_report(
            loaded,
            result,
            options,
            out_path,
            png_dir,
            lang,
            executor,
            say,
            explanation,
            study,
            fair,
            comparison,
            endstates,
            pdf_path,
            extra,
        )
    if not written:  # Ctrl-C, or a lost cluster, came before every section was ready
        end_incomplete(dask, says("the report was not written.", "het rapport is niet geschreven."))
        fail("Interrupted: the report was not written.", EXIT_INTERRUPTED)
    if STOP.is_set():  # ... or after: the report was complete, and it was written
        say("Interrupted after the report was complete; it was written whole.")
    with reader_may_leave():
        for path in written:
            click.echo(says(f"Wrote {path}", f"{path} geschreven"))
