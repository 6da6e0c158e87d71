//! Opening a share link in steps: the link is read and its budget checked at once, then the
//! replay runs a few entries at a time (the page runs a slice between animation frames, shows
//! the progress and offers Cancel), and the replayed session is built when it is done.
//!
//! Invariant: nothing the reader had is replaced before the replay has finished; a cancelled
//! replay leaves the reader's own session exactly as it opened (see docs/RELIABILITY.md).

use std::rc::Rc;

use super::replay::{MAX_REPLAY_POLLS, ReplayRun};
use super::workbench::within_tab_limit;
use super::{
    Excess, Host, LineKind, ReplayBudget, SetAside, Start, Stored, Workbench, finish_within,
    start_within,
};
use crate::share::{Journal, Kind};

/// How opening a link begins.
pub enum LinkStart {
    /// The link could not be read: the saved session (or a fresh one) opened, saying why.
    Opened(Box<Workbench>),
    /// The link goes over the budget: the reader must say yes first.
    Consent(Vec<Excess>),
    /// The replay, to be run in steps.
    Replaying(Box<LinkReplay>),
}

/// A link's replay under way.
pub struct LinkReplay {
    run: ReplayRun,
    /// `None`: the reader consented, the link replays whatever it holds.
    budget: Option<ReplayBudget>,
}

impl LinkReplay {
    /// Replays at most `entries` more of the link's entries; true once it is done.
    pub fn step(&mut self, entries: usize) -> bool {
        self.run.step(entries)
    }

    /// (entries replayed, entries in all).
    pub fn progress(&self) -> (usize, usize) {
        self.run.progress()
    }
}

impl Workbench {
    /// Reads a share link and checks its budget; nothing is replayed yet.
    pub fn start_link(
        link: &str,
        stored: Result<Stored, String>,
        now_ms: f64,
        host: Rc<dyn Host>,
        budget: Option<&ReplayBudget>,
    ) -> LinkStart {
        let journal = match Journal::decode(link).and_then(within_tab_limit) {
            Ok(j) => j,
            Err(why) => {
                let kept = matches!(&stored, Ok(s) if s.text.is_some());
                let mut wb = Workbench::open(Start::Stored(stored), now_ms, host);
                let instead = if kept {
                    "Your saved session is opened instead"
                } else {
                    "Starting with a fresh cluster"
                };
                wb.tabs[0].push(
                    LineKind::Stderr,
                    &format!("[playground] The share link could not be opened: {why}. {instead}."),
                );
                return LinkStart::Opened(Box::new(wb));
            }
        };
        let run = match budget {
            Some(budget) => match start_within(&journal, budget) {
                Ok(run) => run,
                Err(over) => return LinkStart::Consent(over),
            },
            None => ReplayRun::start(journal, MAX_REPLAY_POLLS, None),
        };
        LinkStart::Replaying(Box::new(LinkReplay {
            run,
            budget: budget.cloned(),
        }))
    }

    /// The link's session once its replay is done (the saved one set aside among the recent
    /// sessions), or what running it showed to be over the budget.
    pub fn finish_link(
        replay: Box<LinkReplay>,
        stored: Result<Stored, String>,
        now_ms: f64,
        host: Rc<dyn Host>,
    ) -> Result<Self, Vec<Excess>> {
        let LinkReplay { run, budget } = *replay;
        let journal = run.journal().clone();
        let replayed = match &budget {
            Some(budget) => finish_within(run, budget)?,
            None => run.finish().0,
        };
        let mut wb = replayed.workbench;
        // The page shows what each terminal printed (not the lines typed), as a transcript.
        let mut printed = replayed.printed;
        for tab in &mut wb.tabs {
            tab.lines.clear();
            tab.pushed = 0;
            tab.cleared = 0;
            let out = printed
                .iter_mut()
                .find(|(id, _)| *id == tab.id)
                .map(|(_, out)| std::mem::take(out))
                .unwrap_or_default();
            tab.append(out, host.as_ref());
        }
        let commands = journal
            .entries
            .iter()
            .filter(|e| e.kind == Kind::Line)
            .count();
        let (generation, kept) = match stored {
            Ok(Stored {
                text: Some(text),
                meta,
            }) => (
                meta.generation,
                Some(SetAside {
                    text,
                    meta,
                    readable: true,
                }),
            ),
            Ok(Stored { text: None, meta }) => (meta.generation, None),
            Err(_) => (0, None),
        };
        let yours = if kept.is_some() {
            " Your own session is kept: Sessions lists it, one click opens it again."
        } else {
            ""
        };
        wb.tabs[0].push(
            LineKind::Note,
            &format!("[playground] Opened a shared session: {commands} line(s) replayed on a fresh cluster, exactly as they ran.{yours}"),
        );
        wb.generation = generation;
        wb.set_aside = kept;
        wb.active = 0;
        wb.last_wall_ms = now_ms;
        wb.host = host;
        // The replay's own journal holds the same entries (and keeps `undo`'s states, so a
        // later link of this session replays its `undo` the same way); the link's time is
        // where this page's clock goes on from.
        let mut journal = journal;
        journal.until_ms = None;
        wb.journal = Some(journal);
        wb.save.changed();
        wb.touched = true;
        Ok(wb)
    }

