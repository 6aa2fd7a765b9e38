# Sourced by the other scripts: puts the project's tools first on PATH (npm's wasm-opt must win
# over an older system one).
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$repo_root/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# cargo-leptos 0.3.10 is the newest that builds on Rust 1.95 (setup.sh --leptos installs it;
# run.sh uses it when it is this version).
CARGO_LEPTOS_VERSION=0.3.10
