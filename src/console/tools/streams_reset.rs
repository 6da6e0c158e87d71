//! `kafka-streams-application-reset.sh --application-id ID`: resets a stopped Streams
//! application: its input topics' committed offsets (`--input-topics`, to the earliest by
//! default), its intermediate topics' to their end, and deletes its internal topics
//! (`<ID>-…-changelog`, `<ID>-…-repartition`), as `StreamsResetter` prints it.

// Kafka: tools/src/main/java/org/apache/kafka/tools/StreamsResetter.java (execute,
// maybeDeleteActiveConsumers, maybeResetInputAndSeekToEndIntermediateTopicOffsets,
// maybeDeleteInternalTopics, matchesInternalTopicFormat); the topic list comes from
// listTopics(), a HashSet: Java's iteration order.

use crate::clients::connect::java_map;
use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};
use crate::engine::TopicPartition;

fn matches_internal_format(topic: &str) -> bool {
    topic.ends_with("-changelog")
        || topic.ends_with("-repartition")
        || topic.ends_with("-subscription-registration-topic")
        || topic.ends_with("-subscription-response-topic")
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

pub fn run(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let mut application_id = None;
    let mut inputs: Vec<String> = Vec::new();
    let mut intermediates: Vec<String> = Vec::new();
    let (mut dry_run, mut force, mut to_latest) = (false, false, false);
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned();
        match args[i].as_str() {
            "--application-id" => {
                application_id = value;
                i += 1;
            }
            "--bootstrap-server" | "--bootstrap-servers" | "--config-file" => i += 1,
            "--input-topics" => {
                inputs.extend(value.unwrap_or_default().split(',').map(str::to_string));
                i += 1;
            }
            "--intermediate-topics" => {
                intermediates.extend(value.unwrap_or_default().split(',').map(str::to_string));
                i += 1;
            }
            "--dry-run" => dry_run = true,
            "--force" => force = true,
            "--to-latest" => to_latest = true,
            "--to-earliest" => {}
            other => {
                out.errln(&format!(
                    "ERROR: joptsimple.UnrecognizedOptionException: {} is not a recognized option",
                    other.trim_start_matches('-')
                ));
                return ToolResult::Exit(1);
            }
        }
        i += 1;
    }
    let Some(group) = application_id else {
        out.errln("Missing required argument \"[application-id]\"");
        return ToolResult::Exit(1);
    };
    let cluster = &mut ctx.playground.cluster;
    let members: Vec<(String, String, String)> = cluster
        .group(&group)
        .map(|g| {
            g.members()
                .values()
                .map(|m| {
                    (
                        m.member_id.clone(),
                        m.client_id.clone(),
                        m.client_host.clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if !members.is_empty() {
        if force {
            out.outln(&format!(
                "Force deleting all active members in the group: {group}"
            ));
            for (member, _, _) in &members {
                cluster.leave_group(&group, member);
            }
        } else {
            let described: Vec<String> = members
                .iter()
                .map(|(m, c, h)| format!("(memberId={m}, groupInstanceId=null, clientId={c}, host={h}, assignment=(topicPartitions=), targetAssignment=Optional.empty, memberEpoch=Optional.empty, upgraded=Optional.empty)"))
                .collect();
            out.errln(&format!(
                "ERROR: java.lang.IllegalStateException: Consumer group '{group}' is still active and has following members: {}. Make sure to stop all running application instances before running the reset tool. You can use option '--force' to remove active members from the group.",
                list(&described)
            ));
            return ToolResult::Exit(1);
        }
    }
    let all_topics: Vec<String> = cluster.topics().map(|t| t.name().to_string()).collect();
    if dry_run {
        out.outln("----Dry run displays the actions which will be performed when running Streams Reset Tool----");
    }
    let mut status = 0;
    if inputs.is_empty() && intermediates.is_empty() {
        out.outln("No input or intermediate topics specified. Skipping seek.");
    } else {
        if !inputs.is_empty() {
            out.outln(&format!("Reset-offsets for input topics {}", list(&inputs)));
        }
        if !intermediates.is_empty() {
            out.outln(&format!(
                "Seek-to-end for intermediate topics {}",
                list(&intermediates)
            ));
        }
        let missing: Vec<&String> = inputs.iter().filter(|t| !all_topics.contains(t)).collect();
        if !missing.is_empty() {
            out.outln("Following input topics are not found, skipping them");
            for t in &missing {
                out.outln(&format!("Topic: {t}"));
            }
            status = 1;
        }
        let partitions = |topics: &[String],
                          cluster: &crate::engine::Cluster|
         -> Vec<TopicPartition> {
            topics
                .iter()
                .filter_map(|t| cluster.topic(t))
                .flat_map(|t| {
                    (0..t.partitions().len() as i32).map(move |p| TopicPartition::new(t.name(), p))
                })
                .collect()
        };
        let input_parts = partitions(&inputs, cluster);
        let intermediate_parts = partitions(&intermediates, cluster);
        let mut commits = Vec::new();
        if !input_parts.is_empty() {
            out.outln(&format!(
                "Following input topics offsets will be reset to (for consumer group {group})"
            ));
            for tp in &input_parts {
                let (start, end) = cluster.offsets_of(tp).unwrap_or((0, 0));
                let offset = if to_latest { end } else { start };
                out.outln(&format!(
                    "Topic: {} Partition: {} Offset: {offset}",
                    tp.topic, tp.partition
                ));
                commits.push((tp.clone(), offset));
            }
        }
        if !intermediate_parts.is_empty() {
            out.outln(&format!(
                "Following intermediate topics offsets will be reset to end (for consumer group {group})"
            ));
            for tp in &intermediate_parts {
                out.outln(&format!("Topic: {}", tp.topic));
                let (_, end) = cluster.offsets_of(tp).unwrap_or((0, 0));
                commits.push((tp.clone(), end));
            }
        }
        if !dry_run {
            for (tp, offset) in commits {
                cluster.commit_offset(&group, tp, offset);
            }
        }
        if !(input_parts.is_empty() && intermediate_parts.is_empty()) || missing.is_empty() {
            out.outln("Done.");
        }
    }
    let prefix = format!("{group}-");
    let internal: Vec<&str> = all_topics
        .iter()
        .map(String::as_str)
        .filter(|t| t.starts_with(&prefix) && matches_internal_format(t))
        .collect();
    let internal: Vec<String> = java_map::order(internal)
        .into_iter()
        .map(str::to_string)
        .collect();
    out.outln(&format!(
        "Deleting inferred internal topics {}",
        list(&internal)
    ));
    if !dry_run {
        for t in &internal {
            let _ = cluster.delete_topic(t);
        }
    }
    out.outln("Done.");
    ToolResult::Exit(status)
}
