//! `kafka-producer-perf-test.sh` (`org.apache.kafka.tools.ProducerPerformance`, Kafka 4.1):
//! sends `--num-records` records of `--record-size` bytes (or from a payload file, or counting
//! up), at most `--throughput` a second, and prints Kafka's throughput lines: one every 5 s
//! while it runs, then the summary with latency percentiles.
//!
//! Kafka 4.1 parses this tool's command line with argparse4j, not jopt-simple: it has its own
//! usage line, help layout and error texts (`producer-performance: error: …`), and no
//! `--bootstrap-server` (KIP-1147 added it in 4.2): the brokers come from
//! `--producer-props bootstrap.servers=…` or `--producer.config`. The help is laid out as on a
//! terminal wide enough for its longest line, as the other argparse4j tools here are.
//!
//! How it runs in the playground. An unthrottled run (`--throughput -1`) sends as fast as the
//! engine takes records, in slices of at most 50 ms so the page stays responsive; a throttled
//! run sends each record when its time has come on the cluster's clock, so at 1× in the
//! browser `--throughput 5000` really sends 5000 records a second, and in a script the run
//! moves the cluster's clock as `sleep` does. Both are sessions: Ctrl+C stops them (printing
//! nothing, as the JVM has no shutdown hook here), `&` runs them in the background.
//!
//! The figures are measured, on [`PerfClock`]: the cluster's clock plus the real time spent
//! sending (the face lends the real clock; transcripts count 1 µs per record instead). So an
//! unthrottled run reports the engine's own speed, and a throttled one its rate on the
//! cluster's clock. Unthrottled, the cluster's clock is not read between slices: the page moves
//! it while it draws (by the real time the slice took, too), which is not the tool's time.
//!
//! Latency is what Kafka measures, the time from `send()` to the acknowledgement, here on the
//! cluster's clock: the engine appends the record and, with `acks=all`, answers as soon as the
//! in-sync replicas have it, at the same simulated moment while the brokers are healthy, so the
//! latencies are 0 ms. They grow only when the cluster makes a request wait (a follower too
//! slow for `acks=all`), by the simulated time it waited.
//!
//! Failed sends print their exception as the callback's `printStackTrace()` does (the first
//! lines; a `[playground]` line counts the rest) and are not retried; `acks=0` sends never
//! hear of a failure, as with Kafka. With a transactional id, records go in transactions
//! committed every `--transaction-duration-ms` of the tool's clock.

use crate::vec_map::VecMap;

use crate::console::java::format_fixed;
use crate::console::options::{self, Opt};
use crate::console::output::Output;
use crate::console::session::{PerfClock, Playground, Session, Status, ToolContext, ToolResult};
use crate::engine::clock::format_log_timestamp;
use std::collections::VecDeque;

use crate::clients::config::Properties;
use crate::clients::producer::config::ProducerConfig;
use crate::clients::producer::{Completed, KafkaProducer};
use crate::engine::{Acks, Cluster, ProducerRecord};

const PROG: &str = "producer-performance";

const DESCRIPTION: &str = "This tool is used to verify the producer performance. To enable transactions, you can specify a transaction id or set a transaction duration using --transaction-duration-ms. There are three ways to specify the transaction id: set transaction.id=<id> via --producer-props, set transaction.id=<id> in the config file via --producer.config, or use --transaction-id <id>.";

/// The mutually exclusive payload group's description.
const PAYLOAD_GROUP: &str =
    "either --record-size or --payload-file must be specified but not both.";

/// What an argument's value is converted to (argparse4j `type(...)`, `storeTrue()`, `nargs("+")`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Long,
    Integer,
    Double,
    Flag,
    List,
}

/// One argparse4j argument, in the order `argParser()` adds them.
struct Arg {
    flag: &'static str,
    metavar: &'static str,
    kind: Kind,
    required: bool,
    /// In the required, mutually exclusive payload group.
    payload: bool,
    help: &'static str,
    /// What `defaultHelp(true)` appends as `(default: …)`.
    default: Option<&'static str>,
}

const fn arg(flag: &'static str, metavar: &'static str, kind: Kind, help: &'static str) -> Arg {
    Arg {
        flag,
        metavar,
        kind,
        required: false,
        payload: false,
        help,
        default: None,
    }
}

const ONE_OF: &str = "Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.";

const ARGS: &[Arg] = &[
    Arg {
        required: true,
        ..arg(
            "--topic",
            "TOPIC",
            Kind::Text,
            "produce messages to this topic",
        )
    },
    Arg {
        required: true,
        ..arg(
            "--num-records",
            "NUM-RECORDS",
            Kind::Long,
            "number of messages to produce",
        )
    },
    Arg {
        payload: true,
        ..arg(
            "--record-size",
            "RECORD-SIZE",
            Kind::Integer,
            "message size in bytes. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.",
        )
    },
    Arg {
        payload: true,
        ..arg(
            "--payload-file",
            "PAYLOAD-FILE",
            Kind::Text,
            "file to read the message payloads from. This works only for UTF-8 encoded text files. Payloads will be read from this file and a payload will be randomly selected when sending messages. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.",
        )
    },
    Arg {
        payload: true,
        default: Some("false"),
        ..arg(
            "--payload-monotonic",
            "",
            Kind::Flag,
            "payload is monotonically increasing integer. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.",
        )
    },
    Arg {
        default: Some("\\n"),
        ..arg(
            "--payload-delimiter",
            "PAYLOAD-DELIMITER",
            Kind::Text,
            "provides delimiter to be used when --payload-file is provided. Defaults to new line. Note that this parameter will be ignored if --payload-file is not provided.",
        )
    },
    Arg {
        required: true,
        ..arg(
            "--throughput",
            "THROUGHPUT",
            Kind::Double,
            "throttle maximum message throughput to *approximately* THROUGHPUT messages/sec. Set this to -1 to disable throttling.",
        )
    },
    arg(
        "--producer-props",
        "PROP-NAME=PROP-VALUE",
        Kind::List,
        "kafka producer related configuration properties like bootstrap.servers,client.id etc. These configs take precedence over those passed via --producer.config.",
    ),
    arg(
        "--producer.config",
        "CONFIG-FILE",
        Kind::Text,
        "producer config properties file.",
    ),
    Arg {
        default: Some("false"),
        ..arg(
            "--print-metrics",
            "",
            Kind::Flag,
            "print out metrics at the end of the test.",
        )
    },
    arg(
        "--transactional-id",
        "TRANSACTIONAL-ID",
        Kind::Text,
        "The transactional id to use. This config takes precedence over the transactional.id specified via --producer.config or --producer-props. Note that if the transactional id is not specified while --transaction-duration-ms is provided, the default value for the transactional id will be performance-producer- followed by a random uuid.",
    ),
    arg(
        "--transaction-duration-ms",
        "TRANSACTION-DURATION",
        Kind::Long,
        "The max age of each transaction. The commitTransaction will be called after this time has elapsed. The value should be greater than 0. If the transactional id is specified via --producer-props, --producer.config, or --transactional-id but --transaction-duration-ms is not specified, the default value will be 3000.",
    ),
];

