//! Fuzzing on the stable toolchain: a small, coverage-free, deterministic mutation fuzzer run as
//! ordinary integration tests (no nightly, no cargo-fuzz). Each target starts from a seed corpus
//! kept in `tests/fuzz-corpus/<target>/` (plus seeds built here), replays every corpus file
//! first — so each crash ever found stays a regression test — then mutates inputs with the
//! playground's own seeded [`Rng`] and checks that nothing panics.
//!
//! Targets: `shell` (the tokenizer and line parser), `terminal` (whole lines through a terminal:
//! continuations, heredocs, pipes, builtins), `tools` (every Kafka tool's option parsing and
//! run, with mutated argument vectors), `lesson` (`Lesson::parse`), `check` (`Check::parse` and
//! evaluation), `snapshot` (`serde_json::from_str::<Playground>` on mutated valid snapshots,
//! then a few commands on whatever decodes) and `share` (share links: `Journal::decode`, then
//! the replay and the script export of whatever decodes).
//!
//! No hangs: every input is bounded in size and every run in steps, never by wall-clock
//! assertions. The test command runs a short pass (a few seconds in debug); a long run:
//!
//! ```text
//! FUZZ_ITERATIONS=1000000 cargo test --release --test fuzz -- --nocapture
//! ```
//!
//! `FUZZ_ITERATIONS` is per target (`FUZZ_ITERATIONS_SHARE=…` sets one target's own);
//! `FUZZ_SEED` picks another deterministic sequence. A crash
//! is written to `target/fuzz-crashes/<target>/`; copy it into `tests/fuzz-corpus/<target>/`
//! with the fix, and it is replayed by every later run. See docs/RELIABILITY.md.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Once;

use kafka_playground::console::script::run_script;
use kafka_playground::console::{Output, Playground, Status, Stdin, Terminal, ToolContext, shell};
use kafka_playground::console::{ToolResult, registry};
use kafka_playground::engine::{Cluster, ClusterConfig, Rng};
use kafka_playground::lesson::check::{Context, Ran};
use kafka_playground::lesson::{Check, Lesson};
use kafka_playground::session::{ReplayBudget, ReplayPlan, replay_within};
use kafka_playground::share::{self, Journal, Kind};
use serde_json::Value;

// ---- the driver ---------------------------------------------------------------------------

thread_local! {
    /// Set while a target runs: its panics are recorded, not printed.
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A panic hook that records panics inside targets (message and location) and leaves every
/// other panic (the test's own assertions) to the default hook.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                let location = info
                    .location()
                    .map_or(String::new(), |l| format!("{}:{}", l.file(), l.line()));
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{message} at {location}")));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into `Err(message at location)`.
fn catch<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    install_hook();
    CAPTURING.with(|c| c.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CAPTURING.with(|c| c.set(false));
    result.map_err(|_| {
        LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "panic".into())
    })
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// `FUZZ_ITERATIONS_<TARGET>` (e.g. `FUZZ_ITERATIONS_SHARE`), else `FUZZ_ITERATIONS`, else
/// the short run.
fn iterations(target: &str, short_run: usize) -> usize {
    let own = format!("FUZZ_ITERATIONS_{}", target.to_uppercase());
    env_number(&own)
        .or_else(|| env_number("FUZZ_ITERATIONS"))
        .map_or(short_run, |n| n as usize)
}

fn root() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // This file is also compiled into the coverage-guided fuzzer's crate, fuzz/.
    match dir.parent() {
        Some(parent) if !dir.join("tests/fuzz-corpus").is_dir() => parent.to_path_buf(),
        _ => dir,
    }
}

/// The corpus files of a target, sorted by name: (file name, bytes).
fn corpus_files(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = root().join("tests/fuzz-corpus").join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy().into();
            (name, std::fs::read(&p).expect("readable corpus file"))
        })
        .collect();
    files.sort();
    files
}

/// FNV-1a: names crash files and outcome signatures.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A coarse fingerprint of what a run printed (digits dropped), so inputs that reach a new
/// answer join the live corpus: a cheap, coverage-free substitute for coverage feedback.
fn signature(parts: &[&str]) -> u64 {
    let text: String = parts
        .iter()
        .flat_map(|p| p.chars().take(60).chain(['|']))
        .filter(|c| !c.is_ascii_digit())
        .collect();
    fnv(text.as_bytes())
}

