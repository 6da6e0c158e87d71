#!/usr/bin/env bash
# Installs whatever this project needs that the machine lacks; skips what is there.
# Idempotent: safe to run before every serve and every test run.
# Versions are pinned to what ../shared/toolchain.md found working offline.
set -euo pipefail

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132

export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '[setup] %s\n' "$*" >&2; }

need_root() { if [ "$(id -u)" -ne 0 ]; then echo sudo; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v trunk >/dev/null || ! trunk --version | grep -q "$TRUNK_VERSION"; then
  log "installing trunk $TRUNK_VERSION (takes several minutes once)"
  cargo install trunk --locked --version "$TRUNK_VERSION" --no-default-features --features rustls
fi

if ! command -v wasm-bindgen >/dev/null || ! wasm-bindgen --version | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! command -v wasm-opt >/dev/null || ! wasm-opt --version | grep -q "version $BINARYEN_VERSION"; then
  log "installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
  $(need_root) npm install -g "binaryen@$BINARYEN_VERSION"
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  log "installing chromium and chromedriver"
  $(need_root) apt-get update -qq
  $(need_root) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi

log "toolchain ready"
