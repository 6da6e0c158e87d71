//! Every lesson in `lessons/` is solvable: `kplay --check` starts its cluster, sees its first
//! step fail, runs each step's solution and sees its checks pass.

use std::process::Command;

#[test]
fn every_lesson_passes_kplay_check() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("lessons/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".md") && !p.ends_with("README.md"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no lessons found in {dir}");
    let output = Command::new(env!("CARGO_BIN_EXE_kplay"))
        .arg("--check")
        .args(&files)
        .output()
        .expect("kplay runs");
    let report = String::from_utf8_lossy(&output.stdout);
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "kplay --check failed:\n{report}\n{errors}"
    );
    assert_eq!(
        report.matches("\nok\n").count() + usize::from(report.starts_with("ok\n")),
        files.len(),
        "{report}"
    );
}

#[test]
fn a_broken_lesson_fails_the_check() {
    let lesson = "---\nid: broken\ntitle: Broken\n---\n## Step\ncheck: topic t partitions 2\nsolution: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t --partitions 1\n";
    let path = std::env::temp_dir().join("kplay-broken-lesson.md");
    std::fs::write(&path, lesson).expect("temp file");
    let output = Command::new(env!("CARGO_BIN_EXE_kplay"))
        .arg("--check")
        .arg(&path)
        .output()
        .expect("kplay runs");
    assert_eq!(output.status.code(), Some(1));
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        report.contains("✗ topic t partitions 2 — the number of partitions of t is 1, expected 2"),
        "{report}"
    );
}
