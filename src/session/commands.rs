//! What is typed: lines entered in a tab (recorded in the journal, undoable), `undo`, the
//! page's buttons, Ctrl+C and Ctrl+D, tabs opened and closed, pastes entered a slice at a time.

use super::{LineKind, Tab, UndoStack, Workbench, undo};
use crate::console::session::WallClock;
use crate::console::{Output, Playground, Prompt, Terminal};
use crate::share::Kind;

/// Lines of a paste entered per tick: a huge paste (a file's worth of records into a producer)
/// goes in over several ticks, so the page answers meanwhile and Ctrl+C drops the rest.
pub const PASTE_SLICE_LINES: usize = 2_000;
/// Where the page lends its clock, a slice also ends after this long, so Ctrl+C is heard
/// within a tick however slow the lines are.
pub const PASTE_SLICE_MS: f64 = 50.0;

/// Pasted text not entered yet: kept whole and cut into lines only as they are entered, so a
/// paste of megabytes costs nothing up front and Ctrl+C drops it at once.
#[derive(Debug, Default)]
pub struct Pasted {
    text: String,
    /// Where the next line starts in `text`.
    at: usize,
}

impl Pasted {
    pub fn is_empty(&self) -> bool {
        self.at >= self.text.len()
    }

    pub fn clear(&mut self) {
        self.text = String::new();
        self.at = 0;
    }

    /// Lines waiting (counted when asked: it reads the rest of the text).
    pub fn len(&self) -> usize {
        self.text[self.at..].lines().count()
    }

    /// Queues `text`'s lines after those waiting.
    fn extend(&mut self, text: &str) {
        if self.is_empty() {
            self.clear();
        } else if !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        self.text.push_str(text);
    }

    /// The next line, as `str::lines` cuts it (a final `\r` dropped).
    fn pop_front(&mut self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let rest = &self.text[self.at..];
        let (line, used) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        let line = line.strip_suffix('\r').unwrap_or(line).to_string();
        self.at += used;
        Some(line)
    }
}

impl Workbench {
    /// Notes what happened in tab `tab` in the journal, at the cluster's time.
    pub(super) fn record(&mut self, tab: usize, kind: Kind, text: &str) {
        let now = self.playground.cluster.now_ms();
        if let Some(j) = self.journal.as_mut() {
            j.record(now, tab, kind, text);
        }
    }

    /// The clock the perf tools measure with: the page's, whichever playground runs now
    /// (restored, reset, undone).
    pub(super) fn wall_clock(&self) -> WallClock {
        self.host
            .page_clock()
            .map_or_else(WallClock::default, WallClock::real)
    }

    /// Runs `f` on the active tab's terminal with the playground, and shows what it printed,
    /// after an optional echo of what was typed.
    pub(super) fn in_active_tab(
        &mut self,
        echo: Option<&str>,
        f: impl FnOnce(&mut Terminal, &mut Playground) -> Output,
    ) {
        let clock = self.wall_clock();
        let Workbench {
            playground,
            tabs,
            active,
            host,
            ..
        } = self;
        playground.wall_clock = clock;
        let tab = &mut tabs[*active];
        if let Some(typed) = echo {
            let line = format!("{}{typed}", tab.prompt());
            tab.push(LineKind::Input, &line);
        }
        let out = f(&mut tab.terminal, playground);
        let text = out.text();
        tab.append(out, host.as_ref());
        self.last_output = text;
    }

