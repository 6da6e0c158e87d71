//! One file per Kafka tool. Each exposes `run(args, ctx, out) -> ToolResult`.

pub mod admin;
pub mod broker_api_versions;
pub mod cluster_tool;
pub mod configs;
pub mod console_consumer;
pub mod console_producer;
pub mod consumer_groups;
pub mod consumer_perf;
pub mod delete_records;
pub mod dump_log;
pub mod get_offsets;
pub mod leader_election;
pub mod log_dirs;
pub mod metadata_quorum;
pub mod producer_perf;
pub mod reassign_partitions;
pub mod topics;

use super::output::Output;
use super::session::{ToolContext, ToolResult};

pub type ToolFn = fn(&[String], &mut ToolContext, &mut Output) -> ToolResult;

/// The Kafka tools the console knows, by the name typed (with or without `bin/` and `.sh`).
pub const TOOLS: &[(&str, ToolFn)] = &[
    ("kafka-topics.sh", topics::run),
    ("kafka-console-producer.sh", console_producer::run),
    ("kafka-console-consumer.sh", console_consumer::run),
    ("kafka-consumer-groups.sh", consumer_groups::run),
    ("kafka-leader-election.sh", leader_election::run),
    ("kafka-metadata-quorum.sh", metadata_quorum::run),
    ("kafka-cluster.sh", cluster_tool::run),
    ("kafka-reassign-partitions.sh", reassign_partitions::run),
    ("kafka-get-offsets.sh", get_offsets::run),
    ("kafka-delete-records.sh", delete_records::run),
    ("kafka-configs.sh", configs::run),
    ("kafka-log-dirs.sh", log_dirs::run),
    ("kafka-dump-log.sh", dump_log::run),
    ("kafka-broker-api-versions.sh", broker_api_versions::run),
    ("kafka-producer-perf-test.sh", producer_perf::run),
    ("kafka-consumer-perf-test.sh", consumer_perf::run),
];

/// The options a tool accepts (for tab completion); empty for tools with subcommands.
pub fn options_of(tool: &str) -> &'static [super::options::Opt] {
    match tool {
        "kafka-topics.sh" => topics::OPTIONS,
        "kafka-console-producer.sh" => console_producer::OPTIONS,
        "kafka-console-consumer.sh" => console_consumer::OPTIONS,
        "kafka-consumer-groups.sh" => consumer_groups::OPTIONS,
        "kafka-leader-election.sh" => leader_election::OPTIONS,
        "kafka-cluster.sh" => cluster_tool::OPTIONS,
        "kafka-reassign-partitions.sh" => reassign_partitions::OPTIONS,
        "kafka-get-offsets.sh" => get_offsets::OPTIONS,
        "kafka-delete-records.sh" => delete_records::OPTIONS,
        "kafka-configs.sh" => configs::OPTIONS,
        "kafka-log-dirs.sh" => log_dirs::OPTIONS,
        "kafka-dump-log.sh" => dump_log::OPTIONS,
        "kafka-broker-api-versions.sh" => broker_api_versions::OPTIONS,
        "kafka-producer-perf-test.sh" => producer_perf::OPTIONS,
        "kafka-consumer-perf-test.sh" => consumer_perf::OPTIONS,
        _ => &[],
    }
}

/// Finds a tool by what the user typed: `kafka-topics.sh`, `bin/kafka-topics.sh`,
/// `./bin/kafka-topics.sh` or `kafka-topics` all name the same tool.
pub fn lookup(command: &str) -> Option<(&'static str, ToolFn)> {
    let base = command.rsplit('/').next().unwrap_or(command);
    let base = base.strip_suffix(".sh").unwrap_or(base);
    TOOLS
        .iter()
        .find(|(name, _)| name.strip_suffix(".sh") == Some(base))
        .map(|(name, f)| (*name, *f))
}
