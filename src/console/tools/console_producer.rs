//! `kafka-console-producer.sh`: one record per input line, parsed as Kafka's `LineMessageReader`
//! does (keys, headers, null markers), sent with the Java producer's partitioner and `acks`.
//!
//! Piped or heredoc input is produced at once; a terminal gets an interactive session with
//! Kafka's `>` prompt, ended by Ctrl+D. Errors print as Kafka's loggers print them.

use super::Opening;
use crate::console::options::{self, HELP, Opt, Parsed, VERSION};
use crate::console::output::Output;
use crate::console::session::{Playground, Session, Status, Stdin, ToolContext, ToolResult};
use crate::console::tools::admin;
use crate::engine::BrokerId;
use crate::engine::clock::format_log_timestamp;
use crate::engine::error::ErrorCode;
use crate::engine::{
    Acks, Cluster, Header, InFlight, KafkaError, ProducerRecord, StickyPartitioner, TopicPartition,
};

const DESCRIPTION: &str =
    "This tool helps to read data from standard input and publish it to Kafka.";
const CALLBACK_LOGGER: &str = "org.apache.kafka.clients.producer.internals.ErrorLoggingCallback";
const SENDER_LOGGER: &str = "org.apache.kafka.clients.producer.internals.Sender";

pub const OPTIONS: &[Opt] = &[
    Opt::integer(
        "batch-size",
        "Number of messages to send in a single batch if they are not being sent synchronously. please note that this option will be replaced if max-partition-memory-bytes is also set",
        "size",
    )
    .default("16384"),
    Opt::string(
        "bootstrap-server",
        "REQUIRED: The server(s) to connect to. The broker list string in the form HOST1:PORT1,HOST2:PORT2.",
        "server to connect to",
    ),
    Opt::string(
        "compression-codec",
        "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'.If specified without value, then it defaults to 'gzip'",
        "compression-codec",
    )
    .optional(),
    HELP,
    Opt::string(
        "line-reader",
        "The class name of the class to use for reading lines from standard in. By default each line is read as a separate message.",
        "reader_class",
    )
    .default("org.apache.kafka.tools.LineMessageReader"),
    Opt::long(
        "max-block-ms",
        "The max time that the producer will block for during a send request.",
        "max block on send",
    )
    .default("60000"),
    Opt::long(
        "max-memory-bytes",
        "The total memory used by the producer to buffer records waiting to be sent to the server. This is the option to control `buffer.memory` in producer configs.",
        "total memory in bytes",
    )
    .default("33554432"),
    Opt::integer(
        "max-partition-memory-bytes",
        "The buffer size allocated for a partition. When records are received which are smaller than this size the producer will attempt to optimistically group them together until this size is reached. This is the option to control `batch.size` in producer configs.",
        "memory in bytes per partition",
    )
    .default("16384"),
    Opt::integer(
        "message-send-max-retries",
        "Brokers can fail receiving the message for multiple reasons, and being unavailable transiently is just one of them. This property specifies the number of retries before the producer give up and drop this message. This is the option to control `retries` in producer configs.",
        "",
    )
    .default("3"),
    Opt::long(
        "metadata-expiry-ms",
        "The period of time in milliseconds after which we force a refresh of metadata even if we haven't seen any leadership changes. This is the option to control `metadata.max.age.ms` in producer configs.",
        "metadata expiration interval",
    )
    .default("300000"),
    Opt::string(
        "producer-property",
        "A mechanism to pass user-defined properties in the form key=value to the producer. ",
        "producer_prop",
    ),
    Opt::string(
        "producer.config",
        "Producer config properties file. Note that [producer-property] takes precedence over this config.",
        "config file",
    ),
    Opt::string("property", PROPERTY_HELP, "prop"),
    Opt::string(
        "reader-config",
        "Config properties file for the message reader. Note that [property] takes precedence over this config.",
        "config file",
    ),
    Opt::string(
        "request-required-acks",
        "The required `acks` of the producer requests",
        "request required acks",
    )
    .default("-1"),
    Opt::integer(
        "request-timeout-ms",
        "The ack timeout of the producer requests. Value must be non-negative and non-zero.",
        "request timeout ms",
    )
    .default("1500"),
    Opt::long(
        "retry-backoff-ms",
        "Before each retry, the producer refreshes the metadata of relevant topics. Since leader election takes a bit of time, this property specifies the amount of time that the producer waits before refreshing the metadata. This is the option to control `retry.backoff.ms` in producer configs.",
        "",
    )
    .default("100"),
    Opt::integer(
        "socket-buffer-size",
        "The size of the tcp RECV size. This is the option to control `send.buffer.bytes` in producer configs.",
        "size",
    )
    .default("102400"),
    Opt::flag(
        "sync",
        "If set message send requests to the brokers are synchronously, one at a time as they arrive.",
    ),
    Opt::long(
        "timeout",
        "If set and the producer is running in asynchronous mode, this gives the maximum amount of time a message will queue awaiting sufficient batch size. The value is given in ms. This is the option to control `linger.ms` in producer configs.",
        "timeout_ms",
    )
    .default("1000"),
    Opt::string("topic", "REQUIRED: The topic id to produce messages to.", "topic"),
    VERSION,
];

