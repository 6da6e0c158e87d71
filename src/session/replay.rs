//! Share replay: a journal applied to a fresh workbench, entry by entry, through the same
//! methods the page's reducer calls — the same `enter`, `undo`, Ctrl+C, tab closing and clock
//! polling — so a link reproduces what its author saw.
//!
//! Invariant: a link is untrusted; whatever it holds replays in bounded time (the clock stops
//! at its end, and polls are budgeted) and can only type console lines.

use std::cell::RefCell;
use std::rc::Rc;

use super::{Host, Tab, Workbench};
use crate::console::{Output, Playground, Terminal};
use crate::engine::{Cluster, ClusterConfig};
use crate::share::{Entry, Journal, Kind};

/// The most polls a replay makes (an hour of running tools at speed 1); then time jumps
/// between inputs.
pub const MAX_REPLAY_POLLS: usize = 36_000;

/// The state a journal leads to: the workbench, and what each open tab printed.
pub struct Replayed {
    pub workbench: Workbench,
    /// (tab id, output) for the tabs still open, in tab order.
    pub printed: Vec<(usize, Output)>,
    /// Whether it is the page's session exactly: false when tools ran longer than a replay
    /// polls them ([`MAX_REPLAY_POLLS`]), after which time jumped between inputs.
    pub exact: bool,
}

/// Collects what each tab prints.
#[derive(Default)]
struct Recorder(RefCell<Vec<(usize, Output)>>);

impl Host for Recorder {
    fn emit(&self, tab: usize, out: &Output) {
        let mut printed = self.0.borrow_mut();
        match printed.iter_mut().find(|(id, _)| *id == tab) {
            Some((_, all)) => all.append(out.clone()),
            None => printed.push((tab, out.clone())),
        }
    }
}

/// Replays a journal on a fresh cluster, exactly as the page ran it: time moves to each entry
/// (running tools are polled on the same grid as in the page), then the entry is applied to
/// its tab.
pub fn replay(journal: &Journal) -> Replayed {
    replay_with(journal, MAX_REPLAY_POLLS, None).0
}

/// Replays with at most `max_polls` polls (then time jumps between inputs), and, with
/// `max_records`, stops short once the cluster holds more records than that, with the excess.
pub(super) fn replay_with(
    journal: &Journal,
    max_polls: usize,
    max_records: Option<u64>,
) -> (Replayed, Option<super::Excess>) {
    let mut run = ReplayRun::start(journal.clone(), max_polls, max_records);
    while !run.step(usize::MAX) {}
    run.finish()
}

/// A replay under way, run a few entries at a time (the page runs it in slices between
/// animation frames, with its progress shown and a Cancel button).
pub struct ReplayRun {
    journal: Journal,
    /// The next entry to replay.
    next: usize,
    wb: Workbench,
    recorder: Rc<Recorder>,
    polls: usize,
    max_polls: usize,
    max_records: Option<u64>,
    excess: Option<super::Excess>,
    done: bool,
}

impl ReplayRun {
    /// A fresh cluster as the journal starts it (its setup script already run).
    pub(super) fn start(journal: Journal, max_polls: usize, max_records: Option<u64>) -> Self {
        let recorder = Rc::new(Recorder::default());
        let config = ClusterConfig {
            brokers: journal.brokers,
            start_ms: journal.start_ms,
            seed: journal.seed.unwrap_or(ClusterConfig::default().seed),
        };
        // A script's journal replays as kplay ran it: batch terminals, a paused clock.
        let mut wb = if journal.script {
            Workbench::scripted(config, recorder.clone())
        } else {
            let mut wb = Workbench::fresh(journal.start_ms as f64, recorder.clone());
            wb.playground = Playground::new(Cluster::new(config));
            wb
        };
        if !journal.setup.is_empty() {
            let _ = crate::console::script::run_script(
                &mut wb.playground,
                &mut Terminal::batch(),
                &journal.setup.join("\n"),
                false,
            );
        }
        let mut own = Journal::new(journal.start_ms, journal.brokers);
        own.seed = journal.seed;
        own.script = journal.script;
        own.setup = journal.setup.clone();
        wb.journal = Some(own);
        wb.tabs[0].lines.clear();
        ReplayRun {
            journal,
            next: 0,
            wb,
            recorder,
            polls: 0,
            max_polls,
            max_records,
            excess: None,
            done: false,
        }
    }

