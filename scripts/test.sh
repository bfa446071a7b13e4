#!/usr/bin/env bash
# Runs every Roomcast test: unit and multi-process integration tests (Maven), then the wscat
# walkthrough. Needs Java 17, Maven, curl and wscat; .ci/run installs them on a fresh machine.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

echo "== Maven: unit and integration tests"
mvn -B verify

echo "== wscat walkthrough against two nodes"
scripts/smoke-walkthrough.sh

echo "== Browser end-to-end tests"
scripts/e2e.sh
