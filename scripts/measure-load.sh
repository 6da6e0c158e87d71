#!/usr/bin/env bash
# Prints the first-load size of the built site: wasm + JS + CSS, raw and gzipped (-9), as a
# browser downloads them from a static host that compresses. Builds first unless --no-build,
# as the shipped site is built: standard library rebuilt with immediate-abort panics
# (scripts/wasm-env.sh).
#
# The first load is what the page needs before it draws and runs: the first wasm module, the
# JS glue, the service worker, the CSS and the page. The second wasm module (the console's
# tools: scripts/split_wasm.py) is fetched while the page starts; it is printed below the
# first load, then the two together.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/wasm-env.sh
if [ "${1:-}" != "--no-build" ]; then
  wasm_app trunk build --release >/dev/null 2>&1
fi
row() { printf '%-48s %10s %10s%s\n' "$@"; }
total_raw=0
total_gz=0
row file bytes gzipped ""
# embed.js is loaded only by docs pages that embed widgets, not by the app.
for f in $(ls dist/*.wasm | grep -v '_split\.wasm$') $(ls dist/*.js | grep -v '/embed\.js$') dist/*.css dist/index.html; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9c "$f" | wc -c)
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  row "$(basename "$f")" "$raw" "$gz" ""
done
row "first load" "$total_raw" "$total_gz" "  ($((total_gz / 1024)) KB gzipped)"
for f in dist/*_split.wasm; do
  [ -e "$f" ] || continue
  raw=$(wc -c <"$f")
  gz=$(gzip -9c "$f" | wc -c)
  row "then, after the page has started: $(basename "$f" | sed 's/-[0-9a-f]*_/-…_/')" "$raw" "$gz" ""
  row "everything" "$((total_raw + raw))" "$((total_gz + gz))" "  ($(((total_gz + gz) / 1024)) KB gzipped)"
done
