//! `kafka-features.sh`: `describe`, `upgrade`, `downgrade`, `disable`, `version-mapping`,
//! `feature-dependencies`. Its command line is argparse4j's (options, then a subcommand and
//! its options); the checks of an update are the controller's (`engine::features`).
//!
//! Kafka: tools/src/main/java/org/apache/kafka/tools/FeatureCommand.java.

use crate::console::output::Output;
use crate::console::session::{ToolContext, ToolResult};
use crate::engine::features::{
    self, FEATURES, LATEST_PRODUCTION, METADATA_VERSION, METADATA_VERSIONS, MINIMUM_VERSION,
    UpgradeType,
};

const COMMANDS: &str = "{describe,upgrade,downgrade,disable,version-mapping,feature-dependencies}";

const USAGE: &str = "usage: kafka-features [-h] (--bootstrap-server BOOTSTRAP_SERVER |
                      --bootstrap-controller BOOTSTRAP_CONTROLLER)
                      [--command-config COMMAND_CONFIG]
                      {describe,upgrade,downgrade,disable,version-mapping,feature-dependencies}
                      ...";

/// A subcommand's options after argparse4j has read them.
#[derive(Default)]
struct Args {
    release_version: Option<String>,
    features: Vec<String>,
    dry_run: bool,
    unsafe_downgrade: bool,
}

pub fn run(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    ToolResult::Exit(execute(args, ctx, out))
}

fn parse_error(out: &mut Output, message: &str) -> i32 {
    out.errln(USAGE);
    out.errln(&format!("kafka-features: error: {message}"));
    1
}

fn execute(args: &[String], ctx: &mut ToolContext, out: &mut Output) -> i32 {
    let mut bootstrap = None;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg, None),
        };
        match name {
            "-h" | "--help" => {
                out.outln(USAGE);
                return 0;
            }
            "--bootstrap-server" | "--bootstrap-controller" | "--command-config" => {
                let value = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => {
                                return parse_error(
                                    out,
                                    &format!("argument {name}: expected one argument"),
                                );
                            }
                        }
                    }
                };
                if name != "--command-config" {
                    if bootstrap.is_some() {
                        return parse_error(
                            out,
                            &format!(
                                "argument {name}: not allowed with argument {}",
                                if name == "--bootstrap-server" {
                                    "--bootstrap-controller"
                                } else {
                                    "--bootstrap-server"
                                }
                            ),
                        );
                    }
                    bootstrap = Some(value);
                } else if ctx.playground.files.read(&value).is_none() {
                    return parse_error(
                        out,
                        &format!(
                            "argument --command-config: Insufficient permissions to read file: '{value}'"
                        ),
                    );
                }
            }
            _ if name.starts_with('-') => {
                return parse_error(out, &format!("unrecognized arguments: '{arg}'"));
            }
            _ => break,
        }
        i += 1;
    }
    if bootstrap.is_none() {
        return parse_error(
            out,
            "one of the arguments --bootstrap-server --bootstrap-controller is required",
        );
    }
    let Some(command) = args.get(i) else {
        return parse_error(out, "too few arguments");
    };
    let valid = [
        "describe",
        "upgrade",
        "downgrade",
        "disable",
        "version-mapping",
        "feature-dependencies",
    ];
    if !valid.contains(&command.as_str()) {
        let choices: Vec<String> = valid.iter().map(|c| format!("'{c}'")).collect();
        return parse_error(
            out,
            &format!(
                "argument {COMMANDS}: invalid choice: '{command}' (choose from {})",
                choices.join(", ")
            ),
        );
    }
    let parsed = match parse_subcommand(command, &args[i + 1..]) {
        Ok(p) => p,
        Err(message) => return parse_error(out, &message),
    };
    let result = match command.as_str() {
        "describe" => {
            describe(ctx, out);
            Ok(())
        }
        "upgrade" => upgrade_or_downgrade(ctx, out, "upgrade", &parsed, UpgradeType::Upgrade),
        "downgrade" => {
            let kind = if parsed.unsafe_downgrade {
                UpgradeType::UnsafeDowngrade
            } else {
                UpgradeType::SafeDowngrade
            };
            upgrade_or_downgrade(ctx, out, "downgrade", &parsed, kind)
        }
        "disable" => disable(ctx, out, &parsed),
        "version-mapping" => version_mapping(out, &parsed),
        _ => feature_dependencies(out, &parsed),
    };
    match result {
        Ok(()) => 0,
        Err(message) => {
            out.errln(&message);
            1
        }
    }
}

