//! `kafka-share-groups.sh`: list, describe (offsets, members, state), delete share groups,
//! and reset or delete their share-partitions' start offsets, with Kafka's tables and texts.
//!
//! Invariant: reads the share coordinator's state; changes it only through `Cluster`, and only
//! where Kafka allows it (resets and deletes of empty groups).

use super::consumer_groups::parse_datetime;
use super::{BadOption, Opening};
use crate::console::options::{self, HELP, Opt, Parsed, VERSION};
use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};
use crate::engine::share_group::{ShareGroup, ShareGroupState};
use crate::engine::{Cluster, TopicPartition};

// Kafka: tools/src/main/java/org/apache/kafka/tools/consumer/group/ShareGroupCommandOptions.java
const DESCRIPTION: &str =
    "This tool helps to list, describe, delete and manage the offsets of share groups.";

pub const OPTIONS: &[Opt] = &[
    Opt::flag("all-groups", "Apply to all share groups."),
    Opt::flag("all-topics", "Apply to all topics. Supported operation: reset-offsets."),
    Opt::string("bootstrap-server", "REQUIRED: The server(s) to connect to.", "server to connect to"),
    Opt::string("command-config", "Property file containing configs to be passed to Admin Client.", "command config property file"),
    Opt::flag("delete", "Delete share group."),
    Opt::flag("delete-offsets", "Delete offsets of share group. Supports one share group at a time, and multiple topics."),
    Opt::flag("describe", "Describe share group, members and offset information."),
    Opt::flag("dry-run", "Output offset reset information without executing the operation. Supported operation: reset-offsets."),
    Opt::flag("execute", "Execute the offset reset operation. Supported operation: reset-offsets."),
    Opt::flag("export", "Generate offset reset information in CSV format for export to a file. Supported operation: reset-offsets."),
    Opt::string("from-file", "Reset offsets to values defined in CSV file.", "path to CSV file"),
    Opt::string("group", "The share group id.", "group id"),
    HELP,
    Opt::flag("list", "List all share groups."),
    Opt::flag("members", "Describe members of the group. This option may be used with the --describe option only."),
    Opt::flag("offsets", "Describe the group and list all topic partitions in the group along with their offset information. This is the default sub-action and may be used with the --describe option only."),
    Opt::flag("reset-offsets", "Reset offsets of share group. Supports one share group at a time, and instances must be inactive.\nHas 2 execution options: --dry-run to plan which offsets to reset, and --execute to reset the offsets. \nAdditionally, the --export option can be used to generate the offsets in CSV format for export to a file.\nYou must choose one of the following reset specifications: --to-datetime, --to-earliest, --to-latest, --from-file, --to-current, --to-offset.\nTo define the scope, use --all-topics or --topic. The scope must be specified unless you use --from-file.\nFails if neither --dry-run nor --execute is specified."),
    Opt::string("state", "When specified with --describe, it displays the state of the group.\nWhen specified with --list, it displays the state of all groups. It can also be used to list groups with specific states. Valid values are Empty, Stable and Dead.", "").optional(),
    Opt::long("timeout", "The timeout that can be set for some use cases. For example, it can be used when describing the group to specify the maximum amount of time in milliseconds to wait before the group stabilizes.", "timeout (ms)").default("30000"),
    Opt::flag("to-current", "Reset offsets to current offset."),
    Opt::string("to-datetime", "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDThh:mm:ss.sss'", "datetime"),
    Opt::flag("to-earliest", "Reset offsets to earliest offset."),
    Opt::flag("to-latest", "Reset offsets to latest offset."),
    Opt::long("to-offset", "Reset offsets to a specific offset.", "offset"),
    Opt::string("topic", "The topic whose offset information should be deleted or reset. When resetting offsets, partitions can be specified using this format: `topic:0,1,2`, where 0,1,2 are the partitions to be included.", "topic"),
    Opt::flag("verbose", "Provide additional information, if any, when describing the group. This option may be used with the --describe option only."),
    VERSION,
];

/// The options' parse escapes `main` (the constructor parses outside its `try`).
pub const OPENING: Opening = Opening::new(OPTIONS, DESCRIPTION).bad_option(BadOption::Uncaught);

const SCENARIOS: [&str; 6] = [
    "from-file",
    "to-current",
    "to-datetime",
    "to-earliest",
    "to-latest",
    "to-offset",
];

pub fn run(opts: Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    ToolResult::Exit(execute(&opts, &mut ctx.playground.cluster, out))
}

