#!/usr/bin/env python3
"""Serves the local model (see scripts/setup-model.sh) over llama.cpp's OpenAI-compatible HTTP API.

Run it with the venv's python:
    .local-model/venv/bin/python scripts/model-server.py --port 8088

It prints `ready http://127.0.0.1:PORT/v1` once /health answers 200, then serves until SIGTERM or
SIGINT and exits 0. llama.cpp's own log goes to stderr.
"""
import argparse
import os
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.request

# Found from the repo root, so the default works from any working directory.
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_MODEL = os.path.relpath(os.path.join(REPO_ROOT, ".local-model/SmolLM2-135M-Instruct.Q4_1.gguf"))
READY_TIMEOUT_S = 120


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--threads", type=int, default=1)
    # 8,192 tokens a slot (the model's trained context): a report's prompt plus the longest
    # report its schema allows must fit, or the model is stopped mid-report.
    ap.add_argument("--ctx", type=int, default=16384, help="context size, shared by all slots")
    ap.add_argument("--parallel", type=int, default=2, help="requests served at once (slots)")
    args = ap.parse_args()

    if not os.path.isfile(args.model):
        print(f"model file not found: {args.model}\nrun scripts/setup-model.sh first", file=sys.stderr)
        return 2
    try:
        import xllamacpp
    except ImportError:
        print("xllamacpp is not importable: run scripts/setup-model.sh, then start this script "
              "with .local-model/venv/bin/python", file=sys.stderr)
        return 2

    # llama.cpp gives no clean error for a taken port, and /health on someone else's server
    # would pass for ours: refuse early instead.
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", args.port))
        except OSError as e:
            print(f"port {args.port} is not free: {e}", file=sys.stderr)
            return 1

    stop = threading.Event()
    # Set before the model loads so a signal during startup still ends the process cleanly.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    p = xllamacpp.CommonParams()
    p.model.path = args.model
    p.n_ctx = args.ctx
    p.n_parallel = args.parallel
    p.n_predict = -1  # no server-wide cap: each request's max_tokens applies
    p.cpuparams.n_threads = args.threads
    p.cpuparams_batch.n_threads = args.threads
    p.hostnames = ["127.0.0.1"]
    p.port = args.port
    # The model id in /v1/models and in responses; otherwise it is the path as given. Requests
    # may still name any model: a single-model server ignores the field.
    p.model_alias = {os.path.basename(args.model).removesuffix(".gguf")}
    # Serves from a background thread for as long as this process lives.
    server = xllamacpp.Server(p)  # noqa: F841

    url = f"http://127.0.0.1:{args.port}"
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not stop.is_set():
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as r:
                if r.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            pass  # not listening yet, or 503 while the model loads
        if time.monotonic() > deadline:
            print(f"server did not become healthy within {READY_TIMEOUT_S}s", file=sys.stderr)
            os._exit(1)
        stop.wait(0.1)
    else:
        os._exit(0)  # stopped while starting

    print(f"ready {url}/v1", flush=True)
    stop.wait()
    # os._exit skips interpreter teardown, so the native server's threads are never torn down
    # mid-request; open connections are simply closed.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
