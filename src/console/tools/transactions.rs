//! `kafka-transactions.sh`: the transactional state of producers — `list`, `describe`,
//! `describe-producers`, `abort` (a hanging transaction, by its start offset or its producer)
//! and `find-hanging` — as `TransactionsCommand` prints it (`ToolsUtils.prettyPrintTable`:
//! each column padded to its widest cell, a tab after every cell).
//!
//! Invariant: read-only but for `abort`, which writes one ABORT marker.

use crate::console::options::{KAFKA_VERSION, Opt};
use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};
use crate::engine::producer_batch::end_txn_marker_epoch;
use crate::engine::transaction_coordinator::TransactionState;
use crate::engine::{Cluster, TopicPartition};

/// For Tab: the options of every subcommand.
pub const OPTIONS: &[Opt] = &[
    Opt::string(
        "bootstrap-server",
        "hostname and port for the broker to connect to",
        "host:port",
    ),
    Opt::string(
        "command-config",
        "property file containing configs to be passed to admin client",
        "FILE",
    ),
    Opt::string("transactional-id", "transactional id", "TRANSACTIONAL_ID"),
    Opt::string("topic", "topic name", "TOPIC"),
    Opt::string("partition", "partition number", "PARTITION"),
    Opt::string("broker-id", "broker id", "BROKER_ID"),
    Opt::string(
        "duration-filter",
        "duration (in millis) to filter by",
        "DURATION_FILTER",
    ),
    Opt::string(
        "start-offset",
        "start offset of the transaction to abort",
        "START_OFFSET",
    ),
    Opt::string("producer-id", "producer id", "PRODUCER_ID"),
    Opt::string("producer-epoch", "producer epoch", "PRODUCER_EPOCH"),
    Opt::string(
        "coordinator-epoch",
        "coordinator epoch",
        "COORDINATOR_EPOCH",
    ),
    Opt::string(
        "max-transaction-timeout",
        "maximum transaction timeout in minutes",
        "MAX_TRANSACTION_TIMEOUT",
    ),
];

const PROG: &str = "kafka-transactions.sh";
const USAGE: &str = "usage: kafka-transactions.sh [-h] [-v] [--command-config FILE] --bootstrap-server host:port COMMAND ...";
const COMMANDS: [&str; 5] = [
    "list",
    "describe",
    "describe-producers",
    "abort",
    "find-hanging",
];

const HELP: &str = "usage: kafka-transactions.sh [-h] [-v] [--command-config FILE] --bootstrap-server host:port COMMAND ...

This tool is used to analyze the transactional state of producers in the cluster. It can be used to detect and recover from hanging transactions.

optional arguments:
  -h, --help             show this help message and exit
  -v, --version          show the version of this Kafka distribution and exit
  --command-config FILE  property file containing configs to be passed to admin client
  --bootstrap-server host:port
                         hostname and port for the broker to connect to, in the form `host:port`  (multiple comma-separated entries can be given)

commands:
  COMMAND
    list                 list transactions
    describe             describe the state of an active transactional-id
    describe-producers   describe the states of active producers for a topic partition
    abort                abort a hanging transaction (requires administrative privileges)
    find-hanging         find hanging transactions";

/// A subcommand's options: (flag, metavar, required).
fn options_of(command: &str) -> &'static [(&'static str, &'static str, bool)] {
    match command {
        "list" => &[("--duration-filter", "DURATION_FILTER", false)],
        "describe" => &[("--transactional-id", "TRANSACTIONAL_ID", true)],
        "describe-producers" => &[
            ("--broker-id", "BROKER_ID", false),
            ("--topic", "TOPIC", true),
            ("--partition", "PARTITION", true),
        ],
        "abort" => &[
            ("--topic", "TOPIC", true),
            ("--partition", "PARTITION", true),
            ("--start-offset", "START_OFFSET", false),
            ("--producer-id", "PRODUCER_ID", false),
            ("--producer-epoch", "PRODUCER_EPOCH", false),
            ("--coordinator-epoch", "COORDINATOR_EPOCH", false),
        ],
        _ => &[
            ("--broker-id", "BROKER_ID", false),
            (
                "--max-transaction-timeout",
                "MAX_TRANSACTION_TIMEOUT",
                false,
            ),
            ("--topic", "TOPIC", false),
            ("--partition", "PARTITION", false),
        ],
    }
}

