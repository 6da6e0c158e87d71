#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (cargo-fuzz) of the shell parser, a terminal session,
# snapshot reading and share links: the runs of tests/fuzz.rs, steered by coverage. Not part
# of the test command or CI (docs/RELIABILITY.md).
#
#   scripts/fuzz.sh                          every target for FUZZ_SECONDS (60) each
#   scripts/fuzz.sh terminal share           those targets
#   FUZZ_SECONDS=3600 scripts/fuzz.sh shell -- -jobs=2 -workers=2    (libFuzzer's own flags)
#   FUZZ_SANITIZER=none scripts/fuzz.sh      the stable toolchain, without AddressSanitizer
#
# With AddressSanitizer (the default, for the few unsafe blocks) it needs a nightly toolchain
# and installs one. New corpus inputs go to fuzz/corpus/<target>/, crashes to
# fuzz/artifacts/<target>/ (both ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

seconds=${FUZZ_SECONDS:-60}
sanitizer=${FUZZ_SANITIZER:-address}
targets=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  targets+=("$1")
  shift
done
[ "${1:-}" = "--" ] && shift
[ ${#targets[@]} -gt 0 ] || targets=(shell terminal snapshot share)

toolchain=()
if [ "$sanitizer" != none ]; then
  rustup toolchain install nightly --profile minimal
  toolchain=(+nightly)
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

# The seeds tests/fuzz.rs builds at run time (current snapshots, share links).
cargo run --quiet --manifest-path fuzz/Cargo.toml --example seed_corpus

for target in "${targets[@]}"; do
  echo "== fuzz $target (${seconds}s, sanitizer $sanitizer)"
  mkdir -p "fuzz/corpus/$target"
  # The first corpus directory takes the new inputs; the committed one only seeds.
  cargo "${toolchain[@]}" fuzz run --sanitizer "$sanitizer" "$target" \
    "fuzz/corpus/$target" "tests/fuzz-corpus/$target" \
    -- -max_total_time="$seconds" "$@"
done
