//! `kafka-acls.sh`: add, list and remove ACLs through the Admin client, as `AclCommand` does.
//! The brokers answer only when an authorizer is configured (`playground authorizer on`); the
//! ACLs are stored, listed and removed here, and the other tools do not yet enforce them.
//!
//! Kafka: core/src/main/scala/kafka/admin/AclCommand.scala (tools/…/AclCommand.java in 4.x)

use super::Opening;
use crate::console::options::{self, HELP, Opt, Parsed, VERSION};
use crate::console::output::Output;
use crate::console::session::{Stdin, ToolContext, ToolResult};
use crate::engine::acls::{
    AccessControlEntry, AclError, CLUSTER_NAME, ResourcePattern, ResourcePatternFilter,
};

pub const OPTIONS: &[Opt] = &[
    Opt::flag("add", "Indicates you are trying to add ACLs."),
    Opt::string(
        "allow-host",
        "Host from which principals listed in --allow-principal will have access. If you have specified --allow-principal then the default for this option will be set to '*' which allows access from all hosts.",
        "allow-host",
    ),
    Opt::string(
        "allow-principal",
        "principal is in principalType:name format. Note that principalType must be supported by the Authorizer being used. For example, User:'*' is the wild card indicating all users.",
        "allow-principal",
    ),
    Opt::string(
        "bootstrap-controller",
        "A list of host/port pairs to use for establishing the connection to the Kafka cluster. This list should be in the form host1:port1,host2:port2,... This config is required for acl management using admin client API.",
        "controller to connect to",
    ),
    Opt::string(
        "bootstrap-server",
        "A list of host/port pairs to use for establishing the connection to the Kafka cluster. This list should be in the form host1:port1,host2:port2,... This config is required for acl management using admin client API.",
        "server to connect to",
    ),
    Opt::flag("cluster", "Add/Remove cluster ACLs."),
    Opt::string(
        "command-config",
        "A property file containing configs to be passed to Admin Client.",
        "command-config",
    )
    .optional(),
    Opt::flag(
        "consumer",
        "Convenience option to add/remove ACLs for consumer role. This will generate ACLs that allows READ,DESCRIBE on topic and READ on group.",
    ),
    Opt::string(
        "delegation-token",
        "Delegation token to which ACLs should be added or removed. A value of '*' indicates ACL should apply to all tokens.",
        "delegation-token",
    ),
    Opt::string(
        "deny-host",
        "Host from which principals listed in --deny-principal will be denied access. If you have specified --deny-principal then the default for this option will be set to '*' which denies access from all hosts.",
        "deny-host",
    ),
    Opt::string(
        "deny-principal",
        "principal is in principalType:name format. By default anyone not added through --allow-principal is denied access. You only need to use this option as negation to already allowed set. Note that principalType must be supported by the Authorizer being used. For example if you wanted to allow access to all users in the system but not test-user you can define an ACL that allows access to User:'*' and specify --deny-principal=User:test@EXAMPLE.COM. AND PLEASE REMEMBER DENY RULES TAKES PRECEDENCE OVER ALLOW RULES.",
        "deny-principal",
    ),
    Opt::flag("force", "Assume Yes to all queries and do not prompt."),
    Opt::string(
        "group",
        "Consumer Group to which the ACLs should be added or removed. A value of '*' indicates the ACLs should apply to all groups.",
        "group",
    ),
    HELP,
    Opt::flag(
        "idempotent",
        "Enable idempotence for the producer. This should be used in combination with the --producer option. Note that idempotence is enabled automatically if the producer is authorized to a particular transactional-id.",
    ),
    Opt::flag(
        "list",
        "List ACLs for the specified resource, use --topic <topic> or --group <group> or --cluster to specify a resource.",
    ),
    Opt::string(
        "operation",
        "Operation that is being allowed or denied. Valid operation names are: \n\tAll\n\tRead\n\tWrite\n\tCreate\n\tDelete\n\tAlter\n\tDescribe\n\tClusterAction\n\tDescribeConfigs\n\tAlterConfigs\n\tIdempotentWrite\n\tCreateTokens\n\tDescribeTokens\n",
        "",
    )
    .default("All"),
    Opt::string(
        "principal",
        "List ACLs for the specified principal. principal is in principalType:name format. Note that principalType must be supported by the Authorizer being used. Multiple --principal option can be passed.",
        "principal",
    )
    .optional(),
    Opt::flag(
        "producer",
        "Convenience option to add/remove ACLs for producer role. This will generate ACLs that allows WRITE,DESCRIBE and CREATE on topic.",
    ),
    Opt::flag("remove", "Indicates you are trying to remove ACLs."),
    Opt::string(
        "resource-pattern-type",
        "The type of the resource pattern or pattern filter. When adding acls, this should be a specific pattern type, e.g. 'literal' or 'prefixed'. When listing or removing acls, a specific pattern type can be used to list or remove acls from specific resource patterns, or use the filter values of 'any' or 'match', where 'any' will match any pattern type, but will match the resource name exactly, where as 'match' will perform pattern matching to list or remove all acls that affect the supplied resource(s). WARNING: 'match', when used in combination with the '--remove' switch, should be used with care.",
        "ANY|MATCH|LITERAL|PREFIXED",
    )
    .default("LITERAL"),
    Opt::string(
        "topic",
        "topic to which ACLs should be added or removed. A value of '*' indicates ACL should apply to all topics.",
        "topic",
    ),
    Opt::string(
        "transactional-id",
        "The transactionalId to which ACLs should be added or removed. A value of '*' indicates the ACLs should apply to all transactionalIds.",
        "transactional-id",
    ),
    Opt::string(
        "user-principal",
        "Specifies a user principal as a resource in relation with the operation. For instance one could grant CreateTokens or DescribeTokens permission on a given user principal.",
        "user-principal",
    ),
    VERSION,
];

