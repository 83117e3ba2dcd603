"""An answer whose proven gap exceeds the change it reports is no advice: the headline says so."""

from __future__ import annotations

from dataclasses import replace

import pytest

from inputs import load_scenario
from optimizer.pipeline import optimize
from optimizer.solve import Status
from visuals.tables import euros, gap_sentence, headline, inconclusive_sentence


def test_a_proven_optimum_is_conclusive() -> None:
    result = optimize(load_scenario("kempen"))
    summary = result.summary()
    assert summary.solver.gap_eur == pytest.approx(0.0, abs=1e-3) and summary.solver.gap_scope == "whole"
    assert summary.conclusive is True and inconclusive_sentence(summary) == ""


def test_a_gap_larger_than_the_change_is_not_advice() -> None:
    result = optimize(load_scenario("kempen"))
    change = result.summary().change
    assert change is not None and result.report.objective is not None
    gap = 2 * abs(change.objective)
    stopped = replace(result.report, status=Status.FEASIBLE, bound=result.report.objective - gap, reason="TimeLimit")
    summary = replace(result, report=stopped).summary()
    assert summary.conclusive is False
    assert summary.to_dict()["conclusive"] is False
    expected = (
        f"Not conclusive: the solver's gap ({euros(gap)} a year) exceeds the change it reports "
        f"({euros(abs(change.objective))} a year); this is not advice."
    )
    assert inconclusive_sentence(summary) == expected
    assert headline(summary).startswith(expected)
    assert headline(summary, "nl").startswith("Niet overtuigend: de afstand van de solver (")
    # a gap smaller than the change is conclusive, though not optimal
    close = replace(stopped, bound=result.report.objective - abs(change.objective) / 2)
    assert replace(result, report=close).summary().conclusive is True
    # no bound at all: not conclusive either
    unknown = replace(stopped, bound=None, gap=None)
    assert inconclusive_sentence(replace(result, report=unknown).summary()).startswith(
        "Not conclusive: the solver's gap to the best possible is unknown"
    )


def test_every_answer_not_proven_gives_its_gap_against_the_change_it_reports() -> None:
    """Both figures: the gap against the whole cost (the status) and against the change (issue 22)."""
    result = optimize(load_scenario("kempen"))
    change = result.summary().change
    assert change is not None and result.report.objective is not None
    proven = result.summary()
    assert proven.gap_of_change == 0.0 and gap_sentence(proven) == ""
    gap = abs(change.objective) / 4
    stopped = replace(result.report, status=Status.FEASIBLE, bound=result.report.objective - gap, reason="TimeLimit")
    summary = replace(result, report=stopped).summary()
    assert summary.gap_of_change == pytest.approx(0.25)
    assert summary.to_dict()["gap_of_change"] == pytest.approx(0.25)
    assert gap_sentence(summary) == f"gap {euros(gap)} a year, 25.0 % of the change the answer reports"
    assert gap_sentence(summary, "nl") == (
        f"afstand {euros(gap, 'nl')} per jaar, 25,0 % van de verandering die het antwoord meldt"
    )
    unknown = replace(stopped, bound=None, gap=None)
    assert replace(result, report=unknown).summary().gap_of_change is None
