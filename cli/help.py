"""`--help` and click's own words in the language of the run.

click prints a command's help and its own messages ("Usage:", "Error: Invalid value for ...") in
English. Every help text of seta is given with its Dutch (`twin`), and each command is a `Command`
(or `Group`), which prints the Dutch where the run speaks Dutch; click's own messages go through
`_click_words`. The run's language is read from the command line before click parses it
(`language_of`), so that `seta solve --help --lang nl` is Dutch as well as `--lang nl --help`, and so
is a usage error that stops click before `--lang` is read.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
from collections.abc import Iterator, Sequence
from typing import Any

import click

from inputs.labels import language

#: English help text -> its Dutch (`twin`)
_DUTCH: dict[str, str] = {}
#: the language the command line asked for, read before click parses it (`language_of`)
_asked: list[str] = []


def twin(en: str, nl: str) -> str:
    """A help text in English, whose Dutch `Command` and `Group` print where the run speaks Dutch:
    pass it wherever click takes `help`. click keeps help as `inspect.cleandoc` leaves it, so the
    Dutch is found by that text."""
    _DUTCH[en] = nl
    _DUTCH[inspect.cleandoc(en)] = nl
    return en


twin("[OPTIONS]", "[OPTIES]")
twin("COMMAND [ARGS]...", "OPDRACHT [ARGUMENTEN]...")


def _in_language(text: str | None) -> str | None:
    if text is not None and language() == "nl":
        return _DUTCH.get(text, text)
    return text


@contextlib.contextmanager
def _speaking(command: click.Command) -> Iterator[None]:
    """The command's help, its options' and (for a group) its commands' short help in the run's
    language while its help is written; as they were afterwards (one process may print both)."""
    targets: list[tuple[Any, str]] = [(command, "help"), (command, "short_help"), (command, "options_metavar")]
    targets += [(param, "help") for param in command.params]
    if isinstance(command, click.Group):
        targets.append((command, "subcommand_metavar"))
        for sub in command.commands.values():
            targets += [(sub, "help"), (sub, "short_help")]
    kept = [(target, attribute, getattr(target, attribute, None)) for target, attribute in targets]
    try:
        for target, attribute, text in kept:
            if text is not None:
                setattr(target, attribute, _in_language(text))
        yield
    finally:
        for target, attribute, text in kept:
            setattr(target, attribute, text)


class Command(click.Command):
    """A seta command: its help in the run's language."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _speaking(self):
            super().format_help(ctx, formatter)

    def get_usage(self, ctx: click.Context) -> str:
        with _speaking(self):
            return super().get_usage(ctx)


class Group(Command, click.Group):
    """The `seta` group: its help and its commands' summaries in the run's language."""


def language_of(argv: Sequence[str]) -> str | None:
    """The language a command line asks for (`--lang nl`, `--lang=nl`), or None; kept as what a
    command without --lang of its own speaks (`asked_language`)."""
    found = None
    for n, word in enumerate(argv):
        if word == "--":
            break
        if word == "--lang" and n + 1 < len(argv):
            found = argv[n + 1]
        elif word.startswith("--lang="):
            found = word.removeprefix("--lang=")
    _asked[:] = [found] if found in ("en", "nl") else []
    return found


def asked_language() -> str | None:
    """The language the command line asked for, read before click parsed it; None if none was."""
    return _asked[0] if _asked else None


#: click's own messages in Dutch (click 8.x; a message not listed stays English)
CLICK_NL: dict[str, str] = {
    "Aborted!": "Afgebroken!",
    "Argument {name!r} takes {nargs} values.": "Argument {name!r} neemt {nargs} waarden.",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "Commands": "Opdrachten",
    "Could not open file {filename!r}: {message}": "Kon bestand {filename!r} niet openen: {message}",
    "Error: {message}": "Fout: {message}",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Missing argument": "Ontbrekend argument",
    "Missing command.": "Ontbrekende opdracht.",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende parameter",
    "Missing parameter: {param_name}": "Ontbrekende parameter: {param_name}",
    "No such command {name!r}.": "Onbekende opdracht {name!r}.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "Option {name!r} does not take a value.": "Optie {name!r} neemt geen waarde.",
    "Options": "Opties",
    "Show the version and exit.": "Toon de versie en stop.",
    "Show this message and exit.": "Toon deze hulptekst en stop.",
    "Try '{command} {option}' for help.": "Probeer '{command} {option}' voor hulp.",
    "Usage:": "Gebruik:",
    "default: {default}": "standaard: {default}",
    "deprecated": "verouderd",
    "directory": "map",
    "env var: {var}": "omgevingsvariabele: {var}",
    "file": "bestand",
    "path": "pad",
    "required": "verplicht",
    "unknown error": "onbekende fout",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet schrijfbaar.",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
    "Got unexpected extra argument ({args})": "Onverwacht extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Onverwachte extra argumenten ({args})",
    "Option {name!r} requires an argument.": "Optie {name!r} vraagt een waarde.",
    "Option {name!r} requires {nargs} arguments.": "Optie {name!r} vraagt {nargs} waarden.",
    "{value!r} is not {choice}.": "{value!r} is niet {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} is niet een van {choices}.",
    "Did you mean {possibility}?": "Bedoelde u {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Bedoelde u een van: {possibilities}?)",
}

#: the modules of click that take their messages from gettext as `_` and `ngettext`
_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
)


def _gettext(message: str) -> str:
    return CLICK_NL.get(message, message) if language() == "nl" else message


def _ngettext(singular: str, plural: str, count: int) -> str:
    return _gettext(singular if count == 1 else plural)


def _click_words() -> None:
    """click's messages through `CLICK_NL` where the run speaks Dutch. click looks up `_` and
    `ngettext` in its modules at each message (gettext's, untranslated here), so a module's own
    names are what to replace; English passes through unchanged."""
    for module_name in _CLICK_MODULES:
        module = importlib.import_module(module_name)
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]


_click_words()
