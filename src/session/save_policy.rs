//! When the session is saved: after a change, at most once a second (a busy producer must not
//! serialize the cluster ten times a second), a large session less often, and never when it is
//! too large for the store.
//! A refusal is reported once; then the session lives in memory.

/// Saves are at least this far apart (wall-clock ms); a pending one is written on a tick.
pub const SAVE_INTERVAL_MS: f64 = 1_000.0;
/// The snapshot size above which the session is not written to browser storage (estimated
/// before serializing: `Playground::json_size_hint`): a JavaScript string holds at most about
/// 500 million characters, and while it is stored the text is in wasm memory and the browser's.
pub const MAX_SAVED_CHARS: usize = 256_000_000;
/// Characters of snapshot per millisecond between saves: a session of 100 million characters
/// (about a million records) is saved at most every 10 s. Writing it takes about 0.5 s in the
/// browser, so saving never takes more than about a twentieth of the page's time.
const CHARS_PER_MS_BETWEEN_SAVES: usize = 10_000;

#[derive(Debug, Default)]
pub struct SavePolicy {
    /// Wall-clock time of the last save, and whether a change waits to be saved.
    last_save_ms: f64,
    pending: bool,
    /// Something worth saving changed since it was last asked.
    dirty: bool,
    /// Something changed since the last snapshot was taken to be written (a page that is
    /// left with nothing changed writes nothing).
    unsaved: bool,
    /// Whether saving failed once already (reported once, then the session lives in memory).
    failed: bool,
    /// The size of the last snapshot written, which spaces the next save (see
    /// [`CHARS_PER_MS_BETWEEN_SAVES`]).
    last_size: usize,
    /// Nothing is ever written: what storage holds could not be read, so it is not known
    /// what a save would overwrite.
    off: bool,
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
        self.unsaved = true;
    }

    /// A snapshot was taken to be written.
    pub fn taken(&mut self) {
        self.unsaved = false;
    }

    /// The last snapshot taken was not kept: leaving the page tries again.
    pub fn not_kept(&mut self) {
        self.unsaved = true;
    }

    /// Whether something changed since the last snapshot was taken to be written.
    pub fn unsaved(&self) -> bool {
        self.unsaved && !self.off
    }

    /// Never save from now on (the saved session could not be read: it is left as it is).
    pub fn keep_off(&mut self) {
        self.off = true;
    }

    /// After a change was shown: save now if the last save is a second old, otherwise on a
    /// later tick. `size` is the session's estimated size.
    pub fn request(&mut self, now_ms: f64, size: impl FnOnce() -> usize) -> Verdict {
        if !std::mem::take(&mut self.dirty) || self.off {
            return Verdict::Wait;
        }
        if now_ms - self.last_save_ms >= self.interval_ms() {
            self.due(now_ms, size())
        } else {
            self.pending = true;
            Verdict::Wait
        }
    }

    /// On a tick: the pending save, once it is due.
    pub fn tick(&mut self, now_ms: f64, size: impl FnOnce() -> usize) -> Verdict {
        if self.pending && !self.off && now_ms - self.last_save_ms >= self.interval_ms() {
            self.due(now_ms, size())
        } else {
            Verdict::Wait
        }
    }

    /// How long after the last save the next may be written.
    fn interval_ms(&self) -> f64 {
        SAVE_INTERVAL_MS.max((self.last_size / CHARS_PER_MS_BETWEEN_SAVES) as f64)
    }

    fn due(&mut self, now_ms: f64, size: usize) -> Verdict {
        self.pending = false;
        self.last_save_ms = now_ms;
        if size <= MAX_SAVED_CHARS {
            self.last_size = size;
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
    fn only_a_change_since_the_last_snapshot_is_unsaved() {
        let mut p = SavePolicy::default();
        assert!(!p.unsaved(), "a page opened and left untouched");
        p.changed();
        assert!(p.unsaved());
        p.taken();
        assert!(!p.unsaved());
        p.not_kept();
        assert!(p.unsaved(), "a refused save is tried again on leaving");
    }

    #[test]
    fn a_large_session_is_saved_less_often() {
        let mut p = SavePolicy::default();
        let large = 100_000_000;
        p.changed();
        assert_eq!(p.request(5_000.0, || large), Verdict::Save);
        p.changed();
        assert_eq!(
            p.request(6_000.0, || large),
            Verdict::Wait,
            "a second is too soon"
        );
        assert_eq!(p.tick(14_900.0, || large), Verdict::Wait);
        assert_eq!(p.tick(15_000.0, || 10), Verdict::Save, "10 s after");
        p.changed();
        assert_eq!(
            p.request(16_000.0, || 10),
            Verdict::Save,
            "small again: a second"
        );
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
