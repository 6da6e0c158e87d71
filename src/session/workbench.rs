//! The workbench: the playground, its terminal tabs and everything around them (journal,
//! undo, pasted lines, lesson, save policy). [`Workbench::apply`] is the one place a face
//! changes it.

use std::rc::Rc;

use super::{
    Action, Group, Headless, Host, Lease, LessonFetch, LessonRun, LineKind, Metrics, Progress,
    SaveError, SavePolicy, SetAside, Stored, Tab, UndoStack,
};
use crate::console::{Playground, Prompt, Terminal};
use crate::engine::{Cluster, ClusterConfig};
use crate::share::{EmbedConfig, Journal, Kind};
use crate::snapshot::Snapshot;

/// The most terminal tabs open at once.
pub const MAX_TABS: usize = 6;

pub struct Workbench {
    pub playground: Playground,
    pub tabs: Vec<Tab>,
    pub active: usize,
    pub(super) next_tab: usize,
    /// Wall-clock milliseconds at the last tick: the cluster clock moves by the difference.
    pub(super) last_wall_ms: f64,
    /// The lesson being followed, if any.
    pub lesson: Option<LessonRun>,
    /// A built-in lesson whose file is being fetched (or failed to be), and what then.
    pub lesson_fetch: Option<LessonFetch>,
    /// The built-in lessons this page has fetched (id, Markdown): opening one again needs no
    /// fetch.
    pub(super) fetched: Vec<(&'static str, String)>,
    /// Steps done per lesson id (the catalog's progress).
    pub progress: Progress,
    /// Whether the lesson panel (catalog or lesson) is open.
    pub lessons_open: bool,
    pub(super) undo: UndoStack,
    pub(super) save: SavePolicy,
    /// Everything typed, for share links and the script export (`None`: a session restored
    /// from before journals existed).
    pub journal: Option<Journal>,
    /// What the last command in the active tab printed (the JavaScript API returns it).
    pub last_output: String,
    /// Set when the page is an embedded widget: its own cluster, never saved.
    pub embed: Option<EmbedConfig>,
    /// Set when that widget shares its cluster with others on the page (`data-cluster`).
    pub group: Option<Group>,
    /// Runs the page's buttons' `playground` commands while a tool holds the active tab.
    pub(super) control_terminal: Terminal,
    /// Throughput and lag samples for the charts, and when the last one was taken.
    pub metrics: Metrics,
    pub(super) last_sample_ms: f64,
    /// Pasted lines not entered yet, and the tab they were pasted into.
    pub(super) pasted: (usize, super::commands::Pasted),
    /// Whether anything was typed since the page started (a late-arriving saved session
    /// must not replace it).
    pub(super) touched: bool,
    pub(super) host: Rc<dyn Host>,
    /// Whether this page writes the saved session (one tab of a site at a time).
    pub lease: Lease,
    /// The generation of the last save this session's state builds on (see `stored`).
    pub(super) generation: u64,
    /// A saved session to keep among the recent ones before this one is first saved (the
    /// face takes it at once).
    pub set_aside: Option<SetAside>,
    /// A lesson or course file a link asked for, being fetched (or why it could not be).
    pub link_fetch: Option<super::LinkFetch>,
    /// The course being followed (`#course-url=`).
    pub course: Option<crate::lesson::link::Course>,
    /// An author's preview: whether the lesson file opened last passes `kplay --check`, and
    /// its report.
    pub check_report: Option<(bool, String)>,
}

/// How a page starts its session.
pub enum Start {
    /// A fresh cluster.
    Fresh,
    /// A widget in a docs page (`#embed=…`).
    Embed(EmbedConfig),
    /// A widget whose settings could not be read, and why: it shows the error and nothing
    /// else — never the full app, never this browser's saved session.
    EmbedRefused(String),
    /// A share link's code (`#s=…`), and what storage answered (the session the link opens
    /// beside: kept as a recent session, or opened instead when the link cannot be).
    Link(String, Result<Stored, String>),
    /// What storage answered: the saved snapshot's text (or none), or why it is unreadable.
    Stored(Result<Stored, String>),
}

/// What applying an action did, and what the face should now carry out.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// Something the page shows changed: draw again.
    pub changed: bool,
    /// The session should be written to storage now ([`Workbench::snapshot_text`]).
    pub save: bool,
    /// Messages for the other widgets of this one's group.
    pub outgoing: Vec<crate::widget_group::Message>,
}

