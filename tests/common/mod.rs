//! What the property tests share: how many cases a run tries, from which seed, and where a
//! failing case is kept.

use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, contextualize_config};

/// `cases` generated cases from a fixed seed, so the test command is the same run every time.
/// `PROPTEST_CASES=…` runs more, `PROPTEST_RNG_SEED=…` another series. A failure is shrunk to
/// a minimal case, printed, and its seed kept in `<test file>.proptest-regressions` beside the
/// test (commit it with the fix: it is replayed first by every later run).
pub fn config(cases: u32) -> Config {
    contextualize_config(Config {
        cases,
        rng_seed: RngSeed::Fixed(0x6b70_6c61_7970_726f),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    })
}
