#!/usr/bin/env bash
# Browser tests: wasm-bindgen-test in headless Chromium, then the end-to-end test of the built
# site (served on 127.0.0.1, driven by Chromium with real key events through playwright-core).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

echo "== wasm-bindgen-test in headless Chromium"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
  cargo test --target wasm32-unknown-unknown --test web

# The site as shipped; the suite includes the first-load and console-ready budget
# (tests/e2e/budget.test.mjs), which fails the run when exceeded.
echo "== end-to-end: trunk build --release, then real key events in Chromium"
trunk build --release
if [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/axe-core ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund)
fi
(cd tests/e2e && node --test)
