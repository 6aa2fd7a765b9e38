#!/usr/bin/env bash
# Installs what is missing, then serves the app with live reload on http://127.0.0.1:3000,
# storing data in ./data/perfect-pitch.sqlite3. Settings: see `cargo run -p server -- --help`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
exec cargo leptos watch "$@"
