"""Plausible ranges of a scenario's figures, grouped into the dimensions a robustness study draws.

Every scenario starts from the default spreads (`inputs.defaults.SPREADS`, listed in docs/model.md):
groups of figures with a range of factors on each figure's value. Its `uncertainty:` block can
change a group, switch it off, switch the defaults off, and give any number figure of the scenario
a range of its own, in the layout of the scenario itself:

    uncertainty:
      groups:
        transition: {low: 0.5, high: 3}       # factors on every transition figure
        staff_cost: off
      domains:
        taxes:
          fte_per_1000: {low: 0.10, high: 0.16}      # values; triangular, peaked at the scenario's
      economics:
        horizon_years: {low: 5, high: 12, distribution: uniform}
      weights:
        quality: {low: 0.2, high: 0.4, group: valuations}

A figure with a range of its own is a dimension of its own, unless `group:` names another figure's
group (then the two move together: the same quantile of each range in every draw).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, replace
from typing import Any, cast

import numpy as np

from inputs import defaults, schema
from inputs.labels import figure as figure_text
from inputs.labels import language, says
from inputs.problems import suggestion
from inputs.reader import Reader, as_number, kind_of
from inputs.types import Distribution, Scenario, Uncertain, Uncertainty

#: the sections of a scenario whose figures can be uncertain, and their declarations
SECTIONS: Mapping[str, Mapping[str, schema.Spec]] = {
    "domains": schema.DOMAIN,
    "structures": schema.STRUCTURE,
    "economics": schema.ECONOMICS,
    "weights": schema.WEIGHTS,
    "limits": schema.LIMITS,
}
KEYS = ("defaults", "groups", *SECTIONS)
RANGE_KEYS = ("low", "high", "distribution", "group")
DISTRIBUTIONS: tuple[Distribution, ...] = ("triangular", "uniform")
SAMPLINGS = ("lhs", "sobol")
#: beyond this many dimensions a few hundred draws say little about each one (the defaults have up to 18:
#: a region with prior ties and a matrix in play)
MANY_DIMENSIONS = 18


def _numbers(specs: Mapping[str, schema.Spec]) -> tuple[str, ...]:
    return tuple(key for key, spec in specs.items() if spec.kind == "number" and not spec.fixed)


def _off(value: Any) -> bool:
    return value is False or value == "off"


def parse(reader: Reader, value: Any, scenario: Scenario) -> Uncertainty:
    """The scenario's uncertain figures: the default spreads as changed by its `uncertainty:` block."""
    block = reader.mapping(value, "uncertainty", KEYS)
    use_defaults = block.get("defaults", True)
    if not isinstance(use_defaults, bool):
        reader.add(
            "uncertainty.defaults",
            says("expected true or false, got ", "verwacht true of false, kreeg ") + kind_of(use_defaults),
        )
        use_defaults = True
    spreads = _groups(reader, block.get("groups"), use_defaults)
    figures: dict[str, Uncertain] = {}
    labels: dict[str, tuple[str, str]] = {}
    for group, spread in spreads.items():
        labels[group] = (spread.label, spread.label_nl)
        for figure in _spread_figures(scenario, group, spread):
            figures[figure.path] = figure
    for path, given in _given(reader, block, scenario):
        if _off(given):
            figures.pop(path, None)
            continue
        own = _own_range(reader, path, given, scenario)
        if own is not None:
            figures.pop(path, None)
            figures[path] = own
            labels.setdefault(own.group, (path, path))
    return Uncertainty(tuple(figures.values()), labels)