fn usage(out: &mut Output, msg: &str) -> i32 {
    options::usage(out, msg, OPTIONS)
}

fn execute(opts: &Parsed, cluster: &mut Cluster, out: &mut Output) -> i32 {
    // jopt-simple's `availableIf`: checked as the options are parsed.
    let unavailable = [
        ("members", &["describe"][..]),
        ("offsets", &["describe"][..]),
        ("verbose", &["describe"][..]),
        ("state", &["describe", "list"][..]),
    ]
    .into_iter()
    .find(|(o, needs)| opts.has(o) && !needs.iter().any(|n| opts.has(n)));
    if let Some((option, _)) = unavailable {
        out.errln(&format!(
            "Exception in thread \"main\" joptsimple.UnavailableOptionException: Option(s) [{option}] are unavailable given other options on the command line"
        ));
        return 1;
    }
    if let Err(code) = check_args(opts, out) {
        return code;
    }
    let actions = [
        "list",
        "describe",
        "delete",
        "reset-offsets",
        "delete-offsets",
    ]
    .iter()
    .filter(|a| opts.has(a))
    .count();
    if actions != 1 {
        return usage(
            out,
            "Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets.",
        );
    }
    if opts.has("list") {
        list(opts, cluster, out)
    } else if opts.has("describe") {
        describe(opts, cluster, out)
    } else if opts.has("delete") {
        delete(opts, cluster, out)
    } else if opts.has("reset-offsets") {
        reset_offsets(opts, cluster, out)
    } else {
        delete_offsets(opts, cluster, out)
    }
}

/// `ShareGroupCommandOptions.checkArgs`, in its order.
fn check_args(opts: &Parsed, out: &mut Output) -> Result<(), i32> {
    let fail = |out: &mut Output, msg: &str| Err(usage(out, msg));
    if !opts.has("bootstrap-server") {
        return fail(out, &options::missing_required("bootstrap-server"));
    }
    if opts.has("describe") {
        if !opts.has("group") && !opts.has("all-groups") {
            return fail(
                out,
                "Option [describe] takes one of these options: [all-groups], [group]",
            );
        }
        if ["members", "offsets", "state"]
            .iter()
            .filter(|o| opts.has(o))
            .count()
            > 1
        {
            return fail(
                out,
                "Option [describe] takes at most one of these options: [members], [offsets], [state]",
            );
        }
        if opts.has("state") && opts.value("state").is_some() {
            return fail(out, "Option [describe] does not take a value for [state]");
        }
    }
    if opts.has("delete") {
        if !opts.has("group") && !opts.has("all-groups") {
            return fail(
                out,
                "Option [delete] takes the options [group] or [all-groups].",
            );
        }
        if opts.has("all-groups") && opts.has("group") {
            return fail(
                out,
                "Option [delete] takes either [group] or [all-groups], not both.",
            );
        }
        if opts.has("all-topics") || opts.has("topic") {
            return fail(
                out,
                "Option [delete] does not take the options [topic] or [all-topics].",
            );
        }
    }
    if opts.has("delete-offsets") && (!opts.has("group") || !opts.has("topic")) {
        return fail(
            out,
            "Option [delete-offsets] takes the following options: [group], [topic]",
        );
    }
    if opts.has("reset-offsets") {
        if opts.has("dry-run") && opts.has("execute") {
            return fail(
                out,
                "Option [reset-offsets] only accepts one of [execute] and [dry-run]",
            );
        }
        if !opts.has("dry-run") && !opts.has("execute") {
            return fail(
                out,
                "Option [reset-offsets] takes the option: [execute] or [dry-run]",
            );
        }
        if !opts.has("group") {
            return fail(out, "Option [reset-offsets] takes the option: [group]");
        }
        let scopes = ["all-topics", "from-file", "topic"];
        if !scopes.iter().any(|s| opts.has(s)) {
            return fail(
                out,
                "Option [reset-offsets] takes one of these options: [all-topics], [from-file], [topic]",
            );
        }
        for used in ["topic", "all-topics", "from-file"] {
            if let Some(other) = scopes
                .iter()
                .find(|s| **s != used && opts.has(used) && opts.has(s))
            {
                return fail(out, &options::cannot_combine(used, other));
            }
        }
        if !SCENARIOS.iter().any(|s| opts.has(s)) {
            return fail(
                out,
                "Option [reset-offsets] takes one of these options: [from-file], [to-current], [to-datetime], [to-earliest], [to-latest], [to-offset]",
            );
        }
        for used in [
            "to-offset",
            "to-datetime",
            "to-earliest",
            "to-latest",
            "to-current",
            "from-file",
        ] {
            if let Some(other) = SCENARIOS
                .iter()
                .find(|s| **s != used && opts.has(used) && opts.has(s))
            {
                return fail(out, &options::cannot_combine(used, other));
            }
        }
    }
    if opts.has("group") && opts.has("all-groups") {
        return fail(out, &options::cannot_combine("group", "all-groups"));
    }
    if opts.has("group") && opts.has("list") {
        return fail(out, &options::cannot_combine("group", "list"));
    }
    for other in ["list", "describe", "delete"] {
        if opts.has("topic") && opts.has(other) {
            return fail(out, &options::cannot_combine("topic", other));
        }
    }
    Ok(())
}

