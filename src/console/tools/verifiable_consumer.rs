//! `kafka-verifiable-consumer.sh` (`org.apache.kafka.tools.VerifiableConsumer`): a group
//! member that reads a topic and prints its life as JSON lines: `startup_complete`, each
//! rebalance's `partitions_revoked` and `partitions_assigned`, each poll's `records_consumed`
//! (per partition: count, minOffset, maxOffset), and, without `--enable-autocommit`, the
//! `offsets_committed` of the synchronous commit after each poll; `shutdown_complete` last.
//!
//! It is a thin user of the client layer: the [`ConsumerCoordinator`] joins the group and
//! reports the assignment, the [`SubscriptionState`] keeps the positions. The classic
//! protocol with the `RangeAssignor` the tool sets is EAGER: each rebalance first revokes every
//! partition (the first one too, with `[]`), then assigns. Ctrl+C runs the JVM's shutdown
//! hook, which wakes the consumer up: it closes (revoking what it owns as it leaves) and prints
//! `shutdown_complete`. The timestamps are the cluster's clock.

use crate::vec_map::{VecMap, VecSet};

use serde::Serialize;

use super::argparse::{self, Arg, Kind, Parser, Value, arg};
use crate::clients::config::Properties;
use crate::clients::consumer::auto_commit::AutoCommit;
use crate::clients::consumer::coordinator::{ConsumerCoordinator, group_protocol};
use crate::clients::consumer::subscription_state::SubscriptionState;
use crate::console::java::{hashmap_order, topic_partition_hash};
use crate::console::options::{self, Opt};
use crate::console::output::Output;
use crate::console::session::{Playground, Session, Status, ToolContext, ToolResult};
use crate::engine::assignor::Strategy;
use crate::engine::clock::format_log_timestamp;
use crate::engine::group::MemberProtocol;
use crate::engine::{Cluster, TopicId, TopicPartition};

const LOGGER: &str = "org.apache.kafka.tools.VerifiableConsumer";
/// `max.poll.records`
const MAX_POLL_RECORDS: usize = 500;

const PARSER: Parser = Parser {
    prog: "verifiable-consumer",
    description: "This tool consumes messages from a specific topic and emits consumer events (e.g. group rebalances, received messages, and offsets committed) as JSON objects to STDOUT.",
    group: (
        "Connection Group",
        "Group of arguments for connection to brokers",
    ),
    args: ARGS,
};

const ARGS: &[Arg] = &[
    Arg {
        grouped: true,
        required: true,
        ..arg(
            "--bootstrap-server",
            "HOST1:PORT1[,HOST2:PORT2[...]]",
            Kind::Text,
            "The server(s) to connect to. Comma-separated list of Kafka brokers in the form HOST1:PORT1,HOST2:PORT2,...",
        )
    },
    Arg {
        required: true,
        ..arg(
            "--topic",
            "TOPIC",
            Kind::Text,
            "Consumes messages from this topic.",
        )
    },
    Arg {
        default: Some("classic"),
        ..arg(
            "--group-protocol",
            "GROUP_PROTOCOL",
            Kind::Text,
            "Group protocol (must be one of CLASSIC, CONSUMER)",
        )
    },
    Arg {
        default: Some("uniform"),
        ..arg(
            "--group-remote-assignor",
            "GROUP_REMOTE_ASSIGNOR",
            Kind::Text,
            "Group remote assignor; only used if the group protocol is CONSUMER",
        )
    },
    Arg {
        required: true,
        ..arg(
            "--group-id",
            "GROUP_ID",
            Kind::Text,
            "The groupId shared among members of the consumer group",
        )
    },
    arg(
        "--group-instance-id",
        "GROUP_INSTANCE_ID",
        Kind::Text,
        "A unique identifier of the consumer instance",
    ),
    Arg {
        default: Some("-1"),
        ..arg(
            "--max-messages",
            "MAX-MESSAGES",
            Kind::Integer,
            "Consume this many messages. If -1 (the default), the consumer will consume until the process is killed externally",
        )
    },
    Arg {
        default: Some("30000"),
        ..arg(
            "--session-timeout",
            "TIMEOUT_MS",
            Kind::Integer,
            "Set the consumer's session timeout",
        )
    },
    Arg {
        default: Some("false"),
        ..arg(
            "--verbose",
            "",
            Kind::Flag,
            "Enable to log individual consumed records",
        )
    },
    Arg {
        default: Some("false"),
        ..arg(
            "--enable-autocommit",
            "",
            Kind::Flag,
            "Enable offset auto-commit on consumer",
        )
    },
    Arg {
        default: Some("earliest"),
        ..arg(
            "--reset-policy",
            "RESETPOLICY",
            Kind::Text,
            "Set reset policy (must be either 'earliest', 'latest', or 'none'",
        )
    },
    Arg {
        default: Some("org.apache.kafka.clients.consumer.RangeAssignor"),
        ..arg(
            "--assignment-strategy",
            "ASSIGNMENTSTRATEGY",
            Kind::Text,
            "Set assignment strategy (e.g. org.apache.kafka.clients.consumer.RoundRobinAssignor); only used if the group protocol is CLASSIC",
        )
    },
    arg(
        "--consumer.config",
        "CONFIG_FILE",
        Kind::Text,
        "Consumer config properties file (config options shared with command line parameters will be overridden).",
    ),
];

