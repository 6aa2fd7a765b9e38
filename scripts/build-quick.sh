#!/usr/bin/env bash
# A debug build of the server and the site without cargo-leptos, for the first run on a machine
# that does not have it (building cargo-leptos from source takes about 10 minutes; this needs
# only the wasm-bindgen CLI). It does what `cargo leptos build` does for a debug build: the
# server, the browser's wasm through wasm-bindgen, the stylesheet and `public/`, into
# `target/site`, with file names that carry a hash of their content (listed in hash.txt beside
# the binary, as cargo-leptos writes it), so the browser may cache them for good.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

site=target/site
pkg=$site/pkg
cargo build -p server
cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$work" --out-name perfect-pitch \
  target/wasm32-unknown-unknown/debug/app.wasm
cp style/main.css "$work/perfect-pitch.css"

# Replace the site's files only once every new one is ready.
rm -rf "$pkg"
mkdir -p "$pkg"
cp -r public/. "$site/"
[ -d "$work/snippets" ] && cp -r "$work/snippets" "$pkg/"
hash() { md5sum "$1" | cut -c1-22; }
js=$(hash "$work/perfect-pitch.js")
wasm=$(hash "$work/perfect-pitch_bg.wasm")
css=$(hash "$work/perfect-pitch.css")
cp "$work/perfect-pitch.js" "$pkg/perfect-pitch.$js.js"
cp "$work/perfect-pitch_bg.wasm" "$pkg/perfect-pitch.$wasm.wasm"
cp "$work/perfect-pitch.css" "$pkg/perfect-pitch.$css.css"
printf 'js: %s\nwasm: %s\ncss: %s\n' "$js" "$wasm" "$css" > target/debug/hash.txt
echo "built target/debug/perfect-pitch and $site"
