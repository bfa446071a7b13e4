#!/usr/bin/env bash
# Starts, scales, inspects and stops a local Roomcast cluster: nodes on this machine behind one
# HAProxy. Run it with --help for the commands and flags.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$repo/scripts/lib.sh"
# shellcheck source=scripts/cluster-nodes.sh
source "$repo/scripts/cluster-nodes.sh"
# shellcheck source=scripts/cluster-haproxy.sh
source "$repo/scripts/cluster-haproxy.sh"

usage() {
  cat <<EOF
Usage: scripts/cluster.sh COMMAND [FLAGS]

Runs a Roomcast cluster on this Linux machine: nodes started from scripts/run-node.sh, behind
one HAProxy that balances WebSocket connections across them.

Commands:
  up N       build the node jar if needed, start N nodes one after the other, then HAProxy
  status     show each node's process, readiness, cluster members and connections, as the
             nodes and HAProxy report them now; exits 1 unless every node is ready and up
  scale N    start nodes until N run, or drain and stop the newest nodes until N remain
  down       drain and stop every node and HAProxy that this cluster's commands started

Flags for every command:
  --name NAME            cluster name: its state folder and its Hazelcast cluster name
                         (default: roomcast)
  --run-dir DIR          folder that holds one state folder per cluster (default: run/ in the
                         repository, or ROOMCAST_RUN_DIR)

Flags for up (scale, status and down read them back from the state folder):
  --lb-port PORT         HAProxy port for clients (default: 14529)
  --lb-host ADDRESS      address HAProxy binds to (default: 127.0.0.1)
  --stats-port PORT      HAProxy statistics page on 127.0.0.1 (default: lb-port + 1)
  --node-port PORT       HTTP port of node 1; node i listens on PORT + i - 1 (default: lb-port + 2)
  --node-host ADDRESS    address the nodes' HTTP servers bind to (default: 127.0.0.1)
  --hz-port PORT         Hazelcast port of node 1; node i uses PORT + i - 1 (default: 5701)
  --hz-host ADDRESS      address Hazelcast binds to and announces to other members
                         (default: 127.0.0.1)
  --members LIST         more Hazelcast members to join, HOST:PORT[-PORT],... (default: none),
                         for a cluster that spans machines
  --max-nodes N          node slots, which bound scale and the Hazelcast member list
                         (default: 10)
  --ping-interval SECONDS  seconds between the nodes' WebSocket pings
                         (default: ping-interval-seconds in roomcast.yaml)
  --tunnel-timeout SECONDS  HAProxy closes a WebSocket idle this long in both directions; must
                         exceed twice the ping interval (default: 3600)
  --config-dir DIR       node configuration folder, copied at up (default: cluster-config/)

Flags for up, scale and down:
  --start-timeout SECONDS  time a node gets to become ready (default: 120)
  --stop-timeout SECONDS   time a node gets to drain and exit before SIGKILL (default: 60)

Environment:
  ROOMCAST_JAR           run this node jar instead of building broker-node/target/broker-node.jar
  ROOMCAST_HAPROXY       HAProxy executable (default: haproxy on PATH)
EOF
}

# Settings of the cluster, from flags at "up" and from the state folder afterwards.
name=roomcast
run_dir="${ROOMCAST_RUN_DIR:-$repo/run}"
lb_port=14529
lb_host=127.0.0.1
stats_port=
node_port=
node_host=127.0.0.1
hz_port=5701
hz_host=127.0.0.1
extra_members=
max_nodes=10
ping_interval=
tunnel_timeout=3600
config_dir="$repo/cluster-config"
start_timeout=120
stop_timeout=60

command=
count=
up_only_flags=()