/// `kafka-acls.sh`'s opening (`CommandLineUtils.maybePrintHelpOrVersion`).
pub const OPENING: Opening = Opening::new(OPTIONS, "This tool helps to manage acls on kafka.");

/// `AclOperation`'s concrete values, in the enum's order.
const OPERATIONS: &[&str] = &[
    "ALL",
    "READ",
    "WRITE",
    "CREATE",
    "DELETE",
    "ALTER",
    "DESCRIBE",
    "CLUSTER_ACTION",
    "DESCRIBE_CONFIGS",
    "ALTER_CONFIGS",
    "IDEMPOTENT_WRITE",
    "CREATE_TOKENS",
    "DESCRIBE_TOKENS",
];

/// `AclEntry.supportedOperations` (and `ALL`, which every resource type takes).
fn supported_operations(resource_type: &str) -> &'static [&'static str] {
    match resource_type {
        "TOPIC" => &[
            "ALL",
            "READ",
            "WRITE",
            "CREATE",
            "DELETE",
            "ALTER",
            "DESCRIBE",
            "DESCRIBE_CONFIGS",
            "ALTER_CONFIGS",
        ],
        "GROUP" => &[
            "ALL",
            "READ",
            "DELETE",
            "DESCRIBE",
            "DESCRIBE_CONFIGS",
            "ALTER_CONFIGS",
        ],
        "CLUSTER" => &[
            "ALL",
            "CREATE",
            "ALTER",
            "DESCRIBE",
            "CLUSTER_ACTION",
            "DESCRIBE_CONFIGS",
            "ALTER_CONFIGS",
            "IDEMPOTENT_WRITE",
        ],
        "TRANSACTIONAL_ID" => &["ALL", "WRITE", "DESCRIBE"],
        "DELEGATION_TOKEN" => &["ALL", "DESCRIBE"],
        _ => &["ALL", "CREATE_TOKENS", "DESCRIBE_TOKENS"],
    }
}

/// `SecurityUtils.operationName`: `IDEMPOTENT_WRITE` → `IdempotentWrite`.
fn pascal_case(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(c) => c
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect()
}

/// `SecurityUtils.operation`: the Pascal-case name or its upper case; `UNKNOWN` otherwise.
fn operation(name: &str) -> String {
    OPERATIONS
        .iter()
        .find(|op| {
            let pascal = pascal_case(op);
            name == pascal || name.to_uppercase() == pascal.to_uppercase()
        })
        .map_or_else(|| "UNKNOWN".to_string(), |op| op.to_string())
}

/// Why the command stops: a usage error (message, then the option table) or an exception
/// `main` catches.
enum Failure {
    Usage(String),
    Error { message: String, class_line: String },
}

impl From<AclError> for Failure {
    fn from(e: AclError) -> Self {
        Failure::Error {
            message: e.to_string(),
            class_line: format!("java.util.concurrent.ExecutionException: {e}"),
        }
    }
}