fn sub_usage(command: &str) -> String {
    let mut u = format!("usage: {PROG} {command} [-h]");
    for (flag, metavar, required) in options_of(command) {
        if *required {
            u.push_str(&format!(" {flag} {metavar}"));
        } else {
            u.push_str(&format!(" [{flag} {metavar}]"));
        }
    }
    u
}

/// argparse4j's `handleError`: the failing parser's usage, then `prog: error: …`.
fn parse_error(prog: &str, usage: &str, message: &str, out: &mut Output) -> ToolResult {
    out.errln(usage);
    out.errln(&format!("{prog}: error: {message}"));
    ToolResult::Exit(1)
}

/// `printErrorAndExit`.
fn fail(message: &str, out: &mut Output) -> ToolResult {
    out.errln(message);
    ToolResult::Exit(1)
}

struct Args {
    command: String,
    values: Vec<(&'static str, String)>,
}

impl Args {
    fn get(&self, flag: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(f, _)| *f == flag)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses the line as argparse4j does for this tool; `Err` is the exit after printing.
fn parse(args: &[String], out: &mut Output) -> Result<Args, ToolResult> {
    let mut bootstrap = false;
    let mut i = 0;
    let mut command = None;
    while i < args.len() && command.is_none() {
        match args[i].as_str() {
            "-h" | "--help" => {
                out.outln(HELP);
                return Err(ToolResult::Exit(0));
            }
            "-v" | "--version" => {
                out.outln(KAFKA_VERSION);
                return Err(ToolResult::Exit(0));
            }
            "--bootstrap-server" | "--command-config" => {
                if i + 1 >= args.len() {
                    return Err(parse_error(
                        PROG,
                        USAGE,
                        &format!("argument {}: expected one argument", args[i]),
                        out,
                    ));
                }
                bootstrap |= args[i] == "--bootstrap-server";
                i += 1;
            }
            a if a.starts_with('-') => {
                return Err(parse_error(
                    PROG,
                    USAGE,
                    &format!("unrecognized arguments: '{a}'"),
                    out,
                ));
            }
            a => command = Some(a.to_string()),
        }
        i += 1;
    }
    let Some(command) = command else {
        if !bootstrap {
            return Err(parse_error(
                PROG,
                USAGE,
                "argument --bootstrap-server is required",
                out,
            ));
        }
        return Err(parse_error(PROG, USAGE, "too few arguments", out));
    };
    if !COMMANDS.contains(&command.as_str()) {
        let choices: Vec<String> = COMMANDS.iter().map(|c| format!("'{c}'")).collect();
        return Err(parse_error(
            PROG,
            USAGE,
            &format!(
                "argument COMMAND: invalid choice: '{command}' (choose from {})",
                choices.join(", ")
            ),
            out,
        ));
    }
    let prog = format!("{PROG} {command}");
    let usage = sub_usage(&command);
    let declared = options_of(&command);
    let mut values = Vec::new();
    while i < args.len() {
        let a = args[i].as_str();
        if a == "-h" || a == "--help" {
            out.outln(&usage);
            return Err(ToolResult::Exit(0));
        }
        let Some((flag, _, _)) = declared.iter().find(|(f, _, _)| *f == a) else {
            return Err(parse_error(
                &prog,
                &usage,
                &format!("unrecognized arguments: '{a}'"),
                out,
            ));
        };
        let Some(value) = args.get(i + 1) else {
            return Err(parse_error(
                &prog,
                &usage,
                &format!("argument {flag}: expected one argument"),
                out,
            ));
        };
        values.push((*flag, value.clone()));
        i += 2;
    }
    for (flag, _, required) in declared {
        if *required && !values.iter().any(|(f, _)| f == flag) {
            return Err(parse_error(
                &prog,
                &usage,
                &format!("argument {flag} is required"),
                out,
            ));
        }
    }
    if !bootstrap {
        return Err(parse_error(
            PROG,
            USAGE,
            "argument --bootstrap-server is required",
            out,
        ));
    }
    Ok(Args { command, values })
}

/// A typed argument (`.type(Integer.class)` etc.): argparse4j's conversion error.
fn number<T: std::str::FromStr>(
    args: &Args,
    flag: &str,
    java_type: &str,
    out: &mut Output,
) -> Result<Option<T>, ToolResult> {
    let Some(raw) = args.get(flag) else {
        return Ok(None);
    };
    match raw.parse::<T>() {
        Ok(v) => Ok(Some(v)),
        Err(_) => Err(parse_error(
            &format!("{PROG} {}", args.command),
            &sub_usage(&args.command),
            &format!("argument {flag}: could not convert '{raw}' to {java_type}"),
            out,
        )),
    }
}

pub fn run(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    if args.is_empty() {
        return parse_error(PROG, USAGE, "argument --bootstrap-server is required", out);
    }
    let args = match parse(args, out) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let cluster = &mut ctx.playground.cluster;
    let result = match args.command.as_str() {
        "list" => list(cluster, &args, out),
        "describe" => describe(cluster, &args, out),
        "describe-producers" => describe_producers(cluster, &args, out),
        "abort" => abort(cluster, &args, out),
        _ => find_hanging(cluster, &args, out),
    };
    match result {
        Ok(()) => ToolResult::Exit(0),
        Err(r) => r,
    }
}

/// `ToolsUtils.prettyPrintTable`.
fn print_table(headers: &[&str], rows: &[Vec<String>], out: &mut Output) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (cell, w) in cells.iter().zip(&widths) {
            s.push_str(cell);
            s.push_str(&" ".repeat(w - cell.chars().count()));
            s.push('\t');
        }
        s
    };
    out.outln(&line(headers.to_vec()));
    for row in rows {
        out.outln(&line(row.iter().map(String::as_str).collect()));
    }
}

