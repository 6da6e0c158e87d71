//! The saved session: a versioned snapshot of the playground, each terminal's history, the
//! lesson in progress and the journal — what the browser keeps in storage and what an
//! exported file holds. Plain data with no web dependencies, so the format is tested natively
//! (`tests/snapshot_codec.rs`); `ui::storage` puts it in the browser's storage.

use crate::console::Playground;
use crate::json::{self, Error, Json, Reader, Writer, json_struct};
use crate::vec_map::VecMap;

/// Bumped whenever the snapshot's shape changes; older snapshots are not read.
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq)]
pub struct SavedTab {
    pub id: usize,
    pub history: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub format: u32,
    pub playground: Playground,
    pub tabs: Vec<SavedTab>,
    pub active: usize,
    /// The lesson in progress (absent in snapshots from before lessons existed).
    pub lesson: Option<SavedLesson>,
    pub progress: Progress,
    /// What was typed, for share links (absent in snapshots from before them).
    pub journal: Option<crate::share::Journal>,
}

/// Where a lesson came from: the site's catalog (by id; its file is fetched from the site), or
/// a file the instructor opened (its whole text, as there is nowhere to fetch it from).
#[derive(Debug, Clone, PartialEq)]
pub enum LessonSource {
    BuiltIn(String),
    File(String),
}

/// A placeholder (no lesson's id), for the reader of [`SavedLesson`] (see `json_struct!`).
impl Default for LessonSource {
    fn default() -> Self {
        LessonSource::BuiltIn(String::new())
    }
}

/// What is saved of a lesson in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedLesson {
    pub source: LessonSource,
    pub step: usize,
    pub passed: Vec<bool>,
    pub commands: Vec<String>,
}

/// Steps done per lesson id, for the catalog.
pub type Progress = VecMap<String, usize>;

// The session's types are written here; the types they hold (the playground, its cluster, …)
// next to each type, where their private fields are.
json_struct!(SavedTab {
    id: req,
    history: req,
});

json_struct!(Snapshot {
    format: req,
    playground: req,
    tabs: req,
    active: req,
    lesson: default,
    progress: default,
    journal: default,
});

json_struct!(SavedLesson {
    source: req,
    step: req,
    passed: req,
    commands: req,
});

/// `{"BuiltIn": "id"}` or `{"File": "text"}`, as serde writes a newtype variant.
impl Json for LessonSource {
    fn write_json(&self, w: &mut Writer) {
        let (variant, text) = match self {
            LessonSource::BuiltIn(id) => ("BuiltIn", id),
            LessonSource::File(text) => ("File", text),
        };
        w.begin_object();
        w.field(variant);
        w.string(text);
        w.end_object();
    }

    fn read_json(r: &mut Reader) -> Result<Self, Error> {
        r.begin_object()?;
        let Some(variant) = r.next_key()? else {
            return Err(r.error("expected a lesson source"));
        };
        let source = match &*variant {
            "BuiltIn" => LessonSource::BuiltIn(String::read_json(r)?),
            "File" => LessonSource::File(String::read_json(r)?),
            other => return Err(r.error(format!("unknown variant `{other}`"))),
        };
        if r.next_key()?.is_some() {
            return Err(r.error("expected a single variant"));
        }
        Ok(source)
    }
}

/// The `format` of a saved session, read without the rest (which may be another version's).
fn format_of(text: &str) -> Result<u32, Error> {
    let mut r = Reader::new(text);
    let mut format = None;
    r.begin_object()?;
    while let Some(key) = r.next_key()? {
        if key == "format" {
            json::field(&mut r, &mut format, "format")?;
            // Written first: the rest is read (and checked) with the format it says.
            break;
        }
        r.skip_value()?;
    }
    json::required(&r, format, "format")
}

/// Reads a snapshot (saved in storage or exported to a file), checking its format first.
pub fn parse(text: &str) -> Result<Snapshot, String> {
    let format = format_of(text).map_err(|e| format!("it is not a snapshot ({e})"))?;
    if format != FORMAT {
        return Err(format!(
            "it was saved by another version of the playground (format {format}, this one reads {FORMAT})"
        ));
    }
    json::from_str(text).map_err(|e| format!("it is damaged ({e})"))
}

/// The session as the text of an exported file.
pub fn to_text(snapshot: &Snapshot) -> String {
    json::to_string(snapshot, snapshot.playground.json_size_hint())
}