def _groups(reader: Reader, value: Any, use_defaults: bool) -> dict[str, defaults.Spread]:
    spreads = dict(defaults.SPREADS) if use_defaults else {}
    for group, given in reader.mapping(value, "uncertainty.groups", tuple(defaults.SPREADS)).items():
        path = f"uncertainty.groups.{group}"
        if _off(given):
            spreads.pop(group, None)
            continue
        entry = reader.mapping(given, path, ("low", "high", "distribution"))
        spread = defaults.SPREADS[group]
        factor = schema.Spec("number", "factor", "factor", "x", 0, 100)
        low = _number(reader, entry.get("low", spread.low), f"{path}.low", factor)
        high = _number(reader, entry.get("high", spread.high), f"{path}.high", factor)
        distribution = _distribution(reader, entry.get("distribution", spread.distribution), f"{path}.distribution")
        if low is None or high is None or distribution is None:
            continue
        if low > high:
            reader.add(path, _low_above_high(low, high))
            continue
        if distribution == "triangular" and not low <= 1 <= high:
            span = f"{_shown(low)}-{_shown(high)}"
            reader.add(
                path,
                says(
                    f"a triangular spread peaks at the scenario's value (factor 1), which lies outside {span}; "
                    "widen the range or give distribution: uniform",
                    f"een driehoeksspreiding piekt bij de waarde van het scenario (factor 1), die buiten {span} "
                    "ligt; verbreed het bereik of geef distribution: uniform",
                ),
            )
            continue
        spreads[group] = replace(spread, low=low, high=high, distribution=distribution)
    return spreads


def _shown(value: float) -> str:
    return figure_text(value, language())


def _low_above_high(low: float, high: float) -> str:
    return says(
        f"low {low:g} is above high {high:g} (expected low at most high)",
        f"low {_shown(low)} ligt boven high {_shown(high)} (verwacht low hoogstens high)",
    )


def _spread_figures(scenario: Scenario, group: str, spread: defaults.Spread) -> list[Uncertain]:
    """The figures of the scenario a default spread covers, with their ranges (none that are 0)."""
    found = []
    for pattern in spread.figures:
        section, key = pattern.split(".")
        spec = SECTIONS[section][key]
        if section in ("domains", "structures"):
            table = defaults.DOMAINS if section == "domains" else defaults.STRUCTURES
            items = scenario.domains if section == "domains" else scenario.structures
            owners = [
                (f"{section}.{item.key}.{key}", getattr(item, key))
                for item in items
                if drawn_by_default(table[item.key][key])
            ]
        elif pattern == "economics.tie_discount" and not scenario.ties:
            owners = []  # it changes nothing in a region without prior ties: no dimension
        else:
            owners = [(pattern, getattr(getattr(scenario, section), key))]
        for path, value in owners:
            if value is None or value == 0:
                continue
            low, high = spread_range(spec, value, spread)
            if high > low:
                distribution = cast(Distribution, spread.distribution)
                found.append(Uncertain(path, float(value), low, high, distribution, group))
    return found


def drawn_by_default(figure: defaults.Figure) -> bool:
    """A default spread covers a figure unless the figure's default is a definition."""
    return not str(figure.source).startswith("definition")


def spread_range(spec: schema.Spec, value: float, spread: defaults.Spread) -> tuple[float, float]:
    """A figure's range under a spread: its value times the spread's factors, cut at what it allows."""
    return _clipped(spec, value * spread.low, value * spread.high)


def _clipped(spec: schema.Spec, low: float, high: float) -> tuple[float, float]:
    if spec.low is not None:
        low, high = max(low, spec.low), max(high, spec.low)
    if spec.high is not None:
        low, high = min(low, spec.high), min(high, spec.high)
    return low, high


def _given(reader: Reader, block: Mapping[str, Any], scenario: Scenario) -> list[tuple[str, Any]]:
    """(path, range) of every figure the block gives a range of its own, each checked to exist."""
    found: list[tuple[str, Any]] = []
    for section in ("domains", "structures"):
        in_play = [item.key for item in getattr(scenario, section)]
        noun = section.removesuffix("s")
        for key, figures in reader.mapping(block.get(section), f"uncertainty.{section}", None).items():
            if key not in in_play:
                listed = ", ".join(in_play)
                dutch = {"domain": "taakveld", "structure": "vorm"}[noun]
                reader.add(
                    f"uncertainty.{section}.{key}",
                    says(
                        f"{noun} '{key}' is not in play in this scenario (in play: {listed})",
                        f"{dutch} '{key}' speelt niet mee in dit scenario (speelt mee: {listed})",
                    ),
                )
                continue
            found += _section(reader, figures, f"{section}.{key}", SECTIONS[section])
    for section in ("economics", "weights", "limits"):
        found += _section(reader, block.get(section), section, SECTIONS[section])
    return found


