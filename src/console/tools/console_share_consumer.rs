//! `kafka-console-share-consumer.sh`: reads a topic as a member of a share group (KIP-932).
//! Each poll is a `ShareFetch` that acquires records under a lock; every record printed is
//! acknowledged (`ACCEPT`, or `--release`/`--reject`), and what it still holds when it closes
//! is released. Several of them in one group split a partition's records between them.
//!
//! It is always a session, like `kafka-console-consumer.sh`: polled as time passes, stopped by
//! Ctrl+C, `kill %N` or its limits, ending with "Processed a total of N messages".

use super::Opening;
use super::message_formatter::MessageFormatter;
use crate::console::options::{self, HELP, Opt, Parsed, VERSION};
use crate::console::output::Output;
use crate::console::session::{Playground, Session, Status, ToolContext, ToolResult};
use crate::engine::clock::format_log_timestamp;
use crate::engine::cluster::ShareError;
use crate::engine::share_partition::AcknowledgeType;
use crate::engine::{Cluster, TopicId, TopicPartition};

// Kafka: tools/src/main/java/org/apache/kafka/tools/consumer/ConsoleShareConsumerOptions.java
const DESCRIPTION: &str = "This tool helps to read data from Kafka topics using share groups and outputs it to standard output.";
const LOGGER: &str = "org.apache.kafka.tools.consumer.ConsoleShareConsumer";
/// `ConsoleShareConsumerOptions.checkShareGroup`: the group when none is given.
pub const DEFAULT_GROUP: &str = "console-share-consumer";

const PROPERTY_HELP: &str = "The properties to initialize the message formatter. Default properties include: \n print.timestamp=true|false\n print.key=true|false\n print.offset=true|false\n print.delivery=true|false\n print.epoch=true|false\n print.partition=true|false\n print.headers=true|false\n print.value=true|false\n key.separator=<key.separator>\n line.separator=<line.separator>\n headers.separator=<line.separator>\n null.literal=<null.literal>\n key.deserializer=<key.deserializer>\n value.deserializer=<value.deserializer>\n header.deserializer=<header.deserializer>\n\nUsers can also pass in customized properties for their formatter; more specifically, users can pass in properties keyed with 'key.deserializer.', 'value.deserializer.' and 'headers.deserializer.' prefixes to configure their deserializers.";

pub const OPTIONS: &[Opt] = &[
    Opt::string(
        "bootstrap-server",
        "REQUIRED: The server(s) to connect to.",
        "server to connect to",
    ),
    Opt::string(
        "consumer-config",
        "Consumer config properties file. Note that [consumer-property] takes precedence over this config.",
        "config file",
    ),
    Opt::string(
        "consumer-property",
        "A mechanism to pass user-defined properties in the form key=value to the consumer.",
        "consumer_prop",
    ),
    Opt::string(
        "formatter",
        "The name of a class to use for formatting Kafka messages for display.",
        "class",
    )
    .default("org.apache.kafka.tools.consumer.DefaultMessageFormatter"),
    Opt::string(
        "formatter-config",
        "Config properties file to initialize the message formatter. Note that [property] takes precedence over this config.",
        "config file",
    ),
    Opt::string("formatter-property", PROPERTY_HELP, "prop"),
    Opt::string(
        "group",
        "The share group id of the consumer.",
        "share group id",
    ),
    HELP,
    Opt::string(
        "key-deserializer",
        "The name of the class to use for deserializing keys.",
        "deserializer for key",
    ),
    Opt::integer(
        "max-messages",
        "The maximum number of messages to consume before exiting. If not set, consumption is continual.",
        "num_messages",
    ),
    Opt::string("property", PROPERTY_HELP, "prop"),
    Opt::flag(
        "reject",
        "If specified, messages are rejected as they are consumed.",
    ),
    Opt::flag(
        "reject-message-on-error",
        "If there is an error when processing a message, reject it instead of halting.",
    ),
    Opt::flag(
        "release",
        "If specified, messages are released as they are consumed.",
    ),
    Opt::integer(
        "timeout-ms",
        "If specified, exit if no message is available for consumption for the specified interval.",
        "timeout_ms",
    ),
    Opt::string("topic", "The topic to consume from.", "topic"),
    Opt::string(
        "value-deserializer",
        "The name of the class to use for deserializing values.",
        "deserializer for values",
    ),
    VERSION,
];

