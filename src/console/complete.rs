//! Tab completion: tool names, their options, and the names the cluster knows — topics after
//! `--topic`, groups after `--group`, config keys after `--add-config`, playground subcommands.
//! Pure: it reads the playground and returns what the line could become.

use super::session::Playground;
use super::tools;
use crate::engine::config::TOPIC_CONFIGS;

/// What Tab offers for a line (the cursor is at its end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The line with the last word completed as far as all candidates agree.
    pub line: String,
    /// Every candidate for the last word, when more than one remains (shown as a list).
    pub candidates: Vec<String>,
}

const COMMANDS: &[&str] = &[
    "playground",
    "help",
    "history",
    "clear",
    "jobs",
    "fg",
    "kill",
    "sleep",
    "echo",
    "printf",
    "seq",
    "cat",
    "ls",
    "rm",
];

const PLAYGROUND: &[&str] = &["status", "advance", "clock", "reset", "broker", "help"];
const PLAYGROUND_BROKER: &[&str] = &[
    "stop", "kill", "start", "isolate", "heal", "slow", "fast", "add", "rack", "remove",
];

/// Completes the last word of `line`; `None` when nothing fits.
pub fn complete(line: &str, pg: &Playground) -> Option<Completion> {
    // Only the last command of a pipeline matters.
    let segment_start = line.rfind('|').map_or(0, |i| i + 1);
    let segment = &line[segment_start..];
    let words: Vec<&str> = segment.split_whitespace().collect();
    let ends_in_space = segment.ends_with(char::is_whitespace) || segment.trim().is_empty();
    let (current, before): (&str, &[&str]) = if ends_in_space {
        ("", &words[..])
    } else {
        match words.split_last() {
            Some((last, rest)) => (last, rest),
            None => ("", &[]),
        }
    };
    let candidates: Vec<String> = match before.first() {
        None => {
            let mut all: Vec<String> = tools::TOOLS.iter().map(|(n, _)| n.to_string()).collect();
            all.extend(COMMANDS.iter().map(|c| c.to_string()));
            all
        }
        Some(&"playground") => match before.get(1) {
            None => PLAYGROUND.iter().map(|s| s.to_string()).collect(),
            Some(&"broker") if before.len() == 2 => {
                PLAYGROUND_BROKER.iter().map(|s| s.to_string()).collect()
            }
            Some(&"broker") if before.len() == 3 => broker_ids(pg),
            Some(&"clock") if before.len() == 2 => {
                vec!["speed".into(), "pause".into(), "resume".into()]
            }
            Some(&"clock") => ["pause", "1x", "60x", "3600x"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            _ => Vec::new(),
        },
        Some(first) => {
            let (tool, _) = tools::lookup(first)?;
            let previous = before.last().copied().unwrap_or("");
            match value_candidates(tool, previous, before, pg) {
                Some(values) => values,
                None => tools::options_of(tool)
                    .iter()
                    .map(|o| format!("--{}", o.name))
                    .collect(),
            }
        }
    };
    let mut matching: Vec<String> = candidates
        .into_iter()
        .filter(|c| c.starts_with(current))
        .collect();
    crate::sort::sort(&mut matching);
    matching.dedup();
    if matching.is_empty() {
        return None;
    }
    let prefix = common_prefix(&matching);
    let head = &line[..line.len() - current.len()];
    if matching.len() == 1 {
        // A config key completes to `key=`; everything else gets a space after it.
        let sep = if prefix.ends_with('=') { "" } else { " " };
        return Some(Completion {
            line: format!("{head}{prefix}{sep}"),
            candidates: Vec::new(),
        });
    }
    Some(Completion {
        line: format!("{head}{prefix}"),
        candidates: matching,
    })
}

/// Values for the option just typed, or `None` when the next word is an option.
fn value_candidates(
    tool: &str,
    previous: &str,
    before: &[&str],
    pg: &Playground,
) -> Option<Vec<String>> {
    let topics = || {
        pg.cluster
            .topics()
            .map(|t| t.name().to_string())
            .collect::<Vec<_>>()
    };
    Some(match previous {
        "--bootstrap-server" => vec!["localhost:9092".into()],
        "--topic" | "--include" => topics(),
        "--group" => pg.cluster.group_ids(),
        "--add-config" | "--delete-config" | "--config" => TOPIC_CONFIGS
            .iter()
            .map(|k| format!("{}=", k.name))
            .collect(),
        "--entity-type" => vec!["topics".into(), "brokers".into()],
        "--entity-name" => {
            if before.contains(&"brokers") {
                broker_ids(pg)
            } else {
                topics()
            }
        }
        "--election-type" => vec!["preferred".into(), "unclean".into()],
        "--property" | "--reader-property" | "--formatter-property" if tool.contains("console") => {
            [
                "print.key=true",
                "print.partition=true",
                "print.offset=true",
                "print.timestamp=true",
                "print.headers=true",
                "parse.key=true",
                "key.separator=",
                "null.marker=",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect()
        }
        "--broker-list" | "--broker" | "--broker-id" => broker_ids(pg),
        _ => {
            // An option that takes an argument expects a value we cannot guess.
            let takes_value = tools::options_of(tool).iter().any(|o| {
                previous.strip_prefix("--") == Some(o.name) && o.arg != super::options::Arg::None
            });
            if takes_value {
                Vec::new()
            } else {
                return None;
            }
        }
    })
}

fn broker_ids(pg: &Playground) -> Vec<String> {
    pg.cluster
        .broker_ids()
        .iter()
        .map(|id| id.to_string())
        .collect()
}

fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut end = first.len();
    for w in &words[1..] {
        end = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(end);
    }
    first[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Terminal;
    use crate::console::script::run_script;
    use crate::engine::{Cluster, ClusterConfig};

    fn pg() -> Playground {
        let mut pg = Playground::scripted(Cluster::new(ClusterConfig::default()));
        run_script(
            &mut pg,
            &mut Terminal::batch(),
            "kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders\n\
             kafka-topics.sh --bootstrap-server localhost:9092 --create --topic orders-dlq",
            false,
        );
        pg
    }

    fn line(l: &str) -> String {
        complete(l, &pg()).map(|c| c.line).unwrap_or_default()
    }

    #[test]
    fn tools_options_and_names() {
        assert_eq!(line("kafka-to"), "kafka-topics.sh ");
        assert_eq!(
            line("kafka-topics.sh --bootstrap-s"),
            "kafka-topics.sh --bootstrap-server "
        );
        assert_eq!(
            line("kafka-topics.sh --bootstrap-server "),
            "kafka-topics.sh --bootstrap-server localhost:9092 "
        );
        let c = complete("kafka-topics.sh --describe --topic ord", &pg()).expect("some");
        assert_eq!(c.line, "kafka-topics.sh --describe --topic orders");
        assert_eq!(c.candidates, ["orders", "orders-dlq"]);
        assert_eq!(
            line("kafka-configs.sh --alter --add-config retention.m"),
            "kafka-configs.sh --alter --add-config retention.ms="
        );
        assert_eq!(line("playground br"), "playground broker ");
        assert_eq!(line("playground broker st"), "playground broker st");
        assert_eq!(
            line("seq 1 3 | kafka-console-pro"),
            "seq 1 3 | kafka-console-producer.sh "
        );
        assert!(complete("kafka-topics.sh --nope", &pg()).is_none());
        assert!(complete("unknown-tool --x", &pg()).is_none());
        // A value nobody can guess: nothing offered rather than options.
        assert!(complete("kafka-topics.sh --partitions ", &pg()).is_none());
    }
}
