//! Indexes the lessons that ship with the site: `$OUT_DIR/lesson_index.rs` lists every
//! `lessons/*.md` (but the README) in file-name order with what the catalog shows — id,
//! title, level and number of steps, read from each file's header and `## ` lines — and,
//! for `include_str!` in native builds, the files themselves.
//!
//! Why generated: the browser build fetches a lesson's Markdown only when it opens (the first
//! load is smaller without ~98 KB of lesson text), yet its catalog must list every lesson at
//! once; a file added to `lessons/` then needs no second list kept by hand. This reader is
//! deliberately small; `src/lesson/catalog.rs` tests that it agrees with `Lesson::parse` on
//! every file, so a lesson it misreads fails the tests rather than the catalog.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=lessons");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("lessons");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && n != "README.md")
        .collect();
    files.sort();
    let mut index = String::from("pub const INDEX: &[Entry] = &[\n");
    let mut texts =
        String::from("#[cfg(not(target_arch = \"wasm32\"))]\npub const TEXTS: &[&str] = &[\n");
    for file in &files {
        let text = std::fs::read_to_string(dir.join(file))
            .unwrap_or_else(|e| panic!("lessons/{file}: {e}"));
        let header = Header::read(&text);
        writeln!(
            index,
            "    Entry {{ file: {file:?}, id: {:?}, title: {:?}, level: {:?}, steps: {} }},",
            header.id, header.title, header.level, header.steps
        )
        .expect("writing to a String");
        writeln!(
            texts,
            "    include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/lessons/\", {file:?})),"
        )
        .expect("writing to a String");
    }
    index.push_str("];\n");
    texts.push_str("];\n");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("lesson_index.rs"), index + &texts)
        .expect("OUT_DIR is writable");
}

/// What the catalog shows of a lesson, read the way `Lesson::parse` reads it.
struct Header {
    id: String,
    title: String,
    level: String,
    steps: usize,
}

impl Header {
    fn read(text: &str) -> Header {
        let mut header = Header {
            id: String::new(),
            title: String::new(),
            level: "beginner".into(),
            steps: 0,
        };
        let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
        if lines.next().map(str::trim) != Some("---") {
            return header;
        }
        for line in lines.by_ref() {
            let line = line.trim();
            if line == "---" {
                break;
            }
            if let Some((key, value)) = line.split_once(':') {
                let value = header_value(value);
                match key.trim() {
                    "id" => header.id = value,
                    "title" => header.title = value,
                    "level" => header.level = value,
                    _ => {}
                }
            }
        }
        // Steps are `## ` lines outside fenced blocks.
        let mut fenced = false;
        for line in lines {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
            }
            if !fenced && line.starts_with("## ") {
                header.steps += 1;
            }
        }
        header
    }
}

/// A header value as the lesson parser reads it (`src/lesson/format.rs`): a ` #` comment
/// dropped, then one pair of surrounding quotes.
fn header_value(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let end = (1..bytes.len())
        .find(|&i| bytes[i] == b'#' && bytes[i - 1].is_ascii_whitespace())
        .unwrap_or(raw.len());
    let value = raw[..end].trim();
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            if value.len() >= 2 {
                return inner.to_string();
            }
        }
    }
    value.to_string()
}