/// `kafka-console-share-consumer.sh`'s opening.
pub const OPENING: Opening = Opening::new(OPTIONS, DESCRIPTION).later_options(&[(
    "from-beginning",
    "[playground] A share group has no --from-beginning: a new share group starts where the group config share.auto.offset.reset says (latest). Start it at the beginning with: kafka-configs.sh --bootstrap-server localhost:9092 --alter --entity-type groups --entity-name GROUP --add-config share.auto.offset.reset=earliest",
)]);

pub fn run(opts: Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let files = ctx.playground.files.clone();
    let cluster = &mut ctx.playground.cluster;
    let mut consumer = match ConsoleShareConsumer::start(opts, cluster, &files, out) {
        Ok(c) => c,
        Err(code) => return ToolResult::Exit(code),
    };
    match consumer.poll_records(cluster, out) {
        Status::Exited(code) => ToolResult::Exit(code),
        Status::Running => ToolResult::Running(Box::new(consumer)),
    }
}

fn usage(out: &mut Output, message: &str) -> Result<ConsoleShareConsumer, i32> {
    Err(options::usage(out, message, OPTIONS))
}

pub struct ConsoleShareConsumer {
    group: String,
    member_id: String,
    client_id: String,
    topic: String,
    formatter: MessageFormatter,
    acknowledge: AcknowledgeType,
    reject_on_error: bool,
    max_messages: Option<i64>,
    timeout_ms: Option<i64>,
    consumed: i64,
    last_activity_ms: i64,
    joined: bool,
    /// Acknowledgements not sent yet: they travel with the next share fetch (or the close),
    /// so a process killed before then leaves its records acquired until their locks expire.
    pending_acks: Vec<(TopicPartition, i64, AcknowledgeType)>,
}

impl ConsoleShareConsumer {
    fn start(
        opts: Parsed,
        cluster: &mut Cluster,
        files: &crate::console::Files,
        out: &mut Output,
    ) -> Result<ConsoleShareConsumer, i32> {
        let Some(topic) = opts.value("topic").map(str::to_string) else {
            return usage(out, "--topic is a required argument");
        };
        if !opts.has("bootstrap-server") {
            return usage(out, &options::missing_required("bootstrap-server"));
        }
        if opts.has("reject") && opts.has("release") {
            return usage(
                out,
                "At most one of --reject and --release may be specified.",
            );
        }
        let consumer_props = match options::merged_properties(
            files,
            opts.value("consumer-config"),
            &opts.values("consumer-property"),
        ) {
            Ok(p) => p,
            Err(e) => {
                out.errln(&e);
                return Err(1);
            }
        };
        let prop = |k: &str| {
            consumer_props
                .iter()
                .rev()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.trim().to_string())
        };
        let mut groups: Vec<String> = opts
            .value("group")
            .map(str::to_string)
            .into_iter()
            .collect();
        if let Some(g) = prop("group.id") {
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
        if groups.len() > 1 {
            let detected: Vec<String> = groups.iter().map(|g| format!("'{g}'")).collect();
            return usage(
                out,
                &format!(
                    "The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer-config') do not match. Detected group ids: {}",
                    detected.join(", ")
                ),
            );
        }
        let group = groups.pop().unwrap_or_else(|| DEFAULT_GROUP.to_string());
        let max_messages = match opts.int("max-messages") {
            Ok(m) => m.map(i64::from),
            Err(m) => return usage(out, &m),
        };
        let timeout_ms = match opts.int("timeout-ms") {
            Ok(t) => t.map(i64::from),
            Err(m) => return usage(out, &m),
        };
        let mut formatter_args: Vec<(&str, &str)> = Vec::new();
        if let Some(k) = opts.value("key-deserializer") {
            formatter_args.push(("key.deserializer", k));
        }
        if let Some(v) = opts.value("value-deserializer") {
            formatter_args.push(("value.deserializer", v));
        }
        let mut property_values = opts.values("property");
        property_values.extend(opts.values("formatter-property"));
        formatter_args.extend(options::key_values(&property_values));
        let class = opts.value("formatter").unwrap_or_default();
        let Some(formatter) =
            MessageFormatter::for_class(class, &formatter_args, cluster.now_ms(), out)
        else {
            return usage(out, class);
        };
        let acknowledge = if opts.has("reject") {
            AcknowledgeType::Reject
        } else if opts.has("release") {
            AcknowledgeType::Release
        } else {
            AcknowledgeType::Accept
        };
        let member_id = TopicId::random(cluster.rng()).to_string();
        let mut consumer = ConsoleShareConsumer {
            group,
            member_id,
            client_id: prop("client.id").unwrap_or_else(|| "console-share-consumer".into()),
            topic,
            formatter,
            acknowledge,
            reject_on_error: opts.has("reject-message-on-error"),
            max_messages,
            timeout_ms,
            consumed: 0,
            last_activity_ms: cluster.now_ms(),
            joined: false,
            pending_acks: Vec::new(),
        };
        if let Err(e) = consumer.join(cluster) {
            consumer.log_error(
                cluster,
                out,
                "Error processing message, terminating consumer process: ",
            );
            out.errln(&e);
            out.errln("Processed a total of 0 messages");
            return Err(0);
        }
        Ok(consumer)
    }