const WELCOME: [&str; 5] = [
    "Kafka Playground — a 3-broker Kafka cluster (KRaft) running in this page.",
    "Type the commands from any Kafka tutorial; the bootstrap server is localhost:9092. Type 'help' for more.",
    "Try: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic quickstart-events --partitions 3",
    "Open another terminal with + to run a second consumer or a producer side by side.",
    "Tab completes names and options; Esc then Tab leaves the console for the page's other controls.",
];

impl Workbench {
    /// A fresh session with no page around it.
    pub fn new(now_ms: f64) -> Self {
        Workbench::fresh(now_ms, Rc::new(Headless))
    }

    pub(super) fn fresh(now_ms: f64, host: Rc<dyn Host>) -> Self {
        let cluster = Cluster::new(ClusterConfig {
            start_ms: now_ms as i64,
            ..ClusterConfig::default()
        });
        let mut first = Tab::new(1);
        for note in WELCOME {
            first.push(LineKind::Note, note);
        }
        Workbench {
            playground: Playground::new(cluster),
            tabs: vec![first],
            active: 0,
            next_tab: 2,
            last_wall_ms: now_ms,
            lesson: None,
            lesson_fetch: None,
            fetched: Vec::new(),
            progress: Progress::new(),
            lessons_open: false,
            undo: UndoStack::default(),
            save: SavePolicy::default(),
            metrics: Default::default(),
            last_sample_ms: 0.0,
            journal: Some(Journal::new(now_ms as i64, 3)),
            control_terminal: Terminal::new(),
            last_output: String::new(),
            embed: None,
            pasted: Default::default(),
            group: None,
            touched: false,
            host,
            lease: Lease::Writer,
            generation: 0,
            set_aside: None,
            link_fetch: None,
            course: None,
            check_report: None,
        }
    }

    /// The session a page starts with: a widget's, a share link's, the one kept in storage,
    /// or a fresh one (with a note saying why, when what was asked for cannot be opened).
    pub fn open(start: Start, now_ms: f64, host: Rc<dyn Host>) -> Self {
        match start {
            Start::Fresh => Workbench::fresh(now_ms, host),
            Start::Embed(config) => Workbench::embedded(config, now_ms, host),
            Start::EmbedRefused(why) => {
                let config = EmbedConfig {
                    brokers: 3,
                    readonly: true,
                    refused: true,
                    ..EmbedConfig::default()
                };
                let mut wb = Workbench::embedded(config, now_ms, host);
                wb.tabs[0].push(
                    LineKind::Stderr,
                    &format!("[playground] This embedded console cannot start: {why}. The page that embeds it must fix its settings."),
                );
                wb
            }
            Start::Link(code, stored) => Workbench::from_link(&code, stored, now_ms, host),
            // Storage failed to read (not a damaged snapshot): what it holds cannot be set
            // aside, so nothing is written over it from this page.
            Start::Stored(Err(why)) => {
                let mut wb = Workbench::fresh(now_ms, host);
                wb.save.keep_off();
                wb.tabs[0].push(
                    LineKind::Stderr,
                    &format!("Your saved session could not be read: {why}. It is left as it is in this browser, and this page saves nothing over it: reload to try again, or export this page's work as a file (Export). Starting with a fresh cluster."),
                );
                wb
            }
            Start::Stored(Ok(stored)) => {
                let generation = stored.meta.generation;
                let mut wb = match &stored.text {
                    None => Workbench::fresh(now_ms, host),
                    Some(text) => match crate::snapshot::parse(text) {
                        Ok(snapshot) => {
                            let origin = match stored.meta.saved_at_ms {
                                Some(at) => format!(
                                    "from this browser, as saved {} (by this computer's clock)",
                                    ago(now_ms - at)
                                ),
                                None => "from this browser".to_string(),
                            };
                            Workbench::restore(snapshot, now_ms, host, &origin)
                        }
                        // Kept aside before anything else is saved: the user may export it.
                        Err(why) => {
                            let mut wb = Workbench::fresh(now_ms, host);
                            wb.tabs[0].push(
                                LineKind::Stderr,
                                &format!("Your saved session could not be read: {why}. It is kept aside in this browser (Sessions: export it as a file); starting with a fresh cluster."),
                            );
                            wb.set_aside = Some(SetAside {
                                text: text.clone(),
                                meta: stored.meta.clone(),
                                readable: false,
                            });
                            wb
                        }
                    },
                };
                wb.generation = generation;
                wb
            }
        }
    }

