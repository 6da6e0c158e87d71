//! `kafka-consumer-groups.sh`: list, describe (offsets, members, state), delete and reset the
//! offsets of classic consumer groups, with Kafka's tables, notes and error texts.
//!
//! Invariant: reads the coordinator's and the offset store's state; changes it only through
//! `Cluster` (delete a group, commit reset offsets), and only when Kafka would allow it.

use super::{BadOption, Opening};
use crate::console::java;
use crate::console::options::{self, HELP, Opt, Parsed, VERSION};
use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};
use crate::console::tools::admin;
use crate::engine::clock::{civil_from_days, format_log_timestamp};
use crate::engine::cluster::PartitionLag;
use crate::engine::error::ErrorCode;
use crate::engine::group::GroupState;
use crate::engine::{Cluster, TopicPartition};

const DESCRIPTION: &str = "This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.";
const RESET_LOGGER: &str = "org.apache.kafka.tools.GroupOffsetsResetter";
const SCENARIOS: [&str; 8] = [
    "to-offset",
    "shift-by",
    "to-datetime",
    "by-duration",
    "to-earliest",
    "to-latest",
    "to-current",
    "from-file",
];

pub const OPTIONS: &[Opt] = &[
    Opt::flag("all-groups", "Apply to all consumer groups."),
    Opt::flag("all-topics", "Consider all topics assigned to a group in the `reset-offsets` process."),
    Opt::string("bootstrap-server", "REQUIRED: The server(s) to connect to.", "server to connect to"),
    Opt::string("by-duration", "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'", "duration"),
    Opt::string("command-config", "Property file containing configs to be passed to Admin Client and Consumer.", "command config property file"),
    Opt::flag("delete", "Pass in groups to delete topic partition offsets and ownership information over the entire consumer group. For instance --group g1 --group g2"),
    Opt::flag("delete-offsets", "Delete offsets of consumer group. Supports one consumer group at the time, and multiple topics."),
    Opt::flag("describe", "Describe consumer group and list offset lag (number of messages not yet processed) related to given group."),
    Opt::flag("dry-run", "Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets."),
    Opt::flag("execute", "Execute operation. Supported operations: reset-offsets."),
    Opt::flag("export", "Export operation execution to a CSV file. Supported operations: reset-offsets."),
    Opt::string("from-file", "Reset offsets to values defined in CSV file.", "path to CSV file"),
    Opt::string("group", "The consumer group we wish to act on.", "consumer group"),
    HELP,
    Opt::flag("list", "List all consumer groups."),
    Opt::flag("members", "Describe members of the group. This option may be used with '--describe' and '--bootstrap-server' options only.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --members"),
    Opt::flag("offsets", "Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action of and may be used with '--describe' and '--bootstrap-server' options only.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --offsets"),
    Opt::flag("reset-offsets", "Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive\nHas 2 execution options: --dry-run (the default) to plan which offsets to reset, and --execute to update the offsets. Additionally, the --export option is used to export the results to a CSV format.\nYou must choose one of the following reset specifications: --to-datetime, --by-duration, --to-earliest, --to-latest, --shift-by, --from-file, --to-current, --to-offset.\nTo define the scope use --all-topics or --topic. One scope must be specified unless you use '--from-file'."),
    Opt::long("shift-by", "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative.", "number-of-offsets"),
    Opt::string("state", "When specified with '--describe', includes the state of the group.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --state\nWhen specified with '--list', it displays the state of all groups. It can also be used to list groups with specific states.\nExample: --bootstrap-server localhost:9092 --list --state stable,empty\nThis option may be used with '--describe', '--list' and '--bootstrap-server' options only.", "").optional(),
    Opt::long("timeout", "The timeout that can be set for some use cases. For example, it can be used when describing the group to specify the maximum amount of time in milliseconds to wait before the group stabilizes (when the group is just created, or is going through some changes).", "timeout (ms)").default("5000"),
    Opt::flag("to-current", "Reset offsets to current offset."),
    Opt::string("to-datetime", "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'", "datetime"),
    Opt::flag("to-earliest", "Reset offsets to earliest offset."),
    Opt::flag("to-latest", "Reset offsets to latest offset."),
    Opt::long("to-offset", "Reset offsets to a specific offset.", "offset"),
    Opt::string("topic", "The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`, where 0,1,2 are the partition to be included in the process. Reset-offsets also supports multiple topic inputs.", "topic"),
    Opt::string("type", "When specified with '--list', it displays the types of all the groups. It can also be used to list groups with specific types.\nExample: --bootstrap-server localhost:9092 --list --type classic,consumer\nThis option may be used with the '--list' option only.", "").optional(),
    Opt::flag("verbose", "Provide additional information, if any, when describing the group. This option may be used with '--offsets'/'--members'/'--state' and '--bootstrap-server' options only.\nExample: --bootstrap-server localhost:9092 --describe --group group1 --members --verbose"),
    VERSION,
];

pub fn run(opts: Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let files = ctx.playground.files.clone();
    let code = execute(opts, &mut ctx.playground.cluster, &files, out);
    ToolResult::Exit(code)
}

fn usage(out: &mut Output, msg: &str) -> i32 {
    options::usage(out, msg, OPTIONS)
}

/// `kafka-consumer-groups.sh`'s opening: a rejected option escapes `main`.
pub const OPENING: Opening = Opening::new(OPTIONS, DESCRIPTION).bad_option(BadOption::Uncaught);