    /// The first `ShareGroupHeartbeat`; the error is the exception `poll` would throw.
    fn join(&mut self, cluster: &mut Cluster) -> Result<(), String> {
        match cluster.share_group_join(
            &self.group,
            &self.member_id,
            &self.client_id,
            vec![self.topic.clone()],
        ) {
            Ok(()) => {
                self.joined = true;
                Ok(())
            }
            Err(ShareError::NotShareGroup) => Err(format!(
                "org.apache.kafka.common.errors.GroupIdNotFoundException: Group {} is not a share group.",
                self.group
            )),
            Err(ShareError::Disabled) => Err(
                "org.apache.kafka.common.errors.UnsupportedVersionException: The node does not support SHARE_GROUP_HEARTBEAT"
                    .to_string(),
            ),
        }
    }

    fn log_error(&self, cluster: &Cluster, out: &mut Output, what: &str) {
        out.errln(&format!(
            "[{}] ERROR {what} ({LOGGER})",
            format_log_timestamp(cluster.now_ms())
        ));
    }

    /// One `poll()`: a share fetch, then each record printed and acknowledged. Returns how
    /// many records the fetch acquired along with the status.
    fn poll_once(&mut self, cluster: &mut Cluster, out: &mut Output) -> (usize, Status) {
        if !cluster.share_group_heartbeat(&self.group, &self.member_id) {
            // Removed by the coordinator (its session ran out): it joins again.
            if let Err(e) = self.join(cluster) {
                self.log_error(
                    cluster,
                    out,
                    "Error processing message, terminating consumer process: ",
                );
                out.errln(&e);
                return (0, self.close(cluster, out));
            }
        }
        self.send_acknowledgements(cluster);
        let fetched = cluster.share_fetch(&self.group, &self.member_id);
        let count = fetched.iter().map(|(_, o)| o.len()).sum();
        for (tp, offsets) in fetched {
            let (Some(&first), Some(&last)) = (offsets.first(), offsets.last()) else {
                continue;
            };
            let span = usize::try_from(last - first + 1).unwrap_or(0);
            // Printed while the log is borrowed; acknowledged after.
            let mut acks = Vec::new();
            let mut failure = None;
            {
                let view: &Cluster = cluster;
                let Ok(records) = view.fetch(&tp, first, span) else {
                    continue;
                };
                for r in records.iter().filter(|r| offsets.contains(&r.offset)) {
                    if self.max_messages.is_some_and(|m| self.consumed >= m) {
                        // Left acquired: closing releases it.
                        break;
                    }
                    self.consumed += 1;
                    match self.formatter.write_to(tp.partition, r, out) {
                        Ok(()) => acks.push((r.offset, self.acknowledge)),
                        Err(e) if self.reject_on_error => {
                            self.log_error(
                                view,
                                out,
                                "Error processing message, rejecting this message: ",
                            );
                            out.errln(&e);
                            acks.push((r.offset, AcknowledgeType::Reject));
                        }
                        Err(e) => {
                            failure = Some(e);
                            break;
                        }
                    }
                }
            }
            self.pending_acks
                .extend(acks.into_iter().map(|(o, k)| (tp.clone(), o, k)));
            if let Some(e) = failure {
                // The exception leaves `process`: the consumer closes and the count is
                // printed, then `main` logs it.
                self.close(cluster, out);
                self.log_error(cluster, out, "Unknown error when running consumer: ");
                out.errln(&e);
                return (count, Status::Exited(1));
            }
        }
        if count > 0 {
            self.last_activity_ms = cluster.now_ms();
        }
        if self.max_messages.is_some_and(|m| self.consumed >= m) {
            return (count, self.close(cluster, out));
        }
        if let Some(timeout) = self.timeout_ms.filter(|t| *t >= 0) {
            if cluster.now_ms() - self.last_activity_ms >= timeout {
                self.log_error(
                    cluster,
                    out,
                    "Error processing message, terminating consumer process: ",
                );
                out.errln("org.apache.kafka.common.errors.TimeoutException");
                return (count, self.close(cluster, out));
            }
        }
        (count, Status::Running)
    }

