//! `kafka-verifiable-producer.sh` (`org.apache.kafka.tools.VerifiableProducer`): produces the
//! increasing integers 0, 1, 2, … (optionally `PREFIX.n`, with keys counting up to
//! `--repeating-keys`) to a topic and prints one JSON line for each send's outcome, so a test
//! can tell which messages were acknowledged and which were not.
//!
//! Kafka's system tests read these lines; in the playground they show what a producer with
//! `retries=0` and a chosen `--acks` gets back, record by record. The producer is the client
//! layer's [`KafkaProducer`]; the lines carry the tool's clock as `timestamp` (the cluster's
//! simulated clock plus the time spent sending, see [`PerfClock`]).
//!
//! How it runs. Without `--throughput` it sends as fast as the engine takes records, in slices;
//! with it, each message when its time has come on the cluster's clock. It stops after
//! `--max-messages`, or, without a limit, when interrupted: Ctrl+C (or the end of a script)
//! runs the JVM's shutdown hook, which closes the producer (flushing what is still buffered)
//! and prints `shutdown_complete` and the `tool_data` summary. Reaching the limit ends `main`,
//! and the same hook runs.

use crate::vec_map::VecMap;
use std::collections::VecDeque;

use serde::Serialize;

use super::argparse::{self, Arg, Kind, Parser, Value, arg};
use crate::clients::config::Properties;
use crate::clients::consumer::deserializer::java_double;
use crate::clients::producer::config::ProducerConfig;
use crate::clients::producer::{Completed, KafkaProducer};
use crate::console::options::{self, Opt};
use crate::console::output::Output;
use crate::console::session::{PerfClock, Playground, Session, Status, ToolContext, ToolResult};
use crate::engine::{Acks, Cluster, ProducerRecord};

const PARSER: Parser = Parser {
    prog: "verifiable-producer",
    description: "This tool produces increasing integers to the specified topic and prints JSON metadata to stdout on each \"send\" request, making externally visible which messages have been acked and which have not.",
    group: (
        "Connection Group",
        "Group of arguments for connection to brokers",
    ),
    args: ARGS,
};

const ARGS: &[Arg] = &[
    Arg {
        required: true,
        ..arg(
            "--topic",
            "TOPIC",
            Kind::Text,
            "Produce messages to this topic.",
        )
    },
    Arg {
        grouped: true,
        ..arg(
            "--bootstrap-server",
            "HOST1:PORT1[,HOST2:PORT2[...]]",
            Kind::Text,
            "REQUIRED: The server(s) to connect to. Comma-separated list of Kafka brokers in the form HOST1:PORT1,HOST2:PORT2,...",
        )
    },
    Arg {
        default: Some("-1"),
        ..arg(
            "--max-messages",
            "MAX-MESSAGES",
            Kind::Integer,
            "Produce this many messages. If -1, produce messages until the process is killed externally.",
        )
    },
    Arg {
        default: Some("-1"),
        ..arg(
            "--throughput",
            "THROUGHPUT",
            Kind::Integer,
            "If set >= 0, throttle maximum message throughput to *approximately* THROUGHPUT messages/sec.",
        )
    },
    Arg {
        default: Some("-1"),
        choices: &["0", "1", "-1"],
        ..arg(
            "--acks",
            "ACKS",
            Kind::Integer,
            "Acks required on each produced message. See Kafka docs on acks for details.",
        )
    },
    arg(
        "--producer.config",
        "CONFIG_FILE",
        Kind::Text,
        "Producer config properties file.",
    ),
    Arg {
        default: Some("-1"),
        ..arg(
            "--message-create-time",
            "CREATETIME",
            Kind::Long,
            "Send messages with creation time starting at the arguments value, in milliseconds since epoch",
        )
    },
    arg(
        "--value-prefix",
        "VALUE-PREFIX",
        Kind::Integer,
        "If specified, each produced value will have this prefix with a dot separator",
    ),
    arg(
        "--repeating-keys",
        "REPEATING-KEYS",
        Kind::Integer,
        "If specified, each produced record will have a key starting at 0 increment by 1 up to the number specified (exclusive), then the key is set to 0 again",
    ),
];