    /// A line entered in the active tab: a command at the prompt, or input to what runs.
    pub(super) fn enter(&mut self, line: &str) {
        // A widget showing another's cluster never runs anything on its copy.
        if self.forward(crate::widget_group::Input::Line {
            text: line.to_string(),
        }) {
            return;
        }
        let at_shell = matches!(self.tab().terminal.prompt(), Prompt::Shell);
        self.host.before_command(line, at_shell);
        if at_shell && line.trim() == "undo" {
            self.undo_command(line);
            return;
        }
        let id = self.tab().id;
        self.record(id, Kind::Line, line);
        let recorded =
            at_shell && self.lesson_command(|ran| ran.record(line), |saved| saved.record(line));
        // A command line (not a producer's input) may change the cluster: keep what it was.
        let before = UndoStack::before(&self.playground, &self.tab().terminal);
        self.in_active_tab(Some(line), |t, pg| t.enter(pg, line));
        self.undo.after(line, before, &self.playground);
        self.after_input();
        if recorded {
            // A `ran` check counts only what did not fail; a tool still running has no
            // status yet and counts.
            let status = crate::lesson::verify::finished_status(&self.tab().terminal);
            self.lesson_command_ended(status);
        }
    }

    /// The line the lesson recorded last ended with `status`.
    fn lesson_command_ended(&mut self, status: Option<i32>) {
        self.lesson_command(
            |run| {
                run.command_ended(status);
                true
            },
            |saved| {
                saved.command_ended(status);
                true
            },
        );
    }

    /// Applies `f` to the lesson in progress, or to the saved run waiting for its file.
    fn lesson_command(
        &mut self,
        f: impl FnOnce(&mut super::LessonRun) -> bool,
        g: impl FnOnce(&mut crate::snapshot::SavedLesson) -> bool,
    ) -> bool {
        if let Some(run) = self.lesson.as_mut() {
            f(run)
        } else if let Some(super::AfterFetch::Resume(saved)) =
            self.lesson_fetch.as_mut().map(|f| &mut f.then)
        {
            g(saved)
        } else {
            false
        }
    }

    /// Runs a command for the JavaScript API (as if typed) and returns what it printed.
    pub fn api_run(&mut self, command: &str) -> String {
        self.last_output.clear();
        self.enter(command);
        self.save.changed();
        std::mem::take(&mut self.last_output)
    }

    /// `undo` typed at the prompt: recorded, then the cluster goes back to before the last
    /// command that changed it.
    pub(super) fn undo_command(&mut self, line: &str) {
        let id = self.tab().id;
        self.record(id, Kind::Undo, "");
        let restored = self.undo.undo(&mut self.playground);
        // Shown as a command's output, so the page's listeners and kplay hear it too.
        self.in_active_tab(Some(line), |_, _| {
            let mut out = Output::new();
            match restored {
                Some(command) => {
                    out.outln(&format!("Undone: {command}  (the cluster is as it was before it)"))
                }
                None => out.errln(&format!(
                    "undo: nothing to undo (the last {} commands that changed the cluster can be undone, while it holds at most {} records)",
                    undo::MAX_UNDO,
                    undo::UNDO_MAX_RECORDS
                )),
            }
            out
        });
        self.after_input();
    }

    /// A command clicked in a lesson: typed into the active tab if it waits at the shell prompt.
    pub(super) fn run_command(&mut self, command: &str) {
        if matches!(self.tab().terminal.prompt(), Prompt::Shell) {
            self.enter(command);
        } else {
            self.tab_mut().push(
                LineKind::Note,
                "[playground] A command is running in this terminal: stop it with Ctrl+C (or open another tab with +), then click again.",
            );
        }
    }

    /// A button on the page: runs a console command in the active tab as if typed, unless a
    /// tool runs in its foreground (typing would feed the tool), in which case a `playground`
    /// command runs beside it and its answer shows as a note.
    pub(super) fn control(&mut self, command: &str) {
        if self.forward(crate::widget_group::Input::Control {
            text: command.to_string(),
        }) {
            return;
        }
        if matches!(self.tab().terminal.prompt(), Prompt::Shell) {
            self.enter(command);
            return;
        }
        self.control_beside(command);
    }

