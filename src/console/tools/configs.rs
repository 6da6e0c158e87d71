//! `kafka-configs.sh` for topics and brokers: describe dynamic (or `--all`) configs with their
//! synonyms, and alter them with `--add-config` / `--delete-config`.

use super::{BadOption, Opening};
use crate::console::options::{self, HELP, Opt, VERSION};
use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};
use crate::console::tools::admin;
use crate::engine::config::TOPIC_CONFIGS;
use crate::engine::error::ErrorCode;
use crate::engine::{BrokerId, Cluster};

pub const OPTIONS: &[Opt] = &[
    Opt::string(
        "add-config",
        "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'.",
        "",
    ),
    Opt::string(
        "add-config-file",
        "Path to a properties file with configs to add. See add-config for a list of valid configurations.",
        "",
    ),
    Opt::flag(
        "all",
        "List all configs for the given topic, broker, or broker-logger entity (includes static configuration when the entity type is brokers)",
    ),
    Opt::flag("alter", "Alter the configuration for the entity."),
    Opt::string(
        "bootstrap-controller",
        "The Kafka controllers to connect to.",
        "controller to connect to",
    ),
    Opt::string(
        "bootstrap-server",
        "The Kafka servers to connect to.",
        "server to connect to",
    ),
    Opt::string("broker", "The broker's ID.", ""),
    Opt::flag("broker-defaults", "The config defaults for all brokers."),
    Opt::string("client", "The client's ID.", ""),
    Opt::flag("client-defaults", "The config defaults for all clients."),
    Opt::string(
        "command-config",
        "Property file containing configs to be passed to Admin Client. This is used only with --bootstrap-server option for describing and altering broker configs.",
        "command config property file",
    ),
    Opt::string("delete-config", "config keys to remove 'k1,k2'", ""),
    Opt::flag("describe", "List configs for the given entity."),
    Opt::flag(
        "entity-default",
        "Default entity name for clients/users/brokers/ips (applies to corresponding entity type)",
    ),
    Opt::string(
        "entity-name",
        "Name of entity (topic name/client id/user principal name/broker id/ip/client metrics/group id)",
        "",
    ),
    Opt::string(
        "entity-type",
        "Type of entity (topics/clients/users/brokers/broker-loggers/ips/client-metrics/groups)",
        "",
    ),
    Opt::flag("force", "Suppress console prompts"),
    HELP,
    Opt::string("ip", "The IP address.", ""),
    Opt::flag("ip-defaults", "The config defaults for all IPs."),
    Opt::string("topic", "The topic's name.", ""),
    Opt::string("user", "The user's principal name.", ""),
    Opt::flag("user-defaults", "The config defaults for all users."),
    VERSION,
];

fn usage(out: &mut Output, message: &str) -> ToolResult {
    ToolResult::Exit(options::usage(out, message, OPTIONS))
}

/// An `IllegalArgumentException` from argument checks: the message alone on stderr.
fn illegal(out: &mut Output, message: &str) -> ToolResult {
    out.errln(message);
    ToolResult::Exit(1)
}

enum Entity {
    Topic(Option<String>),
    Broker(Option<BrokerId>),
    BrokerDefault,
    /// `--entity-type groups`: group configs (see `group_configs`).
    Group(Option<String>),
}

/// `kafka-configs.sh`'s opening.
pub const OPENING: Opening = Opening::new(
    OPTIONS,
    "This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip, client-metrics or group",
)
.bad_option(BadOption::Message(""));