/// For completion and the help index (the parse is argparse4j's, above).
pub const OPTIONS: &[Opt] = &[
    Opt::string("bootstrap-server", "", "HOST1:PORT1[,HOST2:PORT2[...]]"),
    Opt::string("topic", "", "TOPIC"),
    Opt::integer("max-messages", "", "MAX-MESSAGES"),
    Opt::integer("throughput", "", "THROUGHPUT"),
    Opt::integer("acks", "", "ACKS"),
    Opt::string("producer.config", "", "CONFIG_FILE"),
    Opt::long("message-create-time", "", "CREATETIME"),
    Opt::integer("value-prefix", "", "VALUE-PREFIX"),
    Opt::integer("repeating-keys", "", "REPEATING-KEYS"),
    options::HELP,
];

/// Every event starts with these (`@JsonPropertyOrder({ "timestamp", "name" })`).
#[derive(Serialize)]
struct Event<T: Serialize> {
    timestamp: i64,
    name: &'static str,
    #[serde(flatten)]
    body: T,
}

#[derive(Serialize)]
struct Empty {}

/// `SuccessfulSend`.
#[derive(Serialize)]
struct SuccessfulSend<'a> {
    key: Option<&'a str>,
    value: &'a str,
    topic: &'a str,
    partition: i32,
    offset: i64,
}

/// `FailedSend`: `exception` is `getClass().toString()`.
#[derive(Serialize)]
struct FailedSend<'a> {
    key: Option<&'a str>,
    value: &'a str,
    topic: &'a str,
    exception: String,
    message: Option<&'a str>,
}

/// `ToolData` but its last field, `avg_throughput` (see [`with_double`]).
#[derive(Serialize)]
struct ToolData {
    sent: i64,
    acked: i64,
    target_throughput: i64,
}

/// A JSON object with one more field, a double as Jackson writes it: `Double.toString`'s
/// text (`1.0E7`, which serde_json would write otherwise), or a string for NaN and infinity.
fn with_double(mut object: String, name: &str, x: f64) -> String {
    let text = java_double(x);
    if object.ends_with('}') {
        object.pop();
        let value = if x.is_finite() {
            text
        } else {
            format!("\"{text}\"")
        };
        object.push_str(&format!(",\"{name}\":{value}}}"));
    }
    object
}

/// A running `VerifiableProducer`.
pub struct VerifiableProducer {
    topic: String,
    producer: KafkaProducer,
    /// `None`: until killed.
    max_messages: Option<i64>,
    throughput: i64,
    value_prefix: Option<i32>,
    repeating_keys: Option<i32>,
    key_counter: i32,
    create_time: Option<i64>,
    /// Sends not answered yet, by partition, in order: their key and value.
    pending: VecMap<i32, VecDeque<(Option<String>, String)>>,
    num_sent: i64,
    num_acked: i64,
    clock: PerfClock,
    start_ms: i64,
}

pub fn run(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let values = match PARSER.parse_or_exit(args, out) {
        Ok(v) => v,
        Err(code) => return ToolResult::Exit(code),
    };
    let mut producer = match VerifiableProducer::configure(&values, ctx.playground, out) {
        Ok(p) => p,
        Err(code) => return ToolResult::Exit(code),
    };
    producer.print(&ctx.playground.cluster, "startup_complete", Empty {}, out);
    match producer.slice(&mut ctx.playground.cluster, out) {
        Status::Exited(code) => ToolResult::Exit(code),
        Status::Running => ToolResult::Running(Box::new(producer)),
    }
}