/// One fuzz target: how its inputs are mutated, run and saved.
struct Target<T> {
    name: &'static str,
    short_run: usize,
    /// Inputs the mutations start from (the corpus files and seeds built here).
    seeds: Vec<T>,
    /// Crashes found earlier (`crash-*` corpus files): replayed on every run, never mutated
    /// (some are slow on purpose, e.g. a clock jumped to its end).
    regressions: Vec<T>,
    mutate: fn(&mut Mutator, &mut T, &[T]),
    /// Runs one input; returns an outcome signature.
    run: Box<dyn Fn(&T) -> u64>,
    /// The input as a corpus file's bytes, and the file's extension.
    save: fn(&T) -> (Vec<u8>, &'static str),
}

/// Replays the corpus, then fuzzes; fails listing every distinct crash found.
fn fuzz<T: Clone>(target: Target<T>) {
    let start = std::time::Instant::now();
    let seed = env_number("FUZZ_SEED").unwrap_or(0x6b70_6c61_7966_757a);
    let mut m = Mutator {
        rng: Rng::seeded(seed ^ fnv(target.name.as_bytes())),
    };
    let mut crashes: Vec<(String, PathBuf)> = Vec::new();
    let mut crash_sites = BTreeSet::new();
    let mut record = |input: &T, message: String| {
        let site = message
            .rsplit(" at ")
            .next()
            .unwrap_or_default()
            .to_string();
        if !crash_sites.insert(site) || crashes.len() >= 20 {
            return;
        }
        let (bytes, ext) = (target.save)(input);
        let dir = root().join("target/fuzz-crashes").join(target.name);
        let path = dir.join(format!("crash-{:016x}.{ext}", fnv(&bytes)));
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(&path, &bytes);
        crashes.push((message, path));
    };
    let mut corpus = target.seeds.clone();
    let mut seen = BTreeSet::new();
    for input in target.regressions.iter().chain(&target.seeds) {
        match catch(|| (target.run)(input)) {
            Ok(sig) => {
                seen.insert(sig);
            }
            Err(message) => record(input, message),
        }
    }
    let iterations = iterations(target.name, target.short_run);
    let mut slowest = (std::time::Duration::ZERO, None);
    for _ in 0..iterations {
        let mut input = corpus[m.below(corpus.len())].clone();
        let rounds = 1 + m.below(4);
        for _ in 0..rounds {
            (target.mutate)(&mut m, &mut input, &corpus);
        }
        let began = std::time::Instant::now();
        match catch(|| (target.run)(&input)) {
            Ok(sig) => {
                // New answers join the corpus (bounded, so memory and time stay flat).
                if seen.insert(sig) && corpus.len() < 4000 {
                    corpus.push(input.clone());
                }
            }
            Err(message) => record(&input, message),
        }
        let took = began.elapsed();
        if took > slowest.0 {
            slowest = (took, Some(input));
        }
    }
    // Reported, never asserted: timing is the machine's, not the code's.
    let slowest_text = slowest
        .1
        .map(|i| {
            let (bytes, _) = (target.save)(&i);
            let text = String::from_utf8_lossy(&bytes).into_owned();
            text.chars().take(160).collect::<String>()
        })
        .unwrap_or_default();
    eprintln!(
        "fuzz {}: {} regressions and {} seeds replayed, {iterations} mutated inputs, {} outcomes, {} crashes, {:.1?} (slowest input {:.1?}: {slowest_text:?})",
        target.name,
        target.regressions.len(),
        target.seeds.len(),
        seen.len(),
        crashes.len(),
        start.elapsed(),
        slowest.0,
    );
    assert!(
        crashes.is_empty(),
        "fuzz target {} panicked on {} input(s):\n{}",
        target.name,
        crashes.len(),
        crashes
            .iter()
            .map(|(m, p)| format!("  {m}\n    input: {}", p.display()))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---- mutations ----------------------------------------------------------------------------

struct Mutator {
    rng: Rng,
}

/// Numbers that break parsers: signs, Java int/long edges, overflow, non-numbers.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "2",
    "3",
    "7",
    "9",
    "10",
    "100",
    "65535",
    "65536",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "99999999999999999999999",
    "1e9",
    "1.5",
    "-0",
    "0x10",
    "NaN",
    "Infinity",
    "",
];

/// Bytes and strings that break text handling: quotes, escapes, separators, non-ASCII.
const ODD: &[&str] = &[
    "'", "\"", "\\", "\\n", "\n", "\r", "\t", " ", "=", ",", ":", ";", "|", "&", ">", ">>", "<",
    "<<", "<<-", "#", "$", "`", "(", ")", "{", "}", "[", "]", "%", "%s", "%d", "%%", "-", "--",
    "*", ".", "..", "/", "\0", "é", "ß", "🦀", "\u{202e}", "\u{feff}", "\u{7f}", "İ", "<script>",
];

impl Mutator {
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        self.rng.below(n.min(u32::MAX as usize) as u32) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }

    /// A word from the target's dictionary, the numbers or the odd strings.
    fn word(&mut self, dict: &[&str]) -> String {
        match self.below(6) {
            0 | 1 => self.pick(NUMBERS).to_string(),
            2 => self.pick(ODD).to_string(),
            _ if dict.is_empty() => self.pick(ODD).to_string(),
            _ => self.pick(dict).to_string(),
        }
    }

    /// One havoc step on bytes: flips, inserts, deletes, copies, dictionary words, splices.
    fn bytes(&mut self, data: &mut Vec<u8>, dict: &[&str], others: &[Vec<u8>], max_len: usize) {
        let len = data.len();
        match self.below(11) {
            10 => {
                // Deep nesting, as a hostile link would send: one opener repeated thousands of
                // times (parsers that recurse per level must refuse it, not overflow).
                let opener = self.pick(NESTING);
                let n = 1 + self.below(20_000);
                let at = self.below(len + 1);
                data.splice(at..at, opener.as_bytes().repeat(n));
            }
            0 if len > 0 => {
                let i = self.below(len);
                data[i] ^= 1 << self.below(8);
            }
            1 if len > 0 => {
                let i = self.below(len);
                data[i] = self.rng.next_u64() as u8;
            }
            2 => {
                let i = self.below(len + 1);
                data.insert(i, self.rng.next_u64() as u8);
            }
            3 if len > 0 => {
                let i = self.below(len);
                let n = 1 + self.below((len - i).min(16));
                data.drain(i..i + n);
            }
            4 if len > 0 => {
                // Copies a range elsewhere (repetition finds quadratic behaviour).
                let i = self.below(len);
                let n = 1 + self.below((len - i).min(64));
                let chunk: Vec<u8> = data[i..i + n].to_vec();
                let at = self.below(len + 1);
                data.splice(at..at, chunk);
            }
            5 if !others.is_empty() => {
                // Splice: a prefix of this input and a suffix of another.
                let other = &others[self.below(others.len())];
                let cut = self.below(len + 1);
                let from = self.below(other.len() + 1);
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            6 => {
                // Replaces a run of digits with an interesting number.
                let digits: Vec<usize> = (0..len).filter(|i| data[*i].is_ascii_digit()).collect();
                let word = self.pick(NUMBERS).as_bytes().to_vec();
                if digits.is_empty() {
                    let at = self.below(len + 1);
                    data.splice(at..at, word);
                } else {
                    let start = digits[self.below(digits.len())];
                    let end = (start..len)
                        .find(|i| !data[*i].is_ascii_digit())
                        .unwrap_or(len);
                    data.splice(start..end, word);
                }
            }
            _ => {
                let word = self.word(dict).into_bytes();
                let at = self.below(len + 1);
                if self.chance(3) && len > 0 {
                    // Overwrites instead of inserting.
                    let end = (at + word.len()).min(len);
                    data.splice(at..end, word);
                } else {
                    data.splice(at..at, word);
                }
            }
        }
        data.truncate(max_len);
    }

    fn text(&mut self, text: &mut String, dict: &[&str], max_len: usize) {
        let mut bytes = std::mem::take(text).into_bytes();
        self.bytes(&mut bytes, dict, &[], max_len);
        *text = String::from_utf8_lossy(&bytes).into_owned();
    }
}

fn as_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// `&Vec<u8>`: it is a `Target<Vec<u8>>::save`, which takes `&T`.
#[allow(clippy::ptr_arg)]
fn byte_target_save(b: &Vec<u8>) -> (Vec<u8>, &'static str) {
    (b.clone(), "txt")
}

/// A corpus file that reproduces a crash found earlier.
fn is_regression(name: &str) -> bool {
    name.starts_with("crash-")
}

/// Corpus files plus extra seeds, as byte inputs: (seeds, regressions).
fn byte_seeds(target: &str, extra: &[&str]) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let (regressions, mut seeds): (Vec<_>, Vec<_>) = corpus_files(target)
        .into_iter()
        .partition(|(name, _)| is_regression(name));
    seeds.extend(extra.iter().map(|s| (String::new(), s.as_bytes().to_vec())));
    let bytes = |files: Vec<(String, Vec<u8>)>| files.into_iter().map(|(_, b)| b).collect();
    (bytes(seeds), bytes(regressions))
}

// ---- the playground the targets run against -------------------------------------------------

/// A busy playground: topics (one compacted), records, the files tools read (reassignment,
/// offsets, delete-records, election JSON, properties) and, `with_group`, a group with
/// committed offsets. (A group brings `__consumer_offsets` and its 50 partitions, which make
/// every step of the clock ten times dearer: the terminal target, whose inputs jump the clock
/// by years, starts without.)
fn base_playground(with_group: bool) -> Playground {
    let mut pg = Playground::scripted(Cluster::new(ClusterConfig::default()));
    let script = r#"
kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t --partitions 3 --replication-factor 2
kafka-topics.sh --bootstrap-server localhost:9092 --create --topic c --config cleanup.policy=compact --replication-factor 3
printf 'a:1\nb:2\nc:3\nd:4\n' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t --property parse.key=true --property key.separator=:
printf 'k:1\nk:2\n' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic c --property parse.key=true --property key.separator=:
cat > reassign.json <<EOF
{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[3,1]}]}
EOF
cat > topics.json <<EOF
{"version":1,"topics":[{"topic":"t"}]}
EOF
cat > offsets.json <<EOF
{"version":1,"partitions":[{"topic":"t","partition":0,"offset":1}]}
EOF
cat > election.json <<EOF
{"partitions":[{"topic":"t","partition":0}]}
EOF
printf 'acks=1\nlinger.ms=5\n' > client.properties
printf 't,0,1\n' > reset.csv
"#;
    run_script(&mut pg, &mut Terminal::batch(), script, false);
    if with_group {
        let group = "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --group g --from-beginning --max-messages 2";
        run_script(&mut pg, &mut Terminal::batch(), group, false);
    }
    pg
}