fn execute(
    opts: Parsed,
    cluster: &mut Cluster,
    files: &crate::console::Files,
    out: &mut Output,
) -> i32 {
    for (option, needs) in [
        ("members", &["describe"][..]),
        ("verbose", &["describe"]),
        ("offsets", &["describe"]),
        ("state", &["describe", "list"]),
        ("type", &["list"]),
    ] {
        if opts.has(option) && !needs.iter().any(|n| opts.has(n)) {
            out.errln(&format!(
                "Exception in thread \"main\" joptsimple.UnavailableOptionException: Option(s) [{option}] are unavailable given other options on the command line"
            ));
            return 1;
        }
    }
    if !opts.has("bootstrap-server") {
        return usage(out, &options::missing_required("bootstrap-server"));
    }
    let scope = "[all-groups], [group]";
    if opts.has("describe") {
        if !opts.has("group") && !opts.has("all-groups") {
            return usage(
                out,
                &format!("Option [describe] takes one of these options: {scope}"),
            );
        }
        if ["members", "offsets", "state"]
            .iter()
            .filter(|o| opts.has(o))
            .count()
            > 1
        {
            return usage(
                out,
                "Option [describe] takes at most one of these options: [members], [offsets], [state]",
            );
        }
        if opts.has("state") && opts.value("state").is_some() {
            return usage(out, "Option [describe] does not take a value for [state]");
        }
    }
    if opts.has("delete") {
        if !opts.has("group") && !opts.has("all-groups") {
            return usage(
                out,
                &format!("Option [delete] takes one of these options: {scope}"),
            );
        }
        if opts.has("topic") {
            return usage(
                out,
                "The consumer does not support topic-specific offset deletion from a consumer group.",
            );
        }
    }
    if opts.has("delete-offsets") && (!opts.has("group") || !opts.has("topic")) {
        return usage(
            out,
            "Option [delete-offsets] takes the following options: [topic], [group]",
        );
    }
    if opts.has("reset-offsets") {
        if opts.has("dry-run") && opts.has("execute") {
            return usage(
                out,
                "Option [reset-offsets] only accepts one of [execute] and [dry-run]",
            );
        }
        if !opts.has("dry-run") && !opts.has("execute") {
            out.errln("WARN: No action will be performed as the --execute option is missing.In a future major release, the default behavior of this command will be to prompt the user before executing the reset rather than doing a dry run. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.");
        }
        if !opts.has("group") && !opts.has("all-groups") {
            return usage(
                out,
                &format!("Option [reset-offsets] takes one of these options: {scope}"),
            );
        }
        let given: Vec<&str> = SCENARIOS.iter().copied().filter(|s| opts.has(s)).collect();
        if given.len() > 1 {
            return usage(out, &options::cannot_combine(given[0], given[1]));
        }
    }
    if opts.has("group") && opts.has("all-groups") {
        return usage(out, &options::cannot_combine("group", "all-groups"));
    }
    if opts.has("group") && opts.has("list") {
        return usage(out, &options::cannot_combine("group", "list"));
    }
    if opts.has("topic") && (opts.has("list") || opts.has("describe")) {
        let other = if opts.has("list") { "list" } else { "describe" };
        return usage(out, &options::cannot_combine("topic", other));
    }
    let actions = [
        "list",
        "describe",
        "delete",
        "reset-offsets",
        "delete-offsets",
    ];
    if actions.iter().filter(|a| opts.has(a)).count() != 1 {
        return usage(
            out,
            "Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets",
        );
    }
    let groups: Vec<String> = if opts.has("all-groups") {
        cluster.group_ids()
    } else {
        opts.values("group").iter().map(|s| s.to_string()).collect()
    };
    if opts.has("list") {
        list(&opts, cluster, out)
    } else if opts.has("describe") {
        describe(&opts, cluster, &groups, out)
    } else if opts.has("delete") {
        delete(cluster, &groups, out)
    } else if opts.has("reset-offsets") {
        reset_offsets(&opts, cluster, files, &groups, out)
    } else {
        delete_offsets(&opts, cluster, &groups, out)
    }
}

/// A group's state as the coordinator reports it (offsets only → Empty).
fn state_of(cluster: &Cluster, group: &str) -> Option<GroupState> {
    match cluster.group(group) {
        Some(g) => Some(g.state()),
        None if cluster.offset_store().has_group(group) => Some(GroupState::Empty),
        None => None,
    }
}