    /// A workbench from a snapshot (browser storage or an imported file).
    pub(super) fn restore(
        snapshot: Snapshot,
        now_ms: f64,
        host: Rc<dyn Host>,
        origin: &str,
    ) -> Self {
        let mut playground = snapshot.playground;
        let mut tabs: Vec<Tab> = snapshot
            .tabs
            .into_iter()
            .map(|t| {
                let shell = t.shell.unwrap_or_default();
                Tab::with_terminal(t.id, Terminal::restored(t.history, shell))
            })
            .collect();
        if tabs.is_empty() {
            tabs.push(Tab::new(1));
        }
        let topics = playground
            .cluster
            .topics()
            .filter(|t| !t.is_internal())
            .count();
        // Connect workers ran in the page's terminals: they stopped with it.
        let mut stopped = playground.connect.workers_gone();
        stopped.extend(playground.streams.apps_gone());
        let stopped = if stopped.is_empty() {
            String::new()
        } else {
            format!(
                " Stopped when the page closed: {} (start it again: Connect's sources resume from the offsets file, a Streams application from its group's committed offsets).",
                stopped.join(", ")
            )
        };
        tabs[0].push(
            LineKind::Note,
            &format!(
                "Restored your session {origin}: {topics} topic(s), your files and command history (↑). Not restored: the scrollback, and any tool that was running (it stopped when the page closed).{stopped} Type 'playground reset' for a fresh cluster."
            ),
        );
        let next_tab = tabs.iter().map(|t| t.id).max().unwrap_or(1) + 1;
        // Everything not saved starts as in a fresh workbench.
        let mut wb = Workbench {
            active: snapshot.active.min(tabs.len() - 1),
            playground,
            tabs,
            next_tab,
            progress: snapshot.progress,
            journal: snapshot.journal,
            course: snapshot.course,
            ..Workbench::fresh(now_ms, host)
        };
        wb.reopen();
        if let Some(saved) = snapshot.lesson {
            wb.resume_lesson(saved);
        }
        wb
    }

    /// What a closed page leaves of its session when it comes back from storage (and what a
    /// replay does at the journal's `Reload`): the tools that ran are gone without a goodbye
    /// (their groups notice), each tab has a new shell with its history, variables and
    /// directory, nothing waits to be entered and nothing can be undone.
    pub(super) fn reopen(&mut self) {
        self.record(0, Kind::Reload, "");
        self.playground.cluster.clients_gone();
        self.playground.connect.workers_gone();
        self.playground.streams.apps_gone();
        for tab in &mut self.tabs {
            // The tab's variables and directory are saved with it and come back too.
            let history = tab.terminal.history().to_vec();
            let shell = tab.terminal.shell().clone();
            tab.terminal = Terminal::restored(history, shell);
        }
        self.control_terminal = Terminal::new();
        self.undo = UndoStack::default();
        self.pasted.1.clear();
    }

