//! What the session needs of the page it runs in, as small traits the face implements: the
//! browser's [`Host`] and [`Storage`] in `ui`, [`Headless`] and [`MemoryStorage`] for share
//! replay, widgets' owners and tests.

use std::cell::RefCell;
use std::rc::Rc;

use super::{SaveError, SavedMeta, Stored};
use crate::console::Output;

/// The page around the session. Every method has a do-nothing default: a session without a
/// page (a replay, a test) runs the same code and simply shows nothing outside itself.
pub trait Host {
    /// A tab printed `out` (the JavaScript API's `onOutput` listeners hear it).
    fn emit(&self, _tab: usize, _out: &Output) {}

    /// The page's clock for the perf tools' timings (`None`: they use the stand-in clock).
    fn page_clock(&self) -> Option<fn() -> f64> {
        None
    }

    /// A line is about to be entered (the browser remembers it for a crash report).
    fn before_command(&self, _line: &str, _at_shell: bool) {}

    /// The address that opens a share link's code.
    fn share_url(&self, code: &str) -> String {
        format!("#s={code}")
    }

    /// Puts `text` on the clipboard, where the page allows it.
    fn copy(&self, _text: &str) {}
}

/// A session with no page: share replay, tests.
pub struct Headless;

impl Host for Headless {}

/// Where the saved session is kept: the snapshot's text under one key and its stamp
/// ([`SavedMeta`]) beside it. Asynchronous by shape — each answer comes through a callback,
/// now or later — so a store that answers later (IndexedDB) fits as well as one that answers
/// at once.
pub trait Storage {
    /// What was saved (its text `None`: nothing), or why it cannot be read.
    fn load(&self, done: Box<dyn FnOnce(Result<Stored, String>)>);
    /// Keeps `text` as the saved session, stamped `meta`, unless storage holds a save of the
    /// same or a newer generation ([`super::may_write`]); `done` hears whether it was kept.
    fn save(&self, text: String, meta: SavedMeta, done: Box<dyn FnOnce(Result<(), SaveError>)>);
    /// Forgets the saved session (its generation is kept, so older work stays refused).
    fn delete(&self);
}

/// Storage in memory, answering at once (tests; a page whose browser keeps nothing). Clones
/// share the store, as two tabs of one site share the browser's.
#[derive(Clone, Default)]
pub struct MemoryStorage {
    pub stored: Rc<RefCell<Stored>>,
    /// Refuse saves (a full or disabled store), with this reason.
    pub refuse: Option<String>,
}

impl Storage for MemoryStorage {
    fn load(&self, done: Box<dyn FnOnce(Result<Stored, String>)>) {
        done(Ok(self.stored.borrow().clone()));
    }

    fn save(&self, text: String, meta: SavedMeta, done: Box<dyn FnOnce(Result<(), SaveError>)>) {
        if let Some(why) = &self.refuse {
            return done(Err(SaveError::Refused(why.clone())));
        }
        let stored = self.stored.borrow().meta.generation;
        if !super::may_write(stored, meta.generation) {
            return done(Err(SaveError::Newer(stored)));
        }
        *self.stored.borrow_mut() = Stored {
            text: Some(text),
            meta,
        };
        done(Ok(()));
    }

    fn delete(&self) {
        self.stored.borrow_mut().text = None;
    }
}
