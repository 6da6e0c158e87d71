//! `kafka-console-consumer.sh`: reads records and prints them as Kafka's
//! `DefaultMessageFormatter` does, either from one partition (`--partition`, no group) or as a
//! member of a consumer group that joins, gets partitions from the coordinator's rebalance,
//! resumes from committed offsets and commits what it printed.
//!
//! It is always a session: the face polls it as time passes, Ctrl+C stops it, and in batch
//! mode `finish` reads what is available and stops as kplay's contract says.

use crate::vec_map::VecSet;

use super::Opening;
use super::message_formatter::MessageFormatter;
use crate::clients::config::Properties;
use crate::clients::consumer::auto_commit::AutoCommit;
use crate::clients::consumer::coordinator::{ConsumerCoordinator, group_protocol};
use crate::clients::consumer::subscription_state::SubscriptionState;
use crate::console::options::{self, HELP, Opt, Parsed, VERSION};
use crate::console::output::Output;
use crate::console::regex::Regex;
use crate::console::session::{Playground, Session, Status, ToolContext, ToolResult};
use crate::engine::TopicId;
use crate::engine::assignor::Strategy;
use crate::engine::clock::format_log_timestamp;
use crate::engine::error::ErrorCode;
use crate::engine::group::DEFAULT_SESSION_TIMEOUT_MS;
use crate::engine::group::MemberProtocol;
use crate::engine::{Cluster, TopicPartition};

const DESCRIPTION: &str =
    "This tool helps to read data from Kafka topics and outputs it to standard output.";
const LOGGER: &str = "org.apache.kafka.tools.consumer.ConsoleConsumer";
/// `max.poll.records`
const MAX_POLL_RECORDS: usize = 500;

