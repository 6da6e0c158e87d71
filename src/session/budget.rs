//! The replay budget: what a share link may make the reader's page do before the reader has
//! said yes. A link is untrusted — a few hundred characters can name hours of running tools,
//! billions of records or hundreds of tabs — so the page first asks for its [`ReplayPlan`]
//! (read from the journal alone, at no cost), asks the reader's consent when the plan is over
//! budget, and otherwise replays with [`replay_within`], which stops at the budget for what
//! only running the link can tell (how long tools ran, how many records they made).
//!
//! Invariant: nothing here runs a command before the budget is checked; a plan never panics
//! whatever the journal holds.

use super::replay::{MAX_REPLAY_POLLS, ReplayRun, Replayed};
use super::{MAX_TABS, POLL_MS};
use crate::console::Playground;
use crate::share::{Journal, Kind};

/// What a link may do without the reader's consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayBudget {
    /// Simulated time from the session's start to its end (an idle clock is cheap to move:
    /// a lesson's `playground advance 7d` stays within).
    pub simulated_ms: i64,
    /// Simulated time tools may run while replayed (at speed 1; polled every 100 ms).
    pub running_ms: i64,
    /// Records the cluster may hold.
    pub records: u64,
    /// Tabs open at once (the page opens at most [`MAX_TABS`]).
    pub tabs: usize,
    /// Lines typed.
    pub commands: usize,
}

impl Default for ReplayBudget {
    fn default() -> Self {
        ReplayBudget {
            simulated_ms: 30 * 86_400_000,
            running_ms: MAX_REPLAY_POLLS as i64 * POLL_MS,
            records: 1_000_000,
            tabs: MAX_TABS,
            commands: 2_000,
        }
    }
}

/// One way a link goes over the budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Excess {
    /// This much simulated time.
    SimulatedTime(i64),
    /// Tools running for at least this much simulated time.
    RunningTools(i64),
    /// About this many records (from `--num-records` and `seq` in its lines, or counted).
    Records(u64),
    /// This many tabs open at once.
    Tabs(usize),
    /// This many lines typed.
    Commands(usize),
}

impl std::fmt::Display for Excess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Excess::SimulatedTime(ms) => write!(f, "{} of simulated time", duration(*ms)),
            Excess::RunningTools(ms) => {
                write!(f, "tools running for {} of simulated time", duration(*ms))
            }
            Excess::Records(n) => write!(f, "{n} records"),
            Excess::Tabs(n) => write!(f, "{n} tabs (a page opens at most {MAX_TABS})"),
            Excess::Commands(n) => write!(f, "{n} commands"),
        }
    }
}

/// `10 h`, `3 d`, `45 min`, `20 s`: the largest whole unit.
fn duration(ms: i64) -> String {
    const UNITS: [(i64, &str); 4] = [
        (86_400_000, "d"),
        (3_600_000, "h"),
        (60_000, "min"),
        (1_000, "s"),
    ];
    for (size, unit) in UNITS {
        if ms >= size {
            return format!("{} {unit}", ms / size);
        }
    }
    format!("{ms} ms")
}

/// What replaying a journal takes, read from the journal alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayPlan {
    /// From the session's start to its last entry (or the link's time).
    pub simulated_ms: i64,
    /// Records its lines ask for at most (`--num-records`, `seq`); interrupted runs make fewer.
    pub records: u64,
    /// The most tabs open at once.
    pub tabs: usize,
    /// Lines typed.
    pub commands: usize,
    /// Where it goes over the budget it was planned against: empty when it may replay at once.
    pub over: Vec<Excess>,
}

