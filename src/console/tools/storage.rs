//! `kafka-storage.sh`: `random-uuid`, `format`, `info`. Formatting writes `meta.properties`
//! (and the bootstrap checkpoint) into the log directories of the server's properties file, on
//! the playground's file system, where `kafka-server-start.sh` looks for them.
//!
//! Kafka: core/src/main/scala/kafka/tools/StorageTool.scala,
//! metadata/src/main/java/org/apache/kafka/metadata/storage/Formatter.java.

use crate::console::options::parse_properties;
use crate::console::output::Output;
use crate::console::session::{Playground, ToolContext, ToolResult};
use crate::engine::TopicId;

/// The `metadata.version` a 4.3 node formats with by default (`MetadataVersion.LATEST_PRODUCTION`).
pub const METADATA_VERSION: &str = "4.3-IV0";

const USAGE: &str =
    "usage: kafka-storage [-h] {info,format,version-mapping,feature-dependencies,random-uuid} ...";

const FORMAT_USAGE: &str =
    "usage: kafka-storage format [-h] --config CONFIG --cluster-id CLUSTER_ID
                      [--add-scram ADD_SCRAM] [--ignore-formatted]
                      [--release-version RELEASE_VERSION] [--feature FEATURE]
                      [--standalone | --no-initial-controllers |
                      --initial-controllers INITIAL_CONTROLLERS]";

const INFO_USAGE: &str = "usage: kafka-storage info [-h] --config CONFIG";

/// What a node's properties file says about its storage and roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeConfig {
    pub node_id: i32,
    pub process_roles: Vec<String>,
    /// `log.dirs` (or `log.dir`), then `metadata.log.dir` if set: sorted and distinct, as
    /// `StorageTool.configToLogDirectories` gives them.
    pub directories: Vec<String>,
    /// `metadata.log.dir`, else the first of `log.dirs`.
    pub metadata_directory: String,
    pub quorum_voters: String,
    /// The controller listener's advertised port, for `--standalone`.
    pub controller_port: Option<String>,
}

impl NodeConfig {
    /// Reads a properties file with `key=value` overrides on top; a missing file is Java's
    /// `NoSuchFileException`, which the tools let escape `main`.
    pub fn read(
        pg: &Playground,
        path: &str,
        overrides: &[(String, String)],
    ) -> Result<Self, String> {
        let text = pg.files.read(path).ok_or_else(|| {
            format!("Exception in thread \"main\" java.nio.file.NoSuchFileException: {path}")
        })?;
        let mut props = parse_properties(text);
        props.extend(overrides.iter().cloned());
        let get = |key: &str| {
            props
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim().to_string())
        };
        let list = |v: Option<String>| -> Vec<String> {
            v.map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
        };
        let log_dirs = match get("log.dirs") {
            Some(dirs) => list(Some(dirs)),
            None => vec![get("log.dir").unwrap_or_else(|| "/tmp/kafka-logs".to_string())],
        };
        let metadata_directory = get("metadata.log.dir")
            .or_else(|| log_dirs.first().cloned())
            .unwrap_or_default();
        let mut directories = log_dirs;
        directories.push(metadata_directory.clone());
        crate::sort::sort(&mut directories);
        directories.dedup();
        let controller_listener = list(get("controller.listener.names")).into_iter().next();
        let listeners = get("advertised.listeners")
            .filter(|l| {
                controller_listener
                    .as_ref()
                    .is_some_and(|c| l.contains(c.as_str()))
            })
            .or_else(|| get("listeners"));
        let controller_port = controller_listener.and_then(|name| {
            list(listeners)
                .into_iter()
                .find(|l| l.starts_with(&format!("{name}://")))
                .and_then(|l| l.rsplit(':').next().map(str::to_string))
        });
        Ok(NodeConfig {
            node_id: get("node.id").and_then(|v| v.parse().ok()).unwrap_or(-1),
            process_roles: list(get("process.roles")),
            directories,
            metadata_directory,
            quorum_voters: get("controller.quorum.voters").unwrap_or_default(),
            controller_port,
        })
    }

    pub fn is_controller(&self) -> bool {
        self.process_roles.iter().any(|r| r == "controller")
    }
}