/// The options, for tab completion.
pub const OPTIONS: &[Opt] = &[
    Opt::string("topic", "", "TOPIC"),
    Opt::long("num-records", "", "NUM-RECORDS"),
    Opt::integer("record-size", ONE_OF, "RECORD-SIZE"),
    Opt::string("payload-file", ONE_OF, "PAYLOAD-FILE"),
    Opt::flag("payload-monotonic", ONE_OF),
    Opt::string("payload-delimiter", "", "PAYLOAD-DELIMITER"),
    Opt::string("throughput", "", "THROUGHPUT"),
    Opt::string("producer-props", "", "PROP-NAME=PROP-VALUE"),
    Opt::string("producer.config", "", "CONFIG-FILE"),
    Opt::flag("print-metrics", ""),
    Opt::string("transactional-id", "", "TRANSACTIONAL-ID"),
    Opt::long("transaction-duration-ms", "", "TRANSACTION-DURATION"),
    options::HELP,
];

impl Arg {
    /// argparse4j `formatMetavar()`: `NAME`, or `NAME [NAME ...]` for `nargs("+")`.
    fn metavar_text(&self) -> String {
        match self.kind {
            Kind::Flag => String::new(),
            Kind::List => format!("{0} [{0} ...]", self.metavar),
            _ => self.metavar.to_string(),
        }
    }

    /// `formatShortSyntaxNoBracket()`: `--topic TOPIC`.
    fn syntax(&self) -> String {
        match self.metavar_text().as_str() {
            "" => self.flag.to_string(),
            mv => format!("{} {mv}", self.flag),
        }
    }
}

/// The usage line (argparse4j `printUsage`), one line as on a wide terminal.
fn usage_line() -> String {
    let mut parts = vec![format!("usage: {PROG}"), "[-h]".to_string()];
    for a in ARGS.iter().filter(|a| !a.payload) {
        parts.push(if a.required {
            a.syntax()
        } else {
            format!("[{}]", a.syntax())
        });
    }
    let payload: Vec<String> = ARGS.iter().filter(|a| a.payload).map(Arg::syntax).collect();
    parts.push(format!("({})", payload.join(" | ")));
    parts.join(" ")
}

/// One argument's help (argparse4j `TextHelper.printHelp`): the title, then the help from
/// column 25, or on the next line when the title is wider than 21.
fn help_row(title: &str, help: &str) -> String {
    let width = title.chars().count();
    if width <= 21 {
        format!("  {title}{}{help}\n", " ".repeat(23 - width))
    } else {
        format!("  {title}\n{}{help}\n", " ".repeat(25))
    }
}

fn arg_help(a: &Arg) -> String {
    let help = match a.default {
        Some(d) => format!("{} (default: {d})", a.help),
        None => a.help.to_string(),
    };
    help_row(&a.syntax(), &help)
}

/// `parser.printHelp()`.
fn help_text() -> String {
    let mut out = format!("{}\n\n{DESCRIPTION}\n\noptional arguments:\n", usage_line());
    out.push_str(&help_row("-h, --help", "show this help message and exit"));
    for a in ARGS.iter().filter(|a| !a.payload) {
        out.push_str(&arg_help(a));
    }
    out.push_str(&format!("\n  {PAYLOAD_GROUP}\n\n"));
    for a in ARGS.iter().filter(|a| a.payload) {
        out.push_str(&arg_help(a));
    }
    out
}

/// A converted argument value.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Long(i64),
    Integer(i32),
    Double(f64),
    Flag,
    List(Vec<String>),
}

/// Why parsing stopped.
#[derive(Debug, Clone, PartialEq)]
enum ParseError {
    /// `-h`/`--help`: the help was asked for.
    Help,
    /// An `ArgumentParserException`; `unrecognized` is the argument behind an
    /// `UnrecognizedArgumentException` (argparse4j then suggests flags).
    Invalid {
        message: String,
        unrecognized: Option<String>,
    },
}

fn invalid(message: String) -> ParseError {
    ParseError::Invalid {
        message,
        unrecognized: None,
    }
}

/// argparse4j's `NEG_NUM_PATTERN`: `-1` is a value, not a flag (but `-0.5` is a flag).
fn is_flag(term: &str) -> bool {
    term.starts_with('-') && term.len() > 1 && !(term[1..].bytes().all(|b| b.is_ascii_digit()))
}

/// Parses as argparse4j does: flags match exactly, `--flag=value` embeds the value, a value
/// may not look like a flag, the last occurrence wins; then the required arguments (the first
/// one missing) and the payload group.
fn parse(args: &[String]) -> Result<VecMap<&'static str, Value>, ParseError> {
    let mut values = VecMap::new();
    let mut payload_used: Option<&'static str> = None;
    let mut i = 0;
    while i < args.len() {
        let term = &args[i];
        if !is_flag(term) || term == "--" {
            let rest = args[i..].join(" ");
            return Err(invalid(format!("unrecognized arguments: '{rest}'")));
        }
        let (flag, embedded) = match term.split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None => (term.as_str(), None),
        };
        if flag == "-h" || flag == "--help" || (term.starts_with("-h") && !term.starts_with("--")) {
            return Err(ParseError::Help);
        }
        let Some(a) = ARGS.iter().find(|a| a.flag == flag) else {
            return Err(ParseError::Invalid {
                message: format!("unrecognized arguments: '{term}'"),
                unrecognized: Some(term.clone()),
            });
        };
        i += 1;
        if a.payload {
            match payload_used {
                Some(used) if used != a.flag => {
                    return Err(invalid(format!(
                        "argument {}: not allowed with argument {used}",
                        a.flag
                    )));
                }
                _ => payload_used = Some(a.flag),
            }
        }
        let value = match a.kind {
            Kind::Flag => {
                if let Some(v) = embedded {
                    return Err(invalid(format!(
                        "argument {}: ignore implicit argument '{v}'",
                        a.flag
                    )));
                }
                Value::Flag
            }
            Kind::List => {
                let mut list = Vec::new();
                match embedded {
                    Some(v) => list.push(v),
                    None => {
                        while i < args.len() && !is_flag(&args[i]) {
                            list.push(args[i].clone());
                            i += 1;
                        }
                    }
                }
                if list.is_empty() {
                    return Err(invalid(format!(
                        "argument {}: expected 1 argument(s)",
                        a.flag
                    )));
                }
                Value::List(list)
            }
            kind => {
                let raw = match embedded {
                    Some(v) => v,
                    None if i < args.len() && !is_flag(&args[i]) => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => {
                        return Err(invalid(format!(
                            "argument {}: expected one argument",
                            a.flag
                        )));
                    }
                };
                convert(a.flag, kind, raw)?
            }
        };
        values.insert(a.flag, value);
    }
    if let Some(missing) = ARGS
        .iter()
        .find(|a| a.required && !values.contains_key(a.flag))
    {
        return Err(invalid(format!("argument {} is required", missing.flag)));
    }
    if payload_used.is_none() {
        let names: String = ARGS
            .iter()
            .filter(|a| a.payload)
            .map(|a| format!("{} ", a.flag))
            .collect();
        return Err(invalid(format!("one of the arguments {names}is required")));
    }
    Ok(values)
}

