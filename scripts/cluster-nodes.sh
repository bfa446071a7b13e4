# shellcheck shell=bash
# State folder, processes and nodes of scripts/cluster.sh; source it, don't run it.
#
# One state folder per cluster, <run dir>/<name>/:
#   cluster.env        settings given at "up", read back by every later command
#   broker-node.jar    the node jar copied at "up", so nodes added later run the same build
#   config/            the node configuration and HAProxy template copied at "up"
#   nodes/nodeI.pid    "PID START" of each running node, START from /proc/PID/stat
#   haproxy.pid        the same for HAProxy
#   haproxy.cfg        generated from config/haproxy.cfg.template
#   haproxy.sock       HAProxy's runtime API, readable by this user only
#   logs/              nodeI.log and haproxy.log

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

warn() {
  echo "cluster.sh: warning: $*" >&2
}

# Runs a command every 0.2 s until it succeeds or SECONDS pass, printing a dot per second so
# that slow steps show progress. Returns 1 on timeout.
poll_until() {
  local seconds=$1
  shift
  local start=$SECONDS next_dot=$((SECONDS + 1))
  until "$@"; do
    if ((SECONDS - start >= seconds)); then
      return 1
    fi
    if ((SECONDS >= next_dot)); then
      printf '.'
      next_dot=$((SECONDS + 1))
    fi
    sleep 0.2
  done
}

# --- state folder ---

lock_state() {
  exec 9>"$state_dir/lock"
  flock -n 9 || die "another cluster.sh command is changing cluster $name; wait until it finishes"
}

require_state() {
  [[ -f "$state_dir/cluster.env" ]] \
    || die "no cluster named $name in $run_dir; start one with: scripts/cluster.sh up N$(cli_flags)"
}

save_settings() {
  local variable
  {
    echo "# Settings of cluster $name, written by scripts/cluster.sh up; later commands read them."
    for variable in lb_host lb_port stats_port node_host node_port hz_host hz_port extra_members \
        max_nodes ping_interval tunnel_timeout; do
      printf '%s=%q\n' "$variable" "${!variable}"
    done
  } >"$state_dir/cluster.env"
}

load_settings() {
  # shellcheck source=/dev/null
  source "$state_dir/cluster.env"
}

# Fails when a node or HAProxy recorded in the state folder still runs.
refuse_running_cluster() {
  local running
  running=$(running_node_count)
  if ((running > 0)) || haproxy_alive; then
    die "cluster $name is already running ($running nodes, state in $state_dir); use scale, or down first"
  fi
}

