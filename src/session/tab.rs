//! One terminal tab: its own shell, history and scrollback, over the shared playground — like
//! several terminal windows on one machine.

use std::collections::VecDeque;

use super::Host;
use crate::console::{Output, Part, Prompt, Stream, Terminal};

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
    /// Usage printed after an error: (the number of its first line among those ever pushed,
    /// how many lines), oldest first. A face may fold these below the error.
    pub folds: VecDeque<(u64, usize)>,
    /// A widget's setup commands still to run here, each once the previous one has finished
    /// (a tool that runs over several ticks must not read the next command as its input).
    pub setup: VecDeque<String>,
    /// What to do once `setup` has run: clear the commands away, then show a note.
    pub after_setup: Option<AfterSetup>,
}

/// The end of a widget's setup in a tab.
#[derive(Default)]
pub struct AfterSetup {
    /// The commands and their output are not shown (`data-show-commands` off).
    pub clear: bool,
    pub note: Option<String>,
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
            folds: VecDeque::new(),
            setup: VecDeque::new(),
            after_setup: None,
        }
    }

    pub fn clear(&mut self) {
        self.lines.clear();
        self.folds.clear();
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
            text: super::visible::visible(text).into_owned(),
        });
    }

    /// Shows what the terminal printed (and tells the page), then clears the screen if a
    /// `clear` asked for it.
    pub fn append(&mut self, out: Output, host: &dyn Host) {
        host.emit(self.id, &out);
        for chunk in out.chunks {
            let kind = match (chunk.part, chunk.stream) {
                (Part::Note, _) => LineKind::Note,
                (_, Stream::Stdout) => LineKind::Stdout,
                (_, Stream::Stderr) => LineKind::Stderr,
            };
            let first = self.pushed;
            let text = chunk.text.strip_suffix('\n').unwrap_or(&chunk.text);
            for line in text.split('\n') {
                self.push(kind, line);
            }
            if chunk.part == Part::Usage {
                self.folds
                    .push_back((first, (self.pushed - first) as usize));
            }
        }
        // Folds whose lines have all scrolled out of the kept scrollback are forgotten.
        let oldest = self.first_kept();
        while self
            .folds
            .front()
            .is_some_and(|(f, n)| f + *n as u64 <= oldest)
        {
            self.folds.pop_front();
        }
        if self.terminal.take_clear_request() {
            self.clear();
        }
    }

    /// The number (among all lines ever pushed) of the first line kept in `lines`.
    pub fn first_kept(&self) -> u64 {
        self.pushed - self.lines.len() as u64
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Playground;
    use crate::engine::{Cluster, ClusterConfig};
    use crate::session::Headless;

    fn shown(tab: &Tab) -> Vec<(LineKind, &str)> {
        tab.lines
            .iter()
            .map(|l| (l.kind, l.text.as_str()))
            .collect()
    }

    #[test]
    fn a_usage_after_an_error_is_a_fold_below_the_error() {
        let mut pg = Playground::scripted(Cluster::new(ClusterConfig::default()));
        let mut tab = Tab::new(1);
        tab.push(LineKind::Note, "welcome");
        let out = tab.terminal.enter(
            &mut pg,
            "kafka-topics.sh --bootstrap-server localhost:9092 --create",
        );
        tab.append(out, &Headless);
        // Kafka: server-common/src/main/java/org/apache/kafka/server/util/CommandLineUtils.java
        assert_eq!(tab.lines[1].text, "Missing required argument \"[topic]\"");
        let (first, len) = tab.folds[0];
        assert_eq!(tab.folds.len(), 1);
        assert_eq!(first, 2, "the fold starts below the error line");
        assert_eq!(
            len,
            tab.lines.len() - 2,
            "and holds the rest: the option table"
        );
        assert!(tab.lines[2].text.starts_with("Option "));
        // Asked for, the same table is not folded.
        let out = tab.terminal.enter(&mut pg, "kafka-topics.sh --help");
        tab.append(out, &Headless);
        assert_eq!(tab.folds.len(), 1);
        tab.clear();
        assert!(tab.folds.is_empty());
    }

    #[test]
    fn playground_notes_are_dim_lines_after_kafkas_text() {
        let mut pg = Playground::scripted(Cluster::new(ClusterConfig::default()));
        let mut tab = Tab::new(1);
        for line in [
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders",
            "kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic order",
        ] {
            let out = tab.terminal.enter(&mut pg, line);
            tab.append(out, &Headless);
        }
        let lines = shown(&tab);
        // Kafka: tools/src/main/java/org/apache/kafka/tools/TopicCommand.java (ensureTopicExists)
        assert_eq!(
            lines[1],
            (
                LineKind::Stdout,
                "Error while executing topic command : Topic 'Optional[order]' does not exist as expected"
            )
        );
        assert_eq!(
            lines.last(),
            Some(&(
                LineKind::Note,
                "[playground] No topic 'order': did you mean 'orders'?"
            ))
        );
    }
}