/// `ReflectArgumentType.convert`: `Long.valueOf`, `Integer.valueOf`, `Double.valueOf`.
fn convert(flag: &str, kind: Kind, raw: String) -> Result<Value, ParseError> {
    let failed = |type_name: &str, cause: String| {
        invalid(format!(
            "argument {flag}: could not convert '{raw}' to {type_name} ({cause})"
        ))
    };
    let number_cause = || format!("For input string: \"{raw}\"");
    match kind {
        Kind::Long => raw
            .parse::<i64>()
            .map(Value::Long)
            .map_err(|_| failed("Long", number_cause())),
        Kind::Integer => raw
            .parse::<i32>()
            .map(Value::Integer)
            .map_err(|_| failed("Integer", number_cause())),
        Kind::Double => java_double(&raw)
            .map(Value::Double)
            .map_err(|cause| failed("Double", cause)),
        _ => Ok(Value::Text(raw)),
    }
}

/// `Double.valueOf`: surrounding blanks, a sign, `NaN`, `Infinity`, decimals with an exponent
/// and an `f`/`d` suffix; the error message is Java's.
pub(crate) fn java_double(raw: &str) -> Result<f64, String> {
    let s = raw.trim_matches(|c: char| c <= ' ');
    if s.is_empty() {
        return Err("empty String".into());
    }
    let bad = || format!("For input string: \"{s}\"");
    let (negative, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let value = match body {
        "NaN" => f64::NAN,
        "Infinity" => f64::INFINITY,
        _ => {
            let number = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
            let (mantissa, exponent) = match number.find(['e', 'E']) {
                Some(at) => (&number[..at], Some(&number[at + 1..])),
                None => (number, None),
            };
            let digits = mantissa.bytes().filter(u8::is_ascii_digit).count();
            let dots = mantissa.bytes().filter(|b| *b == b'.').count();
            let mantissa_ok = digits > 0 && dots <= 1 && digits + dots == mantissa.len();
            let exponent_ok = exponent.is_none_or(|e| {
                let e = e.strip_prefix(['+', '-']).unwrap_or(e);
                !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
            });
            if !(mantissa_ok && exponent_ok) {
                return Err(bad());
            }
            crate::decimal::parse_f64(number).ok_or_else(bad)?
        }
    };
    Ok(if negative { -value } else { value })
}

/// argparse4j's "Did you mean" list for an unrecognized flag: the flags its body starts, or
/// the nearest by git's edit costs (swap 0, substitution 2, insertion 1, deletion 4).
fn suggestions(term: &str) -> Vec<&'static str> {
    let body = term.trim_start_matches('-');
    if body.chars().count() < 2 {
        return Vec::new();
    }
    let mut candidates: Vec<(usize, &'static str)> = std::iter::once("--help")
        .chain(ARGS.iter().map(|a| a.flag))
        .map(|flag| {
            let name = flag.trim_start_matches('-');
            let cost = if name.starts_with(body) {
                0
            } else {
                edit_cost(body, name)
            };
            (cost, flag)
        })
        .collect();
    crate::sort::sort(&mut candidates);
    let best = candidates.first().map_or(usize::MAX, |c| c.0);
    if best >= 7 {
        return Vec::new();
    }
    candidates
        .into_iter()
        .take_while(|c| c.0 == best)
        .map(|c| c.1)
        .collect()
}

/// argparse4j's Damerau–Levenshtein distance with git's costs.
pub(crate) fn edit_cost(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; 3];
    for (j, cell) in rows[1].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[0][0] = i;
        for j in 1..=b.len() {
            let mut v = rows[1][j - 1] + if a[i - 1] == b[j - 1] { 0 } else { 2 };
            if i >= 2
                && j >= 2
                && a[i - 1] != b[j - 1]
                && a[i - 2] == b[j - 1]
                && a[i - 1] == b[j - 2]
            {
                v = v.min(rows[2][j - 2]);
            }
            v = v.min(rows[1][j] + 4).min(rows[0][j - 1] + 1);
            rows[0][j] = v;
        }
        rows.rotate_right(1);
    }
    rows[1][b.len()]
}

/// The working directory `Path.toAbsolutePath()` resolves against: Kafka's directory.
const WORKING_DIR: &str = "/opt/kafka";

/// The JVM's default heap for this script (`-Xmx512M`): a bigger `--record-size` buffer cannot
/// be allocated.
const MAX_HEAP_BYTES: i64 = 512 * 1024 * 1024;

/// Producer defaults the tool depends on.
const MAX_REQUEST_SIZE: i64 = 1_048_576;
const BUFFER_MEMORY: i64 = 33_554_432;
const REQUEST_TIMEOUT_MS: i64 = 30_000;
const MAX_BLOCK_MS: i64 = 60_000;

/// How many failed sends print their exception before the playground only counts them.
const ERRORS_SHOWN: u64 = 5;

/// Where the payloads come from.
enum Payload {
    /// `--record-size`: random capital letters, as Kafka's are; every record a window of a
    /// pool of them (allocated when the first record needs it).
    Random { size: usize, pool: Vec<u8> },
    /// `--payload-file`: one of the file's payloads at random.
    File(Vec<Vec<u8>>),
    /// `--payload-monotonic`: the record's number.
    Monotonic,
}

/// The producer's `Stats`, measured on the tool's clock.
struct Stats {
    start: i64,
    window_start: i64,
    /// Every `sampling`-th latency, for the percentiles.
    latencies: Vec<i32>,
    latencies_cap: usize,
    sampling: i64,
    iteration: i64,
    count: i64,
    bytes: i64,
    max_latency: i32,
    total_latency: i64,
    window_count: i64,
    window_max_latency: i32,
    window_total_latency: i64,
    window_bytes: i64,
}

/// `Stats.reportingInterval`.
const REPORTING_INTERVAL_MS: i64 = 5_000;