    /// A widget in a docs page: a fresh cluster of the asked size, the page's commands run
    /// (shown or not), a lesson opened if asked.
    fn embedded(config: EmbedConfig, now_ms: f64, host: Rc<dyn Host>) -> Self {
        // A later widget of a shared cluster holds no cluster: it shows the first one's.
        if !config.cluster.is_empty() && config.member > 0 {
            return Workbench::group_member(config, now_ms, host);
        }
        let mut wb = Workbench::fresh(now_ms, host);
        wb.tabs[0].clear();
        if config.brokers != 3 {
            wb.playground = Playground::new(Cluster::new(ClusterConfig {
                brokers: config.brokers,
                start_ms: now_ms as i64,
                ..ClusterConfig::default()
            }));
            wb.journal = Some(Journal::new(now_ms as i64, config.brokers));
        }
        if !config.lesson.is_empty() {
            // The rest of the setup runs on the lesson's cluster, so it waits for the lesson's
            // file; meanwhile the page is laid out (and never saved) as a widget.
            wb.embed = Some(config.clone());
            let id = config.lesson.clone();
            wb.open_built_in(&id, super::AfterFetch::Embed(config));
            return wb;
        }
        wb.finish_embed(config);
        wb
    }

    /// A widget's setup after its lesson (if any) started: its commands, then its group.
    pub(super) fn finish_embed(&mut self, config: EmbedConfig) {
        let note = config.cluster_refused.as_ref().map(|why| {
            format!("[playground] data-cluster is not used: {why}. This widget has a cluster of its own.")
        });
        self.active = 0;
        self.queue_setup(&config.commands, !config.show_commands, note);
        if !config.cluster.is_empty() {
            self.start_group(&config);
        }
        self.embed = Some(config);
        self.run_setups();
    }

    /// Queues a widget's commands in the active tab; [`Self::run_setups`] runs them.
    pub(super) fn queue_setup(&mut self, commands: &[String], clear: bool, note: Option<String>) {
        let tab = self.tab_mut();
        tab.setup.extend(commands.iter().cloned());
        tab.after_setup = Some(super::tab::AfterSetup { clear, note });
    }

    /// Runs queued setup commands, tab by tab in page order, each once the one before has
    /// finished (as `kplay` runs a script): a later widget's commands see an earlier one's
    /// topics, and a consumer that runs for a while does not swallow the next command.
    pub(super) fn run_setups(&mut self) -> bool {
        // Every tick asks: most sessions never have a setup to run.
        if self
            .tabs
            .iter()
            .all(|t| t.setup.is_empty() && t.after_setup.is_none())
        {
            return false;
        }
        let own = self.active;
        let mut ran = false;
        for index in 0..self.tabs.len() {
            self.active = index;
            while matches!(self.tab().terminal.prompt(), Prompt::Shell) {
                let Some(command) = self.tab_mut().setup.pop_front() else {
                    break;
                };
                self.enter(&command);
                ran = true;
            }
            let tab = self.tab_mut();
            if !tab.setup.is_empty() || !matches!(tab.terminal.prompt(), Prompt::Shell) {
                if tab.after_setup.is_some() {
                    // Still running: the tabs after this one wait for it.
                    break;
                }
                continue;
            }
            if let Some(after) = tab.after_setup.take() {
                if after.clear {
                    tab.clear();
                }
                if let Some(note) = after.note {
                    tab.push(LineKind::Stderr, &note);
                }
                ran = true;
            }
        }
        self.active = own.min(self.tabs.len().saturating_sub(1));
        ran
    }

    /// Replays a share link's journal on a fresh cluster, keeping the saved session aside as a
    /// recent one; a bad link is reported and the saved session opens instead.
    fn from_link(
        link: &str,
        stored: Result<Stored, String>,
        now_ms: f64,
        host: Rc<dyn Host>,
    ) -> Self {
        match Workbench::open_link(link, stored, now_ms, host.clone(), None) {
            Ok(wb) => wb,
            // Without a budget nothing needs consent.
            Err(_) => Workbench::fresh(now_ms, host),
        }
    }

    /// A share link's session, replayed within `budget`, or what the reader must consent to
    /// first (nothing has replaced anything then). `None`: the reader consented, the link
    /// replays whatever it holds. A link that cannot be read opens the saved session (or a
    /// fresh one) saying so. (The page runs the same in slices: `session::link_replay`.)
    pub fn open_link(
        link: &str,
        stored: Result<Stored, String>,
        now_ms: f64,
        host: Rc<dyn Host>,
        budget: Option<&super::ReplayBudget>,
    ) -> Result<Self, Vec<super::Excess>> {
        match Workbench::start_link(link, stored.clone(), now_ms, host.clone(), budget) {
            super::LinkStart::Opened(wb) => Ok(*wb),
            super::LinkStart::Consent(over) => Err(over),
            super::LinkStart::Replaying(mut replay) => {
                while !replay.step(usize::MAX) {}
                Workbench::finish_link(replay, stored, now_ms, host)
            }
        }
    }

