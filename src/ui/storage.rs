//! The session in the browser's local storage: the snapshot's text under one key, written
//! after changes (at most once a second: `session::SavePolicy`) and read when the page loads.
//! An unreadable snapshot is reported and replaced, never a blank page; storage that refuses
//! writes (quota, private mode) is reported once and the session keeps working in memory.

use crate::session::Storage;

pub use crate::snapshot::to_text;

pub const KEY: &str = "kafka-playground/session";

/// Local storage, which answers at once.
pub struct LocalStorage;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

impl Storage for LocalStorage {
    fn load(&self, done: Box<dyn FnOnce(Result<Option<String>, String>)>) {
        let text = storage().and_then(|store| store.get_item(KEY).ok().flatten());
        done(Ok(text));
    }

    fn save(&self, text: String, done: Box<dyn FnOnce(Result<(), String>)>) {
        let Some(store) = storage() else {
            return done(Err("this browser offers no local storage".to_string()));
        };
        done(
            store.set_item(KEY, &text).map_err(|_| {
                "the browser refused to store it (storage full or disabled)".to_string()
            }),
        );
    }

    fn delete(&self) {
        if let Some(store) = storage() {
            let _ = store.remove_item(KEY);
        }
    }
}
