#!/usr/bin/env bash
# Runs one Roomcast node in the foreground; all arguments go to the node (see --help).
# Builds broker-node/target/broker-node.jar first when it is missing or older than the sources.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# ROOMCAST_JAR runs that jar as it is, without building; scripts/cluster.sh sets it so that every
# node of a cluster runs the same build.
jar="${ROOMCAST_JAR:-$repo/broker-node/target/broker-node.jar}"

if ! command -v java >/dev/null 2>&1; then
  echo "run-node.sh: java not found; install a Java 17 JDK (Debian: apt-get install openjdk-17-jdk-headless)" >&2
  exit 1
fi

needs_build() {
  [[ ! -f "$jar" ]] && return 0
  [[ -n "$(find "$repo/pom.xml" "$repo/broker-node/pom.xml" "$repo/broker-node/src/main" \
      "$repo/cluster-config" -newer "$jar" -type f -print -quit)" ]]
}

if [[ -n "${ROOMCAST_JAR:-}" ]]; then
  [[ -f "$jar" ]] || { echo "run-node.sh: ROOMCAST_JAR=$jar: file not found" >&2; exit 1; }
elif needs_build; then
  echo "run-node.sh: building $jar" >&2
  (cd "$repo" && mvn -B -q -DskipTests package) >&2
fi

# Hazelcast's recommended flags on Java 17 (see its "Running in modular Java" docs).
hazelcast_flags=(
  --add-modules java.se
  --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
)

# ROOMCAST_JAVA_OPTS adds JVM flags, such as -Xmx2g.
# shellcheck disable=SC2086
exec java "${hazelcast_flags[@]}" ${ROOMCAST_JAVA_OPTS:-} -jar "$jar" "$@"
