"""`--help` and click's own messages in the language of the run (cli/help.py): the real `seta`
command, and every help text of every command with its Dutch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.help import _DUTCH, CLICK_NL, asked_language, language_of
from cli.main import cli

SETA = str(Path(sys.executable).parent / "seta")


def seta(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SETA, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "words",
    [["solve", "--help", "--lang", "nl"], ["solve", "--lang", "nl", "--help"], ["--lang", "nl", "solve", "--help"]],
)
def test_a_commands_help_is_dutch_wherever_lang_stands(words: list[str]) -> None:
    done = seta(*words)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Gebruik: seta solve [OPTIES] [SCENARIO]\n"), done.stdout
    assert "Opties:\n" in done.stdout
    assert "Toon deze hulptekst en stop." in done.stdout
    assert "Taal van alles wat de opdracht" in done.stdout  # --lang's own help
    assert "[standaard: en]" in done.stdout


def test_help_stays_english_without_lang() -> None:
    done = seta("solve", "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: seta solve [OPTIONS] [SCENARIO]\n"), done.stdout
    assert "Show this message and exit." in done.stdout and "Gebruik" not in done.stdout


def test_the_list_of_commands_is_dutch() -> None:
    done = seta("--lang", "nl", "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Gebruik: seta [OPTIES] OPDRACHT [ARGUMENTEN]...\n"), done.stdout
    assert "Opdrachten:\n" in done.stdout and "Toon de traceback bij fouten." in done.stdout


def test_the_version_line_is_dutch() -> None:
    from optimizer.result import seta_version

    assert seta("--version").stdout == f"seta, version {seta_version()}\n"
    assert seta("--lang", "nl", "--version").stdout == f"seta, versie {seta_version()}\n"
    assert seta("--version", "--lang", "nl").stdout == f"seta, versie {seta_version()}\n"


def test_a_usage_error_before_lang_is_read_is_dutch() -> None:
    """click stops at an unknown option before it reads --lang: the language comes from the command
    line as read before click, and the exit code is bad input's."""
    done = seta("solve", "--nope", "--lang", "nl")
    assert done.returncode == 2
    assert done.stderr == (
        "Gebruik: seta solve [OPTIES] [SCENARIO]\nProbeer 'seta solve --help' voor hulp.\n\n"
        "Fout: Onbekende optie '--nope'.\n"
    )
    english = seta("solve", "--nope")
    assert english.returncode == 2
    assert english.stderr.endswith("Error: No such option '--nope'.\n")


def test_a_value_out_of_range_is_named_in_dutch() -> None:
    done = seta("solve", "kempen", "--lang", "nl", "--gap", "7")
    assert done.returncode == 2
    assert "Fout: Ongeldige waarde voor '--gap': 7.0 ligt niet in het bereik 0<=x<=1." in done.stderr, done.stderr


def test_a_command_without_lang_of_its_own_speaks_the_language_given_before_it() -> None:
    """`seta --lang nl solve`: the command's --lang is not given, so the group's holds (in this
    process, as the other tests run seta)."""
    result = CliRunner().invoke(cli, ["--lang", "nl", "list"])
    assert result.exit_code == 0, result.output
    english = CliRunner().invoke(cli, ["list"])
    assert result.output != english.output
    assert "Ingebouwde" in result.output or "ingebouwde" in result.output, result.output


def test_the_language_is_read_from_the_command_line_before_click() -> None:
    assert language_of(["solve", "--lang", "nl"]) == "nl" and asked_language() == "nl"
    assert language_of(["solve", "--lang=en"]) == "en" and asked_language() == "en"
    assert language_of(["solve", "--", "--lang", "nl"]) is None and asked_language() is None
    assert language_of(["solve", "--lang", "fr"]) == "fr" and asked_language() is None
    language_of([])  # nothing asked: the tests that follow in this process run seta as before


def test_every_dutch_message_of_click_keeps_its_placeholders() -> None:
    """A Dutch message that dropped or renamed a {placeholder} would fail where click fills it in."""
    for english, dutch in CLICK_NL.items():
        assert sorted(_fields(english)) == sorted(_fields(dutch)), english


def _fields(message: str) -> list[str]:
    import string

    return [field for _, field, _, _ in string.Formatter().parse(message) if field]


def test_every_help_text_of_every_command_has_its_dutch() -> None:
    """Each command's help and each of its options' help was given with its Dutch (`twin`): a help
    text added in English only fails here, named."""
    missing = []
    for command in [cli, *cli.commands.values()]:
        texts = [(command.name, command.help)]
        texts += [(f"{command.name} {'/'.join(param.opts)}", getattr(param, "help", None)) for param in command.params]
        missing += [where for where, text in texts if text and text not in _DUTCH]
    assert not missing, missing
    assert len(cli.commands) == 13