thread_local! {
    static BASE: Playground = base_playground(true);
    static LIGHT_BASE: Playground = base_playground(false);
}

fn fresh_base() -> Playground {
    BASE.with(Playground::clone)
}

// ---- target: shell ------------------------------------------------------------------------

const SHELL_WORDS: &[&str] = &[
    "echo",
    "printf",
    "seq",
    "cat",
    "ls",
    "rm",
    "sleep",
    "jobs",
    "kill",
    "fg",
    "history",
    "help",
    "playground",
    "kafka-topics.sh",
    "kafka-console-producer.sh",
    "kafka-console-consumer.sh",
    "kafka-console-share-consumer.sh",
    "kafka-share-groups.sh",
    "2>&1",
    "2>/dev/null",
    "> f",
    ">> f",
    "< f",
    "<<EOF",
    "<<'EOF'",
    "<<-EOF",
    "EOF",
    "&",
    "&&",
    "||",
    "\\\n",
    " | ",
    "%1",
    "-9",
    "--topic",
    "--bootstrap-server localhost:9092",
];

/// Openers that nest: groups in a topic regex, JSON arrays and objects, quotes, pipes,
/// subshells and continuations.
const NESTING: &[&str] = &[
    "(", "(?:a|", "[", "{\"a\":", "'\"", "\"'", " | ", "$(", "\\\n", "((a*)*",
];

/// Lines that nest thousands deep: the `shell` and `terminal` targets' seeds.
fn deep_seeds() -> Vec<String> {
    let n = 20_000;
    let nested = |open: &str, close: &str| format!("{}a{}", open.repeat(n), close.repeat(n));
    let regex = nested("(", ")");
    vec![
        format!("kafka-topics.sh --bootstrap-server localhost:9092 --list --topic '{regex}'"),
        format!("kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic \"{regex}\""),
        format!(
            "kafka-console-consumer.sh --bootstrap-server localhost:9092 --include '{regex}' --timeout-ms 10"
        ),
        format!("kafka-get-offsets.sh --bootstrap-server localhost:9092 --topic '{regex}'"),
        format!(
            "cat > deep.json <<EOF\n{}\nEOF\nkafka-reassign-partitions.sh --bootstrap-server localhost:9092 --reassignment-json-file deep.json --execute",
            nested("[", "]")
        ),
        format!(
            "cat > deep.json <<EOF\n{}1{}\nEOF\nkafka-delete-records.sh --bootstrap-server localhost:9092 --offset-json-file deep.json",
            "{\"a\":".repeat(n),
            "}".repeat(n)
        ),
        format!("echo {}", "'\"".repeat(n)),
        format!("echo a{}", " | cat".repeat(n)),
        format!("echo {}", "$(".repeat(n)),
        format!("echo {}", "(".repeat(n)),
        format!("echo a {}", "\\\n".repeat(n)),
    ]
}

