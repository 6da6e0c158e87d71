//! `kafka-configs.sh --entity-type groups`: the group-level configs the group coordinator
//! keeps (`GroupConfig`), of which the share groups read `share.auto.offset.reset`,
//! `share.record.lock.duration.ms` and `share.delivery.count.limit`.

use crate::console::output::Output;
use crate::console::session::ToolResult;
use crate::engine::Cluster;

/// `GroupConfig`'s names this playground keeps, with the values it accepts.
const GROUP_CONFIGS: &[&str] = &[
    "share.auto.offset.reset",
    "share.delivery.count.limit",
    "share.record.lock.duration.ms",
];

fn valid(name: &str, value: &str) -> bool {
    match name {
        "share.auto.offset.reset" => matches!(value, "latest" | "earliest"),
        _ => value.parse::<i64>().is_ok_and(|n| n > 0),
    }
}

/// `--describe` of one group, or of every share group.
pub fn describe(cluster: &Cluster, name: Option<&str>, out: &mut Output) -> ToolResult {
    let names: Vec<String> = match name {
        Some(n) => vec![n.to_string()],
        None => cluster.share_coordinator().groups.keys().cloned().collect(),
    };
    for n in names {
        out.outln(&format!("Dynamic configs for group {n} are:"));
        for (k, v) in cluster.group_configs(&n) {
            out.outln(&format!(
                "  {k}={v} sensitive=false synonyms={{DYNAMIC_GROUP_CONFIG:{k}={v}}}"
            ));
        }
    }
    ToolResult::Exit(0)
}

/// `--alter`: `set` and `delete` are the parsed `--add-config` and `--delete-config`.
pub fn alter(
    args: &[String],
    name: Option<&str>,
    set: &[(String, String)],
    delete: &[String],
    cluster: &mut Cluster,
    out: &mut Output,
) -> ToolResult {
    let Some(group) = name else {
        out.errln("Error while executing config command with args '--alter --entity-type groups'");
        out.errln("java.lang.IllegalArgumentException: --entity-name or --entity-default must be specified with each --entity-type for --alter");
        return ToolResult::Exit(1);
    };
    let refused = set
        .iter()
        .map(|(k, v)| (k.as_str(), Some(v.as_str())))
        .chain(delete.iter().map(|k| (k.as_str(), None)))
        .find_map(|(k, v)| {
            if !GROUP_CONFIGS.contains(&k) {
                Some(format!("Unknown group config name: {k}"))
            } else {
                v.filter(|v| !valid(k, v)).map(|v| match k {
                    "share.auto.offset.reset" => format!(
                        "Invalid value {v} for configuration {k}: Invalid value `{v}` for configuration {k}. The value must be either 'earliest', 'latest' or of the format 'by_duration:<PnDTnHnMn.nS.>'."
                    ),
                    _ => format!("Invalid value {v} for configuration {k}"),
                })
            }
        });
    if let Some(why) = refused {
        out.errln(&format!(
            "Error while executing config command with args '{}'",
            args.join(" ")
        ));
        out.errln(&format!(
            "java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.InvalidConfigurationException: {why}"
        ));
        return ToolResult::Exit(1);
    }
    for (k, v) in set {
        cluster.set_group_config(group, k, Some(v));
    }
    for k in delete {
        cluster.set_group_config(group, k, None);
    }
    out.outln(&format!("Completed updating config for group {group}."));
    ToolResult::Exit(0)
}
