//! `kafka-reassign-partitions.sh`: generate, execute, verify, cancel and list partition
//! reassignments, with Kafka's JSON in and out and its status lines.

use crate::vec_map::VecMap;

use super::Opening;
use crate::console::json_file;
use crate::console::options::{self, HELP, Opt, Parsed, VERSION};
use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};
use crate::console::tools::admin;
use crate::engine::placement::assign_replicas;
use crate::engine::{BrokerId, Cluster, TopicPartition};

const DESCRIPTION: &str = "This tool helps to move topic partitions between replicas.";
const ACTIONS: [&str; 5] = ["generate", "execute", "verify", "cancel", "list"];

pub const OPTIONS: &[Opt] = &[
    Opt::flag("additional", "Execute this reassignment in addition to any other ongoing ones. This option can also be used to change the throttle of an ongoing reassignment."),
    Opt::string("bootstrap-controller", "the controllers to connect to.", "Server(s) to use for bootstrapping"),
    Opt::string("bootstrap-server", "REQUIRED: the server(s) to use for bootstrapping.", "Server(s) to use for bootstrapping"),
    Opt::string("broker-list", "The list of brokers to which the partitions need to be reassigned in the form \"0,1,2\". This is required if --topics-to-move-json-file is used to generate reassignment configuration", "brokerlist"),
    Opt::flag("cancel", "Cancel an active reassignment."),
    Opt::string("command-config", "Property file containing configs to be passed to Admin Client.", "Admin client property file"),
    Opt::flag("disable-rack-aware", "Disable rack aware replica assignment"),
    Opt::flag("execute", "Kick off the reassignment as specified by the --reassignment-json-file option."),
    Opt::flag("generate", "Generate a candidate partition reassignment configuration. Note that this only generates a candidate assignment, it does not execute it."),
    HELP,
    Opt::flag("list", "List all active partition reassignments."),
    Opt::flag("preserve-throttles", "Do not modify broker or topic throttles."),
    Opt::string("reassignment-json-file", "The JSON file with the partition reassignment configuration. The format to use is - \n{\"partitions\":\n\t[{\"topic\": \"foo\",\n\t  \"partition\": 1,\n\t  \"replicas\": [1,2,3],\n\t  \"log_dirs\": [\"dir1\",\"dir2\",\"dir3\"] }],\n\"version\":1\n}\nNote that \"log_dirs\" is optional. When it is specified, its length must equal the length of the replicas list. The value in this list can be either \"any\" or the absolution path of the log directory on the broker. If absolute log directory path is specified, the replica will be moved to the specified log directory on the broker.", "manual assignment json file path"),
    Opt::long("replica-alter-log-dirs-throttle", "The movement of replicas between log directories on the same broker will be throttled to this value (bytes/sec). This option can be included with --execute when a reassignment is started, and it can be altered by resubmitting the current reassignment along with the --additional flag. The throttle rate should be at least 1 KB/s.", "replicaAlterLogDirsThrottle").default("-1"),
    Opt::long("throttle", "The movement of partitions between brokers will be throttled to this value (bytes/sec). This option can be included with --execute when a reassignment is started, and it can be altered by resubmitting the current reassignment along with the --additional flag. The throttle rate should be at least 1 KB/s.", "throttle").default("-1"),
    Opt::long("timeout", "The maximum time in ms to wait for log directory replica assignment to begin.", "timeout").default("10000"),
    Opt::string("topics-to-move-json-file", "Generate a reassignment configuration to move the partitions of the specified topics to the list of brokers specified by the --broker-list option. The format to use is - \n{\"topics\":\n\t[{\"topic\": \"foo\"},{\"topic\": \"foo1\"}],\n\"version\":1\n}", "topics to reassign json file path"),
    Opt::flag("verify", "Verify if the reassignment completed as specified by the --reassignment-json-file option. If there is a throttle engaged for the replicas specified, and the rebalance has completed, the throttle will be removed"),
    VERSION,
];

fn usage(out: &mut Output, message: &str) -> ToolResult {
    ToolResult::Exit(options::usage(out, message, OPTIONS))
}

/// Errors print on stdout: `Error: <msg>` (a stack trace follows in Kafka).
fn error(out: &mut Output, message: &str) -> ToolResult {
    out.outln(&format!("Error: {message}"));
    ToolResult::Exit(1)
}

/// `kafka-reassign-partitions.sh`'s opening.
pub const OPENING: Opening = Opening::new(OPTIONS, DESCRIPTION);