const PROPERTY_HELP: &str = "A mechanism to pass user-defined properties in the form key=value to the message reader. This allows custom configuration for a user-defined message reader.Default properties include:\n parse.key=false\n parse.headers=false\n ignore.error=false\n key.separator=\\t\n headers.delimiter=\\t\n headers.separator=,\n headers.key.separator=:\n null.marker=   When set, any fields (key, value and headers) equal to this will be replaced by null\nDefault parsing pattern when:\n parse.headers=true and parse.key=true:\n  \"h1:v1,h2:v2...\\tkey\\tvalue\"\n parse.key=true:\n  \"key\\tvalue\"\n parse.headers=true:\n  \"h1:v1,h2:v2...\\tvalue\"";

/// `LineMessageReader`'s settings (reader properties).
#[derive(Debug, Clone, PartialEq, Eq)]
struct LineReader {
    parse_key: bool,
    key_separator: String,
    parse_headers: bool,
    headers_delimiter: String,
    headers_separator: String,
    headers_key_separator: String,
    ignore_error: bool,
    null_marker: Option<String>,
    line_number: usize,
}

/// A record parsed from a line, before partitioning.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LineRecord {
    key: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    headers: Vec<Header>,
}

impl LineReader {
    fn configure(props: &[(&str, &str)]) -> Result<LineReader, String> {
        let get = |k: &str| {
            props
                .iter()
                .rev()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        let flag = |k: &str| get(k).is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let reader = LineReader {
            parse_key: flag("parse.key"),
            key_separator: get("key.separator").unwrap_or_else(|| "\t".into()),
            parse_headers: flag("parse.headers"),
            headers_delimiter: get("headers.delimiter").unwrap_or_else(|| "\t".into()),
            headers_separator: get("headers.separator").unwrap_or_else(|| ",".into()),
            headers_key_separator: get("headers.key.separator").unwrap_or_else(|| ":".into()),
            ignore_error: flag("ignore.error"),
            null_marker: get("null.marker"),
            line_number: 0,
        };
        let r = &reader;
        if r.parse_headers && r.headers_delimiter == r.headers_separator {
            return Err("headers.delimiter and headers.separator may not be equal".into());
        }
        if r.parse_headers && r.headers_separator == r.headers_key_separator {
            return Err("headers.separator and headers.key.separator may not be equal".into());
        }
        if let Some(marker) = &r.null_marker {
            for (name, value) in [
                ("key.separator", &r.key_separator),
                ("headers.delimiter", &r.headers_delimiter),
                ("headers.separator", &r.headers_separator),
                ("headers.key.separator", &r.headers_key_separator),
            ] {
                if marker == value {
                    return Err(format!("null.marker and {name} may not be equal"));
                }
            }
        }
        if r.key_separator.is_empty() || r.headers_delimiter.is_empty() {
            return Err("key.separator and headers.delimiter may not be empty".into());
        }
        Ok(reader)
    }

    /// Splits off the part before `demarcation` starting at `start` (`LineMessageReader.parse`).
    fn part<'l>(
        &self,
        enabled: bool,
        line: &'l str,
        start: usize,
        demarcation: &str,
        name: &str,
    ) -> Result<Option<&'l str>, String> {
        if !enabled {
            return Ok(None);
        }
        match line.get(start..).and_then(|rest| rest.find(demarcation)) {
            Some(i) => Ok(line.get(start..start + i)),
            None if self.ignore_error => Ok(None),
            None => Err(format!(
                "No {name} found on line number {}: '{line}'",
                self.line_number
            )),
        }
    }

    fn is_null(&self, s: &str) -> bool {
        self.null_marker.as_deref() == Some(s)
    }

    fn read(&mut self, line: &str) -> Result<LineRecord, String> {
        self.line_number += 1;
        let headers = self.part(
            self.parse_headers,
            line,
            0,
            &self.headers_delimiter.clone(),
            "headers delimiter",
        )?;
        let header_offset = headers.map_or(0, |h| h.len() + self.headers_delimiter.len());
        let key = self.part(
            self.parse_key,
            line,
            header_offset,
            &self.key_separator.clone(),
            "key separator",
        )?;
        let key_offset = key.map_or(0, |k| k.len() + self.key_separator.len());
        let value = line.get(header_offset + key_offset..).unwrap_or("");
        let mut record = LineRecord {
            key: key
                .filter(|k| !self.is_null(k))
                .map(|k| k.as_bytes().to_vec()),
            value: (!self.is_null(value)).then(|| value.as_bytes().to_vec()),
            headers: Vec::new(),
        };
        if let Some(h) = headers.filter(|h| !self.is_null(h)) {
            record.headers = self.split_headers(h)?;
        }
        Ok(record)
    }

    fn split_headers(&self, headers: &str) -> Result<Vec<Header>, String> {
        let mut out = Vec::new();
        for pair in headers.split(self.headers_separator.as_str()) {
            let Some(i) = pair.find(self.headers_key_separator.as_str()) else {
                if self.ignore_error {
                    out.push(Header {
                        key: pair.to_string(),
                        value: None,
                    });
                    continue;
                }
                return Err(format!(
                    "No header key separator found in pair '{pair}' on line number {}",
                    self.line_number
                ));
            };
            let key = &pair[..i];
            if self.is_null(key) {
                return Err(format!(
                    "Header keys should not be equal to the null marker '{}' as they can't be null",
                    self.null_marker.as_deref().unwrap_or_default()
                ));
            }
            let value = &pair[i + self.headers_key_separator.len()..];
            out.push(Header {
                key: key.to_string(),
                value: (!self.is_null(value)).then(|| value.as_bytes().to_vec()),
            });
        }
        Ok(out)
    }
}

