//! `kafka-leader-election.sh`: preferred or unclean leader elections for named partitions, all
//! partitions, or those in a JSON file, with Kafka's result lines.

use super::Opening;
use crate::console::java;
use crate::console::json_file;
use crate::console::options::{self, HELP, Opt, Parsed, VERSION};
use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};
use crate::console::tools::admin;
use crate::engine::TopicPartition;

const DESCRIPTION: &str = "This tool attempts to elect a new leader for a set of topic partitions. The type of elections supported are preferred replicas and unclean replicas.";

pub const OPTIONS: &[Opt] = &[
    Opt::string(
        "admin.config",
        "Configuration properties files to pass to the admin client",
        "config file",
    ),
    Opt::flag(
        "all-topic-partitions",
        "Perform election on all of the eligible topic partitions based on the type of election (see the --election-type flag). Not allowed if --topic or --path-to-json-file is specified.",
    ),
    Opt::string(
        "bootstrap-server",
        "A hostname and port for the broker to connect to, in the form host:port. Multiple comma separated URLs can be given. REQUIRED.",
        "host:port",
    ),
    Opt::string(
        "election-type",
        "Type of election to attempt. Possible values are \"preferred\" for preferred leader election or \"unclean\" for unclean leader election. If preferred election is selection, the election is only performed if the current leader is not the preferred leader for the topic partition. If unclean election is selected, the election is only performed if there are no leader for the topic partition. REQUIRED.",
        "election type",
    ),
    HELP,
    Opt::integer(
        "partition",
        "Partition id for which to perform an election. REQUIRED if --topic is specified.",
        "partition id",
    ),
    Opt::string(
        "path-to-json-file",
        "The JSON file with the list  of partition for which leader elections should be performed. This is an example format. \n{\"partitions\":\n\t[{\"topic\": \"foo\", \"partition\": 1},\n\t {\"topic\": \"foobar\", \"partition\": 2}]\n}\nNot allowed if --all-topic-partitions or --topic flags are specified.",
        "Path to JSON file",
    ),
    Opt::string(
        "topic",
        "Name of topic for which to perform an election. Not allowed if --path-to-json-file or --all-topic-partitions is specified.",
        "topic name",
    ),
    VERSION,
];

/// The tool gives its admin client 30 s per call and half of that per request.
const ELECTION_TIMEOUTS: admin::Timeouts = admin::Timeouts {
    api_ms: 30_000,
    request_ms: 15_000,
};

fn failed(out: &mut Output, message: &str) -> ToolResult {
    out.errln(message);
    out.errln(&format!(
        "org.apache.kafka.server.common.AdminCommandFailedException: {message}"
    ));
    ToolResult::Exit(1)
}

/// `kafka-leader-election.sh`'s opening.
pub const OPENING: Opening = Opening::new(OPTIONS, DESCRIPTION);