/// The `shell` target's run (also the coverage-guided fuzzer's, fuzz/fuzz_targets/shell.rs).
pub fn run_shell(input: &[u8]) -> u64 {
    let line = as_text(input);
    let continues = shell::continues(&line);
    let parsed = shell::parse(&line);
    // Whatever parsed has no empty stage; an error always has a message.
    let outcome = match &parsed {
        Ok(p) => {
            assert!(p.stages.iter().all(|s| !s.is_empty()), "empty stage");
            format!(
                "ok {} {} {}",
                p.stages.len(),
                p.heredoc.is_some(),
                p.background
            )
        }
        Err(e) => {
            let text = e.to_string();
            assert!(!text.is_empty());
            text
        }
    };
    signature(&[&outcome, if continues { "c" } else { "" }])
}

#[test]
fn fuzz_shell_parser() {
    let deep = deep_seeds();
    let deep: Vec<&str> = deep.iter().map(String::as_str).collect();
    let (seeds, regressions) = byte_seeds("shell", &deep);
    fuzz(Target {
        name: "shell",
        short_run: 20_000,
        seeds,
        regressions,
        mutate: |m, input, others| m.bytes(input, SHELL_WORDS, others, 1 << 20),
        run: Box::new(|input| run_shell(input)),
        save: byte_target_save,
    });
}

// ---- target: terminal ---------------------------------------------------------------------

/// Feeds each line of `input` to a terminal over a copy of the base playground: batch mode, or
/// interactive with Ctrl+C, Ctrl+D and polls in between (chosen by the input, so a saved crash
/// replays the same way). Also the coverage-guided fuzzer's run (fuzz/fuzz_targets/terminal.rs).
pub fn run_terminal(input: &[u8]) -> u64 {
    let text = as_text(input);
    let mut pg = LIGHT_BASE.with(Playground::clone);
    let interactive = fnv(input) % 3 == 0;
    let mut terminal = if interactive {
        Terminal::new()
    } else {
        Terminal::batch()
    };
    let mut out = Output::new();
    for (i, line) in text.lines().take(64).enumerate() {
        out.append(terminal.enter(&mut pg, line));
        if interactive {
            match (fnv(line.as_bytes()) + i as u64) % 7 {
                0 => out.append(terminal.interrupt(&mut pg)),
                1 => out.append(terminal.end_of_input(&mut pg)),
                2 => {
                    pg.cluster.advance(5_000);
                    out.append(terminal.poll(&mut pg));
                }
                _ => {}
            }
        }
    }
    if interactive {
        out.append(terminal.interrupt(&mut pg));
        out.append(terminal.end_of_input(&mut pg));
        out.append(terminal.interrupt(&mut pg));
    } else {
        out.append(terminal.end_of_script(&mut pg));
    }
    let text = out.text();
    signature(&[
        text.lines().next().unwrap_or(""),
        &terminal.last_status().to_string(),
    ])
}

#[test]
fn fuzz_terminal_lines() {
    let deep = deep_seeds();
    let deep: Vec<&str> = deep.iter().map(String::as_str).collect();
    let (seeds, regressions) = byte_seeds("terminal", &deep);
    fuzz(Target {
        name: "terminal",
        short_run: 1_500,
        seeds,
        regressions,
        mutate: |m, input, others| m.bytes(input, SHELL_WORDS, others, 1 << 20),
        run: Box::new(|input| run_terminal(input)),
        save: byte_target_save,
    });
}

// ---- target: tools ------------------------------------------------------------------------

/// A tool invocation: the tool, its argument vector, its stdin, and how it is driven.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct ToolInput {
    tool: String,
    args: Vec<String>,
    #[serde(default)]
    stdin: Option<String>,
    /// Driven as in the browser (typed lines, time passing, Ctrl+C) rather than batch.
    #[serde(default)]
    interactive: bool,
}

/// Values tools take: names that exist in the base playground, files, configs, JSON, times.
const TOOL_VALUES: &[&str] = &[
    "localhost:9092",
    "localhost:9093,localhost:9094",
    "localhost",
    "t",
    "c",
    "missing",
    "__consumer_offsets",
    "t,c",
    "t.*",
    "*",
    "g",
    "g2",
    "0",
    "1",
    "3",
    "1:2,2:3",
    "1,2,3",
    "reassign.json",
    "topics.json",
    "offsets.json",
    "election.json",
    "client.properties",
    "reset.csv",
    "nope.json",
    "cleanup.policy=compact",
    "retention.ms=1000",
    "min.insync.replicas=2",
    "max.message.bytes=100",
    "segment.bytes=1",
    "message.max.bytes=200",
    "retention.ms",
    "parse.key=true",
    "key.separator=:",
    "parse.headers=true",
    "null.marker=x",
    "print.key=true",
    "print.timestamp=true",
    "print.partition=true",
    "acks=all",
    "acks=1",
    "max.request.size=50",
    "enable.idempotence=true",
    "topics",
    "brokers",
    "broker-loggers",
    "clients",
    "groups",
    "preferred",
    "unclean",
    "earliest",
    "latest",
    "-2",
    "-1",
    "2024-01-01T00:00:00.000",
    "P1D",
    "PT-1H",
    "describe",
    "--status",
    "--replication",
    "cluster-id",
    "unregister",
    "--id",
    "{\"version\":1,\"partitions\":[]}",
    "00000000000000000000.log",
    "t-0/00000000000000000000.log",
    "/tmp/kafka-logs/t-0/00000000000000000000.log",
    "kafka.serializer.StringDecoder",
    "org.apache.kafka.common.serialization.StringDeserializer",
];