    /// The reader cancelled a link's replay after `done` of `total` entries: their own session
    /// (open meanwhile) stays as it was, and the console says so.
    pub fn link_replay_cancelled(&mut self, done: usize, total: usize) {
        self.tabs[0].push(
            LineKind::Note,
            &format!("[playground] The shared session's replay was cancelled after {done} of {total} entries; nothing of it was kept. Your own session is open as it was; open the link again to replay it."),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::session::{Action, Headless};

    const BOOT: &str = "--bootstrap-server localhost:9092";
    const START: f64 = 1_700_000_000_000.0;

    fn link() -> String {
        let mut author = Workbench::new(START);
        for i in 0..30 {
            let line = format!("kafka-topics.sh {BOOT} --create --topic t{i}");
            author.apply(Action::Enter(line));
        }
        author
            .journal
            .as_ref()
            .map(|j| j.encode())
            .unwrap_or_default()
    }

    fn saved_session() -> Stored {
        let mut mine = Workbench::new(START);
        mine.apply(Action::Enter(format!(
            "kafka-topics.sh {BOOT} --create --topic mine"
        )));
        Stored::text(mine.snapshot_text())
    }

    #[test]
    fn a_link_replayed_in_steps_opens_the_session_it_opens_in_one_go() {
        let code = link();
        let stored = || Ok(saved_session());
        let host = || -> Rc<dyn Host> { Rc::new(Headless) };
        let budget = ReplayBudget::default();
        let at_once = Workbench::open_link(&code, stored(), START, host(), Some(&budget))
            .unwrap_or_else(|_| panic!("within the budget"));
        let LinkStart::Replaying(mut replay) =
            Workbench::start_link(&code, stored(), START, host(), Some(&budget))
        else {
            panic!("a readable link within the budget replays");
        };
        assert_eq!(replay.progress(), (0, 30));
        let mut slices = 0;
        while !replay.step(7) {
            slices += 1;
            let (done, total) = replay.progress();
            assert!(done <= total);
        }
        assert_eq!(slices, 4, "30 entries, 7 a slice");
        let stepped = Workbench::finish_link(replay, stored(), START, host())
            .unwrap_or_else(|_| panic!("within the budget"));
        assert_eq!(stepped.snapshot_text(), at_once.snapshot_text());
        assert!(
            stepped.set_aside.is_some(),
            "the saved session is kept aside"
        );
    }

    #[test]
    fn a_cancelled_replay_leaves_the_readers_session_as_it_was() {
        let code = link();
        let stored = saved_session();
        let mut mine = Workbench::open(Start::Stored(Ok(stored.clone())), START, Rc::new(Headless));
        let before = mine.snapshot_text();
        let LinkStart::Replaying(mut replay) = Workbench::start_link(
            &code,
            Ok(stored),
            START,
            Rc::new(Headless),
            Some(&ReplayBudget::default()),
        ) else {
            panic!("a readable link within the budget replays");
        };
        replay.step(10);
        let (done, total) = replay.progress();
        drop(replay);
        mine.link_replay_cancelled(done, total);
        assert!(mine.playground.cluster.topic("mine").is_some());
        assert!(mine.playground.cluster.topic("t0").is_none());
        assert_eq!(
            mine.snapshot_text(),
            before,
            "nothing of the link in the session"
        );
        assert!(mine.text_to_keep().is_none(), "nothing to write on leaving");
        let last = mine.tabs[0]
            .lines
            .back()
            .map(|l| l.text.clone())
            .unwrap_or_default();
        assert_eq!(
            last,
            "[playground] The shared session's replay was cancelled after 10 of 30 entries; nothing of it was kept. Your own session is open as it was; open the link again to replay it."
        );
    }
}
