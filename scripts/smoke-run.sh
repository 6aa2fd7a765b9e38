#!/usr/bin/env bash
# Shows that the README's run command works: starts scripts/run.sh on free ports with a fresh
# database, waits until it answers, checks the home page, its script and wasm, and the demo
# account, and stops it. It runs the path a fresh machine takes (`--quick`: the build without
# cargo-leptos, scripts/build-quick.sh); with cargo-leptos, run.sh is `cargo leptos watch`.
set -euo pipefail
cd "$(dirname "$0")/.."

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
work=$(mktemp -d)
base="http://127.0.0.1:$port"

# Its own session, so that stopping it stops cargo-leptos and the server together.
PP_ADDR="127.0.0.1:$port" PP_DATABASE="$work/db.sqlite3" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  LEPTOS_RELOAD_PORT="$(free_port)" setsid scripts/run.sh --quick > "$work/run.log" 2>&1 &
pid=$!
stop() { kill -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop EXIT

for _ in $(seq 1 900); do
  curl -sf "$base/healthz" > /dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "scripts/run.sh exited early:"; tail -30 "$work/run.log"; exit 1; }
  sleep 1
done
curl -sf "$base/healthz" > /dev/null || { echo "no answer after 15 minutes:"; tail -30 "$work/run.log"; exit 1; }

curl -sf "$base/" | grep -q 'class="type-name">Technical' \
  || { echo "the home page does not list the interview types"; exit 1; }
to=$(curl -s -c "$work/jar" -o /dev/null -w '%{redirect_url}' -X POST "$base/auth/signin" \
  --data-urlencode 'username=demo' --data-urlencode 'password=practice makes perfect')
[ "$to" = "$base/" ] || { echo "the demo account cannot sign in (redirect: $to)"; exit 1; }
# The setup page (an island) names its script and wasm; both are served.
files=$(curl -sf -b "$work/jar" "$base/interviews/new" | grep -o '/pkg/[^"]*\.\(js\|wasm\)' | sort -u)
[ "$(echo "$files" | grep -c .)" -ge 2 ] || { echo "the setup page names no script or wasm: $files"; exit 1; }
for f in $files; do
  curl -sf -o /dev/null "$base$f" || { echo "$f is not served"; exit 1; }
done
echo "scripts/run.sh serves on $base with the demo account"
