//! `kafka-console-producer.sh`: one record per input line, parsed as Kafka's `LineMessageReader`
//! does (keys, headers, null markers), sent with the Java producer's partitioner and `acks`.
//!
//! Piped or heredoc input is produced at once; a terminal gets an interactive session with
//! Kafka's `>` prompt, ended by Ctrl+D. Errors print as Kafka's loggers print them.

use super::Opening;
use crate::clients::LogLine;
use crate::clients::config::Properties;
use crate::clients::producer::config::ProducerConfig;
use crate::clients::producer::{Completed, KafkaProducer, SendFailure};
use crate::console::options::{self, HELP, Opt, Parsed, VERSION};
use crate::console::output::Output;
use crate::console::session::{Playground, Session, Status, Stdin, ToolContext, ToolResult};
use crate::engine::clock::format_log_timestamp;
use crate::engine::{Cluster, Header, ProducerRecord};

const DESCRIPTION: &str =
    "This tool helps to read data from standard input and publish it to Kafka.";
const CALLBACK_LOGGER: &str = "org.apache.kafka.clients.producer.internals.ErrorLoggingCallback";

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

/// A producer session: the line reader and the producer it feeds.
pub struct ConsoleProducer {
    topic: String,
    reader: LineReader,
    producer: KafkaProducer,
    /// `--sync`: each line waits for its batch to be sent (`send(record).get()`).
    sync: bool,
}

/// `kafka-console-producer.sh`'s opening.
pub const OPENING: Opening = Opening::new(OPTIONS, DESCRIPTION).required(&["topic"]);