fn tool_options(tool: &str) -> Vec<String> {
    registry::find(tool)
        .map_or(&[][..], |c| c.options())
        .iter()
        .map(|o| format!("--{}", o.name))
        .collect()
}

fn mutate_tool(m: &mut Mutator, input: &mut ToolInput, others: &[ToolInput]) {
    let options = tool_options(&input.tool);
    let option_refs: Vec<&str> = options.iter().map(String::as_str).collect();
    let len = input.args.len();
    match m.below(12) {
        0 | 1 => {
            // Adds one of the tool's options, with a value most of the time.
            let at = m.below(len + 1);
            let mut words = vec![if option_refs.is_empty() {
                m.word(TOOL_VALUES)
            } else {
                m.pick(&option_refs).to_string()
            }];
            if !m.chance(4) {
                words.push(m.word(TOOL_VALUES));
            }
            input.args.splice(at..at, words);
        }
        2 if len > 0 => {
            let i = m.below(len);
            input.args.remove(i);
        }
        3 if len > 0 => {
            let i = m.below(len);
            input.args[i] = m.word(TOOL_VALUES);
        }
        4 if len > 0 => {
            let i = m.below(len);
            let dict: Vec<&str> = option_refs.iter().chain(TOOL_VALUES).copied().collect();
            m.text(&mut input.args[i], &dict, 256);
        }
        5 if len > 0 => {
            let i = m.below(len);
            let copy = input.args[i].clone();
            input.args.insert(m.below(len + 1), copy);
        }
        6 if len > 1 => {
            let (i, j) = (m.below(len), m.below(len));
            input.args.swap(i, j);
        }
        7 if len > 0 => {
            // `--name=value` instead of `--name value`, or the reverse.
            let i = m.below(len);
            if let Some((name, value)) = input.args[i].split_once('=') {
                let (name, value) = (name.to_string(), value.to_string());
                input.args.splice(i..=i, [name, value]);
            } else if i + 1 < len {
                let joined = format!("{}={}", input.args[i], input.args[i + 1]);
                input.args.splice(i..=i + 1, [joined]);
            }
        }
        8 => {
            // Another invocation of the same tool lends its arguments.
            let same: Vec<&ToolInput> = others.iter().filter(|o| o.tool == input.tool).collect();
            if let Some(other) = same.get(m.below(same.len())) {
                let cut = m.below(len + 1);
                let from = m.below(other.args.len() + 1);
                input.args.truncate(cut);
                input.args.extend(other.args[from..].iter().cloned());
            }
        }
        9 => {
            let mut stdin = input.stdin.take().unwrap_or_default();
            if m.chance(3) {
                stdin.push_str(&m.word(TOOL_VALUES));
                stdin.push('\n');
            } else {
                m.text(&mut stdin, TOOL_VALUES, 1024);
            }
            input.stdin = Some(stdin);
        }
        10 => input.interactive = !input.interactive,
        _ => {
            let at = m.below(len + 1);
            let word = m.word(TOOL_VALUES);
            input.args.insert(at, word);
        }
    }
    input.args.truncate(48);
}

/// The most records one fuzzed perf-test run may send. `kafka-producer-perf-test.sh` sends
/// every one of `--num-records` (up to 2^63), each failing fast once the memory limit is
/// reached, as Kafka's does: its input size is the record count, bounded here like every
/// other input's.
const MAX_PERF_RECORDS: i64 = 2_000;

fn bounded_args(tool: &str, args: &[String]) -> Vec<String> {
    if !tool.contains("producer-perf-test") {
        return args.to_vec();
    }
    let clamp = |v: &str| match v.trim().parse::<i64>() {
        Ok(n) if n > MAX_PERF_RECORDS => MAX_PERF_RECORDS.to_string(),
        _ => v.to_string(),
    };
    let mut out: Vec<String> = Vec::with_capacity(args.len());
    for a in args {
        let value_of_num_records = out.last().is_some_and(|p| p == "--num-records");
        out.push(match a.strip_prefix("--num-records=") {
            Some(v) => format!("--num-records={}", clamp(v)),
            None if value_of_num_records => clamp(a),
            None => a.clone(),
        });
    }
    out
}

fn run_tool(input: &ToolInput) -> u64 {
    let Some((_, tool)) = registry::tool_named(&input.tool) else {
        return 0;
    };
    let args = bounded_args(&input.tool, &input.args);
    let mut pg = fresh_base();
    let mut out = Output::new();
    let stdin = match (&input.stdin, input.interactive) {
        (Some(data), _) => Stdin::Data(data.clone()),
        (None, true) => Stdin::Terminal,
        (None, false) => Stdin::Closed,
    };
    let mut ctx = ToolContext {
        playground: &mut pg,
        stdin,
        batch: !input.interactive,
    };
    let code = match tool.run(&args, &mut ctx, &mut out) {
        ToolResult::Exit(code) => code,
        ToolResult::Running(mut session) => {
            let mut status = Status::Running;
            if input.interactive {
                // As in the browser: typed lines, time passing, then Ctrl+C.
                for line in ["a", "k:v", "", "x\ty"] {
                    if status != Status::Running {
                        break;
                    }
                    if session.prompt().is_some() {
                        status = session.line(&mut pg, line, &mut out);
                    }
                    pg.cluster.advance(2_000);
                    if status == Status::Running {
                        status = session.poll(&mut pg, &mut out);
                    }
                }
                if status == Status::Running {
                    status = session.interrupt(&mut pg, &mut out);
                }
            } else {
                status = session.finish(&mut pg, &mut out);
            }
            match status {
                Status::Exited(code) => code,
                Status::Running => -1,
            }
        }
    };
    let stderr = out.stream_text(kafka_playground::console::Stream::Stderr);
    signature(&[
        &input.tool,
        &code.to_string(),
        stderr.lines().next().unwrap_or(""),
    ])
}