/// A producer session: the reader, the partitioner and the producer's counters.
pub struct ConsoleProducer {
    topic: String,
    reader: LineReader,
    partitioner: StickyPartitioner,
    acks: Acks,
    retries: i64,
    /// `request.timeout.ms`: how long one produce request may wait for its answer.
    request_timeout_ms: i64,
    /// `delivery.timeout.ms`: how long a record may take, retries included.
    delivery_timeout_ms: i64,
    /// `max.block.ms`: how long `send()` waits for the topic's metadata.
    max_block_ms: i64,
    /// `max.request.size` and `buffer.memory`: the largest record the producer sends.
    max_request_size: i64,
    buffer_memory: i64,
    correlation_id: i64,
    metadata_fetched: bool,
}

/// The producer's defaults: `request.timeout.ms`, `delivery.timeout.ms`, `retry.backoff.ms`,
/// `max.block.ms` (`--request-timeout-ms` and `--max-block-ms` only apply when given: the tool
/// merges its options into the producer's configs only then).
const REQUEST_TIMEOUT_MS: i64 = 30_000;
const DELIVERY_TIMEOUT_MS: i64 = 120_000;
const RETRY_BACKOFF_MS: i64 = 100;
const MAX_BLOCK_MS: i64 = 60_000;
/// `max.request.size` and `buffer.memory` defaults.
const MAX_REQUEST_SIZE: i64 = 1_048_576;
const BUFFER_MEMORY: i64 = 33_554_432;
/// The producer's timeouts are Java `int`s (max.block.ms a `long`, kept to the same bound).
const MAX_TIMEOUT_MS: i64 = i32::MAX as i64;

/// `kafka-console-producer.sh`'s opening.
pub const OPENING: Opening = Opening::new(OPTIONS, DESCRIPTION).required(&["topic"]);

pub fn run(opts: Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let files = ctx.playground.files.clone();
    let producer = match ConsoleProducer::start(opts, &mut ctx.playground.cluster, &files, out) {
        Ok(p) => p,
        Err(code) => return ToolResult::Exit(code),
    };
    match std::mem::replace(&mut ctx.stdin, Stdin::Closed) {
        Stdin::Data(text) => {
            let mut piped = PipedProducer {
                producer,
                text,
                sent_bytes: 0,
            };
            // A script reads the whole pipe at once; a console sends a big one over several
            // clock ticks, so the page stays responsive and Ctrl+C stops it.
            let status = if ctx.batch {
                piped.finish(ctx.playground, out)
            } else {
                piped.send_slice(ctx.playground, out)
            };
            match status {
                Status::Exited(code) => ToolResult::Exit(code),
                Status::Running => ToolResult::Running(Box::new(piped)),
            }
        }
        Stdin::Closed => ToolResult::Exit(0),
        Stdin::Terminal => ToolResult::Running(Box::new(producer)),
    }
}

/// Lines of a pipe sent per clock tick (`seq 1 1000000 | kafka-console-producer.sh …` takes
/// 50 ticks, about 5 s, during which the page answers and Ctrl+C works). A count, not a time
/// budget, so a replayed share link sends the same lines at the same ticks.
const PIPE_SLICE_LINES: usize = 20_000;

