#!/usr/bin/env bash
# Shows that the README's run command works: starts scripts/run.sh (cargo leptos watch) on free
# ports with a fresh database, waits until it answers, checks the home page and the demo
# account, and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
work=$(mktemp -d)
base="http://127.0.0.1:$port"

# Its own session, so that stopping it stops cargo-leptos and the server together.
PP_ADDR="127.0.0.1:$port" PP_DATABASE="$work/db.sqlite3" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  LEPTOS_RELOAD_PORT="$(free_port)" setsid scripts/run.sh > "$work/run.log" 2>&1 &
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
to=$(curl -s -o /dev/null -w '%{redirect_url}' -X POST "$base/auth/signin" \
  --data-urlencode 'username=demo' --data-urlencode 'password=practice makes perfect')
[ "$to" = "$base/" ] || { echo "the demo account cannot sign in (redirect: $to)"; exit 1; }
echo "scripts/run.sh serves on $base with the demo account"
