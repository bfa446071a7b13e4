#!/usr/bin/env bash
# Runs Roomcast's fixed benchmark set on this machine and writes docs/benchmarks.md.
#
#   1. fanout:      one node, one room, 1,000 subscribers, as fast as the room delivers;
#                   clustered and with --in-node-fanout (the ceiling), twice each, alternating
#   2. profile:     the clustered fanout again with JDK Flight Recorder and syscall counts
#   3. latency:     three nodes, publisher and subscribers on different nodes; first the
#                   maximum sustained rate, then half of it at a fixed rate, then 100/s
#   4. rooms:       10,000 rooms of 2 members over the three nodes, node memory per room
#   5. connections: one node with a 1 GiB heap and as many idle connections as the open-file
#                   limit allows (at most 100,000), node memory per connection
#
# Takes about 7 minutes (6 min 14 s on a 2-core machine). Every node and generator runs on
# loopback with free ports and a unique cluster name. Needs Java 17, Maven and curl; perf
# (Debian: linux-perf) counts system calls when it works. Other heavy processes on the machine
# skew the figures, so the report records the load average before and after.
#
# BENCH_OUT sets the folder for raw results (default load-generator/target/bench); BENCH_REPORT
# the report file (default docs/benchmarks.md).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$repo/scripts/lib.sh"

out="${BENCH_OUT:-$repo/load-generator/target/bench}"
report="${BENCH_REPORT:-$repo/docs/benchmarks.md}"
findings="$repo/load-generator/bench/profile-findings.md"
node_heap="-Xmx2g"
generator_heap="-Xmx2g"
run_id="bench-$$-$RANDOM"

rm -rf "$out"
mkdir -p "$out"

for tool in java mvn curl; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool not found" >&2; exit 1; }
done

echo "bench.sh: building the broker and the load generator"
(cd "$repo" && mvn -B -q -DskipTests -pl broker-node,load-generator -am package)
# Run from copies, so that a rebuild in the working tree during the run can not change the
# classes under a running JVM.
cp "$repo/broker-node/target/broker-node.jar" "$out/broker-node.jar"
cp "$repo/load-generator/target/load-generator.jar" "$out/load-generator.jar"
cp -r "$repo/cluster-config" "$out/cluster-config"
node_jar="$out/broker-node.jar"
jar="$out/load-generator.jar"
config="$out/cluster-config"

# Every connection is a file descriptor, in the node and in the generator.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
open_files=$(ulimit -n)

node_pids=()
cleanup() {
  stop_nodes
}
trap cleanup EXIT

# The JVM flags scripts/run-node.sh passes: Hazelcast's recommended flags on Java 17.
hazelcast_flags=(
  --add-modules java.se
  --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
)

# Starts a node in the background: start_node NAME HEAP HTTP_PORT HZ_PORT MEMBERS CLUSTER [FLAGS...]
# and waits until it is ready. Sets started_pid.
start_node() {
  local name=$1 heap=$2 http=$3 hz=$4 members=$5 cluster=$6
  shift 6
  java "${hazelcast_flags[@]}" "$heap" -jar "$node_jar" --config-dir "$config" --http-host 127.0.0.1 \
    --http-port "$http" --hz-host 127.0.0.1 --hz-port "$hz" --members "$members" --cluster-name "$cluster" \
    --ping-interval 0 "$@" >"$out/$name.log" 2>&1 &
  started_pid=$!
  node_pids+=("$started_pid")
  wait_http_ok "http://127.0.0.1:$http/ready" 120 || { tail -30 "$out/$name.log" >&2; exit 1; }
}

stop_nodes() {
  local pid
  for pid in "${node_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${node_pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  node_pids=()
}

# Runs the generator, keeps its output in $out/NAME.log and its summary in $out/NAME.json, and
# records the command line for the report. The exit status is kept: errors show in the tables.
loadgen() {
  local name=$1
  shift
  echo "loadtest.sh $*" | sed "s#$out/##g" >"$out/$name.command"
  echo "== $name: loadtest.sh $*"
  java $generator_heap -jar "$jar" "$@" --json "$out/$name.json" --label "$name" 2>&1 | tee "$out/$name.log" \
    | grep -E '^ *[0-9.]+s (measure)|^(scenario|publications/s|deliveries/s|latency|errors|result):' || true
}

field() {
  java -jar "$jar" report value "$1" "$2"
}

loadavg() {
  cut -d' ' -f1-3 /proc/loadavg
}

