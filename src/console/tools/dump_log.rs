//! `kafka-dump-log.sh` (`DumpLogSegments`): a partition's segment files, batch by batch and,
//! with `--deep-iteration`/`--print-data-log`, record by record.
//!
//! The files are `/tmp/kraft-combined-logs/<topic>-<partition>/<base offset, 20 digits>.log`
//! (and `.index`, `.timeindex`): the segments of the engine's log of the partition, which is
//! the leader's. The playground's brokers each have that one log dir (`log.dirs` of Kafka's
//! quickstart); a path names a partition, not a broker.
//!
//! How records become batches: see `default_record_batch.rs`. A producer batch (the console
//! producer's, the perf test's) is one batch with its producer id, epoch, sequences and codec;
//! other records are a batch each without producer state (-1s). Each batch is encoded in
//! Kafka's v2 format (`DefaultRecordBatch`), so `size`, `position` and `crc` are the ones Kafka
//! computes for it (uncompressed: a compressed batch shows its codec and its uncompressed
//! size), and `.index`/`.timeindex` entries follow `LogSegment.append` (an entry once more than
//! `index.interval.bytes` were appended; a closed segment's time index also gets its largest
//! timestamp). The engine keeps no leader-epoch history: every batch carries the partition's
//! current leader epoch. A batch holding a tombstone the log cleaner kept carries its
//! `deleteHorizonMs` (first cleaning + `delete.retention.ms`), as KIP-534 writes it.
//! Segments roll by the engine's own record-size estimate, so a file may exceed `segment.bytes`.
//!
//! Invariant: no input panics; a missing file is Java's `NoSuchFileException`, as Kafka dies of it.

use super::default_record_batch::{BatchView, checksum, for_each_batch};
use super::{BadOption, Opening};
use crate::console::java::string_hash;
use crate::console::options::{self, HELP, Opt, Parsed, VERSION};
use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};
use crate::engine::producer_batch::{ControlRecordType, end_txn_marker_epoch};
use crate::engine::{Cluster, Partition, RecordRef, Topic};

/// `log.dirs` of the playground's brokers (Kafka's KRaft quickstart).
pub const LOG_DIR: &str = "/tmp/kraft-combined-logs";

const DESCRIPTION: &str = "This tool helps to parse a log file and dump its contents to the console, useful for debugging a seemingly corrupt log segment.";
const STRING_DECODER: &str = "org.apache.kafka.tools.api.StringDecoder";

pub const OPTIONS: &[Opt] = &[
    Opt::flag("cluster-metadata-decoder", "If set, log data will be parsed as cluster metadata records."),
    Opt::flag("deep-iteration", "If set, uses deep instead of shallow iteration. Automatically set if print-data-log is enabled."),
    Opt::string("files", "REQUIRED: The comma separated list of data and index log files to be dumped.", "file1, file2, ..."),
    HELP,
    Opt::flag("index-sanity-check", "If set, just checks the index sanity without printing its content. This is the same check that is executed on broker startup to determine if an index needs rebuilding or not."),
    Opt::string("key-decoder-class", "If set, used to deserialize the keys. This class should implement org.apache.kafka.tools.api.Decoder trait. Custom jar should be available in kafka/libs directory.", "").optional().default(STRING_DECODER),
    Opt::integer("max-bytes", "Limit the amount of total batches read in bytes avoiding reading the whole .log file(s).", "size").default("2147483647"),
    Opt::integer("max-message-size", "Size of largest message.", "size").default("5242880"),
    Opt::flag("offsets-decoder", "If set, log data will be parsed as offset data from the __consumer_offsets topic."),
    Opt::flag("print-data-log", "If set, printing the messages content when dumping data logs. Automatically set if any decoder option is specified."),
    Opt::flag("remote-log-metadata-decoder", "If set, log data will be parsed as TopicBasedRemoteLogMetadataManager (RLMM) metadata records. Instead, the value-decoder-class option can be used if a custom RLMM implementation is configured."),
    Opt::flag("skip-record-metadata", "Whether to skip printing metadata for each record."),
    Opt::flag("transaction-log-decoder", "If set, log data will be parsed as transaction metadata from the __transaction_state topic."),
    Opt::string("value-decoder-class", "If set, used to deserialize the messages. This class should implement org.apache.kafka.tools.api.Decoder trait. Custom jar should be available in kafka/libs directory.", "").optional().default(STRING_DECODER),
    Opt::flag("verify-index-only", "If set, just verify the index log without printing its content."),
    VERSION,
];

