//! A script run as a session: kplay and the transcript tests enter each line of a file through
//! [`Workbench::apply`], as the page enters typed lines, in one batch terminal (nobody types,
//! so tools finish at once) on a clock that only commands move. The journal says so, and a
//! share replay of it runs the same way.

use std::cell::RefCell;
use std::rc::Rc;

use super::{Action, Host, Tab, Workbench};
use crate::console::{Output, Playground, Terminal};
use crate::engine::{Cluster, ClusterConfig};
use crate::share::{Journal, Kind};

impl Workbench {
    /// A session for a script: one batch terminal, no welcome, the clock paused (it moves only
    /// with `playground advance`, `sleep` and throttled tools).
    pub fn scripted(config: ClusterConfig, host: Rc<dyn Host>) -> Self {
        let mut journal = Journal::new(config.start_ms, config.brokers);
        journal.seed = (config.seed != ClusterConfig::default().seed).then_some(config.seed);
        journal.script = true;
        Workbench {
            playground: Playground::scripted(Cluster::new(config.clone())),
            tabs: vec![Tab::with_terminal(1, Terminal::batch())],
            journal: Some(journal),
            ..Workbench::fresh(config.start_ms as f64, host)
        }
    }

    /// Whether this session runs a script (its terminals are batch terminals).
    pub fn is_script(&self) -> bool {
        self.journal.as_ref().is_some_and(|j| j.script)
    }

    /// A terminal for a new tab: a batch one in a script.
    pub(super) fn new_terminal(&self) -> Terminal {
        if self.is_script() {
            Terminal::batch()
        } else {
            Terminal::new()
        }
    }

    /// Enters every line of `script` in the active tab, then ends the script. With `echo`,
    /// each command's first line is shown as `$ line` before its output (blank lines and
    /// comments are not). Everything printed goes to the host.
    pub fn run_script(&mut self, script: &str, echo: bool) {
        for line in script.lines() {
            let trimmed = line.trim();
            if echo && self.tab().at_shell() && !trimmed.is_empty() && !trimmed.starts_with('#') {
                let mut typed = Output::new();
                typed.outln(&format!("$ {line}"));
                self.host.emit(self.tab().id, &typed);
            }
            self.apply(Action::Enter(line.to_string()));
        }
        self.apply(Action::EndOfScript);
    }

    /// The script's end in the active tab: a heredoc or continued line left open runs (bash
    /// warns), background jobs read what is left and stop.
    pub(super) fn end_of_script(&mut self) {
        let id = self.tab().id;
        self.record(id, Kind::EndOfScript, "");
        self.in_active_tab(None, |t, pg| t.end_of_script(pg));
    }
}

/// A host that keeps everything the session printed, in order, across tabs (the transcript
/// tests; kplay writes it out as it comes instead).
#[derive(Default)]
pub struct Transcript(RefCell<Output>);

impl Transcript {
    /// What was printed so far, taken.
    pub fn take(&self) -> Output {
        self.0.take()
    }
}

impl Host for Transcript {
    fn emit(&self, _tab: usize, out: &Output) {
        self.0.borrow_mut().append(out.clone());
    }
}

/// Runs `script` as `kplay [--echo] --fake-clock` does, on a cluster made from `config`, and
/// returns what it printed and the session it leaves.
pub fn run(config: ClusterConfig, script: &str, echo: bool) -> (Output, Workbench) {
    let transcript = Rc::new(Transcript::default());
    let mut wb = Workbench::scripted(config, transcript.clone());
    wb.run_script(script, echo);
    (transcript.take(), wb)
}
