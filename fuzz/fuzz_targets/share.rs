//! libFuzzer target `share`: the same run as tests/fuzz.rs's `share` target, steered by coverage.
//! Its inputs are text; other bytes are skipped.
#![no_main]

#[path = "../../tests/fuzz.rs"]
#[allow(dead_code, unused_imports)]
mod entry;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        entry::run_share(text);
    }
});