/// `printError`: a blank line and `Error: …` on standard output.
fn print_error(out: &mut Output, msg: &str) {
    out.outln(&format!("\nError: {msg}"));
}

/// `GroupIdNotFoundException`'s message for an id that names no share group
/// (`GroupMetadataManager.shareGroup`).
fn not_found(cluster: &Cluster, group: &str) -> String {
    if cluster.group_ids().iter().any(|g| g == group) {
        format!("Group {group} is not a share group.")
    } else {
        format!("Group {group} not found.")
    }
}

fn share_group_ids(cluster: &Cluster) -> Vec<String> {
    cluster.share_coordinator().groups.keys().cloned().collect()
}

fn list(opts: &Parsed, cluster: &Cluster, out: &mut Output) -> i32 {
    if !opts.has("state") {
        for id in share_group_ids(cluster) {
            out.outln(&id);
        }
        return 0;
    }
    let wanted: Vec<ShareGroupState> = match opts.value("state").filter(|s| !s.is_empty()) {
        None => vec![],
        Some(list) => {
            let mut states = Vec::new();
            for s in list.split(',') {
                let state = match s.trim().to_ascii_lowercase().as_str() {
                    "empty" => ShareGroupState::Empty,
                    "stable" => ShareGroupState::Stable,
                    "dead" => ShareGroupState::Dead,
                    _ => {
                        return usage(
                            out,
                            &format!(
                                "Invalid state list '{list}'. Valid states are: Dead, Empty, Stable"
                            ),
                        );
                    }
                };
                states.push(state);
            }
            states
        }
    };
    let groups: Vec<&ShareGroup> = cluster
        .share_coordinator()
        .groups
        .values()
        .filter(|g| wanted.is_empty() || wanted.contains(&g.state()))
        .collect();
    let w = groups
        .iter()
        .map(|g| g.group_id.len())
        .max()
        .unwrap_or(0)
        .max(15);
    out.outln(&format!("{:<w$} {}", "GROUP", "STATE"));
    for g in groups {
        out.outln(&format!("{:<w$} {}", g.group_id, g.state().name()));
    }
    0
}

/// `describeShareGroups`: each group's description, or the exception its future holds.
fn described<'a>(
    opts: &Parsed,
    cluster: &'a Cluster,
    out: &mut Output,
) -> Result<Vec<&'a ShareGroup>, i32> {
    let ids: Vec<String> = if opts.has("all-groups") {
        share_group_ids(cluster)
    } else {
        opts.values("group").iter().map(|s| s.to_string()).collect()
    };
    let mut groups = Vec::new();
    for id in ids {
        match cluster.share_group(&id) {
            Some(g) => groups.push(g),
            None => {
                let why = not_found(cluster, &id);
                print_error(
                    out,
                    &format!(
                        "Executing share group command failed due to org.apache.kafka.common.errors.GroupIdNotFoundException: {why}"
                    ),
                );
                out.errln(&format!(
                    "java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.GroupIdNotFoundException: {why}"
                ));
                return Err(0);
            }
        }
    }
    groups.sort_by(|a, b| a.group_id.cmp(&b.group_id));
    groups.dedup_by(|a, b| a.group_id == b.group_id);
    Ok(groups)
}

fn describe(opts: &Parsed, cluster: &Cluster, out: &mut Output) -> i32 {
    let groups = match described(opts, cluster, out) {
        Ok(g) => g,
        Err(code) => return code,
    };
    let verbose = opts.has("verbose");
    for g in groups {
        if opts.has("members") {
            describe_members(g, verbose, out);
        } else if opts.has("state") {
            describe_state(cluster, g, verbose, out);
        } else {
            describe_offsets(cluster, g, verbose, out);
        }
    }
    0
}

