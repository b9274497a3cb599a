#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 supports Python < 3.11).
# Looks on PATH first, then in pyenv. Exits 1 with a clear message if none is found.
set -u
is_310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }

for candidate in python3.10 python3 python; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if is_310 "$path"; then echo "$path"; exit 0; fi
done

pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
for path in "$pyenv_root"/versions/3.10*/bin/python3.10; do
  [ -x "$path" ] && is_310 "$path" && { echo "$path"; exit 0; }
done

cat >&2 <<MSG
error: Python 3.10 was not found (Rasa 3.6 needs Python 3.8-3.10).
Install it, e.g. 'pyenv install 3.10' or your system's python3.10 package, then run make again.
MSG
exit 1