/// The metadata version `--release-version` names (`4.0` is that release's last `-IV`), if
/// it is one a 4.3 node can format with: 3.3 to 4.3.
fn release_version(text: &str) -> Option<String> {
    let (release, iv) = match text.split_once("-IV") {
        Some((release, iv)) => (release, Some(iv)),
        None => (text, None),
    };
    let (major, minor) = release.split_once('.')?;
    let known = match major {
        "3" => matches!(minor, "3" | "4" | "5" | "6" | "7" | "8" | "9"),
        "4" => matches!(minor, "0" | "1" | "2" | "3"),
        _ => false,
    };
    if !known || iv.is_some_and(|iv| iv.parse::<u8>().is_err()) {
        return None;
    }
    let last_iv = match release {
        "3.3" | "4.0" => 3,
        "3.7" => 4,
        "3.5" | "3.6" => 2,
        "4.1" | "4.2" => 1,
        _ => 0,
    };
    Some(format!(
        "{release}-IV{}",
        iv.map_or(last_iv.to_string(), str::to_string)
    ))
}

/// The `meta.properties` of a formatted directory, if there is one: (cluster id, node id).
pub fn meta_properties(pg: &Playground, directory: &str) -> Option<(String, i32)> {
    let text = pg.files.read(&format!("{directory}/meta.properties"))?;
    let props = parse_properties(text);
    let get = |key: &str| props.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    Some((
        get("cluster.id").unwrap_or_default(),
        get("node.id").and_then(|v| v.parse().ok()).unwrap_or(-1),
    ))
}

/// Java's `Date.toString()` of epoch milliseconds (UTC): `Mon Dec 07 19:15:08 UTC 2026`.
fn java_date(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let secs = ms.rem_euclid(86_400_000) / 1000;
    let (y, m, d) = crate::engine::clock::civil_from_days(days);
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{} {} {d:02} {:02}:{:02}:{:02} UTC {y}",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(m as usize).saturating_sub(1) % 12],
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

pub fn run(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    let Some((command, rest)) = args.split_first() else {
        out.errln(USAGE);
        out.errln("kafka-storage: error: too few arguments");
        return ToolResult::Exit(1);
    };
    match command.as_str() {
        "random-uuid" => {
            let id = TopicId::random(ctx.playground.cluster.rng());
            out.outln(&id.to_string());
            ToolResult::Exit(0)
        }
        "format" => ToolResult::Exit(format(rest, ctx.playground, out)),
        "info" => ToolResult::Exit(info(rest, ctx.playground, out)),
        "-h" | "--help" => {
            out.outln(USAGE);
            ToolResult::Exit(0)
        }
        other => {
            out.errln(USAGE);
            out.errln(&format!(
                "kafka-storage: error: argument {{info,format,version-mapping,feature-dependencies,random-uuid}}: invalid choice: '{other}' (choose from 'info', 'format', 'version-mapping', 'feature-dependencies', 'random-uuid')"
            ));
            ToolResult::Exit(1)
        }
    }
}

/// The options of `format` after argparse4j has read them.
#[derive(Default)]
struct FormatArgs {
    config: Option<String>,
    cluster_id: Option<String>,
    ignore_formatted: bool,
    release_version: Option<String>,
    standalone: bool,
    no_initial_controllers: bool,
    initial_controllers: Option<String>,
}

/// argparse4j's error for `format`: the usage, then the message.
fn format_error(out: &mut Output, message: &str) -> i32 {
    out.errln(FORMAT_USAGE);
    out.errln(&format!("kafka-storage: error: {message}"));
    1
}

fn parse_format(args: &[String], out: &mut Output) -> Result<FormatArgs, i32> {
    let mut parsed = FormatArgs::default();
    let mut exclusive: Option<&str> = None;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg, None),
        };
        let long = match name {
            "-c" | "--config" => "--config/-c",
            "-t" | "--cluster-id" => "--cluster-id/-t",
            "-r" | "--release-version" => "--release-version/-r",
            "-I" | "--initial-controllers" => "--initial-controllers/-I",
            "-S" | "--add-scram" => "--add-scram/-S",
            "-f" | "--feature" => "--feature/-f",
            "-g" | "--ignore-formatted" => "--ignore-formatted/-g",
            "-s" | "--standalone" => "--standalone/-s",
            "-N" | "--no-initial-controllers" => "--no-initial-controllers/-N",
            _ => {
                return Err(format_error(
                    out,
                    &format!("unrecognized arguments: '{arg}'"),
                ));
            }
        };
        if matches!(
            long,
            "--standalone/-s" | "--no-initial-controllers/-N" | "--initial-controllers/-I"
        ) {
            if let Some(other) = exclusive.filter(|o| *o != long) {
                return Err(format_error(
                    out,
                    &format!("argument {long}: not allowed with argument {other}"),
                ));
            }
            exclusive = Some(long);
        }
        match long {
            "--ignore-formatted/-g" => parsed.ignore_formatted = true,
            "--standalone/-s" => parsed.standalone = true,
            "--no-initial-controllers/-N" => parsed.no_initial_controllers = true,
            _ => {
                let value = match inline {
                    Some(v) => v,
                    None => match args
                        .get(i + 1)
                        .filter(|v| !v.starts_with('-') || v.len() == 1)
                    {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => {
                            return Err(format_error(
                                out,
                                &format!("argument {long}: expected one argument"),
                            ));
                        }
                    },
                };
                match long {
                    "--config/-c" => parsed.config = Some(value),
                    "--cluster-id/-t" => parsed.cluster_id = Some(value),
                    "--release-version/-r" => parsed.release_version = Some(value),
                    "--initial-controllers/-I" => parsed.initial_controllers = Some(value),
                    _ => {}
                }
            }
        }
        i += 1;
    }
    if parsed.config.is_none() {
        return Err(format_error(out, "argument --config/-c is required"));
    }
    if parsed.cluster_id.is_none() {
        return Err(format_error(out, "argument --cluster-id/-t is required"));
    }
    Ok(parsed)
}