impl Stats {
    fn new(num_records: i64, now: i64) -> Stats {
        let sampling = (num_records / num_records.min(500_000)).max(1);
        Stats {
            start: now,
            window_start: now,
            latencies: Vec::new(),
            latencies_cap: (num_records / sampling + 1) as usize,
            sampling,
            iteration: 0,
            count: 0,
            bytes: 0,
            max_latency: 0,
            total_latency: 0,
            window_count: 0,
            window_max_latency: 0,
            window_total_latency: 0,
            window_bytes: 0,
        }
    }

    /// `record(latency, bytes, time)`: one acknowledged record; prints the window line once
    /// 5 s have passed since the window began.
    fn record(&mut self, latency: i32, bytes: i64, time: i64, out: &mut Output) {
        self.count += 1;
        self.bytes += bytes;
        self.total_latency += i64::from(latency);
        self.max_latency = self.max_latency.max(latency);
        self.window_count += 1;
        self.window_bytes += bytes;
        self.window_total_latency += i64::from(latency);
        self.window_max_latency = self.window_max_latency.max(latency);
        if self.iteration % self.sampling == 0 && self.latencies.len() < self.latencies_cap {
            self.latencies.push(latency);
        }
        if time - self.window_start >= REPORTING_INTERVAL_MS {
            self.print_window(time, out);
            self.window_start = time;
            self.window_count = 0;
            self.window_max_latency = 0;
            self.window_total_latency = 0;
            self.window_bytes = 0;
        }
        self.iteration += 1;
    }

    fn print_window(&self, now: i64, out: &mut Output) {
        let elapsed = (now - self.window_start) as f64;
        let records_per_sec = 1000.0 * self.window_count as f64 / elapsed;
        let mb_per_sec = 1000.0 * self.window_bytes as f64 / elapsed / (1024.0 * 1024.0);
        out.outln(&format!(
            "{} records sent, {} records/sec ({} MB/sec), {} ms avg latency, {} ms max latency.",
            self.window_count,
            format_fixed(records_per_sec, 1),
            format_fixed(mb_per_sec, 2),
            format_fixed(
                self.window_total_latency as f64 / self.window_count as f64,
                1
            ),
            format_fixed(f64::from(self.window_max_latency), 1)
        ));
    }

    fn print_total(&mut self, now: i64, out: &mut Output) {
        let elapsed = (now - self.start) as f64;
        let records_per_sec = 1000.0 * self.count as f64 / elapsed;
        let mb_per_sec = 1000.0 * self.bytes as f64 / elapsed / (1024.0 * 1024.0);
        self.latencies.sort_unstable();
        let size = self.latencies.len();
        let percentile = |p: f64| {
            self.latencies
                .get((p * size as f64) as usize)
                .copied()
                .unwrap_or(0)
        };
        out.outln(&format!(
            "{} records sent, {} records/sec ({} MB/sec), {} ms avg latency, {} ms max latency, {} ms 50th, {} ms 95th, {} ms 99th, {} ms 99.9th.",
            self.count,
            format_fixed(records_per_sec, 6),
            format_fixed(mb_per_sec, 2),
            format_fixed(self.total_latency as f64 / self.count as f64, 2),
            format_fixed(f64::from(self.max_latency), 2),
            percentile(0.5),
            percentile(0.95),
            percentile(0.99),
            percentile(0.999)
        ));
    }
}

/// A running `ProducerPerformance`.
pub struct ProducerPerf {
    topic: String,
    client_id: String,
    num_records: i64,
    /// Records a second on the cluster's clock; `None` sends as fast as it can.
    throughput: Option<f64>,
    payload: Payload,
    random: u64,
    print_metrics: bool,
    producer: KafkaProducer,
    /// Records sent and not yet answered, by partition: when each was sent, its bytes.
    pending: VecMap<i32, VecDeque<(i64, i64)>>,
    /// Records sent so far (successful or not): the loop's `i`.
    sent: i64,
    errors: u64,
    stats: Stats,
    clock: PerfClock,
    /// The tool's counted clock when the run began: throttled sends are due from here.
    pace_start_ms: f64,
    /// Unthrottled, the time the cluster's clock moved between slices (the page's own time,
    /// not the tool's: counting it would slow the figures by however long the page took to
    /// draw), and where it stood when the last slice ended.
    idle_ms: i64,
    paused_at: Option<i64>,
    /// With transactions: how long each stays open (`--transaction-duration-ms`), how many
    /// records the open one has, and when it began on the tool's clock.
    transaction_duration_ms: Option<i64>,
    transaction_size: i64,
    transaction_start_ms: i64,
}

pub fn run(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    if args.is_empty() {
        out.out(&help_text());
        return ToolResult::Exit(0);
    }
    let values = match parse(args) {
        Ok(v) => v,
        Err(ParseError::Help) => {
            out.out(&help_text());
            return ToolResult::Exit(1);
        }
        Err(ParseError::Invalid {
            message,
            unrecognized,
        }) => return usage_error(&message, unrecognized.as_deref(), out),
    };
    let mut perf = match ProducerPerf::configure(&values, ctx.playground, out) {
        Ok(p) => p,
        Err(code) => return ToolResult::Exit(code),
    };
    match perf.slice(&mut ctx.playground.cluster, out) {
        Status::Exited(code) => ToolResult::Exit(code),
        Status::Running => ToolResult::Running(Box::new(perf)),
    }
}

/// `parser.handleError(e)`: the usage line and the error on stderr (and argparse4j's
/// suggestions for an unknown flag); exit 1.
fn usage_error(message: &str, unrecognized: Option<&str>, out: &mut Output) -> ToolResult {
    out.errln(&usage_line());
    out.errln(&format!("{PROG}: error: {message}"));
    let suggested = unrecognized.map(suggestions).unwrap_or_default();
    if !suggested.is_empty() {
        out.errln("");
        out.errln("Did you mean:");
        for flag in suggested {
            out.errln(&format!("\t{flag}"));
        }
    }
    // Tutorials for Kafka 4.2 and later pass the brokers as --bootstrap-server.
    if unrecognized.is_some_and(|a| a.split('=').next() == Some("--bootstrap-server")) {
        out.errln("[playground] Kafka 4.1's producer perf test takes the brokers as --producer-props bootstrap.servers=localhost:9092 (--bootstrap-server came in Kafka 4.2).");
    }
    ToolResult::Exit(1)
}

/// An exception thrown out of `main`.
fn thrown(out: &mut Output, exception: &str) -> i32 {
    out.errln(&format!("Exception in thread \"main\" {exception}"));
    1
}

