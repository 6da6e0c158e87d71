//! The session in browser storage: a versioned snapshot of the playground and each terminal's
//! history, written after every change and read when the page loads. An unreadable or older
//! snapshot is reported and replaced, never a blank page; storage that refuses writes (quota,
//! private mode) is reported once and the session keeps working in memory.

pub use crate::snapshot::{FORMAT, SavedTab, Snapshot, parse, to_text};

pub const KEY: &str = "kafka-playground/session";

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

pub fn save(snapshot: &Snapshot) -> Result<(), String> {
    let store = storage().ok_or("this browser offers no local storage")?;
    let text = to_text(snapshot);
    store
        .set_item(KEY, &text)
        .map_err(|_| "the browser refused to store it (storage full or disabled)".to_string())
}
