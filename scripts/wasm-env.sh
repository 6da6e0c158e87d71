# Sourced by the scripts that build the browser app (measure-load, serve, test-browser, bench):
# `wasm_app CMD…` runs CMD (trunk build / trunk serve / cargo build --target wasm32…) with the
# standard library rebuilt for the browser with immediate-abort panics, which takes about 28 KB
# off the gzipped wasm (README, Load size). A plain `trunk build --release` without it works
# too; its wasm is just bigger, and a panic shows its message in the fault notice.
#
# - RUSTC_BOOTSTRAP=1: build-std and -Cpanic=immediate-abort are unstable; this lets the stable
#   toolchain use them (the toolchain's own `rust-src` component is the source: scripts/setup.sh).
# - CARGO_UNSTABLE_BUILD_STD: cargo's `-Z build-std=std,panic_abort`.
# - -Cpanic=immediate-abort in the wasm32 target's rustflags only, so build scripts and
#   proc-macros (built for the host) are unaffected. .cargo/config.toml sets no rustflags; a
#   RUSTFLAGS (or CARGO_ENCODED_RUSTFLAGS) in the caller's environment would override target
#   rustflags, so the flag is added to it instead (with --target, as Trunk always passes, it
#   too applies to the target only).
#
# Only these builds get it: native builds and tests, kplay, and `cargo test --target
# wasm32-unknown-unknown` keep the prebuilt standard library and full panic messages.
wasm_app() {
  local flags=(-Zunstable-options -Cpanic=immediate-abort)
  local rustflags
  if [ -n "${CARGO_ENCODED_RUSTFLAGS:-}" ]; then
    rustflags=("CARGO_ENCODED_RUSTFLAGS=$CARGO_ENCODED_RUSTFLAGS$(printf '\x1f%s' "${flags[@]}")")
  elif [ -n "${RUSTFLAGS:-}" ]; then
    rustflags=("RUSTFLAGS=$RUSTFLAGS ${flags[*]}")
  else
    rustflags=("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS=${flags[*]}")
  fi
  env RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort "${rustflags[@]}" "$@"
}
