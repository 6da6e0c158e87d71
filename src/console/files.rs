//! A small in-memory file system for the files tutorials write with `cat > f <<EOF`, `echo > f`
//! and tools read with `--command-config`, `--offset-json-file`, … Paths are plain names.

use crate::vec_map::VecMap;

/// The largest file the shell writes (`>`, `>>`): 16 MiB, as much as a pipe carries.
pub const MAX_FILE_BYTES: usize = 16 << 20;

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Files {
    files: VecMap<String, String>,
}

impl Files {
    /// Paths are normalised so that `./f.json` and `f.json` are the same file.
    fn normalize(path: &str) -> String {
        path.trim_start_matches("./").to_string()
    }

    pub fn read(&self, path: &str) -> Option<&str> {
        self.files.get(&Self::normalize(path)).map(String::as_str)
    }

    pub fn write(&mut self, path: &str, contents: String) {
        self.files.insert(Self::normalize(path), contents);
    }

    pub fn append(&mut self, path: &str, contents: &str) {
        self.files
            .entry(Self::normalize(path))
            .or_default()
            .push_str(contents);
    }

    pub fn remove(&mut self, path: &str) -> bool {
        self.files.remove(&Self::normalize(path)).is_some()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}