/// The producer reading a pipe or a here-document rather than typed lines.
struct PipedProducer {
    producer: ConsoleProducer,
    text: String,
    /// How much of `text` has been read.
    sent_bytes: usize,
}

impl PipedProducer {
    /// Sends the next slice of lines (as `str::lines` splits them); exits after the last.
    fn send_slice(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        let rest = &self.text[self.sent_bytes..];
        for chunk in rest.split_inclusive('\n').take(PIPE_SLICE_LINES) {
            self.sent_bytes += chunk.len();
            let line = chunk.strip_suffix('\n').unwrap_or(chunk);
            let line = line.strip_suffix('\r').unwrap_or(line);
            if let Status::Exited(code) = self.producer.send_line(&mut pg.cluster, line, out) {
                return Status::Exited(code);
            }
        }
        if self.sent_bytes >= self.text.len() {
            Status::Exited(0)
        } else {
            Status::Running
        }
    }
}

impl Session for PipedProducer {
    fn interrupt(&mut self, _: &mut Playground, _: &mut Output) -> Status {
        Status::Exited(130)
    }

    fn poll(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.send_slice(pg, out)
    }

    fn finish(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        loop {
            if let Status::Exited(code) = self.send_slice(pg, out) {
                return Status::Exited(code);
            }
        }
    }
}

impl ConsoleProducer {
    fn start(
        opts: Parsed,
        cluster: &mut Cluster,
        files: &crate::console::Files,
        out: &mut Output,
    ) -> Result<ConsoleProducer, i32> {
        if let Err(msg) = validate_bootstrap_server(opts.value("bootstrap-server")) {
            return Err(options::usage(out, &msg, OPTIONS));
        }
        // A missing properties file ends the tool with Java's exception text.
        let mut properties = |file: &str, option: &str| {
            options::merged_properties(files, opts.value(file), &opts.values(option)).map_err(|e| {
                out.errln(&e);
                1
            })
        };
        let producer_props = properties("producer.config", "producer-property")?;
        let reader_file_props = properties("reader-config", "property")?;
        let acks_text = if opts.has("request-required-acks") {
            opts.value("request-required-acks")
                .unwrap_or("-1")
                .to_string()
        } else {
            producer_props
                .iter()
                .rev()
                .find(|(k, _)| *k == "acks")
                .map_or("-1".to_string(), |(_, v)| v.to_string())
        };
        let acks = match acks_text.trim() {
            "all" | "-1" => Acks::All,
            "1" => Acks::Leader,
            "0" => Acks::None,
            other => {
                out.errln(&format!(
                    "org.apache.kafka.common.config.ConfigException: Invalid value {other} for configuration acks: String must be one of: all, -1, 0, 1"
                ));
                return Err(1);
            }
        };
        // Idempotence is on by default and quietly turned off by acks=0/1 — unless it was
        // asked for explicitly, which the producer refuses (ProducerConfig).
        let idempotence_asked = producer_props
            .iter()
            .rev()
            .find(|(k, _)| *k == "enable.idempotence")
            .is_some_and(|(_, v)| v.trim().eq_ignore_ascii_case("true"));
        if idempotence_asked && acks != Acks::All {
            out.errln("org.apache.kafka.common.config.ConfigException: Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.");
            return Err(1);
        }
        let reader_props: Vec<(&str, &str)> = reader_file_props
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let reader = match LineReader::configure(&reader_props) {
            Ok(r) => r,
            Err(msg) => {
                out.errln(&format!("org.apache.kafka.common.KafkaException: {msg}"));
                return Err(1);
            }
        };
        let mut partitioner = StickyPartitioner::new();
        if let Some(size) = producer_props
            .iter()
            .rev()
            .find(|(k, _)| *k == "batch.size")
            .and_then(|(_, v)| v.trim().parse().ok())
        {
            partitioner.batch_size = size;
        }
        let _ = cluster;
        let property = |name: &str| {
            producer_props
                .iter()
                .rev()
                .find(|(k, _)| *k == name)
                .and_then(|(_, v)| v.trim().parse::<i64>().ok())
        };
        // A tool option, when given, wins over the producer property it stands for.
        let option_or_property = |option: &str, name: &str| {
            opts.long(option)
                .ok()
                .flatten()
                .filter(|_| opts.has(option))
                .or_else(|| property(name))
        };
        let request_timeout_ms = option_or_property("request-timeout-ms", "request.timeout.ms")
            .unwrap_or(REQUEST_TIMEOUT_MS)
            .clamp(1, MAX_TIMEOUT_MS);
        let max_block_ms = option_or_property("max-block-ms", "max.block.ms")
            .unwrap_or(MAX_BLOCK_MS)
            .clamp(0, MAX_TIMEOUT_MS);
        // `max.request.size` has no option of its own; `--max-memory-bytes` is buffer.memory
        // (merged only when given, as the other options are).
        let max_request_size = property("max.request.size").unwrap_or(MAX_REQUEST_SIZE);
        let buffer_memory =
            option_or_property("max-memory-bytes", "buffer.memory").unwrap_or(BUFFER_MEMORY);
        // The producer raises delivery.timeout.ms to cover one request when it is too short.
        let delivery_timeout_ms = property("delivery.timeout.ms")
            .unwrap_or(DELIVERY_TIMEOUT_MS)
            .clamp(request_timeout_ms, MAX_TIMEOUT_MS);
        Ok(ConsoleProducer {
            topic: opts.value("topic").unwrap_or_default().to_string(),
            reader,
            partitioner,
            acks,
            retries: opts
                .long("message-send-max-retries")
                .ok()
                .flatten()
                .unwrap_or(3)
                .clamp(0, 10),
            request_timeout_ms,
            delivery_timeout_ms,
            max_block_ms,
            max_request_size,
            buffer_memory,
            correlation_id: 0,
            metadata_fetched: false,
        })
    }