pub fn run(opts: Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let missing: Vec<&str> = ["bootstrap-server", "election-type"]
        .into_iter()
        .filter(|o| !opts.has(o))
        .collect();
    if !missing.is_empty() {
        return failed(
            out,
            &format!("Missing required option(s): {}", missing.join(", ")),
        );
    }
    let scopes = ["topic", "all-topic-partitions", "path-to-json-file"];
    if scopes.iter().filter(|s| opts.has(s)).count() != 1 {
        return failed(
            out,
            "One and only one of the following options is required: topic, all-topic-partitions, path-to-json-file",
        );
    }
    if opts.has("topic") && !opts.has("partition") {
        return failed(out, "Missing required option(s): partition");
    }
    if opts.has("partition") && !opts.has("topic") {
        return failed(out, "Option partition is only allowed if topic is used");
    }
    let kind = opts
        .value("election-type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let unclean = match kind.as_str() {
        "preferred" => false,
        "unclean" => true,
        other => {
            return failed(
                out,
                &format!("Invalid election-type: {other}. Valid values are: preferred, unclean"),
            );
        }
    };
    let label = if unclean { "UNCLEAN" } else { "PREFERRED" };
    let cluster = &mut ctx.playground.cluster;
    let (targets, explicit): (Vec<TopicPartition>, bool) = if opts.has("all-topic-partitions") {
        let all = cluster
            .topics()
            .flat_map(|t| {
                (0..t.partitions().len() as i32)
                    .map(move |p| TopicPartition::new(t.name().to_string(), p))
            })
            .collect();
        (all, false)
    } else if let Some(path) = opts.value("path-to-json-file") {
        let Some(text) = ctx.playground.files.read(path).map(str::to_string) else {
            return failed(out, &format!("java.nio.file.NoSuchFileException: {path}"));
        };
        // `parseReplicaElectionData`: `Json.parseFull` drops Jackson's message.
        let Ok(json) = json_file::parse(&text) else {
            let msg = "Replica election data is empty";
            out.errln(msg);
            out.errln(&format!(
                "org.apache.kafka.server.common.AdminOperationException: {msg}"
            ));
            return ToolResult::Exit(1);
        };
        match partitions_of(&json) {
            Ok(list) => (list, true),
            Err(e) => return failed(out, &e),
        }
    } else {
        let partition = match opts.int("partition") {
            Ok(p) => p.unwrap_or(0),
            Err(m) => return ToolResult::Exit(options::usage(out, &m, OPTIONS)),
        };
        (
            vec![TopicPartition::new(
                opts.value("topic").unwrap_or_default(),
                partition,
            )],
            true,
        )
    };
    let cluster = &mut ctx.playground.cluster;
    // ElectLeaders goes to the active controller; without one the tool's 30 s run out.
    if admin::without_controller(cluster, "electLeaders", ELECTION_TIMEOUTS).is_some() {
        let message = "Timeout waiting for election results";
        out.outln(message);
        return failed(out, message);
    }
    let (mut elected, mut already, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    for tp in targets {
        match cluster.elect_leader(&tp, unclean) {
            Ok(true) => elected.push(tp),
            Ok(false) => already.push(tp),
            Err(e) => {
                // `--all-topic-partitions` skips partitions where no election can help.
                if explicit {
                    errors.push((tp, e.to_string()));
                }
            }
        }
    }
    let joined = |list: &[TopicPartition]| {
        let keyed: Vec<(TopicPartition, i32)> = list
            .iter()
            .map(|tp| {
                (
                    tp.clone(),
                    java::topic_partition_hash(&tp.topic, tp.partition),
                )
            })
            .collect();
        java::hashmap_order(&keyed, None)
            .iter()
            .map(|tp| tp.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !elected.is_empty() {
        out.outln(&format!(
            "Successfully completed leader election ({label}) for partitions {}",
            joined(&elected)
        ));
    }
    if explicit && !already.is_empty() {
        out.outln(&format!(
            "Valid replica already elected for partitions {}",
            joined(&already)
        ));
    }
    if !errors.is_empty() {
        for (tp, e) in &errors {
            out.outln(&format!(
                "Error completing leader election ({label}) for partition: {tp}: {e}"
            ));
        }
        let msg = format!("{} replica(s) could not be elected", errors.len());
        out.errln(&msg);
        out.errln(&format!(
            "org.apache.kafka.server.common.AdminCommandFailedException: {msg}"
        ));
        return ToolResult::Exit(1);
    }
    ToolResult::Exit(0)
}

/// `{"partitions": [{"topic": "foo", "partition": 1}, …]}`
fn partitions_of(value: &serde_json::Value) -> Result<Vec<TopicPartition>, String> {
    let list = value
        .get("partitions")
        .and_then(|p| p.as_array())
        .ok_or_else(|| "Missing or invalid 'partitions' field in the JSON file".to_string())?;
    let mut out = Vec::new();
    for item in list {
        let topic = item.get("topic").and_then(|t| t.as_str());
        let partition = item.get("partition").and_then(|p| p.as_i64());
        match (topic, partition) {
            (Some(t), Some(p)) => out.push(TopicPartition::new(t, p as i32)),
            _ => return Err(format!("Invalid partition entry in the JSON file: {item}")),
        }
    }
    Ok(out)
}
