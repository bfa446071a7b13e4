#!/usr/bin/env bash
# Runs one load scenario against running Roomcast nodes: scripts/loadtest.sh SCENARIO [flags].
# Scenarios: fanout, chat, connections, latency; `scripts/loadtest.sh SCENARIO --help` lists the
# flags. Builds load-generator/target/load-generator.jar first when it is missing or older than
# its sources. LOADGEN_JAVA_OPTS adds JVM flags, such as -Xmx4g for 100,000 connections.
# Exit status: 0 no error, 1 lost/duplicate/reordered deliveries, closes or connect errors,
# 2 invalid flag, 3 the run could not be carried out.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$repo/load-generator/target/load-generator.jar"

if ! command -v java >/dev/null 2>&1; then
  echo "loadtest.sh: java not found; install a Java 17 JDK (Debian: apt-get install openjdk-17-jdk-headless)" >&2
  exit 3
fi

needs_build() {
  [[ ! -f "$jar" ]] && return 0
  [[ -n "$(find "$repo/load-generator/pom.xml" "$repo/load-generator/src/main" -newer "$jar" -type f -print -quit)" ]]
}

if needs_build; then
  echo "loadtest.sh: building $jar" >&2
  (cd "$repo" && mvn -B -q -DskipTests -pl load-generator package) >&2
fi

# Every connection is a file descriptor: use as many as the hard limit allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# shellcheck disable=SC2086
exec java ${LOADGEN_JAVA_OPTS:--Xmx2g} -jar "$jar" "$@"
