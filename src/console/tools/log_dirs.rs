//! `kafka-log-dirs.sh --describe` (`LogDirsCommand`): each queried broker's log directory and
//! the replicas in it, with their sizes, as one JSON line.
//!
//! Every broker has one log dir, `/tmp/kraft-combined-logs`. A replica's size is that of its
//! own log: the records below its log end offset, laid out as `kafka-dump-log.sh` shows them.
//! Brokers are those `describeCluster` returns, i.e. not fenced: a stopped broker is not
//! queried, and naming it in `--broker-list` is Kafka's "do not exist" error. A broker that
//! crashed but is not fenced yet is asked and never answers: the admin call times out.
//! JSON keys and entries come in the order Java's `HashMap`s put them.

use super::{BadOption, Opening};
use crate::console::java;
use crate::console::options::{HELP, Opt, Parsed, VERSION};
use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};
use crate::engine::{BrokerId, Cluster, TopicPartition};

use super::dump_log::{LOG_DIR, json_string, replica_size};

const DESCRIPTION: &str = "This tool helps to query log directory usage on the specified brokers.";

pub const OPTIONS: &[Opt] = &[
    Opt::string("bootstrap-server", "REQUIRED: the server(s) to use for bootstrapping", "The server(s) to use for bootstrapping"),
    Opt::string("broker-list", "The list of brokers to be queried in the form \"0,1,2\". All brokers in the cluster will be queried if no broker list is specified", "Broker list").default(""),
    Opt::string("command-config", "Property file containing configs to be passed to Admin Client.", "Admin client property file"),
    Opt::flag("describe", "Describe the specified log directories on the specified brokers."),
    HELP,
    Opt::string("topic-list", "The list of topics to be queried in the form \"topic1,topic2,topic3\". All topics will be queried if no topic list is specified", "Topic list").default(""),
    VERSION,
];

/// A `Throwable` caught by `mainNoExit`: its message, then its stack trace (without frames).
fn caught(out: &mut Output, message: &str, trace: &str) -> ToolResult {
    out.errln(message);
    out.errln(trace);
    ToolResult::Exit(1)
}

/// The iteration order of a `HashSet<Integer>`/`HashMap<Integer, _>` filled in this order.
fn int_order(ids: &[BrokerId], initial_capacity: Option<usize>) -> Vec<BrokerId> {
    let keyed: Vec<(BrokerId, i32)> = ids.iter().map(|&id| (id, id)).collect();
    java::hashmap_order(&keyed, initial_capacity)
}