fn list(opts: &options::Parsed, cluster: &Cluster, out: &mut Output) -> i32 {
    let ids = cluster.group_ids();
    if !opts.has("state") && !opts.has("type") {
        for id in ids {
            out.outln(&id);
        }
        return 0;
    }
    // ASCII case folding: the state names are ASCII, and `str::to_lowercase` would bring
    // Unicode's case tables into the wasm for nothing.
    let states: Vec<String> = match opts.value("state") {
        Some(list) => {
            let valid = [
                "preparingrebalance",
                "completingrebalance",
                "stable",
                "dead",
                "empty",
                "assigning",
                "reconciling",
                "unknown",
            ];
            let wanted: Vec<String> = list
                .split(',')
                .map(|s| s.trim().to_ascii_lowercase())
                .filter(|s| !s.is_empty())
                .collect();
            if let Some(bad) = wanted.iter().find(|s| !valid.contains(&s.as_str())) {
                let _ = bad;
                out.outln(&format!(
                    "\nError: Executing consumer group command failed due to Invalid state list '{list}'. Valid states are: PreparingRebalance, CompletingRebalance, Stable, Dead, Empty, Assigning, Reconciling, Unknown"
                ));
                return 0;
            }
            wanted
        }
        None => vec![],
    };
    // Kafka: tools/src/main/java/org/apache/kafka/tools/consumer/group/ConsumerGroupCommand.java
    // (consumerGroupTypesFromString; GroupType: Consumer, Classic, Share, Streams)
    let types: Vec<String> = match opts.value("type") {
        Some(list) if !list.is_empty() => {
            let valid = ["consumer", "classic", "share", "streams"];
            let wanted: Vec<String> = list
                .to_ascii_lowercase()
                .split(',')
                .map(|s| s.trim().to_string())
                .collect();
            if wanted.iter().any(|s| !valid.contains(&s.as_str())) {
                out.outln(&format!(
                    "\nError: Executing consumer group command failed due to Invalid types list '{list}'. Valid types are: Consumer, Classic, Share, Streams"
                ));
                return 0;
            }
            wanted
        }
        _ => vec![],
    };
    let type_of = |id: &str| match cluster.group(id).and_then(|g| g.consumer()) {
        Some(_) => "Consumer",
        None => "Classic",
    };
    let ids: Vec<String> = ids
        .into_iter()
        .filter(|id| types.is_empty() || types.contains(&type_of(id).to_ascii_lowercase()))
        .collect();
    let width = ids.iter().map(String::len).max().unwrap_or(0).max(15) + 10;
    let mut header = format!("{:<width$}", "GROUP");
    if opts.has("type") {
        header.push_str(&format!(" {:<20}", "TYPE"));
    }
    if opts.has("state") {
        header.push_str(&format!(" {:<20}", "STATE"));
    }
    out.outln(&header);
    for id in ids {
        let state = state_of(cluster, &id).unwrap_or(GroupState::Dead).name();
        if !states.is_empty() && !states.contains(&state.to_ascii_lowercase()) {
            continue;
        }
        let mut row = format!("{id:<width$}");
        if opts.has("type") {
            // `GroupType.toString()`: a consumer-protocol group is `Consumer`.
            row.push_str(&format!(" {:<20}", type_of(&id)));
        }
        if opts.has("state") {
            row.push_str(&format!(" {state:<20}"));
        }
        out.outln(&row);
    }
    0
}

/// The stderr note describe prints before a group's table; false when the group is missing.
fn state_note(cluster: &Cluster, group: &str, out: &mut Output) -> Option<GroupState> {
    let Some(state) = state_of(cluster, group) else {
        out.outln(&format!(
            "\nError: Executing consumer group command failed due to org.apache.kafka.common.errors.GroupIdNotFoundException: Group {group} not found."
        ));
        out.errln(&format!(
            "java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.GroupIdNotFoundException: Group {group} not found."
        ));
        let ids = cluster.group_ids();
        crate::console::near_miss::note(out, "group", group, ids.iter().map(String::as_str));
        return None;
    };
    match state {
        GroupState::Empty => out.errln(&format!(
            "\nConsumer group '{group}' has no active members."
        )),
        GroupState::PreparingRebalance
        | GroupState::CompletingRebalance
        | GroupState::Assigning
        | GroupState::Reconciling => out.errln(&format!(
            "\nWarning: Consumer group '{group}' is rebalancing."
        )),
        GroupState::Dead => out.outln(&format!(
            "\nError: Consumer group '{group}' does not exist."
        )),
        GroupState::Stable => {}
    }
    Some(state)
}

fn broker_address(id: i32) -> String {
    format!("localhost:{}", 9091 + id)
}

fn describe(
    opts: &options::Parsed,
    cluster: &mut Cluster,
    groups: &[String],
    out: &mut Output,
) -> i32 {
    let offsets_wanted = !opts.has("members") && !opts.has("state");
    if offsets_wanted {
        if let Err(e) = await_log_end_offsets(opts, cluster, groups) {
            out.outln(&format!(
                "\nError: Executing consumer group command failed due to {e}"
            ));
            return 0;
        }
    }
    let cluster: &Cluster = cluster;
    for group in groups {
        let Some(state) = state_note(cluster, group, out) else {
            continue;
        };
        if opts.has("members") {
            describe_members(cluster, group, opts.has("verbose"), out);
        } else if opts.has("state") {
            describe_state(cluster, group, state, opts.has("verbose"), out);
        } else {
            describe_offsets(cluster, group, opts.has("verbose"), out);
        }
    }
    0
}

/// The partitions a group's offsets table shows: the members' assignments and the committed
/// offsets.
fn group_partitions(cluster: &Cluster, group: &str) -> Vec<TopicPartition> {
    let mut tps: Vec<TopicPartition> = cluster
        .offset_store()
        .offsets(group)
        .map(|(tp, _)| tp.clone())
        .collect();
    if let Some(g) = cluster.group(group) {
        tps.extend(
            g.members()
                .values()
                .flat_map(|m| m.assignment.iter().cloned()),
        );
    }
    tps
}

/// The describe command asks every partition's leader for its log end offset (`ListOffsets`,
/// all at once, within `--timeout`).
fn await_log_end_offsets(
    opts: &options::Parsed,
    cluster: &mut Cluster,
    groups: &[String],
) -> Result<(), String> {
    let tps: Vec<TopicPartition> = groups
        .iter()
        .flat_map(|g| group_partitions(cluster, g))
        .collect();
    await_leaders(opts, cluster, &tps)
}

/// `ListOffsets` for these partitions, retried within `--timeout`: in Kafka 4.1 one partition
/// without a leader fails the whole command (`all().get()`) once the timeout has passed.
/// Partitions that do not exist are left to the caller.
fn await_leaders(
    opts: &options::Parsed,
    cluster: &mut Cluster,
    tps: &[TopicPartition],
) -> Result<(), String> {
    let exists = |c: &Cluster, tp: &TopicPartition| {
        c.topic(&tp.topic)
            .is_some_and(|t| t.partition(tp.partition).is_some())
    };
    let timeout = opts.long("timeout").ok().flatten().unwrap_or(5_000);
    let answered = |c: &Cluster| {
        tps.iter()
            .all(|tp| !exists(c, tp) || c.offsets_of(tp).is_ok())
    };
    if admin::retry_until(cluster, timeout, answered) {
        return Ok(());
    }
    Err(format!(
        "java.util.concurrent.ExecutionException: {}",
        admin::leader_lookup_timeout("listOffsets")
    ))
}

