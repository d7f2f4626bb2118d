#!/usr/bin/env bash
# Installs everything, then runs every test: build, type check, lint, unit tests in plain Node,
# the integration suite inside a real VS Code 1.139, the VSIX contents check, and this machine's
# platform VSIX: its contents, and DuckDB loaded from it in plain Node (the other four platforms'
# VSIXs are left to `npm run package:targets`; this one takes a few seconds), then the demo checked
# in the web workbench as a user gets it (scripts/vscode/demoCheck.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
npm test
npm run package
node scripts/checkPackage.mjs cloudtrail-lens.vsix
target="$(node -p 'process.platform + "-" + process.arch')"
npm run package:target -- "$target"
node scripts/checkPackage.mjs "cloudtrail-lens-$target.vsix"
node scripts/checkPlatformPackage.mjs "cloudtrail-lens-$target.vsix" cloudtrail-lens.vsix
# The demo as a user gets it: the VSIX installed, notifications on, the view and walkthrough shown.
node scripts/vscode/demoCheck.mjs
