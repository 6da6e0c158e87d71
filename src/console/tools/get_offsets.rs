//! `kafka-get-offsets.sh`: offsets of partitions by time (latest, earliest, max-timestamp, or a
//! timestamp), printed `topic:partition:offset`, sorted by the string `topic-partition`.

use super::{BadOption, Opening};
use crate::console::options::{HELP, Opt, Parsed, VERSION};
use crate::console::output::Output;
use crate::console::regex::Regex;
use crate::console::session::{ToolContext, ToolResult};
use crate::console::tools::admin;
use crate::engine::{Cluster, TopicPartition};

pub const OPTIONS: &[Opt] = &[
    Opt::string("bootstrap-server", "REQUIRED. The server(s) to connect to in the form HOST1:PORT1,HOST2:PORT2.", "HOST1:PORT1,...,HOST3:PORT3"),
    Opt::string("command-config", "Property file containing configs to be passed to Admin Client.", "config file"),
    Opt::flag("exclude-internal-topics", "By default, internal topics are included. If specified, internal topics are excluded."),
    HELP,
    Opt::string("partitions", "Comma separated list of partition ids to get the offsets for. If not present, all partitions of the authorized topics are queried. Cannot be used if --topic-partitions is present.", "partition ids"),
    Opt::string("time", "timestamp of the offsets before that. [Note: No offset is returned, if the timestamp greater than recently committed record timestamp is given.] Accepts the following timestamp type -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered / a specific long format timestamp", "<timestamp> / -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered").default("latest"),
    Opt::string("topic", "The topic to get the offsets for. It also accepts a regular expression. If not present, all authorized topics are queried. Cannot be used if --topic-partitions is present.", "topic"),
    Opt::string("topic-partitions", "Comma separated list of topic-partition patterns to get the offsets for, with the format of '([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?'. The first group is an optional regex for the topic name, if omitted, it matches any topic name. The section after ':' describes a partition pattern, which can be: a number, a range in the format of 'NUMBER-NUMBER' (lower inclusive, upper exclusive), an inclusive lower bound in the format of 'NUMBER-', an exclusive upper bound in the format of '-NUMBER' or may be omitted to accept all partitions.", "topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3"),
    VERSION,
];

fn fail(out: &mut Output, message: &str) -> ToolResult {
    out.errln(&format!("Error occurred: {message}"));
    ToolResult::Exit(1)
}

/// One `--topic-partitions` rule: a topic regex and a partition range [lo, hi).
struct Rule {
    topic: Option<Regex>,
    lo: i32,
    hi: i32,
}

fn parse_rules(spec: &str) -> Result<Vec<Rule>, String> {
    let mut rules = Vec::new();
    for part in spec.split(',') {
        let invalid = || format!("Invalid rule specification: {part}");
        let (topic, partitions) = match part.split_once(':') {
            Some((t, p)) => (t, Some(p)),
            None => (part, None),
        };
        let topic = if topic.is_empty() {
            None
        } else {
            Some(Regex::new(topic).map_err(|_| invalid())?)
        };
        let num = |s: &str| s.parse::<i32>().map_err(|_| invalid());
        let (lo, hi) = match partitions {
            None | Some("") => (0, i32::MAX),
            Some(p) => match p.split_once('-') {
                None => {
                    let n = num(p)?;
                    (n, n.saturating_add(1))
                }
                Some(("", h)) => (0, num(h)?),
                Some((l, "")) => (num(l)?, i32::MAX),
                Some((l, h)) => (num(l)?, num(h)?),
            },
        };
        rules.push(Rule { topic, lo, hi });
    }
    Ok(rules)
}

/// `kafka-get-offsets.sh`'s opening.
pub const OPENING: Opening = Opening::new(
    OPTIONS,
    "An interactive shell for getting topic-partition offsets.",
)
.bad_option(BadOption::Message("Error occurred: "))
.required(&["bootstrap-server"]);