/// Reads its own arguments: an error names the whole command line.
pub fn run(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let opts = match OPENING.open(args, &ctx.playground.files, out) {
        Ok(o) => o,
        Err(code) => return ToolResult::Exit(code),
    };
    if opts.has("bootstrap-server") == opts.has("bootstrap-controller") {
        return usage(
            out,
            "Exactly one of --bootstrap-server or --bootstrap-controller must be specified",
        );
    }
    if opts.has("describe") == opts.has("alter") {
        return usage(
            out,
            "Command must include exactly one action: --describe, --alter",
        );
    }
    if super::quota_configs::FLAGS.iter().any(|f| opts.has(f)) {
        return super::quota_configs::run(args, &opts, ctx, out);
    }
    let entity_type = if opts.has("topic") {
        "topics"
    } else if opts.has("broker") || opts.has("broker-defaults") {
        "brokers"
    } else {
        opts.value("entity-type").unwrap_or("")
    };
    let name = opts
        .value("topic")
        .or(opts.value("broker"))
        .or(opts.value("entity-name"));
    let default = opts.has("entity-default") || opts.has("broker-defaults");
    let entity = match entity_type {
        "topics" => {
            if default {
                return illegal(
                    out,
                    "--entity-default must not be specified with --describe of topics",
                );
            }
            Entity::Topic(name.map(str::to_string))
        }
        "brokers" if default => Entity::BrokerDefault,
        "brokers" => match name.map(|n| n.parse::<BrokerId>()) {
            None => Entity::Broker(None),
            Some(Ok(id)) => Entity::Broker(Some(id)),
            Some(Err(_)) => {
                return illegal(
                    out,
                    &format!(
                        "The entity name for brokers must be a valid integer broker id, but it is: {}",
                        name.unwrap_or_default()
                    ),
                );
            }
        },
        "" => return usage(out, "Missing required argument \"[entity-type]\""),
        "groups" => Entity::Group(name.map(str::to_string)),
        "clients" | "users" | "ips" => return super::quota_configs::run(args, &opts, ctx, out),
        "client-metrics" | "broker-loggers" => {
            out.errln(&format!("kafka-configs.sh: --entity-type {entity_type} is not available in the playground yet (topics and brokers are)."));
            return ToolResult::Exit(1);
        }
        other => {
            return usage(
                out,
                &format!(
                    "Invalid entity type {other}, the entity type must be one of users, brokers, topics, clients, ips, client-metrics, groups, broker-loggers"
                ),
            );
        }
    };
    let cluster = &mut ctx.playground.cluster;
    if opts.has("describe") {
        return describe(cluster, &entity, opts.has("all"), out);
    }
    // --alter
    let add = opts.value("add-config");
    let add_file = opts.value("add-config-file");
    let delete: Vec<String> = opts
        .value("delete-config")
        .map(|d| {
            d.split(',')
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if add.is_none() && add_file.is_none() && delete.is_empty() {
        return illegal(
            out,
            "At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter",
        );
    }
    if add.is_some() && add_file.is_some() {
        return illegal(
            out,
            "Only one of --add-config or --add-config-file must be specified",
        );
    }
    let set = match (add, add_file) {
        (Some(text), _) => match parse_add_config(text) {
            Ok(s) => s,
            Err(e) => return illegal(out, &e),
        },
        (_, Some(path)) => match ctx.playground.files.read(path) {
            Some(text) => options::parse_properties(text),
            None => return illegal(out, &format!("java.nio.file.NoSuchFileException: {path}")),
        },
        _ => Vec::new(),
    };
    let cluster = &mut ctx.playground.cluster;
    let (result, done) = match &entity {
        Entity::Topic(None) => {
            return illegal(
                out,
                "An entity name must be specified with --alter of topics",
            );
        }
        Entity::Topic(Some(t)) => {
            // Deleting a config that is not set is refused before anything is sent.
            if let Some(topic) = cluster.topic(t) {
                let missing: Vec<&String> = delete
                    .iter()
                    .filter(|k| !topic.configs().contains_key(*k))
                    .collect();
                if !missing.is_empty() {
                    let names: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
                    out.errln(&format!("Invalid config(s): {}", names.join(",")));
                    return ToolResult::Exit(1);
                }
            }
            (
                cluster.alter_topic_configs(t, &set, &delete),
                format!("Completed updating config for topic {t}."),
            )
        }
        Entity::Broker(None) => {
            return illegal(
                out,
                "--entity-name or --entity-default must be specified with each --entity-type for --alter",
            );
        }
        Entity::Broker(Some(id)) => (
            cluster.alter_broker_configs(Some(*id), &set, &delete),
            format!("Completed updating config for broker {id}."),
        ),
        Entity::Group(g) => {
            return super::group_configs::alter(args, g.as_deref(), &set, &delete, cluster, out);
        }
        Entity::BrokerDefault => (
            cluster.alter_broker_configs(None, &set, &delete),
            "Completed updating default config for brokers in the cluster.".to_string(),
        ),
    };
    match result {
        Ok(()) => {
            out.outln(&done);
            ToolResult::Exit(0)
        }
        Err(e) => {
            // A change the controller never answers: the call times out.
            let error = match e.code {
                ErrorCode::NotController => {
                    let timeout = admin::without_controller(
                        cluster,
                        "incrementalAlterConfigs",
                        admin::DEFAULT_TIMEOUTS,
                    )
                    .unwrap_or_default();
                    format!("{}: {timeout}", admin::TIMEOUT_EXCEPTION)
                }
                _ => e.to_string(),
            };
            out.errln(&format!(
                "Error while executing config command with args '{}'",
                args.join(" ")
            ));
            out.errln(&format!("java.util.concurrent.ExecutionException: {error}"));
            ToolResult::Exit(1)
        }
    }
}

/// `k1=v1,k2=[a,b],k3=v3`: square brackets protect commas.
pub(super) fn parse_add_config(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    let mut current = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                pairs.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    pairs.push(current);
    pairs
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => Ok((k.trim().to_string(), v.trim().trim_start_matches('[').trim_end_matches(']').to_string())),
            None => Err("requirement failed: Invalid entity config: all configs to be added must be in the format \"key=val\".".to_string()),
        })
        .collect()
}