fn illegal_argument(message: String) -> Failure {
    Failure::Error {
        class_line: format!("java.lang.IllegalArgumentException: {message}"),
        message,
    }
}

type ResourceAcls = Vec<(ResourcePatternFilter, Vec<AccessControlEntry>)>;

pub fn run(opts: Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let result = check_args(&opts).and_then(|()| {
        if opts.has("add") {
            add(&opts, ctx, out)
        } else if opts.has("remove") {
            remove(&opts, ctx, out)
        } else {
            list(&opts, ctx, out)
        }
    });
    match result {
        Ok(code) => ToolResult::Exit(code),
        Err(Failure::Usage(message)) => ToolResult::Exit(options::usage(out, &message, OPTIONS)),
        Err(Failure::Error {
            message,
            class_line,
        }) => {
            // `main` prints the message and `Utils.stackTrace(e)` on stdout; the frames
            // (`\tat …`) are left out.
            out.outln(&format!("Error while executing ACL command: {message}"));
            out.outln(&class_line);
            ToolResult::Exit(1)
        }
    }
}

/// `AclCommandOptions.checkArgs`, in its order.
fn check_args(opts: &Parsed) -> Result<(), Failure> {
    let usage = |m: &str| Err(Failure::Usage(m.to_string()));
    let server = opts.has("bootstrap-server");
    let controller = opts.has("bootstrap-controller");
    if server && controller {
        return usage("Only one of --bootstrap-server or --bootstrap-controller must be specified");
    }
    if !server && !controller {
        return usage("One of --bootstrap-server or --bootstrap-controller must be specified");
    }
    let actions = ["add", "remove", "list"]
        .iter()
        .filter(|a| opts.has(a))
        .count();
    if actions != 1 {
        return usage("Command must include exactly one action: --list, --add, --remove. ");
    }
    // `CommandLineUtils.checkInvalidArgs`.
    let invalid: &[(&str, &[&str])] = &[
        (
            "list",
            &[
                "producer",
                "consumer",
                "allow-host",
                "allow-principal",
                "deny-host",
                "deny-principal",
            ],
        ),
        ("producer", &["operation", "deny-principal", "deny-host"]),
        ("consumer", &["operation", "deny-principal", "deny-host"]),
    ];
    for (used, others) in invalid {
        if !opts.has(used) {
            continue;
        }
        if let Some(other) = others.iter().find(|o| opts.has(o)) {
            return usage(&options::cannot_combine(used, other));
        }
    }
    if opts.has("principal") && !opts.has("list") {
        return usage("The --principal option is only available if --list is set");
    }
    if opts.has("producer") && !opts.has("topic") {
        return usage("With --producer you must specify a --topic");
    }
    if opts.has("idempotent") && !opts.has("producer") {
        return usage("The --idempotent option is only available if --producer is set");
    }
    if opts.has("consumer")
        && (!opts.has("topic")
            || !opts.has("group")
            || (!opts.has("producer") && (opts.has("cluster") || opts.has("transactional-id"))))
    {
        return usage(
            "With --consumer you must specify a --topic and a --group and no --cluster or --transactional-id option should be specified.",
        );
    }
    Ok(())
}

/// `--resource-pattern-type` through `PatternTypeConverter`.
fn pattern_type(opts: &Parsed) -> Result<String, Failure> {
    let value = opts.value("resource-pattern-type").unwrap_or("LITERAL");
    let upper = value.to_uppercase();
    match upper.as_str() {
        "ANY" | "MATCH" | "LITERAL" | "PREFIXED" => Ok(upper),
        "UNKNOWN" => Err(Failure::Error {
            message: format!("Unknown resource-pattern-type: {value}"),
            class_line: format!(
                "joptsimple.ValueConversionException: Unknown resource-pattern-type: {value}"
            ),
        }),
        _ => Err(Failure::Error {
            message: format!("Cannot parse argument '{value}' of option resource-pattern-type"),
            class_line: format!(
                "joptsimple.OptionArgumentConversionException: Cannot parse argument '{value}' of option resource-pattern-type"
            ),
        }),
    }
}

