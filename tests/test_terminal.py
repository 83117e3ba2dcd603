"""Amounts stay whole in the terminal (issue 23): Rich wraps at any space, which broke
'€ 1,61 mln / € 392.000' into '€' and '392.000' on two lines; at 60 columns every amount of a
command's output is still there whole, as at 400 columns."""

from __future__ import annotations

from collections import Counter

import pytest
from clirun import invoke
from rich.text import Text

from cli.terminal import AMOUNT, fitted


def test_a_line_breaks_at_spaces_outside_amounts() -> None:
    line = Text("terugverdiend in € 1,61 mln / € 392.000 = 4,1 jaar.")
    line.stylize("bold", 0, 12)
    lines = fitted(line, 31).split("\n")
    assert [piece.plain for piece in lines] == ["terugverdiend in € 1,61 mln /", "€ 392.000 = 4,1 jaar."]
    assert lines[0].spans[0].end == 12  # styles kept
    # a word wider than the line stands alone; a short line is left as it is
    assert fitted(Text("x EUR 1.23 M y"), 4).plain == "x\nEUR 1.23 M\ny"
    assert fitted(Text("short"), 60).plain == "short"


def _amounts(output: str) -> Counter[str]:
    return Counter(AMOUNT.findall(output))


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize(
    "arguments",
    [
        ("solve", "kempen", "--no-explain"),
        ("compare", "kempen", "--set", "weights.quality=0.5"),
        ("allocate", "beek"),
        ("robust", "beek", "--draws", "8"),
    ],
    ids=lambda arguments: arguments[0],
)
def test_no_amount_is_split_at_60_columns(
    arguments: tuple[str, ...], lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SETA_LANG", "en")
    shown = {}
    for columns in ("400", "60"):
        monkeypatch.setenv("COLUMNS", columns)
        done = invoke(*arguments, "--lang", lang)
        assert done.exit_code == 0, done.output
        shown[columns] = done.stdout
    assert max(len(line) for line in shown["60"].splitlines()) <= 60
    assert _amounts(shown["400"]), "no amount to look for"
    assert _amounts(shown["60"]) == _amounts(shown["400"]), shown["60"]
