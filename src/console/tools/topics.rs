//! `kafka-topics.sh`: create, list, describe, alter and delete topics, printing exactly what
//! Kafka's `TopicCommand` prints (formats, HashMap orders, error texts).
//!
//! Invariant: every failure ends in Kafka's own message and exit status 1; nothing panics.

use super::{BadOption, Opening};
use crate::console::java;
use crate::console::options::{self, HELP, Opt, Parsed, VERSION};
use crate::console::output::Output;
use crate::console::regex::Regex;
use crate::console::session::{ToolContext, ToolResult};
use crate::console::tools::admin;
use crate::engine::clock::format_log_timestamp;
use crate::engine::config::{TOPIC_CONFIGS, validate_topic_config};
use crate::engine::topic::has_collision_chars;
use crate::engine::{Cluster, KafkaError, NewTopic, Topic};

const DESCRIPTION: &str = "This tool helps to create, delete, describe, or change a topic.";
const LOGGER: &str = "org.apache.kafka.tools.TopicCommand";
const ALTER_CONFIGS_HINT: &str =
    " (To alter topic configurations, the kafka-configs tool can be used.)";

pub const OPTIONS: &[Opt] = &[
    Opt::flag(
        "alter",
        "Alter the number of partitions and replica assignment. (To alter topic configurations, the kafka-configs tool can be used.)",
    ),
    Opt::flag(
        "at-min-isr-partitions",
        "If set when describing topics, only show partitions whose isr count is equal to the configured minimum.",
    ),
    Opt::string(
        "bootstrap-server",
        "REQUIRED: The Kafka server to connect to.",
        "server to connect to",
    ),
    Opt::string(
        "command-config",
        "Property file containing configs to be passed to Admin Client.",
        "command config property file",
    ),
    Opt::string("config", CONFIG_HELP, "name=value"),
    Opt::flag("create", "Create a new topic."),
    Opt::flag("delete", "Delete a topic."),
    Opt::string(
        "delete-config",
        "This option is no longer supported and has been deprecated since 4.0",
        "name",
    ),
    Opt::flag("describe", "List details for the given topics."),
    Opt::flag(
        "exclude-internal",
        "Exclude internal topics when listing or describing topics. By default, the internal topics are included.",
    ),
    HELP,
    Opt::flag(
        "if-exists",
        "If set when altering or deleting or describing topics, the action will only execute if the topic exists.",
    ),
    Opt::flag(
        "if-not-exists",
        "If set when creating topics, the create request will not fail if the topic already exists, but the request will still be sent.",
    ),
    Opt::flag("list", "List all available topics."),
    Opt::integer(
        "partition-size-limit-per-response",
        "The maximum partition size to be included in one DescribeTopicPartitions response.",
        "maximum number of partitions per response",
    ),
    Opt::integer(
        "partitions",
        "The number of partitions for the topic being created or altered. If not supplied with --create, the topic uses the cluster default. (WARNING: If partitions are increased for a topic that has a key, the partition logic or ordering of the messages will be affected).",
        "# of partitions",
    ),
    Opt::string(
        "replica-assignment",
        "A list of manual partition-to-broker assignments for the topic being created or altered.",
        "broker_id_for_part1_replica1 : broker_id_for_part1_replica2 , broker_id_for_part2_replica1 : broker_id_for_part2_replica2 , ...",
    ),
    Opt::integer(
        "replication-factor",
        "The replication factor for each partition in the topic being created. If not supplied, the topic uses the cluster default.",
        "replication factor",
    ),
    Opt::string(
        "topic",
        "The topic to create, alter, describe or delete. It also accepts a regular expression, except for --create option.",
        "topic",
    ),
    Opt::string("topic-id", "The topic-id to describe.", "topic-id"),
    Opt::flag(
        "topics-with-overrides",
        "If set when describing topics, only show topics that have overridden configs.",
    ),
    Opt::flag(
        "unavailable-partitions",
        "If set when describing topics, only show partitions whose leader is not available.",
    ),
    Opt::flag(
        "under-min-isr-partitions",
        "If set when describing topics, only show partitions whose isr count is less than the configured minimum.",
    ),
    Opt::flag(
        "under-replicated-partitions",
        "If set when describing topics, only show under-replicated partitions.",
    ),
    VERSION,
];

