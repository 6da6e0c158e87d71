//! `kafka-configs.sh --entity-type users|clients|ips`: client quotas, described and altered
//! through `describeClientQuotas` / `alterClientQuotas` as Kafka's `ConfigCommand` does.

use crate::clients::consumer::deserializer::java_double as double_text;
use crate::console::java::{hashmap_order, string_hash, string_hashmap_order};
use crate::console::options::Parsed;
use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};
use crate::console::tools::producer_perf::java_double as parse_double;
use crate::engine::quotas::{IP_KEY, Match, QuotaEntity, USER_CLIENT_KEYS};

/// An `IllegalArgumentException` (or `InvalidConfigurationException`): its message on stderr.
fn illegal(out: &mut Output, message: &str) -> ToolResult {
    out.errln(message);
    ToolResult::Exit(1)
}

/// `DynamicConfig.Ip.isValidIpEntity`: an address literal or a host that resolves (here only
/// `localhost`, the brokers' host).
fn valid_ip_entity(name: &str) -> bool {
    name.parse::<std::net::IpAddr>().is_ok() || name.eq_ignore_ascii_case("localhost")
}

/// The entity flags for quotas, in `ConfigCommandOptions`' order, with their entity types; the
/// `-defaults` ones name the default entity.
const FLAG_TYPES: &[(&str, &str)] = &[
    ("client", "clients"),
    ("user", "users"),
    ("ip", "ips"),
    ("client-defaults", "clients"),
    ("user-defaults", "users"),
    ("ip-defaults", "ips"),
];
pub const FLAGS: &[&str] = &[
    "client",
    "user",
    "ip",
    "client-defaults",
    "user-defaults",
    "ip-defaults",
];

