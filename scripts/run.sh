#!/usr/bin/env bash
# Installs what is missing, then serves the app with live reload on http://127.0.0.1:3000,
# storing data in ./data/perfect-pitch.sqlite3, with a demo account (username "demo",
# password "practice makes perfect") for a quick try. Settings: `perfect-pitch --help`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
export PP_DEMO_ACCOUNT="${PP_DEMO_ACCOUNT:-true}"
exec cargo leptos watch "$@"
