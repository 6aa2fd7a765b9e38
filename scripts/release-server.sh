# Sourced by the benchmark scripts: builds the release server and site unless PP_BINARY names
# an existing build, then `start_release_server` runs it on a free port with a fresh database
# and waits until it answers. Sets `binary`, `work` (a temporary folder, removed on exit),
# `base` (its URL) and `pid`; extra settings go in the environment of the call, e.g.
# `PP_API_REQUESTS_PER_MINUTE=100000000 start_release_server`. `server_cpus` (say `0`) pins the
# server to those CPUs with taskset.

binary=${PP_BINARY:-target/release/perfect-pitch}
if [ -z "${PP_BINARY:-}" ]; then
  echo "building the release server and site (scripts/build-release.sh)"
  scripts/build-release.sh > /dev/null 2>&1 || scripts/build-release.sh
fi

start_release_server() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  work=$(mktemp -d)
  base="http://127.0.0.1:$port"
  local pin=()
  [ -n "${server_cpus:-}" ] && pin=(taskset -c "$server_cpus")
  PP_ADDR="127.0.0.1:$port" PP_DATABASE="$work/db.sqlite3" PP_LOG=warn \
    "${pin[@]}" "$binary" > "$work/server.log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
  for _ in $(seq 1 100); do
    curl -sf "$base/healthz" > /dev/null && return 0
    sleep 0.1
  done
  echo "the server did not start:"; cat "$work/server.log"; exit 1
}