pub fn run(opts: Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    if ACTIONS.iter().filter(|a| opts.has(a)).count() != 1 {
        return usage(
            out,
            "Command must include exactly one action: --generate, --execute, --verify, --cancel, --list",
        );
    }
    if opts.has("bootstrap-server") && opts.has("bootstrap-controller") {
        return usage(
            out,
            "Please don't specify both --bootstrap-server and --bootstrap-controller",
        );
    }
    if !opts.has("bootstrap-server") && !opts.has("bootstrap-controller") {
        return usage(out, &options::missing_required("bootstrap-server"));
    }
    let action = ACTIONS
        .iter()
        .copied()
        .find(|a| opts.has(a))
        .unwrap_or("list");
    for (option, allowed) in [
        ("broker-list", &["generate"][..]),
        ("topics-to-move-json-file", &["generate"]),
        ("throttle", &["execute"]),
        ("additional", &["execute"]),
    ] {
        if opts.has(option) && !allowed.contains(&action) {
            return usage(
                out,
                &format!("Option \"[{option}]\" can't be used with action \"[{action}]\""),
            );
        }
    }
    let files = ctx.playground.files.clone();
    let cluster = &mut ctx.playground.cluster;
    let read = |name: &str, out: &mut Output| -> Result<String, ToolResult> {
        let Some(path) = opts.value(name) else {
            return Err(usage(out, &options::missing_required(name)));
        };
        files
            .read(path)
            .map(str::to_string)
            .ok_or_else(|| error(out, &format!("java.nio.file.NoSuchFileException: {path}")))
    };
    match action {
        "generate" => {
            let text = match read("topics-to-move-json-file", out) {
                Ok(t) => t,
                Err(r) => return r,
            };
            let Some(list) = opts.value("broker-list") else {
                return usage(out, &options::missing_required("broker-list"));
            };
            generate(cluster, &text, list, out)
        }
        "execute" | "verify" | "cancel" => {
            let text = match read("reassignment-json-file", out) {
                Ok(t) => t,
                Err(r) => return r,
            };
            let plan = match parse_plan(&text) {
                Ok(p) => p,
                Err(e) => return error(out, &e),
            };
            if let Some(failure) = without_controller(cluster, out) {
                return failure;
            }
            match action {
                "execute" => execute(
                    cluster,
                    &plan,
                    opts.long("throttle").ok().flatten().unwrap_or(-1),
                    opts.has("additional"),
                    out,
                ),
                "verify" => verify(cluster, &plan, opts.has("preserve-throttles"), out),
                _ => cancel(cluster, &plan, out),
            }
        }
        _ => match without_controller(cluster, out) {
            Some(failure) => failure,
            None => list(cluster, out),
        },
    }
}

/// Every action but --generate starts by listing the reassignments in progress, which the
/// brokers forward to the active controller; without one the call times out.
fn without_controller(cluster: &mut Cluster, out: &mut Output) -> Option<ToolResult> {
    let call = "listPartitionReassignments";
    let timeout = admin::without_controller(cluster, call, admin::DEFAULT_TIMEOUTS)?;
    let exception = format!("{}: {timeout}", admin::TIMEOUT_EXCEPTION);
    let failure = error(out, &exception);
    out.outln(&format!(
        "java.util.concurrent.ExecutionException: {exception}"
    ));
    Some(failure)
}

type Plan = VecMap<TopicPartition, Vec<BrokerId>>;

/// `{"version":1,"partitions":[{"topic":"foo","partition":0,"replicas":[1,2]}]}`
fn parse_plan(text: &str) -> Result<Plan, String> {
    // `parsePartitionReassignmentData`: `Json.tryParseFull`, its `JsonParseException` wrapped
    // in an `AdminOperationException` with the same message.
    let value = json_file::parse(text)?;
    let parts = value
        .get("partitions")
        .and_then(|p| p.as_array())
        .ok_or("Partition reassignment list cannot be empty")?;
    if parts.is_empty() {
        return Err("Partition reassignment list cannot be empty".into());
    }
    let mut plan = Plan::new();
    for p in parts {
        let topic = p
            .get("topic")
            .and_then(|t| t.as_str())
            .ok_or("Missing topic in the reassignment JSON")?;
        let partition = p
            .get("partition")
            .and_then(|x| x.as_i64())
            .ok_or("Missing partition in the reassignment JSON")? as i32;
        let replicas: Vec<BrokerId> = p
            .get("replicas")
            .and_then(|r| r.as_array())
            .ok_or("Missing replicas in the reassignment JSON")?
            .iter()
            .map(|r| r.as_i64().map(|x| x as BrokerId))
            .collect::<Option<_>>()
            .ok_or("Replicas must be broker ids")?;
        if replicas.is_empty() {
            return Err(format!(
                "Partition replica list cannot be empty for {topic}-{partition}"
            ));
        }
        let mut sorted = replicas.clone();
        crate::sort::sort(&mut sorted);
        sorted.dedup();
        if sorted.len() != replicas.len() {
            return Err(format!(
                "Duplicate replica assignment found: {topic}-{partition}"
            ));
        }
        let tp = TopicPartition::new(topic, partition);
        if plan.insert(tp.clone(), replicas).is_some() {
            return Err(format!("Duplicate reassignment for partition {tp}"));
        }
    }
    Ok(plan)
}