/// `getResourceFilter`: the resources named, in Kafka's order.
fn resource_filters(opts: &Parsed, die: bool) -> Result<Vec<ResourcePatternFilter>, Failure> {
    let pattern_type = pattern_type(opts)?;
    let mut filters: Vec<ResourcePatternFilter> = Vec::new();
    let mut push = |resource_type: &str, name: &str| {
        let f = ResourcePatternFilter {
            resource_type: resource_type.to_string(),
            name: name.to_string(),
            pattern_type: pattern_type.clone(),
        };
        if !filters.contains(&f) {
            filters.push(f);
        }
    };
    for t in opts.values("topic") {
        push("TOPIC", t.trim());
    }
    if pattern_type == "LITERAL" && (opts.has("cluster") || opts.has("idempotent")) {
        push("CLUSTER", CLUSTER_NAME);
    }
    for g in opts.values("group") {
        push("GROUP", g.trim());
    }
    for t in opts.values("transactional-id") {
        push("TRANSACTIONAL_ID", t);
    }
    for t in opts.values("delegation-token") {
        push("DELEGATION_TOKEN", t.trim());
    }
    for u in opts.values("user-principal") {
        push("USER", u.trim());
    }
    if filters.is_empty() && die {
        return Err(Failure::Usage("You must provide at least one resource: --topic <topic> or --cluster or --group <group> or --delegation-token <Delegation Token ID>".into()));
    }
    Ok(filters)
}

/// `SecurityUtils.parseKafkaPrincipal`, as `principalType:name`.
fn principals(opts: &Parsed, option: &str) -> Result<Vec<String>, Failure> {
    let mut out: Vec<String> = Vec::new();
    for p in opts.values(option) {
        let p = p.trim();
        if !p.contains(':') {
            return Err(illegal_argument(format!(
                "expected a string in format principalType:principalName but got {p}"
            )));
        }
        if !out.iter().any(|q| q == p) {
            out.push(p.to_string());
        }
    }
    Ok(out)
}

fn hosts(opts: &Parsed, option: &str, principal_option: &str) -> Vec<String> {
    if opts.has(option) {
        let mut out: Vec<String> = Vec::new();
        for h in opts.values(option) {
            if !out.iter().any(|x| x == h.trim()) {
                out.push(h.trim().to_string());
            }
        }
        out
    } else if opts.has(principal_option) {
        vec!["*".to_string()]
    } else {
        Vec::new()
    }
}

/// `getAcl(opts, operations)`: every principal × operation × host, allowed then denied.
fn entries(opts: &Parsed, operations: &[String]) -> Result<Vec<AccessControlEntry>, Failure> {
    let mut out = Vec::new();
    for (principal_option, host_option, permission) in [
        ("allow-principal", "allow-host", "ALLOW"),
        ("deny-principal", "deny-host", "DENY"),
    ] {
        let principals = principals(opts, principal_option)?;
        let hosts = hosts(opts, host_option, principal_option);
        for principal in &principals {
            for op in operations {
                for host in &hosts {
                    let entry = AccessControlEntry {
                        principal: principal.clone(),
                        host: host.clone(),
                        operation: op.clone(),
                        permission_type: permission.to_string(),
                    };
                    if !out.contains(&entry) {
                        out.push(entry);
                    }
                }
            }
        }
    }
    Ok(out)
}

