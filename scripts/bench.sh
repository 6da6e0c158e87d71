#!/usr/bin/env bash
# The benchmark (issue 9): the workloads of src/bench/ natively and in WebAssembly in headless
# Chromium, Kafka's producer perf test typed into the built app's console, console readiness and
# command latency with a million records, and the first-load size; then one table of them all
# against the targets. Installs what is missing first (scripts/setup.sh). Not part of the tests:
# it takes several minutes and times things.
#
#   scripts/bench.sh                 # 1,000,000 records, median of 3 runs
#   RECORDS=100000 RUNS=1 scripts/bench.sh
#
# Raw figures go to target/bench/ (native.json, native-memory.json, browser.json, load.txt,
# table.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
RECORDS="${RECORDS:-1000000}"
RUNS="${RUNS:-3}"
out=target/bench
mkdir -p "$out"

bash scripts/setup.sh

echo "== native: cargo bench --bench workloads ($RECORDS records, median of $RUNS)" >&2
cargo bench --quiet --bench workloads -- --records "$RECORDS" --runs "$RUNS" --json "$out/native.json"
# Memory is measured in a build of its own: the counting allocator costs time on every
# allocation, so the timed runs above do without it, as the app does.
echo "== native memory: the produce workload with the counting allocator" >&2
cargo bench --quiet --features count-alloc --bench workloads -- --records "$RECORDS" --runs 1 \
  --json "$out/native-memory.json" produce

# The wasm builds use the app's profile.
echo "== wasm: the benchmark page (examples/bench_wasm.rs, the app's wasm-release profile)" >&2
cargo build --quiet --profile wasm-release --target wasm32-unknown-unknown --example bench_wasm
page() {
  rm -rf "$out/$1"
  wasm-bindgen --target web --no-typescript --out-dir "$out/$1" \
    target/wasm32-unknown-unknown/wasm-release/examples/bench_wasm.wasm
  # As Trunk does for the app (data-wasm-opt="z").
  wasm-opt -Oz "$out/$1/bench_wasm_bg.wasm" -o "$out/$1/bench_wasm_bg.wasm"
}
page page
# The memory pass's page: the same with the counting allocator.
cargo build --quiet --profile wasm-release --target wasm32-unknown-unknown --example bench_wasm \
  --features count-alloc
page page-memory

echo "== the app: trunk build --release, first-load size" >&2
trunk build --release >/dev/null 2>&1 || trunk build --release
bash scripts/measure-load.sh --no-build >"$out/load.txt"

if [ ! -d tests/e2e/node_modules/playwright-core ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund)
fi
echo "== headless Chromium: wasm workloads, console ready, perf test, command latency" >&2
node benches/browser.mjs --page "$out/page" --memory-page "$out/page-memory" --dist dist --records "$RECORDS" --runs "$RUNS" \
  --out "$out/browser.json"

echo >&2
node benches/table.mjs --native "$out/native.json" --native-memory "$out/native-memory.json" --browser "$out/browser.json" \
  --load "$out/load.txt" | tee "$out/table.txt"