    fn log(cluster: &Cluster, level: &str, message: &str, logger: &str, out: &mut Output) {
        out.errln(&format!(
            "[{}] {level} {message} ({logger})",
            format_log_timestamp(cluster.now_ms())
        ));
    }

    /// The first send fetches metadata; a missing topic is auto-created by the broker, which
    /// the client notices as one `LEADER_NOT_AVAILABLE` warning.
    fn ensure_metadata(&mut self, cluster: &mut Cluster, out: &mut Output) -> Result<(), String> {
        if self.metadata_fetched && cluster.topic(&self.topic).is_some() {
            return Ok(());
        }
        self.metadata_fetched = true;
        self.correlation_id += 1;
        match cluster.auto_create_topic(&self.topic) {
            Ok(false) => Ok(()),
            Ok(true) => {
                self.warn_leader_not_available(cluster, out);
                Ok(())
            }
            Err(e) if e.code == ErrorCode::NotController => {
                self.metadata_fetched = false;
                Err(self.await_auto_creation(cluster, out))
            }
            Err(_) => {
                let msg = format!(
                    "[Producer clientId=console-producer] Error while fetching metadata with correlation id {} : {{{}=INVALID_TOPIC_EXCEPTION}}",
                    self.correlation_id, self.topic
                );
                Self::log(
                    cluster,
                    "WARN",
                    &msg,
                    "org.apache.kafka.clients.NetworkClient",
                    out,
                );
                Err(format!(
                    "org.apache.kafka.common.errors.InvalidTopicException: Invalid topics: [{}]",
                    self.topic
                ))
            }
        }
    }

    fn warn_leader_not_available(&self, cluster: &Cluster, out: &mut Output) {
        let msg = format!(
            "[Producer clientId=console-producer] Error while fetching metadata with correlation id {} : {{{}=LEADER_NOT_AVAILABLE}}",
            self.correlation_id, self.topic
        );
        Self::log(
            cluster,
            "WARN",
            &msg,
            "org.apache.kafka.clients.NetworkClient",
            out,
        );
    }

    /// The broker asks the controller to create the missing topic, but there is no active
    /// controller: every metadata refresh (with the retry backoff) answers LEADER_NOT_AVAILABLE
    /// until `max.block.ms` has passed.
    fn await_auto_creation(&mut self, cluster: &mut Cluster, out: &mut Output) -> String {
        let deadline = cluster.now_ms() + self.max_block_ms;
        let mut attempts = 0;
        loop {
            self.warn_leader_not_available(cluster, out);
            let next = cluster.now_ms() + admin::retry_backoff(attempts);
            attempts += 1;
            if next > deadline {
                break;
            }
            cluster.advance_to(next);
            self.correlation_id += 1;
        }
        cluster.advance_to(deadline);
        format!(
            "org.apache.kafka.common.errors.TimeoutException: Topic {} not present in metadata after {} ms.",
            self.topic, self.max_block_ms
        )
    }

    /// Reads one line and sends it; a parse error ends the tool as Kafka's does (exit 1).
    fn send_line(&mut self, cluster: &mut Cluster, line: &str, out: &mut Output) -> Status {
        let record = match self.reader.read(line) {
            Ok(r) => r,
            Err(msg) => {
                out.errln(&format!("org.apache.kafka.common.KafkaException: {msg}"));
                return Status::Exited(1);
            }
        };
        let describe = |b: &Option<Vec<u8>>| {
            b.as_ref()
                .map_or("null".to_string(), |v| format!("{} bytes", v.len()))
        };
        let (key_text, value_text) = (describe(&record.key), describe(&record.value));
        let failure = match self.ensure_metadata(cluster, out) {
            Err(e) => Some(e),
            Ok(()) => match self.ensure_valid_record_size(&record) {
                Err(e) => Some(e),
                Ok(()) => self.send(cluster, record, out),
            },
        };
        if let Some(exception) = failure {
            let msg = format!(
                "Error when sending message to topic {} with key: {key_text}, value: {value_text} with error:",
                self.topic
            );
            Self::log(cluster, "ERROR", &msg, CALLBACK_LOGGER, out);
            out.errln(&exception);
        }
        Status::Running
    }

