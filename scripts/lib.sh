# Shared helpers for Roomcast's scripts; source it, don't run it.

# Prints a TCP port on 127.0.0.1 that nothing listens on, from 20000-32767: below the default
# Linux ephemeral range, so an outgoing connection cannot take it before the node binds it.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 12768))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "free_port: no free port found after 200 tries" >&2
  return 1
}

# Waits until URL returns HTTP 200, for at most SECONDS (default 90).
wait_http_ok() {
  local url=$1 seconds=${2:-90}
  local deadline=$((SECONDS + seconds))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" == 200 ]]; do
    if ((SECONDS >= deadline)); then
      echo "timed out after ${seconds}s waiting for $url" >&2
      return 1
    fi
    sleep 0.2
  done
}

# Succeeds when something accepts TCP connections on HOST:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}
