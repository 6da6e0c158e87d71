//! libFuzzer target `terminal`: the same run as tests/fuzz.rs's `terminal` target, steered by coverage.
#![no_main]

#[path = "../../tests/fuzz.rs"]
#[allow(dead_code, unused_imports)]
mod entry;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    entry::run_terminal(data);
});
