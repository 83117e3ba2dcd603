"""`seta compare` for people (issue 23): labels that tell options apart and read as words, a star
only among options whose objectives can be compared, numbers never broken, and the width COLUMNS
gives honoured when piped (the widest table folds into one block per option instead of being cut)."""

from __future__ import annotations

import re

from click.testing import CliRunner

from cli.main import cli


def _compare(*args: str, columns: str = "120") -> str:
    result = CliRunner().invoke(cli, ["compare", *args], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_variants_read_as_words_and_two_files_of_one_name_are_told_apart() -> None:
    out = _compare("kempen", "--set", "weights.quality=0.2", columns="200")  # wide: each label on one line
    assert "│ weight of quality = 0.2 │" in out
    assert "weights." not in out
    twice = _compare("kempen", "kempen")
    assert "Kempen (1)" in twice and "Kempen (2)" in twice


def test_the_star_marks_a_best_only_among_options_with_the_same_weights() -> None:
    weighed = _compare("kempen", "--set", "weights.quality=0.2", "--set", "weights.quality=0.8")
    assert " *" not in weighed
    assert "No best: the options weigh the criteria differently, so their objectives cannot be compared." in weighed
    same = _compare("kempen", "--set", "limits.max_travel_km=30")
    assert " *" in same and "* best on the weighted objective" in same


def test_a_narrow_width_folds_the_table_and_never_breaks_a_number() -> None:
    out = _compare("kempen", "--set", "weights.quality=0.2", "--set", "weights.quality=0.8", columns="100")
    lines = out.splitlines()
    assert all(len(line) <= 100 for line in lines), max(len(line) for line in lines)
    assert "…" not in out
    amounts = re.findall(r"EUR \d+\.\d+ M", out)
    assert len(amounts) >= 9  # three options x annual cost, one-off and objective, each whole on its line
    wide = _compare("kempen", "--set", "weights.quality=0.2", columns="160")
    assert max(len(line) for line in wide.splitlines()) <= 160
    assert any("Annual cost" in line and "Objective" in line for line in wide.splitlines())  # one table
