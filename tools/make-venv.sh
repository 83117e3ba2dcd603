#!/bin/sh
# Creates the virtual environment with the first Python 3.12+ found: on PATH, or in pyenv's
# versions folder where the pyenv shim refuses a version that is not the global one.
set -eu
venv="$1"
pyenv_versions="${PYENV_ROOT:-$HOME/.pyenv}/versions"
for candidate in python3.12 "$(ls -d "$pyenv_versions"/3.12*/bin/python3 2>/dev/null | tail -n 1)" \
    python3.13 "$(ls -d "$pyenv_versions"/3.1[3-9]*/bin/python3 2>/dev/null | tail -n 1)" python3; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    exec "$candidate" -m venv "$venv"
  fi
done
echo "seta needs Python 3.12 or newer (PuLP 4 does); none was found on PATH or under pyenv." >&2
exit 1
