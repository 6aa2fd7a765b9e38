#!/usr/bin/env bash
# Runs every check and test: formatting, clippy per package and features, the store and server
# tests, a whole interview against a real local model, a release build, and the browser tests
# in Chromium against that build.
#
#   scripts/test.sh          everything (what CI runs)
#   scripts/test.sh --fast   the inner loop: formatting, clippy and the Rust tests, without the
#                            real model, the release build or the browser
set -euo pipefail
cd "$(dirname "$0")/.."

fast=false
case "${1:-}" in
  "") ;;
  --fast) fast=true ;;
  *) echo "unknown option: $1 (known: --fast)" >&2; exit 2 ;;
esac

if $fast; then scripts/setup.sh; else scripts/setup.sh --leptos --browser --model --postgres; fi
source scripts/env.sh
# A fresh clone builds everything once: incremental caches would only take disk (several GB,
# enough to fill a CI machine's disk with the release and browser builds beside them).
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi

step() { printf '\n\033[1;34m==>\033[0m %s\n' "$*"; }

# Throw-away PostgreSQL clusters made below, stopped and removed however the run ends.
clusters=()
remove_clusters() {
  for dir in "${clusters[@]}"; do
    scripts/postgres.sh stop "$dir" >/dev/null 2>&1 || true
    rm -rf "$dir"
  done
}
trap remove_clusters EXIT

step "cargo fmt --check"
cargo fmt --all --check

step "clippy: app (ssr), app (hydrate, wasm32), server"
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p server --all-targets -- -D warnings

step "tests: app with ssr (store, model)"
cargo test -p app --features ssr
step "tests: server (real router over HTTP, settings)"
cargo test -p server

# The PostgreSQL store (feature `postgres`) against a throw-away cluster; the fast tier runs
# it where PostgreSQL is installed (`scripts/setup.sh --postgres`), the full suite always.
if ! $fast || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  step "PostgreSQL store: clippy, and its schema against SQLite's on a throw-away cluster"
  cargo clippy -p app --features postgres --all-targets -- -D warnings
  cargo clippy -p server --features postgres --all-targets -- -D warnings
  cargo test -p app --features postgres --lib store::pg
  cargo test -p app --features postgres --test postgres_schema

  step "tests: the store's units and the server again, on PostgreSQL (a throw-away cluster)"
  pg_dir="$(mktemp -d /tmp/pp-test-postgres.XXXXXX)"
  clusters+=("$pg_dir")
  PP_TEST_POSTGRES="$(PP_POSTGRES_OPTIONS="-c fsync=off -c full_page_writes=off" \
    scripts/postgres.sh start "$pg_dir")"
  export PP_TEST_POSTGRES
  cargo test -p app --features postgres --test store_units
  cargo test -p server --features postgres --test suite
  unset PP_TEST_POSTGRES
  scripts/postgres.sh stop "$pg_dir" >/dev/null
fi

if $fast; then
  step "fast tier passed (the full suite adds the real model, the release build and the browser)"
  exit 0
fi

step "tests: a whole interview against the real local model (SmolLM2-135M, llama.cpp server)"
cargo test -p server --test suite local_model -- --ignored

step "release build (server with the PostgreSQL store, and optimised, split wasm)"
scripts/build-release.sh --bin-features postgres

step "browser tests (Playwright + Chromium, against the release build)"
# The mock model server model.spec.js starts (already built by `cargo test -p server`).
cargo build -p server --example mock_model
# two-servers.spec.js runs two app servers on one PostgreSQL database behind a load balancer.
e2e_pg="$(mktemp -d /tmp/pp-e2e-postgres.XXXXXX)"
clusters+=("$e2e_pg")
scripts/postgres.sh start "$e2e_pg" > /dev/null
PP_E2E_POSTGRES="$(scripts/postgres.sh createdb e2e "$e2e_pg")" \
  bash -c 'cd end2end && npx playwright test'
scripts/postgres.sh stop "$e2e_pg" > /dev/null

step "the run command serves (scripts/run.sh, on a free port)"
scripts/smoke-run.sh
