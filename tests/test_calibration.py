"""The seed's lesson on the Kempen matrix, as the default figures must reproduce it: a matrix of
four or five units works; doubling to ten makes coordination eat the gain, and a bundled form
(shared service centre or one civil service) wins. Amalgamation is a comparison, not the answer."""

from __future__ import annotations

from dataclasses import replace

from inputs import defaults, load_scenario
from inputs.types import DomainParams, StructureParams
from optimizer import optimize


def _best_under(structure: str, domains: list[str]) -> float:
    base = load_scenario("kempen")
    scenario = replace(
        base,
        domains=tuple(DomainParams(key=k, **defaults.values(defaults.DOMAINS[k])) for k in domains),  # type: ignore[arg-type]
        structures=(StructureParams(key=structure, **defaults.values(defaults.STRUCTURES[structure])),),  # type: ignore[arg-type]
    )
    result = optimize(scenario)
    assert result.report.status == "optimal" and result.chosen is not None
    assert {u.structure for u in result.chosen.pools()} == {structure}
    return result.chosen.objective


def test_a_matrix_of_the_four_seed_domains_is_competitive() -> None:
    domains = list(defaults.SEED_DOMAINS)
    scores = {s: _best_under(s, domains) for s in ("matrix", "ssc", "one_civil_service", "amalgamation")}
    assert scores["matrix"] == min(scores.values()), scores


def test_with_ten_domains_a_bundled_form_beats_the_matrix() -> None:
    domains = list(defaults.DOMAINS)
    assert len(domains) == 10
    scores = {s: _best_under(s, domains) for s in ("matrix", "ssc", "one_civil_service", "amalgamation")}
    assert min(scores["ssc"], scores["one_civil_service"]) < scores["matrix"], scores
    assert min(scores["ssc"], scores["one_civil_service"]) < scores["amalgamation"], scores