/// `ProducerConfig`: a config's value or a `ConfigException` text.
fn config_number(
    props: &[(String, String)],
    name: &str,
    default: i64,
    long: bool,
) -> Result<i64, String> {
    let Some(raw) = prop(props, name) else {
        return Ok(default);
    };
    let v = raw.trim();
    let parsed = if long {
        v.parse::<i64>().ok()
    } else {
        v.parse::<i32>().ok().map(i64::from)
    };
    parsed.ok_or_else(|| {
        format!(
            "org.apache.kafka.common.config.ConfigException: Invalid value {v} for configuration {name}: Not a number of type {}",
            if long { "LONG" } else { "INT" }
        )
    })
}

fn prop<'a>(props: &'a [(String, String)], name: &str) -> Option<&'a str> {
    props
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `ClientUtils.parseAndValidateAddresses`.
fn validate_bootstrap(servers: &str) -> Result<(), String> {
    let mut any = false;
    for url in servers.split(',').map(str::trim).filter(|u| !u.is_empty()) {
        let Some((host, port)) = url.rsplit_once(':') else {
            return Err(format!("Invalid url in bootstrap.servers: {url}"));
        };
        if host.is_empty() || port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("Invalid url in bootstrap.servers: {url}"));
        }
        if port.parse::<u32>().map_or(true, |p| p > 65_535) {
            return Err(format!("Invalid port in bootstrap.servers: {url}"));
        }
        any = true;
    }
    if any {
        Ok(())
    } else {
        Err("No resolvable bootstrap urls given in bootstrap.servers".into())
    }
}