    /// The page around this session.
    pub fn host(&self) -> &dyn Host {
        self.host.as_ref()
    }

    /// The one way a face changes the session.
    pub fn apply(&mut self, action: Action) -> Applied {
        if matches!(action, Action::ApiRun(_)) {
            self.last_output.clear();
        }
        let (changed, save) = self.apply_action(action);
        Applied {
            changed,
            save,
            outgoing: self.group_outgoing(),
        }
    }

    /// The results a learner hands in for the lesson in progress (none without one).
    pub fn results(&self, learner: &str) -> Option<crate::lesson::results::Results> {
        let run = self.lesson.as_ref()?;
        Some(crate::lesson::results::Results::new(
            learner,
            vec![run.result(self.last_wall_ms)],
        ))
    }

    /// A widget whose page made it read-only (`data-readonly`): the reader may look, scroll
    /// and read the lesson, but changes nothing.
    pub fn read_only(&self) -> bool {
        self.embed.as_ref().is_some_and(|e| e.readonly)
    }

    /// Returns (whether the page changed, whether to save now).
    fn apply_action(&mut self, action: Action) -> (bool, bool) {
        if self.read_only() && action.changes_as_reader() {
            return (false, false);
        }
        let tick = matches!(action, Action::Tick(_));
        let quiet = matches!(
            action,
            Action::Tick(_)
                | Action::Refresh
                | Action::SaveFailed(_)
                | Action::Restored(_)
                | Action::Lease(_)
        );
        if !quiet {
            self.save.changed();
            self.touched = true;
        }
        // A widget showing another's cluster: what the reader does goes to that one.
        if self.is_group_member() {
            let changed = self.member_action(action);
            return (changed, false);
        }
        let mut due = false;
        match action {
            Action::Enter(line) => self.enter(&line),
            Action::Paste(text) => self.paste(&text),
            Action::Control(command) => self.control(&command),
            Action::RunCommand(command) => self.run_command(&command),
            Action::ApiRun(command) => self.enter(&command),
            Action::Import(text) => self.import(&text),
            Action::Share => self.share(),
            Action::Refresh => {}
            Action::Group(message) => self.owner_receive(message),
            Action::HostRun { .. } | Action::GroupWaiting => {}
            Action::ShowCompletions(line, candidates) => {
                let prompt = self.prompt();
                let tab = self.tab_mut();
                tab.push(LineKind::Input, &format!("{prompt}{line}"));
                tab.push(LineKind::Note, &candidates.join("  "));
            }
            Action::Lesson(action) => self.lesson_action(action),
            Action::Interrupt => self.interrupt(),
            Action::EndOfInput => self.end_of_input(),
            Action::EndOfScript => self.end_of_script(),
            Action::Clear => self.tab_mut().clear(),
            Action::NewTab => self.new_tab(),
            Action::SelectTab(i) => self.active = i.min(self.tabs.len() - 1),
            Action::CloseTab(i) => self.close_tab(i),
            Action::Restored(stored) => {
                // Typing started on the fresh session meanwhile: that work is kept.
                if self.touched || self.embed.is_some() {
                    return (false, false);
                }
                let host = self.host.clone();
                let lease = self.lease;
                *self = Workbench::open(Start::Stored(stored), self.last_wall_ms, host);
                self.lease = lease;
            }
            Action::SaveFailed(SaveError::Refused(why)) => {
                self.save.not_kept();
                if !self.save.fail() {
                    return (false, false);
                }
                self.tab_mut().push(
                    LineKind::Stderr,
                    &format!("[playground] Your session cannot be saved in this browser: {why}. It keeps working until you close the page."),
                );
            }
            Action::SaveFailed(SaveError::Newer(_)) => {
                if self.lease == Lease::Stale {
                    return (false, false);
                }
                self.lease = Lease::Stale;
                self.tab_mut().push(
                    LineKind::Stderr,
                    "[playground] Newer work on this session was saved in another tab, so this tab no longer saves (nothing was written over it). Reload to continue from the newer work.",
                );
            }
            Action::Lease(lease) => {
                if self.lease == lease {
                    return (false, false);
                }
                self.lease = lease;
                return (true, false);
            }
            Action::Tick(now) => {
                let busy = self.busy();
                let (printed, save) = self.tick(now);
                // Time alone can complete a step (a follower drops out of the ISR).
                let lesson_changed = self.check_lesson();
                let sampled = self.sample_metrics(now);
                due = save;
                // Nothing to show: nothing to draw again.
                if !busy && !printed && !lesson_changed && !sampled {
                    return (false, due);
                }
                // A new chart point alone is not worth saving the session for.
                if busy || printed || lesson_changed {
                    self.save.changed();
                }
            }
        }
        // A tick has checked the lesson already.
        if !tick {
            self.check_lesson();
        }
        (true, self.request_save() || due)
    }

