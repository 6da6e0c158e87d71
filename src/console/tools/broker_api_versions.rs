//! `kafka-broker-api-versions.sh`: the API versions each live broker advertises, printed as
//! `BrokerApiVersionsCommand` prints them: `<Node> -> <NodeApiVersions.toString(true)>`, one
//! block per broker in the iteration order of the tool's `HashMap<Node, _>`.

use super::{BadOption, Opening};
use crate::console::java::{hashmap_order, string_hash};
use crate::console::options::{HELP, Opt, Parsed, VERSION};
use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};
use crate::engine::broker::Broker;

pub const OPTIONS: &[Opt] = &[
    Opt::string(
        "bootstrap-server",
        "REQUIRED: The server to connect to.",
        "server(s) to use for bootstrapping",
    ),
    Opt::string(
        "command-config",
        "A property file containing configs to be passed to Admin Client.",
        "command config property file",
    ),
    HELP,
    VERSION,
];

/// One API key of a Kafka 4.1.0 broker listener, with the version range the broker puts in its
/// `ApiVersionsResponse`, or `None` where the key is a broker-listener API (so
/// `NodeApiVersions.toString` lists it) but the broker does not advertise it.
struct Api {
    key: i16,
    name: &'static str,
    versions: Option<(i16, i16)>,
}

const fn api(key: i16, name: &'static str, min: i16, max: i16) -> Api {
    Api {
        key,
        name,
        versions: Some((min, max)),
    }
}

const fn unsupported(key: i16, name: &'static str) -> Api {
    Api {
        key,
        name,
        versions: None,
    }
}