fn format(args: &[String], pg: &mut Playground, out: &mut Output) -> i32 {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        out.outln(FORMAT_USAGE);
        return 0;
    }
    let parsed = match parse_format(args, out) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let config_path = parsed.config.clone().unwrap_or_default();
    let config = match NodeConfig::read(pg, &config_path, &[]) {
        Ok(c) => c,
        Err(e) => {
            out.errln(&e);
            return 1;
        }
    };
    // TerseFailure and FormatterException: the message alone on stderr, exit status 1.
    let fail = |out: &mut Output, message: &str| {
        out.errln(message);
        1
    };
    if config.process_roles.is_empty() {
        return fail(
            out,
            "The kafka configuration file appears to be for a legacy cluster. Formatting is only supported for clusters in KRaft mode.",
        );
    }
    let release = parsed
        .release_version
        .clone()
        .unwrap_or_else(|| METADATA_VERSION.to_string());
    let Some(release) = release_version(&release) else {
        // `MetadataVersion.fromVersionString`'s IllegalArgumentException escapes `main`.
        return fail(
            out,
            &format!(
                "Exception in thread \"main\" java.lang.IllegalArgumentException: Version {release} is not a valid version"
            ),
        );
    };
    if parsed.standalone && !config.is_controller() {
        return fail(out, "You can only use --standalone on a controller.");
    }
    let dynamic = parsed.standalone || parsed.initial_controllers.is_some();
    if !parsed.no_initial_controllers
        && config.is_controller()
        && config.quorum_voters.is_empty()
        && !dynamic
    {
        return fail(
            out,
            "Because controller.quorum.voters is not set on this controller, you must specify one of the following: --standalone, --initial-controllers, or --no-initial-controllers.",
        );
    }
    if config.node_id < 0 {
        return fail(out, "You must specify a valid non-negative node ID.");
    }
    let cluster_id = parsed.cluster_id.clone().unwrap_or_default();
    // `MetaPropertiesEnsemble.verify`: directories already formatted must agree with this
    // format's cluster and node ids. Its RuntimeException escapes `main`.
    let formatted: Vec<&String> = config
        .directories
        .iter()
        .filter(|d| meta_properties(pg, d).is_some())
        .collect();
    for dir in &formatted {
        if let Some((id, node)) = meta_properties(pg, dir) {
            if id != cluster_id {
                return fail(
                    out,
                    &format!(
                        "Exception in thread \"main\" java.lang.RuntimeException: Invalid cluster.id in: {dir}/meta.properties. Expected {cluster_id}, but read {id}"
                    ),
                );
            }
            if node != config.node_id {
                return fail(
                    out,
                    &format!(
                        "Exception in thread \"main\" java.lang.RuntimeException: Stored node id {node} doesn't match previous node id {} in {dir}/meta.properties. If you moved your data, make sure your configured node id matches. If you intend to create a new node, you should remove all data in your data directories.",
                        config.node_id
                    ),
                );
            }
        }
    }
    if let Some(first) = formatted.first() {
        if !parsed.ignore_formatted {
            return fail(
                out,
                &format!(
                    "Log directory {first} is already formatted. Use --ignore-formatted to ignore this directory and format the others."
                ),
            );
        }
    }
    let empty: Vec<String> = config
        .directories
        .iter()
        .filter(|d| meta_properties(pg, d).is_none())
        .cloned()
        .collect();
    if empty.is_empty() {
        out.outln("All of the log directories are already formatted.");
        return 0;
    }
    let date = java_date(pg.cluster.now_ms());
    for dir in empty {
        let kind = if dir != config.metadata_directory {
            "data directory"
        } else if !dynamic {
            "metadata directory"
        } else if parsed.standalone
            || parsed.initial_controllers.as_deref().is_some_and(|v| {
                v.split(',')
                    .any(|voter| voter.split('@').next() == Some(&config.node_id.to_string()))
            })
        {
            "dynamic metadata voter directory"
        } else {
            "dynamic metadata directory"
        };
        out.outln(&format!(
            "Formatting {kind} {dir} with metadata.version {release}."
        ));
        let directory_id = TopicId::random(pg.cluster.rng());
        pg.files.write(
            &format!("{dir}/meta.properties"),
            format!(
                "#\n#{date}\nnode.id={}\ndirectory.id={directory_id}\nversion=1\ncluster.id={cluster_id}\n",
                config.node_id
            ),
        );
        pg.files
            .write(&format!("{dir}/bootstrap.checkpoint"), String::new());
        if kind.starts_with("dynamic") {
            // `writeDynamicQuorumSnapshot`: the initial voters, as the snapshot at offset 0,
            // epoch 0 of `__cluster_metadata-0`.
            pg.files.write(
                &format!("{dir}/__cluster_metadata-0/00000000000000000000-0000000000.checkpoint"),
                String::new(),
            );
        }
    }
    0
}