def _section(reader: Reader, value: Any, path: str, specs: Mapping[str, schema.Spec]) -> list[tuple[str, Any]]:
    found = []
    numbers = _numbers(specs)
    for key, given in reader.mapping(value, f"uncertainty.{path}", None).items():
        if key not in specs:
            reader.add(
                f"uncertainty.{path}.{key}", says("unknown figure; ", "onbekend kengetal; ") + suggestion(key, numbers)
            )
        elif key not in numbers:
            what = says("a definition", "een definitie") if specs[key].fixed else specs[key].what()
            listed = ", ".join(numbers)
            reader.add(
                f"uncertainty.{path}.{key}",
                says(
                    f"{key} is {what}, not a number that can vary (expected one of: {listed})",
                    f"{key} is {what}, geen getal dat kan variëren (verwacht een van: {listed})",
                ),
            )
        else:
            found.append((f"{path}.{key}", given))
    return found


def _own_range(reader: Reader, path: str, given: Any, scenario: Scenario) -> Uncertain | None:
    place = f"uncertainty.{path}"
    entry = reader.mapping(given, place, RANGE_KEYS)
    if not isinstance(given, dict):
        return None
    missing = [key for key in ("low", "high") if key not in entry]
    if missing:
        reader.add(
            place,
            says(
                f"missing {' and '.join(missing)} (expected a range such as {{low: 1, high: 2}})",
                f"{' en '.join(missing)} ontbreekt (verwacht een bereik zoals {{low: 1, high: 2}})",
            ),
        )
        return None
    spec = SECTIONS[path.split(".")[0]][path.rsplit(".", 1)[1]]
    low = _number(reader, entry["low"], f"{place}.low", spec)
    high = _number(reader, entry["high"], f"{place}.high", spec)
    value = figure_value(scenario, path)
    default = "triangular" if value is not None else "uniform"
    distribution = _distribution(reader, entry.get("distribution", default), f"{place}.distribution")
    group = entry.get("group", path)
    if not isinstance(group, str) or not group.strip():
        reader.add(
            f"{place}.group",
            says("expected a group name, got ", "verwacht de naam van een groep, kreeg ") + kind_of(group),
        )
        return None
    if low is None or high is None or distribution is None:
        return None
    if low > high:
        reader.add(place, _low_above_high(low, high))
        return None
    if distribution == "triangular":
        if value is None:
            reader.add(
                place,
                says(
                    "a triangular range peaks at the scenario's value, and it has none; give uniform",
                    "een driehoeksbereik piekt bij de waarde van het scenario, en dat heeft er geen; geef uniform",
                ),
            )
            return None
        if not low <= value <= high:
            span = f"{_shown(low)}-{_shown(high)}"
            reader.add(
                place,
                says(
                    f"a triangular range peaks at the scenario's value {value:g}, which lies outside {span}; "
                    "widen the range or give distribution: uniform",
                    f"een driehoeksbereik piekt bij de waarde {_shown(value)} van het scenario, die buiten {span} "
                    "ligt; verbreed het bereik of geef distribution: uniform",
                ),
            )
            return None
    return Uncertain(path, value, low, high, distribution, group.strip())


def _number(reader: Reader, value: Any, path: str, spec: schema.Spec) -> float | None:
    if as_number(value) is None:
        reader.add(path, says("expected a number, got ", "verwacht een getal, kreeg ") + kind_of(value))
        return None
    ok, number = reader.figure(value, path, replace(spec, optional=False))
    return float(number) if ok else None