/// An exception escaping `main`: the JVM prints `Exception in thread "main" class: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Thrown {
    class: &'static str,
    message: Option<String>,
}

impl Thrown {
    fn new(class: &'static str, message: impl Into<String>) -> Self {
        Thrown {
            class,
            message: Some(message.into()),
        }
    }

    fn bare(class: &'static str) -> Self {
        Thrown {
            class,
            message: None,
        }
    }

    fn print(&self, out: &mut Output) -> i32 {
        match &self.message {
            Some(m) => out.errln(&format!("Exception in thread \"main\" {}: {m}", self.class)),
            None => out.errln(&format!("Exception in thread \"main\" {}", self.class)),
        }
        1
    }
}

const NO_SUCH_FILE: &str = "java.nio.file.NoSuchFileException";

fn no_such_file(path: &str) -> Thrown {
    Thrown::new(NO_SUCH_FILE, path)
}

/// The playground has no `ls` of its log dirs: after a missing file, name the files there are.
fn missing_file_hint(cluster: &Cluster, path: &str) -> String {
    let partition = path
        .strip_prefix(LOG_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(|rest| rest.split('/').next())
        .and_then(|dir| {
            let (topic, index) = dir.rsplit_once('-')?;
            let t = cluster.topic(topic)?;
            Some((dir, t.partition(index.parse().ok()?)?))
        });
    match partition {
        Some((dir, p)) => {
            let mut bases: Vec<i64> = p.log().segments().iter().map(|s| s.base_offset).collect();
            if bases.is_empty() {
                bases.push(p.log().log_end_offset());
            }
            let shown: Vec<String> = bases
                .iter()
                .take(4)
                .map(|b| format!("{LOG_DIR}/{dir}/{b:020}.log"))
                .collect();
            let more = if bases.len() > 4 { ", …" } else { "" };
            format!(
                "Hint: the segments of {dir} are {}{more} (each with its .index and .timeindex).",
                shown.join(", ")
            )
        }
        None => format!(
            "Hint: segment files are {LOG_DIR}/<topic>-<partition>/<base offset, 20 digits>.log, e.g. {LOG_DIR}/my-topic-0/00000000000000000000.log."
        ),
    }
}

/// Scala's `"…".toLong`: `Long.parseLong`.
fn parse_long(s: &str) -> Result<i64, Thrown> {
    s.parse::<i64>().map_err(|_| {
        Thrown::new(
            "java.lang.NumberFormatException",
            format!("For input string: \"{s}\""),
        )
    })
}

/// `kafka-dump-log.sh`'s opening: a rejected option escapes `main`.
pub const OPENING: Opening = Opening::new(OPTIONS, DESCRIPTION)
    .bad_option(BadOption::Uncaught)
    .required(&["files"]);

pub fn run(opts: Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    ToolResult::Exit(execute(opts, &ctx.playground.cluster, out))
}

fn execute(opts: Parsed, cluster: &Cluster, out: &mut Output) -> i32 {
    for (option, topic) in [
        ("cluster-metadata-decoder", "__cluster_metadata"),
        ("remote-log-metadata-decoder", "__remote_log_metadata"),
    ] {
        if opts.has(option) {
            out.errln(&format!(
                "--{option}: the playground keeps no {topic} log to decode. Use --offsets-decoder for __consumer_offsets, or --print-data-log."
            ));
            return 1;
        }
    }
    let settings = Settings::new(&opts);
    let mut gaps: Vec<(String, Vec<(i64, i64)>)> = Vec::new();
    for arg in java_split(opts.value("files").unwrap_or_default()) {
        let file = java_file_path(arg);
        out.outln(&format!("Dumping {file}"));
        if let Err(e) = dump_file(&file, &settings, cluster, &mut gaps, out) {
            let status = e.print(out);
            if let (NO_SUCH_FILE, Some(path)) = (e.class, &e.message) {
                out.errln(&missing_file_hint(cluster, path));
            }
            return status;
        }
    }
    let keys: Vec<&str> = gaps.iter().map(|(f, _)| f.as_str()).collect();
    for i in scala_hashmap_order(&keys) {
        let (file, pairs) = &gaps[i];
        out.errln(&format!("Non-consecutive offsets in {file}"));
        // Kafka prepends each pair to its list: the last found prints first.
        for (first, second) in pairs.iter().rev() {
            out.errln(&format!("  {first} is followed by {second}"));
        }
    }
    0
}

/// The options as `DumpLogSegmentsOptions` reads them.
struct Settings<'a> {
    opts: &'a options::Parsed,
    print_data: bool,
    deep: bool,
    skip_metadata: bool,
}