fn plan_json(plan: &Plan) -> String {
    let parts: Vec<String> = plan
        .iter()
        .map(|(tp, r)| {
            let ids: Vec<String> = r.iter().map(|b| b.to_string()).collect();
            let dirs: Vec<&str> = r.iter().map(|_| "\"any\"").collect();
            format!(
                "{{\"topic\":\"{}\",\"partition\":{},\"replicas\":[{}],\"log_dirs\":[{}]}}",
                tp.topic,
                tp.partition,
                ids.join(","),
                dirs.join(",")
            )
        })
        .collect();
    format!("{{\"version\":1,\"partitions\":[{}]}}", parts.join(","))
}

fn current(cluster: &Cluster, tps: impl Iterator<Item = TopicPartition>) -> Plan {
    VecMap::from_iter(tps.filter_map(|tp| {
        let p = cluster.topic(&tp.topic)?.partition(tp.partition)?;
        let original: Vec<BrokerId> = p
            .replicas()
            .iter()
            .copied()
            .filter(|r| !p.adding_replicas().contains(r))
            .collect();
        Some((tp, original))
    }))
}

fn generate(cluster: &mut Cluster, text: &str, list: &str, out: &mut Output) -> ToolResult {
    // `parseTopicsData`: `Json.parseFull`, which drops Jackson's message.
    let Ok(value) = json_file::parse(text) else {
        return error(out, "The input string is not a valid JSON");
    };
    let topics: Vec<String> = value
        .get("topics")
        .and_then(|t| t.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|t| t.get("topic").and_then(|x| x.as_str()).map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let mut brokers = Vec::new();
    for id in list.split(',') {
        match id.trim().parse::<BrokerId>() {
            Ok(b) if cluster.broker(b).is_some() => brokers.push(b),
            Ok(b) => return error(out, &format!("Unknown broker id {b}")),
            Err(_) => return error(out, &format!("Invalid broker id '{id}'")),
        }
    }
    let mut now_plan = Plan::new();
    let mut proposed = Plan::new();
    for name in &topics {
        let Some(topic) = cluster.topic(name) else {
            return error(
                out,
                &format!(
                    "org.apache.kafka.common.errors.UnknownTopicOrPartitionException: Topic {name} not found."
                ),
            );
        };
        let rf = topic.replication_factor();
        if rf > brokers.len() {
            return error(
                out,
                &format!(
                    "Replication factor: {rf} larger than available brokers: {}.",
                    brokers.len()
                ),
            );
        }
        let count = topic.partitions().len() as i32;
        now_plan.extend(current(
            cluster,
            (0..count).map(|p| TopicPartition::new(name.clone(), p)),
        ));
        let lists = assign_replicas(&brokers, count, rf as i16, 0, cluster.rng());
        for (p, r) in lists.into_iter().enumerate() {
            proposed.insert(TopicPartition::new(name.clone(), p as i32), r);
        }
    }
    out.outln("Current partition replica assignment");
    out.outln(&plan_json(&now_plan));
    out.outln("");
    out.outln("Proposed partition reassignment configuration");
    out.outln(&plan_json(&proposed));
    ToolResult::Exit(0)
}

fn execute(
    cluster: &mut Cluster,
    plan: &Plan,
    throttle: i64,
    additional: bool,
    out: &mut Output,
) -> ToolResult {
    for (tp, replicas) in plan {
        if cluster
            .topic(&tp.topic)
            .and_then(|t| t.partition(tp.partition))
            .is_none()
        {
            return error(out, &format!("Topic {} not found.", tp.topic));
        }
        if let Some(b) = replicas.iter().find(|b| cluster.broker(**b).is_none()) {
            return error(out, &format!("Unknown broker id {b}"));
        }
    }
    let active = cluster
        .topics()
        .flat_map(|t| t.partitions().iter())
        .any(|p| p.is_reassigning());
    if active && !additional {
        out.outln("Cannot execute because there is an existing partition assignment.  Use --additional to override this and create a new partition assignment in addition to the existing one. The --additional flag can also be used to change the throttle by resubmitting the current reassignment.");
        return ToolResult::Exit(1);
    }
    let before = current(cluster, plan.keys().cloned());
    out.outln("Current partition replica assignment");
    out.outln("");
    out.outln(&plan_json(&before));
    out.outln("");
    out.outln("Save this to use as the --reassignment-json-file option during rollback");
    if throttle >= 0 {
        out.outln("Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.");
        out.outln(&format!(
            "The inter-broker throttle limit was set to {throttle} B/s"
        ));
    }
    for (tp, replicas) in plan {
        if let Err(e) = cluster.reassign(tp, replicas.clone()) {
            return error(out, e.message());
        }
    }
    let names: Vec<String> = plan.keys().map(|tp| tp.to_string()).collect();
    let noun = if names.len() == 1 {
        "reassignment"
    } else {
        "reassignments"
    };
    out.outln(&format!(
        "Successfully started partition {noun} for {}",
        names.join(",")
    ));
    ToolResult::Exit(0)
}

/// `--verify`: each partition's state; once no reassignment is left in the cluster (and
/// unless `--preserve-throttles`), the throttles are cleared on every live broker and every
/// target replica, and on the file's topics.
// Kafka: tools/src/main/java/org/apache/kafka/tools/reassign/ReassignPartitionsCommand.java
// (verifyAssignment: clearAllThrottles only when !partsOngoing && !movesOngoing, partsOngoing
// being any reassignment listed by the cluster; brokers and topics are HashSets)
fn verify(
    cluster: &mut Cluster,
    plan: &Plan,
    preserve_throttles: bool,
    out: &mut Output,
) -> ToolResult {
    out.outln("Status of partition reassignment:");
    let mut brokers: crate::vec_map::VecSet<i32> = cluster
        .brokers()
        .iter()
        .filter(|b| b.running && !b.fenced)
        .map(|b| b.id)
        .collect();
    let mut topics = crate::vec_map::VecSet::new();
    for (tp, target) in plan {
        brokers.extend(target.iter().copied());
        topics.insert(tp.topic.clone());
        let Some(p) = cluster
            .topic(&tp.topic)
            .and_then(|t| t.partition(tp.partition))
        else {
            out.outln(&format!("Error: Topic {} not found.", tp.topic));
            continue;
        };
        if p.is_reassigning() {
            out.outln(&format!(
                "Reassignment of partition {tp} is still in progress."
            ));
        } else if p.replicas() == *target {
            out.outln(&format!("Reassignment of partition {tp} is completed."));
        } else {
            let now: Vec<String> = p.replicas().iter().map(|b| b.to_string()).collect();
            let want: Vec<String> = target.iter().map(|b| b.to_string()).collect();
            out.outln(&format!(
                "There is no active reassignment of partition {tp}, but replica set is {} rather than {}.",
                now.join(","),
                want.join(",")
            ));
        }
    }
    let ongoing = cluster
        .topics()
        .flat_map(|t| t.partitions())
        .any(|p| p.is_reassigning());
    if ongoing || preserve_throttles {
        return ToolResult::Exit(0);
    }
    // Small non-negative integers hash to themselves: a HashSet lists them in order.
    let ids: Vec<String> = brokers.iter().map(|b| b.to_string()).collect();
    let word = if ids.len() == 1 { "broker" } else { "brokers" };
    out.outln(&format!(
        "Clearing broker-level throttles on {word} {}",
        ids.join(",")
    ));
    let names: Vec<&str> = topics.iter().map(String::as_str).collect();
    let names = crate::console::java::string_hashmap_order(&names, None);
    let word = if names.len() == 1 { "topic" } else { "topics" };
    out.outln(&format!(
        "Clearing topic-level throttles on {word} {}",
        names.join(",")
    ));
    ToolResult::Exit(0)
}

fn cancel(cluster: &mut Cluster, plan: &Plan, out: &mut Output) -> ToolResult {
    let cancelled: Vec<String> = plan
        .keys()
        .filter(|tp| cluster.cancel_reassignment(tp))
        .map(|tp| tp.to_string())
        .collect();
    if cancelled.is_empty() {
        out.outln("None of the specified partition reassignments are active.");
    } else {
        out.outln(&format!(
            "Successfully cancelled partition reassignment for: {}",
            cancelled.join(",")
        ));
    }
    ToolResult::Exit(0)
}

fn list(cluster: &Cluster, out: &mut Output) -> ToolResult {
    let active: Vec<String> = cluster
        .topics()
        .flat_map(|t| {
            t.partitions()
                .iter()
                .map(move |p| (t.name().to_string(), p))
        })
        .filter(|(_, p)| p.is_reassigning())
        .map(|(name, p)| {
            let ids = |l: &[BrokerId]| {
                l.iter()
                    .map(|b| b.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            };
            format!(
                "{name}-{}: replicas: {}. adding: {}. removing: {}.",
                p.index(),
                ids(p.replicas()),
                ids(p.adding_replicas()),
                ids(p.removing_replicas())
            )
        })
        .collect();
    if active.is_empty() {
        out.outln("No partition reassignments found.");
    } else {
        out.outln("Current partition reassignments:");
        for line in active {
            out.outln(&line);
        }
    }
    ToolResult::Exit(0)
}
