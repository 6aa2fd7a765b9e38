#!/usr/bin/env bash
# What the browser downloads for each page of the release build, as it travels (brotli, what
# every current browser asks for over HTTPS). Two measures:
#
#  - the pages a visitor sees signed out: the HTML and the stylesheet (curl's download counter);
#  - the signed-in pages, the interview page in each state: everything Chromium fetches to make
#    the page work when it is the first page opened (nothing cached) — HTML, stylesheet, scripts
#    and wasm, the main bundle and the lazy islands' parts it loads (end2end/wire-sizes.js; a
#    real browser, so the parts counted are the ones the page really loads).
#
#   scripts/bench-size.sh                       builds the release first (scripts/build-release.sh)
#   PP_BINARY=target/release/perfect-pitch scripts/bench-size.sh   an existing build
#
# Target (issue 13): a page opened first (nothing cached) transfers at most 200 KB of wasm;
# checked for every page, since any page can be the first one opened (a link to an interview).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
source scripts/env.sh

source scripts/release-server.sh
start_release_server

# Bytes on the wire for one URL, asking for brotli as a browser does.
wire() { curl -s -H 'Accept-Encoding: br, gzip' -o /dev/null -w '%{size_download}' "$base$1"; }

printf '%-22s %8s %8s\n' "page (signed out)" "html" "css"
for page in / /signin /register; do
  curl -s -o "$work/page.html" "$base$page"
  css_path=$(grep -o '/pkg/[^"]*\.css' "$work/page.html" | head -1 || true)
  css=0; [ -n "$css_path" ] && css=$(wire "$css_path")
  printf '%-22s %8d %8d\n' "$page" "$(wire "$page")" "$css"
done
echo

node end2end/wire-sizes.js "$base" > "$work/sizes.jsonl"
python3 - "$work/sizes.jsonl" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print(f"{'page opened first (signed in)':34} {'html':>8} {'css':>8} {'js':>8} {'wasm':>8} {'total':>9}")
for r in rows:
    total = r['html'] + r['css'] + r['js'] + r['wasm']
    print(f"{r['path']:34} {r['html']:8d} {r['css']:8d} {r['js']:8d} {r['wasm']:8d} {total:9d}")
print()
for r in rows:
    if r['wasm']:
        ok = r['wasm'] <= 200 * 1000
        print(f"{'met   ' if ok else 'MISSED'} {r['path']} opened first transfers {r['wasm'] / 1000:.1f} KB of wasm (target: at most 200 KB)")
PY
