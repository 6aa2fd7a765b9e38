#!/usr/bin/env bash
# Serving throughput of the release server, measured with wrk in one run on one server:
# requests per second for the static stylesheet (the ceiling), the setup page, the JSON list of
# 50 interviews and the JSON create, each also as a ratio of the static file, and the server's
# memory after the run. Any answer other than 2xx/3xx fails the run (the API's per-user limit
# is raised for it, so it measures work, not 429s).
#
# The targets are measured in turn, round after round (3 rounds), and each ratio is the median
# of its rounds' ratios to the static file measured in the same round (single runs on two cores
# swung by a quarter). Creates are made by a second user, so the listed user keeps 50.
# Server and wrk share the cores, as when the targets were set; `BENCH_PIN=true` runs the
# server on CPU 0 and wrk on CPU 1 (taskset) instead, which compares what each request costs
# the server itself (the static file is then served far faster than wrk can ask elsewhere, so
# every ratio is lower).
#
#   scripts/bench-http.sh                 5 s per target and round, 32 connections
#   BENCH_SECONDS=10 BENCH_ROUNDS=5 BENCH_CONNECTIONS=64 scripts/bench-http.sh
#   BENCH_PIN=true scripts/bench-http.sh  server on CPU 0, wrk on CPU 1
#   PP_BINARY=/path/to/perfect-pitch scripts/bench-http.sh   another build (say, an older commit)
#
# Targets (issue 11): the setup page and the list at least half the static file's rate, and the
# server under 60 MB after the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --bench
source scripts/env.sh

seconds=${BENCH_SECONDS:-5}
rounds=${BENCH_ROUNDS:-3}
connections=${BENCH_CONNECTIONS:-32}
wrk_pin=()
threads=2
if [ "${BENCH_PIN:-false}" = true ] && [ "$(nproc)" -ge 2 ] && command -v taskset > /dev/null; then
  server_cpus=0
  wrk_pin=(taskset -c 1)
  threads=1
fi
source scripts/release-server.sh
PP_API_REQUESTS_PER_MINUTE=100000000 start_release_server

# Registers `$1` and prints its session cookie.
signed_in() {
  local jar="$work/cookies-$1" cookie
  curl -s -o /dev/null -c "$jar" -X POST "$base/auth/register" \
    --data-urlencode "username=$1" --data-urlencode 'password=Bench-marks 4 throughput'
  cookie="pp_session=$(awk '$6 == "pp_session" { print $7 }' "$jar")"
  [ "$cookie" != "pp_session=" ] || { echo "registration gave no session" >&2; exit 1; }
  echo "$cookie"
}
# A user with 50 interviews, and another who makes the creates.
cookie=$(signed_in loadtest)
creator=$(signed_in creator)
body='{"title":"Backend loop","interview_type_id":1,"skill_ids":[1,2,3]}'
for _ in $(seq 1 50); do
  curl -sf -o /dev/null -H "Cookie: $cookie" -H 'Content-Type: application/json' \
    -d "$body" "$base/api/v1/interviews"
done
css=$(curl -s "$base/" | grep -o '/pkg/[^"]*\.css' | head -1)
[ -n "$css" ] || { echo "no stylesheet on the home page"; exit 1; }
listed=$(curl -s -H "Cookie: $cookie" "$base/api/v1/interviews?per_page=50" \
  | python3 -c "import json, sys; print(len(json.load(sys.stdin)['interviews']))")
[ "$listed" = 50 ] || { echo "the list holds $listed interviews, not 50"; exit 1; }

cat > "$work/create.lua" <<EOF
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
EOF

# Requests per second of one target as the user of cookie `$1`; fails on any non-2xx/3xx
# answer or socket error.
rate() {
  local out as=$1
  shift
  out=$("${wrk_pin[@]}" wrk -t"$threads" -c"$connections" -d"${seconds}s" -H "Cookie: $as" "$@")
  if grep -q 'Non-2xx or 3xx responses\|Socket errors' <<< "$out"; then
    echo "errors while measuring $*:" >&2; echo "$out" >&2; exit 1
  fi
  awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<< "$out"
}

pinned="server and wrk share the cores"
[ -n "${server_cpus:-}" ] && pinned="server on CPU $server_cpus, wrk on CPU 1"
echo "wrk: $connections connections, ${seconds} s per target, $rounds rounds, $pinned ($binary)"
results="$work/rates"
: > "$results"
printf '\n%-6s %10s %12s %12s %12s\n' "round" "static/s" "setup/s" "list/s" "create/s"
for round in $(seq 1 "$rounds"); do
  static=$(rate "$cookie" "$base$css")
  setup=$(rate "$cookie" "$base/interviews/new")
  list=$(rate "$cookie" "$base/api/v1/interviews?per_page=50")
  create=$(rate "$creator" -s "$work/create.lua" "$base/api/v1/interviews")
  printf '%-6s %10s %12s %12s %12s\n' "$round" "$static" "$setup" "$list" "$create"
  echo "$static $setup $list $create" >> "$results"
done
rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
peak_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")

python3 - "$results" "$rss_kb" "$peak_kb" <<'EOF'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
rss_kb, peak_kb = float(sys.argv[2]), float(sys.argv[3])
names = ["static stylesheet (ceiling)", "setup page", "JSON list of 50", "JSON create"]
print(f"\n{'target':<28} {'median req/s':>12} {'median ratio':>13} {'ratios by round':>20}")
medians = {}
for i, name in enumerate(names):
    rate = statistics.median(r[i] for r in rows)
    ratios = [r[i] / r[0] for r in rows]
    medians[name] = statistics.median(ratios)
    shown = " ".join(f"{x:.2f}" for x in ratios)
    print(f"{name:<28} {rate:>12.0f} {medians[name]:>13.2f} {shown:>20}")
print(f"\nserver memory after the run: {rss_kb / 1024:.0f} MB (peak {peak_kb / 1024:.0f} MB)")
checks = [
    ("setup page >= 0.5 of static (median)", medians["setup page"] >= 0.5),
    ("JSON list >= 0.5 of static (median)", medians["JSON list of 50"] >= 0.5),
    ("memory after the run < 60 MB", rss_kb / 1024 < 60),
]
for name, ok in checks:
    print(f"{'met   ' if ok else 'MISSED'} {name}")
EOF