impl ProducerPerf {
    /// `ConfigPostProcessor` and the producer's construction, with their errors.
    fn configure(
        values: &VecMap<&'static str, Value>,
        pg: &mut Playground,
        out: &mut Output,
    ) -> Result<ProducerPerf, i32> {
        let text = |flag: &str| match values.get(flag) {
            Some(Value::Text(t)) => Some(t.clone()),
            _ => None,
        };
        let long = |flag: &str| match values.get(flag) {
            Some(Value::Long(n)) => Some(*n),
            _ => None,
        };
        let usage = |message: &str, out: &mut Output| {
            let _ = usage_error(message, None, out);
            1
        };
        let num_records = long("--num-records").unwrap_or(0);
        if num_records <= 0 {
            return Err(usage("--num-records should be greater than zero", out));
        }
        let record_size = match values.get("--record-size") {
            Some(Value::Integer(n)) => Some(*n),
            _ => None,
        };
        if record_size.is_some_and(|n| n <= 0) {
            return Err(usage("--record-size should be greater than zero", out));
        }
        let props_given = match values.get("--producer-props") {
            Some(Value::List(l)) => Some(l.clone()),
            _ => None,
        };
        let config_file = text("--producer.config");
        if props_given.is_none() && config_file.is_none() {
            return Err(usage(
                "Either --producer-props or --producer.config must be specified.",
                out,
            ));
        }
        let duration = long("--transaction-duration-ms");
        if duration.is_some_and(|d| d <= 0) {
            return Err(usage(
                "--transaction-duration-ms should be greater than zero",
                out,
            ));
        }
        // readPayloadFile
        let mut payload = match record_size {
            Some(size) => Payload::Random {
                size: size as usize,
                pool: Vec::new(),
            },
            None => Payload::Monotonic,
        };
        if let Some(path) = text("--payload-file") {
            let absolute = if path.starts_with('/') {
                path.clone()
            } else {
                format!("{WORKING_DIR}/{}", path.trim_start_matches("./"))
            };
            out.outln(&format!("Reading payloads from: {absolute}"));
            let contents = pg.files.read(&path).filter(|c| !c.is_empty());
            let Some(contents) = contents else {
                return Err(thrown(
                    out,
                    "java.lang.IllegalArgumentException: File does not exist or empty file provided.",
                ));
            };
            let delimiter = match text("--payload-delimiter").as_deref() {
                None | Some("\\n") => "\n".to_string(),
                Some(d) => d.to_string(),
            };
            let mut payloads: Vec<Vec<u8>> = if delimiter.is_empty() {
                contents
                    .chars()
                    .map(|c| c.to_string().into_bytes())
                    .collect()
            } else {
                contents
                    .split(delimiter.as_str())
                    .map(|p| p.as_bytes().to_vec())
                    .collect()
            };
            // Scanner returns no empty token after the last delimiter.
            if payloads.last().is_some_and(Vec::is_empty) {
                payloads.pop();
            }
            out.outln(&format!("Number of messages read: {}", payloads.len()));
            payload = Payload::File(payloads);
        }
        if record_size.is_some_and(|n| i64::from(n) >= MAX_HEAP_BYTES) {
            return Err(thrown(out, "java.lang.OutOfMemoryError: Java heap space"));
        }
        // readProps: the file, then the properties; each must be exactly `name=value`.
        let mut props: Vec<(String, String)> = Vec::new();
        if let Some(file) = &config_file {
            match pg.files.read(file) {
                Some(t) => props.extend(options::parse_properties(t)),
                None => {
                    return Err(thrown(
                        out,
                        &format!("java.nio.file.NoSuchFileException: {file}"),
                    ));
                }
            }
        }
        for p in props_given.iter().flatten() {
            let mut pieces: Vec<&str> = p.split('=').collect();
            while pieces.last() == Some(&"") {
                pieces.pop();
            }
            if pieces.len() != 2 {
                return Err(thrown(
                    out,
                    &format!("java.lang.IllegalArgumentException: Invalid property: {p}"),
                ));
            }
            props.push((pieces[0].to_string(), pieces[1].to_string()));
        }
        if prop(&props, "client.id").is_none() {
            props.push(("client.id".into(), "perf-producer-client".into()));
        }
        let transactional_id = text("--transactional-id")
            .or_else(|| prop(&props, "transactional.id").map(str::to_string));
        let transactions = duration.is_some() || transactional_id.is_some();
        // `ConfigPostProcessor`: the id given, else `performance-producer-` and a random uuid;
        // commits every 3000 ms unless told otherwise.
        let transaction_duration_ms = transactions.then(|| duration.unwrap_or(3000));
        if transactions {
            let id = transactional_id.clone().unwrap_or_else(|| {
                format!(
                    "performance-producer-{}",
                    crate::engine::TopicId::random(pg.cluster.rng())
                )
            });
            props.retain(|(k, _)| k != "transactional.id");
            props.push(("transactional.id".into(), id));
        }
        // The producer's configs, in `ProducerConfig`'s order.
        let config_error = |e: String, out: &mut Output| thrown(out, &e);
        let Some(servers) = prop(&props, "bootstrap.servers").map(str::to_string) else {
            return Err(config_error(
                "org.apache.kafka.common.config.ConfigException: Missing required configuration \"bootstrap.servers\" which has no default value.".into(),
                out,
            ));
        };
        let buffer_memory = config_number(&props, "buffer.memory", BUFFER_MEMORY, true)
            .map_err(|e| config_error(e, out))?;
        let acks = match prop(&props, "acks").map(str::trim).unwrap_or("all") {
            "all" | "-1" => Acks::All,
            "1" => Acks::Leader,
            "0" => Acks::None,
            other => {
                return Err(config_error(
                    format!(
                        "org.apache.kafka.common.config.ConfigException: Invalid value {other} for configuration acks: String must be one of: all, -1, 0, 1"
                    ),
                    out,
                ));
            }
        };
        let batch_size =
            config_number(&props, "batch.size", 16_384, false).map_err(|e| config_error(e, out))?;
        let max_request_size = config_number(&props, "max.request.size", MAX_REQUEST_SIZE, false)
            .map_err(|e| config_error(e, out))?;
        let max_block_ms = config_number(&props, "max.block.ms", MAX_BLOCK_MS, true)
            .map_err(|e| config_error(e, out))?;
        let request_timeout_ms =
            config_number(&props, "request.timeout.ms", REQUEST_TIMEOUT_MS, false)
                .map_err(|e| config_error(e, out))?;
        let idempotence = match prop(&props, "enable.idempotence").map(str::trim) {
            None => None,
            Some(v) if v.eq_ignore_ascii_case("true") => Some(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Some(false),
            Some(v) => {
                return Err(config_error(
                    format!(
                        "org.apache.kafka.common.config.ConfigException: Invalid value {v} for configuration enable.idempotence: Expected value to be either true or false"
                    ),
                    out,
                ));
            }
        };
        if idempotence == Some(true) && acks != Acks::All {
            return Err(config_error("org.apache.kafka.common.config.ConfigException: Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.".into(), out));
        }
        let idempotent = idempotence.unwrap_or(acks == Acks::All);
        if transactions && !idempotent {
            return Err(config_error("org.apache.kafka.common.config.ConfigException: Cannot set a transactional.id without also enabling idempotence.".into(), out));
        }
        if let Err(e) = validate_bootstrap(&servers) {
            out.errln("Exception in thread \"main\" org.apache.kafka.common.KafkaException: Failed to construct kafka producer");
            out.errln(&format!(
                "Caused by: org.apache.kafka.common.config.ConfigException: {e}"
            ));
            return Err(1);
        }
        // The tool's own checks above come first, in ProducerConfig's order; the client's
        // configuration then follows from the same properties.
        let _ = (
            buffer_memory,
            batch_size,
            max_request_size,
            max_block_ms,
            request_timeout_ms,
        );
        let config = match ProducerConfig::new(&Properties::new(&props)) {
            Ok(c) => c,
            Err(e) => return Err(config_error(e, out)),
        };
        let mut producer = KafkaProducer::new(config);
        if transactions {
            if let Err(e) = producer.init_transactions(&mut pg.cluster) {
                return Err(thrown(out, &e));
            }
        }
        let throughput = match values.get("--throughput") {
            Some(Value::Double(t)) if *t >= 0.0 => Some(*t),
            _ => None,
        };
        let cluster = &pg.cluster;
        let mut clock = PerfClock::new(pg.wall_clock);
        clock.begin();
        clock.end();
        let now = clock.millis(cluster.now_ms());
        let pace_start_ms = clock.pace_ms(cluster.now_ms());
        Ok(ProducerPerf {
            topic: text("--topic").unwrap_or_default(),
            client_id: prop(&props, "client.id").unwrap_or_default().to_string(),
            num_records,
            throughput,
            payload,
            random: 0x9E37_79B9_7F4A_7C15,
            print_metrics: matches!(values.get("--print-metrics"), Some(Value::Flag)),
            producer,
            pending: VecMap::new(),
            sent: 0,
            errors: 0,
            stats: Stats::new(num_records, now),
            clock,
            pace_start_ms,
            idle_ms: 0,
            paused_at: None,
            transaction_duration_ms,
            transaction_size: 0,
            transaction_start_ms: 0,
        })
    }

    /// A fast generator for choosing payloads (xorshift64*).
    fn next_random(&mut self) -> u64 {
        let mut x = self.random;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.random = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// The payload of record `i`.
    fn payload(&mut self, i: i64) -> Vec<u8> {
        const SPREAD: usize = 4096;
        let pick = self.next_random();
        match &mut self.payload {
            Payload::Random { size, pool } => {
                if pool.is_empty() {
                    let mut letters = self.random;
                    *pool = (0..*size + SPREAD)
                        .map(|_| {
                            letters = letters
                                .wrapping_mul(6_364_136_223_846_793_005)
                                .wrapping_add(1_442_695_040_888_963_407);
                            b'A' + ((letters >> 33) % 26) as u8
                        })
                        .collect();
                }
                let at = (pick % (SPREAD as u64 + 1)) as usize;
                pool[at..at + *size].to_vec()
            }
            Payload::File(list) if !list.is_empty() => {
                list[(pick % list.len() as u64) as usize].clone()
            }
            Payload::File(_) => Vec::new(),
            Payload::Monotonic => i.to_string().into_bytes(),
        }
    }

    /// The callback's `exception.printStackTrace()`, for the first few failures.
    fn failed(&mut self, exception: &str, out: &mut Output) {
        self.errors += 1;
        if self.errors <= ERRORS_SHOWN {
            out.errln(exception);
        }
    }

    /// One iteration of the send loop: record `sent`, handed to the producer.
    fn send_one(&mut self, cluster: &mut Cluster, out: &mut Output) {
        let i = self.sent;
        self.sent += 1;
        let send_start = self.now(cluster) as i64;
        let value = self.payload(i);
        let bytes = value.len() as i64;
        let record = ProducerRecord {
            value: Some(value),
            ..Default::default()
        };
        if self.transaction_duration_ms.is_some() && self.transaction_size == 0 {
            if let Err(e) = self.producer.begin_transaction() {
                self.failed(&e, out);
            }
            self.transaction_start_ms = send_start;
        }
        let done = self.producer.send(cluster, &self.topic, record);
        self.transaction_size += 1;
        if self
            .transaction_duration_ms
            .is_some_and(|d| d <= send_start - self.transaction_start_ms)
        {
            self.commit_transaction(cluster, out);
        }
        if !done.failed.iter().any(|f| f.partition.is_none()) {
            let partition = self.producer.last_partition();
            match self.pending.get_mut(&partition) {
                Some(q) => q.push_back((send_start, bytes)),
                None => {
                    self.pending
                        .insert(partition, VecDeque::from([(send_start, bytes)]));
                }
            }
        }
        self.callbacks(done, cluster, out);
    }

    /// The callbacks of what the producer answered: a latency for each record acknowledged
    /// (`acks=0` never hears back: each send succeeds), the exception for each one failed.
    fn callbacks(&mut self, done: Completed, cluster: &Cluster, out: &mut Output) {
        for l in self.producer.take_logs() {
            out.errln(&format!(
                "[{}] {} {} ({})",
                format_log_timestamp(l.time_ms),
                l.level,
                l.message,
                l.logger
            ));
        }
        let now = self.now(cluster) as i64;
        for (m, n) in done.acknowledged {
            for _ in 0..n {
                let Some((start, bytes)) = self
                    .pending
                    .get_mut(&m.partition)
                    .and_then(VecDeque::pop_front)
                else {
                    break;
                };
                let latency = (now - start).clamp(0, i64::from(i32::MAX)) as i32;
                self.stats.record(latency, bytes, now, out);
            }
        }
        for f in done.failed {
            for _ in &f.records {
                if let Some(p) = f.partition {
                    let _ = self.pending.get_mut(&p).and_then(VecDeque::pop_front);
                }
                self.failed(&f.exception, out);
            }
        }
    }

    /// When record `i` is due, in ms after the start on the cluster's clock.
    fn due_ms(&self, i: i64) -> f64 {
        match self.throughput {
            Some(t) if t > 0.0 => i as f64 * 1000.0 / t,
            Some(_) if i == 0 => 0.0,
            Some(_) => f64::INFINITY,
            None => 0.0,
        }
    }

    /// Time since the run began on the tool's clock: what Kafka's throttler paces by (counted,
    /// see [`PerfClock::pace_ms`]).
    fn elapsed_ms(&self, cluster: &Cluster) -> f64 {
        self.clock.pace_ms(cluster.now_ms()) - self.idle_ms as f64 - self.pace_start_ms
    }

    /// The tool's `System.currentTimeMillis()`: [`PerfClock`] less the idle time.
    fn now(&self, cluster: &Cluster) -> f64 {
        self.clock.now_ms(cluster.now_ms()) - self.idle_ms as f64
    }

    /// Sends what is due, for at most one slice; finishes the run when every record is sent.
    fn slice(&mut self, cluster: &mut Cluster, out: &mut Output) -> Status {
        if let Some(paused_at) = self.paused_at.take() {
            self.idle_ms += cluster.now_ms().saturating_sub(paused_at);
        }
        self.clock.begin();
        let lingered = self.producer.poll(cluster);
        self.callbacks(lingered, cluster, out);
        while self.sent < self.num_records {
            if self.due_ms(self.sent) > self.elapsed_ms(cluster) + 1e-6 {
                break;
            }
            self.send_one(cluster, out);
            self.clock.work(1);
            if self.clock.slice_spent() {
                break;
            }
        }
        self.clock.end();
        if self.sent < self.num_records {
            if self.throughput.is_none() {
                self.paused_at = Some(cluster.now_ms());
            } else {
                // A throttled slice stands for the time since the last one, over which its
                // records were due: their batches lingered out (linger.ms) within it.
                let sent = self.producer.flush(cluster);
                self.callbacks(sent, cluster, out);
            }
            return Status::Running;
        }
        self.complete(cluster, out)
    }

    /// `commitTransaction` (its exception, if any, is printed as a failed send's).
    fn commit_transaction(&mut self, cluster: &mut Cluster, out: &mut Output) {
        self.transaction_size = 0;
        match self.producer.commit_transaction(cluster) {
            Ok(done) => self.callbacks(done, cluster, out),
            Err(e) => self.failed(&e, out),
        }
    }

    /// `producer.close()` and the summary (and metrics).
    fn complete(&mut self, cluster: &mut Cluster, out: &mut Output) -> Status {
        if self.transaction_duration_ms.is_some() && self.transaction_size != 0 {
            self.commit_transaction(cluster, out);
        }
        let rest = self.producer.flush(cluster);
        self.callbacks(rest, cluster, out);
        if self.errors > ERRORS_SHOWN {
            out.errln(&format!(
                "[playground] {} more sends failed the same way (Kafka prints a stack trace for each).",
                self.errors - ERRORS_SHOWN
            ));
        }
        let now = self.now(cluster) as i64;
        self.stats.print_total(now, out);
        if self.print_metrics {
            self.print_metrics(out);
        }
        Status::Exited(0)
    }

    /// `ToolsUtils.printMetrics` for the metrics the playground keeps (Kafka's client has
    /// hundreds more).
    fn print_metrics(&self, out: &mut Output) {
        let tags = format!("{{client-id={}}}", self.client_id);
        let topic_tags = format!("{{client-id={}, topic={}}}", self.client_id, self.topic);
        let sent = self.stats.count as f64;
        let errors = self.errors as f64;
        let metrics = [
            (
                format!("producer-metrics:record-error-total:{tags}"),
                errors,
            ),
            (format!("producer-metrics:record-send-total:{tags}"), sent),
            (
                format!("producer-topic-metrics:record-error-total:{topic_tags}"),
                errors,
            ),
            (
                format!("producer-topic-metrics:record-send-total:{topic_tags}"),
                sent,
            ),
        ];
        print_metric_table(&metrics, out);
        out.errln("[playground] Kafka prints every producer metric here; the playground prints the ones it keeps.");
    }
}

/// `ToolsUtils.printMetrics`: a blank line, the header, then `name : value` sorted by name.
pub fn print_metric_table(metrics: &[(String, f64)], out: &mut Output) {
    let mut sorted: Vec<&(String, f64)> = metrics.iter().collect();
    crate::sort::sort_by(&mut sorted, |a, b| a.0.cmp(&b.0));
    let width = sorted
        .iter()
        .map(|m| m.0.chars().count())
        .max()
        .unwrap_or(0);
    out.outln("");
    out.outln(&format!("{:<width$}   Value", "Metric Name"));
    for (name, value) in sorted {
        out.outln(&format!("{name:<width$} : {}", format_fixed(*value, 3)));
    }
}

impl Session for ProducerPerf {
    /// Ctrl+C: the JVM stops; the tool has no shutdown hook, so nothing more is printed.
    fn interrupt(&mut self, _: &mut Playground, _: &mut Output) -> Status {
        Status::Exited(130)
    }

    fn poll(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.slice(&mut pg.cluster, out)
    }

    /// In a script the run goes to its end: the cluster's clock moves to each throttled
    /// send's time, as it would pass while the tool runs. `--throughput 0` waits forever after
    /// its first record; a script stops it as if interrupted.
    fn finish(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        loop {
            if let Status::Exited(code) = self.slice(&mut pg.cluster, out) {
                return Status::Exited(code);
            }
            let due = self.due_ms(self.sent);
            if !due.is_finite() {
                return self.interrupt(pg, out);
            }
            let cluster = &mut pg.cluster;
            let before = cluster.now_ms();
            let wait = (due - self.elapsed_ms(cluster)).ceil();
            if wait < 1.0 {
                continue;
            }
            cluster.advance(wait.min(i64::MAX as f64) as i64);
            if cluster.now_ms() == before {
                // The clock is at its end: nothing more can come due.
                return self.interrupt(pg, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    fn parse_error(line: &str) -> String {
        match parse(&args(line)) {
            Err(ParseError::Invalid { message, .. }) => message,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn usage_line_as_argparse4j_prints_it() {
        assert_eq!(
            usage_line(),
            "usage: producer-performance [-h] --topic TOPIC --num-records NUM-RECORDS [--payload-delimiter PAYLOAD-DELIMITER] --throughput THROUGHPUT [--producer-props PROP-NAME=PROP-VALUE [PROP-NAME=PROP-VALUE ...]] [--producer.config CONFIG-FILE] [--print-metrics] [--transactional-id TRANSACTIONAL-ID] [--transaction-duration-ms TRANSACTION-DURATION] (--record-size RECORD-SIZE | --payload-file PAYLOAD-FILE | --payload-monotonic)"
        );
        let help = help_text();
        assert!(help.contains("\n  -h, --help             show this help message and exit\n  --topic TOPIC          produce messages to this topic\n  --num-records NUM-RECORDS\n                         number of messages to produce\n"));
        assert!(help.contains("\n  --print-metrics        print out metrics at the end of the test. (default: false)\n"));
        assert!(help.contains("\n\n  either --record-size or --payload-file must be specified but not both.\n\n  --record-size RECORD-SIZE\n"));
    }

    #[test]
    fn argparse4j_errors() {
        assert_eq!(
            parse_error("--topic t --num-records 5 --record-size 10"),
            "argument --throughput is required"
        );
        assert_eq!(
            parse_error("--num-records 5"),
            "argument --topic is required"
        );
        assert_eq!(
            parse_error("--topic t --num-records 5 --throughput 1"),
            "one of the arguments --record-size --payload-file --payload-monotonic is required"
        );
        assert_eq!(
            parse_error("--topic t --num-records x"),
            "argument --num-records: could not convert 'x' to Long (For input string: \"x\")"
        );
        assert_eq!(
            parse_error("--throughput 1e"),
            "argument --throughput: could not convert '1e' to Double (For input string: \"1e\")"
        );
        assert_eq!(
            parse_error("--throughput -0.5"),
            "argument --throughput: expected one argument"
        );
        assert_eq!(
            parse_error("--record-size 5 --payload-monotonic"),
            "argument --payload-monotonic: not allowed with argument --record-size"
        );
        assert_eq!(
            parse_error("--topic t extra --x"),
            "unrecognized arguments: 'extra --x'"
        );
        assert_eq!(
            parse_error("--producer-props"),
            "argument --producer-props: expected 1 argument(s)"
        );
        assert_eq!(
            parse_error("--print-metrics=yes"),
            "argument --print-metrics: ignore implicit argument 'yes'"
        );
        assert_eq!(parse(&args("--topic t -h")), Err(ParseError::Help));
        let ok = parse(&args(
            "--topic=t --num-records 10 --throughput -1 --payload-monotonic --producer-props acks=1 linger.ms=0",
        ))
        .unwrap();
        assert_eq!(ok.get("--throughput"), Some(&Value::Double(-1.0)));
        assert_eq!(
            ok.get("--producer-props"),
            Some(&Value::List(vec!["acks=1".into(), "linger.ms=0".into()]))
        );
    }

    #[test]
    fn suggestions_for_unknown_flags() {
        assert_eq!(suggestions("--throughtput"), vec!["--throughput"]);
        assert_eq!(suggestions("--num"), vec!["--num-records"]);
        assert_eq!(
            suggestions("--payload"),
            vec![
                "--payload-delimiter",
                "--payload-file",
                "--payload-monotonic"
            ]
        );
        assert!(suggestions("--bootstrap-server").is_empty());
        assert!(suggestions("-x").is_empty());
    }

    #[test]
    fn java_doubles() {
        assert_eq!(java_double(" 5000 "), Ok(5000.0));
        assert_eq!(java_double("1e3"), Ok(1000.0));
        assert_eq!(java_double("2.5f"), Ok(2.5));
        assert_eq!(java_double("-1"), Ok(-1.0));
        assert!(java_double("NaN").unwrap().is_nan());
        assert_eq!(java_double(""), Err("empty String".into()));
        assert_eq!(java_double("inf"), Err("For input string: \"inf\"".into()));
        assert_eq!(
            java_double("1.2.3"),
            Err("For input string: \"1.2.3\"".into())
        );
    }

    #[test]
    fn unthrottled_runs_do_not_count_the_time_between_slices() {
        use crate::engine::{Cluster, ClusterConfig};
        // The stand-in clock counts 1 µs a record: 50,000 records fill a 50 ms slice.
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        let mut out = Output::new();
        let line = "--topic t --num-records 200000 --record-size 10 --throughput -1 --producer-props bootstrap.servers=localhost:9092 acks=1";
        let mut ctx = ToolContext {
            playground: &mut pg,
            stdin: crate::console::Stdin::Closed,
            batch: false,
        };
        let ToolResult::Running(mut perf) = run(&args(line), &mut ctx, &mut out) else {
            panic!("finished in one slice: {}", out.text());
        };
        let mut slices = 1;
        loop {
            // The page draws for a second between slices; the cluster's clock follows.
            pg.cluster.advance(1_000);
            slices += 1;
            if let Status::Exited(code) = perf.poll(&mut pg, &mut out) {
                assert_eq!(code, 0);
                break;
            }
        }
        assert_eq!(slices, 4);
        assert!(
            out.text()
                .contains("200000 records sent, 1000000.000000 records/sec (9.54 MB/sec)"),
            "{}",
            out.text()
        );
    }

    #[test]
    fn stats_lines_as_kafka_prints_them() {
        let mut out = Output::new();
        let mut stats = Stats::new(10, 0);
        for t in 0..10 {
            stats.record(0, 100, t * 600, &mut out);
        }
        stats.print_total(6_000, &mut out);
        assert_eq!(
            out.text(),
            "10 records sent, 1.9 records/sec (0.00 MB/sec), 0.0 ms avg latency, 0.0 ms max latency.\n\
             10 records sent, 1.666667 records/sec (0.00 MB/sec), 0.00 ms avg latency, 0.00 ms max latency, 0 ms 50th, 0 ms 95th, 0 ms 99th, 0 ms 99.9th.\n"
        );
    }
}
