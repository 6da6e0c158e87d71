//! The lessons that ship with the site: every `lessons/*.md`, indexed at build time by
//! `build.rs` (file, id, title, level, steps). An instructor's own lesson can also be opened
//! from disk in the browser without rebuilding.
//!
//! The browser build holds only this index: a lesson's Markdown is fetched from the site
//! (`lessons/<file>`, copied next to the page by Trunk) when it opens, which keeps ~98 KB of
//! text (23 KB gzipped) out of the first load; the service worker caches the files for
//! offline use. Native builds (kplay, the tests) compile the files in (`text`).
//!
//! Invariant: the index agrees with `Lesson::parse` on every file (tested below).

/// What the catalog shows of a built-in lesson before its file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// File name in `lessons/`.
    pub file: &'static str,
    pub id: &'static str,
    pub title: &'static str,
    pub level: &'static str,
    pub steps: usize,
}

// `INDEX: &[Entry]`, in file-name order (the catalog's order), and natively `TEXTS`, the files
// in the same order.
include!(concat!(env!("OUT_DIR"), "/lesson_index.rs"));

/// The built-in lesson with this id.
pub fn find(id: &str) -> Option<&'static Entry> {
    INDEX.iter().find(|e| e.id == id)
}

impl Entry {
    /// Where the site serves the file, relative to the page.
    pub fn url(&self) -> String {
        format!("lessons/{}", self.file)
    }

    /// The file's Markdown, compiled in (native builds only: the browser fetches it).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn text(&self) -> &'static str {
        INDEX
            .iter()
            .position(|e| e.file == self.file)
            .and_then(|i| TEXTS.get(i))
            .copied()
            .unwrap_or("")
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::lesson::Lesson;

    #[test]
    fn every_built_in_lesson_parses_and_ids_are_unique() {
        let mut ids = std::collections::BTreeSet::new();
        for entry in INDEX {
            let lesson =
                Lesson::parse(entry.text()).unwrap_or_else(|e| panic!("{}: {e}", entry.file));
            assert!(
                ids.insert(lesson.id.clone()),
                "{}: duplicate id {}",
                entry.file,
                lesson.id
            );
        }
    }

    #[test]
    fn the_index_agrees_with_the_parser() {
        for entry in INDEX {
            let lesson =
                Lesson::parse(entry.text()).unwrap_or_else(|e| panic!("{}: {e}", entry.file));
            assert_eq!(
                (entry.id, entry.title, entry.level, entry.steps),
                (
                    lesson.id.as_str(),
                    lesson.title.as_str(),
                    lesson.level.as_str(),
                    lesson.steps.len()
                ),
                "build.rs misreads lessons/{}",
                entry.file
            );
            assert_eq!(find(&lesson.id), Some(entry));
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
        let listed: Vec<&str> = INDEX.iter().map(|e| e.file).collect();
        assert_eq!(files, listed);
        assert_eq!(TEXTS.len(), INDEX.len());
        for entry in INDEX {
            let on_disk =
                std::fs::read_to_string(format!("{dir}/{}", entry.file)).expect("lesson file");
            assert_eq!(entry.text(), on_disk, "{}", entry.file);
        }
    }

    #[test]
    fn urls_are_relative_to_the_page() {
        assert_eq!(INDEX[0].url(), "lessons/01-first-topic.md");
    }
}
