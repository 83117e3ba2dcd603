"""Records the figures of the built-in regions, so that a change of behaviour shows as a diff.

    python tools/record_figures.py > tests/data/region_figures.json

For each regional scenario: the optimum's objective, its criteria and configuration, and the
objective of every end state. `tests/test_region_figures.py` compares the current code with this
file; a change on purpose (the calibration issue) records it anew and says so in its commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inputs import load_scenario, regional_names
from optimizer import optimize
from optimizer.endstates import END_STATES, end_state_scenario


def figures(name: str) -> dict[str, object]:
    scenario = load_scenario(name)
    result = optimize(scenario)
    assert result.chosen is not None and result.configuration is not None
    end_states = {}
    for key, _allowed in END_STATES:
        solved = optimize(end_state_scenario(scenario, key))
        end_states[key] = None if solved.chosen is None else solved.chosen.objective
    return {
        "status": str(result.report.status),
        "objective": result.chosen.objective,
        "criteria": dict(result.chosen.criteria),
        "configuration": sorted(
            f"{code} {domain} {placement.host} {placement.structure}"
            for (code, domain), placement in result.configuration.items()
        ),
        "end_states": end_states,
    }


def main() -> None:
    document = {name: figures(name) for name in regional_names()}
    json.dump(document, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
