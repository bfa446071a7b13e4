# shellcheck shell=bash
# HAProxy of scripts/cluster.sh: configuration, process and runtime API; source it, don't run it.
#
# HAProxy starts once per cluster and never reloads. Its configuration has one server line per node
# slot, and the script switches slots between maintenance and ready through the runtime API on
# the stats socket, so connections that are open stay open while the cluster grows or shrinks.

readonly haproxy_backend=nodes

haproxy_config() {
  printf '%s' "$state_dir/haproxy.cfg"
}

haproxy_socket() {
  printf '%s' "$state_dir/haproxy.sock"
}

haproxy_pid_file() {
  printf '%s' "$state_dir/haproxy.pid"
}

haproxy_log() {
  printf '%s' "$state_dir/logs/haproxy.log"
}

# Fails unless HAProxy is 2.2 or later, the first release with "http-check send".
check_haproxy_version() {
  local version major minor
  version=$("$haproxy_bin" -v 2>/dev/null | sed -n 's/^HA-\{0,1\}Proxy version \([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p')
  [[ -n "$version" ]] || die "could not read the version of $haproxy_bin from '$haproxy_bin -v'"
  major=${version%%.*}
  minor=${version#*.}
  if ((major < 2 || (major == 2 && minor < 2))); then
    die "$haproxy_bin is version $version; the cluster needs HAProxy 2.2 or later"
  fi
}

# Writes haproxy.cfg from the template: every @PLACEHOLDER@ replaced, one server line per node slot, and
# slots without a recorded node disabled.
render_haproxy_config() {
  local template servers="" i line text
  template=$(<"$state_dir/config/haproxy.cfg.template")
  for ((i = 1; i <= max_nodes; i++)); do
    line="  server node$i $(node_address):$(node_http_port "$i")"
    [[ -f "$(node_pid_file "$i")" ]] || line+=" disabled"
    servers+="$line"$'\n'
  done

  # Quoted replacements keep "&" literal in bash 5.2 and later.
  text=${template//@STATE_DIR@/"$state_dir"}
  text=${text//@LB_HOST@/"$lb_host"}
  text=${text//@LB_PORT@/"$lb_port"}
  text=${text//@STATS_PORT@/"$stats_port"}
  text=${text//@TUNNEL_TIMEOUT@/"$tunnel_timeout"}
  text=${text//@SERVERS@/"${servers%$'\n'}"}
  if [[ "$text" =~ @[A-Z_]+@ ]]; then
    die "unknown placeholder ${BASH_REMATCH[0]} in $state_dir/config/haproxy.cfg.template"
  fi

  printf '%s\n' "$text" >"$(haproxy_config).tmp"
  mv "$(haproxy_config).tmp" "$(haproxy_config)"
}

start_haproxy() {
  local log pid
  log=$(haproxy_log)
  if ! "$haproxy_bin" -c -q -f "$(haproxy_config)" >"$log" 2>&1; then
    die "HAProxy rejected $(haproxy_config):"$'\n'"$(cat "$log")"
  fi
  printf 'starting HAProxy on %s:%s' "$lb_host" "$lb_port"

  # Foreground mode, so the recorded pid is the process that serves, and logs go to its log file.
  nohup "$haproxy_bin" -f "$(haproxy_config)" </dev/null >>"$log" 2>&1 9>&- &
  pid=$!
  record_process "$pid" "$(haproxy_pid_file)"
  if ! poll_until 15 haproxy_responds; then
    echo
    die "HAProxy did not respond on $(haproxy_socket) within 15s; see $log"
  fi
  echo " running, pid $pid"
}

# Succeeds when the runtime API responds; fails the script when HAProxy has exited.
haproxy_responds() {
  if ! haproxy_alive; then
    echo
    die "HAProxy exited while starting; last lines of $(haproxy_log):"$'\n'"$(tail -n 20 "$(haproxy_log)")"
  fi
  [[ -S "$(haproxy_socket)" ]] && haproxy_cmd "show info" 2>/dev/null | grep -q '^Name: HAProxy'
}

haproxy_alive() {
  recorded_process_running "$(haproxy_pid_file)"
}

stop_haproxy() {
  local file
  file=$(haproxy_pid_file)
  [[ -f "$file" ]] || return 0
  if haproxy_alive; then
    printf 'stopping HAProxy'
    signal_recorded_process "$file" TERM
    if await_recorded_exit "$file" 20; then
      echo " stopped"
    else
      echo
      warn "HAProxy did not exit within 20s after SIGTERM and was killed"
    fi
  fi
  rm -f "$file" "$(haproxy_socket)"
}

# Sends one command to HAProxy's runtime API and prints the response. Uses perl because perl-base
# is part of every Debian system, while socat and nc are not.
haproxy_cmd() {
  perl -MIO::Socket::UNIX -e '
    my ($path, $command) = @ARGV;
    my $socket = IO::Socket::UNIX->new(Peer => $path) or die "cannot connect to $path: $!\n";
    print $socket "$command\n";
    print while <$socket>;
  ' "$(haproxy_socket)" "$1"
}

# Sends a command whose response is empty on success; fails with HAProxy's response otherwise.
haproxy_change() {
  local response
  response=$(haproxy_cmd "$1") || die "HAProxy runtime API command '$1' failed"
  if [[ -n "${response//[[:space:]]/}" ]]; then
    die "HAProxy rejected '$1': $response"
  fi
}

# Lets HAProxy send new connections to node I once its health check passes.
haproxy_enable_node() {
  haproxy_change "set server $haproxy_backend/node$1 state ready"
}

# Stops HAProxy from sending new connections to node I; open connections stay until they close.
haproxy_disable_node() {
  haproxy_change "set server $haproxy_backend/node$1 state maint"
}

# Prints HAProxy's status of node I (UP, DOWN, MAINT, or a transition such as "UP 1/2"), or
# "no-haproxy" when HAProxy does not respond.
haproxy_server_status() {
  local stats
  stats=$(haproxy_cmd "show stat $haproxy_backend 4 -1" 2>/dev/null) || { printf 'no-haproxy'; return; }
  # Field 2 of "show stat" is the server name and field 18 its status.
  awk -F, -v server="node$1" '$2 == server { print $18 }' <<<"$stats"
}

# Waits until HAProxy's health check reports node I up.
await_balancer_up() {
  printf 'waiting for HAProxy to send node%d new connections' "$1"
  if ! poll_until 30 haproxy_server_is_up "$1"; then
    echo
    die "HAProxy reports node$1 as '$(haproxy_server_status "$1")' after 30s; see $(haproxy_log)"
  fi
  echo " up"
}

haproxy_server_is_up() {
  [[ "$(haproxy_server_status "$1")" == UP ]]
}
