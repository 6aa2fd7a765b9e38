#!/usr/bin/env bash
# The release build: the server and the site, the wasm split so that a page loads only the
# islands it holds (feature `split`: lazy islands), precompressed (brotli, gzip), then sealed — every file
# of the split bundle renamed by the content of the whole bundle (server/examples/seal_site.rs
# says why cargo-leptos's own names are not enough to cache them for a year).
#
#   scripts/build-release.sh                          the default server (SQLite only)
#   scripts/build-release.sh --bin-features postgres  with the PostgreSQL store too
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --leptos
source scripts/env.sh

cargo leptos build --release --precompress --split --features split "$@"
cargo run -q -p server --example seal_site -- target/site/pkg target/release/hash.txt
