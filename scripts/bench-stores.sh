#!/usr/bin/env bash
# Throughput of the JSON create and list (50 interviews) on SQLite and on PostgreSQL, with one
# and with two app servers on one database, side by side in one run: wrk against each server at
# once (BENCH_CONNECTIONS each), the requests per second summed, and each figure as a ratio of
# SQLite with one server. The release server is built with the `postgres` feature; PostgreSQL is
# a throw-away cluster (scripts/postgres.sh) with its default, durable settings. On this 2-core
# machine the servers, PostgreSQL and wrk share the same cores, so a second server cannot add
# capacity here: the figures show what sharing one database costs.
#
#   scripts/bench-stores.sh                         6 s per target, 16 connections per server
#   BENCH_SECONDS=20 scripts/bench-stores.sh
#   PP_BINARY=/path/to/perfect-pitch scripts/bench-stores.sh   a build with --features postgres
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --bench --postgres
source scripts/env.sh

seconds=${BENCH_SECONDS:-6}
connections=${BENCH_CONNECTIONS:-16}
binary=${PP_BINARY:-target/release/perfect-pitch}
if [ -z "${PP_BINARY:-}" ]; then
  echo "building the release server with PostgreSQL (cargo build --release -p server --features postgres)"
  cargo build --release -p server --features postgres
fi

work=$(mktemp -d)
# The cluster's own folder: as root it belongs to the `postgres` user (scripts/postgres.sh).
pg_dir=$(mktemp -d /tmp/pp-bench-postgres.XXXXXX)
pids=()
stop_servers() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
}
trap 'stop_servers; scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$work" "$pg_dir"' EXIT
scripts/postgres.sh start "$pg_dir" > /dev/null

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts $2 servers on database $1; sets `bases`.
start_servers() {
  local database=$1 count=$2 port
  bases=()
  for n in $(seq 1 "$count"); do
    port=$(free_port)
    PP_ADDR="127.0.0.1:$port" PP_DATABASE="$database" PP_LOG=warn PP_NODE_ID="bench-$n" \
      PP_API_REQUESTS_PER_MINUTE=100000000 "$binary" > "$work/server-$n.log" 2>&1 &
    pids+=($!)
    bases+=("http://127.0.0.1:$port")
    for _ in $(seq 1 100); do
      curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break
      sleep 0.1
    done
    curl -sf "http://127.0.0.1:$port/healthz" > /dev/null \
      || { echo "server $n did not start:"; cat "$work/server-$n.log"; exit 1; }
  done
}

body='{"title":"Backend loop","interview_type_id":1,"skill_ids":[1,2,3]}'
cat > "$work/create.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA

# A user with 50 interviews, registered on the first server; sets `cookie`.
seed() {
  local jar="$work/cookies"
  rm -f "$jar"
  curl -s -o /dev/null -c "$jar" -X POST "${bases[0]}/auth/register" \
    --data-urlencode username=loadtest --data-urlencode 'password=Bench-marks 4 throughput'
  cookie="pp_session=$(awk '$6 == "pp_session" { print $7 }' "$jar")"
  [ "$cookie" != "pp_session=" ] || { echo "registration gave no session"; exit 1; }
  for _ in $(seq 1 50); do
    curl -sf -o /dev/null -H "Cookie: $cookie" -H 'Content-Type: application/json' \
      -d "$body" "${bases[0]}/api/v1/interviews"
  done
}

# Requests per second of `path` summed over every server, each under its own wrk at once.
rate() {
  local path=$1; shift
  local outs=() i=0
  for base in "${bases[@]}"; do
    wrk -t1 -c"$connections" -d"${seconds}s" -H "Cookie: $cookie" "$@" "$base$path" \
      > "$work/wrk-$i.out" 2>&1 &
    outs+=($!); i=$((i + 1))
  done
  for p in "${outs[@]}"; do wait "$p"; done
  local total=0
  for f in "$work"/wrk-*.out; do
    if grep -q 'Non-2xx or 3xx responses\|Socket errors' "$f"; then
      echo "errors while measuring $path:" >&2; cat "$f" >&2; exit 1
    fi
    total=$(awk -v t="$total" '/^Requests\/sec:/ { printf "%.0f", t + $2 }' "$f")
  done
  rm -f "$work"/wrk-*.out
  echo "$total"
}

echo "wrk: ${seconds} s per target, $connections connections per server ($binary)"
declare -A created listed
db_n=0
for store in sqlite postgres; do
  for count in 1 2; do
    db_n=$((db_n + 1))
    if [ "$store" = sqlite ]; then
      database="$work/bench-$db_n.sqlite3"
    else
      database=$(scripts/postgres.sh createdb "bench_$db_n" "$pg_dir")
    fi
    start_servers "$database" "$count"
    seed
    listed[$store-$count]=$(rate "/api/v1/interviews?per_page=50")
    created[$store-$count]=$(rate "/api/v1/interviews" -s "$work/create.lua")
    stop_servers
  done
done

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
printf '\n%-10s %8s %14s %8s %14s %8s\n' store servers "create req/s" ratio "list req/s" ratio
for store in sqlite postgres; do
  for count in 1 2; do
    k="$store-$count"
    printf '%-10s %8s %14s %8s %14s %8s\n' "$store" "$count" "${created[$k]}" \
      "$(ratio "${created[$k]}" "${created[sqlite-1]}")" "${listed[$k]}" \
      "$(ratio "${listed[$k]}" "${listed[sqlite-1]}")"
  done
done
