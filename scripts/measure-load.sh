#!/usr/bin/env bash
# Prints the size of the built site's first load, file by file: the wasm, the JS glue, the
# service worker, the CSS and the page, raw and gzipped (-9), as a browser downloads them from
# a static host that compresses. Builds first unless --no-build. A manual tool (scripts/bench.sh
# uses it); the budget itself is checked by tests/e2e/budget.test.mjs, which counts the files
# the page actually fetched.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
if [ "${1:-}" != "--no-build" ]; then
  trunk build --release >/dev/null 2>&1
fi
row() { printf '%-40s %10s %10s%s\n' "$@"; }
total_raw=0
total_gz=0
row file bytes gzipped ""
# embed.js is loaded only by docs pages that embed widgets, not by the app; the Markdown worker
# (markdown-worker*) only when a lesson is shown.
for f in $(ls dist/*.wasm dist/*.js | grep -v -e '/embed\.js$' -e '/markdown-worker') dist/*.css dist/index.html; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9c "$f" | wc -c)
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  row "$(basename "$f")" "$raw" "$gz" ""
done
row "first load" "$total_raw" "$total_gz" "  ($((total_gz / 1024)) KB gzipped)"
