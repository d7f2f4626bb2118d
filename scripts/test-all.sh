#!/usr/bin/env bash
# Installs everything, then runs every test: build, type check, lint, unit tests in plain Node,
# the integration suite inside a real VS Code 1.139, and the VSIX contents check.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
npm test
npm run package
node scripts/checkPackage.mjs cloudtrail-lens.vsix