impl<'a> Settings<'a> {
    fn new(opts: &'a options::Parsed) -> Self {
        let print_data = [
            "print-data-log",
            "offsets-decoder",
            "transaction-log-decoder",
            "value-decoder-class",
            "key-decoder-class",
        ]
        .iter()
        .any(|o| opts.has(o));
        Settings {
            opts,
            print_data,
            deep: print_data || opts.has("deep-iteration"),
            skip_metadata: opts.has("skip-record-metadata"),
        }
    }

    /// `messageParser`, built afresh for each `.log` file (the value decoder first).
    fn parser(&self, out: &mut Output) -> Result<Parser, Thrown> {
        if self.opts.has("offsets-decoder") {
            return Ok(Parser::Offsets);
        }
        if self.opts.has("transaction-log-decoder") {
            return Ok(Parser::TransactionLog);
        }
        let value = decoder(
            self.opts
                .value("value-decoder-class")
                .unwrap_or(STRING_DECODER),
            out,
        )?;
        let key = decoder(
            self.opts
                .value("key-decoder-class")
                .unwrap_or(STRING_DECODER),
            out,
        )?;
        Ok(Parser::Decoders { key, value })
    }

    /// An `Integer` option, converted (and failing) only when read, as jopt-simple does.
    fn int(&self, name: &str) -> Result<i64, Thrown> {
        match self.opts.int(name) {
            Ok(v) => Ok(v.map_or(i64::from(i32::MAX), i64::from)),
            Err(message) => Err(Thrown::new(
                "joptsimple.OptionArgumentConversionException",
                message,
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decoder {
    String,
    Integer,
    Long,
    Bytes,
}

enum Parser {
    Decoders { key: Decoder, value: Decoder },
    Offsets,
    TransactionLog,
}

/// `newDecoder`: the tools' decoders, and the deprecated `kafka.serializer` names (with their
/// warning); any other class is not on the classpath.
fn decoder(class: &str, out: &mut Output) -> Result<Decoder, Thrown> {
    for (old, decoder) in [
        ("StringDecoder", Decoder::String),
        ("LongDecoder", Decoder::Long),
        ("IntegerDecoder", Decoder::Integer),
        ("DefaultDecoder", Decoder::Bytes),
    ] {
        if class == format!("kafka.serializer.{old}") {
            out.outln(&format!(
                "kafka.serializer.{old} is deprecated. Please use org.apache.kafka.tools.api.{old} instead"
            ));
            return Ok(decoder);
        }
        if class == format!("org.apache.kafka.tools.api.{old}") {
            return Ok(decoder);
        }
    }
    Err(Thrown::new("java.lang.ClassNotFoundException", class))
}

fn decode(decoder: Decoder, bytes: &[u8], offset: i64) -> Result<String, Thrown> {
    let underflow = || Thrown::bare("java.nio.BufferUnderflowException");
    Ok(match decoder {
        Decoder::String => String::from_utf8_lossy(bytes).into_owned(),
        Decoder::Integer => bytes
            .first_chunk::<4>()
            .map(|b| i32::from_be_bytes(*b).to_string())
            .ok_or_else(underflow)?,
        Decoder::Long => bytes
            .first_chunk::<8>()
            .map(|b| i64::from_be_bytes(*b).to_string())
            .ok_or_else(underflow)?,
        // A byte[] prints as `[B@` and its identity hash; any stable number will do.
        Decoder::Bytes => {
            let h = bytes.iter().fold(offset as u32 ^ 0x5bd1_e995, |h, b| {
                h.wrapping_mul(31).wrapping_add(u32::from(*b))
            });
            format!("[B@{:x}", h & 0x7fff_ffff)
        }
    })
}

/// `String.split(",")`: trailing empty strings dropped; no separator gives the whole string.
fn java_split(s: &str) -> Vec<&str> {
    if !s.contains(',') {
        return vec![s];
    }
    let mut parts: Vec<&str> = s.split(',').collect();
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

/// `new File(path).toString()`: repeated and trailing slashes removed.
fn java_file_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    if out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    out
}

/// The order in which Scala 2.13's `mutable.HashMap` (16 buckets to start, nodes in a bucket
/// sorted by hash) iterates string keys inserted in this order. Returns indices into `keys`.
fn scala_hashmap_order(keys: &[&str]) -> Vec<usize> {
    let mut size = 16usize;
    while keys.len() >= size * 3 / 4 {
        size *= 2;
    }
    let mut order: Vec<(usize, i32, usize)> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let h = string_hash(k);
            let improved = h ^ ((h as u32) >> 16) as i32;
            ((improved as u32 as usize) & (size - 1), improved, i)
        })
        .collect();
    crate::sort::sort(&mut order);
    order.into_iter().map(|(_, _, i)| i).collect()
}

fn dump_file(
    file: &str,
    settings: &Settings,
    cluster: &Cluster,
    gaps: &mut Vec<(String, Vec<(i64, i64)>)>,
    out: &mut Output,
) -> Result<(), Thrown> {
    let name = file.rsplit('/').next().unwrap_or(file);
    let Some(dot) = name.rfind('.') else {
        let n = name.encode_utf16().count();
        return Err(Thrown::new(
            "java.lang.StringIndexOutOfBoundsException",
            format!("begin -1, end {n}, length {n}"),
        ));
    };
    let stem = name.split('.').next().unwrap_or_default();
    match &name[dot..] {
        ".log" | ".checkpoint" => {
            let parser = settings.parser(out)?;
            let max_bytes = settings.int("max-bytes")?;
            if name.ends_with(".log") {
                let base = parse_long(stem)?;
                out.outln(&format!("Log starting offset: {base}"));
            } else {
                snapshot_header(name, out)?;
            }
            let segment = locate(cluster, file, ".log").ok_or_else(|| no_such_file(file))?;
            dump_log(file, &segment, settings, &parser, max_bytes, gaps, out)
        }
        ".index" | ".timeindex" => {
            let verify_only = settings.opts.has("verify-index-only");
            let sanity_only = settings.opts.has("index-sanity-check");
            let max_message_size = if name.ends_with(".index") {
                settings.int("max-message-size")?
            } else {
                0
            };
            parse_long(stem)?;
            let parent = file.rsplit_once('/').map_or("", |(p, _)| p);
            let log_path = if parent.is_empty() {
                format!("{stem}.log")
            } else {
                format!("{parent}/{stem}.log")
            };
            let segment =
                locate(cluster, &log_path, ".log").ok_or_else(|| no_such_file(&log_path))?;
            let index = indexes(&segment);
            if name.ends_with(".index") {
                if index.offsets.is_empty() {
                    out.outln(&format!("{file} is empty."));
                    return Ok(());
                }
                if sanity_only {
                    out.outln(&format!("{file} passed sanity check."));
                    return Ok(());
                }
                for (offset, position) in &index.offsets {
                    let fits = segment
                        .batches
                        .iter()
                        .find(|b| b.position == *position)
                        .is_some_and(|b| b.size <= max_message_size);
                    if !fits {
                        return Err(Thrown::bare("java.util.NoSuchElementException"));
                    }
                    if !verify_only {
                        out.outln(&format!("offset: {offset} position: {position}"));
                    }
                }
            } else {
                if sanity_only {
                    out.outln(&format!("{file} passed sanity check."));
                    return Ok(());
                }
                if !verify_only {
                    for (timestamp, offset) in &index.times {
                        out.outln(&format!("timestamp: {timestamp} offset: {offset}"));
                    }
                }
            }
            Ok(())
        }
        // Producer-state snapshots: the engine keeps no producer state, so there are none.
        ".snapshot" => Err(no_such_file(file)),
        // Aborted transactions: none, so the index is empty.
        ".txnindex" => parse_long(&name[..name.find('.').unwrap_or(0)]).map(|_| ()),
        _ => {
            out.errln(&format!("Ignoring unknown file {file}"));
            Ok(())
        }
    }
}

/// The line `dumpLog` prints for a KRaft snapshot (`.checkpoint`) before opening it.
fn snapshot_header(name: &str, out: &mut Output) -> Result<(), Thrown> {
    if name == "bootstrap.checkpoint" {
        out.outln("KRaft bootstrap snapshot");
        return Ok(());
    }
    let parsed = name
        .strip_suffix(".checkpoint")
        .and_then(|s| s.split_once('-'))
        .filter(|(o, e)| o.len() == 20 && e.len() == 10)
        .and_then(|(o, e)| Some((o.parse::<i64>().ok()?, e.parse::<i32>().ok()?)));
    match parsed {
        Some((offset, epoch)) => {
            out.outln(&format!("Snapshot end offset: {offset}, epoch: {epoch}"));
            Ok(())
        }
        None => Err(Thrown::new(
            "java.util.NoSuchElementException",
            "No value present",
        )),
    }
}

/// A segment as its files show it.
pub(super) struct SegmentView<'a> {
    pub base_offset: i64,
    pub active: bool,
    pub leader_epoch: i32,
    pub index_interval_bytes: i64,
    pub batches: Vec<BatchView<'a>>,
}

/// The segment a path names, if that file exists: `LOG_DIR/<topic>-<partition>/<base><suffix>`
/// with the base offset printed as Kafka names segment files (20 digits).
fn locate<'a>(cluster: &'a Cluster, path: &str, suffix: &str) -> Option<SegmentView<'a>> {
    let rest = path.strip_prefix(LOG_DIR)?.strip_prefix('/')?;
    let (dir, name) = rest.split_once('/')?;
    let (topic, partition) = dir.rsplit_once('-')?;
    let index: i32 = partition.parse().ok()?;
    if index.to_string() != partition {
        return None;
    }
    let stem = name.strip_suffix(suffix)?;
    let base: i64 = stem.parse().ok()?;
    if format!("{base:020}") != stem {
        return None;
    }
    let t = cluster.topic(topic)?;
    let p = t.partition(index)?;
    // A log nothing was ever appended to still has its first, empty segment.
    let segments = p.log().segments();
    let i = match segments.iter().position(|s| s.base_offset == base) {
        Some(i) => i,
        None if segments.is_empty() && base == p.log().log_end_offset() => 0,
        None => return None,
    };
    Some(segment_view(cluster, t, p, i))
}