/// For completion and the help index (the parse is argparse4j's, above).
pub const OPTIONS: &[Opt] = &[
    Opt::string("bootstrap-server", "", "HOST1:PORT1[,HOST2:PORT2[...]]"),
    Opt::string("topic", "", "TOPIC"),
    Opt::string("group-protocol", "", "GROUP_PROTOCOL"),
    Opt::string("group-remote-assignor", "", "GROUP_REMOTE_ASSIGNOR"),
    Opt::string("group-id", "", "GROUP_ID"),
    Opt::string("group-instance-id", "", "GROUP_INSTANCE_ID"),
    Opt::integer("max-messages", "", "MAX-MESSAGES"),
    Opt::integer("session-timeout", "", "TIMEOUT_MS"),
    Opt::flag("verbose", ""),
    Opt::flag("enable-autocommit", ""),
    Opt::string("reset-policy", "", "RESETPOLICY"),
    Opt::string("assignment-strategy", "", "ASSIGNMENTSTRATEGY"),
    Opt::string("consumer.config", "", "CONFIG_FILE"),
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

/// A `TopicPartition` as the tool's serializer writes it.
#[derive(Serialize)]
struct PartitionData<'a> {
    topic: &'a str,
    partition: i32,
}

#[derive(Serialize)]
struct Partitions<'a> {
    partitions: Vec<PartitionData<'a>>,
}

/// `RecordSetSummary` (its `PartitionData` fields first).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RecordSetSummary<'a> {
    topic: &'a str,
    partition: i32,
    count: i64,
    min_offset: i64,
    max_offset: i64,
}

#[derive(Serialize)]
struct RecordsConsumed<'a> {
    count: i64,
    partitions: Vec<RecordSetSummary<'a>>,
}

/// `RecordData` (`--verbose`).
#[derive(Serialize)]
struct RecordData<'a> {
    key: Option<&'a str>,
    value: Option<&'a str>,
    topic: &'a str,
    partition: i32,
    offset: i64,
}

#[derive(Serialize)]
struct CommitData<'a> {
    topic: &'a str,
    partition: i32,
    offset: i64,
}

/// `OffsetsCommitted`: `error` only when there is one (`JsonInclude.NON_NULL`).
#[derive(Serialize)]
struct OffsetsCommitted<'a> {
    offsets: Vec<CommitData<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    success: bool,
}

