#!/usr/bin/env bash
# How long `scripts/run.sh` takes to serve the first time on a fresh machine, simulated here:
# a fresh clone of this repository's HEAD and an empty cargo home (no crates downloaded, no
# cargo-leptos, no wasm-bindgen CLI, no build), with only the Rust toolchain kept (rustup's, and
# its wasm32 target: about 30 s more to add where it is missing). Prints the seconds from start
# to the first answer of /healthz, and each build's own time. Target (issue 13): 15 minutes.
# Everything it makes is under a temporary folder, removed at the end.
#
#   scripts/bench-first-run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
rustup_bin=$(command -v rustup || echo "$HOME/.cargo/bin/rustup")
[ -x "$rustup_bin" ] || { echo "rustup is needed" >&2; exit 1; }

fresh=$(mktemp -d /tmp/pp-first-run.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill -- "-$pid" 2>/dev/null; sleep 1; rm -rf "$fresh"; }
trap cleanup EXIT
mkdir -p "$fresh/home/.cargo/bin"
for tool in cargo rustc rustup rustdoc; do ln -s "$rustup_bin" "$fresh/home/.cargo/bin/$tool"; done
git clone -q "$repo" "$fresh/repo"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

start=$(date +%s)
(
  export HOME="$fresh/home" RUSTUP_HOME="$rustup_home" CARGO_HOME="$fresh/home/.cargo"
  export PATH="$fresh/home/.cargo/bin:/usr/local/bin:/usr/bin:/bin"
  cd "$fresh/repo"
  PP_ADDR="127.0.0.1:$port" PP_DATABASE="$fresh/db.sqlite3" exec setsid scripts/run.sh
) > "$fresh/run.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" > /dev/null; do
  kill -0 "$pid" 2>/dev/null || { echo "scripts/run.sh stopped:"; tail -30 "$fresh/run.log"; exit 1; }
  sleep 1
done
took=$(( $(date +%s) - start ))
grep -E "Installed package|Finished" "$fresh/run.log" | sed 's/^ */  /'
printf 'first run served after %d s (%d min %d s; target: at most 15 min) — %s\n' \
  "$took" $((took / 60)) $((took % 60)) "$([ "$took" -le 900 ] && echo met || echo MISSED)"
