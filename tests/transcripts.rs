//! Transcript tests: each `tests/transcripts/NAME.kplay` script is run exactly as
//! `kplay --echo --fake-clock` runs it (through the session core, `Workbench::run_script`), and the output (stdout and stderr interleaved, as a
//! terminal shows them) must equal `NAME.out` byte for byte. (`--fake-clock`: the perf tools
//! count 1 µs per record instead of reading the real clock, so their figures repeat.)
//!
//! A script's first line may be `#! --brokers N` to choose the cluster size.
//! To see a difference, run:
//! `cargo run --bin kplay -- --echo --fake-clock tests/transcripts/NAME.kplay`.

use std::path::Path;

use kafka_playground::console::script::header_brokers;
use kafka_playground::engine::ClusterConfig;

fn run_one(script_path: &Path) -> Result<(), String> {
    let script = std::fs::read_to_string(script_path).map_err(|e| e.to_string())?;
    let expected_path = script_path.with_extension("out");
    let expected = std::fs::read_to_string(&expected_path)
        .map_err(|e| format!("{}: {e}", expected_path.display()))?;
    let mut config = ClusterConfig::default();
    if let Some(brokers) = header_brokers(&script) {
        config.brokers = brokers;
    }
    let actual = kafka_playground::session::script::run(config, &script, true)
        .0
        .text();
    if actual == expected {
        return Ok(());
    }
    let (mut line_no, mut first_diff) = (0, String::new());
    for (i, (a, e)) in actual.lines().zip(expected.lines()).enumerate() {
        if a != e {
            line_no = i + 1;
            first_diff = format!("expected: {e:?}\n  actual: {a:?}");
            break;
        }
    }
    if first_diff.is_empty() {
        line_no = actual.lines().count().min(expected.lines().count()) + 1;
        first_diff = format!(
            "lengths differ: expected {} lines, got {}",
            expected.lines().count(),
            actual.lines().count()
        );
    }
    Err(format!(
        "{}: first difference at line {line_no}:\n  {first_diff}\n--- actual output ---\n{actual}",
        script_path.display()
    ))
}

#[test]
fn transcripts_match_kafka_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/transcripts exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "kplay"))
        .collect();
    scripts.sort();
    assert!(
        !scripts.is_empty(),
        "no transcripts found in {}",
        dir.display()
    );
    let failures: Vec<String> = scripts.iter().filter_map(|p| run_one(p).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} transcripts differ:\n\n{}",
        failures.len(),
        scripts.len(),
        failures.join("\n\n")
    );
}