    /// A short summary of the cluster for the JavaScript API: `{"brokers": [{"id", "running"}],
    /// "groups", "timeMs", "topics": [{"name", "partitions", "records", "replicationFactor"}]}`
    /// (keys in sorted order: serde_json's `Value` keeps them so).
    pub fn api_state(&self) -> String {
        let c = &self.playground.cluster;
        let topics: Vec<serde_json::Value> = c
            .topics()
            .filter(|t| !t.is_internal())
            .map(|t| {
                serde_json::json!({
                    "name": t.name(),
                    "partitions": t.partitions().len(),
                    "replicationFactor": t.replication_factor(),
                    "records": t.partitions().iter().map(|p| p.log().len()).sum::<usize>(),
                })
            })
            .collect();
        let brokers: Vec<serde_json::Value> = c
            .brokers()
            .iter()
            .map(|b| serde_json::json!({"id": b.id, "running": b.running}))
            .collect();
        serde_json::json!({
            "timeMs": c.now_ms(),
            "brokers": brokers,
            "topics": topics,
            "groups": c.group_ids(),
        })
        .to_string()
    }

    /// The tab being typed into.
    pub fn tab(&self) -> &Tab {
        &self.tabs[self.active.min(self.tabs.len() - 1)]
    }

    pub fn tab_mut(&mut self) -> &mut Tab {
        let i = self.active.min(self.tabs.len() - 1);
        &mut self.tabs[i]
    }

    pub fn prompt(&self) -> String {
        self.tab().prompt()
    }
}

/// A wall-clock age in words, for the restore message ("3 minutes ago").
fn ago(ms: f64) -> String {
    let s = (ms / 1_000.0).max(0.0) as u64;
    let (n, unit) = match s {
        0..60 => return "less than a minute ago".to_string(),
        60..3_600 => (s / 60, "minute"),
        3_600..86_400 => (s / 3_600, "hour"),
        _ => (s / 86_400, "day"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// A link whose session had more tabs open at once than the page allows is refused: the page
/// could not show them, and a crafted link could open thousands.
pub(super) fn within_tab_limit(journal: Journal) -> Result<Journal, String> {
    let mut open = std::collections::BTreeSet::from([1]);
    for e in journal.entries.iter().filter(|e| e.tab != 0) {
        open.insert(e.tab);
        if open.len() > MAX_TABS {
            return Err(format!(
                "it opens more than {MAX_TABS} tabs at once, the most the page shows"
            ));
        }
        if e.kind == Kind::Close && open.len() > 1 {
            open.remove(&e.tab);
        }
    }
    Ok(journal)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_age_is_said_in_the_largest_whole_unit() {
        assert_eq!(super::ago(5_000.0), "less than a minute ago");
        assert_eq!(
            super::ago(-5_000.0),
            "less than a minute ago",
            "a clock set back"
        );
        assert_eq!(super::ago(60_000.0), "1 minute ago");
        assert_eq!(super::ago(7_500_000.0), "2 hours ago");
        assert_eq!(super::ago(3.0 * 86_400_000.0), "3 days ago");
    }
}