impl VerifiableProducer {
    /// `createFromArgs`: the producer's properties, then the producer.
    fn configure(
        values: &VecMap<&'static str, Value>,
        pg: &mut Playground,
        out: &mut Output,
    ) -> Result<VerifiableProducer, i32> {
        let acks = argparse::integer(values, "--acks").unwrap_or(-1);
        let mut props: Vec<(String, String)> = vec![
            (
                "bootstrap.servers".into(),
                argparse::text(values, "--bootstrap-server").unwrap_or_default(),
            ),
            ("acks".into(), acks.to_string()),
            // No producer retries.
            ("retries".into(), "0".into()),
        ];
        if let Some(file) = argparse::text(values, "--producer.config") {
            match pg.files.read(&file) {
                Some(t) => props.extend(options::parse_properties(t)),
                None => {
                    // The IOException's message, as an ArgumentParserException.
                    PARSER.print_error(&file, None, out);
                    return Err(1);
                }
            }
        }
        let config = match ProducerConfig::new(&Properties::new(&props)) {
            Ok(c) => c,
            Err(e) => {
                out.errln(&format!("Exception in thread \"main\" {e}"));
                return Err(1);
            }
        };
        let mut clock = PerfClock::new(pg.wall_clock);
        clock.begin();
        clock.end();
        let start_ms = clock.millis(pg.cluster.now_ms());
        let max_messages = argparse::integer(values, "--max-messages").unwrap_or(-1);
        let create_time = argparse::long(values, "--message-create-time").filter(|t| *t != -1);
        Ok(VerifiableProducer {
            topic: argparse::text(values, "--topic").unwrap_or_default(),
            producer: KafkaProducer::new(config),
            max_messages: (max_messages >= 0).then_some(i64::from(max_messages)),
            throughput: i64::from(argparse::integer(values, "--throughput").unwrap_or(-1)),
            value_prefix: argparse::integer(values, "--value-prefix"),
            repeating_keys: argparse::integer(values, "--repeating-keys"),
            key_counter: 0,
            create_time,
            pending: VecMap::new(),
            num_sent: 0,
            num_acked: 0,
            clock,
            start_ms,
        })
    }

    fn now(&self, cluster: &Cluster) -> i64 {
        self.clock.millis(cluster.now_ms())
    }

    /// An event as Jackson writes it.
    fn json<T: Serialize>(&self, cluster: &Cluster, name: &'static str, body: T) -> String {
        let event = Event {
            timestamp: self.now(cluster),
            name,
            body,
        };
        serde_json::to_string(&event)
            .unwrap_or_else(|e| format!("Bad data can't be written as json: {e}"))
    }

    /// `printJson`: one line on stdout.
    fn print<T: Serialize>(
        &self,
        cluster: &Cluster,
        name: &'static str,
        body: T,
        out: &mut Output,
    ) {
        out.outln(&self.json(cluster, name, body));
    }

    /// `getValue`: `n`, or `prefix.n`.
    fn value(&self, n: i64) -> String {
        match self.value_prefix {
            Some(p) => format!("{p}.{n}"),
            None => n.to_string(),
        }
    }

    /// `getKey`: none, or the counter up to `--repeating-keys`.
    fn key(&mut self) -> Option<String> {
        let limit = self.repeating_keys?;
        let key = self.key_counter.to_string();
        self.key_counter = self.key_counter.wrapping_add(1);
        if self.key_counter == limit {
            self.key_counter = 0;
        }
        Some(key)
    }

    /// `send`: one message handed to the producer; the callbacks of what it answered.
    fn send_one(&mut self, cluster: &mut Cluster, out: &mut Output) {
        let n = self.num_sent;
        let key = self.key();
        let value = self.value(n);
        let timestamp = self.create_time;
        if let Some(t) = self.create_time {
            // Kafka adds the time since the tool started to the next create time.
            self.create_time = Some(t.saturating_add(self.now(cluster) - self.start_ms));
        }
        let record = ProducerRecord {
            key: key.as_ref().map(|k| k.as_bytes().to_vec()),
            value: Some(value.as_bytes().to_vec()),
            timestamp,
            ..Default::default()
        };
        self.num_sent += 1;
        let done = self.producer.send(cluster, &self.topic, record);
        if !done.failed.iter().any(|f| f.partition.is_none()) && done.thrown.is_none() {
            let partition = self.producer.last_partition();
            match self.pending.get_mut(&partition) {
                Some(q) => q.push_back((key, value)),
                None => {
                    self.pending
                        .insert(partition, VecDeque::from([(key, value)]));
                }
            }
        } else if let Some(thrown) = &done.thrown {
            let (class, message) = split_exception(thrown);
            let body = FailedSend {
                key: key.as_deref(),
                value: &value,
                topic: &self.topic,
                exception: format!("class {class}"),
                message,
            };
            self.print(cluster, "producer_send_error", body, out);
        }
        self.callbacks(done, cluster, out);
    }