pub fn run(args: &[String], opts: &Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let flags: Vec<&(&str, &str)> = FLAG_TYPES.iter().filter(|(f, _)| opts.has(f)).collect();
    let mut types = opts.values("entity-type");
    types.extend(flags.iter().map(|(_, t)| *t));
    // `--entity-name` and `--entity-default` in command-line order, then the flags' names; ""
    // is the default.
    let mut names: Vec<&str> = opts
        .in_order(&["entity-name", "entity-default"])
        .into_iter()
        .map(|(n, v)| {
            if n == "entity-name" {
                v.unwrap_or("")
            } else {
                ""
            }
        })
        .collect();
    names.extend(flags.iter().map(|(f, _)| opts.value(f).unwrap_or("")));
    let mut seen: Vec<&str> = Vec::new();
    let mut duplicates: Vec<&str> = Vec::new();
    for t in &types {
        if seen.contains(t) {
            duplicates.push(t);
        } else {
            seen.push(t);
        }
    }
    if !duplicates.is_empty() {
        return illegal(
            out,
            &format!(
                "Duplicate entity type(s) specified: {}",
                duplicates.join(",")
            ),
        );
    }
    if types.len() > 1
        && !(types.len() == 2 && types.contains(&"users") && types.contains(&"clients"))
    {
        return illegal(
            out,
            "Only 'users' and 'clients' entity types may be specified together",
        );
    }
    if (opts.has("entity-name") || opts.has("entity-type") || opts.has("entity-default"))
        && !flags.is_empty()
    {
        return illegal(
            out,
            "--entity-{type,name,default} should not be used in conjunction with specific entity flags",
        );
    }
    let head = types.first().copied().unwrap_or("");
    let has_name = names.iter().any(|n| !n.is_empty());
    let has_default = names.iter().any(|n| n.is_empty());
    if has_name && head == "ips" {
        if let Some(ip) = opts.value("entity-name").or(opts.value("ip")) {
            if !valid_ip_entity(ip) {
                return illegal(
                    out,
                    &format!(
                        "The entity name for ips must be a valid IP or resolvable host, but it is: {ip}"
                    ),
                );
            }
        }
    }
    if opts.has("describe") {
        return describe(&types, &names, ctx, out);
    }
    if !has_name && !has_default {
        return illegal(
            out,
            "An entity-name or default entity must be specified with --alter of users, clients, brokers or ips",
        );
    }
    let add = opts.value("add-config");
    let add_file = opts.value("add-config-file");
    if add.is_some() && add_file.is_some() {
        return illegal(
            out,
            "Only one of --add-config or --add-config-file must be specified",
        );
    }
    if add.is_none() && add_file.is_none() && !opts.has("delete-config") {
        return illegal(
            out,
            "At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter",
        );
    }
    if types.len() != names.len() {
        return illegal(
            out,
            "An entity name must be specified for every entity type",
        );
    }
    let set: Vec<(String, String)> = match (add, add_file) {
        (Some(text), _) => match super::configs::parse_add_config(text) {
            Ok(s) => s,
            Err(e) => return illegal(out, &e),
        },
        (_, Some(path)) => match ctx.playground.files.read(path) {
            Some(text) => crate::console::options::parse_properties(text),
            None => return illegal(out, &format!("java.nio.file.NoSuchFileException: {path}")),
        },
        _ => Vec::new(),
    };
    let delete: Vec<String> = opts
        .values("delete-config")
        .iter()
        .flat_map(|d| d.split(','))
        .map(|k| k.trim().to_string())
        .collect();
    let is_quota = |k: &str| USER_CLIENT_KEYS.iter().any(|(q, _)| *q == k);
    let unknown_add: Vec<&str> = set
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !is_quota(k))
        .collect();
    let unknown_delete: Vec<&str> = delete
        .iter()
        .map(String::as_str)
        .filter(|k| !is_quota(k))
        .collect();
    // Scala prints a Set of added names and a Buffer of deleted ones.
    let scala_set = |v: &[&str]| format!("Set({})", v.join(", "));
    let scala_buffer = |v: &[&str]| format!("ArrayBuffer({})", v.join(", "));
    match head {
        "ips" => {
            let unknown: Vec<&str> = set
                .iter()
                .map(|(k, _)| k.as_str())
                .chain(delete.iter().map(String::as_str))
                .filter(|k| *k != IP_KEY)
                .collect();
            if !unknown.is_empty() {
                return illegal(
                    out,
                    &format!(
                        "Only connection quota configs can be added for 'ips' using --bootstrap-server. Unexpected config names: {}",
                        unknown.join(",")
                    ),
                );
            }
        }
        _ if head == "clients" || types.len() == 2 => {
            if !unknown_add.is_empty() {
                return illegal(
                    out,
                    &format!(
                        "Only quota configs can be added for 'clients' using --bootstrap-server. Unexpected config names: {}",
                        scala_set(&unknown_add)
                    ),
                );
            }
            if !unknown_delete.is_empty() {
                return illegal(
                    out,
                    &format!(
                        "Only quota configs can be deleted for 'clients' using --bootstrap-server. Unexpected config names: {}",
                        scala_buffer(&unknown_delete)
                    ),
                );
            }
        }
        _ => {
            if !unknown_add.is_empty() {
                return illegal(
                    out,
                    &format!(
                        "Only quota and SCRAM credential configs can be added for 'users' using --bootstrap-server. Unexpected config names: {}",
                        scala_set(&unknown_add)
                    ),
                );
            }
            if !unknown_delete.is_empty() {
                return illegal(
                    out,
                    &format!(
                        "Only quota and SCRAM credential configs can be deleted for 'users' using --bootstrap-server. Unexpected config names: {}",
                        scala_buffer(&unknown_delete)
                    ),
                );
            }
        }
    }
    let mut entity = QuotaEntity::default();
    for (t, n) in types.iter().zip(&names) {
        let name = (!n.is_empty()).then(|| n.to_string());
        match *t {
            "users" => entity.user = Some(name),
            "clients" => entity.client_id = Some(name),
            _ => entity.ip = Some(name),
        }
    }
    let cluster = &mut ctx.playground.cluster;
    let current = cluster.client_quotas().get(&entity);
    let missing: Vec<&str> = delete
        .iter()
        .map(String::as_str)
        .filter(|k| !current.iter().any(|(c, _)| c == k))
        .collect();
    if !missing.is_empty() {
        return illegal(out, &format!("Invalid config(s): {}", missing.join(",")));
    }
    let mut ops: Vec<(String, Option<f64>)> = Vec::new();
    for (k, v) in &set {
        match parse_double(v) {
            Ok(d) => ops.push((k.clone(), Some(d))),
            Err(_) => {
                return illegal(
                    out,
                    &format!("Cannot parse quota configuration value for {k}: {v}"),
                );
            }
        }
    }
    ops.extend(delete.iter().map(|k| (k.clone(), None)));
    if let Err(e) = cluster.alter_client_quotas(&entity, &ops) {
        out.errln(&format!(
            "Error while executing config command with args '{}'",
            args.join(" ")
        ));
        out.errln(&format!("java.util.concurrent.ExecutionException: {e}"));
        return ToolResult::Exit(1);
    }
    let name_head = names.first().copied().unwrap_or("");
    if name_head.is_empty() {
        out.outln(&format!(
            "Completed updating default config for {head} in the cluster."
        ));
    } else {
        out.outln(&format!(
            "Completed updating config for {} {name_head}.",
            &head[..head.len() - 1]
        ));
    }
    ToolResult::Exit(0)
}

