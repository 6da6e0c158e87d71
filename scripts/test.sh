#!/usr/bin/env bash
# Installs whatever is missing, then runs every test: formatting and lints, native unit and
# transcript tests, wasm tests in headless Chromium, and the end-to-end test of the built site.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

bash scripts/setup.sh

echo "== format and lints"
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --bins --tests --quiet -- -D warnings

echo "== native tests (engine, console, transcripts)"
cargo test --quiet

echo "== browser tests (wasm-bindgen-test and end-to-end)"
bash scripts/test-browser.sh
