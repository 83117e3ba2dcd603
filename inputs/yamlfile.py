"""Reading a scenario file: its text, its YAML, and nothing silently lost on the way.

A file saved in another encoding, a folder where a file was expected, a YAML syntax error and a key
written twice are each reported with the file (and line) instead of failing later or being merged.

Input limits come before any value is used, so that one file or one typed value cannot take the
machine's memory or time (README, "Input limits"): only regular files are read, at most
`MAX_FILE_BYTES` of them; a YAML document may expand (its aliases counted as often as they are used)
to at most `MAX_YAML_VALUES` values, nest at most `MAX_YAML_DEPTH` deep, and write a number with at
most `MAX_NUMBER_CHARS` characters. Each limit lies far above the largest legitimate input (the
national scenario has about 1,500 values; a 342 x 342 distance table about 120,000 cells).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.error import Mark
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from inputs.labels import number, says
from inputs.problems import Problems

#: the largest file seta reads (a scenario, a table, a workbook, an observed configuration)
MAX_FILE_BYTES = 64 * 1024 * 1024
#: the most values a YAML document may stand for, an alias counted each time it is used
MAX_YAML_VALUES = 1_000_000
#: the deepest nesting of mappings and lists in a YAML document
MAX_YAML_DEPTH = 64
#: the longest number a YAML document may write (a float has 17 significant digits)
MAX_NUMBER_CHARS = 64


class _UniqueKeyLoader(yaml.SafeLoader):
    """The safe loader, but a key that appears twice in one mapping is an error, not an overwrite,
    and a number too long to be a figure is an error, not seconds of arithmetic."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *base`: merged keys may be overridden
                continue
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key; the base class reports it
                continue
            if first is not None:
                raise ConstructorError(
                    None,
                    None,
                    says(
                        f"the key '{key}' appears twice in one mapping (first on line {first + 1}); keep one",
                        f"de sleutel '{key}' staat twee keer in één mapping (eerst op regel {first + 1}); houd er één",
                    ),
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        # The composer recurses once per level: a deep document is refused before Python's own
        # recursion limit, which would take seconds to unwind and end as an internal error.
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise LimitExceeded(self.peek_event().start_mark, _too_deep())
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _short_number(self, node: ScalarNode) -> None:
        if len(node.value) > MAX_NUMBER_CHARS:
            raise LimitExceeded(
                node.start_mark,
                says(
                    f"a number of {len(node.value)} characters (expected at most {MAX_NUMBER_CHARS})",
                    f"een getal van {len(node.value)} tekens (verwacht hoogstens {MAX_NUMBER_CHARS})",
                ),
            )

    def construct_yaml_int(self, node: ScalarNode) -> int:
        self._short_number(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node: ScalarNode) -> float:
        self._short_number(node)
        return super().construct_yaml_float(node)


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:int", _UniqueKeyLoader.construct_yaml_int)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:float", _UniqueKeyLoader.construct_yaml_float)


class LimitExceeded(Exception):
    def __init__(self, mark: Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark


def _measure(root: Node) -> None:
    """Raise LimitExceeded when the document expands beyond MAX_YAML_VALUES values or MAX_FILE_BYTES
    of text, nests beyond MAX_YAML_DEPTH, or an alias refers to a node that holds it. Sizes are
    memoised per node, so an alias bomb is measured in the time of its text, not of its expansion."""
    size: dict[int, int] = {}
    chars: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            children = _children(node)
            size[key] = 1 + sum(size[id(child)] for child in children)
            chars[key] = (len(node.value) if isinstance(node, ScalarNode) else 0) + sum(
                chars[id(child)] for child in children
            )
            depth[key] = 1 + max((depth[id(child)] for child in children), default=0)
            open_nodes.discard(key)
            if size[key] > MAX_YAML_VALUES:
                raise LimitExceeded(node.start_mark, _too_many_values())
            if chars[key] > MAX_FILE_BYTES:
                megabytes = MAX_FILE_BYTES // (1024 * 1024)
                raise LimitExceeded(
                    node.start_mark,
                    says(
                        f"the document stands for more than {megabytes} MB of text (YAML "
                        "aliases count each time they are used); expected a scenario of ordinary size",
                        f"het document staat voor meer dan {megabytes} MB tekst (YAML-aliassen tellen "
                        "elke keer dat ze worden gebruikt); verwacht een scenario van gewone omvang",
                    ),
                )
            if depth[key] > MAX_YAML_DEPTH:
                raise LimitExceeded(node.start_mark, _too_deep())
            continue
        if key in size:
            continue
        if key in open_nodes:
            raise LimitExceeded(
                node.start_mark,
                says(
                    "an alias refers to a value that contains it (a loop)",
                    "een alias verwijst naar een waarde die hem bevat (een lus)",
                ),
            )
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in size)
        if len(stack) > MAX_YAML_VALUES:
            raise LimitExceeded(
                node.start_mark,
                says(
                    f"the document has more than {MAX_YAML_VALUES:,} values",
                    f"het document heeft meer dan {number(MAX_YAML_VALUES, 0, 'nl')} waarden",
                ),
            )


