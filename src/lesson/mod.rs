//! Lessons: guided exercises whose steps are checked against the cluster's real state.
//!
//! A lesson is a Markdown file with a small header (see `lessons/README.md`). Each step has
//! instructions, checks (declarative statements about the engine's state, never about console
//! text), hints and a solution. The same code parses lessons for the browser panel and for
//! `kplay --check`, which proves every lesson solvable in CI.
//!
//! Invariant: no web dependencies; checks only read the cluster.

pub mod catalog;
pub mod check;
pub mod format;
pub mod link;
pub mod markdown;
pub mod quantity;
pub mod results;
pub mod verify;

pub use check::{Check, Outcome};
pub use format::{Lesson, ParseError, Step};