fn synonyms_text(list: &[(&str, String, String)]) -> String {
    let parts: Vec<String> = list
        .iter()
        .map(|(src, n, v)| format!("{src}:{n}={v}"))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

fn describe(cluster: &Cluster, entity: &Entity, all: bool, out: &mut Output) -> ToolResult {
    match entity {
        Entity::Group(g) => return super::group_configs::describe(cluster, g.as_deref(), out),
        Entity::Topic(name) => {
            let names: Vec<String> = match name {
                Some(n) => vec![n.clone()],
                None => cluster.topics().map(|t| t.name().to_string()).collect(),
            };
            for n in names {
                let Some(topic) = cluster.topic(&n) else {
                    out.errln(&format!("Error while executing config command with args '--describe --entity-type topics --entity-name {n}'"));
                    out.errln(&format!("java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: The topic '{n}' does not exist."));
                    return ToolResult::Exit(1);
                };
                let title = if all { "All" } else { "Dynamic" };
                out.outln(&format!("{title} configs for topic {n} are:"));
                for key in TOPIC_CONFIGS {
                    let sources = cluster.topic_config_sources(topic, key.name);
                    let Some((source, _, value)) = sources.first() else {
                        continue;
                    };
                    if !all && *source != "DYNAMIC_TOPIC_CONFIG" {
                        continue;
                    }
                    out.outln(&format!(
                        "  {}={value} sensitive=false synonyms={}",
                        key.name,
                        synonyms_text(&sources)
                    ));
                }
            }
        }
        Entity::Broker(id) => {
            let ids: Vec<BrokerId> = match id {
                Some(i) => vec![*i],
                None => cluster.broker_ids(),
            };
            for b in ids {
                if cluster.broker(b).is_none() {
                    out.errln(&format!("java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.BrokerIdNotRegisteredException: No node with id {b} found."));
                    return ToolResult::Exit(1);
                }
                let own = cluster.broker_dynamic_configs(Some(b));
                let defaults = cluster.broker_dynamic_configs(None);
                out.outln(&format!(
                    "{} configs for broker {b} are:",
                    if all { "All" } else { "Dynamic" }
                ));
                let mut names: Vec<String> = own.keys().cloned().collect();
                if all {
                    names.extend(defaults.keys().cloned());
                    names.extend(
                        crate::engine::config::TOPIC_TO_BROKER
                            .iter()
                            .map(|(_, n, _)| n.to_string()),
                    );
                    crate::sort::sort(&mut names);
                    names.dedup();
                }
                for name in names {
                    let mut sources: Vec<(&str, String, String)> = Vec::new();
                    if let Some(v) = own.get(&name) {
                        sources.push(("DYNAMIC_BROKER_CONFIG", name.clone(), v.clone()));
                    }
                    if let Some(v) = defaults.get(&name) {
                        sources.push(("DYNAMIC_DEFAULT_BROKER_CONFIG", name.clone(), v.clone()));
                    }
                    if name == "log.segment.bytes" {
                        sources.push(("STATIC_BROKER_CONFIG", name.clone(), "1073741824".into()));
                    }
                    if let Some(v) = crate::engine::config::broker_default(&name) {
                        sources.push(("DEFAULT_CONFIG", name.clone(), v));
                    }
                    let value = sources.first().map_or("null".to_string(), |s| s.2.clone());
                    out.outln(&format!(
                        "  {name}={value} sensitive=false synonyms={}",
                        synonyms_text(&sources)
                    ));
                }
            }
            if id.is_none() {
                return describe(cluster, &Entity::BrokerDefault, all, out);
            }
        }
        Entity::BrokerDefault => {
            out.outln("Default configs for brokers in the cluster are:");
            for (k, v) in cluster.broker_dynamic_configs(None) {
                out.outln(&format!(
                    "  {k}={v} sensitive=false synonyms={{DYNAMIC_DEFAULT_BROKER_CONFIG:{k}={v}}}"
                ));
            }
        }
    }
    ToolResult::Exit(0)
}