/// Tool corpus files: `.json` (an exact [`ToolInput`], as crashes are saved) or `.txt` (one
/// command line, split into words by the playground's shell).
fn tool_seeds() -> (Vec<ToolInput>, Vec<ToolInput>) {
    let (mut seeds, mut regressions) = (Vec::new(), Vec::new());
    for (name, bytes) in corpus_files("tools") {
        let text = as_text(&bytes);
        if name.ends_with(".json") {
            let input = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            if is_regression(&name) {
                regressions.push(input);
            } else {
                seeds.push(input);
            }
            continue;
        }
        let pipeline = shell::parse(text.trim()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let words = pipeline.stages.into_iter().next_back().unwrap_or_default();
        let (tool, args) = words.split_first().expect("a command");
        seeds.push(ToolInput {
            tool: tool.clone(),
            args: args.to_vec(),
            stdin: None,
            interactive: false,
        });
    }
    // Every tool is fuzzed, even one without corpus files: from its bare name and --help.
    for tool in registry::tools().map(|c| c.name) {
        for args in [vec![], vec!["--help".to_string()]] {
            seeds.push(ToolInput {
                tool: tool.to_string(),
                args,
                stdin: None,
                interactive: false,
            });
        }
    }
    (seeds, regressions)
}

#[test]
fn fuzz_tool_options() {
    let (seeds, regressions) = tool_seeds();
    let named: BTreeSet<&str> = seeds.iter().map(|s| s.tool.as_str()).collect();
    for tool in registry::tools().map(|c| c.name) {
        assert!(named.contains(tool), "{tool} has no fuzz seed");
    }
    fuzz(Target {
        name: "tools",
        short_run: 2000,
        seeds,
        regressions,
        mutate: mutate_tool,
        run: Box::new(run_tool),
        save: |input| {
            let json = serde_json::to_string_pretty(input).expect("serializable");
            (json.into_bytes(), "json")
        },
    });
}

// ---- targets: lesson and check ------------------------------------------------------------

const LESSON_WORDS: &[&str] = &[
    "---\n",
    "\n## ",
    "check: ",
    "hint: ",
    "solution: ",
    "setup: ",
    "id: ",
    "title: ",
    "brokers: ",
    "level: ",
    "```\n",
    "not ",
    "topic ",
    "partitions ",
    "replication-factor ",
    "group ",
    "ran ",
    "records ",
    "config ",
    "isr ",
    "leader ",
    "or ",
    "key ",
    "latest in ",
    "partition in ",
    "assigns ",
    "quorum leader ",
    "answer ",
    "answer is ",
    "message: ",
    "question: ",
    "choice: ",
    "playground answer ",
    ">= ",
    "== ",
    "< ",
];

fn evaluate_checks(checks: &[Check], commands: &[String]) -> String {
    let ran: Vec<Ran> = commands
        .iter()
        .enumerate()
        .map(|(i, line)| Ran {
            line,
            failed: i % 3 == 2,
        })
        .collect();
    BASE.with(|pg| {
        let ctx = Context {
            cluster: &pg.cluster,
            commands: &ran,
        };
        checks
            .iter()
            .map(|c| format!("{:?}", c.evaluate(&ctx)))
            .collect::<Vec<_>>()
            .join(",")
    })
}

#[test]
fn fuzz_lesson_parser() {
    let mut extra: Vec<String> = Vec::new();
    // The shipped lessons are seeds too (read from lessons/, so they follow every edit).
    if let Ok(dir) = std::fs::read_dir(root().join("lessons")) {
        let mut paths: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
        {
            if p.file_name().is_some_and(|n| n != "README.md") {
                extra.push(std::fs::read_to_string(p).expect("lesson"));
            }
        }
    }
    let extra_refs: Vec<&str> = extra.iter().map(String::as_str).collect();
    let (seeds, regressions) = byte_seeds("lesson", &extra_refs);
    fuzz(Target {
        name: "lesson",
        short_run: 3_000,
        seeds,
        regressions,
        mutate: |m, input, others| m.bytes(input, LESSON_WORDS, others, 64 * 1024),
        run: Box::new(|input| {
            let text = as_text(input);
            match Lesson::parse(&text) {
                Ok(lesson) => {
                    let mut outcome = String::from("ok");
                    for step in &lesson.steps {
                        outcome.push_str(&evaluate_checks(&step.checks, &step.solution));
                    }
                    signature(&[&outcome])
                }
                Err(e) => signature(&[&e.message]),
            }
        }),
        save: byte_target_save,
    });
}

#[test]
fn fuzz_check_parser() {
    let (seeds, regressions) = byte_seeds("check", &[]);
    fuzz(Target {
        name: "check",
        short_run: 10_000,
        seeds,
        regressions,
        mutate: |m, input, others| m.bytes(input, LESSON_WORDS, others, 512),
        run: Box::new(|input| {
            let line = as_text(input);
            match Check::parse(&line) {
                Ok(check) => {
                    let commands = [line.clone(), "kafka-topics.sh --describe".into()];
                    signature(&["ok", &evaluate_checks(&[check], &commands)])
                }
                Err(e) => signature(&[&e]),
            }
        }),
        save: byte_target_save,
    });
}

// ---- target: snapshot ---------------------------------------------------------------------

/// Valid snapshots to start from: playgrounds in several states, serialized now (so they
/// follow the current format), plus the corpus files (older or damaged ones).
pub fn snapshot_seeds() -> (Vec<String>, Vec<String>) {
    let (mut seeds, regressions) = byte_seeds("snapshot", &[]);
    let text = |files: Vec<Vec<u8>>| files.iter().map(|b| as_text(b)).collect::<Vec<_>>();
    let (mut seeds, regressions) = (text(std::mem::take(&mut seeds)), text(regressions));
    let mut fresh = Playground::new(Cluster::new(ClusterConfig {
        brokers: 1,
        ..ClusterConfig::default()
    }));
    seeds.push(serde_json::to_string(&fresh).unwrap());
    run_script(
        &mut fresh,
        &mut Terminal::batch(),
        "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic a\necho x | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic a",
        false,
    );
    seeds.push(serde_json::to_string(&fresh).unwrap());
    let mut busy = fresh_base();
    seeds.push(serde_json::to_string(&busy).unwrap());
    run_script(
        &mut busy,
        &mut Terminal::batch(),
        "playground broker stop 2\nplayground advance 1h\nkafka-configs.sh --bootstrap-server localhost:9092 --alter --entity-type topics --entity-name t --add-config retention.ms=1000\nplayground advance 10m",
        false,
    );
    seeds.push(serde_json::to_string(&busy).unwrap());
    (seeds, regressions)
}

/// What a restored session is asked first: the picture, descriptions, time passing, a produce
/// and a consume.
const AFTER_RESTORE: &str = "playground
kafka-topics.sh --bootstrap-server localhost:9092 --describe
kafka-consumer-groups.sh --bootstrap-server localhost:9092 --describe --all-groups
echo k:v | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t --property parse.key=true --property key.separator=:
kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --from-beginning --max-messages 3
kafka-get-offsets.sh --bootstrap-server localhost:9092
playground broker start 2
playground advance 10m";

/// Integers for numeric fields: the edges of Java's and Rust's integer types.
const INTEGERS: &[i128] = &[
    0,
    1,
    -1,
    2,
    3,
    4,
    10,
    50,
    i32::MAX as i128,
    i32::MIN as i128,
    i32::MAX as i128 + 1,
    i64::MAX as i128,
    i64::MIN as i128,
    i64::MAX as i128 - 1,
    u64::MAX as i128,
    1 << 53,
];

/// Walks to a random node of the tree and changes it. Most changes keep the node's type (so
/// the snapshot still decodes and the odd value reaches the engine): numbers to edge values,
/// strings to odd ones, entries removed, duplicated or swapped; some change its type or move
/// another subtree there.
fn mutate_json(m: &mut Mutator, root: &mut Value) {
    let donor = random_node(m, root).clone();
    let mut node = root;
    let mut depth = 0;
    loop {
        let children = match &*node {
            Value::Array(a) => a.len(),
            Value::Object(o) => o.len(),
            _ => 0,
        };
        // Past the top levels (playground, cluster), where the engine's data is.
        if children == 0 || (depth >= 2 && m.chance(6)) {
            break;
        }
        depth += 1;
        let i = m.below(children);
        node = match node {
            Value::Array(a) => &mut a[i],
            Value::Object(o) => o.values_mut().nth(i).expect("in range"),
            _ => unreachable!(),
        };
    }
    if m.chance(8) {
        // A change of type, or another subtree moved here.
        *node = match m.below(6) {
            0 => Value::Null,
            1 => Value::Bool(true),
            2 => Value::Array(vec![]),
            3 => Value::String(m.word(TOOL_VALUES)),
            4 => serde_json::from_str(m.pick(NUMBERS)).unwrap_or(Value::Null),
            _ => donor,
        };
        return;
    }
    match node {
        Value::Number(n) => {
            let base = n.as_i64().map(i128::from).or(n.as_u64().map(i128::from));
            let value = match (m.below(3), base) {
                (0, Some(b)) => b + [-1, 1, -2, 2, 1000, -1000][m.below(6)],
                _ => INTEGERS[m.below(INTEGERS.len())],
            };
            *node = i64::try_from(value)
                .map(Value::from)
                .or_else(|_| u64::try_from(value).map(Value::from))
                .unwrap_or(Value::from(0));
        }
        Value::String(s) => match m.below(3) {
            0 => *s = m.word(TOOL_VALUES),
            1 => s.clear(),
            _ => m.text(s, TOOL_VALUES, 256),
        },
        Value::Bool(b) => *b = !*b,
        Value::Array(a) if !a.is_empty() => {
            let i = m.below(a.len());
            match m.below(4) {
                0 => {
                    a.remove(i);
                }
                1 => {
                    let copy = a[i].clone();
                    a.insert(m.below(a.len() + 1), copy);
                }
                2 => {
                    let j = m.below(a.len());
                    a.swap(i, j);
                }
                _ => a.clear(),
            }
        }
        Value::Object(o) if !o.is_empty() => {
            // Removing a field: fine for `#[serde(default)]` ones, an error for the rest.
            let key = o.keys().nth(m.below(o.len())).cloned().unwrap_or_default();
            if m.chance(2) {
                o.remove(&key);
            } else if let Some(v) = o.get(&key).cloned() {
                // Map keys (broker ids, group names, topic names) are data too.
                o.remove(&key);
                let mut renamed = key;
                m.text(&mut renamed, TOOL_VALUES, 64);
                o.insert(renamed, v);
            }
        }
        _ => *node = donor,
    }
}

fn random_node<'v>(m: &mut Mutator, mut node: &'v Value) -> &'v Value {
    loop {
        let next = match node {
            Value::Array(a) if !a.is_empty() => &a[m.below(a.len())],
            Value::Object(o) if !o.is_empty() => {
                o.values().nth(m.below(o.len())).expect("in range")
            }
            _ => return node,
        };
        if m.chance(4) {
            return node;
        }
        node = next;
    }
}

