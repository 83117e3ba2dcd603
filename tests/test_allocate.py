"""Fair shares: coalition values equal brute force; the Shapley value is efficient, symmetric and
equals its definition by orders of joining; the core check equals enumeration."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
from workbook import assert_workbook_equals_csv

from bruteforce import best
from inputs import load_scenario
from inputs.types import Scenario
from optimizer.allocate import Game, blocking, coalition_values, coalitions, shapley
from optimizer.decompose import restrict
from optimizer.evaluate import evaluate
from optimizer.executor import SerialExecutor
from optimizer.instance import IN_HOUSE, Instance, Placement

FOUR = """name: four
municipalities:
  dataset: nl-2007
  members: [Eersel, Bladel, Oirschot, Bergeijk]
domains: [taxes]
structures: [centre, working_group]
"""

TWINS = """name: twins
municipalities:
  table: municipalities.csv
domains: [taxes, hr]
structures: [centre]
"""
TWIN_ROWS = "code,name,population,lat,lon\nGM9001,Aaa,9000,51.40,5.30\nGM9002,Bbb,9000,51.40,5.30\n"
TWIN_ROWS += "GM9003,Ccc,30000,51.45,5.38\n"


def scenario_from(folder: Path, text: str, table: str | None = None) -> Scenario:
    if table is not None:
        (folder / "municipalities.csv").write_text(table, encoding="utf-8")
    path = folder / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(str(path))


def game_of(scenario: Scenario) -> Game:
    return coalition_values(scenario, scenario.solver, executor=SerialExecutor())


def test_coalition_values_equal_brute_force(tmp_path: Path) -> None:
    scenario = scenario_from(tmp_path, FOUR)
    game = game_of(scenario)
    assert len(game.values) == 15 and not game.unproven
    for coalition in coalitions(game.members):
        optimum, _count = best(Instance(restrict(scenario, coalition, "part")))
        assert optimum is not None
        assert game.value(coalition) == pytest.approx(optimum.if_works["cost"], rel=1e-9), sorted(coalition)


def test_shapley_is_efficient_and_equals_the_average_over_orders_of_joining(tmp_path: Path) -> None:
    game = game_of(scenario_from(tmp_path, FOUR))
    values = shapley(game)
    assert sum(values.values()) == pytest.approx(game.grand, rel=1e-12)
    orders = list(itertools.permutations(game.members))
    for member in game.members:
        marginal = 0.0
        for order in orders:
            before = frozenset(order[: order.index(member)])
            marginal += game.value(before | {member}) - game.value(before)
        assert values[member] == pytest.approx(marginal / len(orders), rel=1e-12)


def test_twins_get_the_same_share(tmp_path: Path) -> None:
    game = game_of(scenario_from(tmp_path, TWINS, TWIN_ROWS))
    values = shapley(game)
    assert values["GM9001"] == pytest.approx(values["GM9002"], rel=1e-9)
    assert values["GM9003"] != pytest.approx(values["GM9001"], rel=1e-3)


def test_the_core_check_equals_enumeration(tmp_path: Path) -> None:
    game = game_of(scenario_from(tmp_path, FOUR))
    alone = {m: game.value(frozenset([m])) for m in game.members}
    # charge the whole saving of the grand coalition to its first member's favour: the others pay
    # their stand-alone cost and the first one the rest, so coalitions without it are not blocked
    saving = sum(alone.values()) - game.grand
    assert saving > 0
    skewed = dict(alone)
    first, last = game.members[0], game.members[-1]
    skewed[first] -= saving + 50_000
    skewed[last] += 50_000  # the last member now pays more than alone: it blocks on its own
    expected = {
        frozenset(c)
        for size in range(1, len(game.members))
        for c in itertools.combinations(game.members, size)
        if sum(skewed[m] for m in c) > game.value(frozenset(c)) + 0.5
    }
    found = blocking(game, skewed)
    assert {b.coalition for b in found} == expected
    assert frozenset([last]) in expected
    assert all(b.gain == pytest.approx(b.charged - b.alone) and b.gain > 0 for b in found)


def test_a_coalition_without_a_configuration_of_its_own_blocks_nothing() -> None:
    game = Game(("a", "b"), {frozenset("a"): 10.0, frozenset("b"): math.inf, frozenset("ab"): 12.0})
    found = blocking(game, {"a": 11.0, "b": 1.0})  # b alone has no configuration: it cannot leave
    assert [(b.coalition, b.gain) for b in found] == [(frozenset("a"), 1.0)]


def test_every_key_splits_the_whole_cost_and_the_command_shows_it(tmp_path: Path) -> None:
    import json

    from clirun import invoke

    path = tmp_path / "scenario.yaml"
    path.write_text(FOUR, encoding="utf-8")
    result = invoke(
        "allocate", str(path), "--key", "use", "--key", "fixed:0.3+inhabitants", "--key", "equal", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["allocation"]
    grand = game_of(load_scenario(str(path))).grand
    for split in ("use", "fixed:0.3+inhabitants", "equal", "shapley"):
        part = [r for r in rows if r["split"] == split]
        assert len(part) == 4
        assert sum(r["annual_cost_eur"] for r in part) == pytest.approx(grand, abs=0.05)
        assert all(
            r["change_against_alone_eur"] == pytest.approx(r["annual_cost_eur"] - r["alone_eur"], abs=0.02)
            for r in part
        )
    out = tmp_path / "out"
    assert invoke("allocate", str(path), "--out", str(out)).exit_code == 0
    assert_workbook_equals_csv(out, ["allocation", "blocking", "valuations"])
    table = invoke("allocate", str(path))
    assert "Under the Shapley value" in table.stdout and "the key by inhabitants" in table.stdout


def test_a_given_configuration_is_split_and_its_valuations_shown_beside(tmp_path: Path) -> None:
    """--config splits the configuration in a seta solve --out folder: here the four members' taxes
    kept in house but for one centre of two, which is not the best; Shapley stays the game's."""
    import json

    from clirun import invoke

    path = tmp_path / "scenario.yaml"
    path.write_text(FOUR, encoding="utf-8")
    folder = tmp_path / "config"
    folder.mkdir()
    pools = "domain,structure,host_code,member_codes\ntaxes,centre,GM1728,GM1728 GM0770\n"
    (folder / "pools.csv").write_text(pools, encoding="utf-8")
    result = invoke("allocate", str(path), "--config", str(folder), "--key", "use", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    rows = {(r["code"], r["split"]): r for r in document["allocation"]}
    # the two outside the pool pay exactly what they pay alone
    for code in ("GM0823", "GM1724"):
        assert rows[code, "use"]["annual_cost_eur"] == pytest.approx(rows[code, "use"]["alone_eur"], abs=0.01)
    scenario = load_scenario(str(path))
    instance = Instance(scenario)
    configuration = {(c, "taxes"): Placement(c, IN_HOUSE) for c in instance.codes}
    configuration |= {(c, "taxes"): Placement("GM1728", "centre") for c in ("GM1728", "GM0770")}
    cash = evaluate(instance, configuration).if_works["cost"]
    assert sum(rows[c, "use"]["annual_cost_eur"] for c in instance.codes) == pytest.approx(cash, abs=0.05)
    game = game_of(scenario)
    assert cash > game.grand, "the given configuration is not the best"
    assert sum(rows[c, "shapley"]["annual_cost_eur"] for c in game.members) == pytest.approx(game.grand, abs=0.05)
    valuations = {r["code"]: r for r in document["valuations"]}
    assert valuations["GM1728"]["quality_after"] > valuations["GM1728"]["quality_before"]
    assert valuations["GM0823"]["quality_after"] == valuations["GM0823"]["quality_before"]
    assert valuations["GM0823"]["uncovered_days_after"] == valuations["GM0823"]["uncovered_days_before"]


@pytest.mark.parametrize(
    ("pools", "message"),
    [
        (
            "domain,structure,host_code,member_codes\nhr,centre,GM1728,GM1728 GM0770\n",
            "row 2, domain: 'hr' is not in play",
        ),
        (
            "domain,structure,host_code,member_codes\ntaxes,centre,GM1728,GM1728 GM9999\n",
            "row 2, member_codes: unknown municipality 'GM9999'",
        ),
        ("domain,structure,host_code,member_codes\ntaxes,ssc,GM1728,GM1728 GM0770\n", "'ssc' is not allowed"),
        ("domain,structure\ntaxes,centre\n", "missing column(s) host_code, member_codes"),
        (
            "domain,structure,host_code,member_codes\ntaxes,centre,GM0823,GM1728 GM0770\n",
            "config/pools.csv, row 2, host: GM0823 hosts taxes centre at GM0823 but is not among its members",
        ),
        (None, "config: a folder without pools.csv (expected a folder written by seta solve --out, or a CSV"),
    ],
)
def test_a_configuration_that_does_not_fit_is_bad_input(tmp_path: Path, pools: str | None, message: str) -> None:
    from clirun import invoke

    path = tmp_path / "scenario.yaml"
    path.write_text(FOUR, encoding="utf-8")
    folder = tmp_path / "config"
    folder.mkdir()
    if pools is not None:
        (folder / "pools.csv").write_text(pools, encoding="utf-8")
    result = invoke("allocate", str(path), "--config", str(folder))
    assert result.exit_code == 2, result.output
    assert message in result.stderr


ALONE = "domain,structure,host_code,member_codes\ntaxes,centre,GM1728,GM1728\n"
HOSTED_OUTSIDE = "domain,structure,host_code,member_codes\ntaxes,centre,GM0823,GM1728 GM0770\n"


@pytest.mark.parametrize(
    ("lang", "pools", "message"),
    [
        (
            "en",
            ALONE,
            "config/pools.csv: does not fit four: taxes centre pool hosted by GM1728: 1 members, allowed 2-6",
        ),
        (
            "nl",
            ALONE,
            "config/pools.csv: past niet bij four: centrumgemeente voor belastingen bij GM1728: "
            "1 deelnemer(s), toegestaan 2-6",
        ),
        (
            "nl",
            HOSTED_OUTSIDE,
            "config/pools.csv, row 2, host: GM0823 is gastheer van centrumgemeente voor belastingen bij GM0823, "
            "maar hoort niet bij de leden",
        ),
    ],
)
def test_a_configuration_that_breaks_a_rule_names_it_in_the_runs_language(
    tmp_path: Path, lang: str, pools: str, message: str
) -> None:
    """The pool a pools.csv row describes is named by its key in English ('taxes centre at GM0823')
    and in Dutch words with --lang nl; the rule it breaks likewise."""
    from clirun import invoke

    path = tmp_path / "scenario.yaml"
    path.write_text(FOUR, encoding="utf-8")
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "pools.csv").write_text(pools, encoding="utf-8")
    result = invoke("allocate", str(path), "--config", str(folder), "--lang", lang)
    assert result.exit_code == 2, result.output
    assert f"  - {message}\n" in result.stderr


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("population", "--key: unknown key 'population'; expected inhabitants, use, equal, or fixed:SHARE+"),
        ("fixed:1.5+use", "--key: the fixed share 1.5 in 'fixed:1.5+use' is outside 0-1"),
        ("fixed:x+use", "--key: 'x' in 'fixed:x+use' is not a number"),
        (
            "population --lang nl",
            "--key: onbekende sleutel 'population'; verwacht inhabitants, use, equal, of fixed:AANDEEL+inhabitants "
            "of fixed:AANDEEL+use (AANDEEL van 0 tot 1)",
        ),
        ("fixed:1.5+use --lang nl", "--key: het vaste aandeel 1.5 in 'fixed:1.5+use' ligt buiten 0-1; verwacht "),
        ("fixed:x+use --lang nl", "--key: 'x' in 'fixed:x+use' is geen getal; verwacht "),
    ],
)
def test_a_bad_key_is_bad_input(key: str, message: str) -> None:
    from clirun import invoke

    result = invoke("allocate", "beek", "--key", *key.split())
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_key_splits_each_pool_as_it_says(tmp_path: Path) -> None:
    from inputs.keys import parse_key
    from optimizer import optimize
    from optimizer.shares import pool_shares

    scenario = scenario_from(tmp_path, FOUR)
    result = optimize(scenario)
    population = {m.code: m.population for m in scenario.municipalities}
    for text in ("equal", "inhabitants", "use", "fixed:0.3+inhabitants"):
        shares = pool_shares(result.instance, result.chosen.services, parse_key(text))
        assert shares, "the four pool their taxes"
        for pool in {s.pool for s in shares}:
            members = [s for s in shares if s.pool == pool]
            assert sum(s.share for s in members) == pytest.approx(1.0)
            people = sum(population[s.member] for s in members)
            for s in members:
                by_people = population[s.member] / people
                expected = {
                    "equal": 1 / len(members),
                    "inhabitants": by_people,
                    "use": s.share,  # workload is inhabitants x FTE per 1,000 here: checked below
                    "fixed:0.3+inhabitants": 0.3 / len(members) + 0.7 * by_people,
                }[text]
                assert s.share == pytest.approx(expected)
    use = pool_shares(result.instance, result.chosen.services, parse_key("use"))
    inhabitants = pool_shares(result.instance, result.chosen.services, parse_key("inhabitants"))
    # without tables of their own, a member's workload is proportional to its inhabitants
    assert [s.share for s in use] == pytest.approx([s.share for s in inhabitants])


