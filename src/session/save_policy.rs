//! When the session is saved: after a change, at most once a second (a busy producer must not
//! serialize the cluster ten times a second), and never when it is too large for the store.
//! A refusal is reported once; then the session lives in memory.

/// Saves are at least this far apart (wall-clock ms); a pending one is written on a tick.
pub const SAVE_INTERVAL_MS: f64 = 1_000.0;
/// The snapshot size above which the session is not written to browser storage, which holds
/// about 5 million characters (estimated before serializing: `Playground::json_size_hint`).
pub const MAX_SAVED_CHARS: usize = 4_000_000;

#[derive(Debug, Default)]
pub struct SavePolicy {
    /// Wall-clock time of the last save, and whether a change waits to be saved.
    last_save_ms: f64,
    pending: bool,
    /// Something worth saving changed since it was last asked.
    dirty: bool,
    /// Whether saving failed once already (reported once, then the session lives in memory).
    failed: bool,
}

/// What to do about saving now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing (no change, or too soon after the last save: it waits for a tick).
    Wait,
    /// Write the snapshot now.
    Save,
    /// It is too large for the store (about this many characters): say so, once.
    TooLarge(usize),
}

impl SavePolicy {
    /// Something worth saving changed.
    pub fn changed(&mut self) {
        self.dirty = true;
    }

    /// After a change was shown: save now if the last save is a second old, otherwise on a
    /// later tick. `size` is the session's estimated size.
    pub fn request(&mut self, now_ms: f64, size: impl FnOnce() -> usize) -> Verdict {
        if !std::mem::take(&mut self.dirty) {
            return Verdict::Wait;
        }
        if now_ms - self.last_save_ms >= SAVE_INTERVAL_MS {
            self.due(now_ms, size())
        } else {
            self.pending = true;
            Verdict::Wait
        }
    }

    /// On a tick: the pending save, once it is due.
    pub fn tick(&mut self, now_ms: f64, size: impl FnOnce() -> usize) -> Verdict {
        if self.pending && now_ms - self.last_save_ms >= SAVE_INTERVAL_MS {
            self.due(now_ms, size())
        } else {
            Verdict::Wait
        }
    }

    fn due(&mut self, now_ms: f64, size: usize) -> Verdict {
        self.pending = false;
        self.last_save_ms = now_ms;
        if size <= MAX_SAVED_CHARS {
            Verdict::Save
        } else if self.fail() {
            Verdict::TooLarge(size)
        } else {
            Verdict::Wait
        }
    }

    /// A save failed: returns whether this is the first failure (the one reported).
    pub fn fail(&mut self) -> bool {
        !std::mem::replace(&mut self.failed, true)
    }

    /// Whether a session of this size may be written at all (when the page is closed).
    pub fn fits(size: usize) -> bool {
        size <= MAX_SAVED_CHARS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_saved_at_once_then_at_most_once_a_second() {
        let mut p = SavePolicy::default();
        assert_eq!(p.request(5_000.0, || 10), Verdict::Wait, "nothing changed");
        p.changed();
        assert_eq!(p.request(5_000.0, || 10), Verdict::Save);
        p.changed();
        assert_eq!(p.request(5_400.0, || 10), Verdict::Wait, "too soon");
        assert_eq!(p.tick(5_900.0, || 10), Verdict::Wait, "still too soon");
        assert_eq!(p.tick(6_000.0, || 10), Verdict::Save, "the pending save");
        assert_eq!(p.tick(9_000.0, || 10), Verdict::Wait, "written already");
    }

    #[test]
    fn a_session_too_large_is_reported_once_and_never_written() {
        let mut p = SavePolicy::default();
        p.changed();
        let big = MAX_SAVED_CHARS + 1;
        assert_eq!(p.request(5_000.0, || big), Verdict::TooLarge(big));
        p.changed();
        assert_eq!(p.request(7_000.0, || big), Verdict::Wait);
        p.changed();
        assert_eq!(p.request(9_000.0, || 10), Verdict::Save, "small again");
        assert!(!p.fail(), "reported once only");
        assert!(SavePolicy::fits(MAX_SAVED_CHARS) && !SavePolicy::fits(big));
    }
}
