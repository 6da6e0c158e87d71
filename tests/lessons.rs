//! Every lesson in `lessons/` is solvable: `kplay --check` starts its cluster, sees its first
//! step fail, runs each step's solution and sees its checks pass.

use std::process::Command;

/// `kplay --check` on a lesson written to a temporary file: its exit status and report.
fn check_lesson(name: &str, lesson: &str) -> (Option<i32>, String) {
    let path = std::env::temp_dir().join(format!("kplay-{name}.md"));
    std::fs::write(&path, lesson).expect("temp file");
    let output = Command::new(env!("CARGO_BIN_EXE_kplay"))
        .arg("--check")
        .arg(&path)
        .output()
        .expect("kplay runs");
    let report = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), report)
}

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
    // The folder stands for its lessons (README.md, the authors' guide, is passed over).
    let output = Command::new(env!("CARGO_BIN_EXE_kplay"))
        .arg("--check")
        .arg(dir)
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
    let (status, report) = check_lesson("broken-lesson", lesson);
    assert_eq!(status, Some(1), "{report}");
    assert!(
        report.contains("✗ topic t partitions 2 — the number of partitions of t is 1, expected 2"),
        "{report}"
    );
}

/// The examples in `lessons/README.md` are whole lessons: an author who copies one gets a
/// lesson that passes `kplay --check`.
#[test]
fn the_readme_examples_pass_kplay_check() {
    let readme = include_str!("../lessons/README.md");
    let examples: Vec<&str> = readme
        .split("```markdown\n")
        .skip(1)
        .filter_map(|block| block.split("\n```\n").next())
        .collect();
    assert!(!examples.is_empty(), "lessons/README.md has no example");
    for (n, example) in examples.iter().enumerate() {
        let (status, report) = check_lesson(&format!("readme-example-{n}"), example);
        assert!(
            status == Some(0) && report.ends_with("ok\n"),
            "README example {n}:\n{report}"
        );
    }
}

#[test]
fn a_failing_setup_line_is_reported_with_its_output() {
    let lesson = "---\nid: setup\ntitle: Setup\nsetup: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t --partitions 0\n---\n## Step\ncheck: topic t exists\nsolution: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t\n";
    let (status, report) = check_lesson("setup-lesson", lesson);
    assert_eq!(status, Some(1), "{report}");
    // Kafka: tools/src/main/java/org/apache/kafka/tools/TopicCommand.java ("Error while
    // executing topic command : " + "The partitions must be greater than 0")
    // (kafka-topics.sh exits 1).
    assert!(
        report.contains("FAIL — setup: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t --partitions 0 — exit status 1"),
        "{report}"
    );
    assert!(
        report.contains(
            "| Error while executing topic command : The partitions must be greater than 0"
        ),
        "{report}"
    );
}

#[test]
fn a_failed_command_does_not_satisfy_ran() {
    // Deleting a topic that does not exist fails (UnknownTopicOrPartitionException, exit 1):
    // it must not pass a step that asks the learner to delete one.
    let lesson = "---\nid: ran\ntitle: Ran\n---\n## Delete\ncheck: ran kafka-topics.sh --delete --topic scratch\nsolution: kafka-topics.sh --bootstrap-server localhost:9092 --delete --topic scratch\n";
    let (status, report) = check_lesson("ran-lesson", lesson);
    assert_eq!(status, Some(1), "{report}");
    assert!(
        report.contains("(commands that failed do not count)"),
        "{report}"
    );
}

#[test]
fn a_folders_readme_is_passed_over_not_failed() {
    // `kplay --check lessons/*.md`: the shell hands kplay the README too.
    let readme = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/README.md");
    let first = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/01-first-topic.md");
    let output = Command::new(env!("CARGO_BIN_EXE_kplay"))
        .args(["--check", readme, first])
        .output()
        .expect("kplay runs");
    let errors = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{errors}");
    assert!(
        errors.contains("README.md: not a lesson, passed over"),
        "{errors}"
    );
    assert!(String::from_utf8_lossy(&output.stdout).ends_with("ok\n"));
}

#[test]
fn kplay_packs_a_checked_lesson_into_a_link_and_refuses_a_failing_one() {
    let good = "---\nid: linked\ntitle: Linked\nbrokers: 1\n---\n## Step\ncheck: topic t exists\nsolution: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t\n";
    let path = std::env::temp_dir().join("kplay-linked-lesson.md");
    std::fs::write(&path, good).expect("temp file");
    let output = Command::new(env!("CARGO_BIN_EXE_kplay"))
        .args(["--lesson-link"])
        .arg(&path)
        .arg("https://play.example/index.html#old")
        .output()
        .expect("kplay runs");
    let link = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{link}");
    let code = link
        .trim()
        .strip_prefix("https://play.example/index.html#lesson=")
        .expect("the site's address, then the lesson");
    assert_eq!(
        kafka_playground::lesson::link::decode(code).as_deref(),
        Ok(good)
    );

    let broken = "---\nid: broken\ntitle: Broken\n---\n## Step\ncheck: topic t partitions 2\nsolution: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t --partitions 1\n";
    std::fs::write(&path, broken).expect("temp file");
    let output = Command::new(env!("CARGO_BIN_EXE_kplay"))
        .arg("--lesson-link")
        .arg(&path)
        .output()
        .expect("kplay runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "no link is printed");
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("no link for a lesson that fails its checks")
    );
}

/// The course example in `lessons/README.md` is a course file the playground reads.
#[test]
fn the_readme_course_example_is_a_course() {
    let readme = include_str!("../lessons/README.md");
    let example = readme
        .split("```json\n")
        .nth(1)
        .and_then(|block| block.split("\n```\n").next())
        .expect("lessons/README.md has a course example");
    let course =
        kafka_playground::lesson::link::Course::parse(example, "https://example.org/c.json")
            .unwrap_or_else(|e| panic!("the README's course: {e}"));
    assert_eq!(course.lessons.len(), 2);
    assert_eq!(
        course.lesson_url(1).as_deref(),
        Some("https://example.org/our-orders.md")
    );
}
