//! The saved session: a versioned snapshot of the playground, each terminal's history, the
//! lesson in progress and the journal — what the browser keeps in storage and what an
//! exported file holds. Plain data with no web dependencies, so the format is tested natively
//! (`tests/snapshot_codec.rs`); `ui::storage` puts it in the browser's storage.

use serde::{Deserialize, Serialize};

use crate::console::Playground;
use crate::vec_map::VecMap;

/// Bumped whenever the snapshot's shape changes; older snapshots are not read.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedTab {
    pub id: usize,
    pub history: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: u32,
    pub playground: Playground,
    pub tabs: Vec<SavedTab>,
    pub active: usize,
    /// The lesson in progress (absent in snapshots from before lessons existed).
    #[serde(default)]
    pub lesson: Option<SavedLesson>,
    #[serde(default)]
    pub progress: Progress,
    /// What was typed, for share links (absent in snapshots from before them).
    #[serde(default)]
    pub journal: Option<crate::share::Journal>,
}

/// Where a lesson came from: the site's catalog (by id; its file is fetched from the site), or
/// a file the instructor opened (its whole text, as there is nowhere to fetch it from).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LessonSource {
    BuiltIn(String),
    File(String),
}

/// What is saved of a lesson in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedLesson {
    pub source: LessonSource,
    pub step: usize,
    pub passed: Vec<bool>,
    pub commands: Vec<String>,
}

/// Steps done per lesson id, for the catalog.
pub type Progress = VecMap<String, usize>;

/// Reads a snapshot (saved in storage or exported to a file), checking its format first.
pub fn parse(text: &str) -> Result<Snapshot, String> {
    #[derive(Deserialize)]
    struct Header {
        format: u32,
    }
    let header: Header =
        serde_json::from_str(text).map_err(|e| format!("it is not a snapshot ({e})"))?;
    if header.format != FORMAT {
        return Err(format!(
            "it was saved by another version of the playground (format {}, this one reads {FORMAT})",
            header.format
        ));
    }
    serde_json::from_str(text).map_err(|e| format!("it is damaged ({e})"))
}

/// The session as the text of an exported file.
pub fn to_text(snapshot: &Snapshot) -> Result<String, String> {
    crate::console::session::to_json(snapshot, snapshot.playground.json_size_hint())
}