    /// `KafkaProducer.ensureValidRecordSize`: after the metadata, before anything is sent, a
    /// record larger than `max.request.size` or `buffer.memory` fails (its callback logs it).
    fn ensure_valid_record_size(&self, record: &LineRecord) -> Result<(), String> {
        let size = crate::engine::record::producer_size_upper_bound(
            record.key.as_deref(),
            record.value.as_deref(),
            &record.headers,
        ) as i64;
        const TOO_LARGE: &str = "org.apache.kafka.common.errors.RecordTooLargeException";
        if size > self.max_request_size {
            return Err(format!(
                "{TOO_LARGE}: The message is {size} bytes when serialized which is larger than {}, which is the value of the max.request.size configuration.",
                self.max_request_size
            ));
        }
        if size > self.buffer_memory {
            return Err(format!(
                "{TOO_LARGE}: The message is {size} bytes when serialized which is larger than the total memory buffer you have configured with the buffer.memory configuration."
            ));
        }
        Ok(())
    }

    /// Sends with retries as the Java producer does, on the cluster's clock: each request
    /// waits for its answer up to `request.timeout.ms`, retries follow `retry.backoff.ms`, and
    /// the record expires after `delivery.timeout.ms`. Returns the final exception text on
    /// failure.
    fn send(
        &mut self,
        cluster: &mut Cluster,
        record: LineRecord,
        out: &mut Output,
    ) -> Option<String> {
        let mut attempts_left = self.retries;
        let expires_at = cluster.now_ms() + self.delivery_timeout_ms;
        // The partition is chosen once, before the first attempt, as the producer does.
        let count = cluster
            .topic(&self.topic)
            .map_or(1, |t| t.partitions().len() as i32);
        let size = crate::engine::record::estimated_size(
            record.key.as_deref(),
            record.value.as_deref(),
            &record.headers,
        );
        let partition = self.partitioner.partition(
            &self.topic,
            record.key.as_deref(),
            size,
            count,
            cluster.rng(),
        );
        let tp = TopicPartition::new(self.topic.clone(), partition);
        let mut in_flight: Option<InFlight> = None;
        loop {
            // Without a leader to send to, the batch waits in the accumulator.
            if !self.await_leader(cluster, &tp, expires_at) {
                return Some(self.expired(&tp));
            }
            self.correlation_id += 1;
            let sent = match &in_flight {
                Some(f) => cluster.resend(f),
                None => cluster.send(
                    &self.topic,
                    ProducerRecord {
                        partition: Some(partition),
                        key: record.key.clone(),
                        value: record.value.clone(),
                        headers: record.headers.clone(),
                        ..Default::default()
                    },
                    &mut self.partitioner,
                    self.acks,
                ),
            };
            let (err, leader) = match sent {
                Ok(f) => {
                    let wait = self.request_timeout_ms.min(expires_at - cluster.now_ms());
                    match cluster.await_acks(&f, wait) {
                        Ok(_) => return None,
                        Err(e) => {
                            let leader = f.leader;
                            in_flight = Some(f);
                            (e, leader)
                        }
                    }
                }
                Err(e) => (e, -1),
            };
            let response = match self.failed_response(&err, leader) {
                Some(response) => response,
                None => return Some(err.to_string()),
            };
            if cluster.now_ms() >= expires_at {
                return Some(self.expired(&tp));
            }
            if attempts_left == 0 {
                return Some(response.exception);
            }
            self.warn_retry(cluster, &tp, attempts_left, &response, out);
            attempts_left -= 1;
            if response.backs_off {
                cluster.advance(RETRY_BACKOFF_MS);
            }
        }
    }

    /// Waits for the partition to have a leader that can take the request, as the producer
    /// refreshes its metadata; false once the record has expired.
    fn await_leader(&self, cluster: &mut Cluster, tp: &TopicPartition, expires_at: i64) -> bool {
        let remaining = expires_at - cluster.now_ms() - 1;
        if remaining < 0 {
            return cluster.offsets_of(tp).is_ok();
        }
        admin::retry_until(cluster, remaining, |c| c.offsets_of(tp).is_ok())
    }

