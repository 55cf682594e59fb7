#!/usr/bin/env bash
# The dashboard's npm dependencies (package.json, pinned by the committed package-lock.json):
# ECharts, which djtv-server serves from node_modules, and playwright-core, with which the tests
# drive Debian's chromium (no browser is downloaded: install scripts are not run).
# Installs Debian's nodejs + npm first when the machine has no npm.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
    "$here/install-deps.sh" "$here/node-packages.txt"
fi
cd "$top"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
