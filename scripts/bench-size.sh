#!/usr/bin/env bash
# What the browser downloads for each page of the release build, as it travels (brotli, what
# every current browser asks for): the HTML, the stylesheet, and the script and wasm a page
# with an island loads. Figures are bytes on the wire, read from curl's download counter.
#
#   scripts/bench-size.sh                       builds the release first
#   PP_BINARY=target/release/perfect-pitch scripts/bench-size.sh   an existing build
#
# Target (issue 13): a page opened first (nothing cached) transfers at most 200 KB of wasm;
# checked for every page, since any page can be the first one opened (a link to an interview).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

source scripts/release-server.sh
start_release_server

jar="$work/cookies"
curl -s -o /dev/null -c "$jar" -X POST "$base/auth/register" \
  --data-urlencode username=sizes --data-urlencode 'password=Bench-marks 4 bytes'
id=$(curl -s -b "$jar" -H 'Content-Type: application/json' \
  -d '{"title":"Sizes","interview_type_id":1,"skill_ids":[1,2]}' "$base/api/v1/interviews" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')

# Bytes on the wire for one URL, asking for brotli as a browser does.
wire() { curl -s -b "$jar" -H 'Accept-Encoding: br, gzip' -o /dev/null -w '%{size_download}' "$base$1"; }

printf '%-22s %8s %8s %8s %8s %9s\n' "page" "html" "css" "js" "wasm" "total"
sizes="$work/wasm-sizes"
: > "$sizes"
for page in / /signin /register /interviews /interviews/new "/interviews/$id" /progress /account; do
  curl -s -b "$jar" -o "$work/page.html" "$base$page"
  html=$(wire "$page")
  css_path=$(grep -o '/pkg/[^"]*\.css' "$work/page.html" | head -1 || true)
  js_path=$(grep -o '/pkg/[^"]*\.js' "$work/page.html" | head -1 || true)
  wasm_path=$(grep -o '/pkg/[^"]*\.wasm' "$work/page.html" | head -1 || true)
  css=0; js=0; wasm=0
  [ -n "$css_path" ] && css=$(wire "$css_path")
  [ -n "$js_path" ] && js=$(wire "$js_path")
  [ -n "$wasm_path" ] && wasm=$(wire "$wasm_path")
  label=$page; [ "$page" = "/interviews/$id" ] && label="/interviews/{id}"
  echo "$label $wasm" >> "$sizes"
  printf '%-22s %8d %8d %8d %8d %9d\n' "$label" "$html" "$css" "$js" "$wasm" $((html + css + js + wasm))
done
echo
python3 - "$sizes" <<'EOF'
import sys
for line in open(sys.argv[1]):
    page, wasm = line.split()
    wasm = int(wasm)
    if wasm:
        ok = wasm <= 200 * 1000
        print(f"{'met   ' if ok else 'MISSED'} {page} opened first transfers {wasm / 1000:.1f} KB of wasm (target: at most 200 KB)")
EOF
