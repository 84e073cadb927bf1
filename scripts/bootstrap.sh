#!/bin/sh
# Creates .venv and installs the project (with test extras) into it when missing or stale.
# Used by ./liveview-skill and `make test`, so a fresh clone needs only Python 3.11+ and make.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
stamp="$venv/.installed"
if [ -f "$stamp" ] && [ "$stamp" -nt "$root/pyproject.toml" ]; then
  exit 0
fi
py=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    py=$candidate; break
  fi
done
if [ -z "$py" ]; then
  echo "liveview-skill needs Python 3.11 or newer on PATH" >&2
  exit 2
fi
echo "Setting up $venv (first run only)..." >&2
[ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
log="$venv/install.log"
if ! { "$venv/bin/python" -m pip install --disable-pip-version-check --upgrade pip &&
       "$venv/bin/python" -m pip install --disable-pip-version-check -e "$root[test]"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "liveview-skill: installing into $venv failed (log above, also in $log)" >&2
  exit 2
fi
touch "$stamp"
