//! A small in-memory file system: the Kafka download in the home directory (see
//! [`distribution`]) under the files tutorials write with `cat > f <<EOF`, `echo > f`, and
//! tools read with `--command-config`, `--offset-json-file`, …
//!
//! Paths are resolved against the current directory the terminal lends before each command
//! (`cd` changes it). A file is kept under its path relative to the home directory, or its
//! absolute path outside it, so sessions saved before folders existed (`f.json`) find their
//! files in the home directory. The download's files are read from the program; writing one
//! keeps the new text here, removing one records that it is gone.
//!
//! Invariant: no path makes a lookup panic; `..` never climbs above `/`.

use super::distribution::{self, HOME};
use crate::vec_map::VecMap;

/// The largest file the shell writes (`>`, `>>`): 16 MiB, as much as a pipe carries.
pub const MAX_FILE_BYTES: usize = 16 << 20;

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Files {
    files: VecMap<String, String>,
    /// The download's files removed (`rm config/server.properties`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    removed: Vec<String>,
    /// The directory relative paths start from: the terminal's, lent for each command.
    #[serde(skip)]
    cwd: Cwd,
}

/// The directory a terminal is in. Terminals own it; the file system only borrows it, so two
/// playgrounds are equal whichever terminal last ran a command.
#[derive(Debug, Clone, Default)]
struct Cwd(Option<String>);

impl PartialEq for Cwd {
    fn eq(&self, _: &Cwd) -> bool {
        true
    }
}
impl Eq for Cwd {}

/// What a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
}

