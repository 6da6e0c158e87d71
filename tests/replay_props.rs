//! Exact replay: a share link reproduces the session its author saw. The author's page ticks
//! at irregular moments and lends the perf tools a real clock that reads differently on every
//! run; a replay knows only the journal. Whatever the page did — Ctrl+C on a throttled perf
//! test, a reload that ended running tools, idle gaps the log cleaner runs in, clock speeds —
//! the replayed session must be the page's, byte for byte of its snapshot.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::cell::Cell;
use std::rc::Rc;

use kafka_playground::session::{Action, Host, Start, Workbench, replay};
use kafka_playground::share::{Journal, Kind};
use proptest::prelude::*;
use proptest::test_runner::{TestError, TestRunner};

const START: f64 = 1_700_000_000_000.0;
const BOOT: &str = "--bootstrap-server localhost:9092";

thread_local! {
    /// The page's real clock: each reading a little later, by an amount no run repeats.
    static REAL: Cell<(f64, u64)> = const { Cell::new((0.0, 0x9e37_79b9_7f4a_7c15)) };
}

fn real_now() -> f64 {
    REAL.with(|c| {
        let (t, s) = c.get();
        let s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let t = t + 0.01 + (s >> 40) as f64 / (1u64 << 24) as f64 * 4.0;
        c.set((t, s));
        t
    })
}

/// A page: it lends the real clock.
struct Page;

impl Host for Page {
    fn page_clock(&self) -> Option<fn() -> f64> {
        Some(real_now)
    }
}

/// The live session and the page's wall clock.
struct Live {
    wb: Workbench,
    now: f64,
}

impl Live {
    fn new() -> Self {
        Live {
            wb: Workbench::open(Start::Fresh, START, Rc::new(Page)),
            now: START,
        }
    }

    fn enter(&mut self, line: &str) {
        self.wb.apply(Action::Enter(line.to_string()));
    }

    /// `ms` of page time in ticks of irregular length (a browser's timer drifts).
    fn wait(&mut self, ms: f64, jitter: &mut u64) {
        let end = self.now + ms;
        while self.now < end {
            *jitter = jitter
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            self.now = (self.now + 16.0 + (*jitter >> 56) as f64).min(end);
            self.wb.apply(Action::Tick(self.now));
        }
    }

    /// The page closes and opens again, restoring what it saved.
    fn reload(&mut self) {
        let saved = self.wb.snapshot_text();
        self.now += 2_000.0;
        self.wb = Workbench::open(
            Start::Stored(Ok(kafka_playground::session::Stored::text(saved))),
            self.now,
            Rc::new(Page),
        );
    }

    fn records(&self, topic: &str) -> usize {
        let c = &self.wb.playground.cluster;
        c.topic(topic)
            .map_or(0, |t| t.partitions().iter().map(|p| p.log().len()).sum())
    }

    /// The session a share link of this one opens to, compared with this one.
    fn replays_exactly(&self) -> Result<(), String> {
        // As a link made now carries it.
        let journal = self.wb.share_journal().ok_or("no journal")?;
        let mut replayed = replay(&journal).workbench;
        replayed.active = self.wb.active;
        let (a, b) = (replayed.snapshot_text(), self.wb.snapshot_text());
        if a == b {
            return Ok(());
        }
        let at = a
            .bytes()
            .zip(b.bytes())
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        let from = at.saturating_sub(300);
        Err(format!(
            "the replay differs from the page at byte {at}:\n replayed: …{}…\n     live: …{}…",
            a.get(from..(at + 200).min(a.len())).unwrap_or(""),
            b.get(from..(at + 200).min(b.len())).unwrap_or("")
        ))
    }
}

/// A compacted topic cleaned while the page ticks and while it idles: the cleaner's passes
/// and its schedule come out the same in a replay that jumps over the idle gaps.
#[test]
fn the_log_cleaner_runs_at_the_same_moments_in_a_replay() {
    let mut live = Live::new();
    let mut jitter = 7;
    live.enter(&format!(
        "kafka-topics.sh {BOOT} --create --topic users --config cleanup.policy=compact --config segment.ms=100 --config min.cleanable.dirty.ratio=0.01 --config delete.retention.ms=20000"
    ));
    live.wait(1_300.0, &mut jitter);
    live.enter(&format!(
        "printf 'a:1\\nb:1\\na:2\\n' | kafka-console-producer.sh {BOOT} --topic users --property parse.key=true --property key.separator=:"
    ));
    live.wait(700.0, &mut jitter);
    live.enter(&format!(
        "printf 'b:NULL\\nc:1\\n' | kafka-console-producer.sh {BOOT} --topic users --property parse.key=true --property key.separator=: --property null.marker=NULL"
    ));
    // Idle for 37 s: the page ticks all along, a replay jumps to the next line.
    live.wait(37_000.0, &mut jitter);
    live.enter(&format!(
        "echo c:2 | kafka-console-producer.sh {BOOT} --topic users --property parse.key=true --property key.separator=:"
    ));
    live.enter("playground clock speed 60");
    live.wait(2_000.0, &mut jitter);
    live.enter(&format!("kafka-topics.sh {BOOT} --describe --topic users"));
    // The cleaner really removed records: a:1 and the tombstone's b:1, then the tombstone.
    assert!(live.records("users") < 6, "{}", live.records("users"));
    live.replays_exactly().unwrap_or_else(|e| panic!("{e}"));
}