const CONFIG_HELP: &str = "A topic configuration override for the topic being created. The following is a list of valid configurations: \n\tcleanup.policy\n\tcompression.gzip.level\n\tcompression.lz4.level\n\tcompression.type\n\tcompression.zstd.level\n\tdelete.retention.ms\n\tfile.delete.delay.ms\n\tflush.messages\n\tflush.ms\n\tfollower.replication.throttled.replicas\n\tindex.interval.bytes\n\tleader.replication.throttled.replicas\n\tlocal.retention.bytes\n\tlocal.retention.ms\n\tmax.compaction.lag.ms\n\tmax.message.bytes\n\tmessage.timestamp.after.max.ms\n\tmessage.timestamp.before.max.ms\n\tmessage.timestamp.type\n\tmin.cleanable.dirty.ratio\n\tmin.compaction.lag.ms\n\tmin.insync.replicas\n\tpreallocate\n\tremote.log.copy.disable\n\tremote.log.delete.on.disable\n\tremote.storage.enable\n\tretention.bytes\n\tretention.ms\n\tsegment.bytes\n\tsegment.index.bytes\n\tsegment.jitter.ms\n\tsegment.ms\n\tunclean.leader.election.enable\nSee the Kafka documentation for full details on the topic configs. It is supported only in combination with --create. (To alter topic configurations, the kafka-configs tool can be used.)";

const ACTIONS: [&str; 5] = ["create", "list", "alter", "describe", "delete"];

/// A failure while executing an action: printed as `Error while executing topic command : …`.
struct Failure {
    class: String,
    message: String,
}

impl Failure {
    fn client(class: &str, message: impl Into<String>) -> Self {
        Failure {
            class: class.to_string(),
            message: message.into(),
        }
    }

    fn illegal_argument(message: impl Into<String>) -> Self {
        Failure::client("java.lang.IllegalArgumentException", message)
    }
}

impl From<KafkaError> for Failure {
    fn from(e: KafkaError) -> Self {
        Failure {
            class: e.code.exception_class().to_string(),
            message: e.message().to_string(),
        }
    }
}

pub fn run(opts: Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    ToolResult::Exit(execute(opts, &mut ctx.playground.cluster, out))
}

fn execute(opts: Parsed, cluster: &mut Cluster, out: &mut Output) -> i32 {
    if ACTIONS.iter().filter(|a| opts.has(a)).count() != 1 {
        return options::usage(
            out,
            "Command must include exactly one action: --list, --describe, --create, --alter or --delete",
            OPTIONS,
        );
    }
    if opts.has("delete-config") {
        out.errln("delete-config option is no longer supported and deprecated since version 4.0. The config will be fully removed in future releases.");
    }
    if let Err(code) = check_args(&opts, out) {
        return code;
    }
    let result = if opts.has("create") {
        create(&opts, cluster, out)
    } else if opts.has("list") {
        list(&opts, cluster, out)
    } else if opts.has("describe") {
        describe(&opts, cluster, out)
    } else if opts.has("alter") {
        alter(&opts, cluster)
    } else {
        delete(&opts, cluster)
    };
    match result {
        Ok(()) => 0,
        Err(f) => {
            out.outln(&format!(
                "Error while executing topic command : {}",
                f.message
            ));
            out.errln(&format!(
                "[{}] ERROR {}: {}",
                format_log_timestamp(cluster.now_ms()),
                f.class,
                f.message
            ));
            out.errln(&format!(" ({LOGGER})"));
            if let Some(topic) = opts
                .value("topic")
                .filter(|_| f.message.contains("does not exist"))
            {
                let names = cluster
                    .topics()
                    .filter(|t| !t.is_internal())
                    .map(|t| t.name());
                crate::console::near_miss::note(out, "topic", topic, names);
            }
            1
        }
    }
}

/// An exception thrown while parsing escapes `mainNoExit`: its message, then its stack trace
/// (printed without JVM frames).
/// `kafka-topics.sh`'s opening: no arguments at all get a shorter line than `--help`.
pub const OPENING: Opening = Opening::new(OPTIONS, DESCRIPTION)
    .bare("Create, delete, describe, or change a topic.")
    .bad_option(BadOption::Caught);

