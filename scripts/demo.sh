#!/usr/bin/env bash
# The main job: install, ingest the demo corpus into crosscheck.db, serve the web UI on http://127.0.0.1:8765.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/crosscheck --db "${CROSSCHECK_DB:-crosscheck.db}" demo "$@"