    fn poll_records(&mut self, cluster: &mut Cluster, out: &mut Output) -> Status {
        self.poll_once(cluster, out).1
    }

    fn send_acknowledgements(&mut self, cluster: &mut Cluster) {
        for (tp, offset, kind) in std::mem::take(&mut self.pending_acks) {
            cluster.share_acknowledge(&self.group, &self.member_id, &tp, offset, kind);
        }
    }

    /// Sends its last acknowledgements, leaves the group (what it still holds is released)
    /// and prints the count.
    fn close(&mut self, cluster: &mut Cluster, out: &mut Output) -> Status {
        self.send_acknowledgements(cluster);
        if self.joined {
            cluster.share_group_leave(&self.group, &self.member_id);
            self.joined = false;
        }
        out.errln(&format!("Processed a total of {} messages", self.consumed));
        Status::Exited(0)
    }
}

impl Session for ConsoleShareConsumer {
    fn interrupt(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.close(&mut pg.cluster, out)
    }

    fn poll(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.poll_records(&mut pg.cluster, out)
    }

    fn finish(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        let cluster = &mut pg.cluster;
        // Polls while fetches bring records (a released record comes back until its
        // deliveries are used up); bounded, as every fetch takes at most 500 records.
        for _ in 0..64 {
            match self.poll_once(cluster, out) {
                (_, Status::Exited(code)) => return Status::Exited(code),
                (0, Status::Running) => break,
                (_, Status::Running) => {}
            }
        }
        if let Some(timeout) = self.timeout_ms.filter(|t| *t >= 0) {
            let wait = self
                .last_activity_ms
                .saturating_add(timeout)
                .saturating_sub(cluster.now_ms())
                .max(0);
            cluster.advance(wait);
            if let Status::Exited(code) = self.poll_records(cluster, out) {
                return Status::Exited(code);
            }
        }
        self.close(cluster, out)
    }

    fn kill(&mut self, pg: &mut Playground) {
        // The process is gone: the coordinator ends its session after
        // group.share.session.timeout.ms, and its locks run out.
        if self.joined {
            pg.cluster.share_member_gone(&self.group, &self.member_id);
        }
    }
}