/// `checkRequiredArgs` and `checkInvalidArgs` of `TopicCommandOptions`, in their order.
fn check_args(opts: &options::Parsed, out: &mut Output) -> Result<(), i32> {
    if !opts.has("bootstrap-server") {
        let msg = "--bootstrap-server must be specified";
        out.errln(msg);
        out.errln(&format!("java.lang.IllegalArgumentException: {msg}"));
        return Err(1);
    }
    let usage = |out: &mut Output, msg: String| Err(options::usage(out, &msg, OPTIONS));
    if opts.has("describe") && opts.has("if-exists") {
        if !opts.has("topic") && !opts.has("topic-id") {
            return usage(
                out,
                "--topic or --topic-id is required to describe a topic".into(),
            );
        }
        if opts.has("topic") && opts.has("topic-id") {
            out.outln("Only topic id will be used when both --topic and --topic-id are specified and topicId is not Uuid.ZERO_UUID");
        }
    }
    if !opts.has("list") && !opts.has("describe") && !opts.has("topic") {
        return usage(out, options::missing_required("topic"));
    }
    if opts.has("alter") {
        if opts.has("config") {
            return usage(
                out,
                format!(
                    "Option combination \"[[bootstrap-server], [config]]\" can't be used with option \"[alter]\"{ALTER_CONFIGS_HINT}"
                ),
            );
        }
        if !opts.has("partitions") {
            return usage(out, options::missing_required("partitions"));
        }
    }
    let action = ACTIONS
        .iter()
        .find(|a| opts.has(a))
        .copied()
        .unwrap_or("list");
    let only_with: &[(&str, &[&str])] = &[
        ("config", &["alter", "create"]),
        ("partitions", &["alter", "create"]),
        ("replication-factor", &["create"]),
        ("replica-assignment", &["alter", "create"]),
        ("under-replicated-partitions", &["describe"]),
        ("under-min-isr-partitions", &["describe"]),
        ("at-min-isr-partitions", &["describe"]),
        ("unavailable-partitions", &["describe"]),
        ("topics-with-overrides", &["describe"]),
        ("if-exists", &["alter", "delete", "describe"]),
        ("if-not-exists", &["create"]),
        ("exclude-internal", &["list", "describe"]),
    ];
    for (option, allowed) in only_with {
        if opts.has(option) && !allowed.contains(&action) {
            return usage(out, options::cannot_combine(option, action));
        }
        if *option == "replica-assignment" && opts.has(option) && action == "create" {
            for other in ["partitions", "replication-factor"] {
                if opts.has(other) {
                    return usage(out, options::cannot_combine(option, other));
                }
            }
        }
    }
    const REPORTS: [&str; 4] = [
        "under-replicated-partitions",
        "under-min-isr-partitions",
        "at-min-isr-partitions",
        "unavailable-partitions",
    ];
    if opts.has("topics-with-overrides") {
        if let Some(r) = REPORTS.iter().find(|r| opts.has(r)) {
            return usage(out, options::cannot_combine(r, "topics-with-overrides"));
        }
    }
    Ok(())
}