/// The case: a throughput-limited perf test stopped with Ctrl+C, and another that a
/// reload ended. The replay reaches the same record counts, and its producer stays dead.
#[test]
fn ctrl_c_on_a_throttled_perf_test_and_a_reload_replay_to_the_same_records() {
    let mut live = Live::new();
    let mut jitter = 3;
    live.enter(&format!(
        "kafka-topics.sh {BOOT} --create --topic perf --partitions 3"
    ));
    live.wb.apply(Action::NewTab);
    let perf = "kafka-producer-perf-test.sh --topic perf --num-records 1000000 --record-size 20 --throughput 700 --producer-props bootstrap.servers=localhost:9092";
    live.enter(perf);
    live.wait(3_731.0, &mut jitter);
    live.wb.apply(Action::Interrupt);
    let stopped = live.records("perf");
    assert!((2_000..3_000).contains(&stopped), "{stopped}");
    live.replays_exactly().unwrap_or_else(|e| panic!("{e}"));

    live.enter(perf);
    live.wait(1_234.0, &mut jitter);
    live.reload();
    let at_reload = live.records("perf");
    assert!(at_reload > stopped);
    live.wait(2_000.0, &mut jitter);
    assert_eq!(
        live.records("perf"),
        at_reload,
        "the reload ended the producer"
    );
    live.replays_exactly().unwrap_or_else(|e| panic!("{e}"));
}

/// One thing a person does on the page.
#[derive(Debug, Clone)]
enum Step {
    /// A line typed in the active tab (from [`LINES`]).
    Enter(usize),
    /// Page time passing, in ticks of irregular length.
    Wait(u32),
    /// The page asleep for this many seconds, then one tick.
    Sleep(u32),
    Interrupt,
    EndOfInput,
    NewTab,
    SelectTab(usize),
    CloseTab(usize),
    /// Lines pasted at once.
    Paste,
    /// A button beside what runs: a broker stops or starts.
    Button(bool),
    Reload,
}

const LINES: &[&str] = &[
    "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t --partitions 3",
    "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --group g --from-beginning",
    "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t",
    "kafka-producer-perf-test.sh --topic t --num-records 100000 --record-size 10 --throughput 300 --producer-props bootstrap.servers=localhost:9092",
    "kafka-producer-perf-test.sh --topic t --num-records 70000 --record-size 10 --throughput -1 --producer-props bootstrap.servers=localhost:9092",
    "kafka-consumer-perf-test.sh --bootstrap-server localhost:9092 --topic t --messages 50000 --timeout 3000",
    "kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --group g",
    "playground advance 20s",
    "playground clock speed 60",
    "playground clock resume",
    "playground clock pause",
    "echo one | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t",
    "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --group h &",
    "undo",
    "a typed line",
];

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..LINES.len()).prop_map(Step::Enter),
        6 => (1u32..6_000).prop_map(Step::Wait),
        1 => (30u32..7_200).prop_map(Step::Sleep),
        2 => Just(Step::Interrupt),
        1 => Just(Step::EndOfInput),
        1 => Just(Step::NewTab),
        1 => (0usize..6).prop_map(Step::SelectTab),
        1 => (0usize..6).prop_map(Step::CloseTab),
        1 => Just(Step::Paste),
        1 => any::<bool>().prop_map(Step::Button),
        1 => Just(Step::Reload),
    ]
}