fn ops(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn merge(into: &mut ResourceAcls, filter: ResourcePatternFilter, acls: Vec<AccessControlEntry>) {
    match into.iter_mut().find(|(f, _)| *f == filter) {
        Some((_, existing)) => {
            // `++=` on a map replaces the value; the consumer's merge keeps both.
            *existing = acls;
        }
        None => into.push((filter, acls)),
    }
}

/// `getResourceFilterToAcls`: the CLI's ACLs, or the `--producer`/`--consumer` expansions.
fn resource_filter_to_acls(opts: &Parsed) -> Result<ResourceAcls, Failure> {
    let mut map: ResourceAcls = Vec::new();
    if !opts.has("producer") && !opts.has("consumer") {
        let mut operations: Vec<String> = Vec::new();
        let given = opts.values("operation");
        let given = if given.is_empty() { vec!["All"] } else { given };
        for name in given {
            let op = operation(name.trim());
            if !operations.contains(&op) {
                operations.push(op);
            }
        }
        let acls = entries(opts, &operations)?;
        for f in resource_filters(opts, true)? {
            merge(&mut map, f, acls.clone());
        }
    }
    if opts.has("producer") {
        let filters = resource_filters(opts, true)?;
        let topic_acls = entries(opts, &ops(&["WRITE", "DESCRIBE", "CREATE"]))?;
        let txn_acls = entries(opts, &ops(&["WRITE", "DESCRIBE"]))?;
        for f in filters {
            match f.resource_type.as_str() {
                "TOPIC" => merge(&mut map, f, topic_acls.clone()),
                "TRANSACTIONAL_ID" => merge(&mut map, f, txn_acls.clone()),
                _ => {}
            }
        }
        if opts.has("idempotent") {
            let cluster = ResourcePatternFilter {
                resource_type: "CLUSTER".into(),
                name: CLUSTER_NAME.into(),
                pattern_type: "LITERAL".into(),
            };
            merge(
                &mut map,
                cluster,
                entries(opts, &ops(&["IDEMPOTENT_WRITE"]))?,
            );
        }
    }
    if opts.has("consumer") {
        let filters = resource_filters(opts, true)?;
        let topic_acls = entries(opts, &ops(&["READ", "DESCRIBE"]))?;
        let group_acls = entries(opts, &ops(&["READ"]))?;
        for f in filters {
            let mut acls = match f.resource_type.as_str() {
                "TOPIC" => topic_acls.clone(),
                "GROUP" => group_acls.clone(),
                _ => continue,
            };
            if let Some((_, existing)) = map.iter().find(|(g, _)| *g == f) {
                for e in existing {
                    if !acls.contains(e) {
                        acls.push(e.clone());
                    }
                }
            }
            merge(&mut map, f, acls);
        }
    }
    // `validateOperation`.
    for (f, acls) in &map {
        let valid = supported_operations(&f.resource_type);
        if acls.iter().any(|a| !valid.contains(&a.operation.as_str())) {
            let names: Vec<String> = valid.iter().map(|o| pascal_case(o)).collect();
            return Err(Failure::Usage(format!(
                "ResourceType {} only supports operations {}",
                f.resource_type,
                names.join(", ")
            )));
        }
    }
    Ok(map)
}

/// ACLs as `AclCommand` prints them: one per line, each after a tab, the first after a space.
fn acl_lines(acls: &[AccessControlEntry]) -> String {
    acls.iter()
        .map(|a| format!("\t{a}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn add(opts: &Parsed, ctx: &mut ToolContext, out: &mut Output) -> Result<i32, Failure> {
    let pattern_type = pattern_type(opts)?;
    if pattern_type != "LITERAL" && pattern_type != "PREFIXED" {
        return Err(Failure::Usage(format!(
            "A '--resource-pattern-type' value of '{pattern_type}' is not valid when adding acls."
        )));
    }
    let map = resource_filter_to_acls(opts)?;
    if map.iter().any(|(_, acls)| acls.is_empty()) {
        return Err(Failure::Usage(
            "You must specify one of: --allow-principal, --deny-principal when trying to add ACLs."
                .into(),
        ));
    }
    for (f, acls) in map {
        let pattern = ResourcePattern {
            resource_type: f.resource_type,
            name: f.name,
            pattern_type: f.pattern_type,
        };
        out.outln(&format!(
            "Adding ACLs for resource `{pattern}`: \n {} \n",
            acl_lines(&acls)
        ));
        let bindings: Vec<_> = acls.into_iter().map(|a| (pattern.clone(), a)).collect();
        ctx.playground.cluster.acls_mut().create(&bindings)?;
    }
    Ok(0)
}

fn list(opts: &Parsed, ctx: &mut ToolContext, out: &mut Output) -> Result<i32, Failure> {
    let filters = resource_filters(opts, false)?;
    let list_principals = principals(opts, "principal")?;
    let bindings = ctx.playground.cluster.acls().describe(&filters)?;
    let mut by_resource: Vec<(ResourcePattern, Vec<AccessControlEntry>)> = Vec::new();
    for (p, e) in bindings {
        match by_resource.iter_mut().find(|(q, _)| *q == p) {
            Some((_, acls)) => acls.push(e),
            None => by_resource.push((p, vec![e])),
        }
    }
    let print = |out: &mut Output, resources: &[(ResourcePattern, Vec<AccessControlEntry>)]| {
        for (p, acls) in resources {
            out.outln(&format!(
                "Current ACLs for resource `{p}`: \n {} \n",
                acl_lines(acls)
            ));
        }
    };
    if list_principals.is_empty() {
        print(out, &by_resource);
    } else {
        for principal in &list_principals {
            out.outln(&format!("ACLs for principal `{principal}`"));
            let filtered: Vec<_> = by_resource
                .iter()
                .map(|(p, acls)| {
                    let mine: Vec<_> = acls
                        .iter()
                        .filter(|a| a.principal == *principal)
                        .cloned()
                        .collect();
                    (p.clone(), mine)
                })
                .filter(|(_, acls)| !acls.is_empty())
                .collect();
            print(out, &filtered);
        }
    }
    Ok(0)
}

fn remove(opts: &Parsed, ctx: &mut ToolContext, out: &mut Output) -> Result<i32, Failure> {
    let map = resource_filter_to_acls(opts)?;
    let mut answers: Vec<String> = match &ctx.stdin {
        Stdin::Data(text) => text.lines().rev().map(str::to_string).collect(),
        _ => Vec::new(),
    };
    for (f, acls) in map {
        let question = if acls.is_empty() {
            format!("Are you sure you want to delete all ACLs for resource filter `{f}`? (y/n)")
        } else {
            format!(
                "Are you sure you want to remove ACLs: \n {} \n from resource filter `{f}`? (y/n)",
                acl_lines(&acls)
            )
        };
        if !opts.has("force") {
            out.outln(&question);
            if matches!(ctx.stdin, Stdin::Terminal) {
                // The console cannot hold a tool at a prompt: say how to answer instead.
                out.errln("(the playground's console cannot answer this prompt: add --force, or pipe the answer: echo y | kafka-acls.sh …)");
                return Ok(0);
            }
            // `StdIn.readLine().equalsIgnoreCase("y")`; at the end of the input nothing is
            // removed.
            let answer = answers.pop().unwrap_or_default();
            if !answer.eq_ignore_ascii_case("y") {
                continue;
            }
        }
        ctx.playground.cluster.acls_mut().delete(&f, &acls)?;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use crate::console::session::Playground;
    use crate::console::terminal::Terminal;
    use crate::engine::{Cluster, ClusterConfig};

    /// The first line a failing command prints (a usage error's message).
    fn first_err(line: &str) -> String {
        let mut pg = Playground::scripted(Cluster::new(ClusterConfig::default()));
        let mut t = Terminal::batch();
        let text = t.enter(&mut pg, line).text();
        assert_eq!(t.last_status(), 1, "{line}");
        text.lines().next().unwrap_or_default().to_string()
    }

    #[test]
    fn option_errors_are_acl_commands() {
        // Kafka: core/src/main/scala/kafka/admin/AclCommand.scala (checkArgs, getResourceFilter,
        // getResourceToAcls, validateOperation)
        let b = "kafka-acls.sh --bootstrap-server localhost:9092";
        let cases = [
            (
                "kafka-acls.sh --list".to_string(),
                "One of --bootstrap-server or --bootstrap-controller must be specified",
            ),
            (
                format!("{b} --add --list"),
                "Command must include exactly one action: --list, --add, --remove. ",
            ),
            (
                format!("{b} --list --producer"),
                "Option \"[list]\" can't be used with option \"[producer]\"",
            ),
            (
                format!("{b} --add --producer --operation Read --topic t"),
                "Option \"[producer]\" can't be used with option \"[operation]\"",
            ),
            (
                format!("{b} --add --principal User:a --topic t"),
                "The --principal option is only available if --list is set",
            ),
            (
                format!("{b} --add --producer"),
                "With --producer you must specify a --topic",
            ),
            (
                format!("{b} --add --idempotent --topic t"),
                "The --idempotent option is only available if --producer is set",
            ),
            (
                format!("{b} --add --consumer --topic t"),
                "With --consumer you must specify a --topic and a --group and no --cluster or --transactional-id option should be specified.",
            ),
            (
                format!("{b} --add --allow-principal User:a"),
                "You must provide at least one resource: --topic <topic> or --cluster or --group <group> or --delegation-token <Delegation Token ID>",
            ),
            (
                format!("{b} --add --topic t"),
                "You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.",
            ),
            (
                format!(
                    "{b} --add --allow-principal User:a --topic t --resource-pattern-type match"
                ),
                "A '--resource-pattern-type' value of 'MATCH' is not valid when adding acls.",
            ),
        ];
        for (line, message) in cases {
            assert_eq!(first_err(&line), message, "{line}");
        }
        assert!(
            first_err(&format!(
                "{b} --add --allow-principal User:a --cluster --operation Read"
            ))
            .starts_with("ResourceType CLUSTER only supports operations ")
        );
    }
}