/// The options each subcommand declares (`addUpgradeParser` …).
fn parse_subcommand(command: &str, args: &[String]) -> Result<Args, String> {
    let allowed: &[&str] = match command {
        "upgrade" => &["--release-version", "--feature", "--dry-run"],
        "downgrade" => &["--release-version", "--feature", "--unsafe", "--dry-run"],
        "disable" => &["--feature", "--unsafe", "--dry-run"],
        "version-mapping" => &["--release-version"],
        "feature-dependencies" => &["--feature"],
        _ => &[],
    };
    let mut parsed = Args::default();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg, None),
        };
        if !allowed.contains(&name) {
            return Err(format!("unrecognized arguments: '{arg}'"));
        }
        match name {
            "--dry-run" => parsed.dry_run = true,
            "--unsafe" => parsed.unsafe_downgrade = true,
            _ => {
                let value = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        args.get(i)
                            .cloned()
                            .ok_or_else(|| format!("argument {name}: expected one argument"))?
                    }
                };
                if name == "--feature" {
                    parsed.features.push(value);
                } else {
                    parsed.release_version = Some(value);
                }
            }
        }
        i += 1;
    }
    if command == "feature-dependencies" && parsed.features.is_empty() {
        return Err("argument --feature is required".into());
    }
    Ok(parsed)
}

/// `levelToString`: metadata.version by its name.
fn level_text(feature: &str, level: i16) -> String {
    if feature == METADATA_VERSION {
        return features::metadata_version_name(level)
            .map_or(format!("UNKNOWN {level}"), str::to_string);
    }
    level.to_string()
}

fn describe(ctx: &mut ToolContext, out: &mut Output) {
    let cluster = &mut ctx.playground.cluster;
    let epoch = cluster.finalized_features_epoch();
    for (name, min, max, level) in cluster.finalized_features().all() {
        out.outln(&format!(
            "Feature: {name}\tSupportedMinVersion: {}\tSupportedMaxVersion: {}\tFinalizedVersionLevel: {}\tEpoch: {epoch}",
            level_text(name, min),
            level_text(name, max),
            level_text(name, level),
        ));
    }
}