impl ReplayPlan {
    /// The plan of `journal` against `budget`.
    pub fn of(journal: &Journal, budget: &ReplayBudget) -> ReplayPlan {
        let end = journal
            .entries
            .iter()
            .map(|e| e.at_ms)
            .chain(journal.until_ms)
            .chain(
                // A leap's target is in its text.
                journal
                    .entries
                    .iter()
                    .filter(|e| e.kind == Kind::Jump)
                    .filter_map(|e| e.text.parse::<i64>().ok()),
            )
            .max()
            .unwrap_or(journal.start_ms);
        let simulated_ms = end.saturating_sub(journal.start_ms).max(0);
        let lines = journal.entries.iter().filter(|e| e.kind == Kind::Line);
        let records = lines
            .clone()
            .map(|e| records_asked(&e.text))
            .fold(0u64, u64::saturating_add);
        let commands = lines.count();
        let tabs = most_tabs_open(journal);
        let mut over = Vec::new();
        if simulated_ms > budget.simulated_ms {
            over.push(Excess::SimulatedTime(simulated_ms));
        }
        if records > budget.records {
            over.push(Excess::Records(records));
        }
        if tabs > budget.tabs {
            over.push(Excess::Tabs(tabs));
        }
        if commands > budget.commands {
            over.push(Excess::Commands(commands));
        }
        ReplayPlan {
            simulated_ms,
            records,
            tabs,
            commands,
            over,
        }
    }

    /// Whether the reader must agree before the link replays.
    pub fn needs_consent(&self) -> bool {
        !self.over.is_empty()
    }

    /// What to ask the reader: "This link replays 10 h of simulated time and 201 tabs." (None
    /// when within budget).
    pub fn consent_question(&self) -> Option<String> {
        consent_question(&self.over)
    }
}

/// The question for the reader about `over`.
pub fn consent_question(over: &[Excess]) -> Option<String> {
    let parts: Vec<String> = over.iter().map(Excess::to_string).collect();
    let list = match parts.as_slice() {
        [] => return None,
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    Some(format!(
        "This link replays {list}, more than a link may without asking: replay it anyway?"
    ))
}

/// Replays `journal` unless it goes over `budget`: over what its plan shows, nothing runs;
/// over what only running shows (tools running too long, too many records), the replay stops
/// there. Either way the excess is returned for the page to ask about; with the reader's
/// consent it calls [`super::replay`].
pub fn replay_within(journal: &Journal, budget: &ReplayBudget) -> Result<Replayed, Vec<Excess>> {
    let mut run = start_within(journal, budget)?;
    while !run.step(usize::MAX) {}
    finish_within(run, budget)
}

/// A replay within `budget`, to be run in steps ([`ReplayRun::step`]); the budget's plan is
/// checked first, so nothing runs when the reader must consent.
pub fn start_within(journal: &Journal, budget: &ReplayBudget) -> Result<ReplayRun, Vec<Excess>> {
    let plan = ReplayPlan::of(journal, budget);
    if plan.needs_consent() {
        return Err(plan.over);
    }
    let max_polls = usize::try_from(budget.running_ms / POLL_MS).unwrap_or(0);
    Ok(ReplayRun::start(
        journal.clone(),
        max_polls,
        Some(budget.records),
    ))
}

/// Where a replay within `budget` ended: the session, or what only running it showed to be
/// over the budget (tools running longer, more records).
pub fn finish_within(run: ReplayRun, budget: &ReplayBudget) -> Result<Replayed, Vec<Excess>> {
    match run.finish() {
        (_, Some(excess)) => Err(vec![excess]),
        (replayed, None) if !replayed.exact => Err(vec![Excess::RunningTools(budget.running_ms)]),
        (replayed, None) => Ok(replayed),
    }
}

/// Records the cluster holds.
pub(super) fn records(pg: &Playground) -> u64 {
    pg.cluster
        .topics()
        .flat_map(|t| t.partitions().iter())
        .map(|p| p.log().len() as u64)
        .sum()
}

/// Records a line asks for at most: a producer perf test's `--num-records N`, and the numbers
/// of a `seq` (which a pipe may send to a producer).
fn records_asked(line: &str) -> u64 {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut asked = 0u64;
    for (i, w) in words.iter().enumerate() {
        let next = |k: usize| words.get(i + k).and_then(|v| count(v));
        if let Some(n) = w.strip_prefix("--num-records=").and_then(count) {
            asked = asked.saturating_add(n.max(0) as u64);
        } else if *w == "--num-records" {
            asked = asked.saturating_add(next(1).unwrap_or(0).max(0) as u64);
        } else if *w == "seq" {
            // `seq LAST`, `seq FIRST LAST` or `seq FIRST STEP LAST`.
            let n = match (next(1), next(2), next(3)) {
                (Some(first), Some(step), Some(last)) if step > 0 => {
                    last.saturating_sub(first) / step + 1
                }
                (Some(first), Some(last), _) => last.saturating_sub(first) + 1,
                (Some(last), None, _) => last,
                _ => 0,
            };
            asked = asked.saturating_add(n.max(0) as u64);
        }
    }
    asked
}

/// A whole number as a line may write it; one too large for an `i64` counts as the largest.
fn count(word: &str) -> Option<i64> {
    let digits = word.strip_prefix('-').unwrap_or(word);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(word.parse().unwrap_or(if word.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    }))
}