def hand_game(pairs: float, grand: float) -> Game:
    values = {frozenset(c): 10.0 for c in "abc"}
    values |= {frozenset(c): pairs for c in ("ab", "ac", "bc")}
    values[frozenset("abc")] = grand
    return Game(("a", "b", "c"), values)


def test_the_stable_split_is_equal_where_the_game_is_symmetric_and_absent_where_the_core_is_empty() -> None:
    from optimizer.allocate import equal_profit

    stable = equal_profit(hand_game(pairs=18.0, grand=25.0))
    assert stable is not None
    assert list(stable.values()) == pytest.approx([25 / 3] * 3)
    # every pair pays 12 on its own, so all three together can be charged at most 18: not 20
    assert equal_profit(hand_game(pairs=12.0, grand=20.0)) is None


def test_the_stable_split_of_a_region_keeps_every_group_in(tmp_path: Path) -> None:
    from optimizer.allocate import equal_profit

    game = game_of(scenario_from(tmp_path, FOUR))
    stable = equal_profit(game)
    assert stable is not None
    assert sum(stable.values()) == pytest.approx(game.grand, rel=1e-9)
    assert blocking(game, stable) == []
    savings = [1 - stable[m] / game.value(frozenset([m])) for m in game.members]
    shapley_savings = [1 - v / game.value(frozenset([m])) for m, v in shapley(game).items()]
    # as equal as the core allows: never more spread than the Shapley value's, which is in this core
    assert blocking(game, shapley(game)) == []
    assert max(savings) - min(savings) <= max(shapley_savings) - min(shapley_savings) + 1e-9