fn create(opts: &options::Parsed, cluster: &mut Cluster, out: &mut Output) -> Result<(), Failure> {
    let name = opts.value("topic").unwrap_or_default().to_string();
    let partitions = opts
        .int("partitions")
        .map_err(|m| Failure::client("joptsimple.OptionArgumentConversionException", m))?;
    let replication_factor = opts
        .int("replication-factor")
        .map_err(|m| Failure::client("joptsimple.OptionArgumentConversionException", m))?;
    if partitions.is_some_and(|p| p < 1) {
        return Err(Failure::illegal_argument(
            "The partitions must be greater than 0",
        ));
    }
    if replication_factor.is_some_and(|r| !(1..=32767).contains(&r)) {
        return Err(Failure::illegal_argument(
            "The replication factor must be between 1 and 32767 inclusive",
        ));
    }
    let mut configs = Vec::new();
    for entry in opts.values("config") {
        let Some((k, v)) = entry.split_once('=') else {
            return Err(Failure::illegal_argument(
                "requirement failed: Invalid topic config: all configs to be added must be in the format \"key=val\".",
            ));
        };
        let (k, v) = (k.trim(), v.trim());
        let value = validate_topic_config(k, v)
            .map_err(|e| Failure::client(e.exception_class(), e.to_string()))?;
        configs.push((k.to_string(), value));
    }
    let assignment = match opts.value("replica-assignment") {
        Some(text) if !text.is_empty() => Some(parse_replica_assignment(text)?),
        _ => None,
    };
    if has_collision_chars(&name) {
        out.outln("WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.");
    }
    let new = NewTopic {
        partitions: assignment.as_ref().map(|a| a.len() as i32).or(partitions),
        replication_factor: assignment
            .as_ref()
            .and_then(|a| a.first().map(|r| r.len() as i16))
            .or(replication_factor.map(|r| r as i16)),
        configs,
    };
    controller_call(cluster, "createTopics")?;
    let created = match &assignment {
        Some(a) => cluster.create_topic_with_assignment(&name, a.clone(), new),
        None => cluster.create_topic(&name, new).map(|_| ()),
    };
    match created {
        Ok(()) => {
            out.outln(&format!("Created topic {name}."));
            Ok(())
        }
        Err(e)
            if opts.has("if-not-exists")
                && e.code == crate::engine::error::ErrorCode::TopicAlreadyExists =>
        {
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// `1:2,2:3` → one replica list per partition (`TopicCommand.parseReplicaAssignment`).
fn parse_replica_assignment(text: &str) -> Result<Vec<Vec<i32>>, Failure> {
    let mut out: Vec<Vec<i32>> = Vec::new();
    for (i, part) in text.split(',').enumerate() {
        let mut replicas = Vec::new();
        for id in part.split(':') {
            let id = id.trim();
            let n: i32 = id.parse().map_err(|_| {
                Failure::client(
                    "java.lang.NumberFormatException",
                    format!("For input string: \"{id}\""),
                )
            })?;
            if replicas.contains(&n) {
                return Err(Failure::client(
                    "org.apache.kafka.server.common.AdminCommandFailedException",
                    format!("Partition replica lists may not contain duplicate entries: {n}"),
                ));
            }
            replicas.push(n);
        }
        if let Some(first) = out.first() {
            if first.len() != replicas.len() {
                let list: Vec<String> = replicas.iter().map(|r| r.to_string()).collect();
                return Err(Failure::client(
                    "org.apache.kafka.server.common.AdminOperationException",
                    format!(
                        "Partition {i} has different replication factor: [{}]",
                        list.join(", ")
                    ),
                ));
            }
        }
        out.push(replicas);
    }
    Ok(out)
}

/// `--topic` for everything but create: a Java regex (full match) after Kafka's clean-up.
fn topic_filter(opts: &options::Parsed) -> Result<Option<Regex>, Failure> {
    let Some(raw) = opts.value("topic") else {
        return Ok(None);
    };
    let cleaned: String = raw
        .trim()
        .replace(',', "|")
        .chars()
        .filter(|c| *c != ' ')
        .collect();
    let cleaned = cleaned.trim_matches(|c| c == '"' || c == '\'');
    Regex::new(cleaned)
        .map(Some)
        .map_err(|e| Failure::client("java.util.regex.PatternSyntaxException", e))
}

/// The topics an action applies to, or Kafka's "does not exist as expected" error.
fn matching_topics(
    opts: &options::Parsed,
    cluster: &Cluster,
    require: bool,
) -> Result<Vec<String>, Failure> {
    let exclude_internal = opts.has("exclude-internal");
    if let Some(id) = opts.value("topic-id") {
        return match cluster.topic_by_id(id) {
            Some(t) => Ok(vec![t.name().to_string()]),
            None if require => Err(Failure::illegal_argument(format!(
                "TopicId '{id}' does not exist as expected"
            ))),
            None => Ok(vec![]),
        };
    }
    let filter = topic_filter(opts)?;
    let names: Vec<String> = cluster
        .topics()
        .filter(|t| !(exclude_internal && t.is_internal()))
        .filter(|t| filter.as_ref().is_none_or(|r| r.full_match(t.name())))
        .map(|t| t.name().to_string())
        .collect();
    if names.is_empty() && require {
        if let Some(topic) = opts.value("topic") {
            return Err(Failure::illegal_argument(format!(
                "Topic 'Optional[{topic}]' does not exist as expected"
            )));
        }
    }
    Ok(names)
}

fn list(opts: &options::Parsed, cluster: &Cluster, out: &mut Output) -> Result<(), Failure> {
    let names = matching_topics(opts, cluster, false)?;
    out.outln(&names.join("\n"));
    Ok(())
}

fn alter(opts: &options::Parsed, cluster: &mut Cluster) -> Result<(), Failure> {
    let topics = matching_topics(opts, cluster, !opts.has("if-exists"))?;
    let partitions = opts
        .int("partitions")
        .map_err(|m| Failure::client("joptsimple.OptionArgumentConversionException", m))?
        .unwrap_or(0);
    if !topics.is_empty() {
        controller_call(cluster, "createPartitions")?;
    }
    // TopicCommand.topicNewPartitions: the assignment's entries past the existing partitions.
    // Kafka: tools/src/main/java/org/apache/kafka/tools/TopicCommand.java
    let assignment = match opts.value("replica-assignment") {
        Some(text) if !text.is_empty() => Some(parse_replica_assignment(text)?),
        _ => None,
    };
    for name in topics {
        let added = assignment.as_ref().map(|lists| {
            let existing = cluster.topic(&name).map_or(0, |t| t.partitions().len());
            lists.iter().skip(existing).cloned().collect::<Vec<_>>()
        });
        cluster.create_partitions_with_assignment(&name, partitions, added)?;
    }
    Ok(())
}

fn delete(opts: &options::Parsed, cluster: &mut Cluster) -> Result<(), Failure> {
    let topics = matching_topics(opts, cluster, !opts.has("if-exists"))?;
    if !topics.is_empty() {
        controller_call(cluster, "deleteTopics")?;
    }
    for name in topics {
        cluster.delete_topic(&name)?;
    }
    Ok(())
}

/// The brokers forward these requests to the active controller; without one (a majority of
/// the controllers down) the call times out.
fn controller_call(cluster: &mut Cluster, call: &str) -> Result<(), Failure> {
    match admin::without_controller(cluster, call, admin::DEFAULT_TIMEOUTS) {
        Some(message) => Err(Failure::client(admin::TIMEOUT_EXCEPTION, message)),
        None => Ok(()),
    }
}

fn describe(opts: &options::Parsed, cluster: &Cluster, out: &mut Output) -> Result<(), Failure> {
    let require = !opts.has("if-exists") && (opts.has("topic") || opts.has("topic-id"));
    let names = matching_topics(opts, cluster, require)?;
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    // The admin client answers with a HashMap keyed by topic name.
    let ordered = java::string_hashmap_order(&name_refs, Some(names.len()));
    let reports = [
        "under-replicated-partitions",
        "under-min-isr-partitions",
        "at-min-isr-partitions",
        "unavailable-partitions",
    ];
    let reporting = reports.iter().any(|r| opts.has(r));
    for name in ordered {
        let Some(topic) = cluster.topic(&name) else {
            continue;
        };
        let configs = non_default_configs(cluster, topic);
        if opts.has("topics-with-overrides") {
            if !configs.is_empty() {
                out.outln(&header_line(topic, &configs));
            }
            continue;
        }
        if !reporting {
            out.outln(&header_line(topic, &configs));
        }
        let min_isr: usize = cluster
            .topic_config(topic, "min.insync.replicas")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        for p in topic.partitions() {
            let leader_ok = p
                .leader()
                .and_then(|l| cluster.broker(l))
                .is_some_and(|b| b.is_registered_alive());
            let shown = !reporting
                || (opts.has("under-replicated-partitions") && p.is_under_replicated())
                || (opts.has("under-min-isr-partitions") && p.isr().len() < min_isr)
                || (opts.has("at-min-isr-partitions") && p.isr().len() == min_isr)
                || (opts.has("unavailable-partitions") && !leader_ok);
            if shown {
                out.outln(&partition_line(topic.name(), p));
            }
        }
    }
    Ok(())
}

fn join_ids(ids: &[i32]) -> String {
    ids.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn header_line(topic: &Topic, configs: &[(String, String)]) -> String {
    let configs: Vec<String> = configs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!(
        "Topic: {}\tTopicId: {}\tPartitionCount: {}\tReplicationFactor: {}\tConfigs: {}",
        topic.name(),
        topic.id(),
        topic.partitions().len(),
        topic.replication_factor(),
        configs.join(",")
    )
}

fn partition_line(topic: &str, p: &crate::engine::Partition) -> String {
    let leader = p.leader().map_or("none".to_string(), |l| l.to_string());
    let moving = if p.is_reassigning() {
        format!(
            "\tAdding Replicas: {}\tRemoving Replicas: {}",
            join_ids(p.adding_replicas()),
            join_ids(p.removing_replicas())
        )
    } else {
        String::new()
    };
    format!(
        "\tTopic: {topic}\tPartition: {}\tLeader: {leader}\tReplicas: {}\tIsr: {}{moving}\tElr: {}\tLastKnownElr: {}",
        p.index(),
        join_ids(p.replicas()),
        join_ids(p.isr()),
        join_ids(p.elr()),
        join_ids(p.last_known_elr())
    )
}

/// Configs whose source is not the built-in default, in the order of the broker's
/// `HashMap` of all topic configs (capacity 64): the topic's overrides plus the quickstart
/// broker's static `segment.bytes`.
fn non_default_configs(cluster: &Cluster, topic: &Topic) -> Vec<(String, String)> {
    let all: Vec<&str> = TOPIC_CONFIGS.iter().map(|k| k.name).collect();
    java::string_hashmap_order(&all, Some(64))
        .into_iter()
        .filter_map(|name| {
            let sources = cluster.topic_config_sources(topic, &name);
            let (source, _, value) = sources.first()?;
            (*source != "DEFAULT_CONFIG").then(|| (name, value.clone()))
        })
        .collect()
}
