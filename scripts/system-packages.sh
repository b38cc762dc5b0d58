#!/usr/bin/env bash
# Debian packages the browser and PostgreSQL tests use: Chromium (driven by Playwright through its executable
# path; no browser is downloaded) and a PostgreSQL server (the tests start a private cluster of their own).
# Without them those tests skip with the reason. Needs root and apt-get; does nothing when both are present.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "crosscheck: not installing ${need[*]} (needs root and apt-get); their tests will skip" >&2
    exit 0
fi
echo "crosscheck: installing ${need[*]} from Debian …"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
