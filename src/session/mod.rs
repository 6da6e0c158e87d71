//! The session: everything a person's work consists of beyond the cluster — terminal tabs and
//! their scrollback, the journal that share links replay, `undo`, pasted lines entered a slice
//! at a time, the clock following the page's time, lesson progress and when the session is
//! saved. Every face drives it: the browser's reducer, share replay, widgets, the JS API and
//! kplay.
//!
//! Invariant: native code with no web dependencies and no wall clock. What it needs of the
//! page — its clock, output listeners, the clipboard, storage — comes through [`Host`] and
//! [`Storage`], or leaves as a value for the face to carry out (a snapshot to write, a lesson
//! to fetch, widget messages to post).

mod action;
mod budget;
mod clock;
mod commands;
pub mod feed;
mod group;
mod host;
mod lesson;
mod lesson_fetch;
mod lesson_link;
mod lesson_run;
mod link_replay;
mod metrics;
mod recent;
mod replay;
mod save_policy;
mod saved;
pub mod script;
mod stored;
mod tab;
mod undo;
pub mod visible;
mod workbench;

pub use action::{Action, LessonAction};
pub use budget::{
    Excess, ReplayBudget, ReplayPlan, consent_question, finish_within, replay_within, start_within,
};
pub use clock::POLL_MS;
pub use commands::PASTE_SLICE_LINES;
pub use group::{Group, MAX_QUEUED, Role, Sent};
pub use host::{Headless, Host, MemoryStorage, Storage};
pub use lesson_fetch::{AfterFetch, LessonFetch};
pub use lesson_link::{LinkFetch, Linked};
pub use lesson_run::{LessonRun, LessonSource, Progress, SavedLesson};
pub use link_replay::{LinkReplay, LinkStart};
pub use metrics::{Metrics, group_lag};
pub use recent::{MAX_RECENT, Recent, Recents, key as recent_key};
pub use replay::{MAX_REPLAY_POLLS, Replayed, replay};
pub use save_policy::{SAVE_INTERVAL_MS, SavePolicy, Verdict};
pub use script::Transcript;
pub use stored::{Lease, SaveError, SavedMeta, SetAside, Stored, may_write};
pub use tab::{Line, LineKind, MAX_LINES, Mirror, Tab};
pub use undo::{UNDO_MAX_RECORDS, UndoStack, close_terminal};
pub use workbench::{Applied, MAX_TABS, Start, Workbench};

// Native only: the lessons' files are compiled in natively (the browser fetches them).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
#[cfg(test)]
mod tests_stored;
