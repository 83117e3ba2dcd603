"""Observed configurations: the file format (three layouts, one reader), the shipped configurations,
and the distance measures against known values and their pair-counting definitions."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inputs import load_scenario
from inputs.configuration import builtin_observed, read_observed
from inputs.problems import InputError
from optimizer.agreement import adjusted_rand_index, agreement, pooling_share
from optimizer.evaluate import evaluate
from optimizer.instance import IN_HOUSE, Configuration, Instance, Placement

TAX_STUDY = ["domains=[taxes]", "structures=[working_group, centre, joint_body]"]


def configuration(instance: Instance, pools: dict[tuple[str, str], tuple[str, str]]) -> Configuration:
    return {
        (c, d): Placement(*pools[c, d]) if (c, d) in pools else Placement(c, IN_HOUSE)
        for c in instance.codes
        for d in instance.domains
    }


# -- the adjusted Rand index -----------------------------------------------------------------------


def rand_by_pairs(truth: list[int], found: list[int]) -> float:
    """The adjusted Rand index from its pair counts (Hubert & Arabie 1985, eq. 5): a = pairs together in
    both, b and c together in one only, d apart in both; independent of the contingency-table form."""
    a = b = c = d = 0
    for i, j in combinations(range(len(truth)), 2):
        same_truth, same_found = truth[i] == truth[j], found[i] == found[j]
        a += same_truth and same_found
        b += same_truth and not same_found
        c += same_found and not same_truth
        d += not same_truth and not same_found
    denominator = (a + b) * (b + d) + (a + c) * (c + d)
    return 1.0 if denominator == 0 else 2 * (a * d - b * c) / denominator


def test_the_adjusted_rand_index_of_known_cases() -> None:
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 1]) == 1.0
    assert adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0  # the names of clusters do not count
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(4 / 7)  # scikit-learn's example
    assert adjusted_rand_index([0, 0, 0, 0], [0, 1, 2, 3]) == 0.0
    assert adjusted_rand_index([0, 1, 2], [0, 1, 2]) == 1.0  # all alone in both: equal, nothing to adjust
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), min_size=2, max_size=12))
def test_the_adjusted_rand_index_equals_its_pair_count_form(labels: list[tuple[int, int]]) -> None:
    truth, found = [t for t, _ in labels], [f for _, f in labels]
    assert adjusted_rand_index(truth, found) == pytest.approx(rand_by_pairs(truth, found), abs=1e-12)


# -- the measures on a configuration -----------------------------------------------------------------


def test_recall_precision_and_rand_on_a_known_case() -> None:
    """Kempen's taxes: in reality Eersel, Bladel and Oirschot pool (3 pairs); seta pools Eersel and
    Bladel, and Reusel-De Mierden with Bergeijk. One real pair is kept (recall 1/3); of seta's two
    pairs, one is real and one lies between municipalities alone in reality (precision 1/2)."""
    instance = Instance(load_scenario("kempen", ["domains=[taxes]"]))
    eersel, bladel, oirschot, reusel, bergeijk = "GM0770", "GM1728", "GM0823", "GM1667", "GM1724"
    real = configuration(instance, {(c, "taxes"): (bladel, "centre") for c in (eersel, bladel, oirschot)})
    found = configuration(
        instance,
        {(eersel, "taxes"): (bladel, "centre"), (bladel, "taxes"): (bladel, "centre")}
        | {(reusel, "taxes"): (bergeijk, "centre"), (bergeijk, "taxes"): (bergeijk, "centre")},
    )
    items = [(c, "taxes") for c in instance.codes]
    measured = agreement(found, real, items)
    assert (measured.real_pairs, measured.model_pairs, measured.shared_pairs) == (3, 2, 1)
    assert measured.recall == pytest.approx(1 / 3)
    assert measured.precision == pytest.approx(1 / 2)
    assert measured.adjusted_rand == pytest.approx(rand_by_pairs([0, 0, 0, 1, 2], [0, 0, 1, 2, 2]))
    # Bergeijk and Reusel-De Mierden unlisted: unknown, not alone, so their pair no longer counts
    listed = agreement(found, real, items[:3])
    assert (listed.recall, listed.precision) == (pytest.approx(1 / 3), 1.0)
    assert pooling_share(found, instance.codes, "taxes") == pytest.approx(4 / 5)


def test_with_nothing_to_pair_the_measures_say_so() -> None:
    instance = Instance(load_scenario("kempen", ["domains=[taxes]"]))
    alone = instance.status_quo()
    measured = agreement(alone, alone, [(c, "taxes") for c in instance.codes])
    assert (measured.recall, measured.precision, measured.adjusted_rand) == (None, None, 1.0)


# -- the shipped observed configurations -------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in builtin_observed() if n.endswith("-2007")])
def test_the_seed_regions_of_2007_are_configurations_their_scenarios_allow(name: str) -> None:
    scenario = load_scenario(name.removesuffix("-2007"))
    observed = read_observed(name, scenario)
    assert set(observed.covered) == {m.code for m in scenario.municipalities}
    assert set(observed.domains) == {d.key for d in scenario.domains}
    instance = Instance(scenario)
    assert evaluate(instance, configuration(instance, observed.placements())).violations == []


def test_the_kempen_matrix_of_2007_has_a_unit_at_every_member() -> None:
    observed = read_observed("kempen-2007", load_scenario("kempen"))
    assert len(observed.pools) == 5
    assert {pool.structure for pool in observed.pools} == {"matrix"}
    assert len({pool.host for pool in observed.pools}) == 5
    assert all(len(pool.members) == 5 and pool.host_given for pool in observed.pools)


def test_the_training_tax_offices_read_as_joint_bodies_hosted_by_their_largest_member() -> None:
    scenario = load_scenario("nl-2024", TAX_STUDY)
    observed = read_observed("tax-cooperations", scenario, partners_needed=False)
    assert sorted(len(pool.members) for pool in observed.pools) == [1, 8, 8, 11, 13, 29]
    assert len(observed.covered) == 70 and observed.domains == ("taxes",)
    assert {pool.structure for pool in observed.pools} == {"joint_body"}
    assert not any(pool.structure_given or pool.host_given for pool in observed.pools)
    population = {m.code: m.population for m in scenario.municipalities}
    for pool in observed.pools:
        assert population[pool.host] == max(population[c] for c in pool.members)
    bsgw = next(pool for pool in observed.pools if len(pool.members) == 29)
    assert bsgw.host == "GM0935" and bsgw.partners == ("Waterschap Limburg",)  # Maastricht, the largest


def test_a_region_reads_the_part_of_a_national_file_that_lies_inside_it() -> None:
    """Limburg holds BsGW whole; the other five offices lie outside and are left out, not errors."""
    national = load_scenario("nl-2024", TAX_STUDY)
    limburg = [m.code for m in national.municipalities if m.province == "Limburg"]
    scenario = load_scenario("nl-2024", [*TAX_STUDY, f"municipalities.members=[{', '.join(limburg)}]"])
    observed = read_observed("tax-cooperations", scenario, partners_needed=False)
    assert [len(pool.members) for pool in observed.pools] == [29]
    assert len(observed.outside_pools) == 5 and observed.outside_members == 41


def test_a_pool_written_by_solve_out_reads_back_as_it_was(tmp_path: Path) -> None:
    from clirun import invoke

    result = invoke("solve", "kempen", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    scenario = load_scenario("kempen")
    instance = Instance(scenario)
    read = configuration(instance, read_observed(tmp_path / "out", scenario).placements())
    evaluation = evaluate(instance, read)
    summary = (tmp_path / "out" / "summary.json").read_text(encoding="utf-8")
    assert evaluation.violations == []
    assert f"{evaluation.objective:.2f}"[:-3] in summary.replace(",", "")


# -- bad input: the file, the row and what was expected ------------------------------------------------

LONG = "cooperation,domain,member_name,structure\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            LONG + "A,taxes,Eersel,centre\nA,taxes,Bladell,centre\n",
            "observed.csv, row 3, member_name: unknown municipality 'Bladell'; did you mean 'Bladel'?",
        ),
        (
            LONG + "A,taxes,Eersel,centre\nA,taxes,Bladel,centre\nB,taxes,Bladel,centre\nB,taxes,Oirschot,centre\n",
            "observed.csv, row 4: GM1728 is in two taxes pools (A and B)",
        ),
        (
            LONG + "A,taxes,Eersel,centr\nA,taxes,Bladel,centr\n",
            "observed.csv, row 2, structure: 'centr' is not allowed in Kempen; did you mean 'centre'?",
        ),
        (
            LONG + "A,taxis,Eersel,centre\nA,taxis,Bladel,centre\n",
            "observed.csv, row 2, domain: 'taxis' is not in play in Kempen; did you mean 'taxes'?",
        ),
        (
            "cooperation,domain,member_name,structure,water_board_partners\nA,taxes,Eersel,centre,Waterschap De "
            "Dommel\nA,taxes,Bladel,centre,Waterschap De Dommel\n",
            "observed.csv, row 2, partners: partner 'Waterschap De Dommel' has no workload: Kempen does not declare it",
        ),
        (
            "cooperation,domain,member_name\nA,taxes,Eersel\nA,taxes,Bladel\n",
            "observed.csv, row 2, structure: not given for A, and a single-domain joint body (joint_body), the "
            "reading of a pool without a structure, is not allowed in Kempen",
        ),
        (
            LONG + "A,taxes,Eersel,centre\nA,taxes,Tilburg,centre\n",
            "observed.csv, row 2: A has 1 member(s) in Kempen and 1 outside it (GM0855); evaluate it on a scenario "
            "that holds all of its members",
        ),
        ("name,size\nx,1\n", "observed.csv: not a configuration: expected the columns domain, structure"),
    ],
)
def test_a_bad_observed_file_names_its_row_and_what_was_expected(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "observed.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_observed(path, load_scenario("kempen"))
    assert message in str(raised.value)


def test_a_bad_yaml_pool_names_its_key(tmp_path: Path) -> None:
    path = tmp_path / "observed.yaml"
    path.write_text(
        "municipalities: [Eersel, Bladel]\npools:\n  - {name: A, domains: [taxes], structure: matrx, members: all}\n"
        "  - {name: B, domains: [hr], members: [Eersel, Bladel], colour: red}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        read_observed(path, load_scenario("kempen"))
    text = str(raised.value)
    assert "observed.yaml, pools[0], structure: 'matrx' is not allowed in Kempen; did you mean 'matrix'?" in text
    assert "observed.yaml, pools[1].colour: unknown key; expected one of: domains, host, members" in text


def test_an_unknown_reference_suggests_a_built_in_name() -> None:
    with pytest.raises(InputError) as raised:
        read_observed("kempen-2070", load_scenario("kempen"))
    assert "no built-in observed configuration of that name; did you mean 'kempen-2007'?" in str(raised.value)


# -- seta solve --given ---------------------------------------------------------------------------------


def test_solve_given_reports_the_observed_configuration_beside_the_optimum(tmp_path: Path) -> None:
    """Helden as observed in 2007 (a centre municipality for all five domains), costed by the evaluator,
    beside the optimum; the distance as its definitions give it."""
    import json

    from clirun import invoke

    result = invoke("solve", "helden", "--given", "helden-2007", "--format", "json", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)["observed"]
    scenario = load_scenario("helden")
    instance = Instance(scenario)
    observed = read_observed("helden-2007", scenario)
    reality = evaluate(instance, configuration(instance, observed.placements()))
    assert document["observed_objective"] == pytest.approx(reality.objective)
    assert document["observed"]["cash_if_works"] == pytest.approx(reality.if_works["cost"])
    assert document["whole_scenario"] is True and document["violations"] == []
    optimum = {
        (code, pool["domain"]): (pool["host_code"], pool["structure"])
        for pool in json.loads(result.stdout)["pools"]
        for code in pool["member_codes"].split()
    }
    items = [(c, d) for c in instance.codes for d in instance.domains]
    expected = agreement(configuration(instance, optimum), configuration(instance, observed.placements()), items)
    assert document["distance"] == pytest.approx(expected.as_dict())
    assert document["distance"]["real_pairs"] == 15  # three pairs in each of five domains
    written = json.loads((tmp_path / "out" / "observed.json").read_text(encoding="utf-8"))
    assert written["distance"] == document["distance"]


@pytest.mark.parametrize(
    ("lang", "broken", "said"),
    [
        (
            "en",
            "taxes centre pool hosted by GM0918: GM0918 and GM0941 may not share a pool",
            "The observed configuration breaks 5 rules of the scenario, its figures computed all the same: ",
        ),
        (
            "nl",
            "centrumgemeente voor belastingen bij GM0918: GM0918 en GM0941 mogen geen pool delen",
            "De waargenomen configuratie breekt 5 regel(s) van het scenario; de cijfers zijn toch berekend: ",
        ),
    ],
)
def test_solve_given_names_the_rules_the_observed_configuration_breaks_in_the_runs_language(
    lang: str, broken: str, said: str
) -> None:
    """Helden's centre of 2007 holds Helden and Meijel together in all five domains, which a scenario
    that keeps them apart forbids: JSON and terminal name each pool that breaks it, in --lang."""
    import json

    from clirun import invoke

    apart = ["--set", "politics.excluded_pairs=[[Helden, Meijel]]", "--lang", lang]
    document = invoke("solve", "helden", "--given", "helden-2007", "--format", "json", *apart)
    assert document.exit_code == 0, document.output
    violations = json.loads(document.stdout)["observed"]["violations"]
    assert len(violations) == 5 and broken in violations
    terminal = invoke("solve", "helden", "--given", "helden-2007", *apart)
    assert terminal.exit_code == 0, terminal.output
    assert said + "; ".join(violations) + "." in " ".join(terminal.stdout.split())


def test_solve_given_a_bad_file_is_bad_input_before_any_solving(tmp_path: Path) -> None:
    from clirun import invoke

    path = tmp_path / "observed.csv"
    path.write_text("cooperation,domain,member_name,structure\nA,taxes,Eersel,centre\nA,taxes,Bladell,centre\n")
    result = invoke("solve", "kempen", "--given", path, "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "observed.csv, row 3, member_name: unknown municipality 'Bladell'; did you mean 'Bladel'?" in result.stderr
    assert "Solving" not in result.stderr and not (tmp_path / "out").exists()


def test_the_report_of_a_seed_region_shows_what_it_did_in_2007(tmp_path: Path) -> None:
    """The report compares Helden's answer with its centre municipality of 2007, in English and Dutch;
    the distance written is the one the measures give."""
    from clirun import invoke

    for lang, title in (("en", "Observed: Helden e.o. 2007, beside the optimum"), ("nl", "Waargenomen: Helden e.o.")):
        path = tmp_path / f"report-{lang}.html"
        result = invoke("report", "helden", "--out", path, "--no-explain", "--lang", lang)
        assert result.exit_code == 0, result.output
        page = path.read_text(encoding="utf-8")
        assert title in page
    solved = invoke("solve", "helden", "--given", "helden-2007", "--format", "json")
    import json

    distance = json.loads(solved.stdout)["observed"]["distance"]
    english = (tmp_path / "report-en.html").read_text(encoding="utf-8")
    assert f"the optimum keeps {100 * distance['recall']:.0f} % together (recall)" in english
    assert f"adjusted Rand index {distance['adjusted_rand']:.2f}" in english


def test_a_report_given_a_file_that_does_not_fit_is_bad_input(tmp_path: Path) -> None:
    from clirun import invoke

    result = invoke("report", "kempen", "--out", tmp_path / "r.html", "--given", "helden-2007")
    assert result.exit_code == 2
    assert "seed-2007/helden.yaml, municipalities: speaks for no municipality of Kempen" in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_a_pool_hosted_by_an_outside_provider_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "provided.yaml"
    path.write_text(
        "municipalities: {dataset: nl-2007, members: [Eersel, Bladel]}\ndomains: [taxes]\nstructures: [centre]\n"
        "providers:\n  - {name: Regional tax office, lat: 51.4, lon: 5.3, domains: [taxes], structures: [centre]}\n",
        encoding="utf-8",
    )
    scenario = load_scenario(str(path))
    pools = tmp_path / "pools.csv"
    pools.write_text("domain,structure,host_code,member_codes\ntaxes,centre,P1,GM0770 GM1728\n", encoding="utf-8")
    read = read_observed(pools, scenario)
    assert read.placements() == {("GM0770", "taxes"): ("P1", "centre"), ("GM1728", "taxes"): ("P1", "centre")}
    by_name = tmp_path / "by-name.csv"
    by_name.write_text("cooperation,domain,member_name,host,structure\nA,taxes,Eersel,Regional tax office,centre\n")
    assert read_observed(by_name, scenario).pools[0].host == "P1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cooperation,domain,member_name\n", "observed.csv: speaks for no municipality of Kempen"),
        ("cooperation,domain,member_name,structure\nA,taxes,Tilburg,centre\n", "speaks for no municipality of Kempen"),
    ],
)
def test_given_a_file_that_covers_nothing_of_the_region_is_bad_input(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "observed.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_observed(path, load_scenario("kempen"))
    assert message in str(raised.value)


def test_a_file_that_is_not_there_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        read_observed(tmp_path / "missing.csv", load_scenario("kempen"))
    assert "missing.csv: no such file or folder (expected a .csv or .yaml file of pools" in str(raised.value)