def random_game(members: str, seed: int) -> Game:
    """A game with a cost per coalition that grows less than in proportion (economies of scale)."""
    import random

    generator = random.Random(seed)
    size = {m: generator.uniform(1, 10) for m in members}
    values = {c: sum(size[m] for m in c) ** 0.8 + generator.uniform(0, 0.5) for c in coalitions(list(members))}
    return Game(tuple(members), values)


def test_the_sampled_shapley_value_is_efficient_and_within_its_stated_error() -> None:
    from optimizer.allocate import sampled_orders, shapley_sampled

    game = random_game("abcdef", seed=3)
    exact = shapley(game)
    for count in (20, 40, 100):
        sampled = Game(game.members, game.values, orders=sampled_orders(game.members, count, seed=count))
        assert not sampled.exact and len(sampled.orders) == count
        values, errors = shapley_sampled(sampled)
        assert sum(values.values()) == pytest.approx(game.grand, rel=1e-12)
        for member in game.members:
            assert abs(values[member] - exact[member]) <= 4 * errors[member] + 1e-9, (member, count)
    # twins are interchangeable: every order gives each the same marginal cost on average only, but a
    # game where every member adds the same has no sampling error at all
    flat = Game(("a", "b", "c"), {c: 5.0 * len(c) for c in coalitions(["a", "b", "c"])})
    values, errors = shapley_sampled(Game(flat.members, flat.values, orders=sampled_orders(flat.members, 6)))
    assert values == pytest.approx({"a": 5.0, "b": 5.0, "c": 5.0}) and max(errors.values()) == 0.0


