//! One terminal tab: its own shell, history and scrollback, over the shared playground — like
//! several terminal windows on one machine.

use std::collections::VecDeque;

use super::Host;
use crate::console::{Output, Prompt, Stream, Terminal};

/// The most scrollback lines kept; older ones are dropped so the page stays light.
pub const MAX_LINES: usize = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// A command as typed, with its prompt.
    Input,
    Stdout,
    Stderr,
    /// The playground's own notes (welcome text).
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub kind: LineKind,
    pub text: String,
}

pub struct Tab {
    pub id: usize,
    pub terminal: Terminal,
    pub lines: VecDeque<Line>,
    /// Lines ever shown and times cleared: where a shared widget's copy of this terminal is.
    pub pushed: u64,
    pub cleared: u64,
    /// In a widget sharing another widget's cluster: the owner's terminal for that widget
    /// (`member`), not shown in the owner's own tab bar.
    pub member: Option<u32>,
    /// In such a widget itself: its terminal as the owner last showed it (the local
    /// `terminal` is never run there).
    pub mirror: Option<Mirror>,
}

/// A terminal that runs in another frame, as last shown.
#[derive(Default)]
pub struct Mirror {
    pub prompt: String,
    pub history: Vec<String>,
    pub running: bool,
}

impl Tab {
    pub fn new(id: usize) -> Self {
        Tab::with_terminal(id, Terminal::new())
    }

    pub fn with_terminal(id: usize, terminal: Terminal) -> Self {
        Tab {
            id,
            terminal,
            lines: Default::default(),
            pushed: 0,
            cleared: 0,
            member: None,
            mirror: None,
        }
    }

    pub fn clear(&mut self) {
        self.lines.clear();
        self.cleared += 1;
    }

    /// The commands entered, newest last (↑ and Ctrl+R walk them).
    pub fn history(&self) -> &[String] {
        match &self.mirror {
            Some(m) => &m.history,
            None => self.terminal.history(),
        }
    }

    /// Whether a tool runs in it (in the foreground or as a job).
    pub fn running(&self) -> bool {
        match &self.mirror {
            Some(m) => m.running,
            None => self.terminal.has_work(),
        }
    }

    /// Whether it waits at the shell prompt (Tab completes there).
    pub fn at_shell(&self) -> bool {
        match &self.mirror {
            // The owner shows its shell prompt ending in `$ ` (see `prompt`).
            Some(m) => m.prompt.ends_with("$ "),
            None => matches!(self.terminal.prompt(), Prompt::Shell),
        }
    }

    pub fn push(&mut self, kind: LineKind, text: &str) {
        self.pushed += 1;
        // A ring: the oldest line goes as a new one comes, at no cost per line.
        if self.lines.len() >= MAX_LINES {
            self.lines.pop_front();
        }
        self.lines.push_back(Line {
            kind,
            text: text.to_string(),
        });
    }

    /// Shows what the terminal printed (and tells the page), then clears the screen if a
    /// `clear` asked for it.
    pub fn append(&mut self, out: Output, host: &dyn Host) {
        host.emit(self.id, &out);
        for chunk in out.chunks {
            let kind = match chunk.stream {
                Stream::Stdout => LineKind::Stdout,
                Stream::Stderr => LineKind::Stderr,
            };
            let text = chunk.text.strip_suffix('\n').unwrap_or(&chunk.text);
            for line in text.split('\n') {
                self.push(kind, line);
            }
        }
        if self.terminal.take_clear_request() {
            self.clear();
        }
    }

    /// The prompt shown before the input line.
    pub fn prompt(&self) -> String {
        if let Some(m) = &self.mirror {
            return m.prompt.clone();
        }
        match self.terminal.prompt() {
            // `$ ` in the home directory, the directory before it elsewhere (bash's `\w`).
            Prompt::Shell => match self.terminal.shell().short_cwd().as_str() {
                "~" => "$ ".into(),
                dir => format!("{dir}$ "),
            },
            Prompt::Continuation => "> ".into(),
            Prompt::Session(p) => p,
            Prompt::Busy => String::new(),
        }
    }

    /// A short label: what runs in it, or its number.
    pub fn title(&self) -> String {
        let running = match &self.mirror {
            Some(m) => m.running,
            None => self.terminal.is_running() || !self.terminal.jobs().is_empty(),
        };
        let last = self.history().last().map(|c| {
            let tool = c.split_whitespace().next().unwrap_or("");
            tool.rsplit('/')
                .next()
                .unwrap_or(tool)
                .trim_end_matches(".sh")
                .to_string()
        });
        match (running, last) {
            (true, Some(tool)) => format!("{} · {tool}", self.id),
            _ => format!("Terminal {}", self.id),
        }
    }
}