pub const OPTIONS: &[Opt] = &[
    Opt::string("bootstrap-server", "REQUIRED: The server(s) to connect to.", "server to connect to"),
    Opt::string(
        "consumer-property",
        "A mechanism to pass user-defined properties in the form key=value to the consumer.",
        "consumer_prop",
    ),
    Opt::string(
        "consumer.config",
        "Consumer config properties file. Note that [consumer-property] takes precedence over this config.",
        "config file",
    ),
    Opt::flag(
        "enable-systest-events",
        "Log lifecycle events of the consumer in addition to logging consumed messages. (This is specific for system tests.)",
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
    Opt::flag(
        "from-beginning",
        "If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message.",
    ),
    Opt::string("group", "The consumer group id of the consumer.", "consumer group id"),
    HELP,
    Opt::string(
        "include",
        "Regular expression specifying list of topics to include for consumption.",
        "Java regex (String)",
    ),
    Opt::string(
        "isolation-level",
        "Set to read_committed in order to filter out transactional messages which are not committed. Set to read_uncommitted to read all messages.",
        "",
    )
    .default("read_uncommitted"),
    Opt::string("key-deserializer", "The name of the class to use for deserializing keys.", "deserializer for key"),
    Opt::integer(
        "max-messages",
        "The maximum number of messages to consume before exiting. If not set, consumption is continual.",
        "num_messages",
    ),
    Opt::string(
        "offset",
        "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end",
        "consume offset",
    )
    .default("latest"),
    Opt::integer(
        "partition",
        "The partition to consume from. Consumption starts from the end of the partition unless '--offset' is specified.",
        "partition",
    ),
    Opt::string("property", PROPERTY_HELP, "prop"),
    Opt::flag(
        "skip-message-on-error",
        "If there is an error when processing a message, skip it instead of halt.",
    ),
    Opt::long(
        "timeout-ms",
        "If specified, exit if no message is available for consumption for the specified interval.",
        "timeout_ms",
    ),
    Opt::string("topic", "The topic to consume on.", "topic"),
    Opt::string("value-deserializer", "The name of the class to use for deserializing values.", "deserializer for values"),
    VERSION,
];

const PROPERTY_HELP: &str = "The properties to initialize the message formatter. Default properties include: \n print.timestamp=true|false\n print.key=true|false\n print.offset=true|false\n print.epoch=true|false\n print.partition=true|false\n print.headers=true|false\n print.value=true|false\n key.separator=<key.separator>\n line.separator=<line.separator>\n headers.separator=<line.separator>\n null.literal=<null.literal>\n key.deserializer=<key.deserializer>\n value.deserializer=<value.deserializer>\n header.deserializer=<header.deserializer>\nUsers can also pass in customized properties for their formatter; more specifically, users can pass in properties keyed with 'key.deserializer.', 'value.deserializer.' and 'headers.deserializer.' prefixes to configure their deserializers.";

/// What the consumer reads: one partition by assignment, or topics by subscription in a group.
enum Mode {
    Assign(TopicPartition),
    Subscribe {
        coordinator: ConsumerCoordinator,
        topics: Subscription,
        commits: bool,
    },
}

enum Subscription {
    Topic(String),
    Pattern(Regex),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OffsetReset {
    Earliest,
    Latest,
    None,
}

pub struct ConsoleConsumer {
    mode: Mode,
    formatter: MessageFormatter,
    /// `--skip-message-on-error`: a record the formatter fails on is logged and skipped.
    skip_on_error: bool,
    /// `isolation.level=read_committed`: reads up to the last stable offset, without aborted
    /// transactions' records.
    read_committed: bool,
    reset: OffsetReset,
    /// With `--partition`: where to start (`--offset`).
    start_offset: Option<StartOffset>,
    max_messages: Option<i64>,
    timeout_ms: Option<i64>,
    /// Positions and the auto-commit timer (`auto.commit.interval.ms`).
    subscription: SubscriptionState,
    assigned: Vec<TopicPartition>,
    consumed: i64,
    last_activity_ms: i64,
    correlation_id: i64,
    announced_topics: VecSet<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StartOffset {
    Earliest,
    Latest,
    At(i64),
}

pub fn run(opts: Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let files = ctx.playground.files.clone();
    let cluster = &mut ctx.playground.cluster;
    let mut consumer = match ConsoleConsumer::start(opts, cluster, &files, out) {
        Ok(c) => c,
        Err(code) => return ToolResult::Exit(code),
    };
    match consumer.poll_records(cluster, out) {
        Status::Exited(code) => ToolResult::Exit(code),
        Status::Running => ToolResult::Running(Box::new(consumer)),
    }
}

/// `kafka-console-consumer.sh`'s opening.
pub const OPENING: Opening = Opening::new(OPTIONS, DESCRIPTION).required(&["bootstrap-server"]);

fn usage(out: &mut Output, message: &str) -> Result<ConsoleConsumer, i32> {
    Err(options::usage(out, message, OPTIONS))
}

impl ConsoleConsumer {
    fn start(
        opts: Parsed,
        cluster: &mut Cluster,
        files: &crate::console::Files,
        out: &mut Output,
    ) -> Result<ConsoleConsumer, i32> {
        let topic = opts.value("topic");
        let include = opts.value("include");
        if topic.is_some() == include.is_some() {
            return usage(out, "Exactly one of --include/--topic is required. ");
        }
        let partition = match opts.int("partition") {
            Ok(p) => p,
            Err(m) => return usage(out, &m),
        };
        if partition.is_some() && topic.is_none() {
            return usage(out, "The topic is required when partition is specified.");
        }
        if opts.has("offset") && partition.is_none() {
            return usage(out, "The partition is required when offset is specified.");
        }
        if opts.has("from-beginning") && opts.has("offset") {
            return usage(
                out,
                "Options from-beginning and offset cannot be specified together.",
            );
        }
        let consumer_props = match options::merged_properties(
            files,
            opts.value("consumer.config"),
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
        let group = opts.value("group").map(str::to_string);
        if let (Some(g), Some(p)) = (&group, prop("group.id")) {
            if *g != p {
                return usage(
                    out,
                    &format!(
                        "The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: '{g}', '{p}'"
                    ),
                );
            }
        }
        let group = group.or_else(|| prop("group.id"));
        if group.is_some() && partition.is_some() {
            return usage(
                out,
                "Options group and partition cannot be specified together.",
            );
        }
        let start_offset = match opts.value("offset") {
            _ if !opts.has("offset") => None,
            Some("earliest") => Some(StartOffset::Earliest),
            Some("latest") => Some(StartOffset::Latest),
            Some(v) => match v.parse::<i64>() {
                Ok(n) if n >= 0 => Some(StartOffset::At(n)),
                _ => {
                    return usage(
                        out,
                        &format!(
                            "The provided offset value '{v}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long."
                        ),
                    );
                }
            },
            None => None,
        };
        let reset = match prop("auto.offset.reset").as_deref() {
            Some("latest") if opts.has("from-beginning") => {
                out.errln("Can't simultaneously specify --from-beginning and 'auto.offset.reset=latest', please remove one option");
                return Err(1);
            }
            Some("earliest") => OffsetReset::Earliest,
            Some("none") => OffsetReset::None,
            Some("latest") => OffsetReset::Latest,
            Some(other) => {
                out.errln(&format!(
                    "org.apache.kafka.common.config.ConfigException: Invalid value {other} for configuration auto.offset.reset: Invalid value `{other}` for configuration auto.offset.reset. The value must be either 'earliest', 'latest', 'none' or of the format 'by_duration:<PnDTnHnMn.nS.>'."
                ));
                return Err(1);
            }
            None if opts.has("from-beginning") => OffsetReset::Earliest,
            None => OffsetReset::Latest,
        };
        // CommandLineUtils.maybeMergeOptions: --isolation-level wins over the property; the
        // consumer's config then checks the value.
        let isolation = if opts.has("isolation-level") {
            opts.value("isolation-level").map(str::to_string)
        } else {
            prop("isolation.level")
        };
        let read_committed = match isolation.as_deref() {
            None | Some("read_uncommitted") => false,
            Some("read_committed") => true,
            Some(other) => {
                out.errln(&format!(
                    "[{}] ERROR Unknown error when running consumer:  ({LOGGER})",
                    format_log_timestamp(cluster.now_ms())
                ));
                out.errln(&format!(
                    "org.apache.kafka.common.config.ConfigException: Invalid value {other} for configuration isolation.level: String must be one of: read_committed, read_uncommitted"
                ));
                return Err(1);
            }
        };
        let max_messages = match opts.int("max-messages") {
            Ok(m) => m.map(i64::from),
            Err(m) => return usage(out, &m),
        };
        let timeout_ms = match opts.long("timeout-ms") {
            Ok(t) => t,
            Err(m) => return usage(out, &m),
        };
        // ConsoleConsumerOptions.formatterArgs: --key-deserializer and --value-deserializer,
        // then --property (which wins).
        let mut formatter_args: Vec<(&str, &str)> = Vec::new();
        if let Some(k) = opts.value("key-deserializer") {
            formatter_args.push(("key.deserializer", k));
        }
        if let Some(v) = opts.value("value-deserializer") {
            formatter_args.push(("value.deserializer", v));
        }
        let property_values = opts.values("property");
        formatter_args.extend(options::key_values(&property_values));
        let class = opts.value("formatter").unwrap_or_default();
        let Some(formatter) =
            MessageFormatter::for_class(class, &formatter_args, cluster.now_ms(), out)
        else {
            // Kafka 4 loads the class by name; an unknown one is a usage error naming it.
            return usage(out, class);
        };
        let strategies = match prop("partition.assignment.strategy") {
            None => vec![Strategy::Range, Strategy::CooperativeSticky],
            Some(list) => {
                let mut parsed = Vec::new();
                for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    match Strategy::parse(name) {
                        Some(s) => parsed.push(s),
                        None => {
                            out.errln(&format!(
                                "org.apache.kafka.common.KafkaException: Failed to construct kafka consumer\norg.apache.kafka.common.KafkaException: Class {name} cannot be found"
                            ));
                            return Err(1);
                        }
                    }
                }
                parsed
            }
        };
        let session_timeout_ms = match prop("session.timeout.ms") {
            None => DEFAULT_SESSION_TIMEOUT_MS,
            Some(v) => match v.parse::<i64>() {
                Ok(ms) => ms,
                Err(_) => {
                    out.errln(&format!(
                        "org.apache.kafka.common.config.ConfigException: Invalid value {v} for configuration session.timeout.ms: Not a number of type INT"
                    ));
                    return Err(1);
                }
            },
        };
        let (protocol, remote_assignor) = match group_protocol(
            prop("group.protocol").as_deref(),
            prop("group.remote.assignor").as_deref(),
        ) {
            Ok(p) => p,
            Err(e) => {
                out.errln(&e);
                return Err(1);
            }
        };
        // Kafka: tools/src/main/java/org/apache/kafka/tools/consumer/ConsoleConsumerOptions.java
        // (client.id defaults to console-consumer only when none is given)
        let client_id = prop("client.id").unwrap_or_else(|| "console-consumer".to_string());
        let now = cluster.now_ms();
        let coordinator = || {
            let mut c = ConsumerCoordinator::new(
                String::new(),
                String::new(),
                client_id.clone(),
                strategies.clone(),
                prop("group.instance.id"),
                session_timeout_ms,
                now,
            );
            c.protocol = protocol;
            c.remote_assignor = remote_assignor.clone();
            c
        };
        let mode = match (partition, topic, include) {
            (Some(p), Some(t), _) => Mode::Assign(TopicPartition::new(t, p)),
            (None, _, Some(pattern)) => match Regex::new(pattern) {
                Ok(r) => Mode::Subscribe {
                    coordinator: coordinator(),
                    topics: Subscription::Pattern(r),
                    commits: false,
                },
                Err(e) => return usage(out, &e),
            },
            (_, t, _) => Mode::Subscribe {
                coordinator: coordinator(),
                topics: Subscription::Topic(t.unwrap_or_default().to_string()),
                commits: false,
            },
        };
        let props = Properties::new(&consumer_props);
        let auto_commit = match AutoCommit::new(&props, now) {
            Ok(a) => a,
            Err(e) => {
                out.errln(&e);
                return Err(1);
            }
        };
        let mut consumer = ConsoleConsumer {
            mode,
            formatter,
            skip_on_error: opts.has("skip-message-on-error"),
            read_committed,
            reset,
            start_offset,
            max_messages,
            timeout_ms,
            subscription: SubscriptionState::new(auto_commit),
            assigned: Vec::new(),
            consumed: 0,
            last_activity_ms: now,
            correlation_id: 0,
            announced_topics: VecSet::new(),
        };
        let enable_auto_commit = auto_commit.enabled;
        if let Mode::Subscribe {
            coordinator,
            commits,
            ..
        } = &mut consumer.mode
        {
            // Without a group the tool invents one and never commits.
            *commits = group.is_some() && enable_auto_commit;
            coordinator.group_id = match group {
                Some(g) => g,
                None => format!("console-consumer-{}", cluster.rng().below(100_000)),
            };
            // KIP-1082: a consumer-protocol member makes its own id, a `Uuid` (as topic ids
            // print); a classic member gets `<group.instance.id or client.id>-<UUID>` from the
            // coordinator.
            // Kafka: group-coordinator/src/main/java/org/apache/kafka/coordinator/group/classic/ClassicGroup.java
            // (generateMemberId)
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
        }
        if !consumer.join(cluster, out) {
            out.errln("Processed a total of 0 messages");
            return Err(1);
        }
        Ok(consumer)
    }

    fn subscribed_topics(&self, cluster: &Cluster) -> VecSet<String> {
        match &self.mode {
            Mode::Assign(tp) => [tp.topic.clone()].into_iter().collect(),
            Mode::Subscribe {
                topics: Subscription::Topic(t),
                ..
            } => [t.clone()].into_iter().collect(),
            Mode::Subscribe {
                topics: Subscription::Pattern(r),
                ..
            } => cluster
                .topics()
                .filter(|t| !t.is_internal() && r.full_match(t.name()))
                .map(|t| t.name().to_string())
                .collect(),
        }
    }

    fn client_label(&self) -> String {
        match &self.mode {
            Mode::Assign(_) => "[Consumer clientId=console-consumer, groupId=null]".into(),
            Mode::Subscribe { coordinator, .. } => format!(
                "[Consumer clientId=console-consumer, groupId={}]",
                coordinator.group_id
            ),
        }
    }

    /// Fetches metadata for the topics it reads; a missing topic is auto-created by the broker.
    fn ensure_topics(&mut self, cluster: &mut Cluster, out: &mut Output) {
        let wanted: Vec<String> = match &self.mode {
            Mode::Assign(tp) => vec![tp.topic.clone()],
            Mode::Subscribe {
                topics: Subscription::Topic(t),
                ..
            } => vec![t.clone()],
            Mode::Subscribe { .. } => vec![],
        };
        for topic in wanted {
            if self.announced_topics.contains(&topic) {
                continue;
            }
            self.announced_topics.insert(topic.clone());
            self.correlation_id += 1;
            let outcome = match cluster.auto_create_topic(&topic) {
                Ok(false) => continue,
                // Created, or being created by a controller that is not there.
                Ok(true) => "LEADER_NOT_AVAILABLE",
                Err(e) if e.code == ErrorCode::NotController => "LEADER_NOT_AVAILABLE",
                Err(_) => "INVALID_TOPIC_EXCEPTION",
            };
            out.errln(&format!(
                "[{}] WARN {} Error while fetching metadata with correlation id {} : {{{topic}={outcome}}} (org.apache.kafka.clients.NetworkClient)",
                format_log_timestamp(cluster.now_ms()),
                self.client_label(),
                self.correlation_id
            ));
        }
    }

    /// Joins the group (subscribe mode); false when the coordinator refused, which ends the
    /// consumer as an exception from `poll()` does.
    fn join(&mut self, cluster: &mut Cluster, out: &mut Output) -> bool {
        self.ensure_topics(cluster, out);
        let topics = self.subscribed_topics(cluster);
        if let Mode::Subscribe { coordinator, .. } = &self.mode {
            if let Err(e) = coordinator.join(cluster, topics) {
                out.errln(&format!(
                    "[{}] ERROR Error processing message, terminating consumer process:  ({LOGGER})",
                    format_log_timestamp(cluster.now_ms())
                ));
                out.errln(&e.to_string());
                return false;
            }
        }
        true
    }

    /// The partitions this consumer owns right now.
    fn current_assignment(
        &mut self,
        cluster: &mut Cluster,
        out: &mut Output,
    ) -> Vec<TopicPartition> {
        match &self.mode {
            Mode::Assign(tp) => {
                let exists = cluster
                    .topic(&tp.topic)
                    .is_some_and(|t| t.partition(tp.partition).is_some());
                if exists { vec![tp.clone()] } else { vec![] }
            }
            Mode::Subscribe { .. } => {
                let wanted = self.subscribed_topics(cluster);
                let assignment = match &mut self.mode {
                    Mode::Subscribe { coordinator, .. } => coordinator.poll(cluster, &wanted),
                    Mode::Assign(_) => None,
                };
                match assignment {
                    Some(partitions) => partitions,
                    // Removed by the coordinator, or its subscription or the topics'
                    // partitions changed: it joins again and owns nothing meanwhile.
                    None => {
                        let _ = self.join(cluster, out);
                        vec![]
                    }
                }
            }
        }
    }

    /// Where to start reading a newly assigned partition; `None` while the partition's leader
    /// cannot answer `ListOffsets` (the consumer retries on its next poll, silently).
    fn initial_position(
        &self,
        cluster: &Cluster,
        tp: &TopicPartition,
    ) -> Result<Option<i64>, String> {
        if let Mode::Subscribe { coordinator, .. } = &self.mode {
            let group_id = &coordinator.group_id;
            // A committed offset comes from the coordinator, not the partition's leader. One
            // outside the log is fetched anyway: the broker's OFFSET_OUT_OF_RANGE then makes
            // the consumer follow auto.offset.reset.
            if let Some(committed) = cluster.committed_offset(group_id, tp) {
                return Ok(Some(committed));
            }
            if self.reset == OffsetReset::None {
                return Err(format!(
                    "Undefined offset with no reset policy for partitions: [{tp}]"
                ));
            }
        }
        let Ok((start, mut end)) = cluster.offsets_of(tp) else {
            return Ok(None);
        };
        // ListOffsets for the latest offset under read_committed answers the last stable offset.
        if self.read_committed {
            if let Some(p) = cluster
                .topic(&tp.topic)
                .and_then(|t| t.partition(tp.partition))
            {
                end = p.last_stable_offset();
            }
        }
        if let Mode::Assign(_) = self.mode {
            return Ok(Some(match self.start_offset {
                Some(StartOffset::Earliest) => start,
                Some(StartOffset::At(n)) => n.clamp(start, end.max(start)),
                Some(StartOffset::Latest) => end,
                None if self.reset == OffsetReset::Earliest => start,
                None => end,
            }));
        }
        Ok(Some(match self.reset {
            OffsetReset::Latest => end,
            _ => start,
        }))
    }

    fn commit(&mut self, cluster: &mut Cluster) {
        if let Mode::Subscribe {
            coordinator,
            commits: true,
            ..
        } = &self.mode
        {
            self.subscription.commit(cluster, &coordinator.group_id);
        }
    }

    /// One `poll()` loop: print what is available on the owned partitions.
    fn poll_records(&mut self, cluster: &mut Cluster, out: &mut Output) -> Status {
        let assignment = self.current_assignment(cluster, out);
        if assignment != self.assigned {
            // Partitions taken away are committed before they go (auto-commit on revoke).
            self.commit(cluster);
            self.subscription.retain(|tp| assignment.contains(tp));
            self.assigned = assignment.clone();
        }
        for tp in &assignment {
            if !self.subscription.has_position(tp) {
                match self.initial_position(cluster, tp) {
                    Ok(Some(p)) => {
                        self.subscription.seek(tp, p);
                    }
                    Ok(None) => {}
                    Err(msg) => {
                        out.errln(&format!(
                            "[{}] ERROR Error processing message, terminating consumer process:  ({LOGGER})",
                            format_log_timestamp(cluster.now_ms())
                        ));
                        out.errln(&format!(
                            "org.apache.kafka.clients.consumer.NoOffsetForPartitionException: {msg}"
                        ));
                        return self.close(cluster, out);
                    }
                }
            }
        }
        // Retention or delete-records may have moved the log start past a position: the
        // fetch answers OFFSET_OUT_OF_RANGE and the consumer follows auto.offset.reset
        // (silently, at INFO level), or fails with none.
        for tp in &assignment {
            let Some(position) = self.subscription.position(tp) else {
                continue;
            };
            let Ok((start, end)) = cluster.offsets_of(tp) else {
                continue;
            };
            let log_end = cluster
                .topic(&tp.topic)
                .and_then(|t| t.partition(tp.partition))
                .map_or(end, |p| p.log_end_offset());
            if (start..=log_end).contains(&position) {
                continue;
            }
            let reset_to = match self.reset {
                OffsetReset::Earliest => start,
                OffsetReset::Latest => end,
                OffsetReset::None => {
                    out.errln(&format!(
                        "[{}] ERROR Error processing message, terminating consumer process:  ({LOGGER})",
                        format_log_timestamp(cluster.now_ms())
                    ));
                    out.errln(&format!(
                        "org.apache.kafka.clients.consumer.OffsetOutOfRangeException: Fetch position {} is out of range for partition {tp}",
                        fetch_position(cluster, tp, position)
                    ));
                    return self.close(cluster, out);
                }
            };
            self.subscription.seek(tp, reset_to);
        }
        loop {
            let mut fetched = 0usize;
            let mut failure = None;
            let now = cluster.now_ms();
            'partitions: for tp in &assignment {
                let Some(position) = self.subscription.position(tp) else {
                    continue;
                };
                let room = MAX_POLL_RECORDS - fetched;
                let Ok(polled) = cluster.fetch_isolated(tp, position, room, self.read_committed)
                else {
                    continue;
                };
                let mut stopped = false;
                for r in polled.records {
                    if self.max_messages.is_some_and(|m| self.consumed >= m) {
                        stopped = true;
                        break;
                    }
                    self.consumed += 1;
                    fetched += 1;
                    self.subscription.seek(tp, r.offset + 1);
                    if let Err(e) = self.formatter.write_to(tp.partition, r, out) {
                        if !self.skip_on_error {
                            failure = Some(e);
                            break 'partitions;
                        }
                        out.errln(&format!(
                            "[{}] ERROR Error processing message, skipping this message:  ({LOGGER})",
                            format_log_timestamp(now)
                        ));
                        out.errln(&e);
                    }
                }
                // Past the control records and aborted records it was not given.
                if !stopped {
                    self.subscription.seek(tp, polled.next_offset);
                }
                if fetched >= MAX_POLL_RECORDS {
                    break;
                }
            }
            if let Some(e) = failure {
                // The exception leaves `process`: the consumer closes and the count is
                // printed, then `main` logs it and exits 1.
                self.close(cluster, out);
                out.errln(&format!(
                    "[{}] ERROR Unknown error when running consumer:  ({LOGGER})",
                    format_log_timestamp(cluster.now_ms())
                ));
                out.errln(&e);
                return Status::Exited(1);
            }
            if fetched > 0 {
                self.last_activity_ms = cluster.now_ms();
            }
            if self.max_messages.is_some_and(|m| self.consumed >= m) {
                return self.close(cluster, out);
            }
            if fetched == 0 {
                break;
            }
        }
        // Every auto.commit.interval.ms while it polls, whether it read anything or not.
        if let Mode::Subscribe {
            coordinator,
            commits: true,
            ..
        } = &self.mode
        {
            self.subscription
                .maybe_auto_commit(cluster, &coordinator.group_id);
        }
        if let Some(timeout) = self.timeout_ms {
            if cluster.now_ms() - self.last_activity_ms >= timeout {
                out.errln(&format!(
                    "[{}] ERROR Error processing message, terminating consumer process:  ({LOGGER})",
                    format_log_timestamp(cluster.now_ms())
                ));
                out.errln("org.apache.kafka.common.errors.TimeoutException");
                return self.close(cluster, out);
            }
        }
        Status::Running
    }

    /// Commits (with a group), leaves the group, prints the summary line.
    fn close(&mut self, cluster: &mut Cluster, out: &mut Output) -> Status {
        self.commit(cluster);
        if let Mode::Subscribe { coordinator, .. } = &self.mode {
            coordinator.close(cluster);
        }
        out.errln(&format!("Processed a total of {} messages", self.consumed));
        Status::Exited(0)
    }

    /// When a pending rebalance of this consumer's group completes, if one is pending.
    fn rebalance_deadline(&self, cluster: &Cluster) -> Option<i64> {
        let Mode::Subscribe { coordinator, .. } = &self.mode else {
            return None;
        };
        coordinator.rebalance_deadline(cluster)
    }
}

impl Session for ConsoleConsumer {
    fn interrupt(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.close(&mut pg.cluster, out)
    }

    fn poll(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        self.poll_records(&mut pg.cluster, out)
    }

    fn waiting(&self, pg: &Playground) -> Option<String> {
        let (group, assigned) = match &self.mode {
            Mode::Assign(tp) => (None, std::slice::from_ref(tp)),
            Mode::Subscribe { coordinator, .. } => (
                Some(coordinator.group_id.as_str()),
                self.assigned.as_slice(),
            ),
        };
        crate::console::waiting::consumer(&pg.cluster, group, assigned)
    }

    fn finish(&mut self, pg: &mut Playground, out: &mut Output) -> Status {
        let cluster = &mut pg.cluster;
        // A joining consumer waits for its group's rebalance, as the real one would.
        if let Some(deadline) = self.rebalance_deadline(cluster) {
            let wait = deadline - cluster.now_ms();
            cluster.advance(wait);
        }
        if let Status::Exited(code) = self.poll_records(cluster, out) {
            return Status::Exited(code);
        }
        match self.timeout_ms {
            Some(timeout) => {
                // Saturating: `--timeout-ms` is a Java long, up to 9223372036854775807 (found
                // by fuzzing).
                let wait = self
                    .last_activity_ms
                    .saturating_add(timeout)
                    .saturating_sub(cluster.now_ms())
                    .max(0);
                cluster.advance(wait);
                match self.poll_records(cluster, out) {
                    Status::Exited(code) => Status::Exited(code),
                    Status::Running => self.close(cluster, out),
                }
            }
            None => self.close(cluster, out),
        }
    }

    fn kill(&mut self, pg: &mut Playground) {
        // The process is gone: no commit, no LeaveGroup. The coordinator notices after the
        // session timeout.
        if let Mode::Subscribe { coordinator, .. } = &self.mode {
            coordinator.kill(&mut pg.cluster);
        }
    }
}

/// The Java client's `FetchPosition.toString()` for a partition's current leader.
fn fetch_position(cluster: &Cluster, tp: &TopicPartition, offset: i64) -> String {
    let partition = cluster
        .topic(&tp.topic)
        .and_then(|t| t.partition(tp.partition));
    let leader = partition
        .and_then(|p| p.leader())
        .map_or("Optional.empty".to_string(), |id| {
            format!(
                "Optional[localhost:{} (id: {id} rack: null isFenced: false)]",
                9091 + id
            )
        });
    let epoch = partition.map_or(0, |p| p.leader_epoch());
    format!(
        "FetchPosition{{offset={offset}, offsetEpoch=Optional.empty, currentLeader=LeaderAndEpoch{{leader={leader}, epoch={epoch}}}}}"
    )
}

#[cfg(test)]
mod auto_commit_tests {
    use crate::console::{Playground, Terminal};
    use crate::engine::{Cluster, ClusterConfig, TopicPartition};

    // Kafka: clients/src/main/java/org/apache/kafka/clients/consumer/internals/ConsumerCoordinator.java
    // (maybeAutoCommitOffsetsAsync: on each poll once auto.commit.interval.ms has passed)
    #[test]
    fn a_live_consumer_commits_on_its_timer_without_new_records() {
        let mut pg = Playground::new(Cluster::new(ClusterConfig::default()));
        let mut term = Terminal::new();
        term.enter(
            &mut pg,
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic t --partitions 1",
        );
        term.enter(
            &mut pg,
            "printf 'a\\nb\\nc\\n' | kafka-console-producer.sh --bootstrap-server localhost:9092 --topic t",
        );
        term.enter(
            &mut pg,
            "kafka-console-consumer.sh --bootstrap-server localhost:9092 --topic t --group g --from-beginning",
        );
        assert!(term.is_running());
        let tp = TopicPartition::new("t", 0);
        // The group's first rebalance waits group.initial.rebalance.delay.ms (3 s).
        let mut printed = String::new();
        for _ in 0..40 {
            pg.cluster.advance(100);
            printed.push_str(&term.poll(&mut pg).text());
        }
        assert_eq!(printed, "a\nb\nc\n");
        assert_eq!(pg.cluster.committed_offset("g", &tp), None, "not yet 5 s");
        for _ in 0..20 {
            pg.cluster.advance(100);
            term.poll(&mut pg);
        }
        assert_eq!(pg.cluster.committed_offset("g", &tp), Some(3));
        assert!(term.is_running(), "it is still consuming");
    }
}
