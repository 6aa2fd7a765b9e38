#!/usr/bin/env bash
# Serving throughput of the release server, measured with wrk in one run on one server:
# requests per second for the static stylesheet (the ceiling), the setup page, the JSON list of
# 50 interviews and the JSON create, each also as a ratio of the static file, and the server's
# memory after the run. Any answer other than 2xx/3xx fails the run (the API's per-user limit
# is raised for it, so it measures work, not 429s).
#
#   scripts/bench-http.sh                 10 s per target, 32 connections
#   BENCH_SECONDS=30 BENCH_CONNECTIONS=64 scripts/bench-http.sh
#   PP_BINARY=/path/to/perfect-pitch scripts/bench-http.sh   another build (say, an older commit)
#
# Targets (issue 11): the setup page and the list at least half the static file's rate, and the
# server under 60 MB after the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --bench
source scripts/env.sh

seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-32}
source scripts/release-server.sh
PP_API_REQUESTS_PER_MINUTE=100000000 start_release_server

# A user with 50 interviews, signed in by cookie.
jar="$work/cookies"
curl -s -o /dev/null -c "$jar" -X POST "$base/auth/register" \
  --data-urlencode username=loadtest --data-urlencode 'password=Bench-marks 4 throughput'
cookie="pp_session=$(awk '$6 == "pp_session" { print $7 }' "$jar")"
[ "$cookie" != "pp_session=" ] || { echo "registration gave no session"; exit 1; }
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

# Requests per second of one target; fails on any non-2xx/3xx answer or socket error.
rate() {
  local out
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" -H "Cookie: $cookie" "$@")
  if grep -q 'Non-2xx or 3xx responses\|Socket errors' <<< "$out"; then
    echo "errors while measuring $*:" >&2; echo "$out" >&2; exit 1
  fi
  awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<< "$out"
}

echo "wrk: $connections connections, ${seconds} s per target, one server ($binary)"
static=$(rate "$base$css")
setup=$(rate "$base/interviews/new")
list=$(rate "$base/api/v1/interviews?per_page=50")
create=$(rate -s "$work/create.lua" "$base/api/v1/interviews")
rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
peak_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
printf '\n%-28s %10s %8s\n' "target" "req/s" "ratio"
printf '%-28s %10s %8s\n' "static stylesheet (ceiling)" "$static" "1.00"
printf '%-28s %10s %8s\n' "setup page" "$setup" "$(ratio "$setup" "$static")"
printf '%-28s %10s %8s\n' "JSON list of 50" "$list" "$(ratio "$list" "$static")"
printf '%-28s %10s %8s\n' "JSON create" "$create" "$(ratio "$create" "$static")"
printf '\nserver memory after the run: %d MB (peak %d MB)\n' $((rss_kb / 1024)) $((peak_kb / 1024))
python3 - "$static" "$setup" "$list" "$rss_kb" <<'EOF'
import sys
static, setup, listed, rss_kb = map(float, sys.argv[1:])
checks = [
    ("setup page >= 0.5 of static", setup / static >= 0.5),
    ("JSON list >= 0.5 of static", listed / static >= 0.5),
    ("memory after the run < 60 MB", rss_kb / 1024 < 60),
]
for name, ok in checks:
    print(f"{'met   ' if ok else 'MISSED'} {name}")
EOF