/// `metadataVersionsToString(MINIMUM_VERSION, latestProduction())`.
fn supported_metadata_versions() -> String {
    METADATA_VERSIONS
        .iter()
        .map(|(_, v, _)| *v)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `parseNameAndLevel`.
fn name_and_level(input: &str) -> Result<(String, i16), String> {
    let Some((name, level)) = input.split_once('=') else {
        return Err(format!(
            "Can't parse feature=level string {input}: equals sign not found."
        ));
    };
    let level = level.trim();
    let parsed = level.parse::<i16>().map_err(|_| {
        format!("Can't parse feature=level string {input}: unable to parse {level} as a short.")
    })?;
    Ok((name.trim().to_string(), parsed))
}

fn upgrade_or_downgrade(
    ctx: &mut ToolContext,
    out: &mut Output,
    op: &str,
    args: &Args,
    kind: UpgradeType,
) -> Result<(), String> {
    let mut updates: Vec<(String, i16, UpgradeType)> = Vec::new();
    if let Some(release) = &args.release_version {
        if !args.features.is_empty() {
            return Err("Can not specify `release-version` with other feature flags.".into());
        }
        let Some(level) = features::metadata_version_level(release) else {
            return Err(format!(
                "Unknown metadata.version {release}. Supported metadata.version are {}",
                supported_metadata_versions()
            ));
        };
        updates.push((METADATA_VERSION.to_string(), level, kind));
        for f in FEATURES {
            let default = features::default_level(f, level);
            // Don't send a request to upgrade a feature to 0.
            if kind != UpgradeType::Upgrade || default > 0 {
                updates.push((f.name.to_string(), default, kind));
            }
        }
    } else {
        for feature in &args.features {
            let (name, level) = name_and_level(feature)?;
            if updates.iter().any(|(n, ..)| *n == name) {
                return Err(format!("Feature {name} was specified more than once."));
            }
            updates.push((name, level, kind));
        }
    }
    update(ctx, out, op, updates, args.dry_run)
}

fn disable(ctx: &mut ToolContext, out: &mut Output, args: &Args) -> Result<(), String> {
    let kind = if args.unsafe_downgrade {
        UpgradeType::UnsafeDowngrade
    } else {
        UpgradeType::SafeDowngrade
    };
    let mut updates: Vec<(String, i16, UpgradeType)> = Vec::new();
    for feature in &args.features {
        if updates.iter().any(|(n, ..)| n == feature) {
            return Err(format!("Feature {feature} was specified more than once."));
        }
        updates.push((feature.clone(), 0, kind));
    }
    update(ctx, out, "disable", updates, args.dry_run)
}

/// `update`: one line per feature in name order (`TreeMap`), then the count of failures.
fn update(
    ctx: &mut ToolContext,
    out: &mut Output,
    op: &str,
    mut updates: Vec<(String, i16, UpgradeType)>,
    dry_run: bool,
) -> Result<(), String> {
    if updates.is_empty() {
        return Err(format!("You must specify at least one feature to {op}"));
    }
    crate::sort::sort_by(&mut updates, |a, b| a.0.cmp(&b.0));
    let results = match ctx.playground.cluster.update_features(&updates, dry_run) {
        Ok(r) => r,
        Err(e) => updates
            .iter()
            .map(|(n, ..)| (n.clone(), Some(e.message().to_string())))
            .collect(),
    };
    // The controller answers the whole request with its first error (UpdateFeaturesResponse's
    // top-level error), which the admin client gives every feature.
    let first_error = results.iter().find_map(|(_, e)| e.clone());
    let mut failures = 0;
    for (name, level, _) in &updates {
        match &first_error {
            Some(message) => {
                failures += 1;
                let helper = if dry_run { "Can not " } else { "Could not " };
                let suffix = if op == "disable" {
                    format!("disable {name}")
                } else {
                    format!("{op} {name} to {level}")
                };
                out.outln(&format!("{helper}{suffix}. {message}"));
            }
            None => {
                let verb = if dry_run { " can be " } else { " was " };
                let obj = if op == "disable" {
                    "disabled.".to_string()
                } else {
                    format!("{op}d to {level}.")
                };
                out.outln(&format!("{name}{verb}{obj}"));
            }
        }
    }
    if failures > 0 {
        return Err(format!(
            "{failures} out of {} operation(s) failed.",
            updates.len()
        ));
    }
    Ok(())
}

fn version_mapping(out: &mut Output, args: &Args) -> Result<(), String> {
    let release = args.release_version.clone().unwrap_or_else(|| {
        features::metadata_version_name(LATEST_PRODUCTION)
            .unwrap_or_default()
            .to_string()
    });
    let Some(level) = features::metadata_version_level(&release) else {
        return Err(format!(
            "Unknown release version '{release}'. Supported versions are: {} to {}",
            features::metadata_version_name(MINIMUM_VERSION).unwrap_or_default(),
            features::metadata_version_name(LATEST_PRODUCTION).unwrap_or_default()
        ));
    };
    out.outln(&format!("metadata.version={level} ({release})"));
    for f in FEATURES {
        out.outln(&format!("{}={}", f.name, features::default_level(f, level)));
    }
    Ok(())
}

fn feature_dependencies(out: &mut Output, args: &Args) -> Result<(), String> {
    for feature in &args.features {
        let (name, level) = name_and_level(feature)?;
        if name == METADATA_VERSION {
            let Some(version) = features::metadata_version_name(level) else {
                return Err(format!("Unknown metadata.version {level}"));
            };
            out.outln(&format!("{name}={level} ({version}) has no dependencies."));
            continue;
        }
        let Some(spec) = features::feature(&name) else {
            return Err(format!("Unknown feature: {name}"));
        };
        if level < 0 || level > spec.max {
            return Err(format!("No feature:{name} with feature level {level}"));
        }
        let depends = spec
            .levels
            .iter()
            .find(|(l, ..)| *l == level)
            .and_then(|(_, _, d)| *d);
        match depends {
            None => out.outln(&format!("{name}={level} has no dependencies.")),
            Some(mv) => {
                out.outln(&format!("{name}={level} requires:"));
                out.outln(&format!(
                    "    {METADATA_VERSION}={mv} ({})",
                    features::metadata_version_name(mv).unwrap_or_default()
                ));
            }
        }
    }
    Ok(())
}