struct OffsetRow {
    offsets: PartitionLag,
    consumer: String,
    host: String,
    client: String,
}

fn describe_offsets(cluster: &Cluster, group: &str, verbose: bool, out: &mut Output) {
    let mut rows: Vec<OffsetRow> = Vec::new();
    let mut owned: Vec<TopicPartition> = Vec::new();
    if let Some(g) = cluster
        .group(group)
        .filter(|g| g.state() == GroupState::Stable || g.consumer().is_some())
    {
        // Members with the most partitions first; within a member, Java HashMap order.
        let mut members: Vec<_> = g
            .members()
            .values()
            .filter(|m| !m.assignment.is_empty())
            .collect();
        crate::sort::sort_by_key(&mut members, |m| std::cmp::Reverse(m.assignment.len()));
        for m in members {
            let keyed: Vec<(TopicPartition, i32)> = m
                .assignment
                .iter()
                .map(|tp| {
                    (
                        tp.clone(),
                        java::topic_partition_hash(&tp.topic, tp.partition),
                    )
                })
                .collect();
            for tp in java::hashmap_order(&keyed, None) {
                owned.push(tp.clone());
                rows.push(OffsetRow {
                    offsets: cluster.partition_lag(group, &tp),
                    consumer: m.member_id.clone(),
                    host: m.client_host.clone(),
                    client: m.client_id.clone(),
                });
            }
        }
    }
    let unowned: Vec<(TopicPartition, i32)> = cluster
        .offset_store()
        .offsets(group)
        .map(|(tp, _)| tp.clone())
        .filter(|tp| !owned.contains(tp))
        .map(|tp| {
            let h = java::topic_partition_hash(&tp.topic, tp.partition);
            (tp, h)
        })
        .collect();
    for tp in java::hashmap_order(&unowned, None) {
        rows.push(OffsetRow {
            offsets: cluster.partition_lag(group, &tp),
            consumer: "-".into(),
            host: "-".into(),
            client: "-".into(),
        });
    }
    if rows.is_empty() {
        return;
    }
    let gw = group.len().max(15);
    let tw = rows
        .iter()
        .map(|r| r.offsets.tp.topic.len())
        .max()
        .unwrap_or(0)
        .max(15);
    let cw = rows
        .iter()
        .map(|r| r.consumer.len())
        .max()
        .unwrap_or(0)
        .max(15);
    let hw = rows.iter().map(|r| r.host.len()).max().unwrap_or(0).max(15);
    let line = |cols: [&str; 9], epoch: Option<&str>| -> String {
        let epoch = epoch.map_or(String::new(), |e| format!("{e:<15} "));
        format!(
            "\n{:<gw$} {:<tw$} {:<10} {epoch}{:<15} {:<15} {:<15} {:<cw$} {:<hw$} {}",
            cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7], cols[8]
        )
    };
    let header = [
        "GROUP",
        "TOPIC",
        "PARTITION",
        "CURRENT-OFFSET",
        "LOG-END-OFFSET",
        "LAG",
        "CONSUMER-ID",
        "HOST",
        "CLIENT-ID",
    ];
    out.out(&line(header, verbose.then_some("LEADER-EPOCH")));
    for r in &rows {
        let current = r
            .offsets
            .committed
            .map_or("-".to_string(), |c| c.to_string());
        let lag = r.offsets.lag().map_or("-".to_string(), |l| l.to_string());
        let end = r.offsets.log_end_offset.unwrap_or(0).to_string();
        let partition = r.offsets.tp.partition.to_string();
        out.out(&line(
            [
                group,
                &r.offsets.tp.topic,
                &partition,
                &current,
                &end,
                &lag,
                &r.consumer,
                &r.host,
                &r.client,
            ],
            verbose.then_some("-"),
        ));
    }
    out.out("\n");
}

