"""Regenerates the README's command examples from the real commands, so that they show today's output.

    python tools/readme_examples.py          # rewrite every example in README.md
    python tools/readme_examples.py --check  # say which examples differ (exit 1), write nothing

An example is a fenced block whose first line is `$ seta ...` and which holds no other command. Its
output is what the command prints on stdout at 120 columns (progress on stderr is left out, as a
reader who pipes it would see), and for a command that ends without a solution what it says on
stderr too, but its progress (why there is none is the point of such an example). Examples that
read a file the README has the reader write first (`seta validate broken.yaml`) are kept as they
are; so are blocks of several commands. Timings in the output ("optimal in 0.10 s") change from run
to run: the check ignores them.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SETA = str(Path(sys.executable).with_name("seta"))
BLOCK = re.compile(r"```\n(\$ seta [^\n]*)\n(.*?)```", re.S)
SECONDS = re.compile(r"\d+(\.\d+)? s\b")


def _command(line: str) -> list[str] | None:
    """The words of an example's command, or None when it cannot run here as written."""
    words = shlex.split(line.removeprefix("$ "), comments=True)
    if any(word.endswith((".yaml", ".yml", ".csv")) for word in words[2:]):
        return None  # a file the README has the reader write first
    return [SETA, *words[1:]]


def _output(words: list[str]) -> str:
    done = subprocess.run(
        words, capture_output=True, text=True, timeout=3600, env={**os.environ, "COLUMNS": "120"}, cwd=ROOT
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(words[1:])} failed (exit {done.returncode}):\n{done.stderr}")
    said = [line for line in done.stderr.splitlines() if not line.endswith("...")]  # not the progress
    shown = done.stdout + ("\n".join(said) if done.returncode == 1 else "")
    return "".join(line.rstrip() + "\n" for line in shown.splitlines())


def main(check: bool) -> int:
    text = README.read_text(encoding="utf-8")
    pieces, start, stale = [], 0, []
    for found in BLOCK.finditer(text):
        line, shown = found.group(1), found.group(2)
        words = _command(line)
        if words is None or "\n$ " in "\n" + shown:
            continue
        output = _output(words)
        if SECONDS.sub("", output) != SECONDS.sub("", shown):
            stale.append(line)
        pieces += [text[start : found.start(2)], output]
        start = found.end(2)
        print(f"{line}: {len(output.splitlines())} lines", file=sys.stderr)
    pieces.append(text[start:])
    if check:
        for line in stale:
            print(f"out of date: {line}")
        return 1 if stale else 0
    README.write_text("".join(pieces), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
