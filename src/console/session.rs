//! How tools run: a tool gets a [`ToolContext`] and either finishes at once or hands back a
//! [`Session`] that the face drives (lines in, Ctrl+D, Ctrl+C, polling as time passes).
//!
//! Invariant: no session ever blocks; every call returns promptly with what it printed.

use super::files::Files;
use super::output::Output;
use crate::engine::Cluster;

/// Everything that persists across commands: the cluster and the in-memory files.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Playground {
    pub cluster: Cluster,
    pub files: Files,
    /// How fast the cluster's clock runs with the page's wall clock: 0 is paused, 1 is real
    /// time, 60 makes a minute pass every second. Only the browser follows the wall clock;
    /// kplay moves time only with `playground advance` and `sleep`.
    #[serde(default = "real_time")]
    pub clock_speed: u32,
}

fn real_time() -> u32 {
    1
}

/// The fastest the clock may run: a day per second.
pub const MAX_CLOCK_SPEED: u32 = 86_400;

impl Playground {
    pub fn new(cluster: Cluster) -> Self {
        Playground {
            cluster,
            files: Files::default(),
            clock_speed: real_time(),
        }
    }

    /// A playground driven by a script (kplay, tests): no wall clock moves it, so its clock
    /// reads as paused and moves only with `playground advance` and `sleep`.
    pub fn scripted(cluster: Cluster) -> Self {
        Playground {
            clock_speed: 0,
            ..Playground::new(cluster)
        }
    }
}

/// Where a tool's standard input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stdin {
    /// A pipe, heredoc or `< file`: the whole input is known, EOF follows it.
    Data(String),
    /// The terminal: the user types lines (the tool becomes an interactive session).
    Terminal,
    /// Nothing will ever come (kplay with no piped input): EOF at once.
    Closed,
}

pub struct ToolContext<'a> {
    pub playground: &'a mut Playground,
    pub stdin: Stdin,
    /// Batch mode (kplay, transcript tests, pasted scripts): sessions are driven to completion
    /// right away — a consumer without `--max-messages`/`--timeout-ms` stops once it has read
    /// everything available.
    pub batch: bool,
}

/// The outcome of starting a tool.
pub enum ToolResult {
    /// Finished with this exit status.
    Exit(i32),
    /// Still running: the face drives the session.
    Running(Box<dyn Session>),
}

/// Whether a session is still running after a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Running,
    Exited(i32),
}

/// A long-running tool (console consumer, interactive producer).
pub trait Session {
    /// The prompt shown while the session waits for a typed line (`>` for the producer), or
    /// `None` if it takes no input.
    fn prompt(&self) -> Option<&str>;

    /// A line typed by the user (only called when `prompt()` is `Some`).
    fn line(&mut self, pg: &mut Playground, line: &str, out: &mut Output) -> Status;

    /// Ctrl+D: end of input.
    fn end_of_input(&mut self, pg: &mut Playground, out: &mut Output) -> Status;

    /// Ctrl+C: stop now, printing what the tool prints when interrupted.
    fn interrupt(&mut self, pg: &mut Playground, out: &mut Output) -> Status;

    /// Called as (simulated) time passes: deliver new records, fire timeouts.
    fn poll(&mut self, pg: &mut Playground, out: &mut Output) -> Status;

    /// Batch mode: no more input will come and nobody will press a key; finish as kplay's
    /// contract says (read what is available, then stop as if interrupted or timed out).
    fn finish(&mut self, pg: &mut Playground, out: &mut Output) -> Status;

    /// `kill -9`: the process dies at once, printing nothing and saying goodbye to no one
    /// (a consumer does not leave its group; the coordinator notices after the session timeout).
    fn kill(&mut self, pg: &mut Playground) {
        let _ = pg;
    }
}
