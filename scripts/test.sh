#!/usr/bin/env bash
# The whole test suite: lint, format check, type check, then pytest (warnings are errors).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/ruff check src tests bench fuzz
.venv/bin/ruff format --check src tests bench fuzz
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