/// `describeQuotaConfigs`: one line per entity with quotas; entities and keys in the order of
/// the admin client's `HashMap`s.
fn describe(types: &[&str], names: &[&str], ctx: &ToolContext, out: &mut Output) -> ToolResult {
    if names.len() > types.len() {
        return illegal(out, "More entity names specified than entity types");
    }
    let filter = |wanted: &str| -> Option<Match> {
        let at = types.iter().position(|t| *t == wanted)?;
        Some(match names.get(at) {
            Some(&"") => Match::Default,
            Some(n) => Match::Name(n.to_string()),
            None => Match::Any,
        })
    };
    let found = ctx.playground.cluster.client_quotas().describe(
        filter("users").as_ref(),
        filter("clients").as_ref(),
        filter("ips").as_ref(),
    );
    // `ClientQuotaEntity.hashCode()`: `Objects.hash(entries)` of a map type → name (or null).
    let keyed: Vec<(usize, i32)> = found
        .iter()
        .enumerate()
        .map(|(i, (e, _))| {
            let part = |t: &str, n: &Option<Option<String>>| match n {
                None => 0,
                Some(name) => string_hash(t) ^ name.as_deref().map_or(0, string_hash),
            };
            let entries = part("user", &e.user)
                .wrapping_add(part("client-id", &e.client_id))
                .wrapping_add(part("ip", &e.ip));
            (i, 31i32.wrapping_add(entries))
        })
        .collect();
    for i in hashmap_order(&keyed, Some(found.len())) {
        let (entity, values) = &found[i];
        let describe_part = |kind: &str, part: &Option<Option<String>>| {
            part.as_ref().map(|name| match name {
                Some(n) => format!("{kind} '{n}'"),
                None => format!("the default {kind}"),
            })
        };
        let parts: Vec<String> = [
            describe_part("user-principal", &entity.user),
            describe_part("client-id", &entity.client_id),
            describe_part("ip", &entity.ip),
        ]
        .into_iter()
        .flatten()
        .collect();
        let keys: Vec<&str> = values.iter().map(|(k, _)| k.as_str()).collect();
        let entries: Vec<String> = string_hashmap_order(&keys, Some(keys.len()))
            .into_iter()
            .filter_map(|k| {
                let v = values.iter().find(|(n, _)| *n == k)?.1;
                Some(format!("{k}={}", double_text(v)))
            })
            .collect();
        out.outln(&format!(
            "Quota configs for {} are {}",
            parts.join(", "),
            entries.join(", ")
        ));
    }
    ToolResult::Exit(0)
}
