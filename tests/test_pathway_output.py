"""What `seta pathway` shows a council: a headline whose words match the signs of its figures, the
pathway's present-value convention said beside its figures, numbers stored as numbers, and exit
payments apart from the set-up cost."""

from __future__ import annotations

import json
from pathlib import Path

from clirun import invoke

from visuals.tables import euros

ONE_CIVIL_SERVICE = (
    "name: one civil service\npools:\n  - {name: one, domains: [hr, taxes, procurement, enforcement, ict], "
    "structure: one_civil_service, host: Bladel, members: [Eersel, Bladel, Oirschot, Reusel-De Mierden, Bergeijk]}\n"
)


def _document(*args: str | Path) -> dict:
    result = invoke("pathway", *args, "--no-explain", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _pathway_row(document: dict) -> dict:
    return next(row for row in document["comparison"] if row["option"] == "pathway")


def test_a_one_civil_service_that_saves_cash_but_costs_weighted_says_each_in_its_own_words(tmp_path: Path) -> None:
    end = tmp_path / "one.yaml"
    end.write_text(ONE_CIVIL_SERVICE, encoding="utf-8")
    document = _document("kempen", "--to", end, "--set", "weights.autonomy=6")
    row = _pathway_row(document)
    cash, weighted = row["npv_change_eur"], row["npv_weighted_change_eur"]
    assert cash < 0 < weighted, "autonomy weighed six times: cash and the weighted objective disagree"
    warning = (
        f"Warning: weighted, in present value at 2.25 %, moving to {end} does not pay within 8 years: it saves "
        f"{euros(-cash)} in cash (present value) but costs {euros(weighted)} weighted more than staying as we are. "
        "The advice is then to stay as we are, or to judge it weighted over "
    )
    assert [line for line in document["headline"] if line.startswith(warning)], document["headline"]
    assert not any("costs -EUR" in line for line in document["headline"]), "a cost is never negative in words"
    even = row["break_even_year"]
    assert (
        f"Break-even in cash, undiscounted: from year {even} on, the cumulative change in cost is a saving."
        in (document["headline"])
    )


def test_a_plan_that_changes_nothing_is_not_called_the_big_bang() -> None:
    for lang, nothing in (("en", "The plan changes nothing"), ("nl", "Het plan verandert niets")):
        headline = _document("kempen", "--to", "status_quo", "--lang", lang)["headline"]
        assert headline[0].startswith(nothing), headline
        assert not any("big bang" in line for line in headline), headline


def test_the_present_value_convention_is_said_beside_the_figures() -> None:
    result = invoke("pathway", "kempen", "--from", "kempen-2007", "--no-explain")
    assert result.exit_code == 0, result.output
    shown = " ".join(result.stdout.split())
    convention = "year 1 undiscounted; expected with the risk of failure; first year at the ramp-up share"
    assert shown.count(convention) == 2, "in the headline and in the comparison's caption"