fn list(cluster: &mut Cluster, args: &Args, out: &mut Output) -> Result<(), ToolResult> {
    let filter = number::<i64>(args, "--duration-filter", "Long", out)?;
    let now = cluster.now_ms();
    let mut rows: Vec<(i32, Vec<String>)> = Vec::new();
    for (id, m) in &cluster.transaction_coordinator().transactions {
        // `filterOnDuration`: only transactions open longer than the duration.
        if let Some(d) = filter.filter(|d| *d >= 0) {
            if m.state != TransactionState::Ongoing || now - m.start_ms <= d {
                continue;
            }
        }
        let coordinator = cluster
            .transaction_coordinator_of(id)
            .map_or(-1, |(b, _)| b);
        rows.push((
            coordinator,
            vec![
                id.clone(),
                coordinator.to_string(),
                m.producer_id.to_string(),
                m.state.name().to_string(),
            ],
        ));
    }
    rows.sort_by_key(|(b, _)| *b);
    let rows: Vec<Vec<String>> = rows.into_iter().map(|(_, r)| r).collect();
    print_table(
        &[
            "TransactionalId",
            "Coordinator",
            "ProducerId",
            "TransactionState",
        ],
        &rows,
        out,
    );
    Ok(())
}

fn describe(cluster: &mut Cluster, args: &Args, out: &mut Output) -> Result<(), ToolResult> {
    let id = args
        .get("--transactional-id")
        .unwrap_or_default()
        .to_string();
    // FindCoordinator creates `__transaction_state` if it is missing.
    cluster.find_transaction_coordinator(&id);
    let Some(m) = cluster.transaction_coordinator().get(&id).cloned() else {
        return Err(fail(
            &format!(
                "Failed to describe transaction state of transactional-id `{id}`: DescribeTransactions request for transactionalId `{id}` failed because the ID could not be found. Enable debug logging for additional detail."
            ),
            out,
        ));
    };
    let coordinator = cluster
        .transaction_coordinator_of(&id)
        .map_or(-1, |(b, _)| b);
    let (start, duration) = if m.start_ms >= 0 {
        (
            m.start_ms.to_string(),
            (cluster.now_ms() - m.start_ms).to_string(),
        )
    } else {
        ("None".to_string(), "None".to_string())
    };
    let partitions: Vec<String> = m.partitions.iter().map(ToString::to_string).collect();
    print_table(
        &[
            "CoordinatorId",
            "TransactionalId",
            "ProducerId",
            "ProducerEpoch",
            "TransactionState",
            "TransactionTimeoutMs",
            "CurrentTransactionStartTimeMs",
            "TransactionDurationMs",
            "TopicPartitions",
        ],
        &[vec![
            coordinator.to_string(),
            id,
            m.producer_id.to_string(),
            m.producer_epoch.to_string(),
            m.state.name().to_string(),
            m.timeout_ms.to_string(),
            start,
            duration,
            partitions.join(","),
        ]],
        out,
    );
    Ok(())
}