/// The most tabs a replay of `journal` has open at once (tabs open as they are named, and
/// close at their `Close`; the first is always open).
fn most_tabs_open(journal: &Journal) -> usize {
    let mut open = vec![1usize];
    let mut most = 1;
    for e in journal.entries.iter().filter(|e| e.tab != 0) {
        if e.kind == Kind::Close {
            if open.len() > 1 {
                open.retain(|t| *t != e.tab);
            }
        } else if !open.contains(&e.tab) {
            open.push(e.tab);
            most = most.max(open.len());
        }
    }
    most
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Stored;

    const T0: i64 = 1_735_689_600_000;

    fn journal(lines: &[(i64, usize, &str)]) -> Journal {
        let mut j = Journal::new(T0, 3);
        for (at, tab, text) in lines {
            j.record(T0 + at, *tab, Kind::Line, text);
        }
        j
    }

    #[test]
    fn a_lesson_sized_link_replays_at_once() {
        let j = journal(&[
            (
                0,
                1,
                "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t",
            ),
            (
                1_000,
                1,
                "seq 1 100 | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t",
            ),
            (2_000, 1, "playground advance 7d"),
            (
                7 * 86_400_000 + 2_000,
                2,
                "kafka-topics.sh --bootstrap-server localhost:9092 --list",
            ),
        ]);
        let plan = ReplayPlan::of(&j, &ReplayBudget::default());
        assert_eq!((plan.records, plan.tabs, plan.commands), (100, 2, 4));
        assert!(!plan.needs_consent(), "{plan:?}");
        let replayed = replay_within(&j, &ReplayBudget::default()).expect("within budget");
        assert_eq!(records(&replayed.workbench.playground), 100);
    }

    #[test]
    fn a_link_over_budget_asks_first_and_says_why() {
        let mut j = journal(&[
            (
                0,
                1,
                "kafka-producer-perf-test.sh --topic t --num-records 2000000000 --record-size 10 --throughput -1 --producer-props bootstrap.servers=localhost:9092",
            ),
            (
                36_000_000,
                1,
                "kafka-topics.sh --bootstrap-server localhost:9092 --list",
            ),
        ]);
        for tab in 2..=201 {
            j.record(T0 + 36_000_000, tab, Kind::Line, "echo hi");
        }
        j.until_ms = Some(T0 + 40 * 86_400_000);
        let plan = ReplayPlan::of(&j, &ReplayBudget::default());
        assert_eq!(
            plan.over,
            [
                Excess::SimulatedTime(40 * 86_400_000),
                Excess::Records(2_000_000_000),
                Excess::Tabs(201),
            ]
        );
        assert_eq!(
            plan.consent_question().as_deref(),
            Some(
                "This link replays 40 d of simulated time, 2000000000 records and 201 tabs (a page opens at most 6), more than a link may without asking: replay it anyway?"
            )
        );
        // Nothing ran: the budget was checked first.
        assert_eq!(
            replay_within(&j, &ReplayBudget::default()).err(),
            Some(plan.over)
        );
    }

    #[test]
    fn tools_that_run_past_the_budget_stop_the_replay() {
        // A consumer left running for 10 minutes, over a budget of one: the plan cannot see
        // it, the replay can.
        let j = journal(&[
            (
                0,
                1,
                "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t",
            ),
            (
                0,
                1,
                "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t",
            ),
            (600_000, 2, "echo later"),
        ]);
        let minute = ReplayBudget {
            running_ms: 60_000,
            ..ReplayBudget::default()
        };
        assert!(!ReplayPlan::of(&j, &minute).needs_consent());
        assert_eq!(
            replay_within(&j, &minute).err(),
            Some(vec![Excess::RunningTools(60_000)])
        );
        // Records made while it replays count too.
        let j = journal(&[
            (
                0,
                1,
                "kafka-producer-perf-test.sh --topic t --num-records 500 --record-size 10 --throughput 100 --producer-props bootstrap.servers=localhost:9092",
            ),
            (10_000, 2, "echo later"),
        ]);
        let small = ReplayBudget {
            records: 300,
            ..ReplayBudget::default()
        };
        assert!(!ReplayPlan::of(&j, &ReplayBudget::default()).needs_consent());
        assert!(matches!(
            replay_within(&j, &small).err().as_deref(),
            Some([Excess::Records(n)]) if *n > 300
        ));
    }

    #[test]
    fn a_page_opens_a_link_over_budget_only_with_consent() {
        use super::super::{Headless, Workbench};
        use std::rc::Rc;
        let mut j = journal(&[(
            0,
            1,
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t",
        )]);
        j.until_ms = Some(T0 + 10 * 3_600_000);
        let code = j.encode();
        let hour = ReplayBudget {
            simulated_ms: 3_600_000,
            ..ReplayBudget::default()
        };
        let asked = Workbench::open_link(
            &code,
            Ok(Stored::default()),
            0.0,
            Rc::new(Headless),
            Some(&hour),
        );
        let excess = asked.err().expect("over budget");
        assert_eq!(
            consent_question(&excess).as_deref(),
            Some(
                "This link replays 10 h of simulated time, more than a link may without asking: replay it anyway?"
            )
        );
        // The reader said yes.
        let wb = Workbench::open_link(&code, Ok(Stored::default()), 0.0, Rc::new(Headless), None)
            .expect("replayed");
        assert!(wb.playground.cluster.topic("t").is_some());
        assert_eq!(wb.playground.cluster.now_ms(), T0 + 10 * 3_600_000);
    }

    #[test]
    fn a_replay_never_opens_more_tabs_than_a_page() {
        let mut j = journal(&[]);
        for tab in 1..=50 {
            j.record(T0, tab, Kind::Line, "echo hi");
        }
        let replayed = super::super::replay(&j);
        assert_eq!(replayed.workbench.tabs.len(), MAX_TABS);
    }

    #[test]
    fn records_asked_reads_perf_tests_and_seq() {
        assert_eq!(
            records_asked("kafka-producer-perf-test.sh --num-records 5 --topic t"),
            5
        );
        assert_eq!(
            records_asked("kafka-producer-perf-test.sh --num-records=7"),
            7
        );
        assert_eq!(records_asked("seq 10 | kafka-console-producer.sh"), 10);
        assert_eq!(records_asked("seq 5 14"), 10);
        assert_eq!(records_asked("seq 0 2 9"), 5);
        assert_eq!(records_asked("seq 1 99999999999999999999"), i64::MAX as u64);
        assert_eq!(records_asked("echo --num-records"), 0);
    }
}