/// What a Kafka 4.1.0 broker answers to `ApiVersions` on its client (BROKER) listener, with the
/// default configuration (`unstable.api.versions.enable=false`, no client telemetry exporter).
///
/// Where it comes from:
/// * Which keys: `ApiKeys.clientApis()` = `apisForListener(BROKER)`, i.e. every message spec
///   whose `"listeners"` contains `"broker"` (clients/src/main/resources/common/message/
///   `*Request.json`); keys 4–7 have no listeners since 4.0 and are not listed at all.
/// * Versions: `"validVersions"` of each `*Request.json` at the 4.1.0 tag, without the last
///   version where `"latestVersionUnstable": true` (`ApiKeys.toApiVersion(false, …)`). The ranges
///   were read from the message classes generated from the 4.1.0 tag (crate `kafka-protocol`
///   0.18.0, whose generator drops an unstable last version) and the listeners from the Apache
///   JSON specs as vendored by crate `kafka_client` 0.8.0 (a later trunk snapshot; listeners
///   unchanged), checked against `ApiKeys.java` (forwardable keys are on both listeners).
/// * Produce advertises min version 0 (`ApiKeys.PRODUCE_API_VERSIONS_RESPONSE_MIN_VERSION`,
///   KAFKA-18659), although `validVersions` is 3-13.
/// * `GetTelemetrySubscriptions`/`PushTelemetry` are dropped by `ApiVersionsResponse.filterApis`
///   when no telemetry exporter is configured; `StreamsGroupHeartbeat`/`StreamsGroupDescribe`
///   have only an unstable version in 4.1.0. `NodeApiVersions.toString` prints these
///   broker-listener keys as `UNSUPPORTED`.
const BROKER_APIS: &[Api] = &[
    api(0, "Produce", 0, 13),
    api(1, "Fetch", 4, 18),
    api(2, "ListOffsets", 1, 10),
    api(3, "Metadata", 0, 13),
    api(8, "OffsetCommit", 2, 9),
    api(9, "OffsetFetch", 1, 9),
    api(10, "FindCoordinator", 0, 6),
    api(11, "JoinGroup", 0, 9),
    api(12, "Heartbeat", 0, 4),
    api(13, "LeaveGroup", 0, 5),
    api(14, "SyncGroup", 0, 5),
    api(15, "DescribeGroups", 0, 6),
    api(16, "ListGroups", 0, 5),
    api(17, "SaslHandshake", 0, 1),
    api(18, "ApiVersions", 0, 4),
    api(19, "CreateTopics", 2, 7),
    api(20, "DeleteTopics", 1, 6),
    api(21, "DeleteRecords", 0, 2),
    api(22, "InitProducerId", 0, 5),
    api(23, "OffsetForLeaderEpoch", 2, 4),
    api(24, "AddPartitionsToTxn", 0, 5),
    api(25, "AddOffsetsToTxn", 0, 4),
    api(26, "EndTxn", 0, 5),
    api(27, "WriteTxnMarkers", 1, 1),
    api(28, "TxnOffsetCommit", 0, 5),
    api(29, "DescribeAcls", 1, 3),
    api(30, "CreateAcls", 1, 3),
    api(31, "DeleteAcls", 1, 3),
    api(32, "DescribeConfigs", 1, 4),
    api(33, "AlterConfigs", 0, 2),
    api(34, "AlterReplicaLogDirs", 1, 2),
    api(35, "DescribeLogDirs", 1, 4),
    api(36, "SaslAuthenticate", 0, 2),
    api(37, "CreatePartitions", 0, 3),
    api(38, "CreateDelegationToken", 1, 3),
    api(39, "RenewDelegationToken", 1, 2),
    api(40, "ExpireDelegationToken", 1, 2),
    api(41, "DescribeDelegationToken", 1, 3),
    api(42, "DeleteGroups", 0, 2),
    api(43, "ElectLeaders", 0, 2),
    api(44, "IncrementalAlterConfigs", 0, 1),
    api(45, "AlterPartitionReassignments", 0, 1),
    api(46, "ListPartitionReassignments", 0, 0),
    api(47, "OffsetDelete", 0, 0),
    api(48, "DescribeClientQuotas", 0, 1),
    api(49, "AlterClientQuotas", 0, 1),
    api(50, "DescribeUserScramCredentials", 0, 0),
    api(51, "AlterUserScramCredentials", 0, 0),
    api(55, "DescribeQuorum", 0, 2),
    api(57, "UpdateFeatures", 0, 2),
    api(60, "DescribeCluster", 0, 2),
    api(61, "DescribeProducers", 0, 0),
    api(64, "UnregisterBroker", 0, 0),
    api(65, "DescribeTransactions", 0, 0),
    api(66, "ListTransactions", 0, 2),
    api(68, "ConsumerGroupHeartbeat", 0, 1),
    api(69, "ConsumerGroupDescribe", 0, 1),
    unsupported(71, "GetTelemetrySubscriptions"),
    unsupported(72, "PushTelemetry"),
    api(74, "ListConfigResources", 0, 1),
    api(75, "DescribeTopicPartitions", 0, 0),
    api(76, "ShareGroupHeartbeat", 1, 1),
    api(77, "ShareGroupDescribe", 1, 1),
    api(78, "ShareFetch", 1, 1),
    api(79, "ShareAcknowledge", 1, 1),
    api(80, "AddRaftVoter", 0, 0),
    api(81, "RemoveRaftVoter", 0, 0),
    api(83, "InitializeShareGroupState", 0, 0),
    api(84, "ReadShareGroupState", 0, 0),
    api(85, "WriteShareGroupState", 0, 0),
    api(86, "DeleteShareGroupState", 0, 0),
    api(87, "ReadShareGroupStateSummary", 0, 0),
    unsupported(88, "StreamsGroupHeartbeat"),
    unsupported(89, "StreamsGroupDescribe"),
    api(90, "DescribeShareGroupOffsets", 0, 0),
    api(91, "AlterShareGroupOffsets", 0, 0),
    api(92, "DeleteShareGroupOffsets", 0, 0),
];

/// `NodeApiVersions.toString(true)` for a broker of the same version as the tool: the client's
/// latest version is at least the broker's, so "usable" is the broker's max.
fn api_versions_text() -> String {
    let lines: Vec<String> = BROKER_APIS
        .iter()
        .map(|a| {
            let head = format!("{}({}): ", a.name, a.key);
            match a.versions {
                None => format!("{head}UNSUPPORTED"),
                Some((min, max)) if min == max => format!("{head}{min} [usable: {max}]"),
                Some((min, max)) => format!("{head}{min} to {max} [usable: {max}]"),
            }
        })
        .collect();
    format!("(\n\t{}\n)", lines.join(",\n\t"))
}

/// The address a broker listens on for clients: broker 1 is localhost:9092, broker 2 :9093…
fn port(id: i32) -> i32 {
    9091 + id
}

