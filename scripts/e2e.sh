#!/usr/bin/env bash
# Runs the browser end-to-end tests in e2e/: headless Chromium, driven by playwright-core, uses the
# chat page of two real nodes on loopback. Needs Java 17, Maven, Node.js 20 or later and Debian's
# chromium package (or CHROMIUM_PATH naming another Chromium); .ci/run installs them.
# Screenshots and node logs go to e2e/artifacts/.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo/e2e"

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$chromium_path" ]]; then
  echo "e2e: Chromium not found at $chromium_path; install it (Debian: apt-get install chromium) or set CHROMIUM_PATH" >&2
  exit 1
fi
if ! command -v node >/dev/null 2>&1; then
  echo "e2e: node not found; install Node.js 20 or later" >&2
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if ((node_major < 20)); then
  echo "e2e: Node.js $(node --version) is too old: playwright-core needs 20 or later" >&2
  exit 1
fi

# npm ci installs exactly the locked playwright-core, which downloads no browser of its own.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi

rm -rf artifacts
mkdir -p artifacts
export CHROMIUM_PATH="$chromium_path"
node --test --test-concurrency=1 chat.test.mjs haproxy.test.mjs