out_shown=${out#"$repo/"}
load_before=$(loadavg)
started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
bench_start=$SECONDS

# --- 1. fanout: clustered and in-node, alternating, two rounds each ---------------------------

fanout_flags=(fanout --subscribers 1000 --publishers 4 --window 16 --size 128 --warmup 5 --duration 15)
for run in clustered-1 in-node-1 clustered-2 in-node-2; do
  http=$(free_port); hz=$(free_port)
  extra=()
  [[ $run == in-node-* ]] && extra=(--in-node-fanout)
  start_node "fanout-$run-node" "$node_heap" "$http" "$hz" "127.0.0.1:$hz" "$run_id-fanout-$run" "${extra[@]}"
  loadgen "fanout-$run" "${fanout_flags[@]}" --url "http://127.0.0.1:$http" --node-pid "$started_pid"
  stop_nodes
done

# --- 2. profile: the clustered fanout with JFR and syscall counts ------------------------------

http=$(free_port); hz=$(free_port)
start_node "profile-node" "$node_heap" "$http" "$hz" "127.0.0.1:$hz" "$run_id-profile"
profile_pid=$started_pid
jfc="$out/node-profile.jfc"
# JDK's "profile" settings, plus monitor waits from 1 ms and allocation statistics every second.
# Socket writes keep their 10 ms threshold: recording every write allocates in the node's event
# loops and would skew the allocation figures, so perf counts the write calls instead.
sed -e '/<event name="jdk.JavaMonitorEnter">/,/<\/event>/ s#<setting name="threshold" control="locking-threshold">[^<]*</setting>#<setting name="threshold">1 ms</setting>#' \
  -e '/<event name="jdk.ThreadAllocationStatistics">/,/<\/event>/ s#everyChunk#1 s#' \
  "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" >"$jfc"
loadgen profile-fanout fanout --subscribers 1000 --publishers 4 --window 16 --size 128 --warmup 5 --duration 20 \
  --url "http://127.0.0.1:$http" &
generator=$!
sleep 12
deliveries_metric() {
  curl -s "http://127.0.0.1:$http/metrics" | awk '/^roomcast_deliveries_total/ {printf "%.0f\n", $2}'
}
deliveries_start=$(deliveries_metric)
jcmd "$profile_pid" JFR.start name=bench settings="$jfc" filename="$out/fanout.jfr" >/dev/null
perf_note="perf not available"
if command -v perf >/dev/null && perf stat -e syscalls:sys_enter_writev -p "$profile_pid" -- sleep 0.1 >/dev/null 2>&1; then
  perf stat -e syscalls:sys_enter_writev,syscalls:sys_enter_write,syscalls:sys_enter_epoll_wait \
    -p "$profile_pid" -- sleep 10 2>"$out/fanout-syscalls.txt"
  perf_note=""
else
  sleep 10
fi
jcmd "$profile_pid" JFR.stop name=bench >/dev/null
deliveries_end=$(deliveries_metric)
profile_deliveries=$((deliveries_end - deliveries_start))
wait "$generator" || true
stop_nodes
java -jar "$jar" report profile "$out/fanout.jfr" --deliveries "$profile_deliveries" --top 15 >"$out/fanout-profile.md"
syscalls_line="$perf_note"
if [[ -z "$perf_note" ]]; then
  writev=$(awk '/sys_enter_writev/ {gsub(",", "", $1); print $1}' "$out/fanout-syscalls.txt")
  write=$(awk '/sys_enter_write$/ || /sys_enter_write / {gsub(",", "", $1); print $1}' "$out/fanout-syscalls.txt")
  epoll=$(awk '/sys_enter_epoll_wait/ {gsub(",", "", $1); print $1}' "$out/fanout-syscalls.txt")
  syscalls_line=$(awk -v d="$profile_deliveries" -v wv="$writev" -v w="$write" -v e="$epoll" 'BEGIN {
    printf "%d deliveries, %d writev and %d write system calls, %d epoll_wait: %.1f deliveries per write call", d, wv, w, e, (wv + w > 0 ? d / (wv + w) : 0) }')
fi

# --- 3. latency over three nodes, 4. rooms ----------------------------------------------------

cluster="$run_id-three"
hz1=$(free_port); hz2=$(free_port); hz3=$(free_port)
members="127.0.0.1:$hz1,127.0.0.1:$hz2,127.0.0.1:$hz3"
urls=()
pids=()
for i in 1 2 3; do
  http=$(free_port)
  hz_var="hz$i"
  start_node "three-node$i" "$node_heap" "$http" "${!hz_var}" "$members" "$cluster"
  urls+=("http://127.0.0.1:$http")
  pids+=("$started_pid")
done
url_list=$(IFS=,; echo "${urls[*]}")
pid_list=$(IFS=,; echo "${pids[*]}")

latency_flags=(latency --rooms 30 --subscribers 10 --size 128)
loadgen latency-max "${latency_flags[@]}" --rate 0 --window 4 --warmup 5 --duration 20 --url "$url_list"
max_rate=$(field publications_per_second "$out/latency-max.json")
half_rate=$(awk -v r="$max_rate" 'BEGIN { printf "%d", r / 2 }')
loadgen latency-half "${latency_flags[@]}" --rate "$half_rate" --warmup 5 --duration 30 --url "$url_list"
loadgen latency-low "${latency_flags[@]}" --rate 100 --warmup 5 --duration 20 --url "$url_list"

java -jar "$jar" memory --url "$url_list" --node-pid "$pid_list" --gc --json "$out/rooms-memory-before.json" >/dev/null
# The open-file limit of one process caps its connections below 20,000 on some machines, so two
# generators of 5,000 rooms each make the 10,000 rooms.
rooms_flags=(chat --rooms 5000 --members 2 --rate 0.1 --size 128 --warmup 5 --duration 60 --connect-rate 500
  --connect-timeout 30)
loadgen rooms-a "${rooms_flags[@]}" --url "$url_list" --room-prefix "$run_id-a" >/dev/null &
rooms_a=$!
loadgen rooms-b "${rooms_flags[@]}" --url "$url_list" --room-prefix "$run_id-b" >/dev/null &
rooms_b=$!
# Measure 20 s after both generators connected (or after 90 s), inside their 60 s of publishing.
connected_nodes() {
  local total=0 url count
  for url in "${urls[@]}"; do
    count=$(curl -s "$url/api/status" | sed -n 's/.*"connections":\([0-9]*\).*/\1/p')
    total=$((total + ${count:-0}))
  done
  echo "$total"
}
for _ in $(seq 1 90); do
  (($(connected_nodes) >= 20000)) && break
  sleep 1
done
sleep 20
java -jar "$jar" memory --url "$url_list" --node-pid "$pid_list" --gc --json "$out/rooms-memory-during.json" >/dev/null
jcmd "${pids[0]}" GC.class_histogram >"$out/rooms-histogram-node1.txt" 2>&1 || true
wait "$rooms_a" || true
wait "$rooms_b" || true
stop_nodes

# --- 5. idle connections on one node with a 1 GiB heap ----------------------------------------

# Leave room for the JVM's own files and the node's Hazelcast sockets.
connections=$((open_files - 1000))
((connections > 100000)) && connections=100000
http=$(free_port); hz=$(free_port)
start_node "connections-node" "-Xmx1g" "$http" "$hz" "127.0.0.1:$hz" "$run_id-connections"
loadgen connections connections --connections "$connections" --rooms 100 --source-addresses 127.0.0.2-127.0.0.5 \
  --connect-rate 2000 --duration 20 --gc --url "http://127.0.0.1:$http" --node-pid "$started_pid"
stop_nodes

load_after=$(loadavg)
bench_seconds=$((SECONDS - bench_start))

# --- report -----------------------------------------------------------------------------------

table() {
  java -jar "$jar" report table "$@"
}

command_of() {
  cat "$out/$1.command"
}

# Prints "met" or "not met" for: check VALUE OPERATOR TARGET
check() {
  awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN {
    ok = (op == ">=") ? (v >= t) : (v < t); print (ok ? "met" : "not met") }'
}

mean_rate() {
  awk -v a="$(field deliveries_per_second "$out/$1-1.json")" -v b="$(field deliveries_per_second "$out/$1-2.json")" \
    'BEGIN { printf "%.0f", (a + b) / 2 }'
}
clustered_rate=$(mean_rate fanout-clustered)
in_node_rate=$(mean_rate fanout-in-node)
ratio=$(awk -v c="$clustered_rate" -v n="$in_node_rate" 'BEGIN { printf "%.3f", c / n }')
ratio_percent=$(awk -v r="$ratio" 'BEGIN { printf "%.1f", r * 100 }')
half_p99=$(field latency_ms.p99 "$out/latency-half.json")
rooms_heap_before=$(field heap_bytes "$out/rooms-memory-before.json")
rooms_heap_during=$(field heap_bytes "$out/rooms-memory-during.json")
rooms_rss_before=$(field rss_bytes "$out/rooms-memory-before.json")
rooms_rss_during=$(field rss_bytes "$out/rooms-memory-during.json")
rooms_connections=$(field connections "$out/rooms-memory-during.json")
connections_open=$(field connections.open_at_end "$out/connections.json")
connections_heap=$(field memory.after.0.heap_bytes "$out/connections.json")
connection_heap=$(field memory.heap_bytes_per_connection "$out/connections.json")
connection_rss=$(field memory.rss_bytes_per_connection "$out/connections.json")
heap_estimate=$(awk -v base="$(field memory.before.0.heap_bytes "$out/connections.json")" -v per="$connection_heap" \
  'BEGIN { printf "%.0f", (base + per * 100000) / 1048576 }')
ring_setting() {
  awk -v key="$1:" '/^  ringbuffer:/ {found=1} found && $1 == key {print $2; exit}' "$config/hazelcast.yaml"
}
ring_capacity=$(ring_setting capacity)
ring_backups=$(ring_setting backup-count)
ring_ttl=$(ring_setting time-to-live-seconds)

{
  cat <<EOF
# Roomcast benchmarks

Written by \`scripts/bench.sh\` on $started_at in $bench_seconds s; rerun it to replace this page.
Raw summaries (JSON), generator and node logs and the flight recording of this run are in
\`$out_shown\` (by default \`load-generator/target/bench/\`).

Every figure comes from one run on one machine, where the nodes and the load generator share the
processors. The generator checks every delivery (count, order per publisher, duplicates, and
one order for all subscribers of a room) and counts any loss as an error. The \`errors\` column
must be 0 for a row to count. Rates count the
measured phase only (after the warm-up); latency runs from the publisher's send to the
subscriber's receipt, both in the generator's clock, and includes the generator's own queueing.
The \`CPU generator / nodes\` column gives the processors each side kept busy during the
measured phase, and \`node CPU µs/delivery\` divides the nodes' CPU time by the deliveries; at low
rates the nodes' background work dominates that figure.

## Machine

| | |
| --- | --- |
| processors | $(nproc) ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)) |
| memory | $(free -g | awk '/^Mem:/ {print $2 " GiB"}') |
| kernel | $(uname -r) |
| JVM | $(java -version 2>&1 | sed -n 2p) |
| open-file limit | $open_files (hard limit $(ulimit -Hn)) |
| load average before / after | $load_before / $load_after |
| commit | $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- broker-node cluster-config || echo ", with uncommitted broker changes") |

Nodes run the broker jar with the JVM flags of \`scripts/run-node.sh\`, \`$node_heap\` (1 GiB for the
connections run), \`--ping-interval 0\` and a copy of the repository's \`cluster-config/\`; the
generator runs with \`$generator_heap\` and 4 event loops (twice the processors).

## 1. Fan-out: one node, one room, 1,000 subscribers

Four publishers publish as fast as the room delivers: each keeps at most 16 publications that the
last subscriber has not received. The same load runs against a clustered node (every publication
goes through the room's Hazelcast reliable topic) and against a node started with
\`--in-node-fanout\` (no Hazelcast hop), the ceiling. Each runs twice, alternating, with a new node
per run, so that a change in the machine's other load does not favour one side.

\`\`\`
$(command_of fanout-clustered-1)
$(command_of fanout-in-node-1)
\`\`\`

$(table "$out/fanout-clustered-1.json" "$out/fanout-in-node-1.json" "$out/fanout-clustered-2.json" "$out/fanout-in-node-2.json")

Mean deliveries per second: clustered $clustered_rate, in-node $in_node_rate. Clustered / in-node:
**$ratio_percent%** (target: at least 90%: $(check "$ratio" ">=" 0.9)). Latency in this test is
queueing inside the publishers' windows, not the cluster hop; section 2 measures the hop.

## 2. Cross-node latency: three nodes

30 rooms; each room's publisher is on one node and its 10 subscribers on the next, so every
delivery crosses the cluster. The first run publishes as fast as the rooms deliver (at most 4
publications per publisher in flight) to find the maximum sustained rate. The second publishes at
half that rate, at fixed intervals. The third publishes 100 times a second, where the nodes are
nearly idle and the figures show the hop itself.

\`\`\`
$(command_of latency-max)
$(command_of latency-half)
$(command_of latency-low)
\`\`\`

$(table "$out/latency-max.json" "$out/latency-half.json" "$out/latency-low.json")

Maximum sustained rate: $max_rate publications/s; at $half_rate publications/s the p99 is
**$half_p99 ms** (target: under 5 ms: $(check "$half_p99" "<" 5)). At 100 publications/s the p99 is
$(field latency_ms.p99 "$out/latency-low.json") ms.

## 3. Active rooms: 10,000 rooms over three nodes

10,000 rooms of 2 members on different nodes; each member publishes 0.1 times a second (2,000
publications/s in all). Two generators of 5,000 rooms each run at once, because one process's
open-file limit ($open_files) is below the 20,000 connections. Node memory is read after a full GC
in every node (\`jcmd PID GC.run\`), before the rooms exist and 20 s after all 20,000 connections
are open.

\`\`\`
$(command_of rooms-a)
$(command_of rooms-b)
\`\`\`

$(table "$out/rooms-a.json" "$out/rooms-b.json")

| three nodes together | before | during | per room (10,000) |
| --- | ---: | ---: | ---: |
| heap in use | $(awk -v b="$rooms_heap_before" 'BEGIN { printf "%.0f MiB", b / 1048576 }') | $(awk -v d="$rooms_heap_during" 'BEGIN { printf "%.0f MiB", d / 1048576 }') | $(awk -v b="$rooms_heap_before" -v d="$rooms_heap_during" 'BEGIN { printf "%.0f B", (d - b) / 10000 }') |
| resident memory | $(awk -v b="$rooms_rss_before" 'BEGIN { printf "%.0f MiB", b / 1048576 }') | $(awk -v d="$rooms_rss_during" 'BEGIN { printf "%.0f MiB", d / 1048576 }') | $(awk -v b="$rooms_rss_before" -v d="$rooms_rss_during" 'BEGIN { printf "%.0f B", (d - b) / 10000 }') |
| connections | - | $rooms_connections | 2 |

The per-room figures include the room's 2 connections (section 4 measures about
$connection_heap bytes of heap per idle connection) and the publications its ring buffer holds
(at most the capacity, for the time to live). Ring buffer settings in
\`cluster-config/hazelcast.yaml\`: capacity $ring_capacity, backup count $ring_backups, time to live
$ring_ttl s. Each ring buffer allocates its slot array (a reference per slot) and, with a time to
live, a \`long[]\` of the same length. It does so on its primary and on each backup: about
$(awk -v c="$ring_capacity" -v b="$ring_backups" 'BEGIN { printf "%.0f KiB", c * (4 + 8) * (1 + b) / 1024 }') per room before any
publication, an estimate from those settings with 4-byte compressed references. A full ring buffer
adds its capacity in stored publications on each replica. The full GCs and the class histogram
taken during the run pause the nodes, which shows in the rows' highest latencies. Ring buffer classes in node 1's heap
during the run (\`jcmd PID GC.class_histogram\`):

\`\`\`
$(grep -E 'num +#instances|Ringbuffer|ReliableTopicMessage|HeapData|\[J |\[Ljava.lang.Object; ' "$out/rooms-histogram-node1.txt" | head -12)
\`\`\`

## 4. Idle connections: one node, 1 GiB heap

\`\`\`
$(command_of connections)
\`\`\`

$(table "$out/connections.json")

$connections_open connections held with $(awk -v h="$connections_heap" 'BEGIN { printf "%.0f MiB", h / 1048576 }') of heap in use after a full GC:
$connection_heap bytes of heap and $connection_rss bytes of resident memory per connection.

Target: 100,000 connections within 1 GiB of heap. Not measured here: the open-file limit of every
process on this machine is $open_files, and a process can not raise its hard limit, so one node
holds at most about $connections connections. At the measured cost per connection, 100,000
connections would take about **$heap_estimate MiB** of heap, an estimate by linear
extrapolation (target $(check "$heap_estimate" "<" 1024) by that estimate).

## Profile

The clustered fan-out of section 1 runs again, with JDK Flight Recorder in the node for 10 s after
a 12 s warm-up. \`perf stat\` counts the node's write system calls meanwhile: $syscalls_line.

EOF
  if [[ -f "$findings" ]]; then
    cat "$findings"
    echo
  fi
  echo "### Recording"
  echo
  cat "$out/fanout-profile.md"
} >"$report"

echo "bench.sh: wrote $report in $bench_seconds s"