/// `maybePrintEmptyGroupState`: whether the rows follow.
fn maybe_print_empty_group_state(group: &ShareGroup, rows: usize, out: &mut Output) -> bool {
    if group.state() == ShareGroupState::Empty {
        out.errln(&format!(
            "\nShare group '{}' has no active members.",
            group.group_id
        ));
    }
    rows > 0
}

fn describe_offsets(cluster: &Cluster, g: &ShareGroup, verbose: bool, out: &mut Output) {
    if g.partitions.is_empty() {
        out.errln(&format!(
            "\nShare group '{}' has no offset information.",
            g.group_id
        ));
        return;
    }
    let gw = g.group_id.len().max(15);
    let tw = g
        .partitions
        .keys()
        .map(|tp| tp.topic.len())
        .max()
        .unwrap_or(0)
        .max(15);
    if verbose {
        out.out(&format!(
            "\n{:<gw$} {:<tw$} {:<10} {:<13} {:<13} {}",
            "GROUP", "TOPIC", "PARTITION", "LEADER-EPOCH", "START-OFFSET", "LAG"
        ));
    } else {
        out.out(&format!(
            "\n{:<gw$} {:<tw$} {:<10} {:<13} {}",
            "GROUP", "TOPIC", "PARTITION", "START-OFFSET", "LAG"
        ));
    }
    for (tp, sp) in g.partitions.iter() {
        let lag = cluster
            .offsets_of(tp)
            .map_or("-".to_string(), |(_, hw)| sp.lag(hw).to_string());
        if verbose {
            out.out(&format!(
                "\n{:<gw$} {:<tw$} {:<10} {:<13} {:<13} {lag}",
                g.group_id, tp.topic, tp.partition, sp.leader_epoch, sp.start_offset
            ));
        } else {
            out.out(&format!(
                "\n{:<gw$} {:<tw$} {:<10} {:<13} {lag}",
                g.group_id, tp.topic, tp.partition, sp.start_offset
            ));
        }
    }
    out.out("\n");
}

fn describe_state(cluster: &Cluster, g: &ShareGroup, verbose: bool, out: &mut Output) {
    maybe_print_empty_group_state(g, 1, out);
    let coordinator = cluster
        .coordinator(&g.group_id)
        .map_or("-".to_string(), |id| {
            format!("localhost:{}  ({id})", 9091 + id)
        });
    let gw = g.group_id.len().max(15);
    let cw = coordinator.len().max(25);
    let state = g.state().name();
    let members = g.members.len();
    if verbose {
        out.out(&format!(
            "\n{:<gw$} {:<cw$} {:<15} {:<12} {:<17} {}",
            "GROUP", "COORDINATOR (ID)", "STATE", "GROUP-EPOCH", "ASSIGNMENT-EPOCH", "#MEMBERS"
        ));
        out.out(&format!(
            "\n{:<gw$} {:<cw$} {:<15} {:<12} {:<17} {members}",
            g.group_id, coordinator, state, g.group_epoch, g.assignment_epoch
        ));
    } else {
        out.out(&format!(
            "\n{:<gw$} {:<cw$} {:<15} {}",
            "GROUP", "COORDINATOR (ID)", "STATE", "#MEMBERS"
        ));
        out.out(&format!(
            "\n{:<gw$} {:<cw$} {:<15} {members}",
            g.group_id, coordinator, state
        ));
    }
    out.out("\n");
}

/// `getAssignmentString`: `topic:0,1;other:2`, topics sorted.
fn assignment_string(assignment: &[TopicPartition]) -> String {
    let mut topics: Vec<(String, Vec<i32>)> = Vec::new();
    for tp in assignment {
        match topics.iter_mut().find(|(t, _)| *t == tp.topic) {
            Some((_, ps)) => ps.push(tp.partition),
            None => topics.push((tp.topic.clone(), vec![tp.partition])),
        }
    }
    let mut parts: Vec<String> = topics
        .into_iter()
        .map(|(t, mut ps)| {
            ps.sort_unstable();
            let list: Vec<String> = ps.iter().map(i32::to_string).collect();
            format!("{t}:{}", list.join(","))
        })
        .collect();
    parts.sort();
    parts.join(";")
}

