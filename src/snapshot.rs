//! The saved session: a versioned snapshot of the playground, each terminal's history, the
//! lesson in progress and the journal — what the browser keeps in storage and what an
//! exported file holds. Plain data with no web dependencies, so the format is tested natively
//! (`tests/snapshot_format.rs`); `ui::storage` puts it in the browser's storage.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserializer as _, IgnoredAny, MapAccess, Visitor};

use crate::console::Playground;
use crate::vec_map::VecMap;

/// Bumped whenever the snapshot's shape changes; older snapshots are not read.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedTab {
    pub id: usize,
    pub history: Vec<String>,
    /// Its shell's variables and directory (absent when as a new terminal has them, and in
    /// snapshots from before the shell had them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shell: Option<crate::console::variables::ShellState>,
}

#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// The course being followed (`#course-url=`), for its order and "next lesson".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course: Option<crate::lesson::link::Course>,
}

/// The fields as they were before courses existed, `course` only when set: the snapshot
/// fixtures record a snapshot's `Debug`.
impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = f.debug_struct("Snapshot");
        s.field("format", &self.format)
            .field("playground", &self.playground)
            .field("tabs", &self.tabs)
            .field("active", &self.active)
            .field("lesson", &self.lesson)
            .field("progress", &self.progress)
            .field("journal", &self.journal);
        if let Some(course) = &self.course {
            s.field("course", course);
        }
        s.finish()
    }
}

/// Where a lesson came from: the site's catalog (by id; its file is fetched from the site), or
/// a file the instructor opened (its whole text, as there is nowhere to fetch it from).
/// Written as serde writes a newtype variant: `{"BuiltIn": "id"}` or `{"File": "text"}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum LessonSource {
    BuiltIn(String),
    File(String),
}

/// What is saved of a lesson in progress.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedLesson {
    pub source: LessonSource,
    pub step: usize,
    pub passed: Vec<bool>,
    pub commands: Vec<String>,
    /// Indices into `commands` of the lines that failed (a `ran` check skips them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<usize>,
    /// For the learner's results: hints and solutions shown, and when (page time, ms) the
    /// lesson started and its last step passed.
    #[serde(default, skip_serializing_if = "LessonEffort::is_empty")]
    pub effort: LessonEffort,
}

/// What a learner spent on a lesson, for the results they hand in.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LessonEffort {
    pub hints: usize,
    pub solutions: usize,
    pub started_ms: f64,
    pub finished_ms: Option<f64>,
}

impl LessonEffort {
    fn is_empty(&self) -> bool {
        *self == LessonEffort::default()
    }
}

/// Steps done per lesson id, for the catalog.
pub type Progress = VecMap<String, usize>;

/// The `format` of a saved session, read without the rest (which may be another version's):
/// the members before it are skipped, and reading stops once it is found (it is written
/// first), so the rest is checked only by the reader of the format it says.
fn format_of(text: &str) -> Result<u32, serde_json::Error> {
    struct FormatField<'a>(&'a Cell<Option<u32>>);

    impl<'de> Visitor<'de> for FormatField<'_> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a saved session")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                if key == "format" {
                    self.0.set(Some(map.next_value()?));
                    // Stops the reader here; `format_of` reads the value found.
                    return Err(de::Error::custom("found"));
                }
                map.next_value::<IgnoredAny>()?;
            }
            Err(de::Error::missing_field("format"))
        }
    }

    let found = Cell::new(None);
    let read = serde_json::Deserializer::from_str(text).deserialize_map(FormatField(&found));
    match (found.get(), read) {
        (Some(format), _) => Ok(format),
        (None, Err(e)) => Err(e),
        (None, Ok(())) => Err(de::Error::missing_field("format")),
    }
}

/// Reads a snapshot (saved in storage or exported to a file), checking its format first.
pub fn parse(text: &str) -> Result<Snapshot, String> {
    let format = format_of(text).map_err(|e| format!("it is not a snapshot ({e})"))?;
    if format != FORMAT {
        return Err(format!(
            "it was saved by another version of the playground (format {format}, this one reads {FORMAT})"
        ));
    }
    let mut snapshot: Snapshot =
        serde_json::from_str(text).map_err(|e| format!("it is damaged ({e})"))?;
    snapshot.playground.cluster.watch_from_here();
    Ok(snapshot)
}

/// The session as the text of an exported file.
pub fn to_text(snapshot: &Snapshot) -> String {
    crate::console::session::to_json(snapshot, snapshot.playground.json_size_hint())
}