#: eleven towns 13 km apart, each within reach of its neighbours only: the coalitions' solves are
#: small, and the sampling is what the test is about
ELEVEN = """name: eleven
municipalities:
  table: municipalities.csv
domains: [taxes]
structures: [centre]
limits: {max_travel_km: 20}
"""


def test_beyond_ten_members_the_command_samples_and_says_so(tmp_path: Path) -> None:
    import json

    from clirun import invoke

    rows = "code,name,population,lat,lon\n" + "".join(
        f"GM{9100 + n},Town {chr(65 + n)},{6000 + 2500 * n},{51.40 + 0.1 * n:.2f},{5.30 + 0.1 * n:.2f}\n"
        for n in range(11)
    )
    (tmp_path / "municipalities.csv").write_text(rows, encoding="utf-8")
    path = tmp_path / "eleven.yaml"
    path.write_text(ELEVEN, encoding="utf-8")
    result = invoke("allocate", str(path), "--orders", "20", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["exact"] is False and document["orders_sampled"] == 20 and document["core_empty"] is None
    shapley_rows = [r for r in document["allocation"] if r["split"] == "shapley"]
    assert len(shapley_rows) == 11
    assert sum(r["annual_cost_eur"] for r in shapley_rows) == pytest.approx(document["best_annual_cost_eur"], abs=0.1)
    assert set(document["shapley_standard_error_eur"]) == {f"GM{9100 + n}" for n in range(11)}
    assert "along 20 sampled orders of joining (11 members" in result.stderr


def test_the_report_shows_who_pays_what_in_english_and_dutch(tmp_path: Path) -> None:
    from clirun import invoke

    path = tmp_path / "scenario.yaml"
    path.write_text(FOUR, encoding="utf-8")
    for lang, title, subsidy in (
        ("en", "Who pays what: fair shares", "Who subsidises whom"),
        ("nl", "Wie betaalt wat: eerlijke verdeling", "Wie betaalt voor wie"),
    ):
        out = tmp_path / f"report-{lang}.html"
        result = invoke("report", str(path), "--shares", "--lang", lang, "--no-explain", "--out", str(out))
        assert result.exit_code == 0, result.output
        page = out.read_text(encoding="utf-8")
        assert title in page and subsidy in page