/// `Node.toString()`.
fn node(host: &str, id: i32, port: i32, rack: Option<&str>) -> String {
    format!(
        "{host}:{port} (id: {id} rack: {} isFenced: false)",
        rack.unwrap_or("null")
    )
}

/// `Node.hashCode()` of an unfenced node (`Boolean.hashCode(false)` is 1237).
fn node_hash(host: &str, id: i32, port: i32, rack: Option<&str>) -> i32 {
    let mut h = 31i32.wrapping_add(string_hash(host));
    h = h.wrapping_mul(31).wrapping_add(id);
    h = h.wrapping_mul(31).wrapping_add(port);
    h = h.wrapping_mul(31).wrapping_add(rack.map_or(0, string_hash));
    h.wrapping_mul(31).wrapping_add(1237)
}

/// An exception escaping `execute` reaches `mainNoExit`: its message, then its stack trace
/// (printed without JVM frames); exit 1.
fn thrown(out: &mut Output, class: &str, message: &str) -> ToolResult {
    out.errln(message);
    out.errln(&format!("{class}: {message}"));
    ToolResult::Exit(1)
}

/// `ClientUtils.parseAndValidateAddresses` for `bootstrap.servers`: the bootstrap nodes
/// (`Cluster.bootstrap` numbers them -1, -2, …).
fn bootstrap_nodes(servers: &str) -> Result<Vec<String>, String> {
    let mut nodes = Vec::new();
    for url in servers.split(',').map(str::trim).filter(|u| !u.is_empty()) {
        let parsed = url
            .rsplit_once(':')
            .filter(|(host, port)| {
                !host.is_empty() && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
            })
            .map(|(host, port)| (host.trim_start_matches('[').trim_end_matches(']'), port));
        let Some((host, port)) = parsed else {
            return Err(format!("Invalid url in bootstrap.servers: {url}"));
        };
        let Some(port) = port.parse::<i32>().ok().filter(|p| *p <= 65535) else {
            return Err(format!("Invalid port in bootstrap.servers: {url}"));
        };
        let id = -1 - nodes.len() as i32;
        nodes.push(format!(
            "{host}:{port} (id: {id} rack: null isFenced: false)"
        ));
    }
    if nodes.is_empty() {
        return Err("No resolvable bootstrap urls given in bootstrap.servers".into());
    }
    Ok(nodes)
}

/// `kafka-broker-api-versions.sh`'s opening.
pub const OPENING: Opening = Opening::new(
    OPTIONS,
    "This tool helps to retrieve broker version information.",
)
.bad_option(BadOption::Caught)
.required(&["bootstrap-server"])
.reads_command_config();

pub fn run(opts: Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let bootstrap = match bootstrap_nodes(opts.value("bootstrap-server").unwrap_or_default()) {
        Ok(nodes) => nodes,
        Err(msg) => {
            return thrown(out, "org.apache.kafka.common.config.ConfigException", &msg);
        }
    };

    let brokers: &[Broker] = ctx.playground.cluster.brokers();
    // The Metadata response lists the registered, unfenced brokers. A crashed broker stays
    // listed until its session times out, but cannot be reached.
    let listed: Vec<&Broker> = brokers.iter().filter(|b| !b.fenced).collect();
    if !listed.iter().any(|b| b.running) {
        let message = format!(
            "Request METADATA failed on brokers [{}]",
            bootstrap.join(", ")
        );
        return thrown(out, "java.lang.RuntimeException", &message);
    }
    // `Collectors.toMap` fills a HashMap<Node, _> (from a shuffled node list; id order here).
    let mut keyed: Vec<(&Broker, i32)> = listed
        .iter()
        .map(|b| {
            let rack = b.rack.as_deref();
            (*b, node_hash("localhost", b.id, port(b.id), rack))
        })
        .collect();
    crate::sort::sort_by_key(&mut keyed, |(b, _)| b.id);
    let versions = api_versions_text();
    for b in hashmap_order(&keyed, None) {
        let name = node("localhost", b.id, port(b.id), b.rack.as_deref());
        if b.running {
            out.out(&format!("{name} -> {versions}\n"));
        } else {
            out.out(&format!(
                "{name} -> ERROR: org.apache.kafka.common.errors.DisconnectException\n"
            ));
        }
    }
    ToolResult::Exit(0)
}