/// Runs the steps on a live page and compares a replay of its link; returns the kinds of
/// entry its journal holds, to show what the cases exercised.
fn run(steps: &[Step], jitter: u64) -> Result<Vec<Kind>, TestCaseError> {
    let mut live = Live::new();
    let mut jitter = jitter | 1;
    for s in steps {
        match s {
            Step::Enter(i) => live.enter(LINES[*i]),
            Step::Wait(ms) => live.wait(f64::from(*ms), &mut jitter),
            Step::Sleep(s) => {
                live.now += f64::from(*s) * 1000.0;
                live.wb.apply(Action::Tick(live.now));
            }
            Step::Interrupt => {
                live.wb.apply(Action::Interrupt);
            }
            Step::EndOfInput => {
                live.wb.apply(Action::EndOfInput);
            }
            Step::NewTab => {
                live.wb.apply(Action::NewTab);
            }
            Step::SelectTab(i) => {
                live.wb.apply(Action::SelectTab(*i));
            }
            Step::CloseTab(i) => {
                live.wb.apply(Action::CloseTab(*i));
            }
            Step::Paste => {
                live.wb.apply(Action::Paste("x\ny\nz".into()));
            }
            Step::Button(stop) => {
                let verb = if *stop { "stop" } else { "start" };
                live.wb
                    .apply(Action::Control(format!("playground broker {verb} 2")));
            }
            Step::Reload => live.reload(),
        }
    }
    live.replays_exactly().map_err(TestCaseError::fail)?;
    let journal = live.wb.journal.unwrap_or_else(|| Journal::new(0, 3));
    Ok(journal.entries.into_iter().map(|e| e.kind).collect())
}

#[test]
fn random_sessions_with_interruptions_replay_to_the_state_the_page_reached() {
    let mut runner = TestRunner::new(common::config(32).clone_with_source_file(file!()));
    let cases = (proptest::collection::vec(step(), 1..30), any::<u64>());
    let seen = std::cell::RefCell::new(Vec::<Kind>::new());
    let result = runner.run(&cases, |(steps, jitter)| {
        let kinds = run(&steps, jitter)?;
        let mut seen = seen.borrow_mut();
        for k in kinds {
            if !seen.contains(&k) {
                seen.push(k);
            }
        }
        Ok(())
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(why, case)) => {
            panic!("{why}\nminimal failing case: {case:#?}\n{runner}")
        }
        Err(e) => panic!("{e}"),
    }
    // The cases really interrupted tools, slept, reloaded, closed tabs, undid and let tools
    // work while the clock was paused.
    let seen = seen.into_inner();
    for kind in [
        Kind::Interrupt,
        Kind::Jump,
        Kind::Reload,
        Kind::Close,
        Kind::Undo,
        Kind::Poll,
    ] {
        assert!(seen.contains(&kind), "no case had a {kind:?}: {seen:?}");
    }
}

/// A link of the first format, as the page wrote it before the journal knew opened tabs,
/// reloads, scripts or the link's time (`tests/fixtures/link-v1.txt`: deflated JSON with
/// `brokers`, `entries`, `start_ms`), still opens to the session it describes.
#[test]
fn an_old_share_link_still_opens() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/link-v1.txt");
    let code = std::fs::read_to_string(path).expect("the fixture");
    let journal = Journal::decode(code.trim()).expect("it decodes");
    assert_eq!(
        (journal.script, journal.seed, journal.until_ms),
        (false, None, None)
    );
    let wb = Workbench::open(
        Start::Link(
            code.trim().to_string(),
            Ok(kafka_playground::session::Stored::default()),
        ),
        START,
        Rc::new(kafka_playground::session::Headless),
    );
    let c = &wb.playground.cluster;
    // The delete was undone; the two typed records are there; the group exists; broker 3 is
    // stopped; the consumer's tab was closed.
    let orders = c.topic("orders").expect("orders is back after undo");
    let records: usize = orders.partitions().iter().map(|p| p.log().len()).sum();
    assert_eq!(records, 2);
    assert!(c.group_ids().contains(&"g".to_string()));
    assert!(!c.broker(3).is_some_and(|b| b.running));
    assert_eq!(wb.tabs.len(), 1);
    assert!(
        wb.tabs[0].lines.back().is_some_and(|l| l
            .text
            .starts_with("[playground] Opened a shared session: 7 line(s)")),
        "{:?}",
        wb.tabs[0].lines.back()
    );
}

/// With the clock paused, time stands but work goes on: an unthrottled perf test sends a slice
/// on each of the page's ticks, and a replay makes as many.
#[test]
fn tools_work_on_while_the_clock_is_paused_and_replay_so() {
    let mut live = Live::new();
    let mut jitter = 11;
    live.enter(&format!("kafka-topics.sh {BOOT} --create --topic p"));
    live.enter("playground clock pause");
    live.enter("kafka-producer-perf-test.sh --topic p --num-records 200000 --record-size 10 --throughput -1 --producer-props bootstrap.servers=localhost:9092");
    let first_slice = live.records("p");
    assert!(first_slice < 200_000, "{first_slice}");
    live.wait(1_000.0, &mut jitter);
    assert_eq!(live.records("p"), 200_000);
    live.replays_exactly().unwrap_or_else(|e| panic!("{e}"));
}
