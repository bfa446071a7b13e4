#!/usr/bin/env bash
# Runs the messaging walkthrough with the real wscat against two nodes of one cluster on
# loopback: get the room's WebSocket URL with curl, connect one wscat per node, type on one and
# check that the other, and only the other, receives it. Exits non-zero on any mismatch.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$repo/scripts/lib.sh"

for tool in wscat curl java; do
  command -v "$tool" >/dev/null || { echo "smoke: $tool not found (wscat: npm install -g wscat)" >&2; exit 1; }
done

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cluster="smoke-$$-$RANDOM"
http1=$(free_port); http2=$(free_port); hz1=$(free_port); hz2=$(free_port)
members="127.0.0.1:$hz1,127.0.0.1:$hz2"

echo "smoke: starting node 1 (HTTP $http1) and node 2 (HTTP $http2) in cluster $cluster"
"$repo/scripts/run-node.sh" --http-host 127.0.0.1 --http-port "$http1" --hz-port "$hz1" --members "$members" \
  --cluster-name "$cluster" >"$work/node1.log" 2>&1 &
node1=$!; pids+=("$node1")
wait_http_ok "http://127.0.0.1:$http1/ready"
"$repo/scripts/run-node.sh" --http-host 127.0.0.1 --http-port "$http2" --hz-port "$hz2" --members "$members" \
  --cluster-name "$cluster" >"$work/node2.log" 2>&1 &
node2=$!; pids+=("$node2")
wait_http_ok "http://127.0.0.1:$http2/ready"

path=$(curl -sf "http://localhost:$http1/api/ws?room=tau")
expected=/ws/channel/2bfcf64c38aeb71a5f36b5aa43dd96cd81c76452533e46061a35e4c46c87eaf1
[[ "$path" == "$expected" ]] || { echo "smoke: /api/ws returned '$path', expected '$expected'" >&2; exit 1; }

# Terminal 2 listens on node 2; its standard input stays open so wscat keeps the connection.
sleep 12 | wscat -c "ws://localhost:$http2$path" >"$work/terminal2.out" 2>&1 &
pids+=($!)
# The connection is in the room once node 2 counts it.
for _ in $(seq 1 100); do
  curl -s "http://127.0.0.1:$http2/api/status" | grep -q '"connections":1' && break
  sleep 0.1
done

# Terminal 1 types one line on node 1 and waits two seconds for anything that comes back.
sleep 4 | wscat -c "ws://localhost:$http1$path" -x "hello from terminal 1" -w 2 >"$work/terminal1.out" 2>&1

for _ in $(seq 1 50); do
  grep -q "hello from terminal 1" "$work/terminal2.out" && break
  sleep 0.1
done
if ! grep -qx "hello from terminal 1" "$work/terminal2.out"; then
  echo "smoke: terminal 2 did not receive the message; it printed:" >&2
  cat "$work/terminal2.out" >&2
  exit 1
fi
if grep -q "hello from terminal 1" "$work/terminal1.out"; then
  echo "smoke: the sender received its own message back" >&2
  exit 1
fi

kill -TERM "$node1" "$node2"
status1=0; status2=0
wait "$node1" || status1=$?
wait "$node2" || status2=$?
if ((status1 != 0 || status2 != 0)); then
  echo "smoke: nodes exited with $status1 and $status2 after SIGTERM, expected 0" >&2
  exit 1
fi
echo "smoke: walkthrough passed (wscat on two nodes, no echo, clean stop)"
