#!/usr/bin/env bash
# Installs everything the build, the tests and the demo need on a fresh machine: Debian's Chromium
# and libkrb5-dev (VS Code's server compiles a Kerberos module), the npm packages, and VS Code 1.139
# in .vscode-test/web. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "setup: installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

for tool in aws moto_server; do
  command -v "$tool" >/dev/null || echo "setup: warning: '$tool' is not on PATH; the tests that compare with aws-cli or use a local S3 need it" >&2
done

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
node scripts/vscode/install.mjs