/// Segment `i` of a partition's log, its records laid out as batches.
pub(super) fn segment_view<'a>(
    cluster: &Cluster,
    topic: &Topic,
    p: &'a Partition,
    i: usize,
) -> SegmentView<'a> {
    let config = |name: &str, default: i64| {
        cluster
            .topic_config_str(topic, name)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(default)
    };
    let segments = p.log().segments();
    let (base_offset, cleaned_at) = segments
        .get(i)
        .map_or((p.log().log_end_offset(), None), |s| {
            (s.base_offset, s.cleaned_at_ms)
        });
    let end = p.log().segment_end(i);
    let records = p.log().read(base_offset, usize::MAX);
    let horizon = cleaned_at.map(|t| t.saturating_add(delete_retention_ms(cluster, topic)));
    let mut position = 0;
    let mut batches = Vec::new();
    for_each_batch(
        records.iter(),
        p.log().batch_headers(),
        end,
        horizon,
        |mut b| {
            b.position = position;
            position += b.size;
            batches.push(b);
        },
    );
    SegmentView {
        base_offset,
        active: i + 1 >= segments.len(),
        leader_epoch: p.leader_epoch(),
        index_interval_bytes: config("index.interval.bytes", 4096),
        batches,
    }
}

/// Bytes of a replica's log holding the records below `log_end` (what `DescribeLogDirs`
/// reports as the partition's size).
/// How long a cleaned segment keeps its tombstones (`delete.retention.ms`).
fn delete_retention_ms(cluster: &Cluster, topic: &Topic) -> i64 {
    cluster
        .topic_config_str(topic, "delete.retention.ms")
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(86_400_000)
}

