#!/usr/bin/env bash
# Prints the first-load size of the built site: wasm + JS + CSS, raw and gzipped (-9), as a
# browser downloads them from a static host that compresses. Builds first unless --no-build,
# as the shipped site is built: standard library rebuilt with immediate-abort panics
# (scripts/wasm-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/wasm-env.sh
if [ "${1:-}" != "--no-build" ]; then
  wasm_app trunk build --release >/dev/null 2>&1
fi
total_raw=0
total_gz=0
printf '%-48s %10s %10s\n' file bytes gzipped
# embed.js is loaded only by docs pages that embed widgets, not by the app.
for f in dist/*.wasm $(ls dist/*.js | grep -v '/embed\.js$') dist/*.css dist/index.html; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9c "$f" | wc -c)
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  printf '%-48s %10d %10d\n' "$(basename "$f")" "$raw" "$gz"
done
printf '%-48s %10d %10d  (%d KB gzipped)\n' total "$total_raw" "$total_gz" $((total_gz / 1024))