fn describe_members(g: &ShareGroup, verbose: bool, out: &mut Output) {
    if !maybe_print_empty_group_state(g, g.members.len(), out) {
        return;
    }
    let mut members: Vec<_> = g.members.values().collect();
    members.sort_by(|a, b| a.member_id.cmp(&b.member_id));
    let gw = g.group_id.len().max(15);
    let iw = members
        .iter()
        .map(|m| m.member_id.len())
        .max()
        .unwrap_or(0)
        .max(15);
    let hw = members
        .iter()
        .map(|m| m.host.len())
        .max()
        .unwrap_or(0)
        .max(15);
    let cw = members
        .iter()
        .map(|m| m.client_id.len())
        .max()
        .unwrap_or(0)
        .max(15);
    if verbose {
        out.out(&format!(
            "\n{:<gw$} {:<iw$} {:<hw$} {:<cw$} {:<12} {:<13} {}",
            "GROUP",
            "CONSUMER-ID",
            "HOST",
            "CLIENT-ID",
            "#PARTITIONS",
            "MEMBER-EPOCH",
            "ASSIGNMENT"
        ));
    } else {
        out.out(&format!(
            "\n{:<gw$} {:<iw$} {:<hw$} {:<cw$} {:<12} {}",
            "GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS", "ASSIGNMENT"
        ));
    }
    for m in members {
        let assignment = assignment_string(&m.assignment);
        if verbose {
            out.out(&format!(
                "\n{:<gw$} {:<iw$} {:<hw$} {:<cw$} {:<12} {:<13} {assignment}",
                g.group_id,
                m.member_id,
                m.host,
                m.client_id,
                m.assignment.len(),
                m.member_epoch
            ));
        } else {
            out.out(&format!(
                "\n{:<gw$} {:<iw$} {:<hw$} {:<cw$} {:<12} {assignment}",
                g.group_id,
                m.member_id,
                m.host,
                m.client_id,
                m.assignment.len()
            ));
        }
    }
    out.out("\n");
}

fn delete(opts: &Parsed, cluster: &mut Cluster, out: &mut Output) -> i32 {
    let ids: Vec<String> = if opts.has("all-groups") {
        share_group_ids(cluster)
    } else {
        let mut seen = Vec::new();
        for g in opts.values("group") {
            if !seen.iter().any(|s: &String| s == g) {
                seen.push(g.to_string());
            }
        }
        seen
    };
    let mut failed: Vec<(String, String)> = Vec::new();
    let mut deleted: Vec<String> = Vec::new();
    for id in ids {
        match cluster.share_group(&id).map(ShareGroup::state) {
            None => failed.push((
                id.clone(),
                format!("java.lang.IllegalArgumentException: Group '{id}' is not a share group."),
            )),
            Some(ShareGroupState::Empty) => {
                cluster.delete_share_group(&id);
                deleted.push(id);
            }
            Some(_) => failed.push((
                id.clone(),
                format!(
                    "org.apache.kafka.common.errors.GroupNotEmptyException: Share group '{id}' is not EMPTY."
                ),
            )),
        }
    }
    let quoted = |ids: &[String]| {
        let mut ids: Vec<String> = ids.iter().map(|g| format!("'{g}'")).collect();
        ids.sort();
        ids.join(", ")
    };
    if failed.is_empty() {
        out.outln(&format!(
            "Deletion of requested share groups ({}) was successful.",
            quoted(&deleted)
        ));
    } else {
        print_error(out, "Deletion of some share groups failed:");
        failed.sort();
        for (group, error) in &failed {
            out.outln(&format!(
                "* Group '{group}' could not be deleted due to: {error}"
            ));
        }
        if !deleted.is_empty() {
            out.outln(&format!(
                "\nThese share groups were deleted successfully: {}",
                quoted(&deleted)
            ));
        }
    }
    0
}

fn delete_offsets(opts: &Parsed, cluster: &mut Cluster, out: &mut Output) -> i32 {
    let group = opts.value("group").unwrap_or_default().to_string();
    let mut topics: Vec<String> = opts.values("topic").iter().map(|t| t.to_string()).collect();
    topics.sort();
    topics.dedup();
    let top_level = match cluster.share_group(&group).map(ShareGroup::state) {
        None => Some(not_found(cluster, &group)),
        Some(ShareGroupState::Empty) => None,
        Some(_) => Some("The group is not empty.".to_string()),
    };
    if let Some(e) = &top_level {
        print_error(out, e);
    }
    let tw = topics.iter().map(String::len).max().unwrap_or(0).max(15);
    out.out(&format!("\n{:<tw$} {}", "TOPIC", "STATUS"));
    let mut done = Vec::new();
    for t in &topics {
        let status = match &top_level {
            Some(e) => format!("Error: {e}"),
            None if cluster.topic(t).is_none() => {
                "Error: This server does not host this topic-partition.".to_string()
            }
            None => {
                done.push(t.clone());
                "Successful".to_string()
            }
        };
        out.out(&format!("\n{t:<tw$} {status}"));
    }
    cluster.delete_share_offsets(&group, &done);
    out.out("\n");
    0
}