/// A record as the `StringDeserializer` gives it.
struct Consumed {
    offset: i64,
    key: Option<String>,
    value: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reset {
    Earliest,
    Latest,
    None,
}

/// A running `VerifiableConsumer`.
pub struct VerifiableConsumer {
    topic: String,
    coordinator: ConsumerCoordinator,
    subscription: SubscriptionState,
    auto_commit: bool,
    reset: Reset,
    max_messages: Option<i64>,
    verbose: bool,
    assigned: Vec<TopicPartition>,
    consumed: i64,
}

pub fn run(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let values = match PARSER.parse_or_exit(args, out) {
        Ok(v) => v,
        Err(code) => return ToolResult::Exit(code),
    };
    let pg = &mut *ctx.playground;
    let mut consumer = match VerifiableConsumer::configure(&values, pg, out) {
        Ok(c) => c,
        Err(code) => return ToolResult::Exit(code),
    };
    let cluster = &mut pg.cluster;
    print(cluster, "startup_complete", Empty {}, out);
    if let Err(e) = consumer.join(cluster) {
        return consumer.failed(cluster, &e, out);
    }
    match consumer.poll_records(cluster, out) {
        Status::Exited(code) => ToolResult::Exit(code),
        Status::Running => ToolResult::Running(Box::new(consumer)),
    }
}

/// `printJson`: one line on stdout, stamped with the cluster's clock.
fn print<T: Serialize>(cluster: &Cluster, name: &'static str, body: T, out: &mut Output) {
    let event = Event {
        timestamp: cluster.now_ms(),
        name,
        body,
    };
    match serde_json::to_string(&event) {
        Ok(line) => out.outln(&line),
        Err(e) => out.outln(&format!("Bad data can't be written as json: {e}")),
    }
}

fn partitions(tps: &[TopicPartition]) -> Partitions<'_> {
    Partitions {
        partitions: tps
            .iter()
            .map(|tp| PartitionData {
                topic: &tp.topic,
                partition: tp.partition,
            })
            .collect(),
    }
}