fn describe_members(cluster: &Cluster, group: &str, verbose: bool, out: &mut Output) {
    let g = cluster.group(group);
    let consumer = g.and_then(|g| g.consumer());
    // A consumer-protocol member owns its current assignment in every state.
    let stable = g.is_some_and(|g| g.state() == GroupState::Stable) || consumer.is_some();
    let members: Vec<_> = g
        .map(|g| g.members().values().collect())
        .unwrap_or_default();
    let width = |f: &dyn Fn(&crate::engine::group::Member) -> usize| {
        members.iter().map(|m| f(m)).max().unwrap_or(0).max(15)
    };
    let gw = group.len().max(15);
    let cw = width(&|m| m.member_id.len());
    let hw = width(&|m| m.client_host.len());
    let lw = width(&|m| m.client_id.len());
    // A GROUP-INSTANCE-ID column appears only when some member is static.
    let iw = members
        .iter()
        .any(|m| m.group_instance_id.is_some())
        .then(|| {
            members
                .iter()
                .map(|m| m.group_instance_id.as_deref().map_or(1, str::len))
                .max()
                .unwrap_or(0)
                .max(17)
        });
    let target_of = |m: &crate::engine::group::Member| -> Vec<TopicPartition> {
        consumer
            .and_then(|c| c.member(&m.member_id))
            .map(|c| c.target.clone())
            .unwrap_or_default()
    };
    let partitions_text = |tps: &[TopicPartition], stable: bool| -> String {
        let mut by_topic: crate::vec_map::VecMap<&str, Vec<i32>> = Default::default();
        for tp in tps {
            by_topic
                .entry(tp.topic.as_str())
                .or_default()
                .push(tp.partition);
        }
        if by_topic.is_empty() || !stable {
            return "-".into();
        }
        by_topic
            .iter_mut()
            .map(|(t, ps)| {
                crate::sort::sort(ps);
                let ps: Vec<String> = ps.iter().map(|p| p.to_string()).collect();
                format!("{t}:{}", ps.join(","))
            })
            .collect::<Vec<_>>()
            .join(";")
    };
    let assignment_text =
        |m: &crate::engine::group::Member| -> String { partitions_text(&m.assignment, stable) };
    let aw = members
        .iter()
        .map(|m| assignment_text(m).len())
        .max()
        .unwrap_or(0)
        .max(20);
    let tw = members
        .iter()
        .map(|m| partitions_text(&target_of(m), true).len())
        .max()
        .unwrap_or(0)
        .max(20);
    let row = |cols: [&str; 5], instance: Option<&str>, extra: Option<[&str; 4]>| -> String {
        let mut line = format!("\n{:<gw$} {:<cw$} ", cols[0], cols[1]);
        if let Some(iw) = iw {
            line.push_str(&format!("{:<iw$} ", instance.unwrap_or("-")));
        }
        line.push_str(&format!(
            "{:<hw$} {:<lw$} {:<15} ",
            cols[2], cols[3], cols[4]
        ));
        if let Some(e) = extra {
            line.push_str(&format!(
                "{:<15} {:<aw$} {:<15} {:<tw$} ",
                e[0], e[1], e[2], e[3]
            ));
        }
        line
    };
    let header_extra = verbose.then_some([
        "CURRENT-EPOCH",
        "CURRENT-ASSIGNMENT",
        "TARGET-EPOCH",
        "TARGET-ASSIGNMENT",
    ]);
    out.out(&row(
        ["GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS"],
        Some("GROUP-INSTANCE-ID"),
        header_extra,
    ));
    for m in &members {
        let count = if stable { m.assignment.len() } else { 0 };
        let assigned = assignment_text(m);
        // Classic groups have no epochs and no target assignment.
        let (epoch, target_epoch, target) = match consumer {
            Some(c) => (
                c.member(&m.member_id)
                    .map_or("-".to_string(), |cm| cm.member_epoch.to_string()),
                c.target_assignment_epoch().to_string(),
                partitions_text(&target_of(m), true),
            ),
            None => ("-".into(), "-".into(), "-".into()),
        };
        let extra = verbose.then_some([
            epoch.as_str(),
            assigned.as_str(),
            target_epoch.as_str(),
            target.as_str(),
        ]);
        let count = count.to_string();
        out.out(&row(
            [group, &m.member_id, &m.client_host, &m.client_id, &count],
            m.group_instance_id.as_deref(),
            extra,
        ));
    }
    out.out("\n");
}

/// `--describe --state`; `--verbose` adds the group epoch and the target assignment epoch
/// (KIP-1099), `-` for a classic group.
// Kafka: tools/src/main/java/org/apache/kafka/tools/consumer/group/ConsumerGroupCommand.java
// (printStates)
fn describe_state(
    cluster: &Cluster,
    group: &str,
    state: GroupState,
    verbose: bool,
    out: &mut Output,
) {
    let coordinator = cluster.coordinator(group).map_or("-".to_string(), |id| {
        format!("{}  ({id})", broker_address(id))
    });
    let g = cluster.group(group);
    let consumer = g.and_then(|g| g.consumer());
    // A consumer-protocol group names its server-side assignor in every state.
    let strategy = match consumer {
        Some(c) => c.assignor().name(),
        None => g
            .and_then(|g| g.protocol())
            .filter(|_| state != GroupState::Empty)
            .map_or("-", |s| s.name()),
    };
    let (epoch, target_epoch) = match (g, consumer) {
        (Some(g), Some(c)) => (
            g.generation_id().to_string(),
            c.target_assignment_epoch().to_string(),
        ),
        _ => ("-".to_string(), "-".to_string()),
    };
    let members = g.map_or(0, |g| g.members().len());
    let gw = group.len().max(15);
    let cw = coordinator.len().max(25);
    let line = |cols: [&str; 7]| {
        let mut line = format!(
            "\n{:<gw$} {:<cw$} {:<20} {:<20} ",
            cols[0], cols[1], cols[2], cols[3]
        );
        if verbose {
            line.push_str(&format!("{:<15} {:<25} ", cols[4], cols[5]));
        }
        line.push_str(cols[6]);
        line
    };
    out.out(&line([
        "GROUP",
        "COORDINATOR (ID)",
        "ASSIGNMENT-STRATEGY",
        "STATE",
        "GROUP-EPOCH",
        "TARGET-ASSIGNMENT-EPOCH",
        "#MEMBERS",
    ]));
    out.out(&line([
        group,
        &coordinator,
        strategy,
        state.name(),
        &epoch,
        &target_epoch,
        &members.to_string(),
    ]));
    out.out("\n");
}