def _distribution(reader: Reader, value: Any, path: str) -> Distribution | None:
    if value not in DISTRIBUTIONS:
        shown = f"'{value}'" if isinstance(value, str) else kind_of(value)
        listed = ", ".join(DISTRIBUTIONS)
        reader.add(
            path,
            says(
                f"unknown distribution {shown}; expected one of: {listed}",
                f"onbekende verdeling {shown}; verwacht een van: {listed}",
            ),
        )
        return None
    return cast(Distribution, value)


def figure_value(scenario: Scenario, path: str) -> float | None:
    """The scenario's value of a figure by its path (`domains.taxes.fte_per_1000`)."""
    section, *rest = path.split(".")
    if section in ("domains", "structures"):
        key, name = rest
        item = next(i for i in getattr(scenario, section) if i.key == key)
        return cast(float | None, getattr(item, name))
    return cast(float | None, getattr(getattr(scenario, section), rest[0]))


# -- draws ----------------------------------------------------------------------------------------


def quantiles(dimensions: int, draws: int, seed: int, sampling: str = "lhs") -> np.ndarray:
    """`draws` points spread evenly over the unit cube of `dimensions` (Latin hypercube or scrambled
    Sobol), one row per draw; the same seed gives the same points."""
    from scipy.stats import qmc  # scipy takes a third of a second to import: only when drawing

    if dimensions == 0:
        return np.zeros((draws, 0))
    if sampling == "sobol":
        return cast(np.ndarray, qmc.Sobol(dimensions, scramble=True, seed=seed).random(draws))
    return cast(np.ndarray, qmc.LatinHypercube(dimensions, seed=seed).random(draws))


def values_at(figure: Uncertain, points: np.ndarray) -> np.ndarray:
    """The figure's values at the given quantiles of its range."""
    width = figure.high - figure.low
    if width <= 0:
        return np.full(len(points), figure.low)
    if figure.distribution == "uniform":
        return figure.low + points * width
    from scipy import stats

    assert figure.value is not None
    peak = (figure.value - figure.low) / width
    return cast(np.ndarray, stats.triang.ppf(points, peak, loc=figure.low, scale=width))


def draw_values(uncertainty: Uncertainty, points: np.ndarray) -> list[dict[str, float]]:
    """Each draw's figure values: every figure at its group's quantile."""
    groups = uncertainty.groups
    columns = {f.path: values_at(f, points[:, groups.index(f.group)]) for f in uncertainty.figures}
    return [{path: float(column[row]) for path, column in columns.items()} for row in range(len(points))]


def with_values(scenario: Scenario, values: Mapping[str, float]) -> Scenario:
    """The scenario with some figures set (paths as in `Uncertain.path`)."""
    changes: dict[str, dict[str, dict[str, Any]]] = {"domains": {}, "structures": {}}
    sections: dict[str, dict[str, Any]] = {}
    for path, value in values.items():
        section, *rest = path.split(".")
        if section in changes:
            changes[section].setdefault(rest[0], {})[rest[1]] = value
        else:
            sections.setdefault(section, {})[rest[0]] = value
    domains = tuple(replace(d, **changes["domains"].get(d.key, {})) for d in scenario.domains)
    structures = tuple(replace(s, **changes["structures"].get(s.key, {})) for s in scenario.structures)
    extra = {section: replace(getattr(scenario, section), **figures) for section, figures in sections.items()}
    return replace(scenario, domains=domains, structures=structures, **extra)


def ranges_table(uncertainty: Uncertainty, lang: str = "en") -> list[dict[str, Any]]:
    """One row per uncertain figure: its group, the scenario's value, its range and distribution."""
    return [
        {"group": uncertainty.label(f.group, lang), **{k: v for k, v in asdict(f).items() if k != "group"}}
        for f in uncertainty.figures
    ]