impl VerifiableConsumer {
    /// `createFromArgs`: the consumer's properties (the file first, the options over it).
    fn configure(
        values: &VecMap<&'static str, Value>,
        pg: &mut Playground,
        out: &mut Output,
    ) -> Result<VerifiableConsumer, i32> {
        let mut props: Vec<(String, String)> = Vec::new();
        if let Some(file) = argparse::text(values, "--consumer.config") {
            match pg.files.read(&file) {
                Some(t) => props.extend(options::parse_properties(t)),
                None => {
                    // The IOException's message, as an ArgumentParserException.
                    PARSER.print_error(&file, None, out);
                    return Err(1);
                }
            }
        }
        let protocol_name =
            argparse::text(values, "--group-protocol").unwrap_or_else(|| "classic".into());
        let consumer_protocol = protocol_name.eq_ignore_ascii_case("consumer");
        if consumer_protocol {
            props.push(("group.protocol".into(), protocol_name.clone()));
            props.push((
                "group.remote.assignor".into(),
                argparse::text(values, "--group-remote-assignor")
                    .unwrap_or_else(|| "uniform".into()),
            ));
        } else {
            props.push((
                "partition.assignment.strategy".into(),
                argparse::text(values, "--assignment-strategy")
                    .unwrap_or_else(|| "org.apache.kafka.clients.consumer.RangeAssignor".into()),
            ));
        }
        let auto_commit = argparse::flag(values, "--enable-autocommit");
        let reset_policy =
            argparse::text(values, "--reset-policy").unwrap_or_else(|| "earliest".into());
        props.extend([
            (
                "group.id".to_string(),
                argparse::text(values, "--group-id").unwrap_or_default(),
            ),
            ("enable.auto.commit".into(), auto_commit.to_string()),
            ("auto.offset.reset".into(), reset_policy.clone()),
            (
                "session.timeout.ms".into(),
                argparse::integer(values, "--session-timeout")
                    .unwrap_or(30_000)
                    .to_string(),
            ),
        ]);
        if let Some(id) = argparse::text(values, "--group-instance-id") {
            props.push(("group.instance.id".into(), id));
        }
        let config = Properties::new(&props);
        let construct = |out: &mut Output, cause: &str| {
            out.errln("Exception in thread \"main\" org.apache.kafka.common.KafkaException: Failed to construct kafka consumer");
            out.errln(&format!("Caused by: {cause}"));
            1
        };
        let reset = match config.get("auto.offset.reset") {
            Some("earliest") => Reset::Earliest,
            Some("latest") => Reset::Latest,
            Some("none") => Reset::None,
            other => {
                let v = other.unwrap_or_default();
                return Err(construct(
                    out,
                    &format!(
                        "org.apache.kafka.common.config.ConfigException: Invalid value {v} for configuration auto.offset.reset: Invalid value `{v}` for configuration auto.offset.reset. The value must be either 'earliest', 'latest', 'none' or of the format 'by_duration:<PnDTnHnMn.nS.>'."
                    ),
                ));
            }
        };
        let (protocol, remote_assignor) = group_protocol(
            config.get("group.protocol"),
            config.get("group.remote.assignor"),
        )
        .map_err(|e| construct(out, &e))?;
        let mut strategies = Vec::new();
        if !consumer_protocol {
            let list = config
                .get("partition.assignment.strategy")
                .unwrap_or_default();
            for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                match Strategy::parse(name) {
                    Some(s) => strategies.push(s),
                    None => {
                        return Err(construct(
                            out,
                            &format!(
                                "org.apache.kafka.common.KafkaException: Class {name} cannot be found"
                            ),
                        ));
                    }
                }
            }
        }
        let session_timeout_ms = config
            .number("session.timeout.ms", 45_000, false)
            .map_err(|e| construct(out, &e))?;
        let cluster = &mut pg.cluster;
        let now = cluster.now_ms();
        let auto = AutoCommit::new(&config, now).map_err(|e| construct(out, &e))?;
        let group_id = config.get("group.id").unwrap_or_default().to_string();
        let instance_id = config.get("group.instance.id").map(str::to_string);
        // A consumer's client.id defaults to consumer-<group>-<n>.
        let client_id = config
            .get("client.id")
            .map_or_else(|| format!("consumer-{group_id}-1"), str::to_string);
        let mut coordinator = ConsumerCoordinator::new(
            group_id,
            String::new(),
            client_id,
            strategies,
            instance_id,
            session_timeout_ms,
            now,
        );
        coordinator.protocol = protocol;
        coordinator.remote_assignor = remote_assignor;
        // As the console consumer's: a consumer-protocol member makes its own id; a classic
        // one gets `<group.instance.id or client.id>-<UUID>` from the coordinator.
        coordinator.member_id = match coordinator.protocol {
            MemberProtocol::Consumer(_) => TopicId::random(cluster.rng()).to_string(),
            MemberProtocol::Classic => {
                let prefix = coordinator
                    .instance_id
                    .clone()
                    .unwrap_or_else(|| coordinator.client_id.clone());
                format!("{prefix}-{}", cluster.rng().java_uuid())
            }
        };
        let max_messages = argparse::integer(values, "--max-messages").unwrap_or(-1);
        Ok(VerifiableConsumer {
            topic: argparse::text(values, "--topic").unwrap_or_default(),
            coordinator,
            subscription: SubscriptionState::new(auto),
            auto_commit,
            reset,
            max_messages: (max_messages >= 0).then_some(i64::from(max_messages)),
            verbose: argparse::flag(values, "--verbose"),
            assigned: Vec::new(),
            consumed: 0,
        })
    }

    fn wanted(&self) -> VecSet<String> {
        [self.topic.clone()].into_iter().collect()
    }

    /// `subscribe`: the topic is created if the broker auto-creates topics, then the member
    /// joins.
    fn join(&mut self, cluster: &mut Cluster) -> Result<(), String> {
        let _ = cluster.auto_create_topic(&self.topic);
        self.coordinator
            .join(cluster, self.wanted())
            .map_err(|e| e.to_string())
    }

    /// An exception out of `poll()`: logged (to the service log, stderr here), then `finally`
    /// closes and prints `shutdown_complete`.
    fn failed(&mut self, cluster: &mut Cluster, error: &str, out: &mut Output) -> ToolResult {
        match self.error_exit(cluster, error, out) {
            Status::Exited(code) => ToolResult::Exit(code),
            Status::Running => ToolResult::Exit(0),
        }
    }

    fn error_exit(&mut self, cluster: &mut Cluster, error: &str, out: &mut Output) -> Status {
        out.errln(&format!(
            "[{}] ERROR Error during processing, terminating consumer process:  ({LOGGER})",
            format_log_timestamp(cluster.now_ms())
        ));
        out.errln(error);
        self.close(cluster, out, 0)
    }

    fn eager(&self) -> bool {
        self.coordinator.protocol == MemberProtocol::Classic
    }

    /// The rebalance listener's callbacks when the assignment changed.
    fn rebalanced(
        &mut self,
        assignment: Vec<TopicPartition>,
        cluster: &mut Cluster,
        out: &mut Output,
    ) {
        let mut assignment = assignment;
        assignment.sort();
        if self.eager() {
            // EAGER: everything is revoked (committed first with auto-commit), then assigned.
            self.subscription
                .commit(cluster, &self.coordinator.group_id);
            print(
                cluster,
                "partitions_revoked",
                partitions(&self.assigned),
                out,
            );
            self.subscription.retain(|_| false);
            print(cluster, "partitions_assigned", partitions(&assignment), out);
        } else {
            let revoked: Vec<TopicPartition> = self
                .assigned
                .iter()
                .filter(|tp| !assignment.contains(tp))
                .cloned()
                .collect();
            let added: Vec<TopicPartition> = assignment
                .iter()
                .filter(|tp| !self.assigned.contains(tp))
                .cloned()
                .collect();
            if !revoked.is_empty() {
                self.subscription
                    .commit(cluster, &self.coordinator.group_id);
                print(cluster, "partitions_revoked", partitions(&revoked), out);
            }
            self.subscription.retain(|tp| assignment.contains(tp));
            print(cluster, "partitions_assigned", partitions(&added), out);
        }
        self.assigned = assignment;
    }

    /// Where a newly assigned partition starts: its committed offset, else the reset policy.
    fn initial_position(
        &self,
        cluster: &Cluster,
        tp: &TopicPartition,
    ) -> Result<Option<i64>, String> {
        if let Some(committed) = cluster.committed_offset(&self.coordinator.group_id, tp) {
            return Ok(Some(committed));
        }
        let Ok((start, end)) = cluster.offsets_of(tp) else {
            return Ok(None);
        };
        match self.reset {
            Reset::Earliest => Ok(Some(start)),
            Reset::Latest => Ok(Some(end)),
            Reset::None => Err(format!(
                "org.apache.kafka.clients.consumer.NoOffsetForPartitionException: Undefined offset with no reset policy for partitions: [{tp}]"
            )),
        }
    }

    fn finished(&self) -> bool {
        self.max_messages.is_some_and(|m| self.consumed >= m)
    }

    /// One turn of `run`'s loop: `poll`, `onRecordsReceived`, the commit.
    fn poll_records(&mut self, cluster: &mut Cluster, out: &mut Output) -> Status {
        let wanted = self.wanted();
        let assignment = match self.coordinator.poll(cluster, &wanted) {
            Some(a) => a,
            None => {
                if let Err(e) = self.join(cluster) {
                    return self.error_exit(cluster, &e, out);
                }
                return Status::Running;
            }
        };
        let mut sorted = assignment.clone();
        sorted.sort();
        if sorted != self.assigned {
            self.rebalanced(assignment, cluster, out);
        }
        let assigned = self.assigned.clone();
        for tp in &assigned {
            if self.subscription.has_position(tp) {
                continue;
            }
            match self.initial_position(cluster, tp) {
                Ok(Some(p)) => self.subscription.seek(tp, p),
                Ok(None) => {}
                Err(e) => return self.error_exit(cluster, &e, out),
            }
        }
        // Each poll returns what is there, up to max.poll.records.
        let mut fetched: Vec<(TopicPartition, Vec<Consumed>)> = Vec::new();
        let mut count = 0usize;
        for tp in &assigned {
            let Some(position) = self.subscription.position(tp) else {
                continue;
            };
            let Ok(polled) = cluster.fetch_isolated(tp, position, MAX_POLL_RECORDS - count, false)
            else {
                continue;
            };
            self.subscription.seek(tp, polled.next_offset);
            if !polled.records.is_empty() {
                count += polled.records.len();
                let text = |b: Option<&[u8]>| b.map(|b| String::from_utf8_lossy(b).into_owned());
                let records = polled
                    .records
                    .iter()
                    .map(|r| Consumed {
                        offset: r.offset,
                        key: text(r.key),
                        value: text(r.value),
                    })
                    .collect();
                fetched.push((tp.clone(), records));
            }
            if count >= MAX_POLL_RECORDS {
                break;
            }
        }
        if count > 0 {
            self.records_received(fetched, count, cluster, out);
        } else if self.auto_commit {
            self.subscription
                .maybe_auto_commit(cluster, &self.coordinator.group_id);
        }
        if self.finished() {
            return self.close(cluster, out, 0);
        }
        Status::Running
    }

    /// `onRecordsReceived` and, without auto-commit, `commitSync` of what it consumed.
    fn records_received(
        &mut self,
        fetched: Vec<(TopicPartition, Vec<Consumed>)>,
        count: usize,
        cluster: &mut Cluster,
        out: &mut Output,
    ) {
        let mut offsets: Vec<(TopicPartition, i64)> = Vec::new();
        let mut summaries = Vec::new();
        for (tp, records) in &fetched {
            let mut records: &[Consumed] = records;
            if let Some(m) = self.max_messages {
                let room = (m - self.consumed).max(0) as usize;
                if records.len() > room {
                    records = &records[..room];
                }
            }
            let (Some(first), Some(last)) = (records.first(), records.last()) else {
                continue;
            };
            offsets.push((tp.clone(), last.offset + 1));
            summaries.push(RecordSetSummary {
                topic: &tp.topic,
                partition: tp.partition,
                count: records.len() as i64,
                min_offset: first.offset,
                max_offset: last.offset,
            });
            if self.verbose {
                for r in records {
                    let body = RecordData {
                        key: r.key.as_deref(),
                        value: r.value.as_deref(),
                        topic: &tp.topic,
                        partition: tp.partition,
                        offset: r.offset,
                    };
                    print(cluster, "record_data", body, out);
                }
            }
            self.consumed += records.len() as i64;
            // Past the last one consumed: a cut batch is read again by nobody (the tool ends).
            self.subscription.seek(tp, last.offset + 1);
            if self.finished() {
                break;
            }
        }
        let body = RecordsConsumed {
            count: count as i64,
            partitions: summaries,
        };
        print(cluster, "records_consumed", body, out);
        if self.auto_commit {
            self.subscription
                .maybe_auto_commit(cluster, &self.coordinator.group_id);
            return;
        }
        for (tp, offset) in &offsets {
            cluster.commit_offset(&self.coordinator.group_id, tp.clone(), *offset);
        }
        // The offsets are a HashMap: its iteration order.
        let keyed: Vec<((String, i32), i32)> = offsets
            .iter()
            .map(|(tp, _)| {
                (
                    (tp.topic.clone(), tp.partition),
                    topic_partition_hash(&tp.topic, tp.partition),
                )
            })
            .collect();
        let order = hashmap_order(&keyed, None);
        let commits: Vec<CommitData> = order
            .iter()
            .filter_map(|(t, p)| {
                offsets
                    .iter()
                    .find(|(tp, _)| tp.topic == *t && tp.partition == *p)
                    .map(|(tp, o)| CommitData {
                        topic: &tp.topic,
                        partition: tp.partition,
                        offset: *o,
                    })
            })
            .collect();
        let body = OffsetsCommitted {
            offsets: commits,
            error: None,
            success: true,
        };
        print(cluster, "offsets_committed", body, out);
    }

    /// `consumer.close()` (auto-commit commits; a dynamic member revokes what it owns as it
    /// leaves), then `shutdown_complete`.
    fn close(&mut self, cluster: &mut Cluster, out: &mut Output, code: i32) -> Status {
        if self.auto_commit {
            self.subscription
                .commit(cluster, &self.coordinator.group_id);
        }
        if self.coordinator.instance_id.is_none() && !self.assigned.is_empty() {
            print(
                cluster,
                "partitions_revoked",
                partitions(&self.assigned),
                out,
            );
        }
        self.coordinator.close(cluster);
        self.assigned.clear();
        print(cluster, "shutdown_complete", Empty {}, out);
        Status::Exited(code)
    }
}

