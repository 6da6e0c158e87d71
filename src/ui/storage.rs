//! The session in browser storage: a versioned snapshot of the playground and each terminal's
//! history, written after every change and read when the page loads. An unreadable or older
//! snapshot is reported and replaced, never a blank page; storage that refuses writes (quota,
//! private mode) is reported once and the session keeps working in memory.

use serde::{Deserialize, Serialize};

use crate::console::Playground;

pub const KEY: &str = "kafka-playground/session";
/// Bumped whenever the snapshot's shape changes; older snapshots are not read.
pub const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
pub struct SavedTab {
    pub id: usize,
    pub history: Vec<String>,
}

#[derive(Serialize, Deserialize)]
pub struct Snapshot {
    pub format: u32,
    pub playground: Playground,
    pub tabs: Vec<SavedTab>,
    pub active: usize,
    /// The lesson in progress (absent in snapshots from before lessons existed).
    #[serde(default)]
    pub lesson: Option<super::lesson_run::SavedLesson>,
    #[serde(default)]
    pub progress: super::lesson_run::Progress,
    /// What was typed, for share links (absent in snapshots from before them).
    #[serde(default)]
    pub journal: Option<crate::share::Journal>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// `Ok(None)` when nothing was saved; `Err` with the reason when a snapshot is unreadable.
pub fn load() -> Result<Option<Snapshot>, String> {
    let Some(store) = storage() else {
        return Ok(None);
    };
    let Ok(Some(text)) = store.get_item(KEY) else {
        return Ok(None);
    };
    parse(&text).map(Some)
}

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

pub fn save(snapshot: &Snapshot) -> Result<(), String> {
    let store = storage().ok_or("this browser offers no local storage")?;
    let text = to_text(snapshot)?;
    store
        .set_item(KEY, &text)
        .map_err(|_| "the browser refused to store it (storage full or disabled)".to_string())
}