parse_args() {
  while (($#)); do
    case "$1" in
      -h | --help) usage; exit 0 ;;
      --name) name=$(flag_value "$@"); shift ;;
      --run-dir) run_dir=$(flag_value "$@"); shift ;;
      --start-timeout) start_timeout=$(flag_value "$@"); shift ;;
      --stop-timeout) stop_timeout=$(flag_value "$@"); shift ;;
      --lb-port) lb_port=$(flag_value "$@"); up_only_flags+=("$1"); shift ;;
      --lb-host) lb_host=$(flag_value "$@"); up_only_flags+=("$1"); shift ;;
      --stats-port) stats_port=$(flag_value "$@"); up_only_flags+=("$1"); shift ;;
      --node-port) node_port=$(flag_value "$@"); up_only_flags+=("$1"); shift ;;
      --node-host) node_host=$(flag_value "$@"); up_only_flags+=("$1"); shift ;;
      --hz-port) hz_port=$(flag_value "$@"); up_only_flags+=("$1"); shift ;;
      --hz-host) hz_host=$(flag_value "$@"); up_only_flags+=("$1"); shift ;;
      --members) extra_members=$(flag_value "$@"); up_only_flags+=("$1"); shift ;;
      --max-nodes) max_nodes=$(flag_value "$@"); up_only_flags+=("$1"); shift ;;
      --ping-interval) ping_interval=$(flag_value "$@"); up_only_flags+=("$1"); shift ;;
      --tunnel-timeout) tunnel_timeout=$(flag_value "$@"); up_only_flags+=("$1"); shift ;;
      --config-dir) config_dir=$(flag_value "$@"); up_only_flags+=("$1"); shift ;;
      -*) die "unknown flag '$1'; run scripts/cluster.sh --help" ;;
      *)
        if [[ -z "$command" ]]; then
          command=$1
        elif [[ -z "$count" ]]; then
          count=$1
        else
          die "unexpected argument '$1'; run scripts/cluster.sh --help"
        fi
        ;;
    esac
    shift
  done
}