    fn expired(&self, tp: &TopicPartition) -> String {
        format!(
            "org.apache.kafka.common.errors.TimeoutException: Expiring 1 record(s) for {tp}:{} ms has passed since batch creation",
            self.delivery_timeout_ms
        )
    }

    /// The answer a failed attempt gets, for the errors the producer retries.
    fn failed_response(&self, err: &KafkaError, leader: BrokerId) -> Option<Retriable> {
        let (message, backs_off) = match err.code {
            // The client gives up on the request and drops the connection.
            ErrorCode::RequestTimedOut => (
                Some(format!("Disconnected from node {leader} due to timeout")),
                true,
            ),
            ErrorCode::NetworkException => (Some(format!("Disconnected from node {leader}")), true),
            ErrorCode::NotLeaderOrFollower => (None, true),
            // The broker says why (ProduceResponse's error message, KIP-467); the retries
            // come one after another.
            ErrorCode::NotEnoughReplicas | ErrorCode::NotEnoughReplicasAfterAppend => {
                (err.message.clone(), false)
            }
            _ => return None,
        };
        let exception = match &message {
            Some(m) => format!("{}: {m}", err.code.exception_class()),
            None => err.to_string(),
        };
        Some(Retriable {
            code: err.code,
            message,
            exception,
            backs_off,
        })
    }

    /// Sender's warnings for a failed attempt that will be retried.
    fn warn_retry(
        &self,
        cluster: &Cluster,
        tp: &TopicPartition,
        attempts_left: i64,
        response: &Retriable,
        out: &mut Output,
    ) {
        let suffix = response
            .message
            .as_ref()
            .map_or(String::new(), |m| format!(". Error Message: {m}"));
        let msg = format!(
            "[Producer clientId=console-producer] Got error produce response with correlation id {} on topic-partition {tp}, retrying ({} attempts left). Error: {}{suffix}",
            self.correlation_id,
            attempts_left - 1,
            response.code.name()
        );
        Self::log(cluster, "WARN", &msg, SENDER_LOGGER, out);
        if response.code == ErrorCode::NotLeaderOrFollower {
            let msg = format!(
                "[Producer clientId=console-producer] Received invalid metadata error in produce request on partition {tp} due to {} Going to request metadata update now",
                response.exception
            );
            Self::log(cluster, "WARN", &msg, SENDER_LOGGER, out);
        }
    }
}

/// A failed produce attempt the producer retries.
struct Retriable {
    code: ErrorCode,
    /// The response's error message, printed after the error name.
    message: Option<String>,
    /// The exception the record fails with when no retry is left.
    exception: String,
    /// Whether the retry waits `retry.backoff.ms`.
    backs_off: bool,
}

impl Session for ConsoleProducer {
    fn prompt(&self) -> Option<&str> {
        Some(">")
    }

    fn line(&mut self, pg: &mut Playground, line: &str, out: &mut Output) -> Status {
        self.send_line(&mut pg.cluster, line, out)
    }

    fn end_of_input(&mut self, _: &mut Playground, _: &mut Output) -> Status {
        Status::Exited(0)
    }

    fn interrupt(&mut self, _: &mut Playground, _: &mut Output) -> Status {
        Status::Exited(130)
    }

    fn poll(&mut self, _: &mut Playground, _: &mut Output) -> Status {
        Status::Running
    }

    fn finish(&mut self, _: &mut Playground, _: &mut Output) -> Status {
        Status::Exited(0)
    }
}

