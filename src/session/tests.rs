//! The session driven as the page drives it: actions in, what a person would see out.

use std::cell::RefCell;
use std::rc::Rc;

use super::*;
use crate::console::Output;
use crate::lesson::catalog;
use crate::share::Kind;

const START: f64 = 1_700_000_000_000.0;
const BOOT: &str = "--bootstrap-server localhost:9092";

/// A workbench and the page's clock, ticking every 100 ms as the page does.
struct Page {
    wb: Workbench,
    now: f64,
}

impl Page {
    fn new() -> Self {
        Page {
            wb: Workbench::new(START),
            now: START,
        }
    }

    fn with_host(host: Rc<dyn Host>) -> Self {
        Page {
            wb: Workbench::open(Start::Fresh, START, host),
            now: START,
        }
    }

    fn apply(&mut self, action: Action) -> Applied {
        self.wb.apply(action)
    }

    fn enter(&mut self, line: &str) -> Applied {
        self.apply(Action::Enter(line.to_string()))
    }

    /// Lets `ms` of page time pass in ticks of 100 ms.
    fn wait(&mut self, ms: u32) {
        for _ in 0..ms / 100 {
            self.now += 100.0;
            self.apply(Action::Tick(self.now));
        }
    }

    /// What tab `index` shows, one line per row.
    fn shown(&self, index: usize) -> String {
        self.wb.tabs[index]
            .lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn records(&self, topic: &str) -> usize {
        self.wb
            .playground
            .cluster
            .topic(topic)
            .map_or(0, |t| t.partitions().iter().map(|p| p.log().len()).sum())
    }
}

#[test]
fn a_fresh_session_greets_and_runs_what_is_typed() {
    let mut page = Page::new();
    assert!(
        page.shown(0)
            .starts_with("Kafka Playground — a 3-broker Kafka cluster")
    );
    page.enter(&format!("kafka-topics.sh {BOOT} --create --topic orders"));
    assert!(page.shown(0).contains("$ kafka-topics.sh"));
    assert!(
        page.shown(0).ends_with("Created topic orders."),
        "{}",
        page.shown(0)
    );
    assert_eq!(page.wb.last_output, "Created topic orders.\n");
}

#[test]
fn tabs_open_up_to_six_and_closing_one_stops_what_runs_in_it() {
    let mut page = Page::new();
    page.enter(&format!("kafka-topics.sh {BOOT} --create --topic t"));
    page.apply(Action::NewTab);
    assert_eq!(
        (page.wb.tabs.len(), page.wb.active, page.wb.tab().id),
        (2, 1, 2)
    );
    page.enter(&format!(
        "kafka-console-consumer.sh {BOOT} --topic t --group g"
    ));
    page.wait(5_000);
    assert!(page.wb.tabs[1].running());
    assert_eq!(page.wb.tabs[1].title(), "2 · kafka-console-consumer");
    for _ in 0..10 {
        page.apply(Action::NewTab);
    }
    assert_eq!(page.wb.tabs.len(), MAX_TABS);

    page.apply(Action::CloseTab(1));
    assert_eq!(page.wb.tabs.len(), MAX_TABS - 1);
    assert!(page.wb.tabs.iter().all(|t| t.id != 2));
    page.apply(Action::SelectTab(0));
    page.enter(&format!(
        "kafka-consumer-groups.sh {BOOT} --describe --group g --members"
    ));
    assert!(
        page.shown(0)
            .contains("Consumer group 'g' has no active members."),
        "{}",
        page.shown(0)
    );
    let closed = page.wb.journal.as_ref().and_then(|j| {
        j.entries
            .iter()
            .find(|e| e.kind == Kind::Close)
            .map(|e| e.tab)
    });
    assert_eq!(closed, Some(2));
    // The last tab stays open.
    while page.wb.tabs.len() > 1 {
        page.apply(Action::CloseTab(0));
    }
    page.apply(Action::CloseTab(0));
    assert_eq!(page.wb.tabs.len(), 1);
}

#[test]
fn the_journal_records_each_line_with_its_tab_and_the_cluster_time() {
    let mut page = Page::new();
    page.enter(&format!("kafka-topics.sh {BOOT} --create --topic t"));
    page.wait(2_000);
    page.apply(Action::NewTab);
    page.enter(&format!("kafka-console-producer.sh {BOOT} --topic t"));
    page.enter("hello");
    page.apply(Action::EndOfInput);
    page.apply(Action::Interrupt);
    let j = page
        .wb
        .journal
        .as_ref()
        .expect("a fresh session has a journal");
    let seen: Vec<(usize, i64, Kind, &str)> = j
        .entries
        .iter()
        .map(|e| (e.tab, e.at_ms - j.start_ms, e.kind.clone(), e.text.as_str()))
        .collect();
    let create = format!("kafka-topics.sh {BOOT} --create --topic t");
    let produce = format!("kafka-console-producer.sh {BOOT} --topic t");
    assert_eq!(
        seen,
        vec![
            (1, 0, Kind::Line, create.as_str()),
            (2, 2_000, Kind::Open, ""),
            (2, 2_000, Kind::Line, produce.as_str()),
            (2, 2_000, Kind::Line, "hello"),
            (2, 2_000, Kind::EndOfInput, ""),
            (2, 2_000, Kind::Interrupt, ""),
        ]
    );
    assert_eq!(page.records("t"), 1);
}

#[test]
fn undo_takes_back_the_cluster_and_the_files_one_command_at_a_time() {
    let mut page = Page::new();
    page.enter(&format!("kafka-topics.sh {BOOT} --create --topic t"));
    page.enter("echo hello > notes.txt");
    page.enter("ls");
    assert!(page.wb.playground.files.read("notes.txt").is_some());

    page.enter("undo");
    assert!(
        page.shown(0)
            .ends_with("Undone: echo hello > notes.txt  (the cluster is as it was before it)")
    );
    assert!(page.wb.playground.files.read("notes.txt").is_none());
    assert!(page.wb.playground.cluster.topic("t").is_some());

    let before = page.wb.playground.cluster.now_ms();
    page.wait(1_000);
    page.enter("undo");
    assert!(page.wb.playground.cluster.topic("t").is_none());
    // The clock never goes back.
    assert_eq!(page.wb.playground.cluster.now_ms(), before + 1_000);

    page.enter("undo");
    assert!(page.shown(0).ends_with("undo: nothing to undo (the last 10 commands that changed the cluster can be undone, while it holds at most 200000 records)"));
    let undos = page.wb.journal.as_ref().map_or(0, |j| {
        j.entries.iter().filter(|e| e.kind == Kind::Undo).count()
    });
    assert_eq!(undos, 3);
}

#[test]
fn undo_keeps_the_last_ten_changes() {
    let mut page = Page::new();
    for n in 0..12 {
        page.enter(&format!("kafka-topics.sh {BOOT} --create --topic t{n}"));
    }
    for _ in 0..12 {
        page.enter("undo");
    }
    let left: Vec<_> = (0..12)
        .filter(|n| page.wb.playground.cluster.topic(&format!("t{n}")).is_some())
        .collect();
    assert_eq!(left, vec![0, 1]);
}

#[test]
fn a_large_paste_is_entered_a_slice_per_tick_and_ctrl_c_drops_the_rest() {
    let mut page = Page::new();
    page.enter(&format!("kafka-topics.sh {BOOT} --create --topic t"));
    page.enter(&format!("kafka-console-producer.sh {BOOT} --topic t"));
    let lines: Vec<String> = (0..5_000).map(|n| format!("record-{n}")).collect();
    page.apply(Action::Paste(lines.join("\n")));
    assert_eq!(page.wb.pasted_waiting(), 3_000);
    page.wait(100);
    assert_eq!(page.wb.pasted_waiting(), 1_000);
    page.apply(Action::Interrupt);
    assert_eq!(page.wb.pasted_waiting(), 0);
    page.wait(1_000);
    assert_eq!(page.records("t"), 4_000);
}

#[test]
fn a_paste_goes_to_the_tab_it_was_pasted_into() {
    let mut page = Page::new();
    page.apply(Action::Paste(
        (0..2_001).map(|_| "true").collect::<Vec<_>>().join("\n"),
    ));
    page.apply(Action::NewTab);
    page.wait(100);
    assert_eq!(page.wb.tabs[0].terminal.history().len(), 2_001);
    assert!(page.wb.tabs[1].terminal.history().is_empty());
}

#[test]
fn ticks_move_the_clock_with_the_page_at_most_a_day_at_a_time() {
    let mut page = Page::new();
    let t0 = page.wb.playground.cluster.now_ms();
    page.wait(1_500);
    assert_eq!(page.wb.playground.cluster.now_ms(), t0 + 1_500);
    page.enter("playground clock speed 60");
    page.wait(1_000);
    assert_eq!(page.wb.playground.cluster.now_ms(), t0 + 1_500 + 60_000);
    // A page that slept for a week catches up a day per tick.
    page.now += 7.0 * 86_400_000.0;
    page.apply(Action::Tick(page.now));
    assert_eq!(
        page.wb.playground.cluster.now_ms(),
        t0 + 1_500 + 60_000 + 86_400_000
    );
}

#[test]
fn a_consumer_prints_what_arrives_after_each_input_and_on_the_ticks() {
    let mut page = Page::new();
    page.enter(&format!("kafka-topics.sh {BOOT} --create --topic t"));
    page.apply(Action::NewTab);
    page.enter(&format!("kafka-console-consumer.sh {BOOT} --topic t"));
    page.wait(3_000);
    page.apply(Action::SelectTab(0));
    // Running tools catch up right after an input, at its simulated moment.
    page.enter(&format!(
        "echo late | kafka-console-producer.sh {BOOT} --topic t"
    ));
    assert!(page.shown(1).ends_with("late"), "{}", page.shown(1));
    // Paused, the clock stands still, and tools still see what each input did.
    page.enter("playground clock pause");
    page.enter(&format!(
        "echo paused | kafka-console-producer.sh {BOOT} --topic t"
    ));
    assert!(page.shown(1).ends_with("paused"), "{}", page.shown(1));
    // Records produced by another face of the cluster (a widget) arrive on the ticks.
    page.enter("playground clock resume");
    page.wb
        .playground
        .cluster
        .produce_with_acks(
            "t",
            crate::engine::ProducerRecord {
                value: Some(b"ticked".to_vec()),
                ..Default::default()
            },
            &mut crate::engine::StickyPartitioner::default(),
            crate::engine::Acks::Leader,
        )
        .expect("produced");
    assert!(!page.shown(1).contains("ticked"));
    page.wait(1_000);
    assert!(page.shown(1).ends_with("ticked"), "{}", page.shown(1));
}

#[test]
fn a_change_is_saved_at_once_then_at_most_once_a_second() {
    let mut page = Page::new();
    assert!(page.enter("echo 1 > a").save);
    assert!(!page.enter("echo 2 > a").save, "within the second");
    page.now += 400.0;
    assert!(!page.apply(Action::Tick(page.now)).save);
    page.now += 700.0;
    assert!(page.apply(Action::Tick(page.now)).save, "the pending save");
    page.now += 2_000.0;
    assert!(!page.apply(Action::Tick(page.now)).save, "nothing new");
    // A refusal is said once.
    page.apply(Action::SaveFailed(SaveError::Refused("quota".into())));
    page.apply(Action::SaveFailed(SaveError::Refused("quota".into())));
    let said = page
        .shown(0)
        .matches("[playground] Your session cannot be saved in this browser: quota.")
        .count();
    assert_eq!(said, 1);
}

#[test]
fn a_widget_is_never_saved() {
    let config = crate::share::EmbedConfig::decode(&crate::share::EmbedConfig::default().encode())
        .expect("the default settings read back");
    let mut wb = Workbench::open(Start::Embed(config), START, Rc::new(Headless));
    assert!(!wb.apply(Action::Enter("echo 1 > a".into())).save);
    assert!(wb.text_to_keep().is_none());
}

#[test]
fn a_saved_session_opens_again_with_its_topics_tabs_and_history() {
    let storage = MemoryStorage::default();
    let mut page = Page::new();
    page.enter(&format!("kafka-topics.sh {BOOT} --create --topic kept"));
    page.apply(Action::NewTab);
    page.enter("echo hi > f");
    let (text, meta) = page.wb.to_save();
    storage.save(text, meta, Box::new(|r| assert_eq!(r, Ok(()))));

    let stored = Rc::new(RefCell::new(None));
    let slot = stored.clone();
    storage.load(Box::new(move |r| *slot.borrow_mut() = Some(r)));
    let loaded = stored.take().expect("memory storage answers at once");
    let wb = Workbench::open(Start::Stored(loaded), START + 5_000.0, Rc::new(Headless));
    assert!(wb.playground.cluster.topic("kept").is_some());
    assert_eq!(wb.tabs.iter().map(|t| t.id).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(wb.active, 1);
    assert_eq!(wb.tabs[1].history(), ["echo hi > f"]);
    assert!(wb.tabs[0].lines.back().is_some_and(|l| {
        l.text
            .starts_with("Restored your session from this browser, as saved less than a minute ago (by this computer's clock): 1 topic(s)")
    }));

    storage.delete();
    let damaged = Workbench::open(
        Start::Stored(Err("not JSON".into())),
        START,
        Rc::new(Headless),
    );
    assert!(damaged.tabs[0].lines.back().is_some_and(|l| l.text
        == "Your saved session could not be read: not JSON. It is left as it is in this browser, and this page saves nothing over it: reload to try again, or export this page's work as a file (Export). Starting with a fresh cluster."));
}

/// Storage that failed to read holds something nobody could set aside: the page writes
/// nothing over it, however much is done in it (a damaged snapshot, which can be read and
/// set aside, is another case: `tests_stored.rs`).
#[test]
fn a_saved_session_storage_failed_to_read_is_never_written_over() {
    let mut page = Page {
        wb: Workbench::open(
            Start::Stored(Err("the browser refused to read it (UnknownError)".into())),
            START,
            Rc::new(Headless),
        ),
        now: START,
    };
    let applied = page.enter(&format!("kafka-topics.sh {BOOT} --create --topic t"));
    assert!(!applied.save, "no save is asked for");
    page.wait(5_000);
    assert!(!page.wb.request_save());
    assert!(
        page.wb.text_to_keep().is_none(),
        "nothing is written on leaving"
    );
    assert!(page.shown(0).contains("Created topic t."), "the page works");
}

#[test]
fn each_tab_keeps_its_variables_and_directory_across_undo_and_reload() {
    let mut page = Page::new();
    page.enter("cd kafka_2.13-4.3.0");
    page.enter("KAFKA_CLUSTER_ID=\"$(bin/kafka-storage.sh random-uuid)\"");
    page.enter(
        "bin/kafka-storage.sh format --standalone -t $KAFKA_CLUSTER_ID -c config/server.properties",
    );
    assert!(
        page.shown(0)
            .contains("Formatting dynamic metadata voter directory /tmp/kraft-combined-logs")
    );
    assert_eq!(page.wb.tabs[0].prompt(), "~/kafka_2.13-4.3.0$ ");
    page.apply(Action::NewTab);
    page.enter("export TOPIC=orders");
    assert_eq!(page.wb.tabs[1].prompt(), "$ ");

    // Undo takes the format back (its files); the shell keeps its variables and directory.
    page.apply(Action::SelectTab(0));
    page.enter("undo");
    assert!(
        page.wb
            .playground
            .files
            .read("/tmp/kraft-combined-logs/meta.properties")
            .is_none()
    );
    page.enter("echo $KAFKA_CLUSTER_ID `pwd`");
    let id = page.wb.tabs[0]
        .terminal
        .shell()
        .get("KAFKA_CLUSTER_ID")
        .unwrap_or("")
        .to_string();
    assert_eq!(id.len(), 22);
    assert!(
        page.shown(0)
            .ends_with(&format!("{id} /home/kafka/kafka_2.13-4.3.0"))
    );

    let text = page.wb.snapshot_text();
    let snapshot = crate::snapshot::parse(&text).expect("reads back");
    let wb = Workbench::restore(
        snapshot,
        START + 5_000.0,
        Rc::new(Headless),
        "from this browser",
    );
    assert_eq!(wb.tabs[0].prompt(), "~/kafka_2.13-4.3.0$ ");
    assert_eq!(
        wb.tabs[0].terminal.shell().get("KAFKA_CLUSTER_ID"),
        Some(id.as_str())
    );
    assert_eq!(wb.tabs[1].terminal.shell().get("TOPIC"), Some("orders"));
    assert_eq!(wb.tabs[1].terminal.shell().cwd, "/home/kafka");
}

#[test]
fn a_saved_session_that_arrives_late_replaces_an_untouched_fresh_one_only() {
    let mut page = Page::new();
    page.enter(&format!("kafka-topics.sh {BOOT} --create --topic kept"));
    let text = page.wb.snapshot_text();

    let mut fresh = Page::new();
    fresh.apply(Action::Restored(Ok(Stored::text(text.clone()))));
    assert!(fresh.wb.playground.cluster.topic("kept").is_some());

    let mut busy = Page::new();
    busy.enter("echo typed > f");
    busy.apply(Action::Restored(Ok(Stored::text(text))));
    assert!(busy.wb.playground.cluster.topic("kept").is_none());
    assert!(busy.wb.playground.files.read("f").is_some());
}

#[test]
fn a_lesson_is_fetched_started_checked_and_its_progress_kept() {
    let mut page = Page::new();
    page.apply(Action::Lesson(LessonAction::Start("first-topic".into())));
    let (id, attempt, url) = page
        .wb
        .lesson_to_fetch()
        .expect("the lesson is fetched first");
    assert_eq!(
        (id.as_str(), attempt, url.as_str()),
        ("first-topic", 0, "lessons/01-first-topic.md")
    );
    assert!(page.wb.lessons_open && page.wb.lesson.is_none());

    // A failed fetch waits for a retry, which is a new attempt.
    page.apply(Action::Lesson(LessonAction::Fetched {
        id: id.clone(),
        attempt,
        result: Err("offline".into()),
    }));
    assert!(page.wb.lesson_to_fetch().is_none());
    page.apply(Action::Lesson(LessonAction::Retry));
    let (_, attempt, _) = page.wb.lesson_to_fetch().expect("fetched again");
    assert_eq!(attempt, 1);
    // An answer to the old attempt is ignored.
    let text = catalog::find("first-topic").map(|e| e.text()).unwrap_or("");
    page.apply(Action::Lesson(LessonAction::Fetched {
        id: id.clone(),
        attempt: 0,
        result: Ok(text.to_string()),
    }));
    assert!(page.wb.lesson.is_none());
    page.apply(Action::Lesson(LessonAction::Fetched {
        id,
        attempt,
        result: Ok(text.to_string()),
    }));
    assert_eq!(page.wb.lesson.as_ref().map(|r| r.step), Some(0));
    assert!(
        page.shown(0)
            .starts_with("Lesson: Your first topic — a fresh 3-broker cluster is ready.")
    );

    page.apply(Action::Lesson(LessonAction::RunSolution));
    assert_eq!(page.wb.progress.get("first-topic"), Some(&1));
    page.apply(Action::Lesson(LessonAction::GoTo(1)));
    page.enter(&format!("kafka-topics.sh {BOOT} --describe --topic orders"));
    assert_eq!(page.wb.progress.get("first-topic"), Some(&2));
    // Saved with the session: a reload continues it once its file is here again.
    let saved = page.wb.snapshot().lesson.expect("the lesson is saved");
    assert_eq!(
        (saved.step, saved.passed[..2].to_vec()),
        (1, vec![true, true])
    );
}

#[test]
fn a_fetched_file_that_is_not_the_lesson_asked_for_is_refused() {
    let mut page = Page::new();
    page.apply(Action::Lesson(LessonAction::Start("first-topic".into())));
    let other = catalog::INDEX
        .iter()
        .find(|e| e.id != "first-topic")
        .map(|e| e.text())
        .unwrap_or("");
    page.apply(Action::Lesson(LessonAction::Fetched {
        id: "first-topic".into(),
        attempt: 0,
        result: Ok(other.to_string()),
    }));
    let failed = page.wb.lesson_fetch.as_ref().and_then(|f| f.failed.clone());
    assert!(
        failed.is_some_and(|why| why.starts_with("lessons/01-first-topic.md holds the lesson '")),
    );
    page.apply(Action::Lesson(LessonAction::Start("no-such-lesson".into())));
    assert!(page.shown(0).ends_with(
        "[playground] The lesson could not be opened: there is no lesson 'no-such-lesson'"
    ));
}

/// What a page listening to the session would hear.
#[derive(Default)]
struct Listener {
    heard: RefCell<Vec<(usize, String)>>,
    typed: RefCell<Vec<String>>,
}

impl Host for Listener {
    fn emit(&self, tab: usize, out: &Output) {
        self.heard.borrow_mut().push((tab, out.text()));
    }
    fn before_command(&self, line: &str, _at_shell: bool) {
        self.typed.borrow_mut().push(line.to_string());
    }
    fn share_url(&self, code: &str) -> String {
        format!("https://example.test/#s={code}")
    }
}

#[test]
fn the_page_hears_what_each_tab_prints_and_gets_share_links() {
    let listener = Rc::new(Listener::default());
    let mut page = Page::with_host(listener.clone());
    page.enter("echo one");
    page.apply(Action::NewTab);
    page.enter("echo two");
    assert_eq!(
        listener.heard.borrow().as_slice(),
        [(1, "one\n".to_string()), (2, "two\n".to_string())]
    );
    assert_eq!(listener.typed.borrow().as_slice(), ["echo one", "echo two"]);
    page.apply(Action::Share);
    let url = page
        .wb
        .tab()
        .lines
        .back()
        .map(|l| l.text.clone())
        .unwrap_or_default();
    let code = url
        .strip_prefix("https://example.test/#s=")
        .expect("the host's address");
    let journal = crate::share::Journal::decode(code).expect("the link opens");
    assert_eq!(Some(journal), page.wb.share_journal());
}

/// Several terminals, a consumer group, a button beside a running tool, Ctrl+C, `undo`, a
/// closed tab and a paste: everything the journal records. Under 15 s of cluster time: a
/// replay jumps over idle gaps where the page ticks, and the engine's log cleaner schedules
/// its next run from when it last ran, so a run inside an idle gap would move that schedule.
fn scripted_session(page: &mut Page) {
    page.enter(&format!(
        "kafka-topics.sh {BOOT} --create --topic orders --partitions 3"
    ));
    page.wait(500);
    page.apply(Action::NewTab);
    page.enter(&format!(
        "kafka-console-consumer.sh {BOOT} --topic orders --group g --from-beginning"
    ));
    page.wait(4_000);
    page.apply(Action::NewTab);
    page.enter(&format!(
        "kafka-console-consumer.sh {BOOT} --topic orders --group g"
    ));
    page.wait(4_000);
    page.apply(Action::SelectTab(0));
    page.enter(&format!("kafka-console-producer.sh {BOOT} --topic orders"));
    page.apply(Action::Paste("a\nb\nc\nd".into()));
    page.wait(1_000);
    page.apply(Action::Control("playground broker stop 3".into()));
    page.apply(Action::EndOfInput);
    page.wait(2_000);
    page.apply(Action::SelectTab(1));
    page.apply(Action::Interrupt);
    page.wait(300);
    page.apply(Action::CloseTab(2));
    page.wait(2_000);
    page.apply(Action::SelectTab(0));
    page.enter("echo 'x' > notes.txt");
    page.enter(&format!("kafka-topics.sh {BOOT} --delete --topic orders"));
    page.enter("undo");
    page.wait(700);
    page.enter(&format!(
        "kafka-consumer-groups.sh {BOOT} --describe --group g"
    ));
}

#[test]
fn replaying_the_journal_reaches_the_state_the_page_reached() {
    let listener = Rc::new(Listener::default());
    let mut live = Page::with_host(listener.clone());
    scripted_session(&mut live);
    assert_eq!(live.records("orders"), 4, "{}", live.shown(0));
    assert!(
        live.shown(1).contains("Processed a total of"),
        "{}",
        live.shown(1)
    );
    let journal = live.wb.journal.clone().expect("journal");

    let replayed = replay(&journal);
    let mut wb = replayed.workbench;
    // The replay records the same journal as it goes.
    assert_eq!(wb.journal.as_ref(), Some(&journal));
    wb.active = live.wb.active;
    let (a, b) = (wb.snapshot_text(), live.wb.snapshot_text());
    if a != b {
        let _ = std::fs::write("/tmp/session/replayed.json", &a);
        let _ = std::fs::write("/tmp/session/live.json", &b);
    }
    assert!(
        a == b,
        "the replay differs from the page: see /tmp/session/{{replayed,live}}.json"
    );
    // Its tabs printed what the page's did.
    for (id, out) in &replayed.printed {
        let heard: String = listener
            .heard
            .borrow()
            .iter()
            .filter(|(tab, _)| tab == id)
            .map(|(_, text)| text.as_str())
            .collect();
        assert_eq!(out.text(), heard, "tab {id}");
    }
}

#[test]
fn a_replay_shows_what_each_tab_printed_and_honours_undo() {
    let mut j = crate::share::Journal::new(crate::engine::clock::DEFAULT_START_MS, 3);
    let t0 = j.start_ms;
    j.record(
        t0 + 1_000,
        1,
        Kind::Line,
        &format!("kafka-topics.sh {BOOT} --create --topic orders --partitions 3"),
    );
    j.record(
        t0 + 2_000,
        1,
        Kind::Line,
        &format!("kafka-console-producer.sh {BOOT} --topic orders"),
    );
    j.record(t0 + 3_000, 1, Kind::Line, "first");
    j.record(t0 + 3_500, 1, Kind::Line, "second");
    j.record(t0 + 4_000, 1, Kind::EndOfInput, "");
    j.record(
        t0 + 5_000,
        2,
        Kind::Line,
        &format!("kafka-console-consumer.sh {BOOT} --topic orders --group g --from-beginning"),
    );
    j.record(t0 + 12_000, 2, Kind::Interrupt, "");
    j.record(t0 + 13_000, 1, Kind::Line, "playground broker stop 2");
    j.record(
        t0 + 14_000,
        1,
        Kind::Line,
        &format!("kafka-topics.sh {BOOT} --delete --topic orders"),
    );
    j.record(t0 + 15_000, 1, Kind::Undo, "");
    let a = replay(&j);
    let c = &a.workbench.playground.cluster;
    // The delete was undone; the two typed records are there; the group committed them.
    let topic = c.topic("orders").expect("orders is back after undo");
    assert_eq!(
        topic
            .partitions()
            .iter()
            .map(|p| p.log().len())
            .sum::<usize>(),
        2
    );
    assert!(c.group_ids().contains(&"g".to_string()));
    assert!(!c.broker(2).is_some_and(|b| b.running));
    let printed = a
        .printed
        .iter()
        .find(|t| t.0 == 2)
        .map(|t| t.1.text())
        .unwrap_or_default();
    assert!(
        printed.contains("first") && printed.contains("second"),
        "{printed}"
    );
    assert_eq!(
        replay(&j).workbench.snapshot_text(),
        a.workbench.snapshot_text()
    );
}

#[test]
fn a_shared_link_opens_as_a_transcript_of_each_tab() {
    let mut live = Page::new();
    live.enter(&format!("kafka-topics.sh {BOOT} --create --topic t"));
    live.apply(Action::NewTab);
    live.enter("echo second tab");
    let code = live
        .wb
        .journal
        .as_ref()
        .map(|j| j.encode())
        .unwrap_or_default();
    let mut wb = Workbench::open(
        Start::Link(code, Ok(Stored::default())),
        START + 60_000.0,
        Rc::new(Headless),
    );
    // Kept at once: the link leaves the address bar, so a reload finds it in storage.
    assert!(wb.request_save());
    assert!(
        !Workbench::new(START).request_save(),
        "a fresh session waits for a change"
    );
    let shown = |i: usize| {
        wb.tabs[i]
            .lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        shown(0),
        [
            "Created topic t.",
            "[playground] Opened a shared session: 2 line(s) replayed on a fresh cluster, exactly as they ran."
        ]
    );
    assert_eq!(shown(1), ["second tab"]);
    assert_eq!(wb.active, 0);

    let bad = Workbench::open(
        Start::Link("v1.!!".into(), Ok(Stored::default())),
        START,
        Rc::new(Headless),
    );
    assert!(bad.tabs[0].lines.back().is_some_and(|l| {
        l.text
            .starts_with("[playground] The share link could not be opened: the link is damaged")
    }));
}

fn widget(member: u32, commands: &[&str]) -> Workbench {
    let config = crate::share::EmbedConfig {
        cluster: "docs".into(),
        member,
        brokers: 3,
        show_commands: true,
        commands: commands.iter().map(|c| c.to_string()).collect(),
        ..Default::default()
    };
    Workbench::open(Start::Embed(config), START, Rc::new(Headless))
}

/// Delivers one widget's messages to another, as the page's frames post them; returns what
/// the receiver sends in turn.
fn deliver(messages: Vec<crate::widget_group::Message>, to: &mut Workbench) -> Applied {
    let mut all = to.apply(Action::Refresh);
    for message in messages {
        let applied = to.apply(Action::Group(message));
        all.outgoing.extend(applied.outgoing);
    }
    all
}

#[test]
fn widgets_sharing_a_cluster_run_everything_in_the_first_one() {
    use crate::widget_group::Message;
    let mut owner = widget(
        0,
        &[&format!("kafka-topics.sh {BOOT} --create --topic shared")],
    );
    let mut member = widget(1, &["echo member setup"]);
    assert!(member.is_group_member() && member.waiting_for_group());

    // What the reader types before the owner answers waits in the member.
    let early = member.apply(Action::Enter(format!("kafka-topics.sh {BOOT} --list")));
    assert!(early.outgoing.is_empty());
    let attach = member.attach_request().expect("a member asks to attach");
    let answer = deliver(vec![attach], &mut owner);
    assert!(matches!(
        answer.outgoing[0],
        Message::Welcome { member: 1, .. }
    ));
    assert!(answer.outgoing.iter().any(|m| matches!(
        m,
        Message::Terminal {
            member: 1,
            reset: true,
            ..
        }
    )));
    // The member's own setup ran in its terminal in the owner, not in the owner's tab.
    assert!(owner.tabs.iter().any(|t| t.member == Some(1)));
    assert!(!owner.tabs[0].lines.iter().any(|l| l.text == "member setup"));

    // Welcomed, the member sends what was typed; the owner runs it on the one cluster.
    let welcomed = deliver(answer.outgoing, &mut member);
    assert!(matches!(
        welcomed.outgoing.as_slice(),
        [Message::Input { member: 1, .. }]
    ));
    let ran = deliver(welcomed.outgoing, &mut owner);
    deliver(ran.outgoing, &mut member);
    let shown: Vec<&str> = member.tabs[0]
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .collect();
    assert!(shown.contains(&"member setup"), "{shown:?}");
    assert_eq!(shown.last(), Some(&"shared"), "{shown:?}");
    // The member's copy of the cluster never ran anything.
    assert!(member.playground.cluster.topic("shared").is_none());
    assert!(owner.playground.cluster.topic("shared").is_some());
    // A member never saves, nor opens tabs of its own.
    assert!(!member.apply(Action::NewTab).changed);
    assert!(member.text_to_keep().is_none());
}

#[test]
fn a_lesson_counts_only_commands_that_worked_and_takes_answers_from_the_panel() {
    let mut page = Page::new();
    let lesson = "---\nid: q\ntitle: Q\nbrokers: 1\n---\n\
                  ## Delete scratch\n\
                  check: ran kafka-topics.sh --delete --topic scratch\n\
                  solution: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic scratch\n\
                  ## How many brokers?\n\
                  question: How many brokers does this cluster have?\n\
                  choice: 1\n\
                  choice: 3\n\
                  check: answer = brokers\n\
                  solution: playground answer 1\n";
    page.apply(Action::Lesson(LessonAction::OpenFile {
        name: "q.md".into(),
        text: lesson.into(),
    }));
    assert!(page.wb.lesson.is_some());
    // Deleting a topic that does not exist fails (exit 1): the step stays open.
    page.enter(&format!("kafka-topics.sh {BOOT} --delete --topic scratch"));
    let run = page.wb.lesson.as_ref().expect("lesson");
    assert_eq!((run.failed.clone(), run.passed[0]), (vec![0], false));
    page.enter(&format!("kafka-topics.sh {BOOT} --create --topic scratch"));
    page.enter(&format!("kafka-topics.sh {BOOT} --delete --topic scratch"));
    assert!(page.wb.lesson.as_ref().is_some_and(|r| r.passed[0]));
    // The panel's answer buttons type `playground answer …`, even beside a running tool.
    page.apply(Action::Lesson(LessonAction::GoTo(1)));
    page.enter(&format!(
        "kafka-console-consumer.sh {BOOT} --topic scratch2"
    ));
    page.apply(Action::Control("playground answer '3'".into()));
    let run = page.wb.lesson.as_ref().expect("lesson");
    assert!(!run.passed[1]);
    assert_eq!(
        run.outcomes,
        vec![crate::lesson::Outcome::Fail("3 is not the answer".into())]
    );
    page.apply(Action::Control("playground answer '1'".into()));
    assert!(page.wb.lesson.as_ref().is_some_and(|r| r.passed[1]));
    // Saved with the session, failures included.
    let saved = page.wb.snapshot().lesson.expect("saved");
    assert_eq!(saved.failed, vec![0]);
}

#[test]
fn a_widgets_commands_run_one_after_another_as_kplay_runs_them() {
    // A consumer that runs for a while (`--timeout-ms`), then commands after it: each waits
    // for the one before instead of being read as the consumer's input.
    let config = crate::share::EmbedConfig {
        brokers: 1,
        show_commands: true,
        commands: vec![
            format!("kafka-topics.sh {BOOT} --create --topic t"),
            format!("kafka-console-consumer.sh {BOOT} --topic t --timeout-ms 3000"),
            format!("kafka-topics.sh {BOOT} --create --topic after"),
            "echo done".into(),
        ],
        ..Default::default()
    };
    let mut page = Page {
        wb: Workbench::open(Start::Embed(config), START, Rc::new(Headless)),
        now: START,
    };
    assert!(page.wb.playground.cluster.topic("t").is_some());
    assert!(page.wb.playground.cluster.topic("after").is_none());
    page.wait(5_000);
    assert!(page.wb.playground.cluster.topic("after").is_some());
    let shown = page.shown(0);
    // ConsoleConsumer: "Processed a total of 0 messages" once the timeout ends it.
    let consumed = shown
        .find("Processed a total of 0 messages")
        .expect("ended");
    let created = shown.find("Created topic after.").expect("ran after it");
    assert!(consumed < created, "{shown}");
    assert!(shown.ends_with("done"), "{shown}");
}

#[test]
fn a_read_only_widget_refuses_every_change_from_the_reader() {
    let config = crate::share::EmbedConfig {
        readonly: true,
        show_commands: true,
        commands: vec![format!("kafka-topics.sh {BOOT} --create --topic shown")],
        ..Default::default()
    };
    let mut wb = Workbench::open(Start::Embed(config), START, Rc::new(Headless));
    assert!(wb.read_only());
    let before = wb.playground.cluster.clone();
    let tabs = wb.tabs.len();
    for action in [
        Action::Enter(format!("kafka-topics.sh {BOOT} --delete --topic shown")),
        Action::Paste(format!("kafka-topics.sh {BOOT} --create --topic pasted\n")),
        Action::Control("playground broker stop 1".into()),
        Action::RunCommand(format!("kafka-topics.sh {BOOT} --create --topic clicked")),
        Action::NewTab,
        Action::CloseTab(0),
        Action::Lesson(LessonAction::Reset),
    ] {
        wb.apply(action);
    }
    assert!(
        wb.playground.cluster == before,
        "the cluster did not change"
    );
    assert_eq!(wb.tabs.len(), tabs);
    // The host page's own API still drives it (the author's script, not the reader).
    wb.apply(Action::ApiRun(format!(
        "kafka-topics.sh {BOOT} --create --topic by-host"
    )));
    assert!(wb.playground.cluster.topic("by-host").is_some());
}

#[test]
fn a_widget_with_unreadable_settings_shows_why_and_nothing_else() {
    let why = crate::share::EmbedConfig::decode("!!").expect_err("damaged");
    let mut wb = Workbench::open(Start::EmbedRefused(why), START, Rc::new(Headless));
    assert!(wb.read_only() && wb.embed.is_some());
    assert!(wb.tabs[0].lines.back().is_some_and(|l| l.text
        == "[playground] This embedded console cannot start: the embed settings are damaged. The page that embeds it must fix its settings."));
    assert!(
        wb.text_to_keep().is_none(),
        "never saved over the reader's session"
    );
    assert!(!wb.apply(Action::Enter("echo hi".into())).changed);
}

#[test]
fn characters_that_reorder_text_are_shown_not_obeyed() {
    let mut page = Page::new();
    page.enter("echo \u{202E}gnp.exe\u{202C}spoof");
    assert!(page.shown(0).ends_with("⟨U+202E⟩gnp.exe⟨U+202C⟩spoof"));
}

#[test]
fn a_consumer_with_a_timeout_ends_as_the_page_clock_runs() {
    let mut page = Page::new();
    page.enter(&format!("kafka-topics.sh {BOOT} --create --topic quiet"));
    page.enter(&format!(
        "kafka-console-consumer.sh {BOOT} --topic quiet --timeout-ms 2000"
    ));
    assert!(page.wb.tab().running());
    page.wait(4_000);
    assert!(!page.wb.tab().running(), "{}", page.shown(0));
    // ConsoleConsumer: a timeout ends it with "Processed a total of N messages".
    assert!(
        page.shown(0).ends_with("Processed a total of 0 messages"),
        "{}",
        page.shown(0)
    );
}

#[test]
fn steps_open_in_order_unless_the_lesson_opens_them_and_a_jump_runs_the_skipped_solutions() {
    let text = |steps: &str| {
        format!(
            "---\nid: s\ntitle: S\nbrokers: 1\n{steps}---\n\
             ## One\ncheck: topic a exists\n\
             solution: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic a\n\
             ## Two\ncheck: topic b exists\n\
             solution: kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic a --timeout-ms 1000\n\
             solution: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic b\n\
             ## Three\ncheck: topic c exists\n\
             solution: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic c\n"
        )
    };
    let open = |page: &mut Page, steps: &str| {
        page.apply(Action::Lesson(LessonAction::OpenFile {
            name: "s.md".into(),
            text: text(steps),
        }))
    };
    // Locked (the default): step 3 does not open before 1 and 2 pass.
    let mut page = Page::new();
    open(&mut page, "");
    page.apply(Action::Lesson(LessonAction::GoTo(2)));
    assert_eq!(page.wb.lesson.as_ref().map(|r| r.step), Some(0));
    // Open: a jump to step 3 runs steps 1 and 2's solutions first, one after another (the
    // consumer ends before `b` is created), and leaves them not passed: the learner skipped them.
    let mut page = Page::new();
    open(&mut page, "steps: open\n");
    page.apply(Action::Lesson(LessonAction::GoTo(2)));
    assert_eq!(page.wb.lesson.as_ref().map(|r| r.step), Some(2));
    assert!(page.wb.playground.cluster.topic("a").is_some());
    assert!(page.wb.playground.cluster.topic("b").is_none());
    page.wait(3_000);
    assert!(page.wb.playground.cluster.topic("b").is_some());
    let run = page.wb.lesson.as_ref().expect("lesson");
    assert_eq!(run.passed, vec![false, false, false]);
}

#[test]
fn a_learner_hands_in_what_they_did_with_hints_solutions_and_time() {
    let mut page = Page::new();
    let lesson = "---\nid: r\ntitle: R\nbrokers: 1\n---\n\
                  ## A\ncheck: topic a exists\nhint: create it\n\
                  solution: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic a\n\
                  ## B\ncheck: topic b exists\n\
                  solution: kafka-topics.sh --bootstrap-server localhost:9092 --create --topic b\n";
    page.apply(Action::Lesson(LessonAction::OpenFile {
        name: "r.md".into(),
        text: lesson.into(),
    }));
    page.apply(Action::Lesson(LessonAction::Hint));
    page.wait(2_000);
    page.enter(&format!("kafka-topics.sh {BOOT} --create --topic a"));
    page.apply(Action::Lesson(LessonAction::GoTo(1)));
    page.apply(Action::Lesson(LessonAction::ShowSolution));
    page.apply(Action::Lesson(LessonAction::RunSolution));
    page.wait(60_000);
    let results = page.wb.results("Ada").expect("a lesson is open");
    let r = &results.lessons[0];
    assert_eq!(
        (
            r.id.as_str(),
            r.steps,
            r.passed,
            r.attempts,
            r.hints,
            r.solutions,
            r.seconds
        ),
        ("r", 2, 2, 2, 1, 1, 2)
    );
    assert!(results.codes()[0].starts_with("kp1:Ada:r:2/2:"));
    // Kept across a reload with the rest of the lesson.
    let saved = page.wb.snapshot().lesson.expect("saved");
    assert_eq!((saved.effort.hints, saved.effort.solutions), (1, 1));
}

#[test]
fn a_link_with_more_tabs_open_than_the_page_shows_is_refused() {
    let start = crate::engine::clock::DEFAULT_START_MS;
    let link = |tabs: usize, close: bool| {
        let mut j = crate::share::Journal::new(start, 3);
        for tab in 1..=tabs {
            j.record(start, tab, Kind::Line, "echo hi");
            if close && tab > 1 {
                j.record(start, tab, Kind::Close, "");
            }
        }
        j.encode()
    };
    let many = Workbench::open(
        Start::Link(link(201, false), Ok(Stored::default())),
        START,
        Rc::new(Headless),
    );
    assert_eq!(many.tabs.len(), 1);
    assert_eq!(
        many.tabs[0].lines.back().map(|l| l.text.as_str()),
        Some(
            "[playground] The share link could not be opened: it opens more than 6 tabs at once, the most the page shows. Starting with a fresh cluster."
        )
    );
    // Tabs opened one after another, each closed, are fine; so are six at once.
    let closed = Workbench::open(
        Start::Link(link(20, true), Ok(Stored::default())),
        START,
        Rc::new(Headless),
    );
    assert!(
        closed.tabs[0]
            .lines
            .back()
            .is_some_and(|l| l.text.contains("Opened a shared session"))
    );
    let six = Workbench::open(
        Start::Link(link(MAX_TABS, false), Ok(Stored::default())),
        START,
        Rc::new(Headless),
    );
    assert_eq!(six.tabs.len(), MAX_TABS);
}

#[test]
fn a_large_cluster_still_undoes_after_a_paste() {
    let mut page = Page::new();
    page.enter(&format!(
        "kafka-topics.sh {BOOT} --create --topic t --partitions 6"
    ));
    let mut partitioner = crate::engine::StickyPartitioner::new();
    for i in 0..200_000u32 {
        let record = crate::engine::ProducerRecord {
            value: Some(i.to_be_bytes().to_vec()),
            ..Default::default()
        };
        let cluster = &mut page.wb.playground.cluster;
        let sent =
            cluster.produce_with_acks("t", record, &mut partitioner, crate::engine::Acks::Leader);
        assert!(sent.is_ok());
    }
    assert_eq!(page.records("t"), 200_000);
    page.enter(&format!("kafka-topics.sh {BOOT} --create --topic u"));
    // 2,000 lines that change nothing enter in one slice and leave the undo stack as it was.
    page.apply(Action::Paste(vec!["echo hi"; 2_000].join("\n")));
    assert_eq!(page.wb.pasted_waiting(), 0);
    page.enter(&format!("kafka-topics.sh {BOOT} --delete --topic t"));
    assert_eq!(page.records("t"), 0);
    page.enter("undo");
    assert_eq!(page.records("t"), 200_000);
    page.enter("undo");
    assert!(page.wb.playground.cluster.topic("u").is_none());
    assert_eq!(page.records("t"), 200_000);
}

#[test]
fn a_paste_of_megabytes_waits_uncut_and_ctrl_c_drops_it() {
    let mut page = Page::new();
    let line = format!("echo {}", "x".repeat(50));
    page.apply(Action::Paste(vec![line.as_str(); 100_000].join("\r\n")));
    assert_eq!(
        page.wb.pasted_waiting(),
        100_000 - commands::PASTE_SLICE_LINES
    );
    assert_eq!(
        page.wb.tabs[0].terminal.history().len(),
        commands::PASTE_SLICE_LINES
    );
    page.apply(Action::Interrupt);
    assert_eq!(page.wb.pasted_waiting(), 0);
    page.wait(1_000);
    assert_eq!(
        page.wb.tabs[0].terminal.history().len(),
        commands::PASTE_SLICE_LINES
    );
}

/// A page whose clock moves 10 ms every time it is read.
struct SlowPage;

thread_local! {
    static SLOW_NOW: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

fn slow_now() -> f64 {
    SLOW_NOW.with(|t| {
        t.set(t.get() + 10.0);
        t.get()
    })
}

impl Host for SlowPage {
    fn page_clock(&self) -> Option<fn() -> f64> {
        Some(slow_now)
    }
}

#[test]
fn a_paste_slice_ends_after_50_ms_of_the_page_clock() {
    let mut page = Page::with_host(Rc::new(SlowPage));
    page.apply(Action::Paste(vec!["true"; 100].join("\n")));
    let entered = page.wb.tabs[0].terminal.history().len();
    // Each line reads the clock at least once, so a slice holds at most 5 lines.
    assert!(
        (1..=5).contains(&entered),
        "{entered} lines in the first slice"
    );
    assert_eq!(page.wb.pasted_waiting(), 100 - entered);
}

#[test]
fn a_reload_says_which_connect_workers_and_streams_applications_stopped() {
    let mut page = Page::new();
    page.enter("cd kafka_2.13-4.3.0");
    page.enter(
        "echo \"plugin.path=libs/connect-file-4.3.0.jar\" >> config/connect-standalone.properties",
    );
    page.enter("echo -e \"foo\\nbar\" > test.txt");
    page.enter("bin/connect-standalone.sh config/connect-standalone.properties config/connect-file-source.properties config/connect-file-sink.properties");
    page.apply(Action::NewTab);
    page.enter(&format!(
        "kafka-topics.sh {BOOT} --create --topic streams-plaintext-input"
    ));
    page.enter("kafka-run-class.sh org.apache.kafka.streams.examples.wordcount.WordCountDemo");
    page.wait(12_000);
    assert_eq!(
        page.wb
            .playground
            .files
            .read("/home/kafka/kafka_2.13-4.3.0/test.sink.txt"),
        Some("foo\nbar\n")
    );
    let (text, meta) = page.wb.to_save();
    let storage = MemoryStorage::default();
    storage.save(text, meta, Box::new(|r| assert_eq!(r, Ok(()))));
    let stored = Rc::new(RefCell::new(None));
    let slot = stored.clone();
    storage.load(Box::new(move |r| *slot.borrow_mut() = Some(r)));
    let loaded = stored.take().expect("memory storage answers at once");
    let wb = Workbench::open(Start::Stored(loaded), START + 20_000.0, Rc::new(Headless));
    assert!(wb.tabs[0].lines.back().is_some_and(|l| l.text.contains(
        "Stopped when the page closed: the Kafka Connect worker on port 8083 (connectors local-file-source, local-file-sink), the Kafka Streams application streams-wordcount (start it again"
    )));
    assert!(wb.playground.connect.workers.is_empty() && wb.playground.streams.is_empty());
    // What Kafka keeps outlives them: the sink's file, the source's flushed offsets.
    assert_eq!(
        wb.playground.files.read("/tmp/connect.offsets"),
        Some("[\"local-file-source\",{\"filename\":\"test.txt\"}]\t{\"position\":8}\n")
    );
}