def _too_deep() -> str:
    return says(f"nested more than {MAX_YAML_DEPTH} levels deep", f"meer dan {MAX_YAML_DEPTH} niveaus diep genest")


def _too_many_values() -> str:
    return says(
        f"the document stands for more than {MAX_YAML_VALUES:,} values (YAML aliases count "
        "each time they are used); expected a scenario of ordinary size",
        f"het document staat voor meer dan {number(MAX_YAML_VALUES, 0, 'nl')} waarden (YAML-aliassen tellen "
        "elke keer dat ze worden gebruikt); verwacht een scenario van gewone omvang",
    )


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    assert not isinstance(node, CollectionNode)
    return []


def read_text(path: Path, label: str, problems: Problems, expected: str) -> str | None:
    """The file's text (UTF-8, with or without a byte-order mark), or None with the reason recorded."""
    try:
        data = read_bytes(path)
    except NotRegularFile as error:
        problems.add(str(path), f"{error} " + says(f"(expected {expected})", f"(verwacht {expected})"))
        return None
    except FileNotFoundError:
        problems.add(
            str(path), says(f"file not found (expected {expected})", f"bestand niet gevonden (verwacht {expected})")
        )
        return None
    except IsADirectoryError:
        problems.add(str(path), says(f"is a folder (expected {expected})", f"is een map (verwacht {expected})"))
        return None
    except PermissionError:
        problems.add(str(path), says("cannot be read: permission denied", "kan niet worden gelezen: geen toestemming"))
        return None
    except OSError as error:
        problems.add(str(path), cannot_be_read(error.strerror or str(error)))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(
            f"{label}, line {line}",
            says(
                f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8 "
                "(a file from Excel or Notepad on Windows is often Windows-1252)",
                f"geen UTF-8-tekst (byte 0x{data[error.start]:02x}); sla het bestand op als UTF-8 "
                "(een bestand uit Excel of Kladblok op Windows is vaak Windows-1252)",
            ),
        )
        return None


def cannot_be_read(reason: str) -> str:
    return says(f"cannot be read: {reason}", f"kan niet worden gelezen: {reason}")


class NotRegularFile(OSError):
    """A FIFO, a device or a socket where a file was expected: reading it could block or never end."""


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes, at most `limit` of them (NotRegularFile, IsADirectoryError or
    FileTooLarge otherwise). The file is opened without blocking, so a FIFO cannot stall the run."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "is a folder", str(path))
        if not stat.S_ISREG(mode):
            kind = _kind_of_file(mode)
            raise NotRegularFile(says(f"is {kind}, not a regular file", f"is {kind}, geen gewoon bestand"))
        data = handle.read(limit + 1)
    if len(data) > limit:
        megabytes = limit // (1024 * 1024)
        raise FileTooLarge(
            says(
                f"is larger than {megabytes} MB, the limit for an input file",
                f"is groter dan {megabytes} MB, de grens voor een invoerbestand",
            )
        )
    return data


class FileTooLarge(NotRegularFile):
    """A file beyond MAX_FILE_BYTES: refused before it is parsed, like a file that is not one."""


def _kind_of_file(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return says("a named pipe", "een named pipe")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return says("a device", "een apparaat")
    if stat.S_ISSOCK(mode):
        return says("a socket", "een socket")
    return says("a special file", "een speciaal bestand")


def parse_yaml(text: str, label: str, problems: Problems) -> Any:
    """The YAML document, or None with a placed problem (line and column) when it is not valid YAML
    or breaks an input limit."""
    if len(text) > MAX_FILE_BYTES:
        megabytes = MAX_FILE_BYTES // (1024 * 1024)
        problems.add(
            label,
            says(
                f"longer than {megabytes} MB (the limit for an input)",
                f"langer dan {megabytes} MB (de grens voor een invoer)",
            ),
        )
        return None
    loader = _UniqueKeyLoader(text)  # the safe loader with more checks
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _measure(node)
        return loader.construct_document(node)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        problems.add(f"{label}{where}", says(f"not valid YAML: {reason}", f"geen geldige YAML: {reason}"))
        return None
    except LimitExceeded as error:
        mark = error.mark
        problems.add(f"{label}, line {mark.line + 1}, column {mark.column + 1}", str(error))
        return None
    finally:
        loader.dispose()