fn joined(ids: &[BrokerId]) -> String {
    ids.iter()
        .map(BrokerId::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// `new HashMap<String, Object>() {{ put(k1, v1); put(k2, v2); … }}` written by Jackson.
fn json_object(entries: &[(&str, String)]) -> String {
    let names: Vec<&str> = entries.iter().map(|(k, _)| *k).collect();
    let fields: Vec<String> = java::string_hashmap_order(&names, None)
        .iter()
        .filter_map(|name| entries.iter().find(|(k, _)| k == name))
        .map(|(k, v)| format!("{}:{v}", json_string(k)))
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// `kafka-log-dirs.sh`'s opening: a rejected option is caught and logged.
pub const OPENING: Opening = Opening::new(OPTIONS, DESCRIPTION)
    .bad_option(BadOption::Caught)
    .required(&["bootstrap-server", "describe"])
    .reads_command_config();

pub fn run(opts: Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let split = |name: &str| -> Vec<String> {
        opts.value(name)
            .unwrap_or_default()
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let topics = split("topic-list");
    let cluster: &Cluster = &ctx.playground.cluster;
    let alive: Vec<BrokerId> = cluster
        .brokers()
        .iter()
        .filter(|b| b.is_registered_alive())
        .map(|b| b.id)
        .collect();
    let cluster_brokers = int_order(&alive, None);
    let mut input: Vec<BrokerId> = Vec::new();
    for id in split("broker-list") {
        match id.parse::<BrokerId>() {
            Ok(n) if !input.contains(&n) => input.push(n),
            Ok(_) => {}
            Err(_) => {
                let message = format!("For input string: \"{id}\"");
                let trace = format!("java.lang.NumberFormatException: {message}");
                return caught(out, &message, &trace);
            }
        }
    }
    let input = int_order(&input, None);
    let missing: Vec<BrokerId> = input
        .iter()
        .copied()
        .filter(|b| !cluster_brokers.contains(b))
        .collect();
    if !missing.is_empty() {
        out.errln(&format!(
            "ERROR: The given brokers do not exist from --broker-list: {}. Current existent brokers: {}",
            joined(&missing),
            joined(&cluster_brokers)
        ));
        return ToolResult::Exit(1);
    }
    let queried = if input.is_empty() {
        cluster_brokers
    } else {
        input
    };
    out.outln("Querying brokers for log directories information");
    if queried
        .iter()
        .any(|id| cluster.broker(*id).is_some_and(|b| !b.running))
    {
        let timeout = "org.apache.kafka.common.errors.TimeoutException: Timed out waiting to send the call. Call: describeLogDirs";
        return caught(
            out,
            timeout,
            &format!("java.util.concurrent.ExecutionException: {timeout}"),
        );
    }
    // The admin client's futures map, the result's copy of it, then `allDescriptions()`.
    let n = queried.len();
    let futures = int_order(&queried, Some(n));
    let copied = int_order(&futures, Some(n * 4 / 3 + 1));
    let by_broker = int_order(&copied, Some(n));
    let brokers: Vec<String> = by_broker
        .iter()
        .map(|&id| {
            let log_dir = json_object(&[
                ("logDir", json_string(LOG_DIR)),
                ("error", "null".to_string()),
                (
                    "partitions",
                    format!("[{}]", replicas_json(cluster, id, &topics)),
                ),
            ]);
            json_object(&[
                ("broker", id.to_string()),
                ("logDirs", format!("[{log_dir}]")),
            ])
        })
        .collect();
    out.outln(&format!(
        "Received log directory information from brokers {}",
        joined(&queried)
    ));
    out.outln(&json_object(&[
        ("version", "1".to_string()),
        ("brokers", format!("[{}]", brokers.join(","))),
    ]));
    ToolResult::Exit(0)
}

/// The replicas a broker hosts, filtered by `--topic-list`, as JSON objects in the order of the
/// admin client's `HashMap<TopicPartition, ReplicaInfo>` and the tool's filtered copy of it.
fn replicas_json(cluster: &Cluster, broker: BrokerId, topics: &[String]) -> String {
    let mut hosted: Vec<((TopicPartition, i64), i32)> = Vec::new();
    for t in cluster.topics() {
        for p in t.partitions() {
            if !p.replicas().contains(&broker) {
                continue;
            }
            let size = replica_size(cluster, t, p, p.replica_log_end(broker));
            let tp = TopicPartition::new(t.name().to_string(), p.index());
            let hash = java::topic_partition_hash(&tp.topic, tp.partition);
            hosted.push(((tp, size), hash));
        }
    }
    let response_order = java::hashmap_order(&hosted, None);
    let filtered: Vec<((TopicPartition, i64), i32)> = response_order
        .into_iter()
        .filter(|(tp, _)| topics.is_empty() || topics.contains(&tp.topic))
        .map(|(tp, size)| {
            let hash = java::topic_partition_hash(&tp.topic, tp.partition);
            ((tp, size), hash)
        })
        .collect();
    java::hashmap_order(&filtered, None)
        .iter()
        .map(|(tp, size)| {
            json_object(&[
                ("partition", json_string(&tp.to_string())),
                ("size", size.to_string()),
                ("offsetLag", "0".to_string()),
                ("isFuture", "false".to_string()),
            ])
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keys_come_in_java_hashmap_order() {
        // What Jackson writes for LogDirsCommand's HashMaps: "brokers" (bucket 3) comes
        // before "version" (bucket 13).
        assert_eq!(
            json_object(&[
                ("partition", "\"t-0\"".into()),
                ("size", "1".into()),
                ("offsetLag", "0".into()),
                ("isFuture", "false".into()),
            ]),
            "{\"partition\":\"t-0\",\"size\":1,\"offsetLag\":0,\"isFuture\":false}"
        );
        assert_eq!(
            json_object(&[
                ("logDir", "\"d\"".into()),
                ("error", "null".into()),
                ("partitions", "[]".into()),
            ]),
            "{\"partitions\":[],\"error\":null,\"logDir\":\"d\"}"
        );
        assert_eq!(
            json_object(&[("broker", "1".into()), ("logDirs", "[]".into())]),
            "{\"broker\":1,\"logDirs\":[]}"
        );
        assert_eq!(
            json_object(&[("version", "1".into()), ("brokers", "[]".into())]),
            "{\"brokers\":[],\"version\":1}"
        );
    }

    #[test]
    fn broker_ids_iterate_as_java_integers_do() {
        assert_eq!(int_order(&[3, 1, 2], None), vec![1, 2, 3]);
        assert_eq!(int_order(&[17, 100], None), vec![17, 100]);
        assert_eq!(int_order(&[100, 17], None), vec![17, 100]);
        // Three brokers in a HashMap of capacity 4: 5 shares a bucket with 1.
        assert_eq!(int_order(&[1, 3, 5], Some(3)), vec![1, 5, 3]);
    }
}