# Prints the value that follows a flag, or fails when there is none.
flag_value() {
  (($# >= 2)) || die "flag $1 needs a value"
  printf '%s' "$2"
}

check_up_flags() {
  stats_port=${stats_port:-$((lb_port + 1))}
  node_port=${node_port:-$((lb_port + 2))}
  check_name "$name"
  check_port --lb-port "$lb_port"
  check_port --stats-port "$stats_port"
  check_number --max-nodes "$max_nodes" 1 1000
  check_port --node-port "$node_port"
  check_port "--node-port + --max-nodes" $((node_port + max_nodes - 1))
  check_port --hz-port "$hz_port"
  check_port "--hz-port + --max-nodes" $((hz_port + max_nodes - 1))
  check_number --tunnel-timeout "$tunnel_timeout" 1 86400
  [[ -d "$config_dir" ]] || die "--config-dir $config_dir: not a directory"
  [[ -f "$config_dir/roomcast.yaml" ]] || die "--config-dir $config_dir: roomcast.yaml not found"

  if [[ -n "$ping_interval" ]]; then
    check_number --ping-interval "$ping_interval" 0 86400
  else
    ping_interval=$(configured_ping_interval "$config_dir/roomcast.yaml")
  fi
  # Nodes ping idle WebSockets, and HAProxy must see that traffic before its tunnel timeout expires.
  if ((ping_interval == 0)); then
    die "the ping interval is 0, so HAProxy would close every WebSocket idle for --tunnel-timeout ($tunnel_timeout s); set --ping-interval"
  fi
  if ((ping_interval * 2 >= tunnel_timeout)); then
    die "--tunnel-timeout $tunnel_timeout must exceed twice the ping interval ($ping_interval s), or HAProxy closes idle WebSockets between pings"
  fi
}

# Prints ping-interval-seconds from roomcast.yaml, or 30 (the node's default) when it is absent.
configured_ping_interval() {
  local value
  value=$(sed -n 's/^[[:space:]]*ping-interval-seconds:[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$1" | head -n 1)
  printf '%s' "${value:-30}"
}

check_node_count() {
  if ! [[ "$count" =~ ^[0-9]+$ ]] || ((10#$count < 1)); then
    die "node count '$count': expected a whole number of 1 or more"
  fi
  if ((10#$count > max_nodes)); then
    die "node count $count exceeds the $max_nodes node slots of cluster $name; set --max-nodes at up"
  fi
}

check_name() {
  [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] \
    || die "--name '$1': use letters, digits, '.', '_' and '-', starting with a letter or digit"
}

check_port() {
  check_number "$1" "$2" 1 65535
}

# Fails unless VALUE is a whole number from LOW to HIGH.
check_number() {
  local flag=$1 value=$2 low=$3 high=$4
  if ! [[ "$value" =~ ^[0-9]+$ ]] || ((10#$value < low || 10#$value > high)); then
    die "$flag '$value': expected a whole number from $low to $high"
  fi
}

check_tools() {
  haproxy_bin=${ROOMCAST_HAPROXY:-$(find_haproxy)}
  command -v "$haproxy_bin" >/dev/null 2>&1 \
    || die "$haproxy_bin not found; install HAProxy 2.2 or later (Debian and Ubuntu: apt-get install haproxy), or set ROOMCAST_HAPROXY"
  command -v java >/dev/null 2>&1 \
    || die "java not found; install a Java 17 JDK (Debian: apt-get install openjdk-17-jdk-headless)"
  command -v curl >/dev/null 2>&1 || die "curl not found; install it (Debian: apt-get install curl)"
  command -v perl >/dev/null 2>&1 || die "perl not found; it sends commands to HAProxy's runtime API (Debian: apt-get install perl-base)"
  command -v flock >/dev/null 2>&1 || die "flock not found; install util-linux"
  check_haproxy_version
}

print_endpoints() {
  local i pid start lb_address=$lb_host
  [[ "$lb_address" != 0.0.0.0 ]] || lb_address=127.0.0.1
  echo
  echo "cluster $name is up: $(running_node_count) nodes behind HAProxy"
  printf '  %-14s http://%s:%s  (WebSockets: ws://%s:%s/ws/channel/<id>)\n' clients "$lb_address" "$lb_port" \
    "$lb_address" "$lb_port"
  printf '  %-14s http://127.0.0.1:%s/\n' "HAProxy stats" "$stats_port"
  for i in $(recorded_nodes); do
    read -r pid start <"$(node_pid_file "$i")"
    printf '  %-14s %s  Hazelcast %s:%s  pid %s\n' "node$i" "$(node_url "$i" "")" "$hz_host" "$(node_hz_port "$i")" "$pid"
  done
  printf '  %-14s %s\n' logs "$state_dir/logs"
  echo
  echo "Try:  curl \"http://$lb_address:$lb_port/api/ws?room=tau\""
  echo "      scripts/cluster.sh status$(cli_flags)"
  echo "      scripts/cluster.sh scale N$(cli_flags)"
  echo "      scripts/cluster.sh down$(cli_flags)"
}

# Prints one line per recorded node with what its process, its HTTP API and HAProxy report now.
# Returns 1 unless HAProxy runs and every node runs, is ready, reports all nodes as cluster members
# and is up in HAProxy.
print_status() {
  local healthy=0 haproxy_pid start nodes
  nodes=$(recorded_nodes | wc -l)
  if ((nodes == 0)) && ! haproxy_alive; then
    echo "cluster $name is not running (state in $state_dir); start it with: scripts/cluster.sh up N$(cli_flags)"
    return 1
  fi
  echo "cluster $name, state in $state_dir"
  if haproxy_alive; then
    read -r haproxy_pid start <"$(haproxy_pid_file)"
    echo "HAProxy: running, pid $haproxy_pid, clients on $lb_host:$lb_port, stats on http://127.0.0.1:$stats_port/"
  else
    echo "HAProxy: not running"
    healthy=1
  fi

  local format='%-7s %-8s %-8s %-22s %-22s %-10s %-8s %-12s %s\n'
  # shellcheck disable=SC2059
  printf "$format" NODE PID PROCESS HTTP HAZELCAST READY MEMBERS CONNECTIONS BALANCER
  local i pid process ready members connections balancer
  for i in $(recorded_nodes); do
    read -r pid start <"$(node_pid_file "$i")"
    if process_running "$pid" "$start"; then
      process=running
      ready=$(node_readiness "$i")
      members=$(node_member_count "$i")
      connections=$(node_status_number "$i" connections)
    else
      process=exited
      ready=- members=- connections=-
    fi
    if haproxy_alive; then
      balancer=$(haproxy_server_status "$i")
    else
      balancer=no-haproxy
    fi
    # shellcheck disable=SC2059
    printf "$format" "node$i" "$pid" "$process" "$(node_address):$(node_http_port "$i")" \
      "$hz_host:$(node_hz_port "$i")" "$ready" "$members" "$connections" "${balancer// /_}"
    if [[ "$process" != running || "$ready" != ready || "$members" == - ]] || ((members < nodes)) \
        || [[ "$balancer" != UP ]]; then
      healthy=1
    fi
  done
  ((nodes > 0)) || { echo "(no nodes)"; healthy=1; }
  return "$healthy"
}

# Prints the HAProxy on PATH, else the one in an sbin folder that a regular user's PATH may lack
# (Debian installs it as /usr/sbin/haproxy), else "haproxy".
find_haproxy() {
  local candidate
  for candidate in "$(command -v haproxy)" /usr/sbin/haproxy /usr/local/sbin/haproxy; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then
      printf '%s' "$candidate"
      return
    fi
  done
  printf 'haproxy'
}

main() {
  parse_args "$@"
  [[ -n "$command" ]] || { usage >&2; exit 2; }
  [[ -r /proc/self/stat ]] || die "cluster.sh tracks its processes through /proc, so it runs on Linux only"
  check_name "$name"
  state_dir="$run_dir/$name"

  case "$command" in
    up) cmd_up ;;
    status) no_up_flags; no_count; cmd_status ;;
    scale) no_up_flags; cmd_scale ;;
    down) no_up_flags; no_count; cmd_down ;;
    *) die "unknown command '$command'; expected up, status, scale or down" ;;
  esac
}

no_up_flags() {
  if ((${#up_only_flags[@]})); then
    die "${up_only_flags[0]} applies to up only; cluster $name keeps the settings it was started with (see $state_dir/cluster.env)"
  fi
}

no_count() {
  [[ -z "$count" ]] || die "$command takes no count, got '$count'"
}

cmd_up() {
  [[ -n "$count" ]] || die "up needs a node count, as in: scripts/cluster.sh up 3"
  check_up_flags
  check_node_count
  check_tools
  mkdir -p "$state_dir"
  lock_state
  refuse_running_cluster
  reset_state_dir
  check_ports_free "$count"
  save_settings
  prepare_node_files

  # Stop whatever this command started when it fails or is interrupted halfway.
  trap_signals_as_exit
  trap 'abort_up' EXIT
  local i
  for ((i = 1; i <= count; i++)); do
    start_node "$i"
  done
  render_haproxy_config
  start_haproxy
  for ((i = 1; i <= count; i++)); do
    await_balancer_up "$i"
  done
  trap - EXIT

  print_endpoints
}

# Makes SIGINT, SIGTERM and SIGHUP exit through the EXIT trap, which bash skips for a signal
# without a trap of its own.
trap_signals_as_exit() {
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
}

abort_up() {
  local status=$?
  ((status == 0)) && return
  echo
  echo "cluster.sh: up did not finish; stopping what it started" >&2
  stop_everything >&2 || true
  exit "$status"
}

cmd_scale() {
  [[ -n "$count" ]] || die "scale needs a node count, as in: scripts/cluster.sh scale 5"
  require_state
  load_settings
  check_node_count
  check_tools
  lock_state
  haproxy_alive || die "HAProxy of cluster $name is not running; run down, then up"
  remove_exited_nodes

  local running
  running=$(running_node_count)
  if ((count == running)); then
    echo "cluster $name already runs $running nodes"
  elif ((count > running)); then
    scale_up "$running"
  else
    scale_down "$running"
  fi
}

scale_up() {
  local running=$1 started=() i
  trap_signals_as_exit
  trap 'abort_scale_up' EXIT
  for ((i = 1; i <= max_nodes && running < count; i++)); do
    [[ -f "$(node_pid_file "$i")" ]] && continue
    check_node_ports_free "$i"
    start_node "$i"
    started+=("$i")
    haproxy_enable_node "$i"
    await_balancer_up "$i"
    running=$((running + 1))
  done
  trap - EXIT
  render_haproxy_config
  echo "cluster $name: scaled up to $count nodes (started ${started[*]/#/node})"
}

abort_scale_up() {
  local status=$?
  ((status == 0)) && return
  echo
  echo "cluster.sh: scale did not finish; stopping the nodes it started" >&2
  local i
  for i in "${started[@]}"; do
    stop_node "$i" >&2 || true
  done
  render_haproxy_config || true
  exit "$status"
}

scale_down() {
  local running=$1 stopped=() i
  # The newest nodes go first, one at a time: each leaves Hazelcast only after its partitions
  # and ring buffer backups have migrated to the nodes that stay.
  for ((i = max_nodes; i >= 1 && running > count; i--)); do
    [[ -f "$(node_pid_file "$i")" ]] || continue
    stop_node "$i"
    stopped+=("$i")
    running=$((running - 1))
    render_haproxy_config
    await_members "$running"
  done
  echo "cluster $name: scaled down to $count nodes (stopped ${stopped[*]/#/node})"
}

cmd_status() {
  require_state
  load_settings
  print_status
}

cmd_down() {
  if [[ ! -f "$state_dir/cluster.env" ]]; then
    echo "cluster $name: nothing to stop (no state in $state_dir)"
    return 0
  fi
  load_settings
  lock_state
  stop_everything
  rm -f "$state_dir/broker-node.jar"
  echo "cluster $name: down; logs are in $state_dir/logs"
}

main "$@"