    /// `PrintInfoCallback.onCompletion` for each message answered.
    fn callbacks(&mut self, done: Completed, cluster: &Cluster, out: &mut Output) {
        for (m, n) in done.acknowledged {
            for i in 0..n {
                let Some((key, value)) = self
                    .pending
                    .get_mut(&m.partition)
                    .and_then(VecDeque::pop_front)
                else {
                    break;
                };
                self.num_acked += 1;
                // acks=0 hears no answer, so no offset (`ProduceResponse.INVALID_OFFSET`).
                let offset = if m.offset < 0 || self.producer.config.acks == Acks::None {
                    -1
                } else {
                    m.offset + i as i64
                };
                let body = SuccessfulSend {
                    key: key.as_deref(),
                    value: &value,
                    topic: &self.topic,
                    partition: m.partition,
                    offset,
                };
                self.print(cluster, "producer_send_success", body, out);
            }
        }
        for f in done.failed {
            let (class, message) = split_exception(&f.exception);
            for r in &f.records {
                if let Some(p) = f.partition {
                    let _ = self.pending.get_mut(&p).and_then(VecDeque::pop_front);
                }
                let key = r
                    .key
                    .as_ref()
                    .map(|k| String::from_utf8_lossy(k).into_owned());
                let value = r
                    .value
                    .as_ref()
                    .map(|v| String::from_utf8_lossy(v).into_owned())
                    .unwrap_or_default();
                let body = FailedSend {
                    key: key.as_deref(),
                    value: &value,
                    topic: &f.topic,
                    exception: format!("class {class}"),
                    message,
                };
                self.print(cluster, "producer_send_error", body, out);
            }
        }
    }

    /// When message `i` is due, in ms after the start (`ThroughputThrottler`).
    fn due_ms(&self, i: i64) -> f64 {
        match self.throughput {
            t if t > 0 => i as f64 * 1000.0 / t as f64,
            0 if i > 0 => f64::INFINITY,
            _ => 0.0,
        }
    }

    fn elapsed_ms(&self, cluster: &Cluster) -> f64 {
        self.clock.pace_ms(cluster.now_ms()) - self.start_ms as f64
    }

    fn done_sending(&self) -> bool {
        self.max_messages.is_some_and(|m| self.num_sent >= m)
    }

    /// Sends what is due, for at most one slice; at the limit, `main` ends and the shutdown
    /// hook runs.
    fn slice(&mut self, cluster: &mut Cluster, out: &mut Output) -> Status {
        self.clock.begin();
        let lingered = self.producer.poll(cluster);
        self.callbacks(lingered, cluster, out);
        while !self.done_sending() {
            if self.due_ms(self.num_sent) > self.elapsed_ms(cluster) + 1e-6 {
                break;
            }
            self.send_one(cluster, out);
            self.clock.work(1);
            if self.clock.slice_spent() {
                break;
            }
        }
        self.clock.end();
        if self.done_sending() {
            return self.shutdown(cluster, out, 0);
        }
        if self.throughput >= 0 {
            let sent = self.producer.flush(cluster);
            self.callbacks(sent, cluster, out);
        }
        Status::Running
    }

    /// The shutdown hook: `close()` (flush, then `shutdown_complete`) and the summary.
    fn shutdown(&mut self, cluster: &mut Cluster, out: &mut Output, code: i32) -> Status {
        let rest = self.producer.flush(cluster);
        self.callbacks(rest, cluster, out);
        self.print(cluster, "shutdown_complete", Empty {}, out);
        let elapsed = (self.now(cluster) - self.start_ms) as f64;
        let body = ToolData {
            sent: self.num_sent,
            acked: self.num_acked,
            target_throughput: self.throughput,
        };
        let line = self.json(cluster, "tool_data", body);
        let avg = 1000.0 * (self.num_acked as f64 / elapsed);
        out.outln(&with_double(line, "avg_throughput", avg));
        Status::Exited(code)
    }
}