/// `ProducerState` as `DescribeProducers` reports it for one producer on one partition.
struct ProducerRow {
    producer_id: i64,
    producer_epoch: i16,
    coordinator_epoch: i32,
    last_sequence: i32,
    last_timestamp: i64,
    transaction_start: Option<i64>,
}

/// The partition's active producers: those with a batch (or marker) still in the log, by
/// producer id.
fn producers_of(cluster: &Cluster, tp: &TopicPartition) -> Option<Vec<ProducerRow>> {
    let p = cluster.topic(&tp.topic)?.partition(tp.partition)?;
    let log = p.log();
    let mut rows: Vec<ProducerRow> = Vec::new();
    for h in log.batch_headers() {
        if h.producer_id < 0 {
            continue;
        }
        let last = log.read(h.last_offset, 1).first();
        let timestamp = last.map_or(-1, |r| r.timestamp);
        let i = match rows.iter().position(|r| r.producer_id == h.producer_id) {
            Some(i) => i,
            None => {
                rows.push(ProducerRow {
                    producer_id: h.producer_id,
                    producer_epoch: h.producer_epoch,
                    coordinator_epoch: -1,
                    last_sequence: -1,
                    last_timestamp: -1,
                    transaction_start: None,
                });
                rows.len() - 1
            }
        };
        let row = &mut rows[i];
        // A new epoch clears what the broker remembers of the producer's batches
        // (`ProducerStateEntry.maybeUpdateProducerEpoch`).
        if row.producer_epoch != h.producer_epoch {
            row.last_sequence = -1;
        }
        row.producer_epoch = h.producer_epoch;
        row.last_timestamp = timestamp;
        if h.is_control {
            if let Some(e) = last.and_then(|r| r.value).and_then(end_txn_marker_epoch) {
                row.coordinator_epoch = e;
            }
        } else {
            row.last_sequence = h.last_sequence();
        }
    }
    for row in &mut rows {
        row.transaction_start = p.producer_state().ongoing_first_offset(row.producer_id);
    }
    rows.sort_by_key(|r| r.producer_id);
    Some(rows)
}

fn partition_arg(args: &Args, out: &mut Output) -> Result<TopicPartition, ToolResult> {
    let partition = number::<i32>(args, "--partition", "Integer", out)?.unwrap_or_default();
    let topic = args.get("--topic").unwrap_or_default();
    Ok(TopicPartition::new(topic, partition))
}

fn unknown_partition(message: &str, out: &mut Output) -> ToolResult {
    fail(
        &format!(
            "{message}: This server does not host this topic-partition.. Enable debug logging for additional detail."
        ),
        out,
    )
}

fn describe_producers(
    cluster: &mut Cluster,
    args: &Args,
    out: &mut Output,
) -> Result<(), ToolResult> {
    let broker = number::<i32>(args, "--broker-id", "Integer", out)?;
    let tp = partition_arg(args, out)?;
    let on = broker.map_or("leader".to_string(), |b| format!("broker {b}"));
    let Some(rows) = producers_of(cluster, &tp) else {
        return Err(unknown_partition(
            &format!("Failed to describe producers for partition {tp} on {on}"),
            out,
        ));
    };
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.producer_id.to_string(),
                r.producer_epoch.to_string(),
                r.coordinator_epoch.to_string(),
                r.last_sequence.to_string(),
                r.last_timestamp.to_string(),
                r.transaction_start
                    .map_or("None".to_string(), |o| o.to_string()),
            ]
        })
        .collect();
    print_table(
        &[
            "ProducerId",
            "ProducerEpoch",
            "LatestCoordinatorEpoch",
            "LastSequence",
            "LastTimestamp",
            "CurrentTransactionStartOffset",
        ],
        &rows,
        out,
    );
    Ok(())
}