/// `info -c CONFIG`: each log directory's state and the `meta.properties` found.
fn info(args: &[String], pg: &mut Playground, out: &mut Output) -> i32 {
    let config_path = match args {
        [flag, path] if flag == "-c" || flag == "--config" => path.clone(),
        [arg] if arg.starts_with("--config=") => arg["--config=".len()..].to_string(),
        [] => {
            out.errln(INFO_USAGE);
            out.errln("kafka-storage: error: argument --config/-c is required");
            return 1;
        }
        _ => {
            out.errln(INFO_USAGE);
            out.errln(&format!(
                "kafka-storage: error: unrecognized arguments: '{}'",
                args.join(" ")
            ));
            return 1;
        }
    };
    let config = match NodeConfig::read(pg, &config_path, &[]) {
        Ok(c) => c,
        Err(e) => {
            out.errln(&e);
            return 1;
        }
    };
    let mut problems = Vec::new();
    let mut found = Vec::new();
    let mut meta = None;
    for dir in &config.directories {
        match pg.files.kind(dir) {
            None => problems.push(format!("{dir} does not exist")),
            Some(crate::console::files::Kind::File) => {
                problems.push(format!("{dir} is not a directory"))
            }
            Some(crate::console::files::Kind::Dir) => {
                found.push(dir.clone());
                match pg.files.read(&format!("{dir}/meta.properties")) {
                    None => problems.push(format!("{dir} is not formatted.")),
                    Some(text) => {
                        meta.get_or_insert_with(|| {
                            let mut props = parse_properties(text);
                            crate::sort::sort(&mut props);
                            props
                        });
                    }
                }
            }
        }
    }
    if !found.is_empty() {
        out.outln(if found.len() == 1 {
            "Found log directory:"
        } else {
            "Found log directories:"
        });
        for dir in &found {
            out.outln(&format!("  {dir}"));
        }
        out.outln("");
    }
    if let Some(props) = meta {
        // A `TreeMap`'s `toString`: sorted, `{k=v, k=v}`.
        let body: Vec<String> = props.iter().map(|(k, v)| format!("{k}={v}")).collect();
        out.outln(&format!("Found metadata: {{{}}}", body.join(", ")));
        out.outln("");
    }
    if problems.is_empty() {
        return 0;
    }
    out.outln(if problems.len() == 1 {
        "Found problem:"
    } else {
        "Found problems:"
    });
    for problem in &problems {
        out.outln(&format!("  {problem}"));
    }
    out.outln("");
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_versions() {
        assert_eq!(release_version("3.9").as_deref(), Some("3.9-IV0"));
        assert_eq!(release_version("4.0").as_deref(), Some("4.0-IV3"));
        assert_eq!(release_version("3.7-IV2").as_deref(), Some("3.7-IV2"));
        for bad in ["3.2", "9.9", "4", "4.0-IVx", "", "x.y"] {
            assert_eq!(release_version(bad), None, "{bad}");
        }
    }

    #[test]
    fn java_dates() {
        assert_eq!(java_date(0), "Thu Jan 01 00:00:00 UTC 1970");
        assert_eq!(java_date(1_796_670_908_000), "Mon Dec 07 19:15:08 UTC 2026");
    }
}