/// The sum of what [`segment_view`] lays out, without laying it out: `kafka-log-dirs.sh`
/// asks for every replica's size, a million records in one go.
pub(super) fn replica_size(cluster: &Cluster, topic: &Topic, p: &Partition, log_end: i64) -> i64 {
    let retention = delete_retention_ms(cluster, topic);
    let mut size = 0;
    for (i, segment) in p.log().segments().iter().enumerate() {
        let end = p.log().segment_end(i).min(log_end);
        let horizon = segment.cleaned_at_ms.map(|t| t.saturating_add(retention));
        let records = p.log().read(segment.base_offset, usize::MAX);
        for_each_batch(records.iter(), p.log().batch_headers(), end, horizon, |b| {
            size += b.size;
        });
    }
    size
}

fn dump_log(
    file: &str,
    segment: &SegmentView,
    settings: &Settings,
    parser: &Parser,
    max_bytes: i64,
    gaps: &mut Vec<(String, Vec<(i64, i64)>)>,
    out: &mut Output,
) -> Result<(), Thrown> {
    let file_size: i64 = segment.batches.iter().map(|b| b.size).sum();
    if max_bytes < 0 {
        return Err(Thrown::new(
            "java.lang.IllegalArgumentException",
            format!(
                "Invalid size: {max_bytes} in read from FileRecords(size={file_size}, file={file}, start=0, end=2147483647)"
            ),
        ));
    }
    let end = file_size.min(max_bytes);
    let mut last_offset: Option<i64> = None;
    for batch in segment
        .batches
        .iter()
        .take_while(|b| b.position + b.size <= end)
    {
        out.outln(&batch_line(batch, segment.leader_epoch));
        if !settings.deep {
            continue;
        }
        for record in &batch.records {
            let offset = record.offset;
            if let Some(last) = last_offset.filter(|l| offset != l + 1) {
                match gaps.iter_mut().find(|(f, _)| f == file) {
                    Some((_, pairs)) => pairs.push((last, offset)),
                    None => gaps.push((file.to_string(), vec![(last, offset)])),
                }
            }
            last_offset = Some(offset);
            let sequence = batch.sequence_of(record);
            let line = record_line(*record, sequence, batch.is_control(), settings, parser)
                .inspect_err(|(partial, _)| out.out(partial));
            match line {
                Ok(line) => out.outln(&line),
                Err((_, thrown)) => return Err(thrown),
            }
        }
    }
    Ok(())
}