fn delete(cluster: &mut Cluster, groups: &[String], out: &mut Output) -> i32 {
    let mut ok = Vec::new();
    let mut failed = Vec::new();
    for g in groups {
        match cluster.delete_group(g) {
            Ok(()) => ok.push(g.clone()),
            Err(e) => failed.push((g.clone(), e.to_string())),
        }
    }
    let quoted = |list: &[String]| {
        list.iter()
            .map(|g| format!("'{g}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if failed.is_empty() {
        out.outln(&format!(
            "Deletion of requested consumer groups ({}) was successful.",
            quoted(&ok)
        ));
        return 0;
    }
    out.outln("\nError: Deletion of some consumer groups failed:");
    for (g, e) in &failed {
        out.outln(&format!("* Group '{g}' could not be deleted due to: {e}"));
    }
    if !ok.is_empty() {
        out.outln(&format!(
            "\nThese consumer groups were deleted successfully: {}",
            quoted(&ok)
        ));
    }
    0
}

/// `--topic t` or `--topic t:0,2`; `--all-topics` = every partition with a committed offset.
fn reset_scope(
    opts: &options::Parsed,
    cluster: &Cluster,
    group: &str,
) -> Result<Vec<TopicPartition>, String> {
    if opts.has("all-topics") {
        return Ok(cluster
            .offset_store()
            .offsets(group)
            .map(|(tp, _)| tp.clone())
            .collect());
    }
    let mut out = Vec::new();
    for arg in opts.values("topic") {
        let parts: Vec<&str> = arg.split(':').collect();
        match parts.as_slice() {
            [topic] => {
                let count = cluster
                    .topic(topic)
                    .map_or(0, |t| t.partitions().len() as i32);
                out.extend((0..count).map(|p| TopicPartition::new(*topic, p)));
            }
            [topic, list] => {
                for p in list.split(',') {
                    let n: i32 = p.trim().parse().map_err(|_| {
                        format!("Invalid partition '{p}' specified in topic arg '{arg}''")
                    })?;
                    out.push(TopicPartition::new(*topic, n));
                }
            }
            _ => {
                return Err(format!(
                    "Invalid topic arg '{arg}', expected topic name and partitions"
                ));
            }
        }
    }
    Ok(out)
}

/// `yyyy-MM-dd'T'HH:mm:ss.SSS` with an optional zone (`Z`, `+hh:mm`); UTC without one.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let (main, offset_min) = match text
        .find(['Z', '+'])
        .or_else(|| text.rfind('-').filter(|i| *i > 10))
    {
        Some(i) => {
            let zone = &text[i..];
            let off = if zone == "Z" {
                0
            } else {
                let sign = if zone.starts_with('-') { -1 } else { 1 };
                let (h, m) = zone[1..].split_once(':').unwrap_or((&zone[1..], "0"));
                sign * (h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?)
            };
            (&text[..i], off)
        }
        None => (text, 0),
    };
    let (date, time) = main.split_once('T')?;
    let d: Vec<i64> = date
        .split('-')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    let (hms, millis) = time.split_once('.').unwrap_or((time, "0"));
    let t: Vec<i64> = hms
        .split(':')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    if d.len() != 3 || t.len() != 3 {
        return None;
    }
    let days = days_from_civil(d[0], d[1], d[2])?;
    let ms = millis.parse::<i64>().ok()?;
    Some(((days * 24 + t[0]) * 60 + t[1] - offset_min) * 60_000 + t[2] * 1000 + ms)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> Option<i64> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Search near the estimate with the inverse we already trust.
    let estimate = (y - 1970) * 365 + (y - 1969) / 4 + (m - 1) * 30 + d - 1;
    (estimate - 40..estimate + 40).find(|&days| {
        let (yy, mm, dd) = civil_from_days(days);
        yy == y && mm as i64 == m && dd as i64 == d
    })
}

/// `PnDTnHnMnS` (Java `Duration.parse`, the common forms).
fn parse_duration(text: &str) -> Option<i64> {
    let rest = text.strip_prefix('P').or_else(|| text.strip_prefix('p'))?;
    let (days, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut ms = 0i64;
    if !days.is_empty() {
        ms += days.strip_suffix('D')?.parse::<i64>().ok()? * 86_400_000;
    }
    let mut num = String::new();
    for c in time.chars() {
        match c {
            'H' => ms += crate::decimal::parse_f64(&num)? as i64 * 3_600_000,
            'M' => ms += crate::decimal::parse_f64(&num)? as i64 * 60_000,
            'S' => ms += (crate::decimal::parse_f64(&num)? * 1000.0) as i64,
            c if c.is_ascii_digit() || c == '.' || c == '-' => {
                num.push(c);
                continue;
            }
            _ => return None,
        }
        num.clear();
    }
    num.is_empty().then_some(ms)
}

fn reset_offsets(
    opts: &options::Parsed,
    cluster: &mut Cluster,
    files: &crate::console::Files,
    groups: &[String],
    out: &mut Output,
) -> i32 {
    let Some(scenario) = SCENARIOS.iter().find(|s| opts.has(s)).copied() else {
        return usage(
            out,
            "Option '[reset-offsets]' requires one of the following scenarios: [to-offset], [shift-by], [to-datetime], [by-duration], [to-earliest], [to-latest], [to-current], [from-file]",
        );
    };
    if scenario != "from-file" && !opts.has("all-topics") && !opts.has("topic") {
        return usage(
            out,
            "One of the reset scopes should be defined: --all-topics, --topic.",
        );
    }
    let mut exported: Vec<(String, TopicPartition, i64)> = Vec::new();
    for group in groups {
        if let Some(state) = state_of(cluster, group) {
            if !matches!(state, GroupState::Empty | GroupState::Dead) {
                out.outln(&format!(
                    "\nError: Assignments can only be reset if the group '{group}' is inactive, but the current state is {}.",
                    state.name()
                ));
                out.outln(&format!(
                    "\n{:<15} {:<15} {:<10} {}",
                    "GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"
                ));
                continue;
            }
        }
        let targets: Vec<(TopicPartition, i64)> = if scenario == "from-file" {
            match from_file(
                opts.value("from-file").unwrap_or_default(),
                files,
                groups.len() == 1,
            ) {
                Ok(list) => list,
                Err(e) => {
                    out.outln(&format!(
                        "\nError: Executing consumer group command failed due to {e}"
                    ));
                    return 0;
                }
            }
        } else {
            let scope = match reset_scope(opts, cluster, group) {
                Ok(s) => s,
                Err(msg) => return usage(out, &msg),
            };
            // Only partitions without a committed offset need their leader for to-current.
            let asked: Vec<TopicPartition> = scope
                .iter()
                .filter(|tp| {
                    scenario != "to-current" || cluster.committed_offset(group, tp).is_none()
                })
                .cloned()
                .collect();
            if let Err(e) = await_leaders(opts, cluster, &asked) {
                out.outln(&format!(
                    "\nError: Executing consumer group command failed due to {e}"
                ));
                return 0;
            }
            let mut list = Vec::new();
            for tp in scope {
                let known = cluster
                    .topic(&tp.topic)
                    .is_some_and(|t| t.partition(tp.partition).is_some());
                let offsets = cluster.offsets_of(&tp);
                let Some((start, end)) = known.then(|| offsets.unwrap_or((0, 0))) else {
                    out.outln("\nError: Executing consumer group command failed due to org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.");
                    return 0;
                };
                let committed = cluster.committed_offset(group, &tp);
                let target = match scenario {
                    "to-earliest" => start,
                    "to-latest" => end,
                    "to-current" => committed.unwrap_or(end),
                    "to-offset" => opts.long("to-offset").ok().flatten().unwrap_or(0),
                    "shift-by" => match committed {
                        Some(c) => {
                            c.saturating_add(opts.long("shift-by").ok().flatten().unwrap_or(0))
                        }
                        None => {
                            out.outln(&format!("\nError: Executing consumer group command failed due to Cannot shift offset for partition {tp} since there is no current committed offset"));
                            return 0;
                        }
                    },
                    _ => {
                        let text = opts.value(scenario).unwrap_or_default();
                        let at = if scenario == "to-datetime" {
                            parse_datetime(text)
                        } else {
                            parse_duration(text).map(|d| cluster.now_ms() - d)
                        };
                        let Some(at) = at else {
                            // Java's own texts: SimpleDateFormat and Duration.parse.
                            let why = if scenario == "to-datetime" {
                                format!("Unparseable date: \"{text}\"")
                            } else {
                                "Text cannot be parsed to a Duration".to_string()
                            };
                            out.outln(&format!(
                                "\nError: Executing consumer group command failed due to {why}"
                            ));
                            return 0;
                        };
                        match first_offset_at(cluster, &tp, at) {
                            Some(o) => o,
                            None => {
                                out.outln(&format!("\nWarn: Partition {} from topic {} is empty. Falling back to latest known offset.", tp.partition, tp.topic));
                                end
                            }
                        }
                    }
                };
                list.push((tp, target));
            }
            list
        };
        // Every target is clamped to the partition's offsets, with Kafka's warnings (to-current
        // keeps a committed offset of a partition whose leader is away as it is).
        if scenario == "from-file" {
            let tps: Vec<TopicPartition> = targets.iter().map(|(tp, _)| tp.clone()).collect();
            if let Err(e) = await_leaders(opts, cluster, &tps) {
                out.outln(&format!(
                    "\nError: Executing consumer group command failed due to {e}"
                ));
                return 0;
            }
        }
        let mut result = Vec::new();
        for (tp, target) in targets {
            let (start, end) = match cluster.offsets_of(&tp) {
                Ok(offsets) => offsets,
                Err(e) if e.code != ErrorCode::UnknownTopicOrPartition => {
                    result.push((tp, target));
                    continue;
                }
                Err(_) => (0, 0),
            };
            let ts = format_log_timestamp(cluster.now_ms());
            let value = if target > end {
                out.errln(&format!("[{ts}] WARN New offset ({target}) is higher than latest offset for topic partition {tp}. Value will be set to {end}. ({RESET_LOGGER})"));
                end
            } else if target < start {
                out.errln(&format!("[{ts}] WARN New offset ({target}) is lower than earliest offset for topic partition {tp}. Value will be set to {start}. ({RESET_LOGGER})"));
                start
            } else {
                target
            };
            result.push((tp, value));
        }
        if opts.has("execute") {
            for (tp, offset) in &result {
                cluster.commit_offset(group, tp.clone(), *offset);
            }
        }
        if opts.has("export") {
            exported.extend(result.into_iter().map(|(tp, o)| (group.clone(), tp, o)));
            continue;
        }
        if result.is_empty() {
            continue;
        }
        let keyed: Vec<((TopicPartition, i64), i32)> = result
            .iter()
            .map(|(tp, o)| {
                (
                    (tp.clone(), *o),
                    java::topic_partition_hash(&tp.topic, tp.partition),
                )
            })
            .collect();
        let rows = java::hashmap_order(&keyed, None);
        let gw = group.len().max(15);
        let tw = rows
            .iter()
            .map(|(tp, _)| tp.topic.len())
            .max()
            .unwrap_or(0)
            .max(15);
        out.out(&format!(
            "\n{:<gw$} {:<tw$} {:<10} {}",
            "GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"
        ));
        for (tp, o) in rows {
            out.out(&format!(
                "\n{group:<gw$} {:<tw$} {:<10} {o}",
                tp.topic, tp.partition
            ));
        }
        out.out("\n");
    }
    if opts.has("export") {
        let several = groups.len() > 1;
        for (g, tp, o) in exported {
            if several {
                out.outln(&format!("{g},{},{},{o}", tp.topic, tp.partition));
            } else {
                out.outln(&format!("{},{},{o}", tp.topic, tp.partition));
            }
        }
        out.outln("");
    }
    0
}

/// The first offset whose record has a timestamp ≥ `at` (`ListOffsets` by timestamp).
fn first_offset_at(cluster: &Cluster, tp: &TopicPartition, at: i64) -> Option<i64> {
    let p = cluster.topic(&tp.topic)?.partition(tp.partition)?;
    p.log()
        .records()
        .iter()
        .take_while(|r| r.offset < p.high_watermark())
        .find(|r| r.timestamp >= at)
        .map(|r| r.offset)
}

/// `--from-file`: `topic,partition,offset` (one group) or `group,topic,partition,offset` lines.
fn from_file(
    path: &str,
    files: &crate::console::Files,
    single: bool,
) -> Result<Vec<(TopicPartition, i64)>, String> {
    let text = files
        .read(path)
        .ok_or_else(|| format!("java.nio.file.NoSuchFileException: {path}"))?;
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split(',').map(str::trim).collect();
        let (topic, partition, offset) = match (cols.as_slice(), single) {
            ([t, p, o], true) => (*t, *p, *o),
            ([_, t, p, o], _) => (*t, *p, *o),
            _ => return Err(format!("Bad CSV line: {line}")),
        };
        let p: i32 = partition
            .parse()
            .map_err(|_| format!("Bad CSV line: {line}"))?;
        let o: i64 = offset
            .parse()
            .map_err(|_| format!("Bad CSV line: {line}"))?;
        out.push((TopicPartition::new(topic, p), o));
    }
    Ok(out)
}

fn delete_offsets(
    opts: &options::Parsed,
    cluster: &mut Cluster,
    groups: &[String],
    out: &mut Output,
) -> i32 {
    let Some(group) = groups.first() else {
        return 0;
    };
    if state_of(cluster, group).is_none() {
        out.outln(
            "\nError: Executing consumer group command failed due to The group id does not exist.",
        );
        return 0;
    }
    // The members' groups use the consumer protocol (embedded or KIP-848), so a group with
    // members passes `validateOffsetDelete`; each topic a member subscribes to is refused
    // partition by partition, and every other requested partition is answered (and its
    // offset, if any, deleted).
    // Kafka: group-coordinator/src/main/java/org/apache/kafka/coordinator/group/OffsetMetadataManager.java
    // (deleteOffsets: isSubscribedToTopic → GROUP_SUBSCRIBED_TO_TOPIC), classic/ClassicGroup.java
    // (validateOffsetDelete, isSubscribedToTopic); the row is the admin future's
    // ExecutionException message.
    let subscribed: crate::vec_map::VecSet<String> = cluster
        .group(group)
        .map(|g| {
            g.members()
                .values()
                .flat_map(|m| m.topics.iter().cloned())
                .collect()
        })
        .unwrap_or_default();
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for arg in opts.values("topic") {
        let topic = arg.split(':').next().unwrap_or(arg);
        match cluster.topic(topic) {
            None => rows.push((
                topic.to_string(),
                "-".into(),
                "Error: This server does not host this topic-partition.".into(),
            )),
            Some(t) if subscribed.contains(topic) => {
                for p in 0..t.partitions().len() as i32 {
                    rows.push((
                        topic.to_string(),
                        p.to_string(),
                        "Error: org.apache.kafka.common.errors.GroupSubscribedToTopicException: Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.".into(),
                    ));
                }
            }
            Some(t) => {
                for p in 0..t.partitions().len() as i32 {
                    rows.push((topic.to_string(), p.to_string(), "Successful".into()));
                }
            }
        }
    }
    let tps: Vec<TopicPartition> = rows
        .iter()
        .filter(|r| r.2 == "Successful")
        .filter_map(|r| {
            r.1.parse()
                .ok()
                .map(|p| TopicPartition::new(r.0.clone(), p))
        })
        // A tombstone only where an offset was committed.
        .filter(|tp| cluster.committed_offset(group, tp).is_some())
        .collect();
    cluster.delete_offsets(group, &tps);
    if rows
        .iter()
        .any(|r| r.0 != "-" && r.2.starts_with("Error: org."))
    {
        // Kafka: tools/src/main/java/org/apache/kafka/tools/consumer/group/ConsumerGroupCommand.java
        // (deleteOffsets: GROUP_SUBSCRIBED_TO_TOPIC at the top level, printError)
        out.outln("\nError: Encountered some partition-level error, see the follow-up details.");
    } else {
        out.outln(&format!(
            "Request succeeded for deleting offsets from group {group}."
        ));
    }
    let tw = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(15);
    out.out(&format!(
        "\n{:<tw$} {:<10} {:<15}",
        "TOPIC", "PARTITION", "STATUS"
    ));
    crate::sort::sort_by_key(&mut rows, |r| r.0.clone() + &r.1);
    for (t, p, s) in rows {
        out.out(&format!("\n{t:<tw$} {p:<10} {s:<15}"));
    }
    out.out("\n");
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_and_durations() {
        assert_eq!(
            parse_datetime("2025-01-01T00:00:00.000"),
            Some(1_735_689_600_000)
        );
        assert_eq!(
            parse_datetime("2025-01-01T01:00:00.000+01:00"),
            Some(1_735_689_600_000)
        );
        assert_eq!(
            parse_datetime("2025-01-01T00:00:01.500Z"),
            Some(1_735_689_601_500)
        );
        assert_eq!(parse_datetime("yesterday"), None);
        assert_eq!(parse_duration("PT1H30M"), Some(5_400_000));
        assert_eq!(parse_duration("P1DT2S"), Some(86_402_000));
        assert_eq!(parse_duration("1h"), None);
    }
}