impl Session for VerifiableConsumer {
    /// Ctrl+C: the shutdown hook wakes the consumer up; `run`'s `finally` closes it.
    fn interrupt(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.close(&mut pg.cluster, out, 130)
    }

    fn poll(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.poll_records(&mut pg.cluster, out)
    }

    fn waiting(&self, pg: &Playground) -> Option<String> {
        crate::console::waiting::consumer(
            &pg.cluster,
            Some(self.coordinator.group_id.as_str()),
            &self.assigned,
        )
    }

    /// In a script: waits for the group's rebalance, reads what is there, and stops as if
    /// interrupted.
    fn finish(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        let cluster = &mut pg.cluster;
        for _ in 0..2 {
            if let Some(deadline) = self.coordinator.rebalance_deadline(cluster) {
                let wait = deadline - cluster.now_ms();
                cluster.advance(wait);
            }
            if let Status::Exited(code) = self.poll_records(cluster, out) {
                return Status::Exited(code);
            }
        }
        self.interrupt(pg, out)
    }

    fn kill(&mut self, pg: &mut Playground) {
        self.coordinator.kill(&mut pg.cluster);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::tools::argparse::ParseError;

    // Kafka: tools/src/main/java/org/apache/kafka/tools/VerifiableConsumer.java (argParser)
    #[test]
    fn usage_as_argparse4j_prints_it() {
        // --bootstrap-server is itself required, and added first: its error comes first.
        let args: Vec<String> = vec!["--group-id".into(), "g".into()];
        assert_eq!(
            PARSER.parse(&args),
            Err(ParseError::Invalid {
                message: "argument --bootstrap-server is required".into(),
                unrecognized: None,
            })
        );
        assert_eq!(
            PARSER.usage_line(),
            "usage: verifiable-consumer [-h] --topic TOPIC [--group-protocol GROUP_PROTOCOL] [--group-remote-assignor GROUP_REMOTE_ASSIGNOR] --group-id GROUP_ID [--group-instance-id GROUP_INSTANCE_ID] [--max-messages MAX-MESSAGES] [--session-timeout TIMEOUT_MS] [--verbose] [--enable-autocommit] [--reset-policy RESETPOLICY] [--assignment-strategy ASSIGNMENTSTRATEGY] [--consumer.config CONFIG_FILE] --bootstrap-server HOST1:PORT1[,HOST2:PORT2[...]]"
        );
    }

    // Kafka: VerifiableConsumer.java (RecordsConsumed, RecordSetSummary, OffsetsCommitted)
    #[test]
    fn events_in_jacksons_field_order() {
        let consumed = Event {
            timestamp: 1,
            name: "records_consumed",
            body: RecordsConsumed {
                count: 2,
                partitions: vec![RecordSetSummary {
                    topic: "t",
                    partition: 0,
                    count: 2,
                    min_offset: 0,
                    max_offset: 1,
                }],
            },
        };
        assert_eq!(
            serde_json::to_string(&consumed).unwrap_or_default(),
            r#"{"timestamp":1,"name":"records_consumed","count":2,"partitions":[{"topic":"t","partition":0,"count":2,"minOffset":0,"maxOffset":1}]}"#
        );
        let committed = Event {
            timestamp: 1,
            name: "offsets_committed",
            body: OffsetsCommitted {
                offsets: vec![CommitData {
                    topic: "t",
                    partition: 0,
                    offset: 2,
                }],
                error: None,
                success: true,
            },
        };
        assert_eq!(
            serde_json::to_string(&committed).unwrap_or_default(),
            r#"{"timestamp":1,"name":"offsets_committed","offsets":[{"topic":"t","partition":0,"offset":2}],"success":true}"#
        );
    }
}
