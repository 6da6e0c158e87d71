//! What storage keeps of a session besides its snapshot, and who may write it: each save is
//! stamped with a generation one above the last, and a save whose generation is not above
//! the stored one is refused — so a tab holding older work never writes over newer work saved
//! by another tab. One tab at a time holds the writer's lease (the browser's Web Lock); the
//! others only read.

/// What storage answered when the page opened.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stored {
    /// The saved snapshot's text (`None`: nothing is saved).
    pub text: Option<String>,
    /// The stamp of the last save (kept even when the session itself was set aside).
    pub meta: SavedMeta,
}

impl Stored {
    /// A snapshot's text with no stamp (storage that keeps none, tests).
    pub fn text(text: impl Into<String>) -> Self {
        Stored {
            text: Some(text.into()),
            meta: SavedMeta::default(),
        }
    }
}

/// The stamp written with each save (`current-meta` in the browser's store).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedMeta {
    /// One above the generation of the save it replaced.
    pub generation: u64,
    /// The page's wall-clock time of the save (ms since the epoch), where known.
    #[serde(default)]
    pub saved_at_ms: Option<f64>,
    /// A few words on what the session holds ("3 topics · 12 commands").
    #[serde(default)]
    pub summary: String,
}

impl SavedMeta {
    /// Reads a stamp; an unreadable one counts as none (generation 0).
    pub fn parse(text: &str) -> SavedMeta {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Whether a save stamped `generation` may replace what storage holds, stamped `stored`:
/// only when it is newer. Equal generations mean two tabs each built on the same save; the
/// first to write wins and the other is refused.
pub fn may_write(stored: u64, generation: u64) -> bool {
    generation > stored
}

/// Whether this page writes the saved session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lease {
    /// This page holds the writer's lease: it saves.
    #[default]
    Writer,
    /// Another tab of this site holds it: this page shows the session and saves nothing.
    Elsewhere,
    /// Another tab took it over from this page: it saves nothing any more.
    TakenOver,
    /// A newer save than this page's work was found in storage: it saves nothing any more.
    Stale,
}

impl Lease {
    pub fn writes(self) -> bool {
        self == Lease::Writer
    }
}

/// Why storage did not keep a save.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveError {
    /// The browser refused (quota, a private mode, a disabled store), in its words.
    Refused(String),
    /// Storage holds a newer save (this generation) than the one offered.
    Newer(u64),
}

/// A session kept aside before a page opened another in its place (a share link), or a saved
/// session that could not be read (kept to export, never to open).
#[derive(Debug, Clone, PartialEq)]
pub struct SetAside {
    pub text: String,
    pub meta: SavedMeta,
    pub readable: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_newer_generation_is_written() {
        assert!(may_write(0, 1), "the first save");
        assert!(may_write(4, 5));
        assert!(
            !may_write(5, 5),
            "another tab built on the same save wrote first"
        );
        assert!(!may_write(7, 5), "older work");
    }

    #[test]
    fn a_stamp_reads_back_and_an_unreadable_one_counts_as_none() {
        let meta = SavedMeta {
            generation: 3,
            saved_at_ms: Some(1_700_000_000_000.0),
            summary: "1 topic · 2 commands".into(),
        };
        assert_eq!(SavedMeta::parse(&meta.to_json()), meta);
        assert_eq!(SavedMeta::parse("{damaged"), SavedMeta::default());
        assert!(Lease::Writer.writes() && !Lease::Elsewhere.writes() && !Lease::Stale.writes());
    }
}
