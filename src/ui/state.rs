//! The workbench state behind the page: the playground, its terminal and the scrollback.
//! One reducer applies every [`Action`]; the engine is mutated in place behind an `Rc`, and the
//! version number tells Yew that something changed.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::lesson_fetch::{AfterFetch, LessonFetch};
use super::lesson_run::{LessonRun, LessonSource, Progress, SavedLesson};
use crate::console::session::WallClock;
use crate::console::{Output, Playground, Prompt, Stream, Terminal};
use crate::engine::{Cluster, ClusterConfig};
use crate::share::{Journal, Kind};

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

/// One terminal tab: its own shell, history and scrollback, over the shared playground — like
/// several terminal windows on one machine.
pub struct Tab {
    pub id: usize,
    pub terminal: Terminal,
    pub lines: std::collections::VecDeque<Line>,
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
    pub(super) fn new(id: usize) -> Self {
        Tab::with_terminal(id, Terminal::new())
    }

    fn with_terminal(id: usize, terminal: Terminal) -> Self {
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

    pub(super) fn clear(&mut self) {
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
            // The owner shows its shell prompt as `$ ` (see `prompt`).
            Some(m) => m.prompt == "$ ",
            None => matches!(self.terminal.prompt(), Prompt::Shell),
        }
    }

    pub(super) fn push(&mut self, kind: LineKind, text: &str) {
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

    fn append(&mut self, out: Output) {
        super::api::emit(self.id, &out);
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
            Prompt::Shell => "$ ".into(),
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

pub struct Workbench {
    pub playground: Playground,
    pub tabs: Vec<Tab>,
    pub active: usize,
    next_tab: usize,
    /// Wall-clock milliseconds at the last tick: the cluster clock moves by the difference.
    last_wall_ms: f64,
    /// Whether saving already failed once (reported once, then the session lives in memory).
    save_failed: bool,
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
    /// The playground before each of the last state-changing commands, for `undo`.
    undo: Vec<(String, Playground)>,
    /// Wall-clock time of the last save, and whether a change waits to be saved.
    last_save_ms: f64,
    save_pending: bool,
    /// How far apart saves are: [`SAVE_INTERVAL_MS`], or longer for a session whose snapshot
    /// takes long to write, so a huge session spends at most a tenth of the page's time saving.
    save_interval_ms: f64,
    /// Something worth saving changed since the last render.
    dirty: bool,
    /// Everything typed, for share links and the script export (`None`: a session restored
    /// from before journals existed).
    pub journal: Option<Journal>,
    /// What the last command in the active tab printed (the JavaScript API returns it).
    pub last_output: String,
    /// Set when the page is an embedded widget: its own cluster, never saved.
    pub embed: Option<crate::share::EmbedConfig>,
    /// Set when that widget shares its cluster with others on the page (`data-cluster`).
    pub group: Option<super::widget_group::Group>,
    /// Runs the page's buttons' `playground` commands while a tool holds the active tab.
    control_terminal: Terminal,
    /// Throughput and lag samples for the charts, and when the last one was taken.
    pub metrics: super::metrics::Metrics,
    last_sample_ms: f64,
    /// Pasted lines not entered yet, and the tab they were pasted into.
    pasted: (usize, std::collections::VecDeque<String>),
}

/// Saves are at least this far apart (wall-clock ms); a pending one is written on a tick.
const SAVE_INTERVAL_MS: f64 = 1_000.0;
/// The snapshot size above which the session is not written to browser storage (estimated
/// before serializing: `Playground::json_size_hint`): a JavaScript string holds at most about
/// 500 million characters, and the text is in wasm memory and in the browser's at once.
const MAX_SAVED_CHARS: usize = 256_000_000;

use crate::share::{MAX_UNDO, UNDO_MAX_RECORDS};

/// The most simulated time one tick may move the clock.
const MAX_CATCH_UP_MS: f64 = 86_400_000.0;

/// Lines of a paste entered per tick: a huge paste (a file's worth of records into a producer)
/// goes in over several ticks, so the page answers meanwhile and Ctrl+C drops the rest.
const PASTE_SLICE_LINES: usize = 2_000;

/// The most terminal tabs open at once.
pub const MAX_TABS: usize = 6;

impl Workbench {
    pub fn new(now_ms: f64) -> Self {
        let cluster = Cluster::new(ClusterConfig {
            start_ms: now_ms as i64,
            ..ClusterConfig::default()
        });
        let mut first = Tab::new(1);
        for note in [
            "Kafka Playground — a 3-broker Kafka cluster (KRaft) running in this page.",
            "Type the commands from any Kafka tutorial; the bootstrap server is localhost:9092. Type 'help' for more.",
            "Try: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic quickstart-events --partitions 3",
            "Open another terminal with + to run a second consumer or a producer side by side.",
        ] {
            first.push(LineKind::Note, note);
        }
        Workbench {
            playground: Playground::new(cluster),
            tabs: vec![first],
            active: 0,
            next_tab: 2,
            last_wall_ms: now_ms,
            save_failed: false,
            lesson: None,
            lesson_fetch: None,
            fetched: Vec::new(),
            progress: Progress::new(),
            lessons_open: false,
            undo: Vec::new(),
            last_save_ms: 0.0,
            save_pending: false,
            save_interval_ms: SAVE_INTERVAL_MS,
            dirty: false,
            metrics: Default::default(),
            last_sample_ms: 0.0,
            journal: Some(Journal::new(now_ms as i64, 3)),
            control_terminal: Terminal::new(),
            last_output: String::new(),
            embed: None,
            pasted: Default::default(),
            group: None,
        }
    }

    /// The session saved in this browser, or a fresh one (with a note saying why).
    pub fn load(now_ms: f64) -> Self {
        // An embedded widget: its own cluster, set up by the docs page, never saved.
        if let Some(config) = super::share_link::embed_from_location() {
            return Workbench::embedded(config, now_ms);
        }
        // A share link wins over what this browser kept: it was opened to see that session.
        if let Some(link) = super::share_link::take_from_location() {
            return Workbench::from_link(&link, now_ms);
        }
        match super::storage::load() {
            Ok(None) => Workbench::new(now_ms),
            Err(why) => {
                let mut wb = Workbench::new(now_ms);
                wb.tabs[0].push(
                    LineKind::Stderr,
                    &format!("Your saved session could not be read: {why}. Starting with a fresh cluster."),
                );
                wb
            }
            Ok(Some(snapshot)) => Workbench::restore(snapshot, now_ms, "from this browser"),
        }
    }

    /// A workbench from a snapshot (browser storage or an imported file).
    fn restore(snapshot: super::storage::Snapshot, now_ms: f64, origin: &str) -> Self {
        let mut playground = snapshot.playground;
        // The consumers that ran in the closed page are gone; their groups notice.
        playground.cluster.clients_gone();
        let mut tabs: Vec<Tab> = snapshot
            .tabs
            .into_iter()
            .map(|t| Tab::with_terminal(t.id, Terminal::with_history(t.history)))
            .collect();
        if tabs.is_empty() {
            tabs.push(Tab::new(1));
        }
        let topics = playground
            .cluster
            .topics()
            .filter(|t| !t.is_internal())
            .count();
        tabs[0].push(
            LineKind::Note,
            &format!(
                "Restored your session {origin}: {topics} topic(s), your files and command history (↑). Type 'playground reset' for a fresh cluster."
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
            ..Workbench::new(now_ms)
        };
        if let Some(saved) = snapshot.lesson {
            wb.resume_lesson(saved);
        }
        wb
    }

    /// Continues the lesson saved with the session: a file's at once, a built-in one when its
    /// file has been fetched. A lesson that cannot be read any more is dropped, as is one this
    /// site no longer has.
    fn resume_lesson(&mut self, saved: SavedLesson) {
        match &saved.source {
            LessonSource::BuiltIn(id) => {
                let id = id.clone();
                self.open_built_in(&id, AfterFetch::Resume(saved));
            }
            LessonSource::File(text) => {
                if let Ok(lesson) = crate::lesson::Lesson::parse(text) {
                    let mut run = LessonRun::resume(lesson, saved);
                    run.evaluate(&self.playground);
                    self.lesson = Some(run);
                    self.lessons_open = true;
                }
            }
        }
    }

    /// A widget in a docs page: a fresh cluster of the asked size, the page's commands run
    /// (shown or not), a lesson opened if asked.
    fn embedded(config: crate::share::EmbedConfig, now_ms: f64) -> Self {
        // A later widget of a shared cluster holds no cluster: it shows the first one's.
        if !config.cluster.is_empty() && config.member > 0 {
            return Workbench::group_member(config, now_ms);
        }
        let mut wb = Workbench::new(now_ms);
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
            wb.open_built_in(&id, AfterFetch::Embed(config));
            return wb;
        }
        wb.finish_embed(config);
        wb
    }

    /// A widget's setup after its lesson (if any) started: its commands, then its group.
    pub(super) fn finish_embed(&mut self, config: crate::share::EmbedConfig) {
        for command in &config.commands {
            self.enter(command);
        }
        if !config.show_commands {
            self.tabs[0].clear();
        }
        if let Some(why) = &config.cluster_refused {
            self.tabs[0].push(
                LineKind::Stderr,
                &format!("[playground] data-cluster is not used: {why}. This widget has a cluster of its own."),
            );
        }
        if !config.cluster.is_empty() {
            self.start_group(&config);
        }
        self.embed = Some(config);
    }

    /// Runs a command for the JavaScript API (as if typed) and returns what it printed.
    pub fn api_run(&mut self, command: &str) -> String {
        self.last_output.clear();
        self.enter(command);
        self.dirty = true;
        std::mem::take(&mut self.last_output)
    }

    /// A short summary of the cluster for the JavaScript API: `{"brokers": [{"id", "running"}],
    /// "groups", "timeMs", "topics": [{"name", "partitions", "records", "replicationFactor"}]}`.
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

    /// Replays a share link's journal on a fresh cluster; a bad link is reported and a fresh
    /// session starts instead.
    fn from_link(link: &str, now_ms: f64) -> Self {
        let journal = match Journal::decode(link) {
            Ok(j) => j,
            Err(why) => {
                let mut wb = Workbench::new(now_ms);
                wb.tabs[0].push(
                    LineKind::Stderr,
                    &format!("[playground] The share link could not be opened: {why}. Starting with a fresh cluster."),
                );
                return wb;
            }
        };
        let replayed = crate::share::replay(&journal);
        let mut wb = Workbench::new(now_ms);
        wb.playground = replayed.playground;
        let mut tabs: Vec<Tab> = replayed
            .tabs
            .into_iter()
            .filter(|(id, _, _)| *id != 0)
            .map(|(id, terminal, out)| {
                let mut tab = Tab::with_terminal(id, terminal);
                tab.append(out);
                tab
            })
            .collect();
        if tabs.is_empty() {
            tabs.push(Tab::new(1));
        }
        let commands = journal
            .entries
            .iter()
            .filter(|e| e.kind == Kind::Line)
            .count();
        tabs[0].push(
            LineKind::Note,
            &format!("[playground] Opened a shared session: {commands} line(s) replayed on a fresh cluster, exactly as they ran. It replaces the session this browser kept."),
        );
        wb.next_tab = tabs.iter().map(|t| t.id).max().unwrap_or(1) + 1;
        wb.tabs = tabs;
        // Time moved on in the replay: the page's clock continues from there.
        wb.journal = Some(journal);
        wb.dirty = true;
        wb
    }

    /// A share link for this session, or why there is none.
    fn share(&mut self) {
        let message = match &self.journal {
            None => Err("this session was restored from before share links existed; Export saves it as a file".to_string()),
            Some(j) => {
                let code = j.encode();
                if code.len() > crate::share::MAX_LINK_CHARS {
                    Err(format!("this session is too long for a link ({} characters); Export saves it as a file instead", code.len()))
                } else {
                    Ok(super::share_link::url_for(&code))
                }
            }
        };
        let tab = self.tab_mut();
        match message {
            Ok(url) => {
                super::share_link::copy(&url);
                tab.push(LineKind::Note, "[playground] Share link (copied to the clipboard where the browser allows): opening it replays this session on a fresh cluster.");
                tab.push(LineKind::Stdout, &url);
            }
            Err(why) => tab.push(
                LineKind::Stderr,
                &format!("[playground] No share link: {why}."),
            ),
        }
    }

    /// The session's commands as a bash script for a real cluster.
    pub fn script(&self) -> Option<String> {
        self.journal.as_ref().map(crate::share::to_script)
    }

    /// The session as a snapshot (what is saved, exported and imported).
    pub fn snapshot(&self) -> super::storage::Snapshot {
        super::storage::Snapshot {
            format: super::storage::FORMAT,
            playground: self.playground.clone(),
            tabs: self
                .tabs
                .iter()
                .map(|t| super::storage::SavedTab {
                    id: t.id,
                    history: t.terminal.history().to_vec(),
                })
                .collect(),
            active: self.active,
            // A lesson still being fetched after a reload is kept as it was saved.
            lesson: self.lesson.as_ref().map(LessonRun::save).or_else(|| {
                self.lesson_fetch
                    .as_ref()
                    .and_then(LessonFetch::saved)
                    .cloned()
            }),
            progress: self.progress.clone(),
            journal: self.journal.clone(),
        }
    }

    /// Replaces the session with an exported one; a file that is not one is reported.
    fn import(&mut self, text: &str) {
        match super::storage::parse(text) {
            Ok(snapshot) => {
                let now = self.last_wall_ms;
                *self = Workbench::restore(snapshot, now, "from the imported file");
            }
            Err(why) => self.tab_mut().push(
                LineKind::Stderr,
                &format!("[playground] That file could not be imported: {why}. Your session is unchanged."),
            ),
        }
    }

    /// Asks for the session to be saved: at once if the last save is a second old, otherwise
    /// on a later tick — so a busy producer does not serialize the cluster ten times a second.
    /// Returns whether a note was added to the console (the page must redraw to show it).
    pub fn request_save(&mut self) -> bool {
        if !std::mem::take(&mut self.dirty) || self.embed.is_some() {
            return false;
        }
        if self.last_wall_ms - self.last_save_ms >= self.save_interval_ms {
            self.save()
        } else {
            self.save_pending = true;
            false
        }
    }

    /// Writes the session to browser storage; a refusal is reported once (returns true then).
    pub fn save(&mut self) -> bool {
        self.save_pending = false;
        if self.embed.is_some() {
            // A widget's cluster belongs to its docs page: nothing is kept in the browser.
            return false;
        }
        self.last_save_ms = self.last_wall_ms;
        // Larger than browser storage can take: not even serialized.
        let size = self.playground.json_size_hint();
        if size > MAX_SAVED_CHARS {
            if !self.save_failed {
                self.save_failed = true;
                self.tab_mut().push(
                    LineKind::Stderr,
                    &format!("[playground] This session, about {:.1} MB as text, is more than browser storage keeps: it keeps working until you close the page (Export saves it to a file; playground reset starts small again).", size as f64 / 1e6),
                );
                return true;
            }
            return false;
        }
        let started = page_ms();
        super::storage::save(&super::storage::to_text(&self.snapshot()));
        self.save_interval_ms = SAVE_INTERVAL_MS.max(10.0 * (page_ms() - started));
        self.report_refused_save()
    }

    /// Reports, once, that the browser refused to keep the session (a save fails after it was
    /// queued, so this is asked on every tick as well as after each save).
    pub fn report_refused_save(&mut self) -> bool {
        if let Some(why) = super::storage::take_refusal() {
            if !self.save_failed {
                self.save_failed = true;
                self.tab_mut().push(
                    LineKind::Stderr,
                    &format!("[playground] Your session cannot be saved in this browser: {why}. It keeps working until you close the page."),
                );
                return true;
            }
        }
        false
    }

    /// Notes what happened in tab `tab` in the journal, at the cluster's time.
    fn record(&mut self, tab: usize, kind: Kind, text: &str) {
        let now = self.playground.cluster.now_ms();
        if let Some(j) = self.journal.as_mut() {
            j.record(now, tab, kind, text);
        }
    }

    /// The tab being typed into.
    pub fn tab(&self) -> &Tab {
        &self.tabs[self.active.min(self.tabs.len() - 1)]
    }

    pub(super) fn tab_mut(&mut self) -> &mut Tab {
        let i = self.active.min(self.tabs.len() - 1);
        &mut self.tabs[i]
    }

    pub fn prompt(&self) -> String {
        self.tab().prompt()
    }

    /// Runs `f` on the active tab's terminal with the playground, and shows what it printed,
    /// after an optional echo of what was typed.
    fn in_active_tab(
        &mut self,
        echo: Option<&str>,
        f: impl FnOnce(&mut Terminal, &mut Playground) -> Output,
    ) {
        let Workbench {
            playground,
            tabs,
            active,
            ..
        } = self;
        // Whichever playground runs now (restored, reset, undone), the perf tools measure
        // with the page's clock.
        playground.wall_clock = WallClock::real(page_ms);
        let tab = &mut tabs[*active];
        if let Some(typed) = echo {
            let line = format!("{}{typed}", tab.prompt());
            tab.push(LineKind::Input, &line);
        }
        let out = f(&mut tab.terminal, playground);
        let text = out.text();
        tab.append(out);
        self.last_output = text;
    }

    pub(super) fn enter(&mut self, line: &str) {
        // A widget showing another's cluster never runs anything on its copy.
        if self.forward(crate::widget_group::Input::Line {
            text: line.to_string(),
        }) {
            return;
        }
        let prompt = self.tab().terminal.prompt();
        let at_shell = matches!(prompt, Prompt::Shell);
        super::fault::note_command(line);
        // A hidden command that proves the fault boundary works (see the e2e test).
        if at_shell && line.trim() == "__panic" {
            panic!("forced by the __panic debug command");
        }
        if at_shell && line.trim() == "undo" {
            let id = self.tab().id;
            self.record(id, Kind::Undo, "");
            self.undo_last(line);
            return;
        }
        let id = self.tab().id;
        self.record(id, Kind::Line, line);
        if at_shell {
            if let Some(run) = self.lesson.as_mut() {
                run.record(line);
            } else if let Some(AfterFetch::Resume(saved)) =
                self.lesson_fetch.as_mut().map(|f| &mut f.then)
            {
                saved.record(line);
            }
        }
        // A command line (not a producer's input) may change the cluster: keep what it was.
        let before = crate::share::undo_snapshot(&self.playground, &self.tab().terminal);
        self.in_active_tab(Some(line), |t, pg| t.enter(pg, line));
        if let Some(before) = before {
            if before != self.playground {
                self.undo.push((line.trim().to_string(), before));
                if self.undo.len() > MAX_UNDO {
                    self.undo.remove(0);
                }
            }
        }
    }

    /// `undo`: the cluster goes back to before the last command that changed it.
    fn undo_last(&mut self, line: &str) {
        let entry = self.undo.pop();
        let tab_prompt = self.prompt();
        let restored = entry.map(|(command, before)| {
            // The clock never goes back: the restored cluster resumes at the current time.
            let now = self.playground.cluster.now_ms();
            self.playground = before;
            self.playground.cluster.advance_to(now);
            command
        });
        let tab = self.tab_mut();
        tab.push(LineKind::Input, &format!("{tab_prompt}{line}"));
        match restored {
            Some(command) => tab.push(
                LineKind::Stdout,
                &format!("Undone: {command}  (the cluster is as it was before it)"),
            ),
            None => tab.push(
                LineKind::Stderr,
                &format!("undo: nothing to undo (the last {MAX_UNDO} commands that changed the cluster can be undone, while it holds at most {UNDO_MAX_RECORDS} records)"),
            ),
        }
    }

    /// A command clicked in a lesson: typed into the active tab if it waits at the shell prompt.
    fn run_command(&mut self, command: &str) {
        if matches!(self.tab().terminal.prompt(), Prompt::Shell) {
            self.enter(command);
        } else {
            self.tab_mut().push(
                LineKind::Note,
                "[playground] A command is running in this terminal: stop it with Ctrl+C (or open another tab with +), then click again.",
            );
        }
    }

    /// Starts a lesson on the cluster it describes; the previous session's cluster is replaced.
    pub(super) fn start_lesson(&mut self, lesson: crate::lesson::Lesson, source: LessonSource) {
        for tab in &mut self.tabs {
            let _ = tab.terminal.interrupt(&mut self.playground);
        }
        let start_ms = self.playground.cluster.now_ms();
        let mut pg = crate::lesson::verify::prepare(&lesson, start_ms);
        pg.clock_speed = 1;
        self.playground = pg;
        let mut first = Tab::new(1);
        first.push(
            LineKind::Note,
            &format!(
                "Lesson: {} — a fresh {}-broker cluster is ready. Follow the steps in the lesson panel; each one is checked after every command.",
                lesson.title, lesson.brokers
            ),
        );
        self.tabs = vec![first];
        self.active = 0;
        self.next_tab = 2;
        let mut journal = Journal::new(start_ms, lesson.brokers);
        journal.setup = lesson.setup.clone();
        self.journal = Some(journal);
        self.control_terminal = Terminal::new();
        let mut run = LessonRun::new(lesson, source);
        run.evaluate(&self.playground);
        self.lesson = Some(run);
        self.lessons_open = true;
    }

    /// After anything that may have changed the cluster: re-check the lesson's current step.
    fn check_lesson(&mut self) -> bool {
        let Some(run) = self.lesson.as_mut() else {
            return false;
        };
        let changed = run.evaluate(&self.playground);
        let done = run.done_steps();
        let id = run.id().to_string();
        let best = self.progress.entry(id).or_insert(0);
        *best = (*best).max(done);
        changed
    }

    fn lesson_action(&mut self, action: LessonAction) {
        match action {
            LessonAction::Start(id) => self.open_built_in(&id, AfterFetch::Start),
            LessonAction::Fetched {
                id,
                attempt,
                result,
            } => self.lesson_fetched(&id, attempt, result),
            LessonAction::Retry => self.retry_lesson_fetch(),
            LessonAction::OpenFile { name, text } => {
                // Checked before anything is replaced: a bad file leaves the session as it is.
                match crate::lesson::Lesson::parse(&text) {
                    Ok(lesson) => self.start_lesson(lesson, LessonSource::File(text)),
                    Err(e) => {
                        self.lessons_open = true;
                        self.tab_mut().push(
                            LineKind::Stderr,
                            &format!("[playground] The lesson file {name} could not be opened: {e}. Lesson format: lessons/README.md."),
                        );
                    }
                }
            }
            LessonAction::Toggle => self.lessons_open = !self.lessons_open,
            LessonAction::Close => {
                self.lesson = None;
                self.abandon_lesson_fetch();
            }
            LessonAction::Reset => {
                if let Some(run) = self.lesson.take() {
                    self.start_lesson(run.lesson, run.source);
                }
            }
            LessonAction::GoTo(step) => {
                let Workbench {
                    lesson, playground, ..
                } = self;
                if let Some(run) = lesson.as_mut() {
                    run.go_to(step, playground);
                }
            }
            LessonAction::Hint => {
                if let Some(run) = self.lesson.as_mut() {
                    run.hints_shown += 1;
                }
            }
            LessonAction::ShowSolution => {
                if let Some(run) = self.lesson.as_mut() {
                    run.solution_shown = true;
                }
            }
            LessonAction::RunSolution => {
                let lines = self
                    .lesson
                    .as_ref()
                    .and_then(|r| r.lesson.steps.get(r.step))
                    .map(|s| s.solution.clone())
                    .unwrap_or_default();
                if !matches!(self.tab().terminal.prompt(), Prompt::Shell) {
                    self.run_command("");
                    return;
                }
                for line in lines {
                    self.enter(&line);
                }
            }
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
        let args: Vec<String> = command
            .split_whitespace()
            .skip(1)
            .map(String::from)
            .collect();
        let _ = args;
        // Tab 0 in the journal: a terminal of its own, so a replay runs it the same way.
        self.record(0, Kind::Line, command);
        let out = self.control_terminal.enter(&mut self.playground, command);
        let tab = self.tab_mut();
        tab.push(LineKind::Note, &format!("[{command}]"));
        tab.append(out);
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
    }

    pub(super) fn end_of_input(&mut self) {
        if self.forward(crate::widget_group::Input::EndOfInput) {
            return;
        }
        let id = self.tab().id;
        self.record(id, Kind::EndOfInput, "");
        self.in_active_tab(None, |t, pg| t.end_of_input(pg));
    }

    fn new_tab(&mut self) {
        // A shared widget is one terminal of its group's cluster.
        if self.tabs.len() >= MAX_TABS || self.group.is_some() {
            return;
        }
        self.tabs.push(Tab::new(self.next_tab));
        self.next_tab += 1;
        self.active = self.tabs.len() - 1;
    }

    /// Closing a tab stops what runs in it, as closing a terminal window does (SIGHUP).
    fn close_tab(&mut self, index: usize) {
        if self.tabs.len() <= 1 || index >= self.tabs.len() || self.group.is_some() {
            return;
        }
        let id = self.tabs[index].id;
        self.record(id, Kind::Close, "");
        let mut tab = self.tabs.remove(index);
        crate::share::close_terminal(&mut tab.terminal, &mut self.playground);
        if self.active >= self.tabs.len() || self.active > index {
            self.active = self.active.saturating_sub(1);
        }
    }

    /// Takes a chart sample once a second of page time; returns whether it did.
    pub(super) fn sample_metrics(&mut self, now_ms: f64) -> bool {
        if now_ms - self.last_sample_ms < 1000.0 {
            return false;
        }
        self.last_sample_ms = now_ms;
        self.metrics.sample(&self.playground.cluster);
        true
    }

    /// Whether anything runs in any tab (then every tick may print).
    fn busy(&self) -> bool {
        !self.pasted.1.is_empty() || self.tabs.iter().any(|t| t.terminal.has_work())
    }

    /// A paste: its lines are entered as if typed, the first slice now and the rest on the
    /// next ticks (a paste into another tab waits for this one to be entered).
    fn paste(&mut self, text: &str) {
        if self.pasted.1.is_empty() {
            self.pasted.0 = self.tab().id;
        }
        self.pasted.1.extend(text.lines().map(String::from));
        self.enter_pasted();
    }

    /// Enters the next slice of pasted lines in the tab they were pasted into.
    fn enter_pasted(&mut self) {
        let Some(tab) = self.tabs.iter().position(|t| t.id == self.pasted.0) else {
            self.pasted.1.clear();
            return;
        };
        let active = std::mem::replace(&mut self.active, tab);
        for _ in 0..PASTE_SLICE_LINES {
            let Some(line) = self.pasted.1.pop_front() else {
                break;
            };
            self.enter(&line);
        }
        self.active = active;
    }

    fn tick(&mut self, now_ms: f64) -> bool {
        let mut noted = false;
        if self.save_pending && now_ms - self.last_save_ms >= self.save_interval_ms {
            noted = self.save();
        }
        noted |= self.report_refused_save();
        let wall = (now_ms - self.last_wall_ms).max(0.0);
        self.last_wall_ms = now_ms;
        // The clock runs at the chosen speed; a tab that slept in the background catches up
        // by at most a day per tick, so waking it never stalls the page.
        let delta = (wall * f64::from(self.playground.clock_speed)).min(MAX_CATCH_UP_MS) as i64;
        self.playground.cluster.advance(delta);
        let mut printed = noted;
        if !self.pasted.1.is_empty() {
            self.enter_pasted();
            printed = true;
        }
        let Workbench {
            playground, tabs, ..
        } = self;
        playground.wall_clock = WallClock::real(page_ms);
        for tab in tabs.iter_mut() {
            let out = tab.terminal.poll(playground);
            printed |= !out.is_empty();
            tab.append(out);
        }
        printed
    }
}

/// What the lesson panel can ask.
pub enum LessonAction {
    /// Open the catalog or hide the panel.
    Toggle,
    /// Start the built-in lesson with this id (fetched first if this page has not yet).
    Start(String),
    /// A built-in lesson's file arrived, or could not be fetched (`lesson_fetch`).
    Fetched {
        id: String,
        attempt: u32,
        result: Result<String, String>,
    },
    /// Try a failed lesson fetch again.
    Retry,
    /// A lesson file opened from disk (its name is used in error messages).
    OpenFile {
        name: String,
        text: String,
    },
    /// Leave the lesson (the cluster stays as it is).
    Close,
    /// Start the lesson again on a fresh cluster.
    Reset,
    GoTo(usize),
    Hint,
    ShowSolution,
    RunSolution,
}

/// Everything the page can ask of the workbench.
pub enum Action {
    /// A command clicked in a lesson's text.
    RunCommand(String),
    /// A session file chosen for import.
    Import(String),
    /// Make a share link.
    Share,
    /// Something outside the reducer added a note: draw again.
    Refresh,
    /// A message from another widget of the same shared cluster (checked by `widget_group`).
    Group(crate::widget_group::Message),
    /// Tab found several completions for this line: list them, as bash does.
    ShowCompletions(String, Vec<String>),
    Lesson(LessonAction),
    /// Enter pressed on a line.
    Enter(String),
    /// Several lines pasted: each runs in turn, as if typed.
    Paste(String),
    /// A button ran a `playground …` command (broker stop/start, clock).
    Control(String),
    /// Ctrl+C
    Interrupt,
    /// Ctrl+D
    EndOfInput,
    /// Ctrl+L
    Clear,
    /// Time passed (wall-clock milliseconds now).
    Tick(f64),
    /// Open another terminal tab.
    NewTab,
    /// Switch to tab `n` (index).
    SelectTab(usize),
    /// Close tab `n` (index), stopping what runs in it.
    CloseTab(usize),
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
            workbench: Rc::new(RefCell::new(Workbench::load(js_sys::Date::now()))),
            version: 0,
        }
    }
}

impl Reducible for WorkbenchState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        {
            let mut wb = self.workbench.borrow_mut();
            let tick = matches!(action, Action::Tick(_));
            if !tick && !matches!(action, Action::Refresh) {
                wb.dirty = true;
            }
            // A widget showing another's cluster: what the reader does goes to that one.
            if wb.is_group_member() {
                if !wb.member_action(action) {
                    drop(wb);
                    return self;
                }
                drop(wb);
                return Rc::new(WorkbenchState {
                    workbench: self.workbench.clone(),
                    version: self.version + 1,
                });
            }
            match action {
                Action::Enter(line) => wb.enter(&line),
                Action::Paste(text) => wb.paste(&text),
                Action::Control(command) => wb.control(&command),
                Action::RunCommand(command) => wb.run_command(&command),
                Action::Import(text) => wb.import(&text),
                Action::Share => wb.share(),
                Action::Refresh => {}
                Action::Group(message) => wb.owner_receive(message),
                Action::ShowCompletions(line, candidates) => {
                    let prompt = wb.prompt();
                    let tab = wb.tab_mut();
                    tab.push(LineKind::Input, &format!("{prompt}{line}"));
                    tab.push(LineKind::Note, &candidates.join("  "));
                }
                Action::Lesson(action) => wb.lesson_action(action),
                Action::Interrupt => wb.interrupt(),
                Action::EndOfInput => wb.end_of_input(),
                Action::Clear => wb.tab_mut().clear(),
                Action::NewTab => wb.new_tab(),
                Action::SelectTab(i) => wb.active = i.min(wb.tabs.len() - 1),
                Action::CloseTab(i) => wb.close_tab(i),
                Action::Tick(now) => {
                    let busy = wb.busy();
                    let printed = wb.tick(now);
                    // Time alone can complete a step (a follower drops out of the ISR).
                    let lesson_changed = wb.check_lesson();
                    let sampled = wb.sample_metrics(now);
                    // Nothing to show: keep the same state so nothing re-renders.
                    if !busy && !printed && !lesson_changed && !sampled {
                        drop(wb);
                        return self;
                    }
                    // A new chart point alone is not worth saving the session for.
                    wb.dirty |= busy || printed || lesson_changed;
                }
            }
            // A tick has checked the lesson already.
            if !tick {
                wb.check_lesson();
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

/// The page's clock for the perf tools, in milliseconds: `performance.now()` (finer than a
/// millisecond), else `Date.now()`.
fn page_ms() -> f64 {
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    js_sys::Reflect::get(&global, &"performance".into())
        .ok()
        .and_then(|performance| {
            let now = js_sys::Reflect::get(&performance, &"now".into()).ok()?;
            let now: js_sys::Function = now.dyn_into().ok()?;
            now.call0(&performance).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}