    /// Runs a line in the buttons' own terminal, beside the tool in the active tab; its answer
    /// shows there as a note.
    pub(super) fn control_beside(&mut self, command: &str) {
        // Tab 0 in the journal: a terminal of its own, so a replay runs it the same way.
        self.record(0, Kind::Line, command);
        // A button's command counts for the lesson as if typed (an answer, a broker stopped).
        let recorded =
            self.lesson_command(|run| run.record(command), |saved| saved.record(command));
        let out = self.control_terminal.enter(&mut self.playground, command);
        if recorded {
            let status = crate::lesson::verify::finished_status(&self.control_terminal);
            self.lesson_command_ended(status);
        }
        let host = self.host.clone();
        let tab = self.tab_mut();
        tab.push(LineKind::Note, &format!("[{command}]"));
        tab.append(out, host.as_ref());
        self.after_input();
    }

    pub(super) fn interrupt(&mut self) {
        if self.forward(crate::widget_group::Input::Interrupt) {
            return;
        }
        let id = self.tab().id;
        if self.pasted.0 == id {
            self.pasted.1.clear();
        }
        self.record(id, Kind::Interrupt, "");
        self.in_active_tab(Some("^C"), |t, pg| t.interrupt(pg));
        self.after_input();
    }

    pub(super) fn end_of_input(&mut self) {
        if self.forward(crate::widget_group::Input::EndOfInput) {
            return;
        }
        let id = self.tab().id;
        self.record(id, Kind::EndOfInput, "");
        self.in_active_tab(None, |t, pg| t.end_of_input(pg));
        self.after_input();
    }

    pub(super) fn new_tab(&mut self) {
        // A shared widget is one terminal of its group's cluster.
        if self.tabs.len() >= super::MAX_TABS || self.group.is_some() {
            return;
        }
        let terminal = self.new_terminal();
        self.record(self.next_tab, Kind::Open, "");
        self.tabs.push(Tab::with_terminal(self.next_tab, terminal));
        self.next_tab += 1;
        self.active = self.tabs.len() - 1;
    }

    /// Closing a tab stops what runs in it, as closing a terminal window does (SIGHUP).
    pub(super) fn close_tab(&mut self, index: usize) {
        if self.tabs.len() <= 1 || index >= self.tabs.len() || self.group.is_some() {
            return;
        }
        let id = self.tabs[index].id;
        self.record(id, Kind::Close, "");
        let mut tab = self.tabs.remove(index);
        undo::close_terminal(&mut tab.terminal, &mut self.playground);
        if self.active >= self.tabs.len() || self.active > index {
            self.active = self.active.saturating_sub(1);
        }
        self.after_input();
    }

    /// Whether anything runs in any tab or waits to be entered (then every tick may print).
    pub(super) fn busy(&self) -> bool {
        !self.pasted.1.is_empty() || self.tools_running()
    }

    /// A paste: its lines are entered as if typed, the first slice now and the rest on the
    /// next ticks (a paste into another tab waits for this one to be entered).
    pub(super) fn paste(&mut self, text: &str) {
        if self.pasted.1.is_empty() {
            self.pasted.0 = self.tab().id;
        }
        self.pasted.1.extend(text);
        self.enter_pasted();
    }

    /// Enters the next slice of pasted lines in the tab they were pasted into.
    pub(super) fn enter_pasted(&mut self) {
        let Some(tab) = self.tabs.iter().position(|t| t.id == self.pasted.0) else {
            self.pasted.1.clear();
            return;
        };
        let active = std::mem::replace(&mut self.active, tab);
        let clock = self.host.page_clock();
        let start = clock.map(|now| now());
        for _ in 0..PASTE_SLICE_LINES {
            let Some(line) = self.pasted.1.pop_front() else {
                break;
            };
            self.enter(&line);
            if let (Some(now), Some(start)) = (clock, start) {
                if now() - start >= PASTE_SLICE_MS {
                    break;
                }
            }
        }
        self.active = active;
    }

    /// Pasted lines still waiting to be entered.
    pub fn pasted_waiting(&self) -> usize {
        self.pasted.1.len()
    }
}