/// `printBatchLevel` for a v2 batch.
fn batch_line(batch: &BatchView, leader_epoch: i32) -> String {
    let horizon = batch
        .delete_horizon
        .map_or("OptionalLong.empty".to_string(), |h| {
            format!("OptionalLong[{h}]")
        });
    let crc = checksum(batch, leader_epoch);
    format!(
        "baseOffset: {} lastOffset: {} count: {} baseSequence: {} lastSequence: {} producerId: {} producerEpoch: {} partitionLeaderEpoch: {leader_epoch} isTransactional: {} isControl: {} deleteHorizonMs: {horizon} position: {} CreateTime: {} size: {} magic: 2 compresscodec: {} crc: {crc} isvalid: true",
        batch.base_offset(),
        batch.last_offset(),
        batch.records.len(),
        batch.base_sequence(),
        batch.last_sequence(),
        batch.producer_id(),
        batch.producer_epoch(),
        batch.is_transactional(),
        batch.is_control(),
        batch.position,
        batch.max_timestamp(),
        batch.size,
        batch.compression().name(),
    )
}

/// One record's line under its batch; on an exception, the part already printed.
fn record_line(
    r: RecordRef<'_>,
    sequence: i32,
    is_control: bool,
    settings: &Settings,
    parser: &Parser,
) -> Result<String, (String, Thrown)> {
    let mut line = String::from("| ");
    let mut prefix = "";
    if !settings.skip_metadata {
        let len = |b: Option<&[u8]>| b.map_or(-1, |b| b.len() as i64);
        let header_keys: Vec<&str> = r.headers.iter().map(|h| h.key.as_str()).collect();
        line.push_str(&format!(
            "offset: {} CreateTime: {} keySize: {} valueSize: {} sequence: {sequence} headerKeys: [{}]",
            r.offset,
            r.timestamp,
            len(r.key),
            len(r.value),
            header_keys.join(",")
        ));
        prefix = " ";
        // A transaction marker says which (DumpLogSegments: `endTxnMarker: … coordinatorEpoch: …`).
        let marker = r.key.and_then(ControlRecordType::parse_key);
        if let (true, Some(kind)) = (is_control, marker) {
            let epoch = r.value.and_then(end_txn_marker_epoch).unwrap_or(0);
            line.push_str(&format!(
                " endTxnMarker: {} coordinatorEpoch: {epoch}",
                kind.name()
            ));
        }
    }
    if settings.print_data && !is_control {
        let (key, payload) = match parse_record(r, parser) {
            Ok(parsed) => parsed,
            Err(thrown) => return Err((line, thrown)),
        };
        if let Some(key) = key {
            line.push_str(&format!("{prefix}key: {key}"));
        }
        if let Some(payload) = payload {
            line.push_str(&format!(" payload: {payload}"));
        }
    }
    Ok(line)
}

