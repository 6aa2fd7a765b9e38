# Sourced by the other scripts: puts the project's tools first on PATH (npm's wasm-opt must win
# over an older system one).
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$repo_root/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
