//! The lessons that ship with the site, compiled in from `lessons/`. An instructor's own lesson
//! can also be opened from disk in the browser without rebuilding.

/// (file name, contents), in the order the catalog shows them.
pub const LESSONS: &[(&str, &str)] = &[
    (
        "01-first-topic.md",
        include_str!("../../lessons/01-first-topic.md"),
    ),
    (
        "02-produce-consume.md",
        include_str!("../../lessons/02-produce-consume.md"),
    ),
    (
        "03-keys-and-partitions.md",
        include_str!("../../lessons/03-keys-and-partitions.md"),
    ),
    (
        "04-consumer-groups.md",
        include_str!("../../lessons/04-consumer-groups.md"),
    ),
    ("05-offsets.md", include_str!("../../lessons/05-offsets.md")),
    (
        "06-diagnosing-lag.md",
        include_str!("../../lessons/06-diagnosing-lag.md"),
    ),
    (
        "07-producer-settings.md",
        include_str!("../../lessons/07-producer-settings.md"),
    ),
    (
        "08-replication-isr.md",
        include_str!("../../lessons/08-replication-isr.md"),
    ),
    (
        "09-broker-failure.md",
        include_str!("../../lessons/09-broker-failure.md"),
    ),
    (
        "10-retention.md",
        include_str!("../../lessons/10-retention.md"),
    ),
    (
        "11-log-compaction.md",
        include_str!("../../lessons/11-log-compaction.md"),
    ),
    ("12-kraft.md", include_str!("../../lessons/12-kraft.md")),
    (
        "13-common-errors.md",
        include_str!("../../lessons/13-common-errors.md"),
    ),
    (
        "14-use-case-pipeline.md",
        include_str!("../../lessons/14-use-case-pipeline.md"),
    ),
];

/// Every built-in lesson, parsed. A lesson that fails to parse is a bug caught by the tests.
pub fn lessons() -> Vec<super::Lesson> {
    LESSONS
        .iter()
        .filter_map(|(_, text)| super::Lesson::parse(text).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_lesson_parses_and_ids_are_unique() {
        let mut ids = std::collections::BTreeSet::new();
        for (name, text) in LESSONS {
            let lesson =
                crate::lesson::Lesson::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(
                ids.insert(lesson.id.clone()),
                "{name}: duplicate id {}",
                lesson.id
            );
        }
    }

    #[test]
    fn the_catalog_lists_every_lesson_file() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("lessons/ exists")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".md") && n != "README.md")
            .collect();
        files.sort();
        let mut listed: Vec<String> = LESSONS.iter().map(|(n, _)| n.to_string()).collect();
        listed.sort();
        assert_eq!(
            files, listed,
            "add new lesson files to src/lesson/catalog.rs"
        );
    }
}