/// `MessageParser.parse`: the key and payload as printed.
fn parse_record(
    r: RecordRef<'_>,
    parser: &Parser,
) -> Result<(Option<String>, Option<String>), Thrown> {
    match parser {
        Parser::Decoders { key, value } => {
            let k = r.key.map(|b| decode(*key, b, r.offset)).transpose()?;
            let v = r.value.map(|b| decode(*value, b, r.offset)).transpose()?;
            Ok((k, v))
        }
        Parser::Offsets => Ok(parse_offsets_record(r)?),
        Parser::TransactionLog => parse_transaction_log_record(r),
    }
}

/// `TransactionLog.formatRecordKeyAndValue`: `__transaction_state` records (`readTxnRecordKey`
/// reads the version first: another topic's keys are unknown versions, or too short to read).
fn parse_transaction_log_record(
    r: RecordRef<'_>,
) -> Result<(Option<String>, Option<String>), Thrown> {
    use crate::engine::transaction_coordinator::{read_log_key, read_log_value};
    let Some(key) = r.key else {
        return Err(Thrown::new(
            "java.lang.NullPointerException",
            "Cannot invoke \"java.nio.ByteBuffer.getShort()\" because \"buffer\" is null",
        ));
    };
    let Some(version) = key.first_chunk::<2>().map(|b| i16::from_be_bytes(*b)) else {
        return Err(Thrown::bare("java.nio.BufferUnderflowException"));
    };
    if version != 0 && version != 1 {
        return Ok((Some(format!("unknown::version={version}")), None));
    }
    let Some((_, id)) = read_log_key(key) else {
        return Err(Thrown::bare("java.nio.BufferUnderflowException"));
    };
    let name = format!("transaction_metadata::transactionalId={id}");
    let value = match r.value.map(read_log_value) {
        None => "<DELETE>".to_string(),
        Some(None) => return Err(Thrown::bare("java.nio.BufferUnderflowException")),
        Some(Some(m)) => {
            let partitions: Vec<String> = m.partitions.iter().map(ToString::to_string).collect();
            format!(
                "producerId:{},producerEpoch:{},state={},partitions=[{}],txnLastUpdateTimestamp={},txnTimeoutMs={}",
                m.producer_id,
                m.producer_epoch,
                m.state.name(),
                partitions.join(","),
                m.last_update_ms,
                m.timeout_ms
            )
        }
    };
    Ok((Some(name), Some(value)))
}