# Clears what an earlier run left, keeping the lock that this command holds.
reset_state_dir() {
  rm -rf "$state_dir/nodes" "$state_dir/logs" "$state_dir/config" "$state_dir/broker-node.jar" \
    "$state_dir/cluster.env" "$state_dir/haproxy.cfg" "$state_dir/haproxy.pid" "$state_dir/haproxy.sock"
  mkdir -p "$state_dir/nodes" "$state_dir/logs" "$state_dir/config"
  # A Unix socket path is limited to 107 bytes on Linux.
  if ((${#state_dir} > 90)); then
    die "state folder path $state_dir is too long for HAProxy's socket; use a shorter --run-dir"
  fi
}

# Copies the node jar and configuration into the state folder, building the jar first if needed.
prepare_node_files() {
  local jar=${ROOMCAST_JAR:-}
  if [[ -n "$jar" ]]; then
    [[ -f "$jar" ]] || die "ROOMCAST_JAR=$jar: file not found"
  else
    jar="$repo/broker-node/target/broker-node.jar"
    if [[ ! -f "$jar" ]] && ! command -v mvn >/dev/null 2>&1; then
      die "$jar is missing and mvn is not installed to build it (Debian: apt-get install maven)"
    fi
    echo "checking the node jar (building it when sources changed takes a minute or two)"
    # run-node.sh builds the jar when it is missing or older than the sources.
    "$repo/scripts/run-node.sh" --version >/dev/null
  fi
  cp "$jar" "$state_dir/broker-node.jar"

  local file
  for file in roomcast.yaml hazelcast.yaml logback.xml haproxy.cfg.template; do
    if [[ -f "$config_dir/$file" ]]; then
      cp "$config_dir/$file" "$state_dir/config/"
    fi
  done
  if [[ ! -f "$state_dir/config/haproxy.cfg.template" ]]; then
    cp "$repo/cluster-config/haproxy.cfg.template" "$state_dir/config/"
  fi
}

# Prints the flags that name this cluster in later commands, or nothing for the defaults.
cli_flags() {
  local flags=""
  [[ "$name" == roomcast ]] || flags+=" --name $name"
  [[ "$run_dir" == "${ROOMCAST_RUN_DIR:-$repo/run}" ]] || flags+=" --run-dir $run_dir"
  printf '%s' "$flags"
}

# --- processes ---

# Prints the start time of process PID in clock ticks since boot (field 22 of /proc/PID/stat), or
# fails when the process does not exist or has exited and waits to be reaped.
process_start_time() {
  local stat fields
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  # The command name in field 2 may contain spaces, so split after its closing parenthesis.
  read -r -a fields <<<"${stat##*) }"
  [[ "${fields[0]}" != Z ]] || return 1
  printf '%s' "${fields[19]}"
}

# Succeeds when PID runs and is the process recorded with START, not a later one reusing the pid.
process_running() {
  local pid=$1 start=$2 now
  now=$(process_start_time "$pid") || return 1
  [[ "$now" == "$start" ]]
}

process_gone() {
  ! process_running "$1" "$2"
}

record_process() {
  local pid=$1 file=$2 start
  start=$(process_start_time "$pid") || start=unknown
  echo "$pid $start" >"$file"
}

# Succeeds when the process recorded in FILE runs.
recorded_process_running() {
  local file=$1 pid start
  [[ -f "$file" ]] || return 1
  read -r pid start <"$file"
  process_running "$pid" "$start"
}

# Sends SIGNAL to the process recorded in FILE if it still runs.
signal_recorded_process() {
  local file=$1 signal=$2 pid start
  read -r pid start <"$file"
  if process_running "$pid" "$start"; then
    kill "-$signal" "$pid" 2>/dev/null || true
  fi
}

# Waits up to SECONDS for the process recorded in FILE to exit, then sends SIGKILL and returns 1.
# Send SIGTERM only once: a node that gets a second one exits before it has drained.
await_recorded_exit() {
  local file=$1 seconds=$2 pid start
  read -r pid start <"$file"
  if poll_until "$seconds" process_gone "$pid" "$start" >/dev/null; then
    return 0
  fi
  kill -KILL "$pid" 2>/dev/null || true
  poll_until 10 process_gone "$pid" "$start" >/dev/null || true
  return 1
}

# --- nodes ---

node_pid_file() {
  printf '%s' "$state_dir/nodes/node$1.pid"
}

node_log() {
  printf '%s' "$state_dir/logs/node$1.log"
}

node_http_port() {
  printf '%s' $((node_port + $1 - 1))
}

node_hz_port() {
  printf '%s' $((hz_port + $1 - 1))
}

# Prints the address that HAProxy and this script use to reach the nodes' HTTP servers.
node_address() {
  case "$node_host" in
    0.0.0.0 | :: | "[::]") printf '127.0.0.1' ;;
    *) printf '%s' "$node_host" ;;
  esac
}

node_url() {
  printf 'http://%s:%s%s' "$(node_address)" "$(node_http_port "$1")" "$2"
}

# Prints the Hazelcast member list every node joins with: all slots of this cluster, plus --members.
member_list() {
  local members="$hz_host:$hz_port-$((hz_port + max_nodes - 1))"
  [[ -z "$extra_members" ]] || members+=",$extra_members"
  printf '%s' "$members"
}

# Prints the slot numbers of the nodes recorded in the state folder, lowest first.
recorded_nodes() {
  local i
  for ((i = 1; i <= max_nodes; i++)); do
    [[ ! -f "$(node_pid_file "$i")" ]] || echo "$i"
  done
}

running_node_count() {
  local i running=0
  [[ -d "$state_dir/nodes" ]] || { echo 0; return; }
  for i in $(recorded_nodes); do
    if recorded_process_running "$(node_pid_file "$i")"; then
      running=$((running + 1))
    fi
  done
  echo "$running"
}

check_node_ports_free() {
  local i=$1
  if port_in_use "$(node_address)" "$(node_http_port "$i")"; then
    die "port $(node_http_port "$i") for node$i's HTTP server is in use; pick other ports with --node-port at up"
  fi
  if port_in_use "$hz_host" "$(node_hz_port "$i")"; then
    die "port $(node_hz_port "$i") for node$i's Hazelcast member is in use; pick other ports with --hz-port at up"
  fi
}

# Fails when a port that "up" is going to listen on is in use.
check_ports_free() {
  local count=$1 i address=$lb_host
  [[ "$address" != 0.0.0.0 ]] || address=127.0.0.1
  if port_in_use "$address" "$lb_port"; then
    die "--lb-port $lb_port is in use; pick another one"
  fi
  if port_in_use 127.0.0.1 "$stats_port"; then
    die "--stats-port $stats_port is in use; pick another one"
  fi
  for ((i = 1; i <= count; i++)); do
    check_node_ports_free "$i"
  done
}

# Starts node I from the jar in the state folder, then waits until it is ready and has joined.
start_node() {
  local i=$1 log pid started=$SECONDS
  log=$(node_log "$i")
  printf 'starting node%d (HTTP %s:%s, Hazelcast %s:%s)' "$i" "$(node_address)" "$(node_http_port "$i")" \
    "$hz_host" "$(node_hz_port "$i")"

  # The node's output goes to its log and never to this script's output, which callers may read
  # until it closes, and it does not inherit the lock on fd 9. run-node.sh execs java, so the
  # recorded pid is the JVM's.
  ROOMCAST_JAR="$state_dir/broker-node.jar" nohup "$repo/scripts/run-node.sh" \
    --http-host "$node_host" --http-port "$(node_http_port "$i")" \
    --hz-host "$hz_host" --hz-port "$(node_hz_port "$i")" --members "$(member_list)" \
    --cluster-name "$name" --config-dir "$state_dir/config" --ping-interval "$ping_interval" \
    </dev/null >"$log" 2>&1 9>&- &
  pid=$!
  record_process "$pid" "$(node_pid_file "$i")"

  if ! poll_until "$start_timeout" node_ready "$i"; then
    echo
    die "node$i was not ready after ${start_timeout}s; last lines of $log:"$'\n'"$(tail -n 20 "$log")"
  fi
  local expected
  expected=$(running_node_count)
  if ! poll_until 30 node_reports_members "$i" "$expected"; then
    echo
    die "node$i reports $(node_member_count "$i") cluster members, expected $expected; check --hz-port and --members, and $log"
  fi
  echo " ready after $((SECONDS - started))s, pid $pid, cluster members: $(node_member_count "$i")"
}

# Succeeds when node I responds to /ready with 200; fails the script when its process has exited.
node_ready() {
  local i=$1
  if ! recorded_process_running "$(node_pid_file "$i")"; then
    echo
    die "node$i exited while starting; last lines of $(node_log "$i"):"$'\n'"$(tail -n 20 "$(node_log "$i")")"
  fi
  [[ "$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$(node_url "$i" /ready)")" == 200 ]]
}

# Prints node I's /api/status JSON, or fails when the node does not respond.
node_status_json() {
  curl -sf --max-time 2 "$(node_url "$1" /api/status)"
}

# Prints the number of cluster members node I reports, or "-" when it does not respond.
node_member_count() {
  local json members
  json=$(node_status_json "$1") || { printf -- '-'; return; }
  members=$(sed -n 's/.*"members":\[\([^]]*\)\].*/\1/p' <<<"$json")
  if [[ -z "$members" ]]; then
    printf '0'
  else
    # Members are quoted strings without commas inside, so commas separate them.
    local commas=${members//[^,]/}
    printf '%s' $((${#commas} + 1))
  fi
}

node_reports_members() {
  local count
  count=$(node_member_count "$1")
  [[ "$count" != - ]] && ((count >= $2))
}

# Waits until every running node reports COUNT members, after a node left.
await_members() {
  local count=$1 i
  for i in $(recorded_nodes); do
    if ! poll_until 30 node_reports_exactly "$i" "$count" >/dev/null; then
      warn "node$i still reports $(node_member_count "$i") cluster members, expected $count"
    fi
  done
}

node_reports_exactly() {
  [[ "$(node_member_count "$1")" == "$2" ]] || { [[ -n "$extra_members" ]] && node_reports_members "$1" "$2"; }
}

# Prints the value of a numeric field of node I's /api/status, or "-" when it does not respond.
node_status_number() {
  local json value
  json=$(node_status_json "$1") || { printf -- '-'; return; }
  value=$(sed -n "s/.*\"$2\":\([0-9][0-9]*\).*/\1/p" <<<"$json")
  printf '%s' "${value:--}"
}

# Prints "ready", the reason a node gives for 503 (such as "draining"), or "no-response".
node_readiness() {
  local body code
  body=$(curl -s --max-time 2 -w '\n%{http_code}' "$(node_url "$1" /ready)") || { printf 'no-response'; return; }
  code=${body##*$'\n'}
  if [[ "$code" == 200 ]]; then
    printf 'ready'
  else
    body=$(sed -n 's/.*"status":"\([^"]*\)".*/\1/p' <<<"${body%$'\n'*}")
    printf '%s' "${body// /-}"
  fi
}

# Drains and stops node I: HAProxy stops sending it connections, then SIGTERM makes the node
# report not ready, close its WebSockets with 1001, leave Hazelcast once its data has migrated,
# and exit.
stop_node() {
  local i=$1 file log started=$SECONDS
  file=$(node_pid_file "$i")
  log=$(node_log "$i")
  local pid start
  read -r pid start <"$file"
  printf 'stopping node%d (pid %s):' "$i" "$pid"
  if haproxy_alive; then
    haproxy_disable_node "$i"
    printf ' no new connections,'
  fi

  if ! process_running "$pid" "$start"; then
    echo " already exited"
  else
    printf ' draining'
    signal_recorded_process "$file" TERM
    if ! await_recorded_exit "$file" "$stop_timeout"; then
      echo
      warn "node$i did not exit within ${stop_timeout}s after SIGTERM and was killed; see $log"
    # NOTE: this matches the line that the node logs at the end of a graceful stop. The exit
    # status of a process that is not a child of this shell is not available.
    elif grep -q "Roomcast node stopped" "$log"; then
      echo " stopped after $((SECONDS - started))s"
    else
      echo
      warn "node$i exited without logging a graceful stop; see $log"
    fi
  fi
  rm -f "$file"
}

# Removes the records of nodes that exited on their own, and takes them out of HAProxy.
remove_exited_nodes() {
  local i
  for i in $(recorded_nodes); do
    if ! recorded_process_running "$(node_pid_file "$i")"; then
      warn "node$i is no longer running; removing it (log: $(node_log "$i"))"
      haproxy_disable_node "$i" || true
      rm -f "$(node_pid_file "$i")"
    fi
  done
  render_haproxy_config
}

# Drains and stops every recorded node at once, then HAProxy.
stop_everything() {
  local i file stopping=()
  for i in $(recorded_nodes); do
    file=$(node_pid_file "$i")
    if ! recorded_process_running "$file"; then
      rm -f "$file"
      continue
    fi
    if haproxy_alive; then
      haproxy_disable_node "$i" || true
    fi
    signal_recorded_process "$file" TERM
    stopping+=("$i")
  done

  if ((${#stopping[@]})); then
    printf 'stopping %s: draining' "${stopping[*]/#/node}"
    for i in "${stopping[@]}"; do
      file=$(node_pid_file "$i")
      if ! await_recorded_exit "$file" "$stop_timeout"; then
        echo
        warn "node$i did not exit within ${stop_timeout}s after SIGTERM and was killed; see $(node_log "$i")"
      fi
      rm -f "$file"
    done
    echo " stopped"
  fi
  stop_haproxy
}
