#!/usr/bin/env bash
# Installs everything, generates a sample workspace (a day of simulated CloudTrail logs with signed
# digests and the public-key file) and opens VS Code with the extension on it: VS Code desktop when
# `code` is on PATH, otherwise VS Code's web workbench on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
npm run build
npm run compile-tests
# The demo installs the extension from this machine's VSIX, as a user would.
npm run package:target -- "$(node -p 'process.platform + "-" + process.arch')"
node scripts/demo.mjs "$@"