pub fn run(opts: Parsed, ctx: &mut ToolContext, out: &mut Output) -> ToolResult {
    if opts.has("topic-partitions") && (opts.has("topic") || opts.has("partitions")) {
        return fail(
            out,
            "--topic-partitions cannot be used with --topic or --partitions",
        );
    }
    let time = opts.value("time").unwrap_or("latest");
    let when = match time {
        "-1" | "latest" => -1,
        "-2" | "earliest" => -2,
        "-3" | "max-timestamp" => -3,
        "-4" | "earliest-local" => -4,
        "-5" | "latest-tiered" => -5,
        t => match t.parse::<i64>() {
            Ok(ts) => ts,
            Err(_) => {
                return fail(
                    out,
                    &format!(
                        "Malformed time argument {t}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp"
                    ),
                );
            }
        },
    };
    let rules = if let Some(spec) = opts.value("topic-partitions") {
        match parse_rules(spec) {
            Ok(r) => r,
            Err(e) => return fail(out, &e),
        }
    } else {
        let topic = match opts.value("topic").map(Regex::new).transpose() {
            Ok(t) => t,
            Err(_) => {
                return fail(
                    out,
                    &format!(
                        "Invalid rule specification: {}",
                        opts.value("topic").unwrap_or_default()
                    ),
                );
            }
        };
        match opts.value("partitions") {
            None => vec![Rule {
                topic,
                lo: 0,
                hi: i32::MAX,
            }],
            Some(list) => {
                let mut rules = Vec::new();
                for id in list.split(',') {
                    match id.trim().parse::<i32>() {
                        Ok(n) => rules.push(Rule {
                            topic: topic.clone(),
                            lo: n,
                            hi: n.saturating_add(1),
                        }),
                        Err(_) => {
                            return fail(
                                out,
                                &format!(
                                    "--partitions expects a comma separated list of numeric partition ids, but received: {list}"
                                ),
                            );
                        }
                    }
                }
                rules
            }
        }
    };
    let cluster: &mut Cluster = &mut ctx.playground.cluster;
    let exclude_internal = opts.has("exclude-internal-topics");
    let mut matched: Vec<TopicPartition> = Vec::new();
    for t in cluster
        .topics()
        .filter(|t| !(exclude_internal && t.is_internal()))
    {
        for p in 0..t.partitions().len() as i32 {
            let hit = rules.iter().any(|r| {
                r.topic.as_ref().is_none_or(|re| re.full_match(t.name()))
                    && (r.lo..r.hi).contains(&p)
            });
            if hit {
                matched.push(TopicPartition::new(t.name().to_string(), p));
            }
        }
    }
    if matched.is_empty() {
        return fail(
            out,
            "Could not match any topic-partitions with the specified filters",
        );
    }
    skip_leaderless(cluster, &matched, out);
    crate::sort::sort_by_key(&mut matched, |tp| tp.to_string());
    for tp in matched {
        let Ok((start, end)) = cluster.offsets_of(&tp) else {
            continue;
        };
        let offset = match when {
            -1 | -5 => Some(end),
            -2 | -4 => Some(start),
            -3 => cluster.offset_of_max_timestamp(&tp),
            ts => cluster.offset_for_timestamp(&tp, ts),
        };
        if let Some(o) = offset {
            out.outln(&format!("{}:{}:{o}", tp.topic, tp.partition));
        }
    }
    ToolResult::Exit(0)
}

/// Partitions whose leader cannot answer `ListOffsets` keep the admin client retrying; those
/// still without one at `default.api.timeout.ms` are skipped, each with a line on stderr,
/// before the tool prints the offsets it got.
fn skip_leaderless(cluster: &mut Cluster, matched: &[TopicPartition], out: &mut Output) {
    let answered = |c: &Cluster| matched.iter().all(|tp| c.offsets_of(tp).is_ok());
    if admin::retry_until(cluster, admin::DEFAULT_API_TIMEOUT_MS, answered) {
        return;
    }
    let error = admin::leader_lookup_timeout("listOffsets");
    for tp in matched.iter().filter(|tp| cluster.offsets_of(tp).is_err()) {
        out.errln(&format!(
            "Skip getting offsets for topic-partition {tp} due to error: {error}"
        ));
    }
}