/// `ToolsUtils.validateBootstrapServer`: both messages end with a newline of their own.
fn validate_bootstrap_server(value: Option<&str>) -> Result<(), String> {
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return Err("Error while validating the bootstrap address\n".into());
    };
    let valid = value.split(',').all(|hp| {
        hp.rsplit_once(':')
            .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok())
    });
    if valid {
        Ok(())
    } else {
        Err("Please provide valid host:port like host1:9091,host2:9092\n".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(props: &[(&str, &str)]) -> LineReader {
        LineReader::configure(props).unwrap()
    }

    fn text(b: &Option<Vec<u8>>) -> Option<String> {
        b.as_ref().map(|v| String::from_utf8_lossy(v).into_owned())
    }

    // Cases from Kafka's LineMessageReaderTest.
    #[test]
    fn keys_values_and_headers() {
        let r = reader(&[]).read("value").unwrap();
        assert_eq!((text(&r.key), text(&r.value)), (None, Some("value".into())));
        let r = reader(&[("parse.key", "true")])
            .read("key0\tvalue0")
            .unwrap();
        assert_eq!(
            (text(&r.key), text(&r.value)),
            (Some("key0".into()), Some("value0".into()))
        );
        let r = reader(&[("parse.key", "true"), ("key.separator", ":")])
            .read("k:v:w")
            .unwrap();
        assert_eq!(
            (text(&r.key), text(&r.value)),
            (Some("k".into()), Some("v:w".into()))
        );
        let mut hr = reader(&[("parse.key", "true"), ("parse.headers", "true")]);
        let r = hr
            .read("headerKey0:headerValue0,headerKey1:headerValue1\tkey0\tvalue0")
            .unwrap();
        assert_eq!(r.headers.len(), 2);
        assert_eq!(r.headers[1].key, "headerKey1");
        assert_eq!(text(&r.headers[1].value), Some("headerValue1".into()));
        assert_eq!(text(&r.key), Some("key0".into()));
    }

    #[test]
    fn null_marker_makes_tombstones() {
        let mut r = reader(&[
            ("parse.key", "true"),
            ("key.separator", ":"),
            ("null.marker", "NULL"),
        ]);
        let rec = r.read("k1:NULL").unwrap();
        assert_eq!((text(&rec.key), rec.value), (Some("k1".into()), None));
        let rec = r.read("NULL:v").unwrap();
        assert_eq!(rec.key, None);
    }

    #[test]
    fn kafka_error_texts() {
        let mut r = reader(&[("parse.key", "true")]);
        assert_eq!(
            r.read("novalue").unwrap_err(),
            "No key separator found on line number 1: 'novalue'"
        );
        let mut h = reader(&[("parse.headers", "true")]);
        assert_eq!(
            h.read("justvalue").unwrap_err(),
            "No headers delimiter found on line number 1: 'justvalue'"
        );
        assert_eq!(
            h.read("h1\tvalue").unwrap_err(),
            "No header key separator found in pair 'h1' on line number 2"
        );
        let ignoring = reader(&[("parse.key", "true"), ("ignore.error", "true")])
            .clone()
            .read("novalue")
            .unwrap();
        assert_eq!(
            (ignoring.key, text(&ignoring.value)),
            (None, Some("novalue".into()))
        );
        assert_eq!(
            LineReader::configure(&[
                ("parse.headers", "true"),
                ("headers.delimiter", ","),
                ("headers.separator", ",")
            ])
            .unwrap_err(),
            "headers.delimiter and headers.separator may not be equal"
        );
        assert_eq!(
            LineReader::configure(&[("null.marker", "\t")]).unwrap_err(),
            "null.marker and key.separator may not be equal"
        );
    }

    #[test]
    fn bootstrap_addresses() {
        assert!(validate_bootstrap_server(Some("localhost:9092")).is_ok());
        assert!(validate_bootstrap_server(Some("a:1,b:2")).is_ok());
        assert_eq!(
            validate_bootstrap_server(Some("localhost")).unwrap_err(),
            "Please provide valid host:port like host1:9091,host2:9092\n"
        );
        assert_eq!(
            validate_bootstrap_server(None).unwrap_err(),
            "Error while validating the bootstrap address\n"
        );
    }
}

#[cfg(test)]
mod pipe_tests {
    use crate::console::{Playground, Terminal};
    use crate::engine::{Cluster, ClusterConfig, TopicPartition};

    fn records(pg: &Playground) -> i64 {
        pg.cluster
            .offsets_of(&TopicPartition::new("p", 0))
            .map_or(-1, |(_, end)| end)
    }

    const PRODUCE: &str =
        "seq 1 50000 | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic p";

    #[test]
    fn a_big_pipe_is_sent_over_ticks_and_ctrl_c_stops_it() {
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        let mut term = Terminal::new();
        term.enter(
            &mut pg,
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic p --partitions 1",
        );
        term.enter(&mut pg, PRODUCE);
        assert!(term.is_running(), "the producer is still reading the pipe");
        assert_eq!(records(&pg), super::PIPE_SLICE_LINES as i64);
        term.poll(&mut pg);
        assert_eq!(records(&pg), 2 * super::PIPE_SLICE_LINES as i64);
        term.interrupt(&mut pg);
        assert!(!term.is_running(), "Ctrl+C ends it");
        term.poll(&mut pg);
        assert_eq!(
            records(&pg),
            2 * super::PIPE_SLICE_LINES as i64,
            "nothing more is sent"
        );
        // Left alone, a pipe is read to its end.
        term.enter(&mut pg, PRODUCE);
        for _ in 0..3 {
            term.poll(&mut pg);
        }
        assert!(!term.is_running());
        assert_eq!(records(&pg), 40_000 + 50_000);
    }

    #[test]
    fn a_script_reads_the_whole_pipe_at_once() {
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        let mut term = Terminal::batch();
        term.enter(
            &mut pg,
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic p --partitions 1",
        );
        term.enter(&mut pg, PRODUCE);
        assert_eq!(records(&pg), 50_000);
    }
}