/// `OffsetsMessageParser`: `__consumer_offsets` records as JSON; other keys are reported, not
/// decoded.
fn parse_offsets_record(r: RecordRef<'_>) -> Result<(Option<String>, Option<String>), Thrown> {
    let Some(key) = r.key else {
        return Err(Thrown::new(
            "java.lang.RuntimeException",
            format!(
                "Failed to decode message at offset {} using offset topic decoder (message had a missing key)",
                r.offset
            ),
        ));
    };
    let Some(record_type) = key.first_chunk::<2>().map(|b| i16::from_be_bytes(*b)) else {
        return Ok((
            Some(format!(
                "Error at offset {}, skipping. Could not read version from key's buffer.",
                r.offset
            )),
            None,
        ));
    };
    if !(0..=1).contains(&record_type) {
        return Ok((
            Some(format!(
                "Unknown record type {record_type} at offset {}, skipping.",
                r.offset
            )),
            None,
        ));
    }
    let Some(c) = crate::engine::offsets::decode_offset_commit(key, r.value) else {
        return Ok((
            Some(format!(
                "Error at offset {}, skipping. Could not read record with version {record_type} from key's buffer due to: null.",
                r.offset
            )),
            None,
        ));
    };
    let key = format!(
        "{{\"type\":\"{}\",\"data\":{{\"group\":{},\"topic\":{},\"partition\":{}}}}}",
        c.key_version,
        json_string(&c.group),
        json_string(&c.topic),
        c.partition
    );
    let value = match c.value {
        None => "<DELETE>".to_string(),
        Some((version, offset, epoch, metadata, ts)) => format!(
            "{{\"version\":\"{version}\",\"data\":{{\"offset\":{offset},\"leaderEpoch\":{epoch},\"metadata\":{},\"commitTimestamp\":{ts}}}}}",
            json_string(&metadata)
        ),
    };
    Ok((Some(key), Some(value)))
}

/// A JSON string as Jackson writes it.
pub(super) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The offset and time index entries `LogSegment.append` writes for these batches.
struct Indexes {
    /// (offset, position)
    offsets: Vec<(i64, i64)>,
    /// (timestamp, offset)
    times: Vec<(i64, i64)>,
}

fn indexes(segment: &SegmentView) -> Indexes {
    let mut index = Indexes {
        offsets: Vec::new(),
        times: Vec::new(),
    };
    // The time index's last entry starts as (NO_TIMESTAMP, base offset).
    let mut last_time = -1;
    let mut max = (-1i64, segment.base_offset);
    let mut since_last_entry = 0;
    let mut maybe_append = |times: &mut Vec<(i64, i64)>, (ts, offset): (i64, i64)| {
        if ts > last_time {
            times.push((ts, offset));
            last_time = ts;
        }
    };
    // LogSegment.append: per appended batch, its largest offset and the shallow offset (the
    // batch's last) of the largest timestamp.
    for b in &segment.batches {
        if b.max_timestamp() > max.0 {
            max = (b.max_timestamp(), b.last_offset());
        }
        if since_last_entry > segment.index_interval_bytes {
            index.offsets.push((b.last_offset(), b.position));
            maybe_append(&mut index.times, max);
            since_last_entry = 0;
        }
        since_last_entry += b.size;
    }
    // A rolled segment's time index ends with its largest timestamp.
    if !segment.active {
        maybe_append(&mut index.times, max);
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_arguments_split_and_normalise_as_java_does() {
        assert_eq!(java_split("a,b,,"), vec!["a", "b"]);
        assert_eq!(java_split(",a"), vec!["", "a"]);
        assert_eq!(java_split(""), vec![""]);
        assert!(java_split(",,").is_empty());
        assert_eq!(java_file_path("/tmp//x/"), "/tmp/x");
        assert_eq!(java_file_path("/"), "/");
    }

    #[test]
    fn decoders_decode_or_throw() {
        assert_eq!(decode(Decoder::Integer, &[0, 0, 1, 0], 0).unwrap(), "256");
        assert_eq!(
            decode(Decoder::Long, b"abc", 0).unwrap_err(),
            Thrown::bare("java.nio.BufferUnderflowException")
        );
        let mut out = Output::new();
        assert_eq!(
            decoder("kafka.serializer.StringDecoder", &mut out).unwrap(),
            Decoder::String
        );
        assert!(out.text().contains("is deprecated"));
        assert!(decoder("com.acme.Nope", &mut out).is_err());
    }
}