/// `Exception: message` into the exception's class and its message.
fn split_exception(text: &str) -> (&str, Option<&str>) {
    match text.split_once(": ") {
        Some((class, message)) => (class, Some(message)),
        None => (text, None),
    }
}

impl Session for VerifiableProducer {
    /// Ctrl+C: the JVM runs the shutdown hook.
    fn interrupt(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.shutdown(&mut pg.cluster, out, 130)
    }

    fn poll(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.slice(&mut pg.cluster, out)
    }

    /// In a script the run goes to its limit, the cluster's clock moving to each throttled
    /// send's time; without a limit (or with `--throughput 0`) the script stops it as if
    /// interrupted once it has sent what is due now.
    fn finish(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        loop {
            if let Status::Exited(code) = self.slice(&mut pg.cluster, out) {
                return Status::Exited(code);
            }
            let due = self.due_ms(self.num_sent);
            if self.max_messages.is_none() || !due.is_finite() {
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
                return self.interrupt(pg, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::tools::argparse::ParseError;

    fn parse_error(line: &str) -> String {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        match PARSER.parse(&args) {
            Err(ParseError::Invalid { message, .. }) => message,
            other => panic!("{other:?}"),
        }
    }

    // Kafka: tools/src/main/java/org/apache/kafka/tools/VerifiableProducer.java (argParser)
    #[test]
    fn usage_and_errors_as_argparse4j_prints_them() {
        assert_eq!(
            PARSER.usage_line(),
            "usage: verifiable-producer [-h] --topic TOPIC [--max-messages MAX-MESSAGES] [--throughput THROUGHPUT] [--acks ACKS] [--producer.config CONFIG_FILE] [--message-create-time CREATETIME] [--value-prefix VALUE-PREFIX] [--repeating-keys REPEATING-KEYS] --bootstrap-server HOST1:PORT1[,HOST2:PORT2[...]]"
        );
        assert_eq!(
            parse_error("--bootstrap-server b:9092"),
            "argument --topic is required"
        );
        assert_eq!(
            parse_error("--topic t"),
            "one of the arguments --bootstrap-server is required"
        );
        assert_eq!(
            parse_error("--topic t --bootstrap-server b:9092 --acks 2"),
            "argument --acks: invalid choice: '2' (choose from {0,1,-1})"
        );
        assert!(PARSER
            .help_text()
            .contains("\n  --max-messages MAX-MESSAGES\n                         Produce this many messages. If -1, produce messages until the process is killed externally. (default: -1)\n"));
    }

    // Kafka: VerifiableProducer.java (ProducerEvent, SuccessfulSend, ToolData)
    #[test]
    fn events_in_jacksons_field_order() {
        fn line<T: Serialize>(event: &Event<T>) -> String {
            serde_json::to_string(event).unwrap_or_default()
        }
        let sent = Event {
            timestamp: 5,
            name: "producer_send_success",
            body: SuccessfulSend {
                key: None,
                value: "7.0",
                topic: "t",
                partition: 1,
                offset: 3,
            },
        };
        assert_eq!(
            line(&sent),
            r#"{"timestamp":5,"name":"producer_send_success","key":null,"value":"7.0","topic":"t","partition":1,"offset":3}"#
        );
        let data = Event {
            timestamp: 5,
            name: "tool_data",
            body: ToolData {
                sent: 2,
                acked: 2,
                target_throughput: -1,
            },
        };
        assert_eq!(
            with_double(line(&data), "avg_throughput", 2000.0),
            r#"{"timestamp":5,"name":"tool_data","sent":2,"acked":2,"target_throughput":-1,"avg_throughput":2000.0}"#
        );
        assert_eq!(
            with_double(r#"{"x":1}"#.into(), "a", 1.5e7),
            r#"{"x":1,"a":1.5E7}"#
        );
        assert_eq!(
            with_double(r#"{"x":1}"#.into(), "a", f64::INFINITY),
            r#"{"x":1,"a":"Infinity"}"#
        );
    }
}