    /// (entries replayed, entries in all).
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.journal.entries.len())
    }

    /// Replays at most `entries` more entries; true once the whole journal is replayed (or
    /// the replay stopped at the record budget).
    pub fn step(&mut self, entries: usize) -> bool {
        let mut left = entries;
        while !self.done && left > 0 {
            let Some(e) = self.journal.entries.get(self.next) else {
                if let Some(until) = self.journal.until_ms {
                    self.wb
                        .move_clock_to(until, &mut self.polls, self.max_polls);
                    self.excess = self.over_records();
                }
                self.done = true;
                break;
            };
            self.next += 1;
            left -= 1;
            self.wb
                .move_clock_to(e.at_ms, &mut self.polls, self.max_polls);
            if e.kind == Kind::Poll {
                let n: usize = e.text.parse().unwrap_or(0);
                for _ in 0..n.min(self.max_polls.saturating_sub(self.polls)) {
                    self.polls += 1;
                    self.wb.paused_poll();
                }
                // Past the budget the rest are not run (the replay is not exact then).
                continue;
            }
            let e = e.clone();
            self.wb.replay_entry(&e);
            self.excess = self.over_records();
            if self.excess.is_some() {
                self.done = true;
            }
        }
        self.done
    }

    fn over_records(&self) -> Option<super::Excess> {
        let records = super::budget::records(&self.wb.playground);
        self.max_records
            .filter(|max| records > *max)
            .map(|_| super::Excess::Records(records))
    }

    /// The journal this run replays.
    pub(super) fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Where the replay ended (call once `step` said it is done).
    pub(super) fn finish(self) -> (Replayed, Option<super::Excess>) {
        let ReplayRun {
            wb,
            recorder,
            polls,
            max_polls,
            excess,
            ..
        } = self;
        let mut all = recorder.0.take();
        let printed = wb
            .tabs
            .iter()
            .map(|t| {
                let out = all
                    .iter_mut()
                    .find(|(id, _)| *id == t.id)
                    .map(|(_, out)| std::mem::take(out))
                    .unwrap_or_default();
                (t.id, out)
            })
            .collect();
        let replayed = Replayed {
            workbench: wb,
            printed,
            exact: polls < max_polls,
        };
        (replayed, excess)
    }
}

impl Workbench {
    /// One journal entry, through the method the page used when it happened.
    fn replay_entry(&mut self, e: &Entry) {
        match e.kind {
            Kind::Reload => return self.reopen(),
            Kind::Jump => {
                let to = e.text.parse().unwrap_or(e.at_ms);
                self.record(0, Kind::Jump, &e.text);
                // A link's time may lie past the clock's end.
                self.playground
                    .cluster
                    .advance_to(to.clamp(e.at_ms, crate::engine::clock::MAX_MS));
                return;
            }
            _ => {}
        }
        if e.tab == 0 {
            // The buttons' own terminal (see `control`).
            if e.kind == Kind::Line {
                self.control_beside(&e.text);
            }
            return;
        }
        // A link naming more tabs than a page opens types nothing into the extra ones.
        let Some(index) = self.tab_index(e.tab) else {
            return;
        };
        self.active = index;
        match e.kind {
            Kind::Line => self.enter(&e.text),
            Kind::Interrupt => self.interrupt(),
            Kind::EndOfInput => self.end_of_input(),
            Kind::Close => self.close_tab(self.active),
            Kind::Undo => self.undo_command("undo"),
            Kind::EndOfScript => self.end_of_script(),
            // Opened by `tab_index` above; noted as the page noted it.
            Kind::Open => self.record(e.tab, Kind::Open, ""),
            Kind::Reload | Kind::Jump | Kind::Poll => {}
        }
    }

    /// The index of tab `id`, opened if needed. Tabs keep the order of their ids, as the page
    /// numbers them in the order they are opened, so tools are polled in the page's order.
    fn tab_index(&mut self, id: usize) -> Option<usize> {
        if let Some(i) = self.tabs.iter().position(|t| t.id == id) {
            return Some(i);
        }
        if self.tabs.len() >= super::MAX_TABS {
            return None;
        }
        let i = self.tabs.partition_point(|t| t.id < id);
        let terminal = self.new_terminal();
        self.tabs.insert(i, Tab::with_terminal(id, terminal));
        self.next_tab = self.next_tab.max(id.saturating_add(1));
        Some(i)
    }
}