fn mutate_snapshot(m: &mut Mutator, input: &mut String, _: &[String]) {
    if m.chance(20) {
        m.text(input, ODD, 1 << 20);
        return;
    }
    if let Ok(mut value) = serde_json::from_str::<Value>(input) {
        mutate_json(m, &mut value);
        *input = value.to_string();
    } else {
        m.text(input, ODD, 1 << 20);
    }
}

/// The `snapshot` target's run (also the coverage-guided fuzzer's,
/// fuzz/fuzz_targets/snapshot.rs).
pub fn run_snapshot(input: &str) -> u64 {
    match serde_json::from_str::<Playground>(input) {
        Err(e) => {
            let text = e.to_string();
            signature(&["err", text.split(" at line").next().unwrap_or("")])
        }
        Ok(mut pg) => {
            // Whatever decodes must keep working: the browser restores it and runs on.
            let out = run_script(&mut pg, &mut Terminal::batch(), AFTER_RESTORE, false);
            let again = serde_json::to_string(&pg).unwrap();
            let _: Playground = serde_json::from_str(&again).expect("its own output decodes");
            signature(&["ok", out.text().lines().next().unwrap_or("")])
        }
    }
}

#[test]
fn fuzz_snapshot_decoder() {
    let (seeds, regressions) = snapshot_seeds();
    fuzz(Target {
        name: "snapshot",
        short_run: 300,
        seeds,
        regressions,
        mutate: mutate_snapshot,
        run: Box::new(|input| run_snapshot(input)),
        save: |s| (s.clone().into_bytes(), "json"),
    });
}

