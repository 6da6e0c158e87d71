//! One terminal: a shell over the playground. It assembles typed or pasted lines into commands
//! (`\` continuations, heredocs), runs them, and routes input to a running session.
//!
//! The browser UI and `kplay` drive a terminal through the same few calls, so both print the
//! same text.

use super::output::Output;
use super::session::{Playground, Session, Status};

/// What the terminal is waiting for, so a face can show the right prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// Ready for a command: `$ `.
    Shell,
    /// Inside a `\` continuation or a heredoc: `> `.
    Continuation,
    /// A session reading typed lines (the console producer's `>`).
    Session(String),
    /// A session that takes no input is running (a consumer): Ctrl+C stops it.
    Busy,
}

#[derive(Default)]
pub struct Terminal {
    history: Vec<String>,
    session: Option<Box<dyn Session>>,
    clear_requested: bool,
}

impl Terminal {
    pub fn new() -> Self {
        Terminal::default()
    }

    /// One physical line typed (or one line of a paste) followed by Enter.
    pub fn enter(&mut self, pg: &mut Playground, line: &str) -> Output {
        let _ = (pg, line);
        Output::new()
    }

    /// Ctrl+C.
    pub fn interrupt(&mut self, pg: &mut Playground) -> Output {
        let mut out = Output::new();
        if let Some(s) = self.session.as_mut() {
            if let Status::Exited(_) = s.interrupt(pg, &mut out) {
                self.session = None;
            }
        }
        out
    }

    /// Ctrl+D.
    pub fn end_of_input(&mut self, pg: &mut Playground) -> Output {
        let mut out = Output::new();
        if let Some(s) = self.session.as_mut() {
            if let Status::Exited(_) = s.end_of_input(pg, &mut out) {
                self.session = None;
            }
        }
        out
    }

    /// Time has passed (the UI calls this on a timer after advancing the cluster clock).
    pub fn poll(&mut self, pg: &mut Playground) -> Output {
        let mut out = Output::new();
        if let Some(s) = self.session.as_mut() {
            if let Status::Exited(_) = s.poll(pg, &mut out) {
                self.session = None;
            }
        }
        out
    }

    pub fn prompt(&self) -> Prompt {
        match &self.session {
            Some(s) => match s.prompt() {
                Some(p) => Prompt::Session(p.to_string()),
                None => Prompt::Busy,
            },
            None => Prompt::Shell,
        }
    }

    /// Commands entered so far, oldest first (for ↑/↓ and `history`).
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// True once after `clear` (or Ctrl+L handled by the face): the face empties its scrollback.
    pub fn take_clear_request(&mut self) -> bool {
        std::mem::take(&mut self.clear_requested)
    }
}
