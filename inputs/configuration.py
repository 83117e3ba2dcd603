"""A configuration to split, read back from the pools.csv of a `seta solve --out` folder.

Each row is a pool: its domain, structure, host and members (codes). Every service not in a row is
done in house. Checked here against the scenario's names; whether the pools keep the scenario's
rules is the evaluator's to say.
"""

from __future__ import annotations

from pathlib import Path

from inputs.problems import Problems, suggestion
from inputs.tables import read_csv
from inputs.types import Scenario

COLUMNS = ("domain", "structure", "host_code", "member_codes")

#: (municipality code, domain) -> (host code, structure key), for the pooled services
Pools = dict[tuple[str, str], tuple[str, str]]


def read_configuration(folder: Path, scenario: Scenario) -> Pools:
    """The pooled services of the configuration in `folder`/pools.csv (InputError when it does not fit)."""
    problems = Problems()
    if not folder.is_dir():
        problems.add(f"--config {folder}", "not a folder (expected one written by seta solve --out)")
        problems.raise_if_any()
    label = f"{folder.name}/pools.csv"
    table = read_csv(folder / "pools.csv", label, problems)
    problems.raise_if_any()
    assert table is not None
    missing = [column for column in COLUMNS if column not in table.columns]
    if missing:
        problems.add(label, f"missing column(s) {', '.join(missing)} (expected the pools.csv of seta solve --out)")
        problems.raise_if_any()
    codes = [m.code for m in scenario.municipalities]
    domains = [d.key for d in scenario.domains]
    structures = [s.key for s in scenario.structures]
    hosts = codes + [p.key for p in scenario.providers]
    pools: Pools = {}
    for number, row in table.rows:
        place = f"{label}, row {number}"
        domain, structure, host = row["domain"], row["structure"], row["host_code"]
        if domain not in domains:
            problems.add(
                f"{place}, domain", f"'{domain}' is not in play in {scenario.name}; {suggestion(domain, domains)}"
            )
        if structure not in structures:
            problems.add(
                f"{place}, structure",
                f"'{structure}' is not allowed in {scenario.name}; {suggestion(structure, structures)}",
            )
        if host not in hosts:
            problems.add(f"{place}, host_code", f"'{host}' is not a member or provider of {scenario.name}")
        members = row["member_codes"].split()
        if not members:
            problems.add(f"{place}, member_codes", "empty (expected the members' codes, separated by spaces)")
        for code in members:
            if code not in codes:
                problems.add(f"{place}, member_codes", f"'{code}' is not a member of {scenario.name}")
            elif (code, domain) in pools:
                problems.add(f"{place}, member_codes", f"{code} is in two {domain} pools")
            else:
                pools[code, domain] = (host, structure)
    problems.raise_if_any()
    return pools