/// `path` made absolute against `cwd`, with `.`, `..`, `~` and repeated `/` resolved.
pub fn resolve(cwd: &str, path: &str) -> String {
    let joined = if path == "~" || path.starts_with("~/") {
        format!("{HOME}{}", &path[1..])
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// An absolute path as a key: relative to the home directory inside it.
fn key(abs: &str) -> String {
    match abs.strip_prefix(HOME).and_then(|r| r.strip_prefix('/')) {
        Some(rest) => rest.to_string(),
        None => abs.to_string(),
    }
}

/// A key as an absolute path.
fn absolute(key: &str) -> String {
    if key.starts_with('/') {
        key.to_string()
    } else {
        format!("{HOME}/{key}")
    }
}

/// Folders that are always there, beside those holding a file.
const FOLDERS: &[&str] = &["/", "/home", HOME, "/tmp"];

impl Files {
    /// The current directory for the next paths (a terminal lends it before each command).
    pub fn set_cwd(&mut self, cwd: &str) {
        self.cwd = Cwd(Some(cwd.to_string()));
    }

    pub fn cwd(&self) -> &str {
        self.cwd.0.as_deref().unwrap_or(HOME)
    }

    /// `path` as an absolute path, from the current directory.
    pub fn absolute(&self, path: &str) -> String {
        resolve(self.cwd(), path)
    }

    fn file_at(&self, abs: &str) -> Option<&str> {
        let key = key(abs);
        if let Some(text) = self.files.get(&key) {
            return Some(text);
        }
        if self.removed.contains(&key) {
            return None;
        }
        distribution::file(&key).map(|text| text.unwrap_or(""))
    }

    /// What `path` names, if anything.
    pub fn kind(&self, path: &str) -> Option<Kind> {
        let abs = self.absolute(path);
        if self.file_at(&abs).is_some() {
            return Some(Kind::File);
        }
        let prefix = if abs == "/" {
            "/".to_string()
        } else {
            format!("{abs}/")
        };
        let holds_a_file = self.files.keys().any(|k| absolute(k).starts_with(&prefix));
        // A folder of the download is there while one of its files is (`rm -r` removes them).
        let in_download = || {
            let folder = key(&abs);
            distribution::is_folder(&folder)
                && distribution::entries().any(|(k, _)| {
                    k.strip_prefix(&folder).is_some_and(|r| r.starts_with('/'))
                        && !self.removed.contains(&k)
                })
        };
        (FOLDERS.contains(&abs.as_str()) || holds_a_file || in_download()).then_some(Kind::Dir)
    }

    /// The text of the file at `path`. A file of the download that the playground only lists
    /// (a jar, a script) reads as empty.
    pub fn read(&self, path: &str) -> Option<&str> {
        self.file_at(&self.absolute(path))
    }

    /// Whether the download's file at `path` is only listed (its text is not held).
    pub fn only_listed(&self, path: &str) -> bool {
        let key = key(&self.absolute(path));
        !self.files.contains_key(&key)
            && !self.removed.contains(&key)
            && distribution::file(&key) == Some(None)
    }

    pub fn write(&mut self, path: &str, contents: String) {
        let key = key(&self.absolute(path));
        self.removed.retain(|k| *k != key);
        self.files.insert(key, contents);
    }

    pub fn append(&mut self, path: &str, contents: &str) {
        let existing = self.read(path).unwrap_or("").to_string();
        self.write(path, existing + contents);
    }

    pub fn remove(&mut self, path: &str) -> bool {
        let abs = self.absolute(path);
        if self.file_at(&abs).is_none() {
            return false;
        }
        let key = key(&abs);
        self.files.remove(&key);
        if distribution::file(&key).is_some() {
            self.removed.push(key);
        }
        true
    }

    /// `rm -r`: every file under the folder at `path` goes (the download's are recorded as
    /// removed). The folders that are always there stay, as empty folders.
    pub fn remove_tree(&mut self, path: &str) {
        let abs = self.absolute(path);
        let prefix = if abs == "/" {
            "/".to_string()
        } else {
            format!("{abs}/")
        };
        self.files.retain(|k, _| !absolute(k).starts_with(&prefix));
        for (k, _) in distribution::entries() {
            if absolute(&k).starts_with(&prefix) && !self.removed.contains(&k) {
                self.removed.push(k);
            }
        }
    }

    /// The files written in this session (relative to the home directory where inside it).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The names in the folder at `path`, sorted as `LC_ALL=C ls` sorts them.
    pub fn list(&self, path: &str) -> Vec<String> {
        let abs = self.absolute(path);
        let prefix = if abs == "/" {
            "/".to_string()
        } else {
            format!("{abs}/")
        };
        let download = distribution::entries()
            .map(|(k, _)| k)
            .filter(|k| !self.removed.contains(k));
        let mut names: Vec<String> = self
            .files
            .keys()
            .cloned()
            .chain(download)
            .map(|k| absolute(&k))
            .chain(FOLDERS.iter().map(|f| f.to_string()))
            .filter_map(|p| {
                let rest = p.strip_prefix(&prefix)?;
                rest.split('/')
                    .next()
                    .filter(|n| !n.is_empty())
                    .map(str::to_string)
            })
            .collect();
        crate::sort::sort(&mut names);
        names.dedup();
        names
    }

    /// `tar -xzf` of the download's archive: its files are as they came again.
    pub fn extract_download(&mut self) {
        let folder = format!("{}/", distribution::FOLDER);
        self.removed.retain(|k| !k.starts_with(&folder));
        self.files
            .retain(|k, _| !(k.starts_with(&folder) && distribution::file(k).is_some()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_as_in_bash() {
        assert_eq!(resolve("/home/kafka", "a/./b/../c"), "/home/kafka/a/c");
        assert_eq!(resolve("/home/kafka", "../../../.."), "/");
        assert_eq!(resolve("/tmp", "~/x"), "/home/kafka/x");
        assert_eq!(resolve("/tmp", "/etc//hosts"), "/etc/hosts");
        assert_eq!(resolve("/", ".."), "/");
    }

    #[test]
    fn rm_r_removes_a_folder_and_tar_brings_the_download_back() {
        let mut files = Files::default();
        files.write(
            "/tmp/kraft-combined-logs/meta.properties",
            "node.id=1\n".into(),
        );
        files.write(
            "/tmp/kraft-combined-logs/__cluster_metadata-0/x.checkpoint",
            String::new(),
        );
        files.write("/tmp/connect.offsets", String::new());
        files.remove_tree("/tmp/kraft-combined-logs");
        assert_eq!(files.kind("/tmp/kraft-combined-logs"), None);
        assert_eq!(files.list("/tmp"), ["connect.offsets"]);
        files.remove_tree("kafka_2.13-4.3.0");
        assert_eq!(files.kind("kafka_2.13-4.3.0"), None);
        assert_eq!(files.list("."), ["kafka_2.13-4.3.0.tgz"]);
        files.extract_download();
        assert_eq!(files.kind("kafka_2.13-4.3.0/config"), Some(Kind::Dir));
    }

    #[test]
    fn the_download_is_under_what_is_written() {
        let mut files = Files::default();
        files.set_cwd("/home/kafka/kafka_2.13-4.3.0");
        let server = files
            .read("config/server.properties")
            .unwrap_or("")
            .to_string();
        assert!(server.contains("process.roles=broker,controller\n"));
        assert_eq!(files.kind("bin"), Some(Kind::Dir));
        assert_eq!(files.kind("../kafka_2.13-4.3.0.tgz"), Some(Kind::File));
        assert!(files.only_listed("libs/kafka-clients-4.3.0.jar"));
        files.append("config/server.properties", "num.partitions=3\n");
        assert!(
            files
                .read("/home/kafka/kafka_2.13-4.3.0/config/server.properties")
                .is_some_and(|t| t.ends_with("num.partitions=3\n") && t.len() > 6000)
        );
        assert!(files.remove("config/producer.properties"));
        assert_eq!(files.read("config/producer.properties"), None);
        assert!(
            !files
                .list("config")
                .contains(&"producer.properties".to_string())
        );
        files.extract_download();
        assert!(files.read("config/producer.properties").is_some());
        assert_eq!(
            files.read("config/server.properties"),
            Some(server.as_str())
        );
        // Files from before folders: in the home directory.
        files.set_cwd("/home/kafka");
        files.write("f.json", "{}".into());
        assert_eq!(files.names().collect::<Vec<_>>(), ["f.json"]);
        assert_eq!(
            files.list("."),
            ["f.json", "kafka_2.13-4.3.0", "kafka_2.13-4.3.0.tgz"]
        );
        assert_eq!(files.list("/"), ["home", "tmp"]);
    }
}
