//! The workbench state behind the page: the playground, its terminal and the scrollback.
//! One reducer applies every [`Action`]; the engine is mutated in place behind an `Rc`, and the
//! version number tells Yew that something changed.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::console::{Output, Playground, Prompt, Stream, Terminal};
use crate::engine::{Cluster, ClusterConfig};

/// The most scrollback lines kept; older ones are dropped so the page stays light.
const MAX_LINES: usize = 5_000;

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

pub struct Workbench {
    pub playground: Playground,
    pub terminal: Terminal,
    pub lines: Vec<Line>,
    /// Wall-clock milliseconds at the last tick: the cluster clock moves by the difference.
    last_wall_ms: f64,
}

impl Workbench {
    pub fn new(now_ms: f64) -> Self {
        let cluster = Cluster::new(ClusterConfig {
            start_ms: now_ms as i64,
            ..ClusterConfig::default()
        });
        let mut wb = Workbench {
            playground: Playground::new(cluster),
            terminal: Terminal::new(),
            lines: Vec::new(),
            last_wall_ms: now_ms,
        };
        for note in [
            "Kafka Playground — a 3-broker Kafka cluster (KRaft) running in this page.",
            "Type the commands from any Kafka tutorial; the bootstrap server is localhost:9092. Type 'help' for more.",
            "Try: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic quickstart-events --partitions 3",
        ] {
            wb.push(LineKind::Note, note);
        }
        wb
    }

    fn push(&mut self, kind: LineKind, text: &str) {
        self.lines.push(Line {
            kind,
            text: text.to_string(),
        });
        if self.lines.len() > MAX_LINES {
            let extra = self.lines.len() - MAX_LINES;
            self.lines.drain(..extra);
        }
    }

    fn append(&mut self, out: Output) {
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
            self.lines.clear();
        }
    }

    /// The prompt shown before the input line.
    pub fn prompt(&self) -> String {
        match self.terminal.prompt() {
            Prompt::Shell => "$ ".into(),
            Prompt::Continuation => "> ".into(),
            Prompt::Session(p) => p,
            Prompt::Busy => String::new(),
        }
    }

    fn enter(&mut self, line: &str) {
        let echo = format!("{}{line}", self.prompt());
        self.push(LineKind::Input, &echo);
        let out = self.terminal.enter(&mut self.playground, line);
        self.append(out);
    }

    fn tick(&mut self, now_ms: f64) {
        let delta = (now_ms - self.last_wall_ms).max(0.0) as i64;
        self.last_wall_ms = now_ms;
        self.playground.cluster.advance(delta);
        let out = self.terminal.poll(&mut self.playground);
        self.append(out);
    }
}

/// Everything the page can ask of the workbench.
pub enum Action {
    /// Enter pressed on a line.
    Enter(String),
    /// Several lines pasted: each runs in turn, as if typed.
    Paste(String),
    /// Ctrl+C
    Interrupt,
    /// Ctrl+D
    EndOfInput,
    /// Ctrl+L
    Clear,
    /// Time passed (wall-clock milliseconds now).
    Tick(f64),
}

#[derive(Clone)]
pub struct WorkbenchState {
    pub workbench: Rc<RefCell<Workbench>>,
    pub version: u64,
}

impl PartialEq for WorkbenchState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.workbench, &other.workbench) && self.version == other.version
    }
}

impl WorkbenchState {
    pub fn new() -> Self {
        WorkbenchState {
            workbench: Rc::new(RefCell::new(Workbench::new(js_sys::Date::now()))),
            version: 0,
        }
    }
}

impl Reducible for WorkbenchState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        {
            let mut wb = self.workbench.borrow_mut();
            match action {
                Action::Enter(line) => wb.enter(&line),
                Action::Paste(text) => {
                    for line in text.lines() {
                        wb.enter(line);
                    }
                }
                Action::Interrupt => {
                    let echo = format!("{}^C", wb.prompt());
                    wb.push(LineKind::Input, &echo);
                    let out = {
                        let Workbench {
                            terminal,
                            playground,
                            ..
                        } = &mut *wb;
                        terminal.interrupt(playground)
                    };
                    wb.append(out);
                }
                Action::EndOfInput => {
                    let out = {
                        let Workbench {
                            terminal,
                            playground,
                            ..
                        } = &mut *wb;
                        terminal.end_of_input(playground)
                    };
                    wb.append(out);
                }
                Action::Clear => wb.lines.clear(),
                Action::Tick(now) => {
                    let before = wb.lines.len();
                    let busy = wb.terminal.has_work();
                    wb.tick(now);
                    // Nothing to show: keep the same state so nothing re-renders.
                    if !busy && wb.lines.len() == before {
                        drop(wb);
                        return self;
                    }
                }
            }
        }
        Rc::new(WorkbenchState {
            workbench: self.workbench.clone(),
            version: self.version + 1,
        })
    }
}

pub type WorkbenchContext = UseReducerHandle<WorkbenchState>;

/// The workbench from the nearest provider (`App`).
#[hook]
pub fn use_workbench() -> WorkbenchContext {
    use_context::<WorkbenchContext>().expect("components are rendered inside App")
}