pub fn run(opts: Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let files = ctx.playground.files.clone();
    let producer = match ConsoleProducer::start(opts, &files, out) {
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

/// Lines of a pipe read per clock tick (`seq 1 1000000 | kafka-console-producer.sh …` takes
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
    /// Reads the next slice of lines (as `str::lines` splits them) into the producer; after
    /// the last, the tool exits and its shutdown hook closes the producer (which sends what
    /// is left).
    fn send_slice(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        let rest = &self.text[self.sent_bytes..];
        for chunk in rest.split_inclusive('\n').take(PIPE_SLICE_LINES) {
            self.sent_bytes += chunk.len();
            let line = chunk.strip_suffix('\n').unwrap_or(chunk);
            let line = line.strip_suffix('\r').unwrap_or(line);
            if let Status::Exited(code) = self.producer.send_line(&mut pg.cluster, line, out) {
                return self.producer.close(&mut pg.cluster, out, code);
            }
        }
        if self.sent_bytes >= self.text.len() {
            self.producer.close(&mut pg.cluster, out, 0)
        } else {
            self.producer.poll_sender(&mut pg.cluster, out);
            Status::Running
        }
    }
}

impl Session for PipedProducer {
    fn interrupt(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.producer.close(&mut pg.cluster, out, 130)
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
        // The reader is made before the producer (ConsoleProducer.start).
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
        let props = producer_properties(&opts, &producer_props);
        let config = match ProducerConfig::new(&props) {
            Ok(c) => c,
            Err(e) => {
                out.errln(&e);
                return Err(1);
            }
        };
        Ok(ConsoleProducer {
            topic: opts.value("topic").unwrap_or_default().to_string(),
            reader,
            producer: KafkaProducer::new(config),
            sync: opts.has("sync"),
        })
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
        let record = ProducerRecord {
            key: record.key,
            value: record.value,
            headers: record.headers,
            ..Default::default()
        };
        let done = if self.sync {
            self.producer.send_and_wait(cluster, &self.topic, record)
        } else {
            self.producer.send(cluster, &self.topic, record)
        };
        // ConsoleProducer never calls initTransactions: with a transactional.id, `send` throws
        // and `start` prints the stack trace (its first line here) and exits 1.
        if let Some(thrown) = done.thrown.clone() {
            self.report_at(cluster, done, out);
            out.errln(&thrown);
            return Status::Exited(1);
        }
        self.report_at(cluster, done, out);
        Status::Running
    }

    /// Sends the batches that have lingered long enough.
    fn poll_sender(&mut self, cluster: &mut Cluster, out: &mut Output) {
        let done = self.producer.poll(cluster);
        self.report_at(cluster, done, out);
    }

    /// `producer.close()` (the shutdown hook): sends every batch left, then exits with `code`.
    fn close(&mut self, cluster: &mut Cluster, out: &mut Output, code: i32) -> Status {
        let done = self.producer.flush(cluster);
        self.report_at(cluster, done, out);
        Status::Exited(code)
    }

    /// Prints what the producer logged, then the callbacks of the records that failed (at
    /// the cluster's time: a callback runs when its batch fails).
    fn report_at(&mut self, cluster: &Cluster, done: Completed, out: &mut Output) {
        for l in self.producer.take_logs() {
            print_log(&l, out);
        }
        for f in done.failed {
            self.report_failure(cluster.now_ms(), f, out);
        }
    }

    fn report_failure(&self, now: i64, failure: SendFailure, out: &mut Output) {
        let describe = |b: &Option<Vec<u8>>| {
            b.as_ref()
                .map_or("null".to_string(), |v| format!("{} bytes", v.len()))
        };
        for r in &failure.records {
            print_log(
                &LogLine {
                    time_ms: now,
                    level: "ERROR",
                    message: format!(
                        "Error when sending message to topic {} with key: {}, value: {} with error:",
                        failure.topic,
                        describe(&r.key),
                        describe(&r.value)
                    ),
                    logger: CALLBACK_LOGGER,
                },
                out,
            );
            out.errln(&failure.exception);
        }
    }
}

/// A client's log line in the tools' log4j layout: `[time] LEVEL message (logger)`.
fn print_log(l: &LogLine, out: &mut Output) {
    out.errln(&format!(
        "[{}] {} {} ({})",
        format_log_timestamp(l.time_ms),
        l.level,
        l.message,
        l.logger
    ));
}

/// `ConsoleProducerOptions.producerProps`: the properties file, then `--producer-property`,
/// then the tool's options through `CommandLineUtils.maybeMergeOptions` (an option given on
/// the command line wins; its default applies only when the property is unset).
fn producer_properties(opts: &Parsed, given: &[(String, String)]) -> Properties {
    let mut props = Properties::new(given);
    let codec = if opts.has("compression-codec") {
        // Without a value the codec is gzip.
        match opts.value("compression-codec") {
            None | Some("") => "gzip",
            Some(c) => c,
        }
    } else {
        "none"
    };
    props.put("compression.type", codec);
    if !props.contains("client.id") {
        props.put("client.id", "console-producer");
    }
    for (option, name) in [
        ("timeout", "linger.ms"),
        ("request-required-acks", "acks"),
        ("request-timeout-ms", "request.timeout.ms"),
        ("message-send-max-retries", "retries"),
        ("retry-backoff-ms", "retry.backoff.ms"),
        ("socket-buffer-size", "send.buffer.bytes"),
        ("max-memory-bytes", "buffer.memory"),
        ("batch-size", "batch.size"),
        ("max-partition-memory-bytes", "batch.size"),
        ("metadata-expiry-ms", "metadata.max.age.ms"),
        ("max-block-ms", "max.block.ms"),
    ] {
        if opts.has(option) || !props.contains(name) {
            if let Some(v) = opts.value(option) {
                props.put(name, v);
            }
        }
    }
    props
}

impl Session for ConsoleProducer {
    fn prompt(&self) -> Option<&str> {
        Some(">")
    }

    fn line(&mut self, pg: &mut Playground, line: &str, out: &mut Output) -> Status {
        match self.send_line(&mut pg.cluster, line, out) {
            Status::Exited(code) => self.close(&mut pg.cluster, out, code),
            Status::Running => Status::Running,
        }
    }

    fn end_of_input(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.close(&mut pg.cluster, out, 0)
    }

    fn interrupt(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.close(&mut pg.cluster, out, 130)
    }

    fn poll(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.poll_sender(&mut pg.cluster, out);
        Status::Running
    }

    fn finish(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.close(&mut pg.cluster, out, 0)
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
        // Full batches go out as they fill; the last one lingers (the clock has not moved).
        let slice = super::PIPE_SLICE_LINES as i64;
        let first = records(&pg);
        assert!(first > slice - 2_000 && first < slice, "{first}");
        term.poll(&mut pg);
        let second = records(&pg);
        assert!(second > 2 * slice - 2_000 && second < 2 * slice, "{second}");
        // Ctrl+C runs the shutdown hook, which closes the producer: what it holds is sent.
        term.interrupt(&mut pg);
        assert!(!term.is_running(), "Ctrl+C ends it");
        assert_eq!(records(&pg), 2 * slice);
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
