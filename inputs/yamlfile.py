"""Reading a scenario file: its text, its YAML, and nothing silently lost on the way.

A file saved in another encoding, a folder where a file was expected, a YAML syntax error and a key
written twice are each reported with the file (and line) instead of failing later or being merged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode

from inputs.problems import Problems


class _UniqueKeyLoader(yaml.SafeLoader):
    """The safe loader, but a key that appears twice in one mapping is an error, not an overwrite."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key; the base class reports it
                continue
            if first is not None:
                raise ConstructorError(
                    None,
                    None,
                    f"the key '{key}' appears twice in one mapping (first on line {first + 1}); keep one",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def read_text(path: Path, label: str, problems: Problems, expected: str) -> str | None:
    """The file's text (UTF-8, with or without a byte-order mark), or None with the reason recorded."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.add(str(path), f"file not found (expected {expected})")
        return None
    except IsADirectoryError:
        problems.add(str(path), f"is a folder (expected {expected})")
        return None
    except PermissionError:
        problems.add(str(path), "cannot be read: permission denied")
        return None
    except OSError as error:
        problems.add(str(path), f"cannot be read: {error.strerror or error}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(
            f"{label}, line {line}",
            f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8 "
            "(a file from Excel or Notepad on Windows is often Windows-1252)",
        )
        return None


def parse_yaml(text: str, label: str, problems: Problems) -> Any:
    """The YAML document, or None with a placed problem (line and column) when it is not valid YAML."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # the safe loader with one more check
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        problems.add(f"{label}{where}", f"not valid YAML: {reason}")
        return None