fn abort(cluster: &mut Cluster, args: &Args, out: &mut Output) -> Result<(), ToolResult> {
    let tp = partition_arg(args, out)?;
    let start_offset = number::<i64>(args, "--start-offset", "Long", out)?;
    let producer_id = number::<i64>(args, "--producer-id", "Long", out)?;
    let producer_epoch = number::<i16>(args, "--producer-epoch", "Short", out)?;
    let coordinator_epoch = number::<i32>(args, "--coordinator-epoch", "Integer", out)?;
    let spec = match (start_offset, producer_id) {
        (None, None) => {
            return Err(fail(
                "The transaction to abort must be identified either with --start-offset (for brokers on 3.0 or above) or with --producer-id, --producer-epoch, and --coordinator-epoch (for older brokers)",
                out,
            ));
        }
        (None, Some(pid)) => {
            let Some(epoch) = producer_epoch else {
                return Err(fail("Missing required argument --producer-epoch", out));
            };
            let Some(coordinator) = coordinator_epoch else {
                return Err(fail("Missing required argument --coordinator-epoch", out));
            };
            (pid, epoch, coordinator.max(0))
        }
        (Some(start), _) => {
            let Some(rows) = producers_of(cluster, &tp) else {
                return Err(unknown_partition(
                    &format!("Failed to validate producer state for partition {tp}"),
                    out,
                ));
            };
            let Some(row) = rows.iter().find(|r| r.transaction_start == Some(start)) else {
                return Err(fail(
                    &format!(
                        "Could not find any open transactions starting at offset {start} on partition {tp}"
                    ),
                    out,
                ));
            };
            (
                row.producer_id,
                row.producer_epoch,
                row.coordinator_epoch.max(0),
            )
        }
    };
    let (pid, epoch, coordinator) = spec;
    if let Err(e) = cluster.abort_hanging_transaction(&tp, pid, epoch, coordinator) {
        return Err(fail(
            &format!(
                "Failed to abort transaction AbortTransactionSpec(topicPartition={tp}, producerId={pid}, producerEpoch={epoch}, coordinatorEpoch={coordinator}): {}. Enable debug logging for additional detail.",
                e.message()
            ),
            out,
        ));
    }
    Ok(())
}

fn find_hanging(cluster: &mut Cluster, args: &Args, out: &mut Output) -> Result<(), ToolResult> {
    let broker = number::<i32>(args, "--broker-id", "Integer", out)?;
    let max_minutes =
        number::<i32>(args, "--max-transaction-timeout", "Integer", out)?.unwrap_or(15);
    let partition = number::<i32>(args, "--partition", "Integer", out)?;
    let topic = args.get("--topic").map(str::to_string);
    if topic.is_none() && broker.is_none() {
        return Err(fail(
            "The `find-hanging` command requires either --topic or --broker-id to limit the scope of the search",
            out,
        ));
    }
    if partition.is_some() && topic.is_none() {
        return Err(fail(
            "The --partition argument requires --topic to be provided",
            out,
        ));
    }
    let mut partitions: Vec<TopicPartition> = Vec::new();
    for t in cluster.topics() {
        if topic.as_ref().is_some_and(|name| *name != t.name()) {
            continue;
        }
        for p in t.partitions() {
            if partition.is_some_and(|i| i != p.index()) {
                continue;
            }
            if broker.is_some_and(|b| !p.replicas().contains(&b)) {
                continue;
            }
            partitions.push(TopicPartition::new(t.name(), p.index()));
        }
    }
    let now = cluster.now_ms();
    let max_ms = i64::from(max_minutes) * 60_000;
    let mut rows = Vec::new();
    for tp in &partitions {
        for r in producers_of(cluster, tp).unwrap_or_default() {
            let Some(start) = r.transaction_start else {
                continue;
            };
            if now - r.last_timestamp <= max_ms {
                continue;
            }
            // Hanging unless its coordinator still has the partition in the open transaction.
            let expected = cluster
                .transaction_coordinator()
                .by_producer_id(r.producer_id)
                .is_some_and(|(_, m)| m.partitions.contains(tp));
            if expected {
                continue;
            }
            rows.push(vec![
                tp.topic.clone(),
                tp.partition.to_string(),
                r.producer_id.to_string(),
                r.producer_epoch.to_string(),
                r.coordinator_epoch.to_string(),
                start.to_string(),
                r.last_timestamp.to_string(),
                ((now - r.last_timestamp) / 60_000).to_string(),
            ]);
        }
    }
    print_table(
        &[
            "Topic",
            "Partition",
            "ProducerId",
            "ProducerEpoch",
            "CoordinatorEpoch",
            "StartOffset",
            "LastTimestamp",
            "Duration(min)",
        ],
        &rows,
        out,
    );
    Ok(())
}