// ---- target: share links ------------------------------------------------------------------

/// Share links to start from: journals of short sessions (commands, a producer fed by typed
/// lines, a consumer stopped with Ctrl+C, a second tab, undo), encoded as the page encodes them.
pub fn share_seeds() -> (Vec<String>, Vec<String>) {
    let (seeds, regressions) = byte_seeds("share", &[]);
    let text = |files: Vec<Vec<u8>>| files.iter().map(|b| as_text(b)).collect::<Vec<_>>();
    let (mut seeds, regressions) = (text(seeds), text(regressions));
    let start = kafka_playground::engine::clock::DEFAULT_START_MS;
    let mut journal = Journal::new(start, 3);
    let lines = [
        (
            0,
            1,
            Kind::Line,
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t --partitions 2",
        ),
        (
            1_000,
            1,
            Kind::Line,
            "kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t",
        ),
        (2_000, 1, Kind::Line, "hello"),
        (3_000, 1, Kind::EndOfInput, ""),
        (
            4_000,
            2,
            Kind::Line,
            "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --partition 0 --offset earliest",
        ),
        (9_000, 2, Kind::Interrupt, ""),
        (10_000, 1, Kind::Line, "playground broker stop 2"),
        (11_000, 1, Kind::Undo, ""),
        (12_000, 2, Kind::Close, ""),
    ];
    for (at, tab, kind, text) in lines {
        journal.record(start + at, tab, kind, text);
    }
    seeds.push(journal.encode());
    journal.setup =
        vec!["kafka-topics.sh --bootstrap-server localhost:9092 --create --topic seed".into()];
    journal.entries.truncate(4);
    seeds.push(journal.encode());
    // A short link that nests a topic regex deeply (the page once died of its stack).
    let mut journal = Journal::new(start, 1);
    for line in deep_seeds().into_iter().take(4) {
        journal.record(start, 1, Kind::Line, &line);
    }
    seeds.push(journal.encode());
    (seeds, regressions)
}

/// Mutates the journal inside the link (then encodes it again), or the link's text itself.
fn mutate_share(m: &mut Mutator, input: &mut String, _: &[String]) {
    if m.chance(4) {
        m.text(input, ODD, 1 << 20);
        return;
    }
    let Ok(journal) = Journal::decode(input) else {
        m.text(input, ODD, 1 << 20);
        return;
    };
    let text = serde_json::to_string(&journal).unwrap();
    let Ok(mut value) = serde_json::from_str::<Value>(&text) else {
        return;
    };
    mutate_json(m, &mut value);
    if let Ok(journal) = serde_json::from_str::<Journal>(&value.to_string()) {
        *input = journal.encode();
    }
}

/// The `share` target's run (also the coverage-guided fuzzer's, fuzz/fuzz_targets/share.rs).
pub fn run_share(input: &str) -> u64 {
    match Journal::decode(input) {
        Err(e) => signature(&["err", &e]),
        Ok(journal) => {
            // A link is untrusted: whatever decodes replays in bounded time, and becomes
            // a script.
            let replayed = kafka_playground::session::replay(&journal);
            let script = share::to_script(&journal);
            let printed: String = replayed.printed.iter().map(|(_, o)| o.text()).collect();
            // The replay budget reads any journal, and a replay within a tight one stops
            // where the budget says, never later: what the plan finds over it, the bounded
            // replay refuses too.
            let tight = ReplayBudget {
                simulated_ms: 60_000,
                running_ms: 5_000,
                records: 100,
                tabs: 2,
                commands: 20,
            };
            let plan = ReplayPlan::of(&journal, &tight);
            let within = replay_within(&journal, &tight);
            assert!(
                !plan.needs_consent() || within.is_err(),
                "a plan over the budget ({:?}) replayed anyway",
                plan.over
            );
            signature(&[
                "ok",
                printed.lines().next().unwrap_or(""),
                &script[..0],
                if within.is_ok() { "within" } else { "over" },
            ])
        }
    }
}

#[test]
fn fuzz_share_links() {
    let (seeds, regressions) = share_seeds();
    fuzz(Target {
        name: "share",
        short_run: 150,
        seeds,
        regressions,
        mutate: mutate_share,
        run: Box::new(|input| run_share(input)),
        save: |s| (s.clone().into_bytes(), "txt"),
    });
}

#[test]
fn corpus_directories_exist_for_every_target() {
    for target in [
        "shell", "terminal", "tools", "lesson", "check", "snapshot", "share",
    ] {
        let dir: &Path = &root().join("tests/fuzz-corpus").join(target);
        assert!(dir.is_dir(), "{} is missing", dir.display());
    }
}