fn reset_offsets(opts: &Parsed, cluster: &mut Cluster, out: &mut Output) -> i32 {
    let group = opts.value("group").unwrap_or_default().to_string();
    match cluster.share_group(&group) {
        Some(g) if g.state() != ShareGroupState::Empty => {
            out.errln(&format!("Share group '{group}' is not empty."));
            return 1;
        }
        Some(_) => {}
        None if cluster.group_ids().contains(&group) => {
            // The describe's GroupIdNotFoundException lets the reset go on; altering the offsets
            // then fails the same way.
            let why = not_found(cluster, &group);
            print_error(
                out,
                &format!("Executing share group command failed due to {why}"),
            );
            out.errln(&format!(
                "org.apache.kafka.common.errors.GroupIdNotFoundException: {why}"
            ));
            return 0;
        }
        None => {}
    }
    let mut scope: Vec<TopicPartition> = Vec::new();
    if opts.has("topic") {
        for arg in opts.values("topic") {
            match arg.split_once(':') {
                None => {
                    let n = cluster
                        .topic(arg)
                        .map_or(0, |t| t.partitions().len() as i32);
                    scope.extend((0..n).map(|p| TopicPartition::new(arg, p)));
                }
                Some((topic, list)) => {
                    for p in list.split(',') {
                        match p.trim().parse::<i32>() {
                            Ok(n) => scope.push(TopicPartition::new(topic, n)),
                            Err(_) => {
                                print_error(
                                    out,
                                    &format!(
                                        "Executing share group command failed due to For input string: \"{p}\""
                                    ),
                                );
                                return 0;
                            }
                        }
                    }
                }
            }
        }
    } else if opts.has("all-topics") {
        scope = cluster
            .share_group(&group)
            .map(|g| g.partitions.keys().cloned().collect())
            .unwrap_or_default();
    }
    let missing: Vec<String> = scope
        .iter()
        .filter(|tp| {
            cluster
                .topic(&tp.topic)
                .and_then(|t| t.partition(tp.partition))
                .is_none()
        })
        .map(|tp| tp.to_string())
        .collect();
    if !missing.is_empty() {
        let why = format!("The partitions \"{}\" do not exist", missing.join(","));
        print_error(
            out,
            &format!("Executing share group command failed due to {why}"),
        );
        out.errln(&format!(
            "org.apache.kafka.common.errors.UnknownTopicOrPartitionException: {why}"
        ));
        return 0;
    }
    let mut targets: Vec<(TopicPartition, i64)> = Vec::new();
    for tp in scope {
        let Ok((start, end)) = cluster.offsets_of(&tp) else {
            continue;
        };
        let offset = if opts.has("to-earliest") {
            start
        } else if opts.has("to-latest") {
            end
        } else if let Some(text) = opts.value("to-datetime") {
            let Some(at) = parse_datetime(text) else {
                print_error(
                    out,
                    &format!(
                        "Executing share group command failed due to Unparseable date: \"{text}\""
                    ),
                );
                return 0;
            };
            cluster.offset_for_timestamp(&tp, at).unwrap_or(end)
        } else {
            return usage(
                out,
                "Option '[reset-offsets]' requires one of the following scenarios: [to-earliest], [to-latest], [to-datetime]",
            );
        };
        targets.push((tp, offset));
    }
    targets.sort();
    if opts.has("execute") {
        cluster.reset_share_offsets(&group, &targets);
    }
    let gw = group.len().max(15);
    let tw = targets
        .iter()
        .map(|(tp, _)| tp.topic.len())
        .max()
        .unwrap_or(0)
        .max(15);
    out.out(&format!(
        "\n{:<gw$} {:<tw$} {:<10} {}",
        "GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"
    ));
    for (tp, o) in &targets {
        out.out(&format!(
            "\n{group:<gw$} {:<tw$} {:<10} {o}",
            tp.topic, tp.partition
        ));
    }
    out.out("\n");
    0
}
