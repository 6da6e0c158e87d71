//! `undo`: the playground before each of the last commands that changed it, so the cluster
//! can go back one command at a time. The clock never goes back: a restored cluster resumes
//! at the current time.

use crate::console::{Playground, Prompt, Terminal};

/// How many states `undo` keeps.
pub const MAX_UNDO: usize = 10;
/// Above this many records the cluster is not copied before a command (so it cannot be
/// undone): a copy per command would cost more than the command.
pub const UNDO_MAX_RECORDS: usize = 200_000;

#[derive(Default)]
pub struct UndoStack {
    /// The command and the playground before it, oldest first.
    states: Vec<(String, Playground)>,
}

impl UndoStack {
    /// A copy to keep before `terminal` runs a line: only a command line (not a tool's
    /// input), and only while the cluster is small.
    pub fn before(pg: &Playground, terminal: &Terminal) -> Option<Playground> {
        if !matches!(terminal.prompt(), Prompt::Shell | Prompt::Continuation) {
            return None;
        }
        let records: usize = pg
            .cluster
            .topics()
            .flat_map(|t| t.partitions().iter())
            .map(|p| p.log().len())
            .sum();
        (records <= UNDO_MAX_RECORDS).then(|| pg.clone())
    }

    /// After `command` ran: keeps the state before it if the command changed anything.
    pub fn after(&mut self, command: &str, before: Option<Playground>, now: &Playground) {
        let Some(before) = before else { return };
        if before != *now {
            self.states.push((command.trim().to_string(), before));
            if self.states.len() > MAX_UNDO {
                self.states.remove(0);
            }
        }
    }

    /// Takes `pg` back to before the last change; returns that command, or `None` when there
    /// is nothing to undo.
    pub fn undo(&mut self, pg: &mut Playground) -> Option<String> {
        let (command, before) = self.states.pop()?;
        let now = pg.cluster.now_ms();
        *pg = before;
        pg.cluster.advance_to(now);
        Some(command)
    }

    pub fn len(&self) -> usize {
        self.states.len()
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }
}

/// Closing a tab stops what runs in it, as closing a terminal window does (SIGHUP).
pub fn close_terminal(terminal: &mut Terminal, pg: &mut Playground) {
    let _ = terminal.interrupt(pg);
    for (n, _) in terminal.jobs() {
        let _ = terminal.enter(pg, &format!("kill %{n}"));
    }
}
